"""Open whatever a teacher points at: a saved ``NAME.lecture`` project, a deck or an outline."""

from __future__ import annotations

from pathlib import Path

from .jobs import CancelToken, ProgressCallback, no_progress
from .plugins import PluginRegistry
from .project import BUNDLE_SUFFIX, PROJECT_FILE, Project


def is_project_path(path: Path) -> bool:
    return (
        path.suffix == BUNDLE_SUFFIX or path.name == PROJECT_FILE or (path / PROJECT_FILE).is_file()
    )


def open_path(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    registry: PluginRegistry | None = None,
) -> Project:
    """Load a project bundle, or import a deck/outline into a new unsaved project (with the
    importers of ``registry``; None: the built-in ones only)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    if is_project_path(path):
        return Project.load(path)
    from .importers import import_path

    return import_path(path, progress=progress, cancel=cancel, registry=registry)

"""Turning an input file (PowerPoint deck, Markdown or text outline) into a new Project."""

from __future__ import annotations

from pathlib import Path

from ..errors import UnsupportedFormatError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..project import Project
from . import safety
from .outline import MARKDOWN_SUFFIXES, TEXT_SUFFIXES, import_markdown, import_text
from .pptx import DECK_SUFFIXES, import_deck

LEGACY_SUFFIXES = frozenset({".ppt", ".pps", ".pot"})

__all__ = [
    "DECK_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "import_deck",
    "import_markdown",
    "import_path",
    "import_text",
]


def import_path(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Import a deck or an outline, chosen by its content first and its extension second.

    Zip and OLE2 files always go through the deck checks, whatever their name, so that a
    renamed .docx or an encrypted deck gets the message that fits it. Nothing is written.
    """
    path = Path(path)
    safety.check_not_lock_file(path)
    if not path.is_file():
        safety.read_input(path)  # raises the error that says why (missing, a folder...)
    from ..plugins import IMPORTER, default_registry

    registry = default_registry()
    head = _head(path)
    suffix = path.suffix.lower()
    if (
        head.startswith(safety.OLE2_SIGNATURE)
        or head.startswith(safety.ZIP_SIGNATURES)
        or suffix in DECK_SUFFIXES
        or suffix in LEGACY_SUFFIXES
    ):
        importer = registry.find(IMPORTER, "pptx")
    else:  # the built-in outline importers, then plugins' importers, by suffix
        importer = registry.find_for_suffix(IMPORTER, suffix)
    if importer is not None:
        return registry.call(importer, path, progress, cancel)
    raise UnsupportedFormatError(
        f"{path.name} is not a file Lecture Studio can import; use a PowerPoint deck (.pptx), "
        "a Markdown outline (.md) or a plain-text outline (.txt)."
    )


def _head(path: Path) -> bytes:
    """The first bytes of the file (empty when it cannot be opened: the importer says why)."""
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError:
        return b""

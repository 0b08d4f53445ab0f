"""Where the app's bundled resources (fontconfig aliases, themes, samples) live on disk."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``resource_path("themes", "default.json")``."""
    return RESOURCES_DIR.joinpath(*parts)

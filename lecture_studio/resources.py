"""Where the app's bundled resources (fontconfig aliases, themes, samples) live on disk."""

from __future__ import annotations

import sys
from pathlib import Path


def _resources_dir() -> Path:
    """``lecture_studio/bundled_resources`` in a wheel or a PyInstaller bundle (the build maps
    the top-level ``resources/`` there); the checkout's ``resources/`` when run from source."""
    installed = Path(__file__).resolve().parent / "bundled_resources"
    if installed.is_dir():
        return installed
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root and (Path(frozen_root) / "lecture_studio" / "bundled_resources").is_dir():
        return Path(frozen_root) / "lecture_studio" / "bundled_resources"
    return Path(__file__).resolve().parents[1] / "resources"


RESOURCES_DIR = _resources_dir()


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``resource_path("themes", "default.json")``."""
    return RESOURCES_DIR.joinpath(*parts)

"""A lecture with its assets, and the ``NAME.lecture/`` bundle it is saved as.

A bundle is a folder holding ``project.json`` (the lecture, see ``model.schema``) and ``assets/``
(pictures, the source deck, recordings, generated images), each asset named by a hash of its
content so that saving never writes the same bytes twice. Saves are atomic: every file is written
to a temporary name in the same folder and renamed over the old one.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from .errors import ExportError, ProjectFormatError
from .fileio import atomic_write
from .model import Lecture, lecture_from_dict, lecture_to_dict

BUNDLE_SUFFIX = ".lecture"
PROJECT_FILE = "project.json"
ASSETS_DIR = "assets"


def asset_name(data: bytes, suffix: str) -> str:
    """The content-addressed name of an asset: 16 hex digits of its sha256 plus its suffix."""
    suffix = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}" if suffix else ""
    return hashlib.sha256(data).hexdigest()[:16] + suffix


class Project:
    """A lecture, where it is saved (if it is), and assets not yet written to disk."""

    def __init__(
        self,
        lecture: Lecture,
        path: Path | None = None,
        assets: dict[str, bytes] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.lecture = lecture
        self.path = Path(path) if path else None
        self._pending: dict[str, bytes] = dict(assets or {})
        self.warnings: list[str] = list(warnings or [])

    # --- assets -------------------------------------------------------------------------
    def add_asset(
        self, data: bytes, suffix: str, name: str | None = None, replace: bool = False
    ) -> str:
        """Keep ``data`` as an asset named by its content hash, or by ``name`` when the caller
        names it by a hash of what made it (generated images, see ``imagery.cache``); with
        ``replace`` it takes the place of a (damaged) asset of that name at the next save."""
        name = name or asset_name(data, suffix)
        if replace or not self.has_asset(name):
            self._pending[name] = data
        return name

    def has_asset(self, name: str) -> bool:
        if name in self._pending:
            return True
        return self.path is not None and (self.path / ASSETS_DIR / name).is_file()

    def asset_bytes(self, name: str) -> bytes:
        if name in self._pending:
            return self._pending[name]
        if self.path is not None:
            file = self.path / ASSETS_DIR / name
            if file.is_file():
                return file.read_bytes()
        raise ProjectFormatError(
            f"The project is missing its asset {name}; re-import the original deck or outline."
        )

    def asset_path(self, name: str) -> Path:
        """A file holding the asset: in the bundle, or a cached copy for an unsaved project."""
        if self.path is not None and name not in self._pending:
            file = self.path / ASSETS_DIR / name
            if file.is_file():
                return file
        data = self.asset_bytes(name)
        cache = Path(tempfile.gettempdir()) / "lecture-studio-assets"
        cache.mkdir(parents=True, exist_ok=True)
        file = cache / name
        if not file.is_file():
            atomic_write(file, data)
        return file

    def asset_names(self) -> set[str]:
        names = set(self._pending)
        if self.path is not None and (self.path / ASSETS_DIR).is_dir():
            names.update(p.name for p in (self.path / ASSETS_DIR).iterdir() if p.is_file())
        return names

    # --- saving -------------------------------------------------------------------------
    def save(self, path: Path | str | None = None) -> Path:
        """Write the bundle (to ``path`` for Save As); returns the bundle folder."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("save() needs a path for a project that was never saved")
        if target.suffix != BUNDLE_SUFFIX:
            target = target.with_name(target.name + BUNDLE_SUFFIX)
        try:
            (target / ASSETS_DIR).mkdir(parents=True, exist_ok=True)
            for name in sorted(self._referenced_assets()):
                dest = target / ASSETS_DIR / name
                if name in self._pending or not dest.is_file():
                    atomic_write(dest, self.asset_bytes(name))
            text = json.dumps(lecture_to_dict(self.lecture), ensure_ascii=False, indent=1)
            atomic_write(target / PROJECT_FILE, text.encode("utf-8"))
        except OSError as exc:
            raise ExportError(
                f"Could not save the project to {target}: {exc.strerror or exc}."
            ) from exc
        self.path = target
        self._pending.clear()
        return target

    def _referenced_assets(self) -> set[str]:
        """Every asset the lecture names, plus all pending ones (kept until the next save)."""
        names = set(self._pending)
        if self.path is not None:
            names |= self.asset_names()
        return names

    # --- loading ------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str) -> Project:
        path = Path(path)
        file = path / PROJECT_FILE if path.is_dir() else path
        if file.name != PROJECT_FILE or not file.is_file():
            raise ProjectFormatError(
                f"{path} is not a Lecture Studio project (no {PROJECT_FILE} inside); "
                "open a NAME.lecture folder or import a deck instead."
            )
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProjectFormatError(
                f"{file} is damaged ({exc}); restore it from a backup."
            ) from exc
        return cls(lecture_from_dict(data, where=str(file)), path=file.parent)

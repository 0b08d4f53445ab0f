"""The editor's persistent settings (QSettings): recent files, language, export choices, layout."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "Lecture Studio"
APPLICATION = "lecture-studio"
MAX_RECENT_FILES = 8
LANGUAGES = ("system", "en", "ja")


class EditorSettings:
    """Typed access to the QSettings store; tests pass a QSettings on a file of their own."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(ORGANIZATION, APPLICATION)

    # --- recent files -------------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        value = self.store.value("recentFiles", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [Path(item) for item in items if item]

    def add_recent_file(self, path: Path) -> None:
        path = Path(path).resolve()
        files = [path] + [p for p in self.recent_files() if p != path]
        self.store.setValue("recentFiles", [str(p) for p in files[:MAX_RECENT_FILES]])

    def clear_recent_files(self) -> None:
        self.store.setValue("recentFiles", [])

    # --- language -----------------------------------------------------------------------
    @property
    def language(self) -> str:
        """ "system" (follow the system locale), "en" or "ja"."""
        value = str(self.store.value("language", "system"))
        return value if value in LANGUAGES else "system"

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("language", value if value in LANGUAGES else "system")

    # --- autosave -----------------------------------------------------------------------
    @property
    def autosave_minutes(self) -> float:
        try:
            return max(0.1, float(self.store.value("autosaveMinutes", 3)))
        except (TypeError, ValueError):
            return 3.0

    # --- export -------------------------------------------------------------------------
    @property
    def export_preset(self) -> str:
        return str(self.store.value("export/preset", "1080p"))

    @export_preset.setter
    def export_preset(self, value: str) -> None:
        self.store.setValue("export/preset", value)

    def export_flag(self, name: str, default: bool = True) -> bool:
        """captions/chapters/thumbnail (on unless the teacher turned them off), word captions
        (off unless turned on: ``default=False``)."""
        value = self.store.value(f"export/{name}", default)
        return value not in (False, "false", "0", 0)

    def set_export_flag(self, name: str, value: bool) -> None:
        self.store.setValue(f"export/{name}", bool(value))

    @property
    def last_folder(self) -> str:
        return str(self.store.value("lastFolder", str(Path.home())))

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self.store.setValue("lastFolder", value)

    @property
    def last_export_folder(self) -> Path | None:
        """The folder the last video was exported to; None before the first export."""
        value = self.store.value("export/lastFolder", "")
        return Path(str(value)) if value else None

    @last_export_folder.setter
    def last_export_folder(self, value: Path) -> None:
        self.store.setValue("export/lastFolder", str(value))

    # --- window layout ------------------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.store.value("window/geometry"), self.store.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()


def videos_folder() -> Path:
    """The user's Videos folder (Movies on macOS); the home folder where there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
    return Path(location) if location else Path.home()


def folder_is_writable(folder: Path) -> bool:
    """Whether ``folder`` exists and a file can be created in it, tried for real: permission
    bits do not tell for root, read-only mounts or network shares. Nothing is left behind."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".lecture-studio-probe-"):
            return True
    except OSError:
        return False

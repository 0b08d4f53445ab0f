"""The About dialog: Lecture Studio's version, its license, and the third-party notices."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..resources import RESOURCES_DIR

LICENSE_SUMMARY = (
    "Lecture Studio is free software under the GNU General Public License, version 3 or later. "
    "The video encoder it uses (x264, inside PyAV) is GPL and the PDF renderer (PyMuPDF) is "
    "AGPL: anyone passing the app on must pass on these rights and offer the source code."
)


def license_files() -> dict[str, Path | None]:
    """The license texts to show, by tab title: the checkout's, the wheel's or the bundle's."""
    roots = [RESOURCES_DIR.parent, RESOURCES_DIR.parents[1], Path(sys.executable).parent]
    roots.append(Path(getattr(sys, "_MEIPASS", RESOURCES_DIR.parent)))

    def find(name: str) -> Path | None:
        return next((root / name for root in roots if (root / name).is_file()), None)

    return {"License": find("LICENSE"), "Third-party notices": find("THIRD_PARTY_NOTICES.md")}


def versions_text() -> str:
    """Lecture Studio's version and those of the libraries a bug report needs."""
    import av
    import PySide6

    return (
        f"Lecture Studio {__version__}\n"
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"PyAV {av.__version__} (FFmpeg {av.ffmpeg_version_info})\n"
        f"{platform.system()} {platform.release()} {platform.machine()}"
    )


class AboutDialog(QDialog):
    """Help > About: version, license summary, and tabs with the full license texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Lecture Studio"))
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>Lecture Studio {__version__}</h2>")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        self.versions = QLabel(versions_text())
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.versions)
        summary = QLabel(self.tr(LICENSE_SUMMARY))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.tabs = QTabWidget()
        for tab_title, path in license_files().items():
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setPlainText(
                path.read_text(encoding="utf-8")
                if path
                else self.tr("This file is missing from this installation.")
            )
            self.tabs.addTab(text, self.tr(tab_title))
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

"""The PySide6 editor: the only package that imports Qt; ``main()`` is ``lecture-studio-gui``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["create_application", "main"]


def create_application(argv: list[str] | None = None, language: str | None = None):
    """The QApplication with our names, the system's look and the chosen translation.

    ``language`` overrides the settings ("en", "ja"); returns (app, settings, translators).
    """
    from PySide6.QtWidgets import QApplication

    from .i18n import install_translators, ui_language
    from .settings import APPLICATION, ORGANIZATION, EditorSettings

    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Lecture Studio")
    app.setDesktopFileName("lecture-studio")
    settings = EditorSettings()
    translators = install_translators(app, language or ui_language(settings.language))
    return app, settings, translators


def main(argv: list[str] | None = None) -> int:
    """Start the editor, optionally opening a deck, outline or project given on the line."""
    parser = argparse.ArgumentParser(
        prog="lecture-studio-gui",
        description="The Lecture Studio editor: turn a deck or an outline into a narrated video.",
    )
    parser.add_argument("path", nargs="?", type=Path, help="a deck, an outline or NAME.lecture")
    parser.add_argument("--language", choices=["en", "ja"], help="the interface language")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QTimer

    from .autosave import default_recovery_dir, find_recoveries
    from .main_window import MainWindow

    app, settings, _translators = create_application(None, args.language)
    window = MainWindow(settings)
    window.show()

    def after_show() -> None:
        restored = window.offer_recovery(find_recoveries(default_recovery_dir()))
        if args.path is not None and not restored:
            window.open_file(args.path)

    QTimer.singleShot(0, after_show)
    return app.exec()

"""Which language the editor speaks: loads our Qt Linguist translation and Qt's own for it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..resources import resource_path

TRANSLATIONS_DIR = resource_path("translations")
TRANSLATED_LANGUAGES = ("ja",)


def ui_language(choice: str = "system", system: QLocale | None = None) -> str:
    """The language code to use: the settings' choice, or the system's when it is "system"."""
    if choice and choice != "system":
        return choice
    system = system or QLocale.system()
    if system.language() == QLocale.Language.Japanese:
        return "ja"
    return "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` on ``app`` (none for English); returns them so
    the caller keeps them alive and can remove them again."""
    installed: list[QTranslator] = []
    if language not in TRANSLATED_LANGUAGES:
        return installed
    ours = QTranslator(app)
    if ours.load(f"lecture_studio_{language}", str(TRANSLATIONS_DIR)):
        app.installTranslator(ours)
        installed.append(ours)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_dir):  # standard buttons: Save, Cancel...
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)

"""Writes the README's screenshots: ``python -m lecture_studio.gui.screenshots OUTDIR``.

Opens the sample lecture (or a corpus deck while it is absent), then saves main-window.png,
lecture-properties.png (Lecture > Properties: the lecture's language and voice),
export-dialog.png (caught mid-export, then cancelled), imagery-dialog.png (images drawn with the
procedural generator, which needs no model) and main-window-ja.png (Japanese UI).
Run it under Xvfb (``xvfb-run -a``) or with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings

from ..resources import resource_path
from . import create_application
from .i18n import install_translators, remove_translators
from .main_window import MainWindow
from .settings import EditorSettings
from .workers import Worker

WINDOW_SIZE = (1280, 800)
TIMEOUT_SECONDS = 180


def sample_deck() -> Path:
    sample = resource_path("sample-lecture", "sample-lecture.pptx")
    if sample.is_file():
        return sample
    corpus = resource_path().parent.parent / "shared" / "corpus" / "poi__SampleShow.pptx"
    if corpus.is_file():
        return corpus
    raise SystemExit(f"No sample lecture at {sample}; build it first (make demo).")


def _wait(condition, seconds: float = TIMEOUT_SECONDS) -> None:
    app = QCoreApplication.instance()
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("Timed out waiting for the editor; see the messages above.")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    for _ in range(5):
        app.processEvents()


def _open_window(scratch: Path, deck: Path) -> MainWindow:
    settings = EditorSettings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, recovery_dir=scratch / "recovery")
    window.resize(*WINDOW_SIZE)
    window.show()
    window.open_file(deck)
    _wait(lambda: window.load_worker is None)
    _wait(lambda: window.render_worker is None and not window.document.missing_images())
    _wait(lambda: window.document.voices is not None)  # the voice boxes name their voices
    window.slide_list.setCurrentRow(min(1, window.slide_list.count() - 1))
    _wait(lambda: True)
    return window


def _close(window: MainWindow) -> None:
    window.document.undo_stack.setClean()  # nothing to save: close without asking
    window.close()
    _wait(lambda: Worker.active_count() == 0)


def take_screenshots(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    app, _settings, translators = create_application([sys.argv[0]], "en")
    deck = sample_deck()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lecture-studio-shots-") as folder:
        scratch = Path(folder)
        window = _open_window(scratch, deck)
        written.append(outdir / "main-window.png")
        window.grab().save(str(written[-1]))

        properties = window.show_lecture_properties()
        properties.adjustSize()
        _wait(lambda: True)
        written.append(outdir / "lecture-properties.png")
        properties.grab().save(str(written[-1]))
        properties.reject()

        dialog = window.export_video()
        dialog.destination.setText(str(scratch / "sample-lecture.mp4"))
        worker = dialog.start_export()
        _wait(lambda: dialog.progress.value() >= 300 or worker is None or not worker.running)
        written.append(outdir / "export-dialog.png")
        dialog.grab().save(str(written[-1]))
        dialog.cancel_or_close()
        _wait(lambda: dialog.worker is None)
        dialog.close()

        window.document.lecture.style.imagery_generator = "procedural"  # needs no model
        window.generate_images()
        _wait(lambda: not window.imagery.running)
        imagery = window.imagery.dialog
        written.append(outdir / "imagery-dialog.png")
        imagery.grab().save(str(written[-1]))
        imagery.close()
        _close(window)

        remove_translators(app, translators)
        translators = install_translators(app, "ja")
        window = _open_window(scratch, deck)
        written.append(outdir / "main-window-ja.png")
        window.grab().save(str(written[-1]))
        _close(window)
    remove_translators(app, translators)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m lecture_studio.gui.screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in take_screenshots(Path(args[0])):
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

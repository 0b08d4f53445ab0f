"""Writes the README's screenshots: ``python -m lecture_studio.gui.screenshots OUTDIR``.

Opens the sample lecture (or a corpus deck while it is absent), then saves main-window.png,
problems-panel.png (a slide no voice speaks, one that flashes by: badges, Problems panel),
lecture-properties.png (Lecture > Properties: the lecture's language and voice),
export-dialog.png (caught mid-export, then cancelled), timeline.png (the timeline at fit-all,
with the waveforms of the narration that export spoke), imagery-dialog.png (images drawn with
the procedural generator, which needs no model) and main-window-ja.png (Japanese UI).
Run it under Xvfb (``xvfb-run -a``) or with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings

from ..model import SetProperty
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


def _make_problems(window: MainWindow) -> None:
    """Slide 3 marked Yoruba (which no installed voice speaks) and slide 4 made a silent 0.8 s
    card, for their badges and the Problems panel's rows; the last row clicked. ``_undo_all``
    puts the deck back for the later screenshots."""
    spoken, card = window.document.lecture.slides[2:4]
    window.document.do(SetProperty(spoken.id, "language", "yo"))
    for path, value in (("script", ""), ("duration.mode", "fixed"), ("duration.seconds", 0.8)):
        window.document.do(SetProperty(card.id, path, value))
    kinds = {"voice", "timing"}
    _wait(lambda: kinds <= {p.kind for p in window.problems.problems})
    tree = window.problems_dock.panel.tree
    row = tree.topLevelItem(tree.topLevelItemCount() - 1)
    tree.setCurrentItem(row)
    tree.itemClicked.emit(row, 1)  # as a click on it: its slide is selected
    _wait(lambda: True)


def _undo_all(window: MainWindow) -> None:
    while window.document.undo_stack.canUndo():
        window.document.undo_stack.undo()
    _wait(lambda: not {"voice", "timing"} & {p.kind for p in window.problems.problems})


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

        _make_problems(window)
        written.append(outdir / "problems-panel.png")
        window.grab().save(str(written[-1]))
        _undo_all(window)

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

        # the export spoke the narration: the timeline draws its waveforms
        window.timeline.look_for_waveforms()
        _wait(lambda: window.timeline.waveform_worker is None)
        window.timeline.fit_all()
        _wait(lambda: True)
        written.append(outdir / "timeline.png")
        window.timeline.grab().save(str(written[-1]))

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

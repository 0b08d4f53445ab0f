"""The editor driven as a teacher would: import, edit, undo, reorder, save, export, recover."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from lecture_studio.gui.autosave import ORIGIN_FILE, find_recoveries  # noqa: E402
from lecture_studio.gui.main_window import MainWindow  # noqa: E402
from lecture_studio.gui.settings import EditorSettings  # noqa: E402
from lecture_studio.gui.workers import Worker  # noqa: E402
from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

TWO_SLIDE_DECK = "poi__SampleShow.pptx"
CORRUPT_DECK = "poi__clusterfuzz-5463285576892416_corrupt.pptx"
WAIT_MS = 60_000


def import_deck(qtbot, window: MainWindow, path: Path, monkeypatch) -> None:
    """Import through the File menu's action, the file dialog answered with ``path``."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(path), ""))
    )
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.load_worker is None, timeout=WAIT_MS)


def wait_for_pictures(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.render_worker is None and not window.document.missing_images(),
        timeout=WAIT_MS,
    )


@pytest.fixture
def imported(qtbot, window, corpus, monkeypatch) -> MainWindow:
    import_deck(qtbot, window, corpus / TWO_SLIDE_DECK, monkeypatch)
    assert len(window.document.lecture.slides) == 2
    return window


def test_import_from_the_menu_lists_slides_with_pictures_and_notes(qtbot, imported):
    window = imported
    assert window.slide_list.count() == 2
    assert window.slide_list.item(0).text() == "1. Title of the first slide"
    assert window.narration.text.toPlainText() == "I am the notes of the first slide"
    assert "words" in window.narration.stats.text()
    wait_for_pictures(qtbot, window)
    picture = window.document.images[window.document.lecture.slides[0].id]
    assert (picture.width(), picture.height()) == (960, 540)
    assert not window.isWindowModified()  # only an edit marks it (tests/gui/test_modified_flag.py)
    assert window.timeline.timeline is not None and len(window.timeline.timeline.slides) == 2


def test_editing_the_script_is_undone_and_redone(qtbot, imported):
    window = imported
    slide = window.document.lecture.slides[0]
    original = slide.script
    window.script_action.trigger()  # Ctrl+T: into the script, cursor at the end
    qtbot.keyClicks(window.narration.text, " More words.")
    assert slide.script == original + " More words."
    assert window.document.undo_stack.count() == 1  # typing merges into one undo step
    window.undo_action.trigger()
    assert slide.script == original
    assert window.narration.text.toPlainText() == original
    window.redo_action.trigger()
    assert slide.script == original + " More words."
    assert window.narration.text.toPlainText() == original + " More words."


def test_longer_script_gives_longer_estimate_and_timeline(qtbot, imported):
    window = imported
    before = window.timeline.timeline.duration
    window.narration.text.setPlainText(" ".join(["word"] * 150) + ".")
    assert window.timeline.timeline.duration > before + 40
    assert "150 words" in window.narration.stats.text()


def test_reorder_by_action_and_by_drag_signal(qtbot, imported):
    window = imported
    first, second = (s.id for s in window.document.lecture.slides)
    window.slide_list.select_slide(first)
    window.move_down_action.trigger()
    assert [s.id for s in window.document.lecture.slides] == [second, first]
    assert window.slide_list.item(1).text().startswith("2. Title of the first slide")
    window.undo_action.trigger()
    assert [s.id for s in window.document.lecture.slides] == [first, second]
    window.slide_list.slide_moved.emit(second, 0)  # what a drop in the list emits
    assert [s.id for s in window.document.lecture.slides] == [second, first]


def test_insert_duplicate_hide_delete(qtbot, imported):
    window = imported
    window.slide_list.setCurrentRow(0)
    window.insert_action.trigger()
    assert len(window.document.lecture.slides) == 3
    assert window.document.lecture.slides[1].title == "New slide"
    window.duplicate_action.trigger()
    assert len(window.document.lecture.slides) == 4
    window.hide_action.trigger()
    assert window.document.lecture.slides[2].hidden
    assert "(hidden)" in window.slide_list.item(2).text()
    window.delete_action.trigger()
    assert len(window.document.lecture.slides) == 3
    for _ in range(4):
        window.undo_action.trigger()
    assert len(window.document.lecture.slides) == 2
    wait_for_pictures(qtbot, window)


def test_changing_the_transition_is_undoable(qtbot, imported):
    window = imported
    slide = window.document.lecture.slides[0]
    combo = window.properties.transition_kind
    combo.setCurrentIndex(combo.findData("crossfade"))
    assert slide.transition is not None and slide.transition.kind == "crossfade"
    assert slide.transition.duration > 0
    assert window.properties.transition_seconds.isEnabled()
    window.undo_action.trigger()
    assert slide.transition is None
    assert combo.currentData() == ""


def test_save_and_reopen(qtbot, imported, tmp_path):
    window = imported
    window.narration.text.setPlainText("A script saved with the lecture.")
    window.properties.duration_mode.setCurrentIndex(1)  # fixed length
    assert window.save_as(tmp_path / "lesson")
    assert not window.isWindowModified()
    bundle = tmp_path / "lesson.lecture"
    assert (bundle / "project.json").is_file()
    window.document.set_project(Project(Lecture(title="Other")))
    window.open_file(bundle)
    qtbot.waitUntil(lambda: window.load_worker is None, timeout=WAIT_MS)
    lecture = window.document.lecture
    assert lecture.slides[0].script == "A script saved with the lecture."
    assert lecture.slides[0].duration.mode == "fixed"
    assert window.narration.text.toPlainText() == "A script saved with the lecture."
    assert not window.isWindowModified()
    assert bundle.resolve() in window.settings.recent_files()


def test_corrupt_deck_shows_the_core_message(qtbot, window, corpus, monkeypatch):
    import_deck(qtbot, window, corpus / CORRUPT_DECK, monkeypatch)
    box = window.error_box
    assert box is not None and box.isVisible()
    assert CORRUPT_DECK in box.text()
    assert "Traceback" not in box.text()
    assert window.document.lecture.slides == []


def test_export_through_the_dialog_writes_the_video(qtbot, imported, tmp_path):
    window = imported
    dialog = window.export_video(size=(320, 180))
    destination = tmp_path / "out" / "lesson.mp4"
    dialog.destination.setText(str(destination))
    dialog.fps.setCurrentIndex(dialog.fps.findData(25))
    with qtbot.waitSignal(dialog.export_finished, timeout=120_000) as finished:
        dialog.export_button.click()
    assert finished.args == [True], dialog.status.text()
    assert destination.is_file() and destination.stat().st_size > 1000
    assert dialog.result.duration > 1
    assert dialog.show_folder.isVisible()
    assert destination.with_suffix(".srt").is_file()

    import av

    with av.open(str(destination)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        assert video.average_rate == 25
        assert container.streams.audio


def test_cancelled_export_leaves_no_file(qtbot, imported, tmp_path, monkeypatch):
    from lecture_studio.slides import SlideRenderer

    draw = SlideRenderer.draw
    drawing = threading.Event()

    def slow_draw(self, slide):  # the export is still running when Cancel is clicked
        drawing.set()
        time.sleep(0.5)
        return draw(self, slide)

    monkeypatch.setattr(SlideRenderer, "draw", slow_draw)
    window = imported
    dialog = window.export_video(size=(320, 180))
    destination = tmp_path / "cancelled.mp4"
    dialog.destination.setText(str(destination))
    with qtbot.waitSignal(dialog.export_finished, timeout=120_000) as finished:
        dialog.export_button.click()
        qtbot.waitUntil(drawing.is_set, timeout=60_000)
        dialog.cancel_button.click()
    assert finished.args == [False]
    assert "cancelled" in dialog.status.text().lower()
    assert not destination.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".mp4" or "partial" in p.name]


def test_restore_from_an_autosave(qtbot, tmp_path):
    recovery_dir = tmp_path / "recovery"
    lecture = Lecture(title="Crashed lecture", slides=[Slide(title="One", script="Kept words.")])
    bundle = recovery_dir / "abc.lecture"
    Project(lecture).save(bundle)
    (bundle / ORIGIN_FILE).write_text(json.dumps({"title": "Crashed lecture"}), encoding="utf-8")
    recoveries = find_recoveries(recovery_dir)
    assert [r.title for r in recoveries] == ["Crashed lecture"]

    settings = EditorSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, recovery_dir=recovery_dir)
    window.ask_to_save = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    asked = []
    assert window.offer_recovery(recoveries, ask=lambda r: asked.append(r.title) or True)
    assert asked == ["Crashed lecture"]
    assert window.document.lecture.slides[0].script == "Kept words."
    assert window.document.project.path is None  # never saved into the recovery folder
    assert window.isWindowModified()
    assert not bundle.exists()


def test_autosave_writes_a_recovery_bundle_that_a_new_editor_finds(qtbot, imported, tmp_path):
    window = imported
    window.narration.text.setPlainText("Unsaved words.")
    worker = window.autosaver.save_now()
    assert worker is not None
    with qtbot.waitSignal(worker.finished, timeout=WAIT_MS):
        pass
    bundle = window.autosaver.bundle
    assert json.loads((bundle / "project.json").read_text())["lecture"]["slides"][0]["script"] == (
        "Unsaved words."
    )
    assert find_recoveries(bundle.parent) == []  # locked: this editor is still running
    window.autosaver.discard()
    assert not bundle.exists()


def test_import_and_export_run_off_the_gui_thread(
    qtbot, window, corpus, tmp_path, gui_thread_heavy_calls, monkeypatch
):
    """While a deck is imported, drawn and exported, the GUI thread never enters the deck
    parser, LibreOffice, the narration engines or the encoder: the window stays responsive
    however slow the machine. (``benchmarks/gui_stalls.py`` measures the stalls themselves.)"""
    # A cache of its own: converting, narrating and encoding all happen while it is watched.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with gui_thread_heavy_calls() as calls:
        window.open_file(corpus / TWO_SLIDE_DECK)
        qtbot.waitUntil(lambda: window.load_worker is None, timeout=WAIT_MS)
        wait_for_pictures(qtbot, window)
        dialog = window.export_video(size=(320, 180))
        dialog.destination.setText(str(tmp_path / "offthread.mp4"))
        with qtbot.waitSignal(dialog.export_finished, timeout=120_000):
            dialog.export_button.click()
    assert (tmp_path / "offthread.mp4").stat().st_size > 0
    assert calls == [], f"the GUI thread ran heavy code: {sorted(set(calls))[:10]}"


def test_japanese_interface(qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication, QLocale

    from lecture_studio.gui.i18n import install_translators, remove_translators, ui_language

    assert ui_language("system", QLocale(QLocale.Language.Japanese)) == "ja"
    assert ui_language("system", QLocale(QLocale.Language.English)) == "en"
    assert ui_language("ja", QLocale(QLocale.Language.English)) == "ja"
    app = QCoreApplication.instance()
    translators = install_translators(app, "ja")
    try:
        settings = EditorSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings, recovery_dir=tmp_path / "recovery")
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus[0] == "ファイル(&F)"
        assert window.export_action.text() == "動画を書き出す(&E)..."
        combo = window.properties.transition_kind
        assert combo.itemText(combo.findData("crossfade")) == "クロスフェード"
    finally:
        remove_translators(app, translators)
    qtbot.waitUntil(lambda: Worker.active_count() == 0, timeout=WAIT_MS)


def test_the_gui_thread_recorder_sees_heavy_calls_on_this_thread_only(gui_thread_heavy_calls):
    """The instrument behind the off-the-GUI-thread tests: a call on this thread is listed,
    the same call on a worker thread is not."""
    import numpy as np

    from lecture_studio.narration.loudness import true_peak_dbtp

    samples = np.full(480, 0.5, np.float32)
    with gui_thread_heavy_calls() as calls:
        worker = threading.Thread(target=true_peak_dbtp, args=(samples,))
        worker.start()
        worker.join()
    assert calls == []
    with gui_thread_heavy_calls() as calls:
        true_peak_dbtp(samples)
    assert any(call.endswith("loudness.py:true_peak_dbtp") for call in calls)

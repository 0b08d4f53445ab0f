"""The export dialog's "read the slide's text aloud" checkbox: one undoable lecture setting that
the editor's timeline and the export both follow."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock  # noqa: E402
from lecture_studio.model.timeline import SAMPLE_RATE  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

WAIT_MS = 120_000


def lecture_without_notes() -> Lecture:
    lecture = Lecture(title="Sugar")
    lecture.slides = [
        Slide(title="Photosynthesis", script="Plants turn light into sugar."),
        Slide(
            title="Glucose and starch",
            body=[TextBlock([Paragraph("Plants store glucose"), Paragraph("as starch")])],
        ),
    ]
    return lecture


def test_the_checkbox_sets_the_lecture_setting_undoably_and_the_timeline_follows(qtbot, window):
    window.document.set_project(Project(lecture_without_notes()))
    bare = window.document.lecture.slides[1]
    dialog = window.export_video(size=(320, 180))
    box = dialog.narrate_slide_text
    assert not box.isChecked() and bare.id not in window.document.narration_lengths()
    silent = window.document.timeline().slides[1]

    box.click()
    assert window.document.lecture.style.narrate_slide_text is True
    assert window.isWindowModified()
    assert window.document.narration_lengths()[bare.id] > 0  # the title and bullets, estimated
    spoken = window.document.timeline().slides[1]
    assert spoken.narration_samples > 0 and spoken.narration_start > spoken.start_sample
    assert silent.narration_samples == 0

    window.undo_action.trigger()
    assert window.document.lecture.style.narrate_slide_text is False
    assert not box.isChecked()  # the dialog shows the undone setting
    window.redo_action.trigger()
    assert box.isChecked() and window.document.lecture.style.narrate_slide_text is True


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_an_export_with_the_box_ticked_speaks_and_captions_the_slide_text(qtbot, window, tmp_path):
    window.document.set_project(Project(lecture_without_notes()))
    dialog = window.export_video(size=(320, 180))
    dialog.narrate_slide_text.click()
    destination = tmp_path / "sugar.mp4"
    dialog.destination.setText(str(destination))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS) as finished:
        dialog.export_button.click()
    assert finished.args == [True], dialog.status.text()
    captions = destination.with_suffix(".srt").read_text(encoding="utf-8")
    assert "Glucose and starch." in captions and "store glucose" in captions
    assert not any("nothing to narrate" in note for note in dialog.result.notes)
    second = dialog.result.timeline.slides[1]
    assert second.narration_samples > 0.5 * SAMPLE_RATE

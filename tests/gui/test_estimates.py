"""Word counts and spoken-length estimates shown before any narration is synthesized."""

from __future__ import annotations

import re

import pytest

from lecture_studio.model import Lecture, Slide
from lecture_studio.model.estimates import (
    count_words,
    estimate_speech_seconds,
    estimated_narration_samples,
)
from lecture_studio.project import Project


def test_word_counts_latin_and_japanese():
    assert count_words("Plants turn light into energy.") == 5
    assert count_words("光合成について学びます") == 6  # 11 characters, about two per word
    assert count_words("") == 0


def test_estimates_grow_with_text_and_shrink_with_rate():
    short = estimate_speech_seconds("One short sentence.")
    long = estimate_speech_seconds("One short sentence. " * 10)
    assert 0.5 < short < 2.5
    assert long > 9 * short
    assert estimate_speech_seconds("One short sentence. " * 10, rate=2.0) < long * 0.6
    assert estimate_speech_seconds("   ") == 0.0


def test_english_estimate_is_near_the_measured_engine_speed():
    text = (
        "Welcome to this lecture about photosynthesis. Plants turn light into chemical energy. "
        "Today we look at the light reactions and the Calvin cycle, step by step, with examples."
    )
    assert 9.0 < estimate_speech_seconds(text) < 12.5  # espeak-ng spoke it in 10.8 s


def test_known_lengths_win_over_estimates_and_recordings_without_length_are_left_out():
    lecture = Lecture(
        slides=[
            Slide(id="a", script="Some words here."),
            Slide(id="b", script="Other words."),
            Slide(id="c", script=""),
        ]
    )
    lecture.slides[1].narration.source = "recording"
    lengths = estimated_narration_samples(lecture, 48_000, known={"a": 96_000})
    assert lengths == {"a": 96_000}


# --- the lecture's length in the status bar, and the export's time left ----------------------
def _shown_length(window) -> float:
    """The m:ss the status bar shows, in seconds."""
    match = re.search(r"(\d+):(\d\d)$", window.length_label.text())
    assert match, window.length_label.text()
    return int(match[1]) * 60 + int(match[2])


def test_the_status_bar_length_is_the_exported_videos_length(qtbot, window, tmp_path):
    pytest.importorskip("pytestqt")
    from instruments.mp4inspect import inspect_mp4

    lecture = Lecture(
        title="Photosynthesis",
        slides=[
            Slide(id="a", title="Photosynthesis", script="Plants turn light into energy."),
            Slide(id="b", title="Light", script="Today we look at the light reactions."),
            Slide(id="c", title="Summary", script="Plants store the energy as sugar."),
        ],
    )
    window.document.set_project(Project(lecture))
    qtbot.waitUntil(lambda: window.document.voices is not None, timeout=60_000)
    dialog = window.export_video(size=(320, 180))
    for box in (dialog.captions, dialog.chapters, dialog.thumbnail):
        box.setChecked(False)
    video = tmp_path / "photosynthesis.mp4"
    dialog.destination.setText(str(video))
    with qtbot.waitSignal(dialog.export_finished, timeout=120_000) as finished:
        dialog.export_button.click()
    assert finished.args == [True], dialog.status.text()
    seconds = inspect_mp4(video).duration
    shown = window.document.timeline().duration
    assert abs(shown - seconds) <= 0.02 * seconds
    assert shown == pytest.approx(seconds, abs=1 / lecture.output.fps)  # to the frame, in fact
    assert _shown_length(window) == round(seconds)

    window.slide_list.setCurrentRow(0)  # an edit makes that slide's length an estimate again
    window.narration.text.setPlainText(" ".join(["word"] * 40) + ".")
    assert window.document.timeline().duration > seconds + 10


def test_the_export_dialog_shows_the_shared_time_left_estimate(window):
    pytest.importorskip("pytestqt")
    from lecture_studio.gui.export_dialog import ExportDialog
    from lecture_studio.time_left import TimeLeft

    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    dialog = ExportDialog(window.document, window.settings, window, clock=clock)
    dialog.time_left = TimeLeft(clock)  # as start_export makes it
    reference = TimeLeft(clock)
    for step in range(0, 41):  # 80 s at 1.25 % a second, reported twice a second
        clock.now = step * 0.5
        fraction = step * 0.5 / 80
        dialog._on_progress(fraction, "Encoding video")
        left = reference.update(fraction)
    assert left == pytest.approx(60.0, abs=0.5)
    assert dialog.status.text() == "Encoding video - about 1:00 left"
    assert dialog.progress.value() == 250

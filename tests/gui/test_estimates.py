"""Word counts and spoken-length estimates shown before any narration is synthesized."""

from __future__ import annotations

from lecture_studio.model import Lecture, Slide
from lecture_studio.model.estimates import (
    count_words,
    estimate_speech_seconds,
    estimated_narration_samples,
)


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

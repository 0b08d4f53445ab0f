"""Narration is spoken once per distinct text: later runs load it from the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lecture_studio.narration import NarrationClip, TimedText, synthesize_cached


class CountingEngine:
    """A fake engine: a tone whose length follows the text; counts what it was asked."""

    name = "counting"

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.spoken: list[tuple[str, str | None, float]] = []

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        self.spoken.append((text, voice, rate))
        n = round(48000 * 0.05 * len(text) / rate)
        t = np.arange(n) / 48000
        samples = (0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
        return NarrationClip(samples, 48000, (TimedText(0.0, n / 48000, text),))

    def voices(self) -> list[str]:
        return ["a", "b"]

    def available(self) -> bool:
        return True


def test_second_synthesis_of_the_same_text_does_not_call_the_engine(tmp_path: Path) -> None:
    engine = CountingEngine()
    first = synthesize_cached(engine, "Welcome to the course.", None, 1.0, tmp_path)
    second = synthesize_cached(engine, "Welcome to the course.", None, 1.0, tmp_path)
    assert engine.spoken == [("Welcome to the course.", None, 1.0)]
    assert np.array_equal(first.samples, second.samples)
    assert second.sentences == (TimedText(0.0, first.duration, "Welcome to the course."),)
    assert second.duration == first.duration


def test_a_fresh_engine_object_reads_what_an_earlier_run_saved(tmp_path: Path) -> None:
    synthesize_cached(CountingEngine(), "Same words.", "a", 1.0, tmp_path)
    later = CountingEngine()
    clip = synthesize_cached(later, "Same words.", "a", 1.0, tmp_path)
    assert later.spoken == []
    assert clip.sentences[0].text == "Same words."


def test_only_changed_texts_voices_rates_or_versions_are_spoken_again(tmp_path: Path) -> None:
    engine = CountingEngine()
    for text in ["Slide one.", "Slide two.", "Slide three."]:
        synthesize_cached(engine, text, None, 1.0, tmp_path)
    engine.spoken.clear()

    for text in ["Slide one.", "Slide two, edited.", "Slide three."]:
        synthesize_cached(engine, text, None, 1.0, tmp_path)
    synthesize_cached(engine, "Slide one.", "b", 1.0, tmp_path)
    synthesize_cached(engine, "Slide one.", None, 1.25, tmp_path)
    assert engine.spoken == [
        ("Slide two, edited.", None, 1.0),
        ("Slide one.", "b", 1.0),
        ("Slide one.", None, 1.25),
    ]

    upgraded = CountingEngine(version="2")
    synthesize_cached(upgraded, "Slide one.", None, 1.0, tmp_path)
    assert upgraded.spoken == [("Slide one.", None, 1.0)]


def test_the_engine_gets_cleaned_text_and_markup_changes_do_not_respeak(tmp_path: Path) -> None:
    engine = CountingEngine()
    synthesize_cached(engine, "• Read <b>this</b> https://a.org", None, 1.0, tmp_path)
    synthesize_cached(engine, "- Read this https://b.org", None, 1.0, tmp_path)
    assert engine.spoken == [("Read this.", None, 1.0)]


def test_empty_narration_needs_no_engine(tmp_path: Path) -> None:
    engine = CountingEngine()
    clip = synthesize_cached(engine, "  • https://only.a/link  ", None, 1.0, tmp_path)
    assert clip.duration == 0.0
    assert engine.spoken == []


def test_a_damaged_cache_entry_is_spoken_again(tmp_path: Path) -> None:
    engine = CountingEngine()
    synthesize_cached(engine, "Fragile.", None, 1.0, tmp_path)
    (entry,) = tmp_path.glob("narration/*.npz")
    entry.write_bytes(entry.read_bytes()[:40])
    clip = synthesize_cached(engine, "Fragile.", None, 1.0, tmp_path)
    assert len(engine.spoken) == 2
    assert clip.duration > 0
    assert synthesize_cached(engine, "Fragile.", None, 1.0, tmp_path).duration == clip.duration
    assert len(engine.spoken) == 2


def test_samples_survive_the_cache_within_16_bit_precision(tmp_path: Path) -> None:
    engine = CountingEngine()
    synthesize_cached(engine, "Precise.", None, 1.0, tmp_path)
    fresh = engine.synthesize("Precise.", None, 1.0)
    loaded = synthesize_cached(engine, "Precise.", None, 1.0, tmp_path)
    assert len(loaded.samples) == len(fresh.samples)
    assert np.max(np.abs(loaded.samples - fresh.samples)) < 1e-4


def test_real_engines_and_the_fake_offer_the_engine_interface() -> None:
    from lecture_studio.narration import NarrationEngine, OpenJTalkEngine, Pyttsx3Engine

    for engine in (CountingEngine(), Pyttsx3Engine(), OpenJTalkEngine()):
        assert isinstance(engine, NarrationEngine)

"""Every engine's clip carries word times: monotonic, inside the clip, covering the text, moved
with the trimming and the joining of sentences, kept by the cache, marked when estimated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_studio.narration.cache import synthesize_cached
from lecture_studio.narration.clip import (
    SAMPLE_RATE,
    WORD_TIMING_ENGINE,
    WORD_TIMING_ESTIMATE,
    NarrationClip,
    TimedText,
)
from lecture_studio.narration.engine import SpokenSentence, speak_sentences
from lecture_studio.narration.espeak import Pyttsx3Engine
from lecture_studio.narration.openjtalk import OpenJTalkEngine
from lecture_studio.narration.words import align_words, split_words


def tone(seconds: float, silence_before: float = 0.0) -> np.ndarray:
    """A 220 Hz tone after ``silence_before`` seconds of digital silence."""
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    sound = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    return np.concatenate([np.zeros(round(silence_before * SAMPLE_RATE), np.float32), sound])


def assert_well_formed(clip: NarrationClip) -> None:
    """Words in order, none overlapping, all inside their sentence and the clip."""
    assert clip.words
    for before, after in zip(clip.words, clip.words[1:], strict=False):
        assert before.start <= before.end <= after.start <= after.end
    assert clip.words[0].start >= 0.0 and clip.words[-1].end <= clip.duration
    for word in clip.words:
        assert any(s.start <= word.start and word.end <= s.end for s in clip.sentences)


def spans(words: tuple[TimedText, ...]) -> list[float]:
    """The words' start and end times, flat (pytest.approx takes flat lists)."""
    return [t for word in words for t in (word.start, word.end)]


def units(start: float, count: int, each: float = 0.1) -> list[tuple[float, float]]:
    return [(start + i * each, start + (i + 1) * each) for i in range(count)]


def test_split_words_keeps_punctuation_with_words() -> None:
    assert split_words("Hello, world - again!") == ["Hello,", "world -", "again!"]
    assert split_words("— Well said.") == ["— Well", "said."]
    assert split_words(" ... ") == []


def test_words_pair_one_to_one_with_the_voices_words() -> None:
    timed = align_words(["Plants", "grow."], [5, 4], [units(0.0, 5), units(0.6, 4)])
    assert spans(timed) == pytest.approx([0.0, 0.5, 0.6, 1.0])


def test_words_the_voice_joined_share_its_word() -> None:
    # "in the" spoken as one phoneme word of 4 units, then "year" (3 units).
    timed = align_words(["in", "the", "year"], [2, 2, 3], [units(0.0, 4), units(0.5, 3)])
    assert [w.text for w in timed] == ["in", "the", "year"]
    assert spans(timed) == pytest.approx([0.0, 0.2, 0.2, 0.4, 0.5, 0.8])


def test_a_word_the_voice_read_as_several_takes_them_all() -> None:
    # "1990" read as "nineteen ninety" (two phoneme words), then "began".
    segments = [units(0.0, 7), units(0.8, 5), units(1.4, 5)]
    timed = align_words(["1990", "began."], [12, 5], segments)
    assert spans(timed) == pytest.approx([0.0, 1.3, 1.4, 1.9])


def test_word_times_move_with_trimming_and_joining() -> None:
    # Sentence one: 0.5 s of silence, then 1 s of sound with two words the engine timed.
    first = SpokenSentence(
        tone(1.0, silence_before=0.5),
        (TimedText(0.5, 0.9, "Green"), TimedText(1.0, 1.5, "leaves.")),
    )
    sentences = {"Green leaves.": first, "They grow.": SpokenSentence(tone(0.8), None)}
    clip = speak_sentences(list(sentences), sentences.__getitem__, 1.0)
    trimmed = 0.5 - 0.04  # the silence cut before the sound, less the margin kept
    sample = 1.5 / SAMPLE_RATE  # the tone's first sample is 0: trimming starts one later
    assert clip.words[0].start == pytest.approx(0.5 - trimmed, abs=sample)
    assert clip.words[1].end == pytest.approx(1.5 - trimmed, abs=sample)
    second = clip.sentences[1]
    assert [w.text for w in clip.words[2:]] == ["They", "grow."]
    assert clip.words[2].start == pytest.approx(second.start)
    assert clip.words[3].end == pytest.approx(second.end)
    # One sentence had no word times: the clip says its words are (partly) estimated.
    assert clip.word_timing == WORD_TIMING_ESTIMATE
    assert_well_formed(clip)


def test_estimated_words_share_the_sentence_by_length() -> None:
    clip = speak_sentences(["Hi there."], lambda s: tone(1.0), 1.0)
    hi, there = clip.words
    assert clip.word_timing == WORD_TIMING_ESTIMATE
    assert (hi.text, there.text) == ("Hi", "there.")
    assert (there.end - there.start) / (hi.end - hi.start) == pytest.approx(6 / 2)


class _TimedEngine:
    """An engine whose one sentence has engine word times (for the cache)."""

    name = "timed-test"
    version = "1"

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        words = (TimedText(0.1, 0.4, "Word"), TimedText(0.5, 0.9, "timing."))
        return speak_sentences(
            [text], lambda s: SpokenSentence(tone(1.0, silence_before=0.04), words), rate
        )

    def voices(self) -> list[str]:
        return []

    def available(self) -> bool:
        return True


def test_the_cache_keeps_words_and_how_they_were_timed(tmp_path: Path) -> None:
    fresh = synthesize_cached(_TimedEngine(), "Word timing.", None, 1.0, tmp_path)
    cached = synthesize_cached(_TimedEngine(), "Word timing.", None, 1.0, tmp_path)
    assert len(list(tmp_path.glob("narration/*.npz"))) == 1
    assert fresh.word_timing == cached.word_timing == WORD_TIMING_ENGINE
    assert cached.words == fresh.words
    assert [w.text for w in cached.words] == ["Word", "timing."]


def test_open_jtalk_times_each_phrase_from_its_phoneme_durations() -> None:
    engine = OpenJTalkEngine()
    if not engine.available():
        pytest.skip("Open JTalk (pyopenjtalk-plus) is not installed")
    sentence = "植物は光から糖を作ります。"
    clip = engine.synthesize(sentence, None, 1.0)
    assert clip.word_timing == WORD_TIMING_ENGINE
    assert "".join(w.text for w in clip.words) == sentence  # phrases cover the sentence
    assert len(clip.words) >= 3
    assert_well_formed(clip)
    # The phrases follow the voice: no phrase is squeezed to nothing or stretched over half.
    assert all(0.1 < w.end - w.start < clip.duration / 2 for w in clip.words)


def test_the_system_voice_gives_an_estimate_marked_as_such() -> None:
    engine = Pyttsx3Engine()
    if not engine.available():
        pytest.skip("no system voice (pyttsx3 with espeak-ng)")
    clip = engine.synthesize("Leaves are green.", None, 1.0)
    assert clip.word_timing == WORD_TIMING_ESTIMATE
    assert [w.text for w in clip.words] == ["Leaves", "are", "green."]
    assert_well_formed(clip)

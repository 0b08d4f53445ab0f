"""The interface every text-to-speech engine offers, and the sentence-by-sentence assembly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import LectureStudioError
from .clip import (
    SAMPLE_RATE,
    WORD_TIMING_ENGINE,
    WORD_TIMING_ESTIMATE,
    NarrationClip,
    TimedText,
    estimate_word_timings,
    join_sentences,
    place_words,
    sound_bounds,
)
from .words import split_words

# Silence between two sentences at rate 1.0 (it shrinks as the rate goes up).
SENTENCE_PAUSE_SECONDS = 0.4
# Highest sample an engine's clip may have (a little under full scale).
_MAX_PEAK = 10 ** (-0.5 / 20)


class NarrationError(LectureStudioError):
    """Text could not be turned into speech (engine missing, unknown voice, engine failure)."""


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine can speak with, as the voice lists of both faces show it."""

    engine: str  #: the engine's ``name``
    voice: str  #: the identifier ``synthesize`` accepts
    language: str  #: BCP-47 code of the language it speaks ("en-US", "de", "ja"), "" if unknown
    label: str  #: a short human name ("joe", "thorsten", "Mei")
    neural: bool = False  #: a neural voice (preferred over formant/system voices)
    installed: bool = True  #: False for a voice that can be downloaded but is not on disk


def language_tag(code: str) -> str:
    """A language code as VoiceInfo writes it (BCP-47 case): "en_US" and "en-us" give
    "en-US", "de" stays "de", private parts stay as they are ("en-GB-x-rp")."""
    parts = code.strip().replace("_", "-").split("-")
    if not parts[0]:
        return ""
    tags = [parts[0].lower()]
    private = False
    for part in parts[1:]:
        tags.append(part.upper() if len(part) == 2 and not private else part)
        private = private or part.lower() == "x"
    return "-".join(tags)


@runtime_checkable
class NarrationEngine(Protocol):
    """A text-to-speech engine: speaks text as a NarrationClip with one cue per sentence."""

    #: Short stable identifier, e.g. "pyttsx3" or "openjtalk" (part of the cache key).
    name: str

    @property
    def version(self) -> str:
        """What changes when the same text would sound different (engine and voice data)."""
        ...

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        """Speak ``text`` with ``voice`` (None: the engine's default) at ``rate`` (1.0 normal)."""
        ...

    def voices(self) -> list[str]:
        """The voice identifiers ``synthesize`` accepts."""
        ...

    def available(self) -> bool:
        """Whether the engine can run on this machine (library and voice data installed)."""
        ...

    # Optional: ``describe_voices() -> list[VoiceInfo]``, each voice with its language and a
    # label (the built-in engines have it). Callers go through ``describe_engine_voices``,
    # which falls back to ``voices()`` for plugin engines without it.


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence as an engine spoke it: 48 kHz mono samples and, when the engine knows
    them, its words' times in seconds from the first sample (None: the engine gives none)."""

    samples: np.ndarray
    words: tuple[TimedText, ...] | None = None


def describe_engine_voices(engine: NarrationEngine) -> list[VoiceInfo]:
    """``engine``'s voices with their languages: its own ``describe_voices()`` when it has
    one, else each of ``voices()`` with an unknown language (plugin engines)."""
    describe = getattr(engine, "describe_voices", None)
    if callable(describe):
        return list(describe())
    prefix = f"{engine.name}:"  # a plugin's guard lists its voices as "ENGINE:VOICE"
    names = [v[len(prefix) :] if v.startswith(prefix) else v for v in engine.voices()]
    return [VoiceInfo(engine.name, name, "", name) for name in names if name]


def check_rate(rate: float) -> float:
    """``rate`` as a float, or a NarrationError when it is not a usable speed."""
    if not np.isfinite(rate) or not 0.25 <= rate <= 4.0:
        raise NarrationError(
            f"The speaking rate {rate} is out of range; choose a rate between 0.25 and 4."
        )
    return float(rate)


def speak_sentences(
    sentences: list[str],
    speak_one: Callable[[str], np.ndarray | SpokenSentence],
    rate: float,
) -> NarrationClip:
    """Speak each sentence on its own and lay them end to end with a fixed pause.

    ``speak_one`` returns 48 kHz mono float32 samples for one sentence, or a SpokenSentence
    with its word times. The silence each engine leaves around a sentence is trimmed, so
    sentence cues start and end on the voice and the pause between sentences is the same
    whatever the engine; word times move with the trimming. A sentence without word times
    gets an estimate (its time shared among its words by their length) and the clip is then
    marked ``word_timing="estimate"``. Samples stay within [-1, 1]: an engine that
    overshoots (Open JTalk's vowels can reach twice full scale) gets the whole clip turned
    down, never clipped.
    """
    spoken: list[tuple[str, np.ndarray]] = []
    sentence_words: list[tuple[TimedText, ...]] = []
    estimated = False
    for sentence in sentences:
        result = speak_one(sentence)
        if isinstance(result, SpokenSentence):
            samples, words = np.asarray(result.samples), result.words
        else:
            samples, words = np.asarray(result), None
        first, stop = sound_bounds(samples, SAMPLE_RATE)
        if stop <= first:
            continue
        duration = (stop - first) / SAMPLE_RATE
        if words is None:
            estimated = True
            whole = TimedText(0.0, duration, sentence)
            words = estimate_word_timings(
                whole, [(word, float(len(word))) for word in split_words(sentence)]
            )
        else:
            words = place_words(words, -first / SAMPLE_RATE, 0.0, duration)
        spoken.append((sentence, samples[first:stop]))
        sentence_words.append(words)
    timing = WORD_TIMING_ESTIMATE if estimated else WORD_TIMING_ENGINE
    clip = join_sentences(
        spoken, SENTENCE_PAUSE_SECONDS / rate, SAMPLE_RATE, sentence_words, timing
    )
    peak = float(np.max(np.abs(clip.samples))) if clip.samples.size else 0.0
    if peak <= _MAX_PEAK:
        return clip
    return NarrationClip(
        clip.samples * np.float32(_MAX_PEAK / peak),
        SAMPLE_RATE,
        clip.sentences,
        clip.words,
        clip.word_timing,
    )

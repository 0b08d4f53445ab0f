"""The interface every text-to-speech engine offers, and the sentence-by-sentence assembly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import LectureStudioError
from .clip import SAMPLE_RATE, NarrationClip, join_sentences, trim_silence

# Silence between two sentences at rate 1.0 (it shrinks as the rate goes up).
SENTENCE_PAUSE_SECONDS = 0.4
# Highest sample an engine's clip may have (a little under full scale).
_MAX_PEAK = 10 ** (-0.5 / 20)


class NarrationError(LectureStudioError):
    """Text could not be turned into speech (engine missing, unknown voice, engine failure)."""


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


def check_rate(rate: float) -> float:
    """``rate`` as a float, or a NarrationError when it is not a usable speed."""
    if not np.isfinite(rate) or not 0.25 <= rate <= 4.0:
        raise NarrationError(
            f"The speaking rate {rate} is out of range; choose a rate between 0.25 and 4."
        )
    return float(rate)


def speak_sentences(
    sentences: list[str],
    speak_one: Callable[[str], np.ndarray],
    rate: float,
) -> NarrationClip:
    """Speak each sentence on its own and lay them end to end with a fixed pause.

    ``speak_one`` returns 48 kHz mono float32 samples for one sentence. The silence each
    engine leaves around a sentence is trimmed, so sentence cues start and end on the voice
    and the pause between sentences is the same whatever the engine. Samples stay within
    [-1, 1]: an engine that overshoots (Open JTalk's vowels can reach twice full scale) gets
    the whole clip turned down, never clipped.
    """
    spoken: list[tuple[str, np.ndarray]] = []
    for sentence in sentences:
        samples = trim_silence(speak_one(sentence), SAMPLE_RATE)
        if samples.size:
            spoken.append((sentence, samples))
    clip = join_sentences(spoken, SENTENCE_PAUSE_SECONDS / rate, SAMPLE_RATE)
    peak = float(np.max(np.abs(clip.samples))) if clip.samples.size else 0.0
    if peak <= _MAX_PEAK:
        return clip
    return NarrationClip(clip.samples * np.float32(_MAX_PEAK / peak), SAMPLE_RATE, clip.sentences)

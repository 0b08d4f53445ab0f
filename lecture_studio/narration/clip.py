"""NarrationClip: a span of spoken audio (48 kHz mono float32) with its sentence timings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model.timeline import SAMPLE_RATE

# NarrationClip.word_timing: where the word times come from.
WORD_TIMING_ENGINE = "engine"  # the voice's own timeline (phoneme alignments or durations)
WORD_TIMING_ESTIMATE = "estimate"  # each sentence's time shared among its words by length


@dataclass(frozen=True)
class TimedText:
    """A piece of text spoken from ``start`` to ``end`` seconds after the clip starts."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class NarrationClip:
    """Mono float32 samples at ``sample_rate`` and the timings of what is said in them.

    The length of ``samples`` is exact: the timeline places clips by sample count.
    """

    samples: np.ndarray
    sample_rate: int = SAMPLE_RATE
    sentences: tuple[TimedText, ...] = ()
    words: tuple[TimedText, ...] = field(default=())
    #: WORD_TIMING_ENGINE, WORD_TIMING_ESTIMATE, or "" when ``words`` is empty or unknown
    word_timing: str = ""

    def __post_init__(self) -> None:
        samples = np.ascontiguousarray(self.samples, dtype=np.float32).view()
        if samples.ndim != 1:
            raise ValueError(f"narration samples must be mono (1-D), got shape {samples.shape}")
        if self.sample_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {self.sample_rate}")
        samples.setflags(write=False)
        object.__setattr__(self, "samples", samples)
        object.__setattr__(self, "sentences", tuple(self.sentences))
        object.__setattr__(self, "words", tuple(self.words))

    @property
    def duration(self) -> float:
        """Length in seconds (sample count / sample rate)."""
        return len(self.samples) / self.sample_rate

    @property
    def text(self) -> str:
        """Everything said in the clip, sentence after sentence."""
        return " ".join(s.text for s in self.sentences)


def silence(seconds: float, sample_rate: int = SAMPLE_RATE) -> NarrationClip:
    """A clip of ``seconds`` of digital silence (rounded to whole samples)."""
    if seconds < 0:
        raise ValueError(f"a silence cannot last {seconds} seconds")
    return NarrationClip(np.zeros(round(seconds * sample_rate), dtype=np.float32), sample_rate)


def join_sentences(
    spoken: list[tuple[str, np.ndarray]],
    pause_seconds: float,
    sample_rate: int = SAMPLE_RATE,
    words: Sequence[Sequence[TimedText]] | None = None,
    word_timing: str = "",
) -> NarrationClip:
    """Lay sentences end to end with ``pause_seconds`` between them; each gets an exact cue.

    ``spoken`` holds (sentence text, its samples with the silence around it already trimmed).
    ``words``, when given, holds each sentence's word times in seconds from the sentence's
    first (trimmed) sample; they are moved to the sentence's place in the clip and kept
    inside its cue.
    """
    pause = np.zeros(round(pause_seconds * sample_rate), dtype=np.float32)
    pieces: list[np.ndarray] = []
    cues: list[TimedText] = []
    timed_words: list[TimedText] = []
    position = 0
    for index, (text, samples) in enumerate(spoken):
        if index:
            pieces.append(pause)
            position += len(pause)
        cue = TimedText(position / sample_rate, (position + len(samples)) / sample_rate, text)
        cues.append(cue)
        if words is not None:
            timed_words += place_words(words[index], cue.start, cue.start, cue.end)
        pieces.append(np.asarray(samples, dtype=np.float32))
        position += len(samples)
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return NarrationClip(
        samples, sample_rate, tuple(cues), tuple(timed_words), word_timing if timed_words else ""
    )


def place_words(
    words: Sequence[TimedText], offset: float, first: float, last: float
) -> tuple[TimedText, ...]:
    """``words`` moved by ``offset`` seconds and kept within [``first``, ``last``], each
    starting at or after the previous one's end (a word cut off entirely keeps zero length)."""
    placed: list[TimedText] = []
    previous_end = first
    for word in words:
        start = min(max(word.start + offset, previous_end), last)
        end = min(max(word.end + offset, start), last)
        placed.append(TimedText(start, end, word.text))
        previous_end = end
    return tuple(placed)


def estimate_word_timings(
    cue: TimedText, words: Sequence[tuple[str, float]]
) -> tuple[TimedText, ...]:
    """Estimated timings for an engine that gives none: ``cue``'s span shared among ``words``
    ((text, weight) in spoken order, e.g. a word's characters or a phrase's morae) in
    proportion to their weights, end to end. Only an estimate: the real voice lingers on some
    sounds and hurries others. Words of zero weight get no time and are left out."""
    total = sum(max(0.0, weight) for _, weight in words)
    if total <= 0 or cue.end <= cue.start:
        return ()
    span = cue.end - cue.start
    timed: list[TimedText] = []
    spent = 0.0
    for text, weight in words:
        if weight <= 0:
            continue
        start = cue.start + span * spent / total
        spent += weight
        end = cue.start + span * spent / total
        timed.append(TimedText(start, min(end, cue.end), text))
    return tuple(timed)


def trim_silence(
    samples: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    threshold: float = 10 ** (-50 / 20),
    margin_seconds: float = 0.04,
) -> np.ndarray:
    """Cut the near-silence (below ``threshold``) before and after the sound, keeping a margin.

    An all-silent input gives an empty array.
    """
    first, stop = sound_bounds(samples, sample_rate, threshold, margin_seconds)
    return samples[first:stop]


def sound_bounds(
    samples: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    threshold: float = 10 ** (-50 / 20),
    margin_seconds: float = 0.04,
) -> tuple[int, int]:
    """The sample range (first, stop) that ``trim_silence`` keeps; (0, 0) for silence."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return 0, 0
    margin = round(margin_seconds * sample_rate)
    return int(max(0, loud[0] - margin)), int(min(len(samples), loud[-1] + 1 + margin))

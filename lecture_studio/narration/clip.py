"""NarrationClip: a span of spoken audio (48 kHz mono float32) with its sentence timings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 48000


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
) -> NarrationClip:
    """Lay sentences end to end with ``pause_seconds`` between them; each gets an exact cue.

    ``spoken`` holds (sentence text, its samples with the silence around it already trimmed).
    """
    pause = np.zeros(round(pause_seconds * sample_rate), dtype=np.float32)
    pieces: list[np.ndarray] = []
    cues: list[TimedText] = []
    position = 0
    for index, (text, samples) in enumerate(spoken):
        if index:
            pieces.append(pause)
            position += len(pause)
        cues.append(
            TimedText(position / sample_rate, (position + len(samples)) / sample_rate, text)
        )
        pieces.append(np.asarray(samples, dtype=np.float32))
        position += len(samples)
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return NarrationClip(samples, sample_rate, tuple(cues))


def trim_silence(
    samples: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    threshold: float = 10 ** (-50 / 20),
    margin_seconds: float = 0.04,
) -> np.ndarray:
    """Cut the near-silence (below ``threshold``) before and after the sound, keeping a margin.

    An all-silent input gives an empty array.
    """
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples[:0]
    margin = round(margin_seconds * sample_rate)
    return samples[max(0, loud[0] - margin) : min(len(samples), loud[-1] + 1 + margin)]

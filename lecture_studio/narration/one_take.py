"""A lecture recorded in one take, cut into one narration clip per slide.

The teacher talks through the slides and moves on with a key; the recorder notes when each
slide came up. A key press rarely falls in a pause: people press it while finishing a word
or just before starting the next. So each cut moves from the slide change to the nearest
pause within ``SNAP_SECONDS`` (the quietest moment there when none is), and each clip's
leading and trailing silence is trimmed, keeping a little air around the words.

Levels are judged against the take's own noise floor (``recorded.frame_levels``): the same
rules hold for a quiet studio and a noisy laptop microphone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .recorded import FRAME_SECONDS, frame_levels, sound_threshold

SNAP_SECONDS = 0.3
"""A cut moves at most this far from its slide change."""

MIN_PAUSE_SECONDS = 0.03
"""The shortest quiet that counts as a pause between words."""

CLEAR_PAUSE_SECONDS = 0.15
"""A pause at least this long (between phrases, not the closure of a "t" inside a word) is
preferred to a shorter one nearer the change."""

LEAD_SECONDS = 0.1
"""Silence kept before a clip's first sound (soft onsets such as "f" or "h" stay whole)."""

TAIL_SECONDS = 0.2
"""Silence kept after a clip's last sound (word endings decay)."""

_JOIN_SECONDS = 0.15  # sounds closer than this belong together (a final "t" after its vowel)
_MIN_SOUND_SECONDS = 0.06  # a lone sound shorter than this is a click, not speech
_PAUSE_EDGE_SECONDS = 0.05  # inside a pause, a cut keeps this far from its ends where it can
_FADE_SECONDS = 0.005  # each clip fades in and out this fast: a cut never clicks


class TakeError(InputError):
    """The slide change times do not fit the take."""


@dataclass(frozen=True)
class TakeClip:
    """One slide's part of the take.

    ``samples`` (mono float32 at ``sample_rate``) are the take from ``start`` to ``end``
    seconds, its silence trimmed; empty when nothing was said on the slide. ``change`` is
    when the slide came up in the take, ``cut`` where its part begins (the change moved to
    the nearest pause).
    """

    index: int
    samples: np.ndarray
    sample_rate: int
    start: float
    end: float
    change: float
    cut: float

    @property
    def has_speech(self) -> bool:
        return len(self.samples) > 0

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def split_take(samples: np.ndarray, sample_rate: int, changes: Sequence[float]) -> list[TakeClip]:
    """Cut one take into one clip per slide.

    ``changes`` holds the time (seconds from the take's start) at which each slide came up,
    one per slide from the first, in increasing order; the last slide runs to the take's end.
    Every cut after the first slide's moves to the nearest pause within ``SNAP_SECONDS`` of
    its change (or, with none there, to its quietest moment), so that no word is cut; each
    clip's leading and trailing silence is then trimmed (``LEAD_SECONDS`` and
    ``TAIL_SECONDS`` kept). Raises TakeError when the changes do not fit the take.
    """
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, got {sample_rate}")
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim != 1:
        raise ValueError(f"a take must be mono (1-D), got shape {data.shape}")
    length = data.size / sample_rate
    _check_changes(changes, length)
    levels = frame_levels(data, sample_rate)
    threshold = sound_threshold(levels)
    quiet = levels <= threshold
    cuts = [float(changes[0])]
    for index in range(1, len(changes)):
        low = max(cuts[-1], changes[index] - SNAP_SECONDS)
        high = changes[index + 1] if index + 1 < len(changes) else length
        high = min(high, changes[index] + SNAP_SECONDS)
        cuts.append(_snapped(float(changes[index]), low, high, levels, quiet))
    bounds = [round(cut * sample_rate) for cut in cuts] + [data.size]
    clips = []
    for index, change in enumerate(changes):
        first, stop = _trimmed(quiet, bounds[index], bounds[index + 1], sample_rate)
        part = _faded(data[first:stop], sample_rate)
        clips.append(
            TakeClip(
                index,
                part,
                sample_rate,
                first / sample_rate,
                stop / sample_rate,
                float(change),
                cuts[index],
            )
        )
    return clips


def parse_changes(text: str) -> list[float]:
    """'0,12.5,30.1' as seconds; raises TakeError saying what is wrong."""
    changes = []
    for part in text.split(","):
        try:
            value = float(part.strip())
        except ValueError:
            raise TakeError(
                f"{part.strip()!r} is not a time in seconds; give the slide changes like "
                "0,12.5,30.1."
            ) from None
        changes.append(value)
    return changes


def _check_changes(changes: Sequence[float], length: float) -> None:
    if not changes:
        raise TakeError(
            "No slide change times were given; give one per slide, from the first slide's "
            "(e.g. 0,12.5,30.1)."
        )
    for value in changes:
        if not np.isfinite(value) or value < 0:
            raise TakeError(f"The slide change time {value} is not a time in the take.")
    for before, after in zip(changes, changes[1:], strict=False):
        if after <= before:
            raise TakeError(
                f"The slide change times must increase, but {after:g} s comes after {before:g} s."
            )
    if changes[-1] >= length:
        raise TakeError(
            f"The slide change at {changes[-1]:g} s is past the end of the take, which lasts "
            f"{length:.1f} s; check the times or the recording."
        )


def _frame_at(seconds: float) -> int:
    return int(seconds / FRAME_SECONDS)


def _snapped(
    change: float, low: float, high: float, levels: np.ndarray, quiet: np.ndarray
) -> float:
    """Where to cut near ``change``, within [``low``, ``high``] seconds."""
    first, last = _frame_at(low), min(_frame_at(high), levels.size - 1)
    if last < first:
        return change
    best: tuple[bool, float, float] | None = None  # (short pause, distance, cut)
    clear_frames = round(CLEAR_PAUSE_SECONDS / FRAME_SECONDS)
    min_frames = max(1, round(MIN_PAUSE_SECONDS / FRAME_SECONDS))
    for run_first, run_stop in _runs(quiet, first, last + 1):
        # the whole pause, even where it reaches beyond the window
        while run_first > 0 and quiet[run_first - 1]:
            run_first -= 1
        while run_stop < quiet.size and quiet[run_stop]:
            run_stop += 1
        if run_stop - run_first < min_frames:
            continue
        begin, end = run_first * FRAME_SECONDS, run_stop * FRAME_SECONDS
        edge = min(_PAUSE_EDGE_SECONDS, (end - begin) / 2)
        cut = min(max(change, begin + edge), end - edge)
        cut = min(max(cut, low), high)
        candidate = (run_stop - run_first < clear_frames, abs(cut - change), cut)
        if best is None or candidate < best:
            best = candidate
    if best is not None:
        return best[2]
    quietest = first + int(np.argmin(levels[first : last + 1]))
    return min(max((quietest + 0.5) * FRAME_SECONDS, low), high)


def _runs(mask: np.ndarray, first: int, stop: int) -> list[tuple[int, int]]:
    """The runs of True in ``mask[first:stop]`` as (first, stop) frame indices."""
    part = np.concatenate(([False], mask[first:stop], [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(part))
    return [(first + int(a), first + int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _trimmed(quiet: np.ndarray, first: int, stop: int, sample_rate: int) -> tuple[int, int]:
    """The samples of ``first:stop`` to keep: from a little before its first sound to a
    little after its last, clicks ignored; (first, first) when it holds no speech."""
    size = round(FRAME_SECONDS * sample_rate)
    frame_first = first // size
    frame_stop = min(quiet.size, -(-stop // size))
    sounds = _runs(~quiet, frame_first, frame_stop)
    join = round(_JOIN_SECONDS / FRAME_SECONDS)
    groups: list[list[int]] = []
    for run_first, run_stop in sounds:
        if groups and run_first - groups[-1][1] <= join:
            groups[-1][1] = run_stop
        else:
            groups.append([run_first, run_stop])
    shortest = round(_MIN_SOUND_SECONDS / FRAME_SECONDS)
    speech = [group for group in groups if group[1] - group[0] >= shortest]
    if not speech:
        return first, first
    begin = speech[0][0] * size - round(LEAD_SECONDS * sample_rate)
    end = speech[-1][1] * size + round(TAIL_SECONDS * sample_rate)
    return max(first, begin), min(stop, end)


def _faded(part: np.ndarray, sample_rate: int) -> np.ndarray:
    """A copy of ``part`` with a short fade in and out (a cut through sound does not click)."""
    out = np.array(part, dtype=np.float32)
    fade = min(round(_FADE_SECONDS * sample_rate), out.size // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    return out

"""A slide's build animation on the timeline: when each step happens, and how the picture
changes from one build state to the next.

``build_step_frames`` times each click by the narration: at its ``[click]`` cue in the notes
(``narration.cleanup.click_marks``), else at the sentence that first mentions what its step
shows (``reveal.match_bullets``), else spread evenly between the clicks around it; the steps
that run by themselves ("with" / "after previous") follow their click by their own start.
``BuildChange`` draws a step's effect between two state pictures: a fade, a wipe across what
the step changed, or a short slide-in of it ("fly in").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import BuildStep
from ..narration.cleanup import ClickMark
from ..narration.clip import TimedText
from ..narration.word_positions import locate_words, words_by_sentence
from .reveal import match_bullets

FLY_DISTANCE = 0.08  # share of the frame's width or height a fly-in travels


def build_step_frames(
    steps: Sequence[BuildStep],
    marks: Sequence[ClickMark],
    sentences: Sequence[TimedText],
    fps: float,
    offset: float,
    slide_frames: int,
    words: Sequence[TimedText] = (),
    narration_seconds: float | None = None,
    shown_at: int = 0,
    spread_frames: int | None = None,
) -> list[int]:
    """The frame (from the slide's first) at which each step's state first shows.

    Each step comes ``step.start`` seconds after its click; a step before the first click
    runs by itself, that long after frame ``shown_at`` (when the transition into the slide
    has ended). The j-th click happens at the j-th cue of ``marks`` (the start of the
    sentence after it, or of the word it stands before), else at the sentence of
    ``sentences`` (the narration's, on its clock, which starts ``offset`` seconds into the
    slide) that first mentions what the click shows, else evenly between the clicks timed
    around it (the narration's start and end; without narration, the slide's
    ``spread_frames``, by default its ``slide_frames``). Frames never go back: a step is
    never shown before the one above it.
    """
    if fps <= 0:
        raise ValueError(f"frame rate must be positive, got {fps}")
    clicks = [i for i, step in enumerate(steps) if step.trigger == "click"]
    end = narration_seconds
    if end is None:
        end = sentences[-1].end if sentences else None
    spoken = words_by_sentence([s.start for s in sentences], words)
    known: list[float | None] = []
    bounds = [*clicks[1:], len(steps)]
    texts = [
        "\n".join(s.text for s in steps[i:j] if s.text) for i, j in zip(clicks, bounds, strict=True)
    ]
    matched = match_bullets(texts, [s.text for s in sentences])
    for j, _ in enumerate(clicks):
        if j < len(marks):
            known.append(_mark_time(marks[j], sentences, spoken, end))
        elif matched[j] is not None:
            known.append(sentences[matched[j]].start)
        else:
            known.append(None)
    if end is None:  # no narration: the slide's own time, in seconds from its start
        first, last = 0.0, (spread_frames or slide_frames) / fps
        base = 0.0
    else:
        first, last, base = 0.0, end, offset
    times = iter(_spread(known, first, last))
    frames = [0] * len(steps)
    previous = click = 0
    click_at = float(shown_at)  # the frame of the last click (before any: the slide shown)
    for i, step in enumerate(steps):
        if step.trigger == "click":
            click = max(click, math.floor((base + next(times)) * fps + 1e-6))
            click_at = click
        frame = max(previous, math.floor(click_at + max(step.start, 0.0) * fps + 1e-6))
        frames[i] = min(frame, max(0, slide_frames - 1))
        previous = frames[i]
    return frames


def _mark_time(
    mark: ClickMark,
    sentences: Sequence[TimedText],
    spoken: Sequence[Sequence[TimedText]],
    end: float | None,
) -> float | None:
    if mark.sentence >= len(sentences):
        return end
    sentence = sentences[mark.sentence]
    if mark.offset and spoken[mark.sentence]:
        for placed in locate_words(sentence.text, spoken[mark.sentence]):
            if placed.first >= mark.offset:
                return placed.word.start
        return sentence.end
    return sentence.start


def _spread(known: Sequence[float | None], first: float, last: float) -> list[float]:
    """``known`` with each run of None spread evenly between the times around it (``first``
    before all, ``last`` after all); times never go back."""
    out: list[float] = []
    j = 0
    while j < len(known):
        value = known[j]
        if value is not None:
            out.append(max(value, out[-1]) if out else value)
            j += 1
            continue
        run_end = j
        while run_end < len(known) and known[run_end] is None:
            run_end += 1
        left = out[-1] if out else first
        right = known[run_end] if run_end < len(known) else last
        right = max(left, right if right is not None else last)
        count = run_end - j
        out += [left + (right - left) * (k + 1) / (count + 1) for k in range(count)]
        j = run_end
    return out


@dataclass(frozen=True)
class BuildChange:
    """How one build step changes the slide's picture, over ``frames`` frames: "fade" blends
    the two states, "wipe" uncovers the new state across what changed, from ``direction``
    ("left": the wipe moves rightwards from the left edge), "fly" slides what changed in from
    a short way off in ``direction`` while it fades in. "appear" (0 frames) is a cut."""

    kind: str = "appear"
    direction: str = ""
    frames: int = 0

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        """The picture ``progress`` (0..1) of the way from state ``a`` to state ``b``."""
        progress = min(max(progress, 0.0), 1.0)
        if self.kind == "appear" or progress >= 1.0:
            return b
        box = changed_box(a, b)
        if box is None:
            return b
        if self.kind == "wipe":
            return _wipe(a, b, box, self.direction, progress)
        if self.kind == "fly":
            return _fly(a, b, box, self.direction, progress)
        mix = a.astype(np.float32) * (1.0 - progress) + b.astype(np.float32) * progress
        return np.rint(mix).astype(np.uint8)


def changed_box(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int] | None:
    """The smallest (left, top, right, bottom) holding every pixel that differs, or None."""
    differs = np.any(a != b, axis=2)
    rows = np.flatnonzero(differs.any(axis=1))
    if not rows.size:
        return None
    cols = np.flatnonzero(differs.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _wipe(
    a: np.ndarray, b: np.ndarray, box: tuple[int, int, int, int], direction: str, progress: float
) -> np.ndarray:
    left, top, right, bottom = box
    out = a.copy()
    if direction in ("top", "bottom"):
        reach = round((bottom - top) * progress)
        rows = slice(top, top + reach) if direction == "top" else slice(bottom - reach, bottom)
        out[rows, left:right] = b[rows, left:right]
    else:
        reach = round((right - left) * progress)
        cols = slice(left, left + reach) if direction != "right" else slice(right - reach, right)
        out[top:bottom, cols] = b[top:bottom, cols]
    return out


def _fly(
    a: np.ndarray, b: np.ndarray, box: tuple[int, int, int, int], direction: str, progress: float
) -> np.ndarray:
    """What changed, moved ``1 - progress`` of a short distance towards ``direction``, over
    ``a``, faded in; the rest of the picture is ``a``."""
    left, top, right, bottom = box
    height, width = a.shape[:2]
    eased = 1.0 - (1.0 - progress) ** 2
    away = 1.0 - eased
    dx = dy = 0
    if direction == "left":
        dx = -round(away * FLY_DISTANCE * width)
    elif direction == "right":
        dx = round(away * FLY_DISTANCE * width)
    elif direction == "top":
        dy = -round(away * FLY_DISTANCE * height)
    else:
        dy = round(away * FLY_DISTANCE * height)
    out = a.copy()
    piece_new = b[top:bottom, left:right].astype(np.float32)
    to_left, to_top = left + dx, top + dy
    x0, y0 = max(0, to_left), max(0, to_top)
    x1, y1 = min(width, to_left + (right - left)), min(height, to_top + (bottom - top))
    if x1 <= x0 or y1 <= y0:
        return out
    piece_new = piece_new[y0 - to_top : y1 - to_top, x0 - to_left : x1 - to_left]
    under = out[y0:y1, x0:x1].astype(np.float32)
    # Only the pixels the step changed move; the unchanged ones (the paper) stay put.
    moved = np.any(a[top:bottom, left:right] != b[top:bottom, left:right], axis=2)[
        y0 - to_top : y1 - to_top, x0 - to_left : x1 - to_left
    ]
    weight = moved[..., None] * eased
    out[y0:y1, x0:x1] = np.rint(under * (1 - weight) + piece_new * weight).astype(np.uint8)
    return out

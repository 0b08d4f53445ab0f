"""Transition speed and smoothness: ms per 1080p frame and the largest frame-to-frame change.

For every transition in ``TRANSITIONS`` (and the Ken Burns motion), draws the frames an export
draws between two 1080p slides (0.6 s at 30 fps: progress (k+1)/(n+1), with the slides
themselves before and after) and prints:

- ms per frame: the median over all frames of ``--repeat`` runs, and the fastest frame (this
  machine's CPU is shared, so the median carries other programs' load);
- largest step: the largest mean absolute difference between consecutive frames, slides
  included, in 8-bit levels, so a jump or flicker shows up as a number;
- step ratio: the largest step over the even share (the whole A-to-B difference spread over
  the frames): about 1.5 for an eased blend, 2-3 for moves and fades through a colour, and
  the frame count (19) for a cut; for Ken Burns, the largest step over the median step.

Judged by the slowest classic transition's median against the 10 ms budget (ratio <= 1.0).

    .venv/bin/python benchmarks/transitions.py [--repeat 3] [--only KIND ...]
        [--latent-model PATH_OR_ID] [--size 1920x1080]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lecture_studio.transitions import TRANSITIONS, make_transition
from lecture_studio.transitions.latent import LatentMorph
from lecture_studio.transitions.motion import ken_burns

BUDGET_MS = 10.0
FPS = 30
DURATION = 0.6
KEN_BURNS_SECONDS = 5.0


def sample_slide(size: tuple[int, int], title: str, dark: bool) -> np.ndarray:
    """A slide-like picture: a title, an accent rule and bullets of text."""
    width, height = size
    paper, ink, accent = ((24, 28, 40), (235, 235, 235), (90, 170, 255))
    if not dark:
        paper, ink, accent = (255, 255, 255), (30, 30, 30), (200, 60, 40)
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=height // 14)
    body_font = ImageFont.load_default(size=height // 24)
    draw.text((width * 0.06, height * 0.07), title, font=title_font, fill=ink)
    draw.rectangle((width * 0.06, height * 0.19, width * 0.18, height * 0.195), fill=accent)
    for i in range(5):
        y = height * (0.27 + i * 0.12)
        draw.ellipse((width * 0.07, y + 8, width * 0.07 + 18, y + 26), fill=accent)
        draw.text(
            (width * 0.1, y),
            f"Point {i + 1}: the quick brown fox, {i * 7} ms",
            font=body_font,
            fill=ink,
        )
    return np.asarray(image).copy()


def mean_abs_diff(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.abs(x.astype(np.int16) - y.astype(np.int16)).mean())


def measure(
    render: Callable[[int], np.ndarray],
    count: int,
    first: np.ndarray,
    last: np.ndarray,
    repeat: int,
    against_median: bool = False,
) -> tuple[float, float, float, float]:
    """(median ms, fastest ms, largest step, step ratio) over ``count`` frames; the ratio is to
    the even share of the first-to-last difference, or with ``against_median`` to the median
    step (for a camera move, whose steps do not add up to the first-to-last difference)."""
    times: list[float] = []
    frames: list[np.ndarray] = []
    for run in range(repeat):
        for k in range(count):
            start = time.perf_counter()
            picture = render(k)
            times.append(time.perf_counter() - start)
            if run == 0:
                frames.append(np.array(picture))
    sequence = [first, *frames, last]
    steps = [mean_abs_diff(x, y) for x, y in zip(sequence, sequence[1:], strict=False)]
    largest = max(steps)
    if against_median:
        reference = statistics.median(steps)
    else:
        reference = mean_abs_diff(first, last) / (len(sequence) - 1)
    ratio = largest / reference if reference else float("inf")
    return statistics.median(times) * 1000, min(times) * 1000, largest, ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="transition kinds to measure (default: all)")
    parser.add_argument("--latent-model", help="a TAESD folder or Hugging Face id for the morph")
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    a = sample_slide((width, height), "Photosynthesis", dark=False)
    b = sample_slide((width, height), "Cellular respiration", dark=True)
    count = round(DURATION * FPS)
    kinds = [kind for kind in args.only or TRANSITIONS if kind != "ken-burns"]
    print(f"{width}x{height}, {count} frames per transition ({DURATION} s at {FPS} fps)")
    header = ("transition", "median ms", "fastest ms", "largest step", "step ratio")
    print(f"{header[0]:16s} {header[1]:>10s} {header[2]:>11s} {header[3]:>13s} {header[4]:>11s}")
    classic_medians = []
    for kind in kinds:
        if kind == "latent-morph":
            transition = LatentMorph(
                duration=DURATION, model=args.latent_model or LatentMorph.model
            )
            reason = transition.fallback_reason
            if reason:
                print(f"{kind:16s} {reason}")
                continue
            transition.frame(a, b, 0.5)  # load and encode once, outside the timing
        else:
            transition = make_transition(kind, DURATION)

        def render(k: int, transition=transition) -> np.ndarray:
            return transition.frame(a, b, (k + 1) / (count + 1))

        median, fastest, largest, ratio = measure(render, count, a, b, args.repeat)
        if kind != "latent-morph":
            classic_medians.append((median, kind))
        print(f"{kind:16s} {median:10.2f} {fastest:11.2f} {largest:13.2f} {ratio:11.2f}")
    if not args.only or "ken-burns" in args.only:
        frames = round(KEN_BURNS_SECONDS * FPS)
        move = ken_burns(a, frames)
        median, fastest, largest, ratio = measure(
            move, frames, a, move(frames - 1), 1, against_median=True
        )
        print(
            f"{'ken-burns':16s} {median:10.2f} {fastest:11.2f} {largest:13.2f} {ratio:11.2f}"
            f"   ({frames} frames, zoom 1.0 -> 1.06)"
        )
    if classic_medians:
        slowest, kind = max(classic_medians)
        print(
            f"slowest classic transition: {kind}, {slowest:.2f} ms per frame; "
            f"ratio to the {BUDGET_MS:.0f} ms budget: {slowest / BUDGET_MS:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

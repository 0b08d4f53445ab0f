"""Classic transitions computed with vectorized numpy on uint8 RGB frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Transition(Protocol):
    """``frame(a, b, progress)`` gives the picture at ``progress`` in [0, 1]: a at 0, b at 1."""

    duration: float

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray: ...


def smoothstep(t: float) -> float:
    t = min(max(t, 0.0), 1.0)
    return t * t * (3 - 2 * t)


@dataclass(frozen=True)
class Cut:
    duration: float = 0.0

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return a if progress < 0.5 else b


@dataclass(frozen=True)
class Crossfade:
    """A linear blend with eased progress, in 8-bit fixed point (exact at both ends)."""

    duration: float = 0.5

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        weight = round(smoothstep(progress) * 256)
        if weight <= 0:
            return a
        if weight >= 256:
            return b
        mixed = a.astype(np.uint16) * (256 - weight)
        mixed += b.astype(np.uint16) * weight
        mixed += 128
        return (mixed >> 8).astype(np.uint8)


TRANSITIONS: dict[str, type] = {"cut": Cut, "crossfade": Crossfade}


def make_transition(kind: str, duration: float) -> Transition:
    try:
        return TRANSITIONS[kind](duration=duration)
    except KeyError:
        known = ", ".join(sorted(TRANSITIONS))
        raise ValueError(f"unknown transition {kind!r}; choose one of: {known}") from None

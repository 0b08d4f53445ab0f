"""An example Lecture Studio plugin: iris transitions (a circle that opens onto the next slide,
or closes the current one into the centre)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import numpy as np

from lecture_studio.transitions import eased

__version__ = "1.0.0"


@functools.lru_cache(maxsize=4)
def _distance_from_centre(height: int, width: int) -> np.ndarray:
    """Each pixel centre's distance from the frame centre, as a fraction of the half diagonal."""
    ys = (np.arange(height, dtype=np.float32) + 0.5 - height / 2)[:, None]
    xs = (np.arange(width, dtype=np.float32) + 0.5 - width / 2)[None, :]
    distance = np.sqrt(ys * ys + xs * xs) / np.float32(np.hypot(height, width) / 2)
    distance.setflags(write=False)
    return distance


@dataclass(frozen=True)
class Iris:
    """Mode "in": slide ``b`` appears in a circle growing from the centre; "out": slide ``a``
    shrinks into a circle at the centre and leaves ``b``. ``softness`` is the width of the
    circle's edge as a fraction of the half diagonal."""

    duration: float = 0.8
    mode: Literal["in", "out"] = "in"
    softness: float = 0.04
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        if a.shape != b.shape or a.ndim != 3:
            raise ValueError(f"iris frames must be two HxWx3 images, got {a.shape}, {b.shape}")
        if self.mode not in ("in", "out"):
            raise ValueError(f"unknown iris mode {self.mode!r}; choose 'in' or 'out'")
        t = eased(self.easing, progress)
        if t <= 0.0:
            return a.copy()
        if t >= 1.0:
            return b.copy()
        inside, outside = (b, a) if self.mode == "in" else (a, b)
        radius = t if self.mode == "in" else 1.0 - t
        soft = max(self.softness, 1e-3)
        # 1 inside the circle, 0 outside, a linear ramp across the edge; the circle's edge
        # travels from -soft to 1 so that it covers every pixel exactly at the end.
        edge = radius * (1.0 + soft)
        weight = np.clip((edge - _distance_from_centre(*a.shape[:2])) / soft, 0.0, 1.0)
        mixed = outside + (inside.astype(np.float32) - outside) * weight[:, :, None]
        return np.rint(mixed).astype(np.uint8)


def register(registrar) -> None:  # noqa: ANN001 - the PluginRegistrar Lecture Studio passes
    """Called by Lecture Studio when a transition is first needed."""
    registrar.add_transition(
        "iris-in", functools.partial(Iris, mode="in"), "The next slide opens in a circle"
    )
    registrar.add_transition(
        "iris-out", functools.partial(Iris, mode="out"), "The slide closes into a circle"
    )

"""A plugin's transition watched at work: one that raises or draws something unusable is
disabled and named in one sentence instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..plugins import Contribution, PluginRegistry


@dataclass(frozen=True)
class GuardedTransition:
    """A plugin's transition whose frames are checked: same shape as the slides, uint8 RGB."""

    inner: Any
    contribution: Contribution
    registry: PluginRegistry

    @property
    def duration(self) -> float:
        try:
            return float(self.inner.duration)
        except Exception as error:
            raise self.registry.failure(self.contribution, error) from error

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        try:
            out = self.inner.frame(a, b, progress)
        except Exception as error:
            raise self.registry.failure(self.contribution, error) from error
        if not isinstance(out, np.ndarray) or out.shape != a.shape or out.dtype != np.uint8:
            shape = getattr(out, "shape", type(out).__name__)
            dtype = getattr(out, "dtype", "")
            problem = f"a frame came back as {shape} {dtype}, not {a.shape} uint8"
            raise self.registry.failure(self.contribution, problem.replace("  ", " "))
        return out

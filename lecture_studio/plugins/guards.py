"""Wrappers that watch a plugin's objects at work: a plugin that raises or returns something
unusable is reported, disabled, and named in a one-sentence error instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .registry import (
    Contribution,
    PluginError,
    PluginRegistry,
    _one_line,
    plugin_failed_message,
)

__all__ = ["GuardedNarrationEngine", "GuardedTransition", "plugin_failed_message"]


def _failed(registry: PluginRegistry, contribution: Contribution, problem: str) -> PluginError:
    return registry.plugin_failed(contribution, problem)


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
            raise _failed(self.registry, self.contribution, _one_line(error)) from error

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        try:
            out = self.inner.frame(a, b, progress)
        except Exception as error:
            raise _failed(self.registry, self.contribution, _one_line(error)) from error
        if not isinstance(out, np.ndarray) or out.shape != a.shape or out.dtype != np.uint8:
            shape = getattr(out, "shape", type(out).__name__)
            dtype = getattr(out, "dtype", "")
            raise _failed(
                self.registry,
                self.contribution,
                f"a frame came back as {shape} {dtype}, not {a.shape} uint8".replace("  ", " "),
            )
        return out


@dataclass(frozen=True)
class GuardedNarrationEngine:
    """A plugin's narration engine; ``prefix`` ("NAME:") is taken off voices before it sees them."""

    inner: Any
    contribution: Contribution
    registry: PluginRegistry
    prefix: str = ""

    @property
    def name(self) -> str:
        return str(self._ask(lambda: self.inner.name))

    @property
    def version(self) -> str:
        return str(self._ask(lambda: self.inner.version))

    def _ask(self, question: Any) -> Any:
        """``question()`` of the plugin's engine, its exceptions made the plugin-failed error."""
        from ..errors import LectureStudioError

        try:
            return question()
        except LectureStudioError:
            raise
        except Exception as error:
            raise _failed(self.registry, self.contribution, _one_line(error)) from error

    def _voice(self, voice: str | None) -> str | None:
        if voice and self.prefix and voice.startswith(self.prefix):
            return voice[len(self.prefix) :] or None
        return voice

    def synthesize(self, text: str, voice: str | None, rate: float) -> Any:
        from ..errors import LectureStudioError
        from ..narration.clip import NarrationClip

        try:
            clip = self.inner.synthesize(text, self._voice(voice), rate)
        except LectureStudioError:
            raise
        except Exception as error:
            raise _failed(self.registry, self.contribution, _one_line(error)) from error
        if not isinstance(clip, NarrationClip):
            raise _failed(
                self.registry,
                self.contribution,
                f"synthesize returned {type(clip).__name__}, not a NarrationClip",
            )
        return clip

    def voices(self) -> list[str]:
        return [self.prefix + v for v in self._ask(self.inner.voices)]

    def available(self) -> bool:
        try:
            return bool(self.inner.available())
        except Exception:
            return False

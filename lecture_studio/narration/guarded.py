"""A plugin's narration engine watched at work: one that raises or returns something unusable
is disabled and named in one sentence instead of a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import LectureStudioError
from ..plugins import Contribution, PluginRegistry
from .clip import NarrationClip


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
        try:
            return question()
        except LectureStudioError:
            raise
        except Exception as error:
            raise self.registry.failure(self.contribution, error) from error

    def _voice(self, voice: str | None) -> str | None:
        if voice and self.prefix and voice.startswith(self.prefix):
            return voice[len(self.prefix) :] or None
        return voice

    def synthesize(self, text: str, voice: str | None, rate: float) -> Any:
        clip = self._ask(lambda: self.inner.synthesize(text, self._voice(voice), rate))
        if not isinstance(clip, NarrationClip):
            problem = f"synthesize returned {type(clip).__name__}, not a NarrationClip"
            raise self.registry.failure(self.contribution, problem)
        return clip

    def voices(self) -> list[str]:
        return [self.prefix + v for v in self._ask(self.inner.voices)]

    def available(self) -> bool:
        try:
            return bool(self.inner.available())
        except Exception:
            return False

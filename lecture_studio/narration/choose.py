"""Which engine speaks a text: Open JTalk for Japanese, the system voice (pyttsx3) otherwise."""

from __future__ import annotations

import re

from .engine import NarrationEngine
from .openjtalk import DEFAULT_VOICE as OPENJTALK_VOICE

_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def is_japanese(text: str) -> bool:
    """Whether ``text`` reads as Japanese: it has kana, and Japanese is at least 30% of it.

    Kanji alone do not count (that may be Chinese).
    """
    kana = len(_KANA.findall(text))
    if not kana:
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return (kana + len(_KANJI.findall(text))) >= 0.3 * letters


def choose_engine(text: str, language: str | None, voice: str | None) -> NarrationEngine:
    """The engine for ``text``: a plugin's engine when ``voice`` is written ``ENGINE:VOICE``
    with ENGINE a plugin engine's name; else Open JTalk when the lecture language is Japanese
    or the text is, unless the project names a voice of the system engine; pyttsx3 otherwise.

    An engine that is not installed is still returned: its ``synthesize`` raises a
    NarrationError that says what to install, rather than a wrong voice reading Japanese.
    """
    from ..plugins import NARRATION_ENGINE, default_registry
    from ..plugins.guards import GuardedNarrationEngine

    registry = default_registry()
    if voice:
        engine_name, colon, _ = voice.partition(":")
        plugin_engine = registry.find(NARRATION_ENGINE, engine_name) if colon else None
        if plugin_engine is not None and not plugin_engine.builtin:
            engine = registry.call(plugin_engine)
            return GuardedNarrationEngine(engine, plugin_engine, registry, engine_name + colon)
        return registry.create(
            NARRATION_ENGINE, "openjtalk" if voice == OPENJTALK_VOICE else "pyttsx3"
        )
    if (language or "").lower().startswith("ja") or is_japanese(text):
        return registry.create(NARRATION_ENGINE, "openjtalk")
    return registry.create(NARRATION_ENGINE, "pyttsx3")

"""Which engine speaks a text: Open JTalk for Japanese, the system voice (pyttsx3) otherwise."""

from __future__ import annotations

import re

from .engine import NarrationEngine
from .espeak import Pyttsx3Engine
from .openjtalk import DEFAULT_VOICE as OPENJTALK_VOICE
from .openjtalk import OpenJTalkEngine

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
    """The engine for ``text``: Open JTalk when the lecture language is Japanese or the text
    is, unless the project names a voice of the system engine; pyttsx3 otherwise.

    An engine that is not installed is still returned: its ``synthesize`` raises a
    NarrationError that says what to install, rather than a wrong voice reading Japanese.
    """
    if voice:
        return OpenJTalkEngine() if voice == OPENJTALK_VOICE else Pyttsx3Engine()
    if (language or "").lower().startswith("ja") or is_japanese(text):
        return OpenJTalkEngine()
    return Pyttsx3Engine()

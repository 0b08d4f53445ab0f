"""Narration: text-to-speech engines, recorded audio, script cleanup, loudness and caching."""

from __future__ import annotations

from .cache import cache_key, normalize_cached, synthesize_cached
from .choose import choose_engine
from .cleanup import speakable_text, split_sentences
from .clip import SAMPLE_RATE, NarrationClip, TimedText, silence
from .engine import NarrationEngine, NarrationError
from .espeak import Pyttsx3Engine
from .loudness import integrated_loudness, normalize_loudness, true_peak_dbtp
from .openjtalk import OpenJTalkEngine
from .recorded import decode_audio, load_recording

__all__ = [
    "SAMPLE_RATE",
    "NarrationClip",
    "NarrationEngine",
    "NarrationError",
    "OpenJTalkEngine",
    "Pyttsx3Engine",
    "TimedText",
    "cache_key",
    "choose_engine",
    "decode_audio",
    "integrated_loudness",
    "load_recording",
    "normalize_cached",
    "normalize_loudness",
    "silence",
    "speakable_text",
    "split_sentences",
    "synthesize_cached",
    "true_peak_dbtp",
]

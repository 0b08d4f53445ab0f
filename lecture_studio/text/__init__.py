"""Text rules every layer shares: scripts, language detection, kinsoku, Markdown inline syntax,
Japanese phrases.

The lowest layer of the core: it imports nothing else from lecture_studio, so that importers,
slides, narration and render can all ask it the same question and get the same answer.
"""

from __future__ import annotations

from .kinsoku import NO_LINE_END, NO_LINE_START, glue_kinsoku
from .language import detect_language, detected_language, main_language, normalize_language
from .markdown import plain_inline, strip_emphasis
from .scripts import (
    breaks_anywhere,
    contains_cjk,
    has_kana,
    is_cjk,
    is_han,
    is_hangul,
    is_hiragana,
    is_japanese,
    is_kana,
)

__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "breaks_anywhere",
    "contains_cjk",
    "detect_language",
    "detected_language",
    "main_language",
    "glue_kinsoku",
    "has_kana",
    "is_cjk",
    "is_han",
    "is_hangul",
    "is_hiragana",
    "is_japanese",
    "is_kana",
    "normalize_language",
    "plain_inline",
    "strip_emphasis",
]

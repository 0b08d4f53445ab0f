"""Which language a text is written in: scripts that name their language first, then py3langid.

Kana mean Japanese and Hangul Korean whatever a statistical model says; Han characters without
kana are Chinese, except a short kanji-only text in a Japanese lecture (a title such as 光合成).
Everything else is judged by py3langid, an offline naive Bayes model of 140 languages (4.6 MB,
BSD-3-Clause) chosen by ``benchmarks/language_detection.py``: 103 of 104 slide-length sentences
in 13 languages right, where the best library compared (lingua) got all 104 with 100 MB and a
13 s first call. A text too short to judge, or that the model is unsure of, takes the
``fallback`` (the lecture's language).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any

from .scripts import is_han, is_hangul, is_japanese, is_kana

MIN_LETTERS_TO_JUDGE = 8
"""Fewer letters than this (outside kana, Han and Hangul) say too little: the fallback is used.
py3langid named English for 1 of the 28 English texts this short in the corpus decks."""

MIN_CONFIDENCE = 0.5
"""py3langid's probability (normalized over its 140 languages) from which its guess is taken.
On the corpus decks every wrong guess on an English text of 3 words or more scored under 0.35."""

MIN_LEADING_CONFIDENCE = 0.3
LEAD_OVER_FALLBACK = 3.0
"""A guess scoring under ``MIN_CONFIDENCE`` is still taken when it scores at least
``MIN_LEADING_CONFIDENCE`` and ``LEAD_OVER_FALLBACK`` times the lecture's language: a short
title shares its score with close minor languages ("Preguntas y debate": Spanish 0.46,
Aragonese 0.41, English 0.00)."""

SCRIPT_SHARE = 0.3
"""Han or Hangul letters must make at least this share of a text's letters to decide it."""

MIN_HAN_TO_JUDGE = 12
"""A kanji-only text shorter than this in a Japanese lecture stays Japanese (a title, a term)."""

_model_lock = threading.Lock()
_model: Any = None


def normalize_language(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case: "de-AT" and "de_at" give "de"."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def detect_language(text: str, fallback: str = "en") -> str:
    """The ISO 639-1 code of the language ``text`` is written in ("de", "ja", "zh"...), or
    ``fallback`` (normalized) when the text is too short or too ambiguous to judge."""
    return detected_language(text, fallback) or normalize_language(fallback) or "en"


def main_language(texts: Iterable[str], fallback: str = "en") -> str:
    """The language most of ``texts`` (a lecture's slides, each its own text) are written in,
    weighed by their letters; ``fallback`` when none can be judged. Each text is judged on its
    own: a lecture with slides in several languages is not one mixture of them (py3langid
    calls such a mixture by a third language)."""
    weights: dict[str, int] = {}
    for text in texts:
        language = detected_language(text)
        if language:
            weights[language] = weights.get(language, 0) + sum(c.isalpha() for c in text)
    if not weights:
        return detect_language(" ".join(texts), fallback)
    return max(weights, key=weights.__getitem__)


def detected_language(text: str, fallback: str = "") -> str | None:
    """The language ``text`` is written in, or None when it is too short or too ambiguous to
    judge. ``fallback`` is the lecture's language: short kanji-only text in a Japanese lecture
    is Japanese, and a guess must lead the lecture's language clearly to be taken."""
    return _detected(" ".join(text.split()), normalize_language(fallback))


@functools.lru_cache(maxsize=4096)
def _detected(text: str, fallback: str) -> str | None:
    letters = kana = han = hangul = 0
    for char in text:
        if is_kana(char):
            kana += 1
        elif is_han(char):
            han += 1
        elif is_hangul(char):
            hangul += 1
        elif not char.isalpha():
            continue
        letters += 1
    if not letters:
        return None
    if kana and is_japanese(text):
        return "ja"
    if han and not kana and han >= SCRIPT_SHARE * letters:
        return "ja" if fallback == "ja" and han < MIN_HAN_TO_JUDGE else "zh"
    if hangul >= SCRIPT_SHARE * letters:
        return "ko"
    if letters - kana - han - hangul < MIN_LETTERS_TO_JUDGE:
        return None
    scores = dict(_language_model().rank(text))
    code = max(scores, key=scores.__getitem__)
    confidence = scores[code]
    leads = confidence >= LEAD_OVER_FALLBACK * scores.get(fallback, 0.0)
    if confidence >= MIN_CONFIDENCE or (confidence >= MIN_LEADING_CONFIDENCE and leads):
        return normalize_language(code)
    return None


def _language_model() -> Any:
    """py3langid's identifier over all its languages, loaded once (0.6-1.5 s here)."""
    global _model
    with _model_lock:
        if _model is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _model

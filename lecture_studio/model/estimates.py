"""Estimates made before any speech exists: word counts, how long a script takes to speak and
how long a viewer needs to read a slide."""

from __future__ import annotations

import re

from ..text.scripts import CJK_CLASS
from .lecture import Lecture, Slide, narration_script

_CJK = CJK_CLASS
_CJK_CHARS = re.compile(f"[{_CJK}]")
_LATIN_WORDS = re.compile(rf"[^\s{_CJK}]+")
_SENTENCE_ENDS = re.compile(r"[.!?。！？]+(?=\s|$)|[。！？]+")

# Measured with the bundled engines at rate 1.0 (pyttsx3/espeak-ng: 28 words in 9.95 s of
# speech; Open JTalk: 57 characters in 9.06 s), leaving out the pauses between sentences.
SECONDS_PER_WORD = 0.355
SECONDS_PER_CJK_CHARACTER = 0.16
# The pause the engines put between two sentences at rate 1.0 (narration.engine).
SENTENCE_PAUSE_SECONDS = 0.4
# Reading a slide: a moment to find one's way on it, then about 200 words a minute (adults read
# running text at 200-300; slide text is read while listening), or 500 CJK characters a minute.
# Capped: a dense slide is paused on, not waited for.
READING_BASE_SECONDS = 2.0
READING_SECONDS_PER_WORD = 0.3
READING_SECONDS_PER_CJK_CHARACTER = 0.12
READING_MAX_SECONDS = 20.0


def count_words(text: str) -> int:
    """Words for Latin text; for CJK text, about two characters make a word."""
    cjk = len(_CJK_CHARS.findall(text))
    latin = len(_LATIN_WORDS.findall(text))
    return latin + (cjk + 1) // 2


def count_sentences(text: str) -> int:
    """Sentences in ``text``: runs ending in . ! ? or their Japanese forms; at least one if
    there is any text."""
    if not text.strip():
        return 0
    ends = len(_SENTENCE_ENDS.findall(text.strip()))
    trailing = not re.search(r"[.!?。！？]\s*$", text.strip())
    return ends + (1 if trailing else 0)


def estimate_speech_seconds(text: str, rate: float = 1.0) -> float:
    """About how long text-to-speech takes to say ``text`` at ``rate`` (1.0 normal), in seconds.

    Latin words and CJK characters are timed separately, so mixed scripts estimate sensibly.
    """
    if not text.strip():
        return 0.0
    rate = rate if rate and rate > 0 else 1.0
    cjk = len(_CJK_CHARS.findall(text))
    latin = len(_LATIN_WORDS.findall(text))
    speech = latin * SECONDS_PER_WORD + cjk * SECONDS_PER_CJK_CHARACTER
    pauses = max(0, count_sentences(text) - 1) * SENTENCE_PAUSE_SECONDS
    return (speech + pauses) / rate


def reading_seconds(slide: Slide) -> float:
    """How long a viewer needs to read what ``slide`` shows (title, bullets, table text):
    ``READING_BASE_SECONDS`` plus a time per Latin word and per CJK character, at most
    ``READING_MAX_SECONDS``. A slide stays up at least this long (``model.timeline``)."""
    text = "\n".join(slide.shown_texts())
    cjk = len(_CJK_CHARS.findall(text))
    latin = len(_LATIN_WORDS.findall(text))
    seconds = (
        READING_BASE_SECONDS
        + latin * READING_SECONDS_PER_WORD
        + cjk * READING_SECONDS_PER_CJK_CHARACTER
    )
    return min(READING_MAX_SECONDS, seconds)


def slide_speech_rate(slide: Slide, lecture: Lecture) -> float:
    """The rate a slide is spoken at: its own, else the lecture's."""
    return slide.narration.rate or lecture.style.rate or 1.0


def estimated_narration_samples(
    lecture: Lecture, sample_rate: int, known: dict[str, int] | None = None
) -> dict[str, int]:
    """Slide id -> narration length in samples for ``build_timeline``: ``known`` lengths (clips
    already spoken or recorded) where given, estimates from the scripts elsewhere."""
    known = known or {}
    lengths: dict[str, int] = {}
    for slide in lecture.slides:
        if slide.id in known:
            lengths[slide.id] = known[slide.id]
        elif slide.narration.source == "tts":
            script = narration_script(slide, lecture)
            seconds = estimate_speech_seconds(script, slide_speech_rate(slide, lecture))
            if seconds > 0:
                lengths[slide.id] = round(seconds * sample_rate)
    return lengths

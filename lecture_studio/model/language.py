"""The language each slide is spoken in: its own setting, its script's, or the lecture's."""

from __future__ import annotations

from ..text import detected_language, normalize_language
from .lecture import Lecture, Slide, narration_script


def lecture_language(lecture: Lecture) -> str:
    """The lecture's language as an ISO 639-1 code ("en" when none is set)."""
    return normalize_language(lecture.language) or "en"


def slide_language(lecture: Lecture, slide: Slide) -> str:
    """The ISO 639-1 code ("en", "de", "ja"...) of the language ``slide`` is spoken in.

    In order: the slide's own ``language`` when set (the teacher's choice); else the language
    its narration script is written in, when the script is long enough to judge (a German
    slide in an English lecture is German); else the lecture's ``language``. Voices, captions
    and sentence splitting all ask this one function.
    """
    if slide.language and normalize_language(slide.language):
        return normalize_language(slide.language)
    fallback = lecture_language(lecture)
    return detected_language(narration_script(slide, lecture), fallback) or fallback

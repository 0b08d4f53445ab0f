"""Prompt building: a slide's title and key points plus the lecture-wide style preset."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import Lecture, Slide
from ..text.markdown import MARK_CHARACTERS


@dataclass(frozen=True)
class StylePreset:
    """A look shared by every slide of a lecture: words added to each prompt, and to avoid."""

    name: str
    positive: str
    negative: str


_NO_TEXT = "text, letters, words, caption, watermark, signature, logo"

STYLE_PRESETS: dict[str, StylePreset] = {
    preset.name: preset
    for preset in (
        StylePreset(
            "flat illustration",
            "flat vector illustration, simple shapes, soft harmonious colors, clean, minimal",
            f"{_NO_TEXT}, photo, realistic, cluttered, noisy",
        ),
        StylePreset(
            "watercolor",
            "delicate watercolor painting, soft washes, paper texture, gentle light",
            f"{_NO_TEXT}, photo, harsh lines, oversaturated",
        ),
        StylePreset(
            "chalkboard",
            "chalk drawing on a dark green chalkboard, hand-drawn lines, classroom",
            f"{_NO_TEXT}, photo, color gradients, 3d",
        ),
        StylePreset(
            "photo",
            "professional photograph, natural light, sharp focus, high detail",
            f"{_NO_TEXT}, illustration, cartoon, drawing, blurry, deformed",
        ),
        StylePreset(
            "isometric",
            "isometric 3d illustration, clean geometry, soft shadows, pastel colors",
            f"{_NO_TEXT}, photo, perspective distortion, cluttered",
        ),
        StylePreset(
            "line art",
            "elegant line art, thin black ink lines on white, minimal, lots of white space",
            f"{_NO_TEXT}, color, shading, photo",
        ),
        StylePreset(
            "3d render",
            "soft 3d render, clay materials, studio lighting, smooth shapes",
            f"{_NO_TEXT}, photo, noisy, cluttered",
        ),
    )
}

ENGLISH_HINT = (
    "The common image models understand English best: edit the prompt into English for "
    "better pictures."
)

# CLIP reads at most 77 tokens; the subject gets about half of them, the style the rest.
MAX_SUBJECT_WORDS = 30
MAX_KEY_POINTS = 3


def style_preset(name: str) -> StylePreset:
    """The preset called ``name``; any other text is used as a free-form style of its own."""
    key = name.strip().lower()
    if key in STYLE_PRESETS:
        return STYLE_PRESETS[key]
    return StylePreset(name.strip(), name.strip(), _NO_TEXT)


_MARKDOWN_MARKS = re.compile(f"[{re.escape(MARK_CHARACTERS)}]+")


def _clean(text: str) -> str:
    text = _MARKDOWN_MARKS.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" .;:,-\u2022\u2013")


def slide_subject(slide: Slide) -> str:
    """What the slide is about: its title and first key points, shortened for the model."""
    parts = [_clean(slide.title)] + [_clean(t) for t in slide.bullet_texts()[:MAX_KEY_POINTS]]
    parts = [p for p in parts if p]
    if not parts and slide.script.strip():
        parts = [_clean(slide.script.split(".")[0])]
    words = ", ".join(parts).split(" ")
    return " ".join(words[:MAX_SUBJECT_WORDS]).rstrip(",")


def build_prompt(slide: Slide, style: str) -> str:
    """The prompt generated for a slide: its subject, then the style preset's words."""
    subject = slide_subject(slide) or "an abstract composition"
    return f"{subject}, {style_preset(style).positive}"


def slide_prompt(lecture: Lecture, slide: Slide) -> str:
    """The prompt actually used: the slide's edited prompt when it has one, else the built one."""
    edited = (slide.imagery.prompt or "").strip()
    return edited or build_prompt(slide, lecture.style.imagery_style)


def negative_prompt(lecture: Lecture) -> str:
    """The style preset's negative words plus the lecture's own negative prompt."""
    parts = [style_preset(lecture.style.imagery_style).negative, lecture.style.negative_prompt]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def needs_english_hint(text: str) -> bool:
    """True when most letters of ``text`` are not Latin (Japanese, Greek, Cyrillic, ...)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin < len(letters) / 2


def english_hint_note(lecture: Lecture, slides: list[Slide]) -> str | None:
    """The note for a diffusion model when some of ``slides`` would be drawn from prompts
    mostly not in Latin letters ("slides 3, 5: " and ``ENGLISH_HINT``, the first 8 named), or
    None."""
    if lecture.style.imagery_generator != "diffusers":
        return None
    foreign = [
        str(lecture.index_of(slide.id) + 1)
        for slide in slides
        if needs_english_hint(slide_prompt(lecture, slide))
    ]
    return f"slides {', '.join(foreign[:8])}: {ENGLISH_HINT}" if foreign else None

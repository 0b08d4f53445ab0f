"""The built-in renderer draws every character in a face that has it, never as a box.

Checked without trusting fontconfig's answer: each character's chosen face must draw it as
something other than its own missing-glyph (.notdef) picture, and a character the slide's face
lacks must look as it does on a slide whose face has it.
"""

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lecture_studio.importers import import_path
from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock
from lecture_studio.project import Project
from lecture_studio.resources import resource_path
from lecture_studio.slides import builtin as builtin_module
from lecture_studio.slides import fallback as fallback_module
from lecture_studio.slides import render_slide_images
from lecture_studio.slides.fallback import face_chain
from lecture_studio.slides.fonts import FontFace, FontFamily, font_family

pytestmark = pytest.mark.skipif(
    shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed"
)

EQUATION = "6 CO₂ + 6 H₂O → C₆H₁₂O₆ + 6 O₂"
# Subscripts and superscripts, Greek, maths and arrows, CJK, emoji.
MIXED = EQUATION + " x² αβγ ΔΣΩ √∑∫∞≤≠ ⇒↔ 光合成 😀🍎"
NEVER_A_GLYPH = "\U0010fffd"  # a private-use code point no font maps: drawn as .notdef
DEJAVU = FontFace("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = FontFace("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
COLOUR_EMOJI = bool(fallback_module._sorted_faces("emoji", colour_only=True))


def glyph_picture(face: FontFace, text: str) -> np.ndarray:
    """``text`` drawn alone in ``face`` (at its one strike for a colour bitmap font)."""
    font, _scale = fallback_module._sized_font(face, 48)
    canvas = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(canvas).text(
        (20, 150), text, font=font, fill="black", anchor="ls", embedded_color=True
    )
    return np.asarray(canvas.convert("L"))


def outline(text: str, language: str = "en") -> Project:
    body = [TextBlock([Paragraph(text, 0, False)])]
    return Project(Lecture(language=language, slides=[Slide(title="Equation", body=body)]))


def glyph_clusters(project: Project, size=(1280, 720)) -> tuple[list[np.ndarray], list[str]]:
    """The body line's ink cut at blank columns, and the warnings drawing it gave."""
    result = render_slide_images(project, size=size, renderer="builtin")
    drawn = result.drawn[project.lecture.slides[0].id]
    left, top, right, bottom = drawn.layout.paragraphs[0].box
    rgb = np.asarray(drawn.image.crop((left, top, right, bottom)).convert("RGB")).astype(int)
    ink = (rgb.min(axis=2) < 160) | (rgb.max(axis=2) - rgb.min(axis=2) > 60)
    columns = ink.any(axis=0)
    clusters, start = [], None
    for x, inked in enumerate([*columns, False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            rows = np.flatnonzero(ink[:, start:x].any(axis=1))
            clusters.append(ink[rows[0] : rows[-1] + 1, start:x])
            start = None
    return clusters, list(result.warnings)


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two ink masks, laid over each other at their top left."""
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa, pb = np.zeros((h, w), bool), np.zeros((h, w), bool)
    pa[: a.shape[0], : a.shape[1]] = a
    pb[: b.shape[0], : b.shape[1]] = b
    return (pa & pb).sum() / max(1, (pa | pb).sum())


@pytest.mark.parametrize("base", ["regular", "bold"])
def test_every_character_goes_to_a_face_that_draws_it(base):
    family = font_family("en")
    chain = face_chain(family.regular if base == "regular" else family.bold)
    assert chain.known
    wanted = [c for c in dict.fromkeys(MIXED) if not c.isspace()]
    if not COLOUR_EMOJI:
        wanted = [c for c in wanted if ord(c) < 0x1F000 or chain.face_for(c) is not None]
    for char in wanted:
        face = chain.face_for(char)
        assert face is not None, f"no face for {char!r}"
        drawn = glyph_picture(face, char)
        notdef = glyph_picture(face, NEVER_A_GLYPH)
        assert (drawn != notdef).sum() > 30, f"{char!r} is .notdef in {face.path}"
    assert chain.missing(MIXED) <= ({"🍎"} if not COLOUR_EMOJI else set())


def test_the_sample_outlines_equation_is_drawn_without_boxes():
    project = import_path(resource_path("sample-lecture", "sample-lecture.md"))
    (slide,) = [s for s in project.lecture.slides if EQUATION in s.bullet_texts()]
    result = render_slide_images(project, size=(1280, 720), slide_ids=[slide.id])
    assert result.warnings == []
    assert result.drawn[slide.id].warnings == ()
    chain = face_chain(font_family(project.lecture.language or "ja").regular)
    assert chain.missing(EQUATION) == set()
    assert {chain.face_for(c) for c in "₂₆₁"} != {chain.base}  # the subscripts fell back


def test_a_subscript_looks_as_in_a_face_that_has_it(monkeypatch):
    base = font_family("en")
    if not base.regular.covers_cjk:
        pytest.skip("the slide face has the subscripts itself (Noto Sans CJK is not installed)")
    fell_back, _ = glyph_clusters(outline("H ₂ O"))
    boxed, _ = glyph_clusters(outline(f"H {NEVER_A_GLYPH} O"))
    monkeypatch.setattr(
        builtin_module, "font_family", lambda language: FontFamily(DEJAVU, DEJAVU_BOLD)
    )
    native, warnings = glyph_clusters(outline("H ₂ O"))
    assert warnings == []
    assert len(fell_back) == len(native) == 3
    assert overlap(fell_back[1], native[1]) > 0.8  # DejaVu Sans's own "₂"
    assert overlap(fell_back[1], boxed[1]) < 0.5  # not the missing-glyph box


def test_kanji_on_a_latin_face_fall_back_to_a_cjk_face(monkeypatch):
    cjk = font_family("ja")
    if not cjk.covers_cjk:
        pytest.skip("Noto Sans CJK (apt fonts-noto-cjk) is not installed")
    native, _ = glyph_clusters(outline("光", "ja"))
    monkeypatch.setattr(
        builtin_module, "font_family", lambda language: FontFamily(DEJAVU, DEJAVU_BOLD)
    )
    fell_back, warnings = glyph_clusters(outline("光", "ja"))
    assert warnings == []  # no "no CJK font" sentence: the kanji has a face
    assert overlap(fell_back[0], native[0]) > 0.8


@pytest.mark.skipif(not COLOUR_EMOJI, reason="no colour emoji font (apt fonts-noto-color-emoji)")
def test_emoji_come_out_in_colour_at_the_texts_size():
    clusters, warnings = glyph_clusters(outline("Apple 🍎"))
    assert warnings == []
    project = outline("Apple 🍎")
    result = render_slide_images(project, size=(1280, 720), renderer="builtin")
    drawn = result.drawn[project.lecture.slides[0].id]
    left, top, right, bottom = drawn.layout.paragraphs[0].box
    rgb = np.asarray(drawn.image.crop((left, top, right, bottom))).astype(int)
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    assert red.sum() > 50  # the apple is red, not a black outline or a box
    apple_height = clusters[-1].shape[0]
    letter_height = clusters[0].shape[0]  # "A"
    assert 0.8 * letter_height < apple_height < 2.0 * letter_height


def test_characters_no_font_has_are_named_in_one_warning():
    project = outline(f"x {NEVER_A_GLYPH} y")
    result = render_slide_images(project, size=(640, 360), renderer="builtin")
    (warning,) = result.warnings
    assert warning.startswith("Slide 1 has characters no installed font can draw (")
    assert "U+10FFFD" in warning and "show as boxes" in warning


def test_fontconfig_is_asked_once_per_face_not_per_character(monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    face_chain.cache_clear()
    fallback_module.fallback_font.cache_clear()
    slides = [Slide(title=f"Slide {i} ∑", body=[TextBlock([Paragraph(MIXED)])]) for i in range(4)]
    render_slide_images(Project(Lecture(language="en", slides=slides)), size=(640, 360))
    fc_calls = [c for c in calls if "fc-" in str(c[0])]
    assert 0 < len(fc_calls) <= 6  # regular and bold faces, the emoji list: never per character

"""Office fonts are drawn with metric-compatible faces; fonts with none are named once."""

import os
import shutil
import subprocess

import pymupdf
import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from lecture_studio.model import Lecture, Slide, SlideSource
from lecture_studio.project import Project
from lecture_studio.resources import resource_path
from lecture_studio.slides import libreoffice, render_slide_images
from lecture_studio.slides.deck_fonts import (
    deck_fonts,
    fonts_without_compatible_face,
    missing_fonts_warning,
)

FONTS_CONF = resource_path("fontconfig", "fonts.conf")
NOT_A_FONT = "Lecture Studio Test Face"  # no machine has it, no alias names it


def matched_family(family: str) -> str:
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF.resolve()))
    done = subprocess.run(
        ["fc-match", "-f", "%{family[0]}", family], capture_output=True, text=True, env=env
    )
    return done.stdout.strip()


def installed(family: str) -> bool:
    return shutil.which("fc-list") is not None and bool(
        subprocess.run(["fc-list", family], capture_output=True, text=True).stdout.strip()
    )


needs_fontconfig = pytest.mark.skipif(
    shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed"
)


@needs_fontconfig
@pytest.mark.parametrize(
    ("office", "free"),
    [
        ("Calibri", "Carlito"),
        ("Calibri Light", "Carlito"),
        ("Cambria", "Caladea"),
        ("Arial", "Liberation Sans"),
        ("Times New Roman", "Liberation Serif"),
        ("Courier New", "Liberation Mono"),
    ],
)
def test_office_fonts_map_to_their_metric_compatible_faces(office, free):
    if not installed(free):
        pytest.skip(f"{free} is not installed (make system-packages installs it)")
    assert matched_family(office) == free


def deck(tmp_path, *fonts_per_slide: list[str]):
    presentation = Presentation()
    for fonts in fonts_per_slide:
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(3), Inches(3))
        frame = box.text_frame
        frame.word_wrap = True
        for i, font in enumerate(fonts):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = f"Statements about photosynthesis set in {font}"
            run.font.name = font
            run.font.size = Pt(28)
    path = tmp_path / "fonts.pptx"
    presentation.save(path)
    return path


def test_the_fonts_of_the_slides_and_their_theme_are_listed(tmp_path):
    path = deck(tmp_path, ["Calibri", NOT_A_FONT], ["Cambria"])
    fonts = deck_fonts(path)
    assert {"Calibri", "Cambria", NOT_A_FONT} <= set(fonts)
    assert not any(f.startswith("+") for f in fonts)  # theme references are resolved, not listed


@needs_fontconfig
def test_only_a_font_with_no_compatible_face_is_named(tmp_path):
    if not installed("Carlito") or not installed("Caladea"):
        pytest.skip("Carlito and Caladea are not installed (make system-packages installs them)")
    path = deck(tmp_path, ["Calibri", NOT_A_FONT], ["Cambria", NOT_A_FONT])
    assert fonts_without_compatible_face(path) == [NOT_A_FONT]
    warning = missing_fonts_warning(path, "talk.pptx")
    assert warning.startswith(f"talk.pptx uses {NOT_A_FONT}, which is not installed")
    assert "lines may break differently than in PowerPoint" in warning


@pytest.mark.skipif(libreoffice.find_soffice() is None, reason="LibreOffice is not installed")
@needs_fontconfig
def test_an_export_says_once_which_fonts_are_missing_and_draws_calibri_in_carlito(tmp_path):
    if not installed("Carlito"):
        pytest.skip("Carlito is not installed (make system-packages installs it)")
    path = deck(tmp_path, ["Calibri", NOT_A_FONT], ["Calibri", NOT_A_FONT])
    slides = [Slide(source=SlideSource(kind="pptx", path=str(path), index=i)) for i in (1, 2)]
    project = Project(Lecture(slides=slides))
    cache = tmp_path / "cache"
    result = render_slide_images(project, size=(640, 360), cache_dir=cache)
    named = [w for w in result.warnings if NOT_A_FONT in w]
    assert len(named) == 1 and "Calibri" not in named[0]
    pdf = libreoffice.deck_pdf(path, cache, libreoffice.find_soffice())
    with pymupdf.open(pdf) as document:
        used = {font[3] for font in document[0].get_fonts()}
    assert any("Carlito" in name for name in used), used

"""Fidelity floor of the LibreOffice renderer against PowerPoint's own PNG export (Japanese deck).

Measured when written: mean SSIM 0.986 and mean ink agreement 0.978 (a blank white frame scores
SSIM 0.991 but ink agreement 0, which is why both are checked).
"""

import pytest
from instruments.similarity import ink_agreement, ssim
from PIL import Image

from lecture_studio.model import Lecture, Slide, SlideSource
from lecture_studio.project import Project
from lecture_studio.slides import libreoffice, render_slide_images

pytestmark = pytest.mark.skipif(
    libreoffice.find_soffice() is None, reason="LibreOffice (soffice) is not installed"
)
DECK = "furaga__sample_ja-notes.pptx"
SSIM_FLOOR = 0.98
INK_FLOOR = 0.95


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("slide-cache")


def japanese_deck(corpus) -> Project:
    deck = corpus / DECK
    project = Project(Lecture(language="ja", slide_width=13.333, slide_height=7.5))
    project.lecture.source_asset = project.add_asset(deck.read_bytes(), ".pptx")
    project.lecture.slides = [Slide(source=SlideSource("pptx", str(deck), i)) for i in (1, 2, 3)]
    return project


def test_the_japanese_deck_matches_powerpoints_export(corpus, shared_cache):
    folder = corpus / "reference" / DECK.removesuffix(".pptx")
    references = [Image.open(folder / f"slide-{i}.png").convert("RGB") for i in (1, 2, 3)]
    project = japanese_deck(corpus)
    result = render_slide_images(project, size=references[0].size, cache_dir=shared_cache)
    images = [result[s.id] for s in project.lecture.slides]
    mean_ssim = sum(ssim(a, b) for a, b in zip(images, references, strict=True)) / 3
    mean_ink = sum(ink_agreement(a, b) for a, b in zip(images, references, strict=True)) / 3
    assert mean_ssim >= SSIM_FLOOR
    assert mean_ink >= INK_FLOOR


def test_the_japanese_deck_renders_at_1080p_from_the_cache(corpus, shared_cache):
    project = japanese_deck(corpus)
    result = render_slide_images(project, cache_dir=shared_cache)
    assert [im.size for im in result.values()] == [(1920, 1080)] * 3
    assert {i: d.renderer for i, d in result.drawn.items()} == {
        s.id: "libreoffice" for s in project.lecture.slides
    }
    first = result[project.lecture.slides[0].id]
    assert first.getpixel((5, 5)) == (255, 255, 255)  # a 16:9 deck fills the frame: no bars
    assert first.convert("L").getextrema()[0] < 64  # and its title is there in dark ink

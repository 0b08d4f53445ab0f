import io

import numpy as np
import pytest
from PIL import Image

import lecture_studio.slides as slides_api
from lecture_studio.errors import Cancelled, RenderError
from lecture_studio.jobs import CancelToken
from lecture_studio.model import (
    Box,
    Lecture,
    OutputSettings,
    Paragraph,
    Picture,
    Slide,
    SlideSource,
    Table,
    TextBlock,
)
from lecture_studio.project import Project
from lecture_studio.slides import NO_LIBREOFFICE_WARNING, render_slide_images
from lecture_studio.slides import builtin as builtin_module
from lecture_studio.slides.fonts import FontFace, FontFamily, font_family

needs_cjk_font = pytest.mark.skipif(
    not font_family("ja").covers_cjk, reason="Noto Sans CJK (apt fonts-noto-cjk) is not installed"
)


def outline_project(*slides: Slide, **lecture_fields) -> Project:
    return Project(Lecture(language="ja", slides=list(slides), **lecture_fields))


def render_one(project: Project, size=(640, 360)) -> Image.Image:
    result = render_slide_images(project, size=size, renderer="builtin")
    return result[project.lecture.slides[0].id]


def ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < 128


def test_every_slide_comes_out_rgb_at_the_output_size():
    project = outline_project(
        Slide(title="Intro"), Slide(title="Body", body=[TextBlock([Paragraph("point")])])
    )
    result = render_slide_images(project)
    assert list(result) == [s.id for s in project.lecture.slides]
    assert all(im.size == (1920, 1080) and im.mode == "RGB" for im in result.values())
    assert result.warnings == []
    assert {d.renderer for d in result.drawn.values()} == {"builtin"}


def test_a_4_3_lecture_gets_bars_of_the_background_colour():
    project = outline_project(
        Slide(title="Four by three"),
        slide_width=10.0,
        slide_height=7.5,
        output=OutputSettings(background="#204060"),
    )
    image = render_one(project, size=(1280, 720))
    assert image.size == (1280, 720)
    assert image.getpixel((50, 360)) == (32, 64, 96)
    assert image.getpixel((1230, 360)) == (32, 64, 96)
    assert image.getpixel((170, 700)) == (255, 255, 255)  # slide spans x 160..1119


@needs_cjk_font
def test_japanese_titles_are_drawn_as_glyphs_not_boxes():
    kanji_a = render_one(outline_project(Slide(title="漢字")))
    kanji_b = render_one(outline_project(Slide(title="語学")))
    missing = render_one(outline_project(Slide(title="\U000f0000\U000f0001")))  # no font has it
    assert ink(kanji_a).sum() > 500
    assert (ink(kanji_a) != ink(kanji_b)).sum() > 300  # two kanji pairs differ...
    assert (ink(kanji_a) != ink(missing)).sum() > 300  # ...and are not the missing-glyph box


def test_without_a_cjk_font_the_caller_is_told_japanese_shows_as_boxes(monkeypatch):
    dejavu = font_family.__wrapped__("en")
    if dejavu.covers_cjk:
        dejavu = FontFamily(FontFace(None), FontFace(None))
    monkeypatch.setattr(builtin_module, "font_family", lambda language: dejavu)
    result = render_slide_images(outline_project(Slide(title="日本語")), renderer="builtin")
    assert any("no CJK font" in w and "fonts-noto-cjk" in w for w in result.warnings)


def test_long_text_shrinks_to_stay_inside_the_slide():
    long_text = "これは長い説明文です。" * 40
    project = outline_project(Slide(title="長文", body=[TextBlock([Paragraph(long_text)])]))
    image = render_one(project, size=(960, 540))
    rows = np.nonzero(ink(image).any(axis=1))[0]
    assert rows.max() < 540 - 0.05 * 540  # nothing drawn into the bottom margin
    assert ink(image)[300:480].sum() > 2000  # the text did reach the lower part of the body


def test_pictures_and_tables_are_drawn_where_their_boxes_say():
    picture = Image.new("RGB", (200, 100), (10, 200, 30))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    project = outline_project()
    name = project.add_asset(buffer.getvalue(), ".png")
    project.lecture.slides = [
        Slide(
            title="Figures",
            pictures=[Picture(name, Box(0.5, 0.5, 0.4, 0.4))],
            tables=[Table([["Head", "Er"], ["a", "b"]], Box(0.05, 0.3, 0.4, 0.3))],
        )
    ]
    image = render_one(project, size=(960, 540))
    assert image.getpixel((672, 378)) == (10, 200, 30)  # centre of the picture's box
    assert image.getpixel((672, 250)) == (255, 255, 255)  # above it (the picture is 2:1)
    header = np.asarray(image.crop((60, 168, 420, 196)))
    assert (np.abs(header.astype(int) - (37, 99, 235)).sum(axis=2) < 30).mean() > 0.5


def test_an_unreadable_picture_is_reported_not_hidden():
    project = outline_project()
    name = project.add_asset(b"not an image at all", ".emf")
    project.lecture.slides = [Slide(title="Broken", pictures=[Picture(name, description="logo")])]
    result = render_slide_images(project, size=(640, 360))
    assert result.warnings and "slide 1" in result.warnings[0] and "logo" in result.warnings[0]


def test_deck_slides_without_libreoffice_are_drawn_built_in_with_one_notice(monkeypatch):
    monkeypatch.setattr(slides_api, "find_soffice", lambda: None)
    deck_slides = [
        Slide(source=SlideSource("pptx", "/gone/deck.pptx", i), title=f"S{i}") for i in (1, 2)
    ]
    project = outline_project(*deck_slides)
    project.lecture.source_asset = project.add_asset(b"PK fake deck", ".pptx")
    assert slides_api.render_notice(project) == NO_LIBREOFFICE_WARNING
    result = render_slide_images(project, size=(320, 180))
    assert len(result) == 2
    assert result.warnings == [NO_LIBREOFFICE_WARNING + "."]
    assert "apt-get install --no-install-recommends libreoffice-impress" in result.warnings[0]
    with pytest.raises(RenderError, match="LibreOffice is not installed"):
        render_slide_images(project, renderer="libreoffice")


def test_progress_is_reported_and_cancel_stops_the_job():
    project = outline_project(Slide(title="one"), Slide(title="two"))
    seen = []
    render_slide_images(project, size=(160, 90), progress=lambda f, m: seen.append((f, m)))
    assert seen[0][0] == 0.0 and seen[-1][0] == 1.0 and "slide 2" in seen[1][1]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        render_slide_images(project, size=(160, 90), cancel=token)


def test_only_the_asked_slides_are_drawn():
    project = outline_project(Slide(title="one"), Slide(title="two"), Slide(title="three"))
    wanted = [project.lecture.slides[2].id, project.lecture.slides[0].id]
    assert list(render_slide_images(project, size=(160, 90), slide_ids=wanted)) == wanted


def test_the_layout_says_where_every_paragraph_and_the_title_were_drawn():
    from lecture_studio.slides.theme import load_theme

    slide = Slide(
        source=SlideSource("outline"),
        title="Cells",
        body=[TextBlock([Paragraph("First point"), Paragraph("A sub point", level=1)])],
    )
    project = outline_project(slide)
    drawing = builtin_module.draw_slide_layout(slide, project, (640, 360), load_theme(), [])
    picture = np.asarray(drawing.image).copy()
    assert [d.paragraph.text for d in drawing.paragraphs] == ["First point", "A sub point"]
    first, second = (d.box for d in drawing.paragraphs)
    assert first[3] <= second[1]  # top to bottom, not overlapping
    white = np.array([255, 255, 255], np.uint8)
    for left, top, right, bottom in [d.box for d in drawing.paragraphs]:
        assert (picture[top:bottom, left:right] != white).any(axis=2).sum() > 30
        picture[top:bottom, left:right] = white
    title = drawing.content[0]
    picture[title[1] : title[3], title[0] : title[2]] = white
    rule = np.asarray(drawing.image)[:, :, 2] > np.asarray(drawing.image)[:, :, 0] + 60  # blue
    picture[rule] = white
    # nothing is drawn outside what the layout reports (but antialiased fringes of the rule)
    assert (np.abs(picture.astype(int) - 255).sum(axis=2) > 60).sum() < 10

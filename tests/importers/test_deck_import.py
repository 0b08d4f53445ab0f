"""Importing decks built here with python-pptx: hidden slides, groups, broken pictures, charts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from lecture_studio.errors import Cancelled
from lecture_studio.importers import import_deck, import_path
from lecture_studio.jobs import CancelToken

TITLE_AND_CONTENT, TITLE_ONLY, BLANK, PICTURE_WITH_CAPTION = 1, 5, 6, 8


def png_bytes(color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, "PNG")
    return buffer.getvalue()


def build_deck(path: Path) -> Path:
    """Four slides: bullets + notes, a hidden one with a group, a broken picture, a chart."""
    deck = Presentation()  # 10 x 7.5 in
    deck.core_properties.title = "Cell Biology"

    first = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT])
    first.shapes.title.text = "Membranes"
    body = first.placeholders[1].text_frame
    body.text = "Lipid bilayer"
    deeper = body.add_paragraph()
    deeper.text = "Phospholipids"
    deeper.level = 1
    first.notes_slide.notes_text_frame.text = "  Start with the bilayer.\nThen proteins.  "
    first.shapes.add_picture(io.BytesIO(png_bytes()), Inches(5), Inches(5), Inches(2), Inches(1.5))

    hidden = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    hidden.shapes.title.text = "Backup slide"
    hidden._element.set("show", "0")
    group = hidden.shapes.add_group_shape()
    right = group.shapes.add_textbox(Inches(6), Inches(3), Inches(2), Inches(1))
    right.text_frame.text = "Right of the row"
    left = group.shapes.add_textbox(Inches(1), Inches(3), Inches(2), Inches(1))
    left.text_frame.text = "Left of the row"
    below = hidden.shapes.add_textbox(Inches(1), Inches(6), Inches(2), Inches(1))
    below.text_frame.text = "Below the group"
    group.left = group.left + Inches(1)  # moves the children: their boxes must follow

    broken = deck.slides.add_slide(deck.slide_layouts[PICTURE_WITH_CAPTION])
    broken.shapes.title.text = "Micrograph"
    placeholder = next(p for p in broken.placeholders if p.placeholder_format.idx == 1)
    picture = placeholder.insert_picture(io.BytesIO(png_bytes("blue")))
    blip = picture._element.find(".//" + qn("a:blip"))
    del blip.attrib[qn("r:embed")]  # a picture placeholder whose image data is gone

    charted = deck.slides.add_slide(deck.slide_layouts[BLANK])
    data = CategoryChartData()
    data.categories = ["G1", "S", "G2"]
    data.add_series("Hours", (11, 8, 4))
    frame = charted.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6), Inches(4), data
    )
    frame.chart.has_title = True
    frame.chart.chart_title.text_frame.text = "Cell cycle phases"
    table = charted.shapes.add_table(2, 2, Inches(1), Inches(5.5), Inches(4), Inches(1)).table
    for r, row in enumerate([["Phase", "Hours"], ["G1", "11"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    caption = charted.shapes.add_textbox(Inches(7.5), Inches(1), Inches(2), Inches(1))
    caption.text_frame.text = "Source: textbook"
    caption.text_frame.paragraphs[0].runs[0].font.size = Pt(12)

    deck.save(path)
    return path


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    return build_deck(tmp_path / "cells.pptx")


def test_slides_keep_order_title_body_notes_and_pictures(deck: Path) -> None:
    project = import_path(deck)
    lecture = project.lecture
    assert lecture.title == "Cell Biology"
    assert [s.title for s in lecture.slides] == [
        "Membranes",
        "Backup slide",
        "Micrograph",
        "Cell cycle phases",
    ]
    first = lecture.slides[0]
    paragraphs = [(p.text, p.level, p.bullet) for b in first.body for p in b.paragraphs]
    assert paragraphs == [("Lipid bilayer", 0, True), ("Phospholipids", 1, True)]
    assert first.notes == "  Start with the bilayer.\nThen proteins.  "
    assert first.script == "Start with the bilayer.\nThen proteins."
    assert first.source.kind == "pptx" and first.source.index == 1
    assert first.source.path == str(deck)
    (picture,) = first.pictures
    assert project.asset_bytes(picture.asset) == png_bytes()
    assert picture.asset.endswith(".png")
    assert picture.box.left == pytest.approx(0.5)
    assert picture.box.top == pytest.approx(5 / 7.5)
    assert picture.box.width == pytest.approx(0.2)
    assert (lecture.slide_width, lecture.slide_height) == (10.0, 7.5)


def test_hidden_slide_is_kept_and_marked(deck: Path) -> None:
    lecture = import_path(deck).lecture
    assert [s.hidden for s in lecture.slides] == [False, True, False, False]
    assert [s.title for s in lecture.visible_slides()] == [
        "Membranes",
        "Micrograph",
        "Cell cycle phases",
    ]


def test_group_children_are_read_in_reading_order_where_the_group_puts_them(deck: Path) -> None:
    slide = import_path(deck).lecture.slides[1]
    assert slide.bullet_texts() == ["Left of the row", "Right of the row", "Below the group"]
    left = slide.body[0]
    # The group was moved one inch right, so its child at x=1 in now sits at x=2 in.
    assert left.box.left == pytest.approx(2 / 10)
    assert left.box.top == pytest.approx(3 / 7.5)
    assert slide.body[2].box.left == pytest.approx(1 / 10)


def test_picture_without_image_data_is_skipped_with_a_warning(deck: Path) -> None:
    project = import_path(deck)
    slide = project.lecture.slides[2]
    assert slide.pictures == []
    assert project.warnings == ["Slide 3: skipped a picture without image data."]


def test_chart_title_and_table_become_text(deck: Path) -> None:
    slide = import_path(deck).lecture.slides[3]
    assert slide.title == "Cell cycle phases"  # no title placeholder: the first text
    assert slide.bullet_texts() == ["Cell cycle phases", "Source: textbook"]
    assert slide.tables[0].rows == [["Phase", "Hours"], ["G1", "11"]]
    assert slide.tables[0].box.top == pytest.approx(5.5 / 7.5)


def test_progress_reaches_the_end_and_cancel_stops(deck: Path) -> None:
    reports: list[tuple[float, str]] = []
    import_deck(deck, progress=lambda f, m: reports.append((f, m)))
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert any("slide 2 of 4" in m for _, m in reports)

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_deck(deck, cancel=token)


def relabel(source: Path, target: Path, content_type: str) -> Path:
    """A copy of the deck whose main part carries another content type (.potx, .pptm...)."""
    plain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(plain.encode(), content_type.encode())
            dst.writestr(info.filename, data)
    return target


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        (".potx", "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"),
        (".pptm", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
        (".ppsm", "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml"),
    ],
)
def test_templates_and_macro_decks_import_like_decks(
    deck: Path, tmp_path: Path, suffix: str, content_type: str
) -> None:
    other = relabel(deck, tmp_path / f"cells{suffix}", content_type)
    project = import_path(other)
    assert [s.title for s in project.lecture.slides][0] == "Membranes"
    assert len(project.lecture.slides) == 4
    assert project.asset_bytes(project.lecture.source_asset) == other.read_bytes()

"""``render/compose.py`` on its own: tiny synthetic slide pictures and generated images kept as
project assets in memory, no renderer and no image model. Where the slide lies in the frame,
where a chosen image lands, what happens when it is missing or damaged, and where the text is."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from lecture_studio.model import Box, Lecture, Paragraph, Slide, Table, TextBlock
from lecture_studio.project import Project
from lecture_studio.render.compose import (
    ChosenImage,
    SlideCanvas,
    canvas_of,
    chosen_image,
    compose_slide,
    compose_slide_picture,
    slide_layout,
)
from lecture_studio.slides import RenderedSlide
from lecture_studio.slides.builtin import DrawnParagraph, SlideDrawing

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def pattern(height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def assert_box(got: Box, want: tuple[float, float, float, float]) -> None:
    assert (got.left, got.top, got.width, got.height) == pytest.approx(want, abs=1e-12)


# --- SlideCanvas ------------------------------------------------------------------------------


def test_a_box_in_fractions_of_the_slide_is_in_pixels_of_the_canvas_and_back():
    canvas = SlideCanvas(left=10, top=5, width=200, height=100)

    # pixels of the canvas itself: its offset in the frame does not enter
    assert canvas.pixels(Box(0.25, 0.1, 0.5, 0.6)) == (50, 10, 150, 70)
    assert_box(canvas.fraction((50, 10, 150, 70)), (0.25, 0.1, 0.5, 0.6))
    for box in [(0, 0, 200, 100), (1, 2, 3, 4), (37, 63, 199, 99), (123, 7, 124, 8)]:
        assert canvas.pixels(canvas.fraction(box)) == box


def test_a_box_reaching_beyond_the_slide_is_clamped_to_the_canvas():
    canvas = SlideCanvas(0, 0, 200, 100)

    assert canvas.pixels(Box(-0.1, -0.2, 1.5, 1.5)) == (0, 0, 200, 100)
    assert canvas.pixels(Box(0.9, 0.5, 0.5, 0.25)) == (180, 50, 200, 75)


def test_crop_is_the_canvas_part_of_the_frame():
    frame = pattern(180, 320)
    canvas = SlideCanvas(40, 0, 240, 180)

    area = canvas.crop(frame)

    assert area.shape == (180, 240, 3)
    np.testing.assert_array_equal(area, frame[:, 40:280])


# --- canvas_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slide_size", "canvas"),
    [
        ((4.0, 3.0), SlideCanvas(40, 0, 240, 180)),  # narrower: bars left and right
        ((2.0, 1.0), SlideCanvas(0, 10, 320, 160)),  # wider: bars above and below
        ((13.333, 7.5), SlideCanvas(0, 0, 320, 180)),  # 16:9 to within a pixel: no bar
    ],
)
def test_the_canvas_is_the_slide_letterboxed_in_the_frame(slide_size, canvas):
    lecture = Lecture(slide_width=slide_size[0], slide_height=slide_size[1])

    assert canvas_of(lecture, np.zeros((180, 320, 3), np.uint8)) == canvas


# --- chosen_image ---------------------------------------------------------------------------


def imaged_slide(project: Project, data: bytes | None, placement: str = "placeholder") -> Slide:
    slide = Slide(placeholders=[Box(0.5, 0.25, 0.25, 0.5)])
    slide.imagery.placement = placement
    if data is not None:
        slide.imagery.variants = [project.add_asset(data, ".png")]
        slide.imagery.chosen = 0
    project.lecture.slides.append(slide)
    return slide


def test_the_chosen_image_is_the_asset_as_rgb():
    project = Project(Lecture())
    picture = pattern(30, 40)
    rgba = np.dstack([picture, np.full((30, 40), 128, np.uint8)])
    slide = imaged_slide(project, png(rgba))

    chosen = chosen_image(project, slide, 4)

    image = chosen.image
    assert image is not None and image.mode == "RGB" and image.size == (40, 30)
    np.testing.assert_array_equal(np.asarray(image), picture)
    assert not chosen.missing and chosen.note == ""


@pytest.mark.parametrize("chosen", [-1, 1])
def test_no_image_drawn_yet_is_counted_as_missing_without_a_note(chosen):
    project = Project(Lecture())
    slide = imaged_slide(project, png(pattern(8, 8)))
    slide.imagery.chosen = chosen  # -1: none chosen; 1: past the one variant kept

    assert chosen_image(project, slide, 4) == ChosenImage(missing=True)


def test_a_slide_that_asks_for_no_image_gets_none_and_no_word_about_it():
    project = Project(Lecture())
    slide = imaged_slide(project, png(pattern(8, 8)), placement="none")

    assert chosen_image(project, slide, 4) == ChosenImage()


def damaged_png() -> bytes:
    data = bytearray(png(pattern(16, 16)))
    start = data.index(b"IDAT") + 8  # a byte of the compressed pixels: its CRC no longer matches
    data[start] ^= 0x01
    return bytes(data)


@pytest.mark.parametrize(
    "asset",
    [
        pytest.param("gone", id="missing from the project"),
        pytest.param(damaged_png(), id="png checksum wrong"),
        pytest.param(b"not a picture at all", id="not a picture"),
    ],
)
def test_a_missing_or_damaged_image_is_left_out_with_a_note_saying_how_to_draw_it_again(asset):
    project = Project(Lecture())
    slide = imaged_slide(project, None)
    if asset == "gone":
        slide.imagery.variants = ["0123456789abcdef.png"]  # named, but not in the project
    else:
        slide.imagery.variants = [project.add_asset(asset, ".png")]
    slide.imagery.chosen = 0

    assert chosen_image(project, slide, 7) == ChosenImage(
        note="The generated image of slide 7 is missing or damaged, so the slide is shown without "
        "it; run `lecture-studio imagery` on the project to draw it again."
    )


# --- compose_slide / compose_slide_picture ------------------------------------------------------


def letterboxed() -> tuple[Project, np.ndarray]:
    """A 4:3 lecture in a 320x180 frame: black bars 40 pixels wide, a white slide between."""
    project = Project(Lecture(slide_width=4.0, slide_height=3.0))
    frame = np.zeros((180, 320, 3), np.uint8)
    frame[:, 40:280] = WHITE
    frame[20:40, 60:120] = BLACK  # some ink on the slide
    return project, frame


def test_an_image_fills_its_placeholder_box_on_the_letterboxed_slide_and_nothing_else():
    project, frame = letterboxed()
    before = frame.copy()
    generated = pattern(90, 60, seed=3)  # the placeholder's size: placed pixel for pixel
    slide = imaged_slide(project, png(generated))

    composed = compose_slide(project, slide, frame, None, 1)

    assert composed.canvas == SlideCanvas(40, 0, 240, 180)
    # the box (0.5, 0.25, 0.25, 0.5) of the 240x180 canvas is x 120..180, y 45..135 on it,
    # x 160..220 in the frame
    inside = np.zeros((180, 320), bool)
    inside[45:135, 160:220] = True
    np.testing.assert_array_equal(composed.picture[45:135, 160:220], generated)
    np.testing.assert_array_equal(composed.picture[~inside], before[~inside])
    np.testing.assert_array_equal(frame, before)  # the frame given is left as it was
    assert composed.notes == [] and not composed.missing_image
    assert composed.placing is not None and composed.placing.placement == "placeholder"
    # a reveal state of the same canvas gets the same image in the same place
    other = np.full((180, 240, 3), 200, np.uint8)
    placed = composed.place_on(other)
    np.testing.assert_array_equal(placed[45:135, 120:180], generated)
    rest = placed.copy()
    rest[45:135, 120:180] = 200
    assert (rest == 200).all()


def test_compose_slide_picture_takes_the_drawn_image_and_numbers_the_slide_itself():
    project, frame = letterboxed()
    project.lecture.slides.append(Slide())
    generated = pattern(90, 60, seed=4)
    slide = imaged_slide(project, png(generated))  # the lecture's second slide
    drawn = RenderedSlide(Image.fromarray(frame).convert("RGBA"), "libreoffice")

    picture, notes = compose_slide_picture(project, slide, drawn)

    assert notes == []
    assert picture.shape == (180, 320, 3)
    np.testing.assert_array_equal(picture[45:135, 160:220], generated)
    np.testing.assert_array_equal(picture[:, :160], frame[:, :160])


def test_a_slide_whose_image_is_not_drawn_yet_shows_as_drawn_with_a_note():
    project, frame = letterboxed()
    project.lecture.slides.append(Slide())
    slide = imaged_slide(project, None)
    drawn = RenderedSlide(Image.fromarray(frame), "libreoffice")

    picture, notes = compose_slide_picture(project, slide, drawn)

    np.testing.assert_array_equal(picture, frame)
    assert notes == [
        "Slide 2 asks for a generated image but none has been drawn yet, so it shows without "
        "one; generate its image first."
    ]
    composed = compose_slide(project, slide, frame, None, 2)
    assert composed.missing_image and composed.canvas is None and composed.notes == []


def test_an_image_for_a_placeholder_the_slide_lacks_goes_beside_the_text_with_a_note():
    project, frame = letterboxed()
    slide = imaged_slide(project, png(pattern(90, 60, seed=5)))
    slide.placeholders = []

    composed = compose_slide(project, slide, frame, None, 3)

    assert composed.placing is not None and composed.placing.placement == "beside"
    assert composed.notes == [
        "Slide 3 asks for its image in an empty picture placeholder but has none, so the "
        "image is placed beside the text; choose another placement."
    ]
    # placed beside the ink at the top left of the slide: the bars stay black
    assert not composed.picture[:, :40].any() and not composed.picture[:, 280:].any()
    assert not np.array_equal(composed.picture[:, 40:280], frame[:, 40:280])


def test_a_reveal_of_text_the_deck_does_not_place_is_refused_with_a_note():
    project, frame = letterboxed()
    slide = Slide(body=[TextBlock([Paragraph("One"), Paragraph("Two")])])  # no box
    project.lecture.slides.append(slide)

    composed = compose_slide(project, slide, frame, None, 5, reveal=True)

    assert composed.picture is frame and composed.placing is None
    assert composed.canvas == SlideCanvas(40, 0, 240, 180)
    assert composed.layout.problem == "the deck does not say where its text is"
    assert composed.notes == [
        "Slide 5 shows all its bullets at once: the deck does not say where its text is."
    ]


# --- slide_layout ---------------------------------------------------------------------------


def blank_area() -> np.ndarray:
    """240x135 white: the 48x27 ink grid has cells of exactly 5x5 pixels."""
    return np.full((135, 240, 3), 255, np.uint8)


def test_a_pictures_ink_is_found_in_grid_rows_and_kept_clear_with_the_decks_boxes():
    area = blank_area()
    area[20:40, 50:100] = BLACK  # a title: cells 10..19 of rows 4..7
    area[100, 200] = (240, 240, 240)  # 45 from the paper: too faint to count as ink
    table_box = Box(0.5, 0.5, 0.25, 0.25)
    slide = Slide(tables=[Table([["a"]], table_box)])

    layout = slide_layout(slide, area, None, reveal=False)

    assert layout.paragraphs == [] and layout.problem == ""
    assert layout.content[0] is table_box
    found = [SlideCanvas(0, 0, 240, 135).pixels(box) for box in layout.content[1:]]
    assert found == [(50, y, 100, y + 5) for y in (20, 25, 30, 35)]


def test_a_reveal_finds_each_bullet_of_a_picture_from_its_lines_of_ink():
    area = blank_area()
    area[60:66, 40:150] = BLACK  # the first bullet's line
    area[80:86, 40:120] = BLACK  # the second's
    body = TextBlock([Paragraph("First"), Paragraph("Second"), Paragraph("  ")])
    body.box = Box(0.1, 0.4, 0.8, 0.4)  # x 24..216, y 54..108
    slide = Slide(body=[body])

    layout = slide_layout(slide, area, None, reveal=True)

    assert layout.problem == ""
    # each bullet reaches halfway into the gap between them, and 2 pixels beyond its ink
    assert layout.paragraphs == [
        ("First", (24, 58, 216, 73), WHITE),
        ("Second", (24, 73, 216, 88), WHITE),
    ]
    assert layout.content[0] is body.box


def test_a_reveal_of_a_box_with_fewer_lines_than_bullets_says_so():
    area = blank_area()
    area[60:66, 40:150] = BLACK
    area[80:86, 40:120] = BLACK
    bullets = [Paragraph("First"), Paragraph("Second"), Paragraph("Third")]
    body = TextBlock(bullets, Box(0.1, 0.4, 0.8, 0.4))

    layout = slide_layout(Slide(body=[body]), area, None, reveal=True)

    assert layout.paragraphs == []
    assert layout.problem == "the text box shows 2 lines of text for 3 bullets"


def test_the_built_in_renderers_record_is_the_layout_without_looking_at_the_picture():
    area = blank_area()
    area[:, :] = BLACK  # would be all ink, were the picture looked at
    drawing = SlideDrawing(
        Image.fromarray(area),
        paragraphs=[DrawnParagraph(Paragraph("A"), (1, 2, 3, 4))],
        content=[(24, 27, 120, 81)],
        paper=(250, 250, 250),
    )

    layout = slide_layout(Slide(), area, drawing, reveal=True)

    assert layout.paragraphs == [("A", (1, 2, 3, 4), (250, 250, 250))]
    assert len(layout.content) == 1
    assert_box(layout.content[0], (0.1, 0.2, 0.4, 0.4))
    assert layout.problem == ""

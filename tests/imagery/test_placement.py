"""Compositing a generated image onto a slide: background with scrim, beside text, placeholder."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lecture_studio.imagery import free_region, place_image
from lecture_studio.model import Box

W, H = 640, 360
RED = (220, 30, 30)


def slide_with_text(box: Box, paper=(255, 255, 255), ink=(20, 20, 20)) -> Image.Image:
    """A slide whose text is drawn as solid strokes inside ``box``."""
    image = Image.new("RGB", (W, H), paper)
    draw = ImageDraw.Draw(image)
    left, top = box.left * W, box.top * H
    for line in range(3):
        y = top + 10 + line * 30
        draw.rectangle((left + 5, y, left + box.width * W - 5, y + 12), fill=ink)
    return image


def luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    la, lb = float(luminance(a)), float(luminance(b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_background_shows_the_picture_and_keeps_text_legible():
    box = Box(0.1, 0.3, 0.5, 0.3)
    slide = slide_with_text(box)
    picture = Image.new("RGB", (300, 300), RED)
    out = np.asarray(place_image(slide, picture, "background", [box]), dtype=float)
    corner = out[H - 20, W - 20]
    assert corner[0] > corner[1] + 40  # the red picture shows through away from the text
    ink = out[int(0.3 * H) + 15, int(0.3 * W)]
    beside_ink = out[int(0.3 * H) + 30, int(0.3 * W)]  # the scrim between two lines
    assert contrast(ink, beside_ink) >= 4.5  # WCAG AA for body text
    assert out.shape == (H, W, 3)


def test_background_on_a_dark_slide_keeps_light_text_light():
    box = Box(0.1, 0.3, 0.5, 0.3)
    slide = slide_with_text(box, paper=(15, 20, 30), ink=(250, 250, 250))
    picture = Image.new("RGB", (300, 300), RED)
    out = np.asarray(place_image(slide, picture, "background", [box]), dtype=float)
    ink = out[int(0.3 * H) + 15, int(0.3 * W)]
    beside_ink = out[int(0.3 * H) + 30, int(0.3 * W)]
    assert ink.min() > 230 and contrast(ink, beside_ink) >= 4.5


def test_beside_puts_the_picture_in_the_free_space_and_leaves_the_text_alone():
    title, body = Box(0.06, 0.06, 0.88, 0.14), Box(0.06, 0.25, 0.45, 0.65)
    slide = slide_with_text(body)
    picture = Image.new("RGB", (256, 256), RED)
    region = free_region([title, body])
    assert region is not None
    assert region.left >= body.left + body.width and region.top >= title.top + title.height
    out = np.asarray(place_image(slide, picture, "beside", [title, body]))
    centre = out[
        int((region.top + region.height / 2) * H), int((region.left + region.width / 2) * W)
    ]
    assert tuple(centre) == RED
    text_area = (slice(int(0.25 * H), int(0.9 * H)), slice(int(0.06 * W), int(0.51 * W)))
    assert np.array_equal(out[text_area], np.asarray(slide)[text_area])


def test_beside_with_no_room_becomes_a_background():
    full = Box(0.05, 0.05, 0.9, 0.9)
    assert free_region([full]) is None
    slide = slide_with_text(full)
    picture = Image.new("RGB", (64, 64), RED)
    assert np.array_equal(
        np.asarray(place_image(slide, picture, "beside", [full])),
        np.asarray(place_image(slide, picture, "background", [full])),
    )


def test_placeholder_is_filled_and_nothing_else_changes():
    slide = Image.new("RGB", (W, H), (250, 250, 250))
    hole = Box(0.55, 0.2, 0.4, 0.6)
    picture = Image.new("RGB", (100, 40), RED)  # another aspect: cropped to fill
    out = np.asarray(place_image(slide, picture, "placeholder", [], placeholder=hole))
    inside = out[int(0.2 * H) + 2 : int(0.8 * H) - 2, int(0.55 * W) + 2 : int(0.95 * W) - 2]
    assert (inside == RED).all()
    assert (out[:, : int(0.55 * W) - 1] == 250).all()
    with pytest.raises(ValueError):
        place_image(slide, picture, "placeholder", [])


def test_none_leaves_the_slide_as_it_is():
    slide = slide_with_text(Box(0.1, 0.1, 0.5, 0.5))
    out = place_image(slide, Image.new("RGB", (8, 8), RED), "none", [])
    assert np.array_equal(np.asarray(out), np.asarray(slide))

"""Putting a generated image on a rendered slide: background with scrim, beside text, placeholder.

Pure functions on PIL images; boxes are ``model.Box`` fractions of the slide (origin top-left).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from ..model import Box
from ..model.lecture import Placement

# The scrim: how much of the slide's own background colour covers the picture, everywhere and
# behind text (where legibility matters most).
SCRIM = 0.55
TEXT_SCRIM = 0.82
GRID = (48, 27)  # cells for finding free space beside the text (square cells on 16:9)
MARGIN = 0.05
GAP = 0.025
MIN_AREA = 0.1  # the free area must be at least this fraction of the slide
ASPECT_RANGE = (0.45, 2.4)


def _pixels(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    w, h = size
    left, top = round(box.left * w), round(box.top * h)
    right, bottom = round((box.left + box.width) * w), round((box.top + box.height) * h)
    return max(left, 0), max(top, 0), min(right, w), min(bottom, h)


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` scaled to fill ``size``, centred, the overflow cropped."""
    return ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)


def _paper_colour(slide: Image.Image) -> tuple[int, int, int]:
    """The slide's background colour: the median of its border pixels."""
    a = np.asarray(slide.convert("RGB"))
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    return tuple(int(v) for v in np.median(border, axis=0))  # type: ignore[return-value]


def free_region(text_boxes: Sequence[Box]) -> Box | None:
    """The largest empty, not too thin rectangle beside the text, or None when there is none."""
    cols, rows = GRID
    occupied = np.zeros((rows, cols), dtype=bool)
    mx, my = round(MARGIN * cols), round(MARGIN * rows)
    occupied[:my, :] = occupied[rows - my :, :] = True
    occupied[:, :mx] = occupied[:, cols - mx :] = True
    for box in text_boxes:
        left = int(np.floor((box.left - GAP) * cols))
        top = int(np.floor((box.top - GAP) * rows))
        right = int(np.ceil((box.left + box.width + GAP) * cols))
        bottom = int(np.ceil((box.top + box.height + GAP) * rows))
        occupied[max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)] = True
    best: tuple[int, int, int, int, int] | None = None  # area, top, left, bottom, right
    for top in range(rows):
        blocked = np.zeros(cols, dtype=bool)
        for bottom in range(top + 1, rows + 1):
            blocked |= occupied[bottom - 1]
            height = bottom - top
            start = None
            for col in range(cols + 1):
                free = col < cols and not blocked[col]
                if free and start is None:
                    start = col
                elif not free and start is not None:
                    width = col - start
                    aspect = width / height
                    if ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
                        area = width * height
                        if best is None or area > best[0]:
                            best = (area, top, start, bottom, col)
                    start = None
    if best is None or best[0] < MIN_AREA * rows * cols:
        return None
    _, top, left, bottom, right = best
    return Box(left / cols, top / rows, (right - left) / cols, (bottom - top) / rows)


def _background(
    slide: Image.Image, generated: Image.Image, text_boxes: Sequence[Box]
) -> Image.Image:
    size = slide.size
    picture = _cover(generated, size)
    paper = _paper_colour(slide)
    alpha = Image.new("L", size, round(SCRIM * 255))
    draw = ImageDraw.Draw(alpha)
    for box in text_boxes:
        left, top, right, bottom = _pixels(box, size)
        pad = round(0.015 * size[1])
        draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), round(TEXT_SCRIM * 255))
    alpha = alpha.filter(ImageFilter.GaussianBlur(0.02 * size[1]))
    scrimmed = Image.composite(Image.new("RGB", size, paper), picture, alpha)
    slide_rgb = slide.convert("RGB")
    if sum(paper) / 3 >= 128:  # dark ink on light paper: the paper becomes the picture
        return ImageChops.multiply(scrimmed, slide_rgb)
    return ImageChops.screen(scrimmed, slide_rgb)  # light ink on dark paper


def _inset(slide: Image.Image, generated: Image.Image, box: Box, rounded: bool) -> Image.Image:
    out = slide.convert("RGB").copy()
    left, top, right, bottom = _pixels(box, slide.size)
    if right - left < 2 or bottom - top < 2:
        return out
    picture = _cover(generated, (right - left, bottom - top))
    mask = None
    if rounded:
        mask = Image.new("L", picture.size, 0)
        radius = round(0.03 * min(slide.size))
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, *picture.size), radius, fill=255)
    out.paste(picture, (left, top), mask)
    return out


def place_image(
    slide_image: Image.Image,
    generated: Image.Image,
    placement: Placement,
    text_boxes: Sequence[Box],
    placeholder: Box | None = None,
) -> Image.Image:
    """The slide with its generated image placed as ``placement`` asks.

    background: the picture fills the slide under a scrim of the slide's background colour,
    stronger behind ``text_boxes``, and the slide's text is laid over it. beside: the picture
    fills the largest free area beside the text (``free_region``); when the text leaves no room
    it becomes a background instead, which callers can tell in advance with ``free_region``.
    placeholder: the picture fills ``placeholder`` (an empty picture placeholder of a deck).
    """
    if placement == "none":
        return slide_image.convert("RGB").copy()
    if placement == "placeholder":
        if placeholder is None:
            raise ValueError("placement 'placeholder' needs the placeholder's box")
        return _inset(slide_image, generated, placeholder, rounded=False)
    if placement == "beside":
        region = free_region(text_boxes)
        if region is not None:
            return _inset(slide_image, generated, region, rounded=True)
    return _background(slide_image, generated, text_boxes)

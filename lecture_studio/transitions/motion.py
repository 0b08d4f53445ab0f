"""Motion within one slide: the Ken Burns pan and zoom over a still picture, as a frame function."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

import numpy as np
from PIL import Image

from ..model.lecture import SlideMotion
from .classic import eased

MOTIONS: tuple[SlideMotion, ...] = get_args(SlideMotion)

FrameFunction = Callable[[int], np.ndarray]


def ken_burns(
    image: np.ndarray,
    frames: int,
    zoom: tuple[float, float] = (1.0, 1.06),
    pan: tuple[float, float] = (0.0, 0.0),
    focus: tuple[float, float] = (0.5, 0.5),
    easing: str = "sine",
    size: tuple[int, int] | None = None,
) -> FrameFunction:
    """A slow camera move over ``image`` (HxWx3 uint8): frame ``k`` of ``frames`` as a function.

    The view zooms from ``zoom[0]`` to ``zoom[1]`` (1.0 shows the whole picture) around
    ``focus`` (fractions of the picture, x then y), drifting by ``pan`` (fractions of the picture
    width and height) over the move; the view never leaves the picture. Frames are ``size``
    (width, height; the picture's own size by default), resampled bilinearly with sub-pixel
    positions so that the move stays smooth at well under a pixel per frame.
    """
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"Ken Burns needs an HxWx3 uint8 picture, got {image.shape} {image.dtype}")
    if frames < 1:
        raise ValueError(f"Ken Burns needs at least one frame, got {frames}")
    if min(zoom) < 1.0:
        raise ValueError(f"Ken Burns zoom must be 1.0 or more (1.0 is the whole picture): {zoom}")
    eased(easing, 0.0)
    height, width = image.shape[:2]
    out_size = size or (width, height)
    picture = Image.fromarray(image)
    last = max(1, frames - 1)

    def view(k: int) -> tuple[float, float, float, float]:
        t = eased(easing, min(max(k, 0), last) / last)
        z = zoom[0] + (zoom[1] - zoom[0]) * t
        view_w, view_h = width / z, height / z
        cx = (focus[0] + pan[0] * t) * width
        cy = (focus[1] + pan[1] * t) * height
        left = min(max(cx - view_w / 2, 0.0), width - view_w)
        top = min(max(cy - view_h / 2, 0.0), height - view_h)
        return left, top, left + view_w, top + view_h

    def frame(k: int) -> np.ndarray:
        box = view(k)
        if box == (0.0, 0.0, float(width), float(height)) and out_size == (width, height):
            return image.copy()
        moved = picture.resize(out_size, Image.Resampling.BILINEAR, box=box)
        return np.asarray(moved)

    return frame


def slide_motion(kind: str, image: np.ndarray, frames: int) -> FrameFunction | None:
    """The frame function for a slide's ``motion`` setting, or None for a still slide."""
    if kind == "none":
        return None
    if kind == "ken-burns":
        return ken_burns(image, frames)
    raise ValueError(f"unknown slide motion {kind!r}; choose one of: {', '.join(MOTIONS)}")

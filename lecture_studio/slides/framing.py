"""Fitting a slide into the video frame: the fitted size, colours, and letterbox/pillarbox bars."""

from __future__ import annotations

from PIL import Image

from ..errors import InputError


def parse_color(value: str) -> tuple[int, int, int]:
    """An ``"#rrggbb"`` (or ``"#rgb"``) string as an RGB tuple."""
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        if len(text) != 6:
            raise ValueError(text)
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        raise InputError(
            f"The colour {value!r} is not a colour like #000000; "
            "set the background as # followed by six hex digits."
        ) from None


def fitted_size(aspect: float, size: tuple[int, int]) -> tuple[int, int]:
    """The largest size of the given aspect (width/height) that fits in ``size``.

    A slide whose aspect rounds to within one pixel of the frame fills it exactly, so a 13.333 in
    wide deck does not get a one-pixel bar in a 1920x1080 frame.
    """
    width, height = size
    if width <= 0 or height <= 0:
        raise ValueError(f"frame size must be positive, got {size}")
    if aspect <= 0:
        return size
    fit_w, fit_h = width, round(width / aspect)
    if fit_h > height:
        fit_w, fit_h = round(height * aspect), height
    if width - fit_w <= 1:
        fit_w = width
    if height - fit_h <= 1:
        fit_h = height
    return max(1, fit_w), max(1, fit_h)


def letterbox(image: Image.Image, size: tuple[int, int], background: str) -> Image.Image:
    """``image`` scaled to fit ``size`` keeping its aspect, centred on bars of ``background``.

    Returns an RGB image of exactly ``size``; an image that already has that size is only
    converted to RGB.
    """
    rgb = image if image.mode == "RGB" else _flatten(image, parse_color(background))
    if rgb.size == tuple(size):
        return rgb
    fit = fitted_size(rgb.width / rgb.height, size)
    if rgb.size != fit:
        rgb = rgb.resize(fit, Image.Resampling.LANCZOS)
    if fit == tuple(size):
        return rgb
    frame = Image.new("RGB", size, parse_color(background))
    frame.paste(rgb, ((size[0] - fit[0]) // 2, (size[1] - fit[1]) // 2))
    return frame


def _flatten(image: Image.Image, color: tuple[int, int, int]) -> Image.Image:
    """An RGB copy of ``image`` with any transparency composited over ``color``."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (*color, 255))
        return Image.alpha_composite(base, rgba).convert("RGB")
    return image.convert("RGB")

"""Abstract backgrounds drawn from the lecture's palette: no model, deterministic by seed."""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture
from ..slides.framing import parse_color
from ..slides.theme import load_theme
from .generator import Size

ALGORITHM_VERSION = 1
BLOB_LAYERS = 5


def lecture_palette(lecture: Lecture) -> list[str]:
    """The colours of the lecture's slide theme, accent first."""
    theme = load_theme(lecture.style.theme)
    colours = [theme.accent_color, theme.title_color, theme.muted_color, theme.background]
    colours += [theme.table_header_fill, *theme.table_row_fills]
    return list(dict.fromkeys(c.lower() for c in colours))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02x}" for v in rgb)


def _tints(palette: Sequence[str]) -> list[str]:
    """The palette plus softer tints and neighbouring hues of its most colourful entries."""
    tints: list[str] = []
    for colour in palette:
        r, g, b = (v / 255 for v in parse_color(colour))
        h, light, s = colorsys.rgb_to_hls(r, g, b)
        tints.append(colour)
        if s > 0.2:
            for dh, dl in ((0.06, 0.12), (-0.06, 0.2), (0.0, 0.3)):
                tints.append(_hex(colorsys.hls_to_rgb((h + dh) % 1.0, min(light + dl, 0.92), s)))
    return tints


class ProceduralGenerator:
    """Soft gradient and blurred shapes in the lecture's colours: no AI model, no GPU.

    It ignores the prompt: the seed alone decides the picture, so each slide (whose seed comes
    from the lecture seed and its id) gets its own composition in one shared palette.
    """

    name = "Abstract shapes (no AI model)"
    default_steps = BLOB_LAYERS
    default_guidance = 0.0

    def __init__(self, palette: Sequence[str]) -> None:
        if not palette:
            raise ValueError("the procedural generator needs at least one colour")
        self.palette = [c.lower() for c in palette]
        self._colours = [parse_color(c) for c in _tints(self.palette)]
        digest = hashlib.sha256(",".join(self.palette).encode()).hexdigest()[:12]
        self.identity = f"procedural:{ALGORITHM_VERSION}:{digest}"

    @classmethod
    def for_lecture(cls, lecture: Lecture) -> ProceduralGenerator:
        return cls(lecture_palette(lecture))

    def generate(
        self,
        prompt: str,
        negative: str,
        size: Size,
        seed: int,
        steps: int,
        guidance: float,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> Image.Image:
        width, height = size
        rng = np.random.default_rng(seed)
        colours = self._colours
        # Work at a quarter size: the shapes are soft, so upscaling loses nothing visible.
        w, h = max(width // 4, 8), max(height // 4, 8)
        first, second = (colours[i] for i in rng.choice(len(colours), size=2))
        angle = rng.uniform(0, 2 * np.pi)
        ys, xs = np.mgrid[0:h, 0:w]
        t = (np.cos(angle) * xs / w + np.sin(angle) * ys / h + 1.0) / 2.0
        t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
        light = np.array([255, 255, 255], dtype=np.float32)
        a = np.asarray(first, np.float32) * 0.35 + light * 0.65
        b = np.asarray(second, np.float32) * 0.55 + light * 0.45
        base = a * (1 - t[..., None]) + b * t[..., None]
        canvas = Image.fromarray(base.astype(np.uint8), "RGB")
        layers = max(1, int(steps)) if steps else BLOB_LAYERS
        for layer in range(layers):
            if cancel is not None:
                cancel.check()
            blur = max(w, h) * (0.06 - 0.01 * min(layer, 4))
            for _ in range(int(rng.integers(2, 5))):
                colour = colours[int(rng.integers(len(colours)))]
                cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(-0.1, 1.1) * h
                rx = rng.uniform(0.08, 0.35) * w
                ry = rx * rng.uniform(0.6, 1.4)
                mask = Image.new("L", (w, h), 0)
                ImageDraw.Draw(mask).ellipse(
                    (cx - rx, cy - ry, cx + rx, cy + ry), fill=int(rng.integers(60, 150))
                )
                canvas.paste(colour, (0, 0, w, h), mask.filter(ImageFilter.GaussianBlur(blur)))
            progress((layer + 1) / layers, f"layer {layer + 1}/{layers}")
        return canvas.resize((width, height), Image.Resampling.BICUBIC)

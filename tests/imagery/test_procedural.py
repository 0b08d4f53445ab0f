"""The procedural generator: abstract backgrounds in the lecture's palette, no model."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.errors import Cancelled
from lecture_studio.imagery import ProceduralGenerator, lecture_palette
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture

SIZE = (320, 180)


def draw(generator: ProceduralGenerator, seed: int) -> np.ndarray:
    image = generator.generate("ignored", "", SIZE, seed, generator.default_steps, 0.0)
    assert image.size == SIZE and image.mode == "RGB"
    return np.asarray(image, dtype=np.int16)


def test_same_seed_same_picture_other_seed_other_picture():
    generator = ProceduralGenerator(["#2563eb", "#1f2937", "#ffffff"])
    assert np.array_equal(draw(generator, 11), draw(generator, 11))
    assert np.abs(draw(generator, 11) - draw(generator, 12)).mean() > 5


def test_pictures_take_their_colours_from_the_palette():
    red = draw(ProceduralGenerator(["#c0392b", "#e74c3c"]), 5).reshape(-1, 3).mean(axis=0)
    blue = draw(ProceduralGenerator(["#1d4ed8", "#2563eb"]), 5).reshape(-1, 3).mean(axis=0)
    assert red[0] > red[2] + 20  # reddish
    assert blue[2] > blue[0] + 20  # bluish


def test_the_lecture_palette_comes_from_its_slide_theme():
    palette = lecture_palette(Lecture())
    assert palette[0] == "#2563eb"  # the default theme's accent colour
    generator = ProceduralGenerator.for_lecture(Lecture())
    assert generator.palette == palette
    assert "no AI model" in generator.name


def test_identity_changes_with_the_palette():
    a = ProceduralGenerator(["#2563eb"]).identity
    assert a == ProceduralGenerator(["#2563EB"]).identity
    assert a != ProceduralGenerator(["#c0392b"]).identity


def test_cancel_stops_drawing():
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        ProceduralGenerator(["#2563eb"]).generate("x", "", SIZE, 1, 5, 0.0, cancel=cancel)

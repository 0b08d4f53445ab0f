"""The iris example plugin: loaded through Lecture Studio's registry, it draws the circle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_studio.app import register_builtins, set_app_registry
from lecture_studio.plugins import TRANSITION, PluginRegistry
from lecture_studio.transitions import make_transition

PLUGINS_FOLDER = Path(__file__).resolve().parents[2]


@pytest.fixture
def registry():
    registry = PluginRegistry(
        folders=[PLUGINS_FOLDER], entry_points=False, builtins=register_builtins
    )
    set_app_registry(registry)
    yield registry
    set_app_registry(None)


def _slides(height: int = 90, width: int = 160) -> tuple[np.ndarray, np.ndarray]:
    a = np.full((height, width, 3), 20, dtype=np.uint8)
    b = np.full((height, width, 3), 230, dtype=np.uint8)
    return a, b


def test_the_plugin_is_found_and_loaded_only_when_its_transition_is_asked_for(registry):
    record = next(r for r in registry.plugins() if r.name == "iris-transition")
    assert (record.version, record.status) == ("1.0.0", "not loaded")
    make_transition("crossfade", 0.5, registry=registry)  # a built-in: the plugin stays unloaded
    # Its plugin.toml lists its transitions: they are offered without importing it.
    assert {"iris-in", "iris-out"} <= set(registry.names(TRANSITION))
    assert record.status == "not loaded"
    make_transition("iris-in", 0.8, registry=registry)
    assert record.status == "loaded"
    assert record.contributions == [("transition", "iris-in"), ("transition", "iris-out")]


def test_iris_in_opens_the_next_slide_from_the_centre(registry):
    a, b = _slides()
    iris = make_transition("iris-in", 0.8, easing="linear", registry=registry)
    assert np.array_equal(iris.frame(a, b, 0.0), a)
    assert np.array_equal(iris.frame(a, b, 1.0), b)
    middle = iris.frame(a, b, 0.5)
    assert middle.shape == a.shape and middle.dtype == np.uint8
    assert (middle[45, 80] == 230).all()  # the centre already shows the next slide
    assert (middle[0, 0] == 20).all()  # the corners still show the current one
    # The circle grows: more of the next slide shows as the transition goes on.
    shown = [(iris.frame(a, b, p) > 125).mean() for p in (0.2, 0.4, 0.6, 0.8)]
    assert shown == sorted(shown) and shown[0] < shown[-1]


def test_iris_out_closes_the_current_slide_into_the_centre(registry):
    a, b = _slides()
    middle = make_transition("iris-out", 0.8, easing="linear", registry=registry).frame(a, b, 0.5)
    assert (middle[45, 80] == 20).all()
    assert (middle[0, 0] == 230).all()


def test_an_unknown_easing_is_refused_before_any_frame(registry):
    with pytest.raises(ValueError, match="unknown easing"):
        make_transition("iris-in", 0.8, easing="bouncy", registry=registry)

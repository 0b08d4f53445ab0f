"""Classic transitions: exact ends, real in-between frames, directions, fades and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.transitions import TRANSITIONS, Crossfade, make_transition
from lecture_studio.transitions.classic import blend_into

MOVING_KINDS = sorted(k for k in TRANSITIONS if k not in ("cut", "latent-morph"))
HEIGHT, WIDTH = 90, 160


@pytest.fixture(scope="module")
def slides() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    return a, b


@pytest.mark.parametrize("kind", MOVING_KINDS)
def test_first_frame_is_slide_a_and_last_is_slide_b(kind, slides):
    a, b = slides
    transition = make_transition(kind, 0.6)
    assert np.array_equal(transition.frame(a, b, 0.0), a)
    assert np.array_equal(transition.frame(a, b, 1.0), b)


@pytest.mark.parametrize("kind", MOVING_KINDS)
def test_frames_in_between_differ_from_both_slides(kind, slides):
    a, b = slides
    transition = make_transition(kind, 0.6)
    for progress in (0.2, 0.5, 0.8):
        frame = transition.frame(a, b, progress)
        assert frame.shape == a.shape and frame.dtype == np.uint8
        assert not np.array_equal(frame, a), progress
        assert not np.array_equal(frame, b), progress


@pytest.mark.parametrize("kind", MOVING_KINDS)
def test_full_hd_frames_keep_shape_and_type(kind):
    a = np.zeros((1080, 1920, 3), dtype=np.uint8)
    b = np.full((1080, 1920, 3), 200, dtype=np.uint8)
    frame = make_transition(kind, 0.6).frame(a, b, 0.37)
    assert frame.shape == (1080, 1920, 3) and frame.dtype == np.uint8


def test_cut_switches_at_half_way(slides):
    a, b = slides
    cut = make_transition("cut", 0.0)
    assert cut.frame(a, b, 0.49) is a and cut.frame(a, b, 0.5) is b


def test_crossfade_half_way_is_the_average(slides):
    a, b = slides
    frame = Crossfade(easing="linear").frame(a, b, 0.5)
    average = (a.astype(int) + b.astype(int)) / 2
    assert np.abs(frame - average).max() <= 1


def test_fixed_point_blend_is_within_one_level_of_the_exact_blend(slides):
    a, b = slides
    out = np.empty_like(a)
    for weight in range(257):
        exact = a + (b.astype(float) - a) * weight / 256
        blend_into(out, a, b, weight)
        assert np.abs(out - exact).max() <= 1, weight


@pytest.mark.parametrize(("kind", "level"), [("fade-black", 0), ("fade-white", 255)])
def test_fade_through_a_colour_shows_only_that_colour_half_way(kind, level, slides):
    a, b = slides
    assert (make_transition(kind, 0.8).frame(a, b, 0.5) == level).all()


def test_push_left_moves_both_slides_left(slides):
    a, b = slides
    frame = make_transition("push-left", 0.6, easing="linear").frame(a, b, 0.5)
    half = WIDTH // 2
    assert np.array_equal(frame[:, :half], a[:, half:])  # a's right half, moved left
    assert np.array_equal(frame[:, half:], b[:, :half])  # b's left half comes in at the right


def test_push_down_moves_both_slides_down(slides):
    a, b = slides
    frame = make_transition("push-down", 0.6, easing="linear").frame(a, b, 0.5)
    half = HEIGHT // 2
    assert np.array_equal(frame[half:], a[:half])
    assert np.array_equal(frame[:half], b[half:])


def test_cover_left_slides_b_over_a_still_slide(slides):
    a, b = slides
    frame = make_transition("cover-left", 0.6, easing="linear").frame(a, b, 0.25)
    edge = WIDTH - WIDTH // 4
    assert np.array_equal(frame[:, :edge], a[:, :edge])  # a does not move
    assert np.array_equal(frame[:, edge:], b[:, : WIDTH // 4])  # b's left edge leads


def test_uncover_right_moves_a_away_from_a_still_b(slides):
    a, b = slides
    frame = make_transition("uncover-right", 0.6, easing="linear").frame(a, b, 0.25)
    d = WIDTH // 4
    assert np.array_equal(frame[:, :d], b[:, :d])  # b shows where a has left, unmoved
    assert np.array_equal(frame[:, d:], a[:, : WIDTH - d])


@pytest.mark.parametrize(
    ("kind", "b_side"),
    [("wipe-left", "right"), ("wipe-right", "left"), ("wipe-up", "bottom"), ("wipe-down", "top")],
)
def test_wipe_reveals_b_from_where_the_edge_starts_with_a_soft_edge(kind, b_side):
    a = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    b = np.full((HEIGHT, WIDTH, 3), 255, dtype=np.uint8)
    frame = make_transition(kind, 0.6).frame(a, b, 0.5)[..., 0].astype(int)
    profile = frame.mean(axis=0) if kind in ("wipe-left", "wipe-right") else frame.mean(axis=1)
    if b_side in ("right", "bottom"):
        profile = profile[::-1]
    assert profile[0] == 255 and profile[-1] == 0
    assert (np.diff(profile) <= 0).all()  # one edge, from b to a
    grey = ((profile > 0) & (profile < 255)).sum()
    assert grey >= 5  # soft, not a hard line


def test_wipe_covers_more_of_the_slide_as_it_goes():
    a = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    b = np.full((HEIGHT, WIDTH, 3), 255, dtype=np.uint8)
    wipe = make_transition("wipe-left", 0.6)
    shares = [wipe.frame(a, b, p / 10).mean() for p in range(11)]
    assert all(x < y for x, y in zip(shares, shares[1:], strict=False))


def test_zoom_in_grows_b_from_the_centre(slides):
    a, b = slides
    zoom = make_transition("zoom-in", 0.6, easing="linear")
    small, large = zoom.frame(a, b, 0.3), zoom.frame(a, b, 0.7)
    changed_small = (small != a).any(axis=2)
    changed_large = (large != a).any(axis=2)
    assert changed_small.sum() < changed_large.sum()
    assert changed_small[HEIGHT // 2, WIDTH // 2] and not changed_small[0, 0]
    assert np.array_equal(small[0], a[0])  # the border still shows a


def test_unknown_kind_or_easing_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="crossfade"):
        make_transition("spin", 0.5)
    with pytest.raises(ValueError, match="ease-in-out"):
        make_transition("crossfade", 0.5, easing="bounce")


def test_every_kind_has_a_duration_and_a_cli_name():
    for kind in TRANSITIONS:
        assert make_transition(kind, 0.7).duration == 0.7
        assert kind == kind.lower() and " " not in kind

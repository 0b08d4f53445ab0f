"""Ken Burns: frames of the right size, a real but gentle move, smooth from frame to frame."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.model import Slide
from lecture_studio.model.lecture import Lecture
from lecture_studio.model.schema import lecture_from_dict, lecture_to_dict
from lecture_studio.render.visual import slide_motion_of
from lecture_studio.transitions.motion import ken_burns, slide_motion


@pytest.fixture(scope="module")
def picture() -> np.ndarray:
    """A smooth picture with detail, 320x180."""
    y, x = np.mgrid[0:180, 0:320]
    red = 128 + 100 * np.sin(x / 9.0)
    green = 128 + 100 * np.cos(y / 7.0)
    blue = (x + y) % 256
    return np.dstack([red, green, blue]).astype(np.uint8)


def mean_abs_diff(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.abs(x.astype(int) - y.astype(int)).mean())


def test_frames_have_the_picture_size_or_the_size_asked_for(picture):
    move = ken_burns(picture, 30)
    assert move(0).shape == picture.shape and move(15).dtype == np.uint8
    sized = ken_burns(picture, 30, size=(160, 90))
    assert sized(29).shape == (90, 160, 3)


def test_starts_on_the_whole_picture_and_ends_zoomed_in(picture):
    move = ken_burns(picture, 60, zoom=(1.0, 1.2))
    assert np.array_equal(move(0), picture)
    last = move(59)
    assert mean_abs_diff(last, picture) > 5
    # Zoomed 1.2x about the centre: the centre pixel stays, the corner shows what was inside.
    assert np.abs(last[90, 160].astype(int) - picture[90, 160]).max() <= 3
    assert np.abs(last[0, 0].astype(int) - picture[15, 27]).max() <= 12


def test_moves_smoothly_with_no_jumps(picture):
    frames = 90
    move = ken_burns(picture, frames, zoom=(1.0, 1.06), pan=(0.05, 0.0))
    steps = [mean_abs_diff(move(k), move(k + 1)) for k in range(frames - 1)]
    middle = steps[len(steps) // 4 : -len(steps) // 4]
    assert min(middle) > 0  # it really moves
    assert max(steps) <= 2.5 * np.median(steps)  # and never jumps


def test_the_view_never_leaves_the_picture(picture):
    move = ken_burns(picture, 10, zoom=(1.1, 1.1), pan=(1.0, 1.0))
    last = move(9)
    # Panned as far as it goes: the bottom-right corner is the picture's own.
    assert np.abs(last[-1, -1].astype(int) - picture[-1, -1]).max() <= 3


def test_zooming_out_beyond_the_picture_is_refused(picture):
    with pytest.raises(ValueError, match="zoom"):
        ken_burns(picture, 10, zoom=(0.9, 1.0))


def test_slide_motion_follows_the_slides_switch(picture):
    assert slide_motion("none", picture, 30) is None
    move = slide_motion("ken-burns", picture, 30)
    assert move is not None and move(29).shape == picture.shape


def test_the_motion_switch_is_saved_with_the_project_and_follows_the_lecture_by_default():
    assert Slide().motion is None  # the lecture's default
    lecture = Lecture(slides=[Slide(motion="ken-burns"), Slide(), Slide(motion="none")])
    data = lecture_to_dict(lecture)
    assert [s.motion for s in lecture_from_dict(data).slides] == ["ken-burns", None, "none"]
    del data["lecture"]["slides"][0]["motion"]  # a project saved before the switch existed
    assert lecture_from_dict(data).slides[0].motion is None


def test_a_slide_switched_off_stays_still_when_the_lecture_moves_every_slide():
    still, default, moving = Slide(motion="none"), Slide(), Slide(motion="ken-burns")
    lecture = Lecture(slides=[still, default, moving])
    assert [slide_motion_of(lecture, s) for s in lecture.slides] == ["none", "none", "ken-burns"]
    lecture.style.motion = "ken-burns"
    assert [slide_motion_of(lecture, s) for s in lecture.slides] == [
        "none",
        "ken-burns",
        "ken-burns",
    ]

"""A transition in an exported MP4: the right length, centred on the slide boundary."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from lecture_studio.model import TransitionSpec
from lecture_studio.model.timeline import SlideTiming, Timeline
from lecture_studio.render.encoder import VideoSettings, encode_mp4
from lecture_studio.render.plan import video_segments
from lecture_studio.transitions import make_transition

WIDTH, HEIGHT, FPS, RATE = 320, 180, 30, 48000
SLIDE_FRAMES = 60
TRANSITION = TransitionSpec("push-left", 0.6)
COUNT = 18  # 0.6 s at 30 fps


def slide(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = rng.integers(150, 256, 3)
    for row in range(30, 160, 20):
        image[row : row + 10, 20 : int(rng.integers(120, 300))] = rng.integers(0, 80, 3)
    return image


def timing(index: int, transition_frames: int) -> SlideTiming:
    start = index * SLIDE_FRAMES
    return SlideTiming(
        slide_id=f"s{index}",
        index=index,
        start_sample=start * RATE // FPS,
        end_sample=(start + SLIDE_FRAMES) * RATE // FPS,
        narration_start=start * RATE // FPS,
        narration_samples=0,
        start_frame=start,
        end_frame=start + SLIDE_FRAMES,
        transition=TRANSITION,
        transition_frames=transition_frames,
    )


def psnr(x: np.ndarray, y: np.ndarray) -> float:
    mse = np.mean((x.astype(np.float64) - y.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture(scope="module")
def decoded(tmp_path_factory) -> list[np.ndarray]:
    a, b = slide(1), slide(2)
    timeline = Timeline(FPS, RATE, (timing(0, COUNT), timing(1, 0)))
    segments = list(video_segments(timeline, {"s0": a, "s1": b}))
    path: Path = tmp_path_factory.mktemp("transition") / "push.mp4"
    audio = np.zeros((timeline.total_samples, 2), dtype=np.float32)
    encode_mp4(path, segments, audio, VideoSettings(WIDTH, HEIGHT, fps=FPS))
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_the_video_keeps_the_slides_length(decoded):
    assert len(decoded) == 2 * SLIDE_FRAMES


def test_the_transition_straddles_the_slide_boundary(decoded):
    a, b = slide(1), slide(2)
    push = make_transition(TRANSITION.kind, TRANSITION.duration)
    first = SLIDE_FRAMES - COUNT // 2  # half of the transition before the boundary
    assert psnr(decoded[first - 1], a) > 35  # slide a, still, up to the transition
    assert psnr(decoded[first + COUNT], b) > 35  # slide b, still, right after it
    for k in range(COUNT):
        expected = push.frame(a, b, (k + 1) / (COUNT + 1))
        frame = decoded[first + k]
        assert psnr(frame, expected) > 30, k
        assert psnr(frame, expected) > psnr(frame, a) and psnr(frame, expected) > psnr(frame, b)

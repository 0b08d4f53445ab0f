"""The MP4 encoder writes YouTube's recommended settings, exact frames, and cleans up on failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.reformatter import ColorRange, Colorspace
from instruments.mp4inspect import decoded_rgb, inspect_mp4

from lecture_studio.errors import Cancelled, ExportError
from lecture_studio.jobs import CancelToken
from lecture_studio.render.encoder import (
    SAMPLE_RATE,
    BlendSegment,
    MotionSegment,
    StillSegment,
    VideoSettings,
    encode_mp4,
)
from lecture_studio.render.presets import PRESETS

WIDTH, HEIGHT, FPS = 640, 360, 30


def slide_picture(seed: int) -> np.ndarray:
    """A slide-like picture: light background, a title band, dark 'text' lines, a colour box."""
    rng = np.random.default_rng(seed)
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[:] = rng.integers(225, 256, 3)
    image[:48] = np.linspace(60, 200, WIDTH, dtype=np.uint8)[None, :, None] * (0.4, 0.6, 1.0)
    for row in range(80, 300, 24):
        for word in range(int(rng.integers(3, 9))):
            left = 40 + 60 * word
            image[row : row + 12, left : left + int(rng.integers(20, 52))] = rng.integers(0, 60)
    image[240:330, 460:600] = rng.integers(0, 256, 3)
    return image


def crossfade(first: np.ndarray, second: np.ndarray, frames: int) -> MotionSegment:
    def render(index: int) -> np.ndarray:
        weight = (index + 1) / (frames + 1)
        mix = first.astype(np.float32) * (1 - weight) + second.astype(np.float32) * weight
        return np.rint(mix).astype(np.uint8)

    return MotionSegment(frames, render)


def tone(n_frames: int, fps: int = FPS) -> np.ndarray:
    samples = round(n_frames * SAMPLE_RATE / fps)
    t = np.arange(samples) / SAMPLE_RATE
    left = 0.4 * np.sin(2 * np.pi * 440 * t)
    right = 0.4 * np.sin(2 * np.pi * 660 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


A, B, C = slide_picture(1), slide_picture(2), slide_picture(3)
# 10 s at 30 fps: lengths that are and are not multiples of the 15-frame GOP.
LECTURE = [
    StillSegment(A, 100),
    StillSegment(B, 75),
    crossfade(B, C, 20),
    StillSegment(C, 105),
]
N_FRAMES = sum(segment.frames for segment in LECTURE)


def expected_frame(index: int) -> np.ndarray:
    for segment in LECTURE:
        if index < segment.frames:
            if isinstance(segment, StillSegment):
                return segment.image
            return segment.render(index)
        index -= segment.frames
    raise IndexError(index)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture(scope="module")
def lecture_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("encoder") / "lecture.mp4"
    encode_mp4(path, LECTURE, tone(N_FRAMES), VideoSettings(WIDTH, HEIGHT, fps=FPS))
    return path


def test_video_stream_follows_youtube_recommendations(lecture_mp4: Path) -> None:
    video = inspect_mp4(lecture_mp4).video
    assert video is not None
    assert (video.codec, video.profile, video.pix_fmt) == ("h264", "High", "yuv420p")
    assert (video.width, video.height) == (WIDTH, HEIGHT)
    assert video.interlaced is False
    assert (video.color_primaries, video.color_trc, video.colorspace, video.color_range) == (
        "bt709",
        "bt709",
        "bt709",
        "tv",
    )
    assert video.average_rate == FPS and video.base_rate == FPS


def test_gops_are_closed_half_a_second_with_two_b_frames(lecture_mp4: Path) -> None:
    video = inspect_mp4(lecture_mp4).video
    assert video.closed_gops
    assert max(video.gop_lengths) == FPS // 2
    # Each segment starts a GOP; inside a segment every GOP but the last is full.
    assert video.keyframe_indices[:8] == (0, 15, 30, 45, 60, 75, 90, 100)
    assert {0, 100, 175, 195} <= set(video.keyframe_indices)
    assert video.max_consecutive_b_frames == 2
    assert video.b_frame_count > N_FRAMES // 3


def test_frames_are_exact_and_constant_rate(lecture_mp4: Path) -> None:
    report = inspect_mp4(lecture_mp4)
    video = report.video
    assert video.frame_count == N_FRAMES
    assert video.is_constant_frame_rate
    assert video.frame_times[0] == 0.0
    assert video.frame_times[-1] == pytest.approx((N_FRAMES - 1) / FPS, abs=1e-6)
    assert video.start_time == 0.0
    assert video.duration == pytest.approx(N_FRAMES / FPS, abs=1e-6)
    assert report.duration == pytest.approx(N_FRAMES / FPS, abs=1 / FPS)


def test_audio_is_aac_lc_48k_stereo_starting_with_the_video(lecture_mp4: Path) -> None:
    audio = inspect_mp4(lecture_mp4).audio
    assert audio is not None
    assert (audio.codec, audio.profile) == ("aac", "LC")
    assert (audio.sample_rate, audio.channels) == (48_000, 2)
    assert audio.start_time == 0.0
    assert audio.duration == pytest.approx(N_FRAMES / FPS, abs=1 / FPS)
    assert 0 < audio.bit_rate <= 384_000 * 1.05


def test_file_layout_streams_without_edit_lists(lecture_mp4: Path) -> None:
    report = inspect_mp4(lecture_mp4)
    assert report.moov_before_mdat
    assert report.top_level_boxes[0] == "ftyp"
    assert not report.has_edit_list
    assert report.edit_list_count == 0


def test_decoded_frames_match_the_segments(lecture_mp4: Path) -> None:
    scores = [psnr(rgb, expected_frame(i)) for i, rgb in enumerate(decoded_rgb(lecture_mp4))]
    assert len(scores) == N_FRAMES
    assert min(scores) >= 40.0, f"worst frame {int(np.argmin(scores))}: {min(scores):.1f} dB"


def test_ffmpeg_decodes_the_file_without_errors(lecture_mp4: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("the ffmpeg command is not installed")
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(lecture_mp4), "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == ""


def test_awkward_segment_lengths_keep_every_frame(tmp_path: Path) -> None:
    # 31 and 16 leave one frame over a whole GOP; 1-frame segments; a motion segment of 31.
    segments = [
        StillSegment(A, 31),
        crossfade(A, B, 31),
        StillSegment(B, 1),
        StillSegment(C, 16),
        StillSegment(A, 13),
    ]
    n_frames = sum(segment.frames for segment in segments)
    path = tmp_path / "awkward.mp4"
    encode_mp4(path, segments, tone(n_frames), VideoSettings(WIDTH, HEIGHT))
    video = inspect_mp4(path).video
    assert video.frame_count == n_frames and video.is_constant_frame_rate
    # 31 still frames: cut from the full GOP (13 + 10 + 4 + 4), no second encode; 16: 8 + 8
    assert video.gop_lengths == (13, 10, 4, 4, 15, 8, 8, 1, 8, 8, 13)
    expected = [segments[0].image] * 31 + [segments[1].render(i) for i in range(31)]
    expected += [B] + [C] * 16 + [A] * 13
    for index, rgb in enumerate(decoded_rgb(path)):
        assert psnr(rgb, expected[index]) >= 40.0, f"frame {index}"


def test_a_picture_over_the_bitrate_cap_is_coarsened_to_fit(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    settings = VideoSettings.from_preset("720p", fps=30)
    noise = rng.integers(0, 256, (settings.height, settings.width, 3), dtype=np.uint8)
    path = tmp_path / "noise.mp4"
    encode_mp4(path, [StillSegment(noise, 60)], tone(60), settings)
    video_bits = 8 * (path.stat().st_size) - 384_000 * 2
    assert video_bits / 2 <= PRESETS["720p"].max_bitrate * 1.05
    assert inspect_mp4(path).video.frame_count == 60


def test_a_crossfade_over_the_bitrate_cap_is_encoded_again_with_the_cap(tmp_path: Path) -> None:
    """Crossfades are encoded at a constant quantizer; one whose frames would overflow the
    cap's buffer (between two pictures of noise, as busy as pictures get) is encoded again
    with the crf and the cap, and then stays near the cap. A slide's crossfade is not."""
    rng = np.random.default_rng(11)
    settings = VideoSettings(WIDTH, HEIGHT, FPS, preset="720p")
    weights = tuple((i + 1) / 16 for i in range(15))
    busy = [rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(2)]
    calm = encode_mp4(
        tmp_path / "calm.mp4",
        [BlendSegment(slide_picture(1), slide_picture(2), weights)],
        tone(15),
        settings,
    )
    assert calm.frames_encoded == 15
    path = tmp_path / "busy.mp4"
    stats = encode_mp4(path, [BlendSegment(busy[0], busy[1], weights)], tone(15), settings)
    assert stats.frames_encoded == 30
    video_bits = 8 * path.stat().st_size - 384_000 / 2
    assert video_bits <= (0.9 + 0.5 * 1.1) * PRESETS["720p"].max_bitrate  # buffer + refill


def test_cancel_midway_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "cancelled.mp4"
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction > 0.4:
            token.cancel()

    with pytest.raises(Cancelled):
        encode_mp4(path, LECTURE, tone(N_FRAMES), VideoSettings(WIDTH, HEIGHT), progress, token)
    assert not path.exists()
    assert 0.4 < max(seen) < 0.6


def test_failing_frame_render_leaves_no_file(tmp_path: Path) -> None:
    def broken(index: int) -> np.ndarray:
        raise RuntimeError("transition failed")

    path = tmp_path / "broken.mp4"
    segments = [StillSegment(A, 30), MotionSegment(15, broken)]
    with pytest.raises(RuntimeError, match="transition failed"):
        encode_mp4(path, segments, tone(45), VideoSettings(WIDTH, HEIGHT))
    assert not path.exists()


def test_unwritable_folder_gives_export_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root writes anywhere; a "folder" that is a plain file fails the same way for everyone
        (tmp_path / "not-a-folder").write_text("x")
        path = tmp_path / "not-a-folder" / "lecture.mp4"
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        path = folder / "lecture.mp4"
    with pytest.raises(ExportError) as caught:
        encode_mp4(path, [StillSegment(A, 30)], tone(30), VideoSettings(WIDTH, HEIGHT))
    message = caught.value.message
    assert str(path.parent) in message
    assert message.count(".") == 1 and message.endswith(".")


def test_full_disk_gives_export_error() -> None:
    device = Path("/dev/full")
    if not device.is_char_device() or not os.access(device, os.W_OK):
        pytest.skip("/dev/full is not available to simulate a full disk")
    with pytest.raises(ExportError, match="full"):
        encode_mp4(device, [StillSegment(A, 300)], tone(300), VideoSettings(WIDTH, HEIGHT))
    assert device.is_char_device()


def test_audio_and_video_lengths_must_agree(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="audio"):
        encode_mp4(
            tmp_path / "x.mp4", [StillSegment(A, 30)], tone(40), VideoSettings(WIDTH, HEIGHT)
        )
    assert not (tmp_path / "x.mp4").exists()


def test_pictures_must_have_the_output_size(tmp_path: Path) -> None:
    small = np.zeros((90, 160, 3), np.uint8)
    with pytest.raises(ValueError, match="segment 0"):
        encode_mp4(
            tmp_path / "x.mp4", [StillSegment(small, 30)], tone(30), VideoSettings(WIDTH, HEIGHT)
        )


def test_size_presets_match_youtube_classes() -> None:
    sizes = {name: VideoSettings.from_preset(name) for name in ("720p", "1080p", "1440p", "2160p")}
    assert [(s.width, s.height) for s in sizes.values()] == [
        (1280, 720),
        (1920, 1080),
        (2560, 1440),
        (3840, 2160),
    ]
    assert [s.max_bitrate for s in sizes.values()] == [5e6, 8e6, 16e6, 40e6]
    assert VideoSettings.from_preset("1080p", fps=60).gop_frames == 30
    assert VideoSettings(1920, 1080).preset == "1080p"
    with pytest.raises(ValueError):
        VideoSettings(1920, 1080, x264_preset="ultrafast")
    with pytest.raises(ValueError):
        VideoSettings(1920, 1080, fps=29)


def test_frames_match_a_plain_encode_of_every_frame(lecture_mp4: Path, tmp_path: Path) -> None:
    """The fast paths (one GOP per still repeated, copies after its IDR, YUV crossfades, pieces
    on several threads) look like the plain way: every frame through one x264 encoder."""
    plain = tmp_path / "plain.mp4"
    with av.open(str(plain), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"crf": "18", "preset": "superfast", "x264-params": "keyint=15:bframes=2"}
        for index in range(N_FRAMES):
            frame = av.VideoFrame.from_ndarray(expected_frame(index), format="rgb24")
            frame = frame.reformat(
                format="yuv420p",
                src_colorspace=Colorspace.ITU709,
                dst_colorspace=Colorspace.ITU709,
                src_color_range=ColorRange.JPEG,
                dst_color_range=ColorRange.MPEG,
            )
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    scores = [psnr(a, b) for a, b in zip(decoded_rgb(lecture_mp4), decoded_rgb(plain), strict=True)]
    assert len(scores) == N_FRAMES
    assert min(scores) >= 40.0, f"frame {int(np.argmin(scores))}: {min(scores):.1f} dB"

"""The encoder's fast paths: sound streamed piece by piece, crossfades blended in YUV."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from av.video.reformatter import ColorRange, Colorspace

from lecture_studio.render.encoder import (
    AAC_PRIMING,
    AUDIO_SAMPLE_RATE,
    AudioStream,
    BlendSegment,
    StillSegment,
    VideoSettings,
    encode_mp4,
)
from lecture_studio.render.mp4inspect import inspect_mp4

WIDTH, HEIGHT, FPS = 320, 180, 30
PICTURE = np.full((HEIGHT, WIDTH, 3), 200, np.uint8)


def chirp(n_frames: int) -> np.ndarray:
    n = round(n_frames * AUDIO_SAMPLE_RATE / FPS)
    t = np.arange(n) / AUDIO_SAMPLE_RATE
    left = 0.3 * np.sin(2 * np.pi * (200 + 300 * t) * t)
    return np.stack([left, 0.5 * left], axis=1).astype(np.float32)


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


def test_streamed_sound_matches_the_array_and_is_read_in_small_pieces(tmp_path: Path) -> None:
    n_frames = 150
    track = chirp(n_frames)
    reads: list[tuple[int, int]] = []

    def read(start: int, count: int) -> np.ndarray:
        reads.append((start, count))
        return track[start : start + count]

    segments = [StillSegment(PICTURE, n_frames)]
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    encode_mp4(tmp_path / "array.mp4", segments, track, settings)
    encode_mp4(tmp_path / "stream.mp4", segments, AudioStream(len(track), read), settings)

    assert np.array_equal(
        decoded_audio(tmp_path / "array.mp4"), decoded_audio(tmp_path / "stream.mp4")
    )
    assert max(count for _, count in reads) <= AUDIO_SAMPLE_RATE  # never the whole track
    assert reads[0][0] == AAC_PRIMING and reads[-1][0] + reads[-1][1] == len(track)
    starts = [start for start, _ in reads]
    assert starts == sorted(starts)
    audio = inspect_mp4(tmp_path / "stream.mp4").audio
    assert audio.start_time == 0.0
    assert audio.duration == pytest.approx(n_frames / FPS, abs=1 / FPS)


def test_a_stream_of_the_wrong_length_or_shape_is_refused(tmp_path: Path) -> None:
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    segments = [StillSegment(PICTURE, 30)]
    with pytest.raises(ValueError, match="audio"):
        encode_mp4(tmp_path / "a.mp4", segments, AudioStream(96_000, lambda s, c: None), settings)

    def mono(start: int, count: int) -> np.ndarray:
        return np.zeros(count, np.float32)

    with pytest.raises(ValueError, match="audio read"):
        encode_mp4(tmp_path / "b.mp4", segments, AudioStream(48_000, mono), settings)
    assert not (tmp_path / "b.mp4").exists()


def slide(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = np.full((HEIGHT, WIDTH, 3), rng.integers(200, 256, 3), np.uint8)
    for row in range(30, 150, 20):
        image[row : row + 10, 20 : int(rng.integers(120, 300))] = rng.integers(0, 80, 3)
    image[100:170, 200:300] = rng.integers(0, 256, 3)
    return image


def test_a_yuv_crossfade_looks_like_the_rgb_blend_frame_by_frame(tmp_path: Path) -> None:
    a, b = slide(1), slide(2)
    weights = tuple((k + 1) / 16 for k in range(15))
    segments = [StillSegment(a, 20), BlendSegment(a, b, weights), StillSegment(b, 20)]
    n_frames = 55
    path = tmp_path / "fade.mp4"
    encode_mp4(path, segments, chirp(n_frames), VideoSettings(WIDTH, HEIGHT, fps=FPS))

    def rgb_blend(weight: float) -> np.ndarray:
        mix = a.astype(np.float64) * (1 - weight) + b.astype(np.float64) * weight
        return np.rint(mix).astype(np.uint8)

    expected = [a] * 20 + [rgb_blend(w) for w in weights] + [b] * 20
    with av.open(str(path)) as container:
        decoded = [
            frame.reformat(
                format="rgb24",
                src_colorspace=Colorspace.ITU709,
                src_color_range=ColorRange.MPEG,
                dst_color_range=ColorRange.JPEG,
            ).to_ndarray()
            for frame in container.decode(video=0)
        ]
    assert len(decoded) == n_frames
    for index, (got, want) in enumerate(zip(decoded, expected, strict=True)):
        mse = np.mean((got.astype(np.float64) - want) ** 2)
        assert 10 * np.log10(255**2 / max(mse, 1e-9)) >= 40.0, f"frame {index}"
    # The fade moves steadily from a to b: each blended frame is nearer b than the one before.
    distance = [np.mean(np.abs(frame.astype(np.int16) - b)) for frame in decoded[20:35]]
    assert all(later < earlier for earlier, later in zip(distance, distance[1:], strict=False))
    assert inspect_mp4(path).video.frame_count == n_frames


def test_blend_weights_outside_zero_to_one_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="weights"):
        encode_mp4(
            tmp_path / "x.mp4",
            [BlendSegment(PICTURE, PICTURE, (0.5, 1.5))],
            chirp(2),
            VideoSettings(WIDTH, HEIGHT, fps=FPS),
        )

"""The encoder's fast paths: sound encoded island by island, crossfades blended in YUV, and
pieces encoded before taken from the cache."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from instruments.mp4inspect import decoded_rgb, inspect_mp4

from lecture_studio.render.aac import plan_islands
from lecture_studio.render.encoder import (
    AAC_PRIMING,
    SAMPLE_RATE,
    AudioPiece,
    AudioTrack,
    BlendSegment,
    EncodeStats,
    StillSegment,
    VideoSettings,
    encode_mp4,
)
from lecture_studio.render.packets import PacketCache

WIDTH, HEIGHT, FPS = 320, 180, 30
PICTURE = np.full((HEIGHT, WIDTH, 3), 200, np.uint8)


def chirp(n_frames: int) -> np.ndarray:
    n = round(n_frames * SAMPLE_RATE / FPS)
    t = np.arange(n) / SAMPLE_RATE
    left = 0.3 * np.sin(2 * np.pi * (200 + 300 * t) * t)
    return np.stack([left, 0.5 * left], axis=1).astype(np.float32)


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


def speech(seconds: float, seed: int) -> np.ndarray:
    """Mono noise shaped into syllables: sound the AAC encoder works at."""
    rng = np.random.default_rng(seed)
    n = round(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)
    return (0.2 * rng.standard_normal(n) * envelope).astype(np.float32)


def three_pieces(n_frames: int, starts: tuple[int, int, int], loads: list[int]) -> AudioTrack:
    clips = [speech(1.0, seed) for seed in range(3)]

    def piece(i: int) -> AudioPiece:
        def load() -> np.ndarray:
            loads.append(i)
            return clips[i]

        return AudioPiece(starts[i], len(clips[i]), load, key=f"speech-{i}")

    return AudioTrack(round(n_frames * SAMPLE_RATE / FPS), tuple(piece(i) for i in range(3)))


def test_sound_pieces_are_encoded_island_by_island_like_one_encode(tmp_path: Path) -> None:
    n_frames = 150  # 5 s; three 1 s pieces with silence between them
    loads: list[int] = []
    starts = (AAC_PRIMING, 2 * SAMPLE_RATE, 2 * SAMPLE_RATE + 49_152)
    track = three_pieces(n_frames, starts, loads)
    assert [(i.begin, i.end) for i in plan_islands(track)] == [(1024, 51_200), (93_184, 195_584)]
    whole = track.read(0, track.n_samples)
    segments = [StillSegment(PICTURE, n_frames)]
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    encode_mp4(tmp_path / "islands.mp4", segments, track, settings)
    encode_mp4(tmp_path / "one.mp4", segments, whole, settings)
    assert loads == [0, 1, 2, 0, 1, 2]  # each piece loaded when its island came, once

    islands, one = decoded_audio(tmp_path / "islands.mp4"), decoded_audio(tmp_path / "one.mp4")
    assert islands.shape == one.shape
    # The same sound at the same place, as faithful as one encode of the whole track...
    source = whole[:, 0]

    def snr(decoded: np.ndarray) -> float:
        noise = np.mean((decoded[0, : len(source)] - source) ** 2)
        return float(10 * np.log10(np.mean(source**2) / noise))

    assert snr(islands) > snr(one) - 0.5
    # ...and the seams between islands and silent packets are exact silence.
    assert not np.any(islands[:, 51_200:93_184])
    audio = inspect_mp4(tmp_path / "islands.mp4").audio
    assert audio.start_time == 0.0
    assert audio.duration == pytest.approx(n_frames / FPS, abs=1 / FPS)


def test_a_track_of_the_wrong_length_or_a_piece_of_the_wrong_shape_is_refused(
    tmp_path: Path,
) -> None:
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    segments = [StillSegment(PICTURE, 30)]
    with pytest.raises(ValueError, match="audio"):
        encode_mp4(tmp_path / "a.mp4", segments, AudioTrack(96_000), settings)

    wrong = AudioPiece(4096, 1000, lambda: np.zeros(999, np.float32))
    with pytest.raises(ValueError, match="sound placed at sample 4096"):
        encode_mp4(tmp_path / "b.mp4", segments, AudioTrack(48_000, (wrong,)), settings)
    assert not (tmp_path / "b.mp4").exists()


def test_a_second_export_takes_unchanged_pieces_from_the_cache(tmp_path: Path) -> None:
    a, b = slide(1), slide(2)
    weights = tuple((k + 1) / 16 for k in range(15))
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    cache = PacketCache(tmp_path / "cache")
    loads: list[int] = []

    def encode(name: str, still_b: int, starts: tuple[int, int, int]) -> EncodeStats:
        segments = [StillSegment(a, 40), BlendSegment(a, b, weights), StillSegment(b, still_b)]
        n_frames = 55 + still_b
        track = three_pieces(n_frames, starts, loads)
        return encode_mp4(tmp_path / name, segments, track, settings, cache=cache)

    starts = (AAC_PRIMING, 2 * SAMPLE_RATE, 2 * SAMPLE_RATE + 49_152)
    first = encode("first.mp4", 100, starts)
    # a's and b's IDR pictures, the crossfade, and once the copies that follow any IDR
    # (a flat grey GOP) with the busy picture that checks them
    assert first.frames_encoded == 1 + 15 + 1 + (15 + 1)
    assert first.frames_from_cache == 0 and first.audio_samples_from_cache == 0

    again = encode("again.mp4", 100, starts)
    assert again.frames_encoded == 0 and again.audio_samples_encoded == 0
    assert sorted(loads) == [0, 1, 2]  # each once, in any order: the second export loaded none
    assert decoded_audio(tmp_path / "first.mp4").tobytes() == (
        decoded_audio(tmp_path / "again.mp4").tobytes()
    )

    # Slide b lasts a second longer and the last clip moved (by whole AAC frames): the last
    # island holds other sound now, everything else is found again.
    moved = (starts[0], starts[1], starts[2] + 30 * 1024)
    edited = encode("edited.mp4", 130, moved)
    assert edited.frames_encoded == 0
    assert edited.audio_samples_from_cache == 50_176  # the first island
    assert 0 < edited.audio_samples_encoded < 200_000
    assert inspect_mp4(tmp_path / "edited.mp4").video.frame_count == 185


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
    decoded = list(decoded_rgb(path))  # 55 small frames
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


@pytest.mark.parametrize("weight", [0.0, 1 / 16, 0.25, 0.5, 0.9, 1.0])
def test_blended_planes_are_the_rounded_mix_of_the_two_pictures(weight: float) -> None:
    from lecture_studio.render.encoder import _PlaneBlend

    rng = np.random.default_rng(5)
    first, second = (rng.integers(0, 256, (54, 64), dtype=np.uint8) for _ in range(2))
    got = _PlaneBlend(first, second).frame(weight).to_ndarray()
    w = round(weight * 128) / 128  # the blend's step
    exact = first * (1 - w) + second.astype(np.float64) * w
    assert np.abs(got - exact).max() <= 0.5  # rounded to nearest (ties up)
    if weight in (0.0, 1.0):
        np.testing.assert_array_equal(got, second if weight else first)


@pytest.mark.parametrize("rows", [54, 45])  # frames over the planes; copies (height 30)
def test_a_crossfade_of_pictures_that_differ_in_places_mixes_every_frame_in_turn(
    rows: int,
) -> None:
    """Only where the pictures differ is mixed (the rest stays the first picture's), frame
    after frame into one buffer: each frame is the rounded mix, going back and forth."""
    from lecture_studio.render.encoder import _PlaneBlend

    rng = np.random.default_rng(6)
    first = rng.integers(0, 256, (rows, 64), dtype=np.uint8)
    second = first.copy()
    second[3:9, 40:50] = rng.integers(0, 256, (6, 10))  # two places far apart, and a pixel
    second[30:33, 2:60] = rng.integers(0, 256, (3, 58))
    second[rows - 1, 63] ^= 0xFF
    blend = _PlaneBlend(first, second)
    for weight in (1 / 16, 0.5, 1.0, 0.25, 0.0, 0.9):
        got = blend.frame(weight).to_ndarray()
        w = round(weight * 128)
        exact = (first.astype(np.int64) * 128 + (second.astype(np.int64) - first) * w + 64) >> 7
        np.testing.assert_array_equal(got, exact, err_msg=f"weight {weight}")

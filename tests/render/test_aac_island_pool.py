"""AAC islands encoded elsewhere (``encode_mp4(..., island_pool=)``, as a batch on Ray passes
its tasks): each island not in the cache goes through the pool as a plain value that another
process encodes, and the sound written is the encode's own threads', packet for packet."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from lecture_studio.render.aac import AAC_PRIMING, SAMPLE_RATE, IslandSound, plan_islands
from lecture_studio.render.encoder import (
    AudioPiece,
    AudioTrack,
    StillSegment,
    VideoSettings,
    encode_mp4,
)
from lecture_studio.render.packets import PacketCache

WIDTH, HEIGHT, FPS = 160, 90, 30
PICTURE = np.full((HEIGHT, WIDTH, 3), 90, np.uint8)


def speech(seconds: float, seed: int) -> np.ndarray:
    """Mono noise shaped into syllables: sound the AAC encoder works at."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)
    return (0.2 * rng.standard_normal(t.size) * envelope).astype(np.float32)


def track(n_frames: int) -> AudioTrack:
    """Two mono pieces close enough to share an island, then a stereo piece whose channels
    differ (an island of its own, encoded the stereo way)."""
    mono_a, mono_b = speech(1.0, 1), speech(0.5, 2)
    left = speech(1.5, 3)
    stereo = np.stack([left, 0.4 * left[::-1]], axis=1)
    pieces = (
        AudioPiece(AAC_PRIMING, len(mono_a), lambda: mono_a, key="a"),
        AudioPiece(AAC_PRIMING + SAMPLE_RATE + 2048, len(mono_b), lambda: mono_b, key="b"),
        AudioPiece(3 * SAMPLE_RATE, len(stereo), lambda: stereo, key="c"),
    )
    return AudioTrack(round(n_frames * SAMPLE_RATE / FPS), pieces)


class CountingPool(Executor):
    """Hands each call to ``inner`` (another process), keeping what it was asked to run."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.calls: list[tuple[str, Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        self.calls.append((fn.__name__, args[0] if args else None))
        return self.inner.submit(fn, *args, **kwargs)


def audio_packets(path: Path) -> list[tuple[bytes, int | None]]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return [(bytes(p), p.pts) for p in container.demux(stream) if p.size]


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


@pytest.fixture(scope="module")
def other_process():
    """One worker process, started afresh (spawn): what it runs arrives pickled."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def test_islands_sent_to_another_process_give_the_same_sound(
    tmp_path: Path, other_process: Executor
) -> None:
    n_frames = 5 * FPS
    sound = track(n_frames)
    islands = plan_islands(sound)
    assert len(islands) == 2
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    segments = [StillSegment(PICTURE, n_frames)]
    here = encode_mp4(tmp_path / "here.mp4", segments, sound, settings)

    pool = CountingPool(other_process)
    cache = PacketCache(tmp_path / "cache")
    there = encode_mp4(
        tmp_path / "there.mp4", segments, sound, settings, cache=cache, island_pool=pool
    )
    # every island went through the pool, as its sound alone: mono once, stereo once (the
    # encode's two island threads hand them over in either order)
    assert [name for name, _ in pool.calls] == ["encode_island", "encode_island"]
    sent = [value for _, value in pool.calls]
    assert all(isinstance(value, IslandSound) for value in sent)
    assert sorted((s.length, s.mono) for s in sent) == sorted(
        (i.end - i.begin, m) for i, m in zip(islands, (True, False), strict=True)
    )
    assert audio_packets(tmp_path / "there.mp4") == audio_packets(tmp_path / "here.mp4")
    assert np.array_equal(
        decoded_audio(tmp_path / "there.mp4"), decoded_audio(tmp_path / "here.mp4")
    )
    assert there.audio_samples_encoded == here.audio_samples_encoded > 0

    # encoded again: the islands come from the cache, and none is sent
    again = encode_mp4(
        tmp_path / "again.mp4", segments, sound, settings, cache=cache, island_pool=pool
    )
    assert len(pool.calls) == 2
    assert again.audio_samples_encoded == 0
    assert audio_packets(tmp_path / "again.mp4") == audio_packets(tmp_path / "here.mp4")


class FailingPool(Executor):
    """A pool whose worker is gone: every call fails."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_exception(RuntimeError("the island's worker is gone"))
        return future


def test_an_island_that_fails_elsewhere_fails_the_encode_and_leaves_no_file(
    tmp_path: Path,
) -> None:
    n_frames = 5 * FPS
    settings = VideoSettings(WIDTH, HEIGHT, fps=FPS)
    with pytest.raises(RuntimeError, match="the island's worker is gone"):
        encode_mp4(
            tmp_path / "failed.mp4",
            [StillSegment(PICTURE, n_frames)],
            track(n_frames),
            settings,
            island_pool=FailingPool(),
        )
    assert not (tmp_path / "failed.mp4").exists()

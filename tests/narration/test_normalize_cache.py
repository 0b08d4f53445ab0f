"""Loudness normalization runs once per distinct clip: a re-export loads it from the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_studio.narration import (
    NarrationClip,
    TimedText,
    cache,
    integrated_loudness,
    normalize_cached,
    true_peak_dbtp,
)

RATE = 48000


def voice(seed: int, seconds: float = 2.0) -> NarrationClip:
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    samples = 0.05 * np.sin(2 * np.pi * 4 * t) * rng.standard_normal(t.size)
    return NarrationClip(samples.astype(np.float32), RATE, (TimedText(0.0, seconds, "Hello."),))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = cache.normalize_loudness

    def counting(samples, rate, target_lufs=-16.0, true_peak_dbtp=-1.0):
        calls.append(len(samples))
        return real(samples, rate, target_lufs, true_peak_dbtp)

    monkeypatch.setattr(cache, "normalize_loudness", counting)
    return calls


def test_second_normalization_of_the_same_clip_loads_it(tmp_path: Path, counted) -> None:
    clip = voice(1)
    first = normalize_cached(clip, tmp_path)
    second = normalize_cached(voice(1), tmp_path)
    assert len(counted) == 1
    assert np.array_equal(first.samples, second.samples)
    assert second.sentences == clip.sentences
    assert integrated_loudness(second.samples, RATE) == pytest.approx(-16.0, abs=0.5)
    assert true_peak_dbtp(second.samples) <= -1.0


def test_only_an_edited_clip_or_another_target_is_normalized_again(tmp_path: Path, counted) -> None:
    for seed in (1, 2, 3):
        normalize_cached(voice(seed), tmp_path)
    counted.clear()
    for seed in (1, 4, 3):  # the second slide's recording was replaced
        normalize_cached(voice(seed), tmp_path)
    assert len(counted) == 1
    quieter = normalize_cached(voice(1), tmp_path, target_lufs=-20.0)
    assert len(counted) == 2
    assert integrated_loudness(quieter.samples, RATE) == pytest.approx(-20.0, abs=0.5)


def test_a_damaged_entry_is_normalized_again(tmp_path: Path, counted) -> None:
    first = normalize_cached(voice(1), tmp_path)
    for entry in (tmp_path / "narration" / "loudness").iterdir():
        entry.write_bytes(b"not numpy")
    again = normalize_cached(voice(1), tmp_path)
    assert len(counted) == 2
    assert np.array_equal(first.samples, again.samples)


def test_an_unwritable_cache_only_costs_the_saving(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = normalize_cached(voice(1), blocker)  # "file/narration/loudness" cannot be made
    assert integrated_loudness(out.samples, RATE) == pytest.approx(-16.0, abs=0.5)


def test_empty_clip_comes_back_as_is(tmp_path: Path) -> None:
    empty = NarrationClip(np.zeros(0, np.float32), RATE)
    assert normalize_cached(empty, tmp_path) is empty
    assert not (tmp_path / "narration" / "loudness").exists()

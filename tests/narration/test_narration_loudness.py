"""Narration comes out at -16 LUFS with true peaks at or under -1 dBTP, whatever went in."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lecture_studio.narration import integrated_loudness, normalize_loudness, true_peak_dbtp

RATE = 48000


def tone(amplitude: float, seconds: float = 3.0, hz: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def spiky_speech_like(seconds: float = 4.0) -> np.ndarray:
    """A quiet tone with short loud bursts: a crest factor that forces the limiter to work."""
    t = np.arange(round(seconds * RATE)) / RATE
    bursts = (np.arange(t.size) % 4800 < 48) * 0.95 * np.sin(2 * np.pi * 2500 * t)
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)
    return (0.03 * syllables * np.sin(2 * np.pi * 220 * t) + bursts).astype(np.float32)


@pytest.mark.parametrize(
    "name, signal",
    [
        ("quiet tone", tone(0.005)),
        ("loud tone", tone(0.99)),
        ("loud bursts", spiky_speech_like()),
    ],
)
def test_output_is_at_target_loudness_under_the_true_peak_ceiling(
    name: str, signal: np.ndarray
) -> None:
    out = normalize_loudness(signal, RATE, target_lufs=-16.0, true_peak_dbtp=-1.0)
    assert out.dtype == np.float32
    assert out.shape == signal.shape
    assert integrated_loudness(out, RATE) == pytest.approx(-16.0, abs=0.5), name
    assert true_peak_dbtp(out) <= -1.0, name
    assert np.max(np.abs(out)) < 1.0


def test_loud_bursts_really_needed_limiting() -> None:
    """Plain gain to -16 LUFS would put this signal's peaks above the ceiling."""
    signal = spiky_speech_like()
    gain_db = -16.0 - integrated_loudness(signal, RATE)
    assert true_peak_dbtp(signal) + gain_db > 0.0


def test_another_target_is_honoured() -> None:
    out = normalize_loudness(tone(0.1), RATE, target_lufs=-23.0, true_peak_dbtp=-2.0)
    assert integrated_loudness(out, RATE) == pytest.approx(-23.0, abs=0.5)
    assert true_peak_dbtp(out) <= -2.0


def test_silence_empty_and_very_short_clips_pass_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        silent = normalize_loudness(np.zeros(RATE, dtype=np.float32), RATE)
        empty = normalize_loudness(np.zeros(0, dtype=np.float32), RATE)
        short = normalize_loudness(tone(0.05, seconds=0.1), RATE)
    assert not silent.any() and silent.size == RATE
    assert empty.size == 0
    assert short.size == round(0.1 * RATE)
    assert integrated_loudness(short, RATE) == pytest.approx(-16.0, abs=0.5)
    assert true_peak_dbtp(short) <= -1.0


def test_true_peak_sees_peaks_between_samples() -> None:
    """A quarter-rate sine sampled at 45 degrees peaks 3 dB above its largest sample."""
    n = np.arange(RATE)
    signal = 0.5 * np.sin(2 * np.pi * (RATE / 4) * n / RATE + np.pi / 4)
    sample_peak_db = 20 * np.log10(np.max(np.abs(signal)))
    assert true_peak_dbtp(signal) > sample_peak_db + 2.5

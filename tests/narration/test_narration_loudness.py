"""Narration comes out at -16 LUFS with true peaks at or under -1 dBTP, whatever went in."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from instruments.fresh import imported_by

from lecture_studio.narration import (
    integrated_loudness,
    loudness,
    normalize_loudness,
    true_peak_dbtp,
)

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


# --- normalize_loudness's own numpy meter, filter and limiter against the references --------


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """Voice-band noise in 'syllables' with short pauses, peaks at 0.3: loud and peaky enough
    that normalizing it to -16 LUFS needs the limiter (as recorded narration often does)."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    noise = rng.standard_normal(n)
    voiced = np.convolve(noise, np.ones(8) / 8, "same") - np.convolve(
        noise, np.ones(160) / 160, "same"
    )
    t = np.arange(n) / RATE
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(3, 6) * t)
    words = np.repeat(rng.random(n // 4800 + 1) > 0.15, 4800)[:n]
    samples = voiced * syllables * words
    return (samples * (0.3 / np.max(np.abs(samples)))).astype(np.float32)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_speech_like_recordings_are_limited_onto_target(seed: int) -> None:
    signal = speech_like(6.0, seed)
    gain_db = -16.0 - integrated_loudness(signal, RATE)
    assert true_peak_dbtp(signal) + gain_db > -1.0  # plain gain would break the ceiling
    out = normalize_loudness(signal, RATE)
    assert integrated_loudness(out, RATE) == pytest.approx(-16.0, abs=0.1)
    assert true_peak_dbtp(out) <= -1.0
    assert np.max(np.abs(out)) < 1.0


def test_a_short_clip_with_peaks_is_limited_too() -> None:
    short = np.where(np.arange(RATE // 5) % 900 < 5, 0.9, 0.01).astype(np.float32)
    out = normalize_loudness(short, RATE)
    assert out.shape == short.shape
    assert true_peak_dbtp(out) <= -1.0
    assert np.max(np.abs(out)) < 1.0


def test_normalizing_imports_neither_scipy_nor_pyloudnorm() -> None:
    """Importing scipy.signal costs more CPU than normalizing a lecture's narration."""
    code = (
        "import numpy as np\n"
        "from lecture_studio.narration.loudness import normalize_loudness\n"
        "t = np.arange(96000) / 48000\n"
        "x = (0.3 * np.sin(2 * np.pi * 220 * t) * (np.arange(96000) % 4800 < 400)).astype('f4')\n"
        "normalize_loudness(x, 48000)\n"
    )
    assert imported_by(code, ("scipy", "pyloudnorm")) == "[]"


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000, 96000])
def test_k_weighting_is_pyloudnorms(rate: int) -> None:
    from pyloudnorm.iirfilter import IIRfilter

    shelf = IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    expected = np.array([[*shelf.b, *shelf.a], [*high_pass.b, *high_pass.a]])
    np.testing.assert_array_equal(loudness._k_weighting(rate), expected)


@pytest.mark.parametrize(
    ("rate", "size"), [(48000, 1), (48000, 511), (48000, 200_001), (44100, 70_000)]
)
def test_block_k_filter_is_the_iir_filter(rate: int, size: int) -> None:
    from scipy.signal import sosfilt

    signal = np.random.default_rng(size).standard_normal(size).astype(np.float32)
    expected = sosfilt(loudness._k_weighting(rate), signal.astype(np.float64))
    got = loudness._filtered(signal, loudness._k_filter(rate))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9 * np.max(np.abs(expected)))


@pytest.mark.parametrize(
    ("rate", "seconds"), [(48000, 0.1), (48000, 0.43), (48000, 7.3), (44100, 3.01), (16000, 2.0)]
)
def test_fast_meter_reads_what_pyloudnorm_reads(rate: int, seconds: float) -> None:
    signal = speech_like(seconds, 7)
    assert loudness._fast_loudness(signal, rate) == pytest.approx(
        integrated_loudness(signal, rate), abs=1e-4
    )


def test_loudness_after_limiting_is_read_from_the_limited_stretches_alone() -> None:
    signal = speech_like(5.0, 3)
    clip = loudness._WeightedClip.of(signal, RATE)
    ceiling = 10 ** (-1.1 / 20)
    for extra_db in (0.0, 3.0, 12.0):  # a few stretches, many, all of the clip
        gain = 10 ** ((-16.0 - clip.loudness() + extra_db) / 20)
        peaks = loudness._loud_peaks(signal, ceiling / gain)
        stretches = loudness._limiter_stretches(signal, peaks, gain, RATE, ceiling)
        assert stretches
        limited = loudness._limited(signal, gain, stretches)
        assert clip.loudness(gain, clip.limited_energy(stretches)) == pytest.approx(
            integrated_loudness(limited, RATE), abs=1e-4
        )


def test_oversampling_filter_is_scipys_resample_poly_filter() -> None:
    from scipy.signal import firwin

    prototype = firwin(81, 1 / 4, window=("kaiser", 5.0)) * 4
    weights, _ = loudness._oversampling_filter()
    for phase in range(4):
        for offset in range(-10, 11):
            tap = 40 + phase - 4 * offset
            expected = prototype[tap] if 0 <= tap <= 80 else 0.0
            assert weights[phase, offset + 10] == pytest.approx(expected, abs=1e-7)


def test_true_peak_is_the_4x_resampled_peak() -> None:
    from scipy.signal import resample_poly

    rng = np.random.default_rng(11)
    for size in (1, 5, 21, 1000, 70_000):
        signal = (rng.standard_normal(size) * 0.2).astype(np.float32)
        expected = 20 * np.log10(np.max(np.abs(resample_poly(signal.astype(np.float64), 4, 1))))
        assert true_peak_dbtp(signal) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("floor", [0.05, 0.2, 0.4])
def test_loud_peaks_miss_no_oversampled_value_over_the_floor(floor: float) -> None:
    """Every sample around which the oversampled signal reaches the floor is listed, with
    the exact oversampled peak; the cheap bound only decides what to skip."""
    signal = np.concatenate((speech_like(2.0, 5), np.zeros(100, np.float32), speech_like(1.0, 6)))
    weights, _ = loudness._oversampling_filter()
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(signal, 10), 21).astype(np.float64)
    every = np.maximum(np.abs(weights.astype(np.float64) @ windows.T).max(axis=0), np.abs(signal))
    positions, values = loudness._loud_peaks(signal, floor)
    # The code sums 21 float32 products in whatever order the BLAS kernel picks: each value
    # may be off by up to 21 float32 roundings of the largest term sum, plus its own rounding.
    scale = (np.abs(weights.astype(np.float64)) @ np.abs(windows.T)).max(axis=0)
    slack = (21 + 1) * np.finfo(np.float32).eps * scale
    must = np.flatnonzero(every >= floor + slack)
    assert np.isin(must, positions).all()
    assert (np.abs(values - every[positions]) <= slack[positions]).all()


@pytest.mark.parametrize("size", [1, 2, 480, 481, 961, 962, 5000])
def test_running_filters_are_scipys(size: int) -> None:
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    parts = [np.random.default_rng(n).random(n) for n in (1, 300, 4000)]
    for part, got in zip(parts, loudness._running_min(parts, size), strict=True):
        np.testing.assert_array_equal(got, minimum_filter1d(part, size, mode="nearest"))
    for part, got in zip(parts, loudness._running_mean(parts, size), strict=True):
        np.testing.assert_allclose(got, uniform_filter1d(part, size, mode="nearest"), atol=1e-12)


def test_neighbouring_limited_stretches_do_not_undo_each_other() -> None:
    """Two bursts just far enough apart to be limited separately, whose stretches overlap:
    the gain ramps smoothly out of the first and into the second (no jump back to 1)."""
    signal = tone(0.05, hz=1000.0)
    for start in (RATE, RATE + 1950):
        signal[start : start + 5] = 0.9
    out = normalize_loudness(signal, RATE)
    assert true_peak_dbtp(out) <= -1.0
    steady = np.abs(signal) > 0.02  # away from zero crossings the applied gain is out / in
    applied = out[steady] / signal[steady]
    assert np.max(np.abs(np.diff(applied))) < 0.05 * np.median(applied)

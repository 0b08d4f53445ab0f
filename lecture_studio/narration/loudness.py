"""Loudness of narration: BS.1770-4 measurement, gain to a target and a true-peak limiter."""

from __future__ import annotations

import warnings

import numpy as np

_OVERSAMPLING = 4
_MEASURE_SECONDS = 0.4  # BS.1770 gating block: pyloudnorm needs at least this much audio
_CHUNK = 1 << 18  # samples per chunk when oversampling, to bound memory on long clips
_CHUNK_CONTEXT = 64  # samples of context each side of a chunk for the resampling filter
_LIMITER_WINDOW_SECONDS = 0.01  # look-ahead (attack) and release of the limiter
_LIMITER_MARGIN_DB = 0.1  # aim this far under the ceiling; the filter is not exact
_LOUDNESS_TOLERANCE_LU = 0.1


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); ``-inf`` for silence or an empty clip.

    Clips shorter than one 0.4 s gating block are measured on a repetition of themselves.
    """
    import pyloudnorm

    data = np.asarray(samples, dtype=np.float64)
    if data.size == 0 or not np.any(data):
        return float("-inf")
    needed = int(np.ceil(_MEASURE_SECONDS * rate)) + 1
    if data.size < needed:
        data = np.tile(data, int(np.ceil(needed / data.size)))
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        return float(pyloudnorm.Meter(rate).integrated_loudness(data))


def _oversampled_peaks(samples: np.ndarray) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x oversampled signal around it."""
    from scipy.signal import resample_poly  # imported on use: scipy.signal takes ~0.5 s

    # float32 is three times faster here than float64, and far more precise than a dB scale.
    data = np.asarray(samples, dtype=np.float32)
    peaks = np.empty(data.size, dtype=np.float64)
    for start in range(0, data.size, _CHUNK):
        stop = min(start + _CHUNK, data.size)
        lo = max(0, start - _CHUNK_CONTEXT)
        hi = min(data.size, stop + _CHUNK_CONTEXT)
        upsampled = np.abs(resample_poly(data[lo:hi], _OVERSAMPLING, 1))
        upsampled = upsampled[(start - lo) * _OVERSAMPLING : (stop - lo) * _OVERSAMPLING]
        peaks[start:stop] = upsampled.reshape(stop - start, _OVERSAMPLING).max(axis=1)
    return np.maximum(peaks, np.abs(data))


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak in dBTP, measured on the 4x oversampled signal; ``-inf`` for silence."""
    if np.size(samples) == 0:
        return float("-inf")
    peak = float(_oversampled_peaks(samples).max())
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _limiter_gain(peaks: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Per-sample gain that brings every true peak above ``ceiling`` (linear) down to it.

    ``peaks`` is the signal's true-peak envelope. The gain each sample needs is spread by a
    minimum filter over twice the window and then averaged over one window: the smoothed
    gain never exceeds what any sample needs, and it ramps in before a peak (look-ahead) and
    out after it, with no per-sample Python loop.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    window = max(1, round(_LIMITER_WINDOW_SECONDS * rate))
    spread = minimum_filter1d(needed, size=2 * window + 1, mode="nearest")
    return np.minimum(uniform_filter1d(spread, size=window + 1, mode="nearest"), needed)


def normalize_loudness(
    samples: np.ndarray,
    rate: int,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
) -> np.ndarray:
    """Bring ``samples`` to ``target_lufs`` with true peaks at or under ``true_peak_dbtp``.

    Applies the gain that reaches the target; where that gain pushes true peaks over the
    ceiling, a look-ahead limiter turns them down and the gain is raised again until the
    loudness is back on target (the true-peak envelope is measured once and scales with the
    gain). Never clips; silence and empty clips come back unchanged (as float32).
    """
    data = np.asarray(samples, dtype=np.float64)
    loudness = integrated_loudness(data, rate)
    if not np.isfinite(loudness):
        return np.asarray(samples, dtype=np.float32).copy()
    ceiling = 10 ** (true_peak_dbtp / 20)
    limiter_ceiling = 10 ** ((true_peak_dbtp - _LIMITER_MARGIN_DB) / 20)
    peaks = _oversampled_peaks(data)
    gain = 10 ** ((target_lufs - loudness) / 20)
    if gain * peaks.max() <= ceiling:
        return (data * gain).astype(np.float32)
    # Limiting takes loudness away, so each dB of gain adds less than a dB of loudness: step
    # along the measured slope (secant) to reach the target in a few measurements.
    log_gain = 20 * np.log10(gain)
    previous: tuple[float, float] | None = None
    for _ in range(8):
        out = (
            data
            * 10 ** (log_gain / 20)
            * _limiter_gain(10 ** (log_gain / 20) * peaks, rate, limiter_ceiling)
        )
        loudness = integrated_loudness(out, rate)
        if abs(loudness - target_lufs) <= _LOUDNESS_TOLERANCE_LU:
            break
        slope = 1.0
        if previous is not None and log_gain != previous[0]:
            slope = float(np.clip((loudness - previous[1]) / (log_gain - previous[0]), 0.2, 1.0))
        previous = (log_gain, loudness)
        log_gain += (target_lufs - loudness) / slope
    peak = _oversampled_peaks(out).max()
    if peak > ceiling:
        # Gain that varies inside the oversampling filter's reach can leave a peak a hair
        # over: the ceiling wins over loudness.
        out = out * (limiter_ceiling / peak)
    return out.astype(np.float32)

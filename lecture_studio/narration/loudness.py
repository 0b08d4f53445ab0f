"""Loudness of narration: BS.1770-4 measurement, gain to a target and a true-peak limiter.

``integrated_loudness`` is pyloudnorm's meter (the reference). ``normalize_loudness`` uses a
vectorized meter of its own that computes the same blocks and gates (K-weighting with
pyloudnorm's filter coefficients; block sums from one cumulative sum instead of a loop per
block), and evaluates the 4x oversampled true peak only around the samples loud enough to
matter: a clip is measured once, scaled, and limited only when its peaks need it.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

_OVERSAMPLING = 4
_HALF_TAPS = 10  # input samples each side that one oversampled value depends on
_MEASURE_SECONDS = 0.4  # BS.1770 gating block: pyloudnorm needs at least this much audio
_BLOCK_STEP = 0.25  # gating blocks overlap by 75%
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_CANDIDATE_BLOCK = 32  # samples per block when looking for loud neighbourhoods
_CHUNK = 1 << 16  # oversampled positions computed at once, to bound memory on long clips
_LIMITER_WINDOW_SECONDS = 0.01  # look-ahead (attack) and release of the limiter
_LIMITER_MARGIN_DB = 0.1  # aim this far under the ceiling; the filter is not exact
_LOUDNESS_TOLERANCE_LU = 0.1
_MAX_LIMITED_STRETCHES = 16  # past this many, the limiter filters the whole clip at once
_MAX_EXTRA_GAIN = 1.41  # the limiter loop may raise the gain this much (3 dB) before re-reading
_DENSE_RUN = 4096  # windows multiplied at once on the dense path
_DENSE_FRACTION = 0.25  # past this share of loud samples, filter the whole clip at once


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); ``-inf`` for silence or an empty clip.

    Clips shorter than one 0.4 s gating block are measured on a repetition of themselves.
    """
    import pyloudnorm

    data = _measurable(np.asarray(samples, dtype=np.float64), rate)
    if data is None:
        return float("-inf")
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        return float(pyloudnorm.Meter(rate).integrated_loudness(data))


def _measurable(data: np.ndarray, rate: int) -> np.ndarray | None:
    """``data`` long enough for one gating block (repeated when shorter); None when silent."""
    if data.size == 0 or not np.any(data):
        return None
    needed = int(np.ceil(_MEASURE_SECONDS * rate)) + 1
    if data.size < needed:
        data = np.tile(data, int(np.ceil(needed / data.size)))
    return data


@functools.lru_cache(maxsize=8)
def _k_weighting(rate: int) -> np.ndarray:
    """The K-weighting filter (pyloudnorm's two biquads) as second-order sections."""
    from pyloudnorm.iirfilter import IIRfilter

    shelf = IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    return np.array([[*shelf.b, *shelf.a], [*high_pass.b, *high_pass.a]], dtype=np.float64)


def _fast_loudness(data: np.ndarray, rate: int) -> float:
    """The loudness ``integrated_loudness`` gives, computed without a Python loop per block."""
    from scipy.signal import sosfilt

    data = _measurable(data, rate)
    if data is None:
        return float("-inf")
    # float32 filtering is twice as fast; the energies are summed in float64.
    weighted = sosfilt(_k_weighting(rate).astype(np.float32), data.astype(np.float32))
    energy = np.concatenate(([0.0], np.cumsum(np.square(weighted, dtype=np.float64))))
    # The block bounds exactly as pyloudnorm computes them (same floating-point operations).
    seconds = data.size / rate
    count = int(np.round((seconds - _MEASURE_SECONDS) / (_MEASURE_SECONDS * _BLOCK_STEP))) + 1
    j = np.arange(count)
    lower = (_MEASURE_SECONDS * (j * _BLOCK_STEP) * rate).astype(np.int64)
    upper = (_MEASURE_SECONDS * (j * _BLOCK_STEP + 1) * rate).astype(np.int64)
    upper = np.minimum(upper, data.size)
    lower = np.minimum(lower, upper)
    power = (energy[upper] - energy[lower]) / (_MEASURE_SECONDS * rate)
    with np.errstate(divide="ignore"):
        block_loudness = -0.691 + 10 * np.log10(power)
    above_absolute = power[block_loudness >= _ABSOLUTE_GATE_LUFS]
    if above_absolute.size == 0:
        return float("-inf")
    relative_gate = -0.691 + 10 * np.log10(above_absolute.mean()) + _RELATIVE_GATE_LU
    gated = power[(block_loudness > relative_gate) & (block_loudness > _ABSOLUTE_GATE_LUFS)]
    if gated.size == 0:
        return float("-inf")
    return float(-0.691 + 10 * np.log10(gated.mean()))


@functools.lru_cache(maxsize=1)
def _oversampling_filter() -> tuple[np.ndarray, float]:
    """Per phase, the weights of input samples ``i-10 .. i+10`` that give oversampled value
    ``4i + phase`` (scipy's ``resample_poly`` filter for 4x), and the largest gain any phase
    can have on a signal (the sum of its absolute weights)."""
    from scipy.signal import firwin

    half = _HALF_TAPS * _OVERSAMPLING
    prototype = firwin(2 * half + 1, 1 / _OVERSAMPLING, window=("kaiser", 5.0)) * _OVERSAMPLING
    weights = np.zeros((_OVERSAMPLING, 2 * _HALF_TAPS + 1), dtype=np.float64)
    for phase in range(_OVERSAMPLING):
        for offset in range(-_HALF_TAPS, _HALF_TAPS + 1):  # input sample i + offset
            tap = half + phase - _OVERSAMPLING * offset
            if 0 <= tap <= 2 * half:
                weights[phase, offset + _HALF_TAPS] = prototype[tap]
    return weights.astype(np.float32), float(np.abs(weights).sum(axis=1).max())


def _true_peak_envelope(samples: np.ndarray, floor: float) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x oversampled signal around it.

    Exact wherever that value can reach ``floor``; elsewhere it is the sample's own magnitude
    (a neighbourhood whose samples are all below ``floor`` over the filter's largest gain
    cannot oversample to ``floor``), so quiet stretches cost nothing.
    """
    data = np.asarray(samples, dtype=np.float32)
    magnitude = np.abs(data)
    envelope = magnitude.astype(np.float64)
    if data.size == 0:
        return envelope
    weights, largest_gain = _oversampling_filter()
    block = _CANDIDATE_BLOCK
    padded = np.zeros(-(-data.size // block) * block, dtype=np.float32)
    padded[: data.size] = magnitude
    block_peak = padded.reshape(-1, block).max(axis=1)
    loud = block_peak * largest_gain >= floor
    # A sample's filter reaches _HALF_TAPS (< one block) either side: widen by one block.
    loud[1:] |= loud[:-1].copy()
    loud[:-1] |= loud[1:].copy()
    if not loud.any():
        return envelope
    if loud.mean() > _DENSE_FRACTION:
        # Every sample: copy runs of windows side by side and multiply by all phases at once
        # (a matrix product is several times faster than a correlation per phase).
        windows = np.lib.stride_tricks.sliding_window_view(
            np.pad(data, _HALF_TAPS), 2 * _HALF_TAPS + 1
        )
        for start in range(0, data.size, _DENSE_RUN):
            run = np.ascontiguousarray(windows[start : start + _DENSE_RUN])
            values = np.abs(weights @ run.T).max(axis=0)
            np.maximum(
                envelope[start : start + run.shape[0]],
                values,
                out=envelope[start : start + run.shape[0]],
            )
        return envelope
    positions = (np.flatnonzero(loud)[:, None] * block + np.arange(block)).ravel()
    positions = positions[positions < data.size]
    envelope[positions] = np.maximum(envelope[positions], _oversampled_at(data, positions))
    return envelope


def _oversampled_at(samples: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The largest magnitude of the 4x oversampled signal around each of ``positions``."""
    data = np.asarray(samples, dtype=np.float32)
    weights, _ = _oversampling_filter()
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(data, _HALF_TAPS), 2 * _HALF_TAPS + 1)
    values = np.empty(positions.size, dtype=np.float64)
    for start in range(0, positions.size, _CHUNK):
        chunk = positions[start : start + _CHUNK]
        values[start : start + chunk.size] = np.abs(weights @ windows[chunk].T).max(axis=0)
    return np.maximum(values, np.abs(data[positions]))


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak in dBTP, measured on the 4x oversampled signal; ``-inf`` for silence."""
    data = np.asarray(samples, dtype=np.float32)
    if data.size == 0:
        return float("-inf")
    sample_peak = float(np.max(np.abs(data)))
    if sample_peak == 0:
        return float("-inf")
    peak = float(_true_peak_envelope(data, sample_peak).max())
    return 20 * np.log10(peak)


def _limiter_gain(peaks: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Per-sample gain that brings every true peak above ``ceiling`` (linear) down to it.

    ``peaks`` is the signal's true-peak envelope. The gain each sample needs is spread by a
    minimum filter over twice the window and then averaged over one window: the smoothed
    gain never exceeds what any sample needs, and it ramps in before a peak (look-ahead) and
    out after it, with no per-sample Python loop. Only the stretches around peaks over the
    ceiling are filtered; the gain is exactly 1 elsewhere.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    gain = np.ones(peaks.size, dtype=np.float64)
    over = np.flatnonzero(peaks > ceiling)
    if over.size == 0:
        return gain
    window = max(1, round(_LIMITER_WINDOW_SECONDS * rate))
    reach = 2 * window + 2  # how far from a peak the smoothed gain can fall below 1
    # Group the peaks into stretches that are far enough apart not to interact.
    breaks = np.flatnonzero(np.diff(over) > 2 * reach + 1)
    firsts = np.concatenate(([over[0]], over[breaks + 1]))
    lasts = np.concatenate((over[breaks], [over[-1]]))
    if firsts.size > _MAX_LIMITED_STRETCHES:  # filtering the whole clip once is cheaper
        firsts, lasts = firsts[:1], lasts[-1:]
    for first, last in zip(firsts, lasts, strict=True):
        lo, hi = max(0, first - 2 * reach), min(peaks.size, last + 2 * reach + 1)
        needed = np.minimum(1.0, ceiling / np.maximum(peaks[lo:hi], 1e-12))
        spread = minimum_filter1d(needed, size=2 * window + 1, mode="nearest")
        gain[lo:hi] = np.minimum(uniform_filter1d(spread, size=window + 1, mode="nearest"), needed)
    return gain


def normalize_loudness(
    samples: np.ndarray,
    rate: int,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
) -> np.ndarray:
    """Bring ``samples`` to ``target_lufs`` with true peaks at or under ``true_peak_dbtp``.

    Measures the clip once and applies the gain that reaches the target; only where that gain
    pushes true peaks over the ceiling does a look-ahead limiter turn them down, and the gain
    is raised again until the loudness is back on target (the true-peak envelope is read once
    and scales with the gain). Never clips; silence and empty clips come back unchanged (as
    float32).
    """
    data = np.asarray(samples, dtype=np.float64)
    loudness = _fast_loudness(data, rate)
    if not np.isfinite(loudness):
        return np.asarray(samples, dtype=np.float32).copy()
    ceiling = 10 ** (true_peak_dbtp / 20)
    limiter_ceiling = 10 ** ((true_peak_dbtp - _LIMITER_MARGIN_DB) / 20)
    gain = 10 ** ((target_lufs - loudness) / 20)
    # Exact wherever gain * envelope can reach the limiter's ceiling, even after the loop
    # below raises the gain by up to _MAX_EXTRA_GAIN.
    envelope_floor = limiter_ceiling / (gain * _MAX_EXTRA_GAIN)
    peaks = _true_peak_envelope(data, envelope_floor)
    if gain * peaks.max() <= ceiling:
        return (data * gain).astype(np.float32)
    # Limiting takes loudness away, so each dB of gain adds less than a dB of loudness: step
    # along the measured slope (secant) to reach the target in a few measurements.
    log_gain = 20 * np.log10(gain)
    previous: tuple[float, float] | None = None
    for _ in range(8):
        gain = 10 ** (log_gain / 20)
        if limiter_ceiling / gain < envelope_floor:  # beyond where the envelope is exact
            envelope_floor = limiter_ceiling / (gain * _MAX_EXTRA_GAIN)
            peaks = _true_peak_envelope(data, envelope_floor)
        limiter = _limiter_gain(gain * peaks, rate, limiter_ceiling)
        out = data * gain * limiter
        loudness = _fast_loudness(out, rate)
        if abs(loudness - target_lufs) <= _LOUDNESS_TOLERANCE_LU:
            break
        slope = 1.0
        if previous is not None and log_gain != previous[0]:
            slope = float(np.clip((loudness - previous[1]) / (log_gain - previous[0]), 0.2, 1.0))
        previous = (log_gain, loudness)
        log_gain += (target_lufs - loudness) / slope
    # Where the limiter left the gain at 1, the output's envelope is gain * peaks; only the
    # limited stretches (and the filter's reach around them) need oversampling again.
    touched = np.flatnonzero(limiter < 1.0)
    if touched.size > _DENSE_FRACTION * data.size / (2 * _HALF_TAPS + 1):
        peak = float(_true_peak_envelope(out, limiter_ceiling).max())
    else:
        near = np.zeros(data.size, dtype=bool)
        reach = np.arange(-_HALF_TAPS, _HALF_TAPS + 1)
        near[np.clip(touched[:, None] + reach, 0, data.size - 1)] = True
        peak = max(
            float((gain * peaks)[~near].max(initial=0.0)),
            float(_oversampled_at(out, np.flatnonzero(near)).max(initial=0.0)),
        )
    if peak > ceiling:
        # Gain that varies inside the oversampling filter's reach can leave a peak a hair
        # over: the ceiling wins over loudness.
        out = out * (limiter_ceiling / peak)
    return out.astype(np.float32)

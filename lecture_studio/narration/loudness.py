"""Loudness of narration: BS.1770-4 measurement, gain to a target and a true-peak limiter.

``integrated_loudness`` is pyloudnorm's meter (the reference). ``normalize_loudness`` needs
only numpy (importing ``scipy.signal`` alone costs more CPU than normalizing a lecture's
clips), and reads a clip in cache-sized chunks without clip-sized temporaries (on the
export's two cores, fresh memory costs more than the arithmetic):

- its meter computes pyloudnorm's blocks and gates with pyloudnorm's K-weighting, run as
  matrix products over blocks of samples (the filter itself, not a truncated response);
- the 4x oversampled true peak is computed only where a cheap bound says that it can reach
  the level that matters, and kept as a sparse list;
- the limiter, and the loudness that it takes away, are computed only around the stretches
  it turns down.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace

import numpy as np

_OVERSAMPLING = 4
_HALF_TAPS = 10  # input samples each side that one oversampled value depends on
_KAISER_BETA = 5.0  # scipy's resample_poly window for its oversampling filter
# Nested windows (samples before, after sample i) for the true-peak bound. More tiers make
# it tighter and cost more passes; these three leave 9% more samples to oversample than five.
_BOUND_TIERS = ((0, 1), (1, 2), (_HALF_TAPS, _HALF_TAPS))
_BOUND_MARGIN = 1e-5  # relative: float32 rounding in the bound and the filter stays under it
_MEASURE_SECONDS = 0.4  # BS.1770 gating block: pyloudnorm needs at least this much audio
_BLOCK_STEP = 0.25  # gating blocks overlap by 75%
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_FILTER_BLOCK = 32  # samples the K-weighting filter handles in one matrix row
_FILTER_GROUP = 16  # rows whose filter states follow from one state carried between groups
_CHUNK_GROUPS = 128  # filter groups per chunk of a clip (65536 samples)
_NEGLIGIBLE = 1e-18  # filter state weight below which older input no longer counts
_TAIL_LEVEL = 1e-8  # relative: the filter's impulse response has died out below this
_SINGLE_THREAD_PRODUCT = 1 << 18  # rows x inner x columns that OpenBLAS runs on one thread
_PEAK_CHUNK = 1 << 16  # samples per chunk when looking for true peaks
_BATCH_SAMPLES = 1 << 14  # samples of limited stretches handled at once
_POSITIONS_PER_PRODUCT = 2048  # oversampled positions computed in one product
_LIMITER_WINDOW_SECONDS = 0.01  # look-ahead (attack) and release of the limiter
_LIMITER_MARGIN_DB = 0.1  # aim this far under the ceiling; the filter is not exact
_LOUDNESS_TOLERANCE_LU = 0.1
_MAX_EXTRA_GAIN = 1.12  # the limiter loop may raise the gain this much (1 dB) before re-reading
_MAX_LIMITED_RAISE_DB = 40.0  # and no further than this in all (the output stays finite)


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); ``-inf`` for silence or an empty clip.

    ``samples`` is mono ``(n,)`` or one column per channel ``(n, channels)`` (left, right,
    ...: the channels' power adds up). Clips shorter than one 0.4 s gating block are measured
    on a repetition of themselves.
    """
    import pyloudnorm

    data = _measurable(np.asarray(samples, dtype=np.float64), rate)
    if data is None:
        return float("-inf")
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        return float(pyloudnorm.Meter(rate).integrated_loudness(data))


def _measurable(data: np.ndarray, rate: int) -> np.ndarray | None:
    """``data`` long enough for one gating block (repeated along time when shorter); None
    when silent."""
    if data.size == 0 or not np.any(data):
        return None
    needed = int(np.ceil(_MEASURE_SECONDS * rate)) + 1
    if len(data) < needed:
        data = np.tile(data, (int(np.ceil(needed / len(data))),) + (1,) * (data.ndim - 1))
    return data


def channel_loudness_target(programme_lufs: float, channels: int) -> float:
    """The loudness (LUFS) a mono clip needs so that ``channels`` identical copies of it
    measure ``programme_lufs``: BS.1770 sums the channels' power, so two copies measure
    10·log10(2) = 3.01 LU louder than one. True peaks are per channel and do not change."""
    return programme_lufs - 10 * float(np.log10(channels))


# --- K-weighting ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _k_weighting(rate: int) -> np.ndarray:
    """The K-weighting filter as second-order sections ``[b0, b1, b2, a0, a1, a2]``.

    pyloudnorm's two biquads (RBJ cookbook: a +4 dB high shelf at 1500 Hz and a 38 Hz high
    pass), with its formulas and operations, so that no import of pyloudnorm (which imports
    scipy.signal) is needed to normalize.
    """
    sections = []
    for gain_db, q, centre, kind in ((4.0, 1 / np.sqrt(2), 1500.0, "shelf"), (0.0, 0.5, 38.0, "")):
        a = 10 ** (gain_db / 40.0)
        w0 = 2.0 * np.pi * (centre / rate)
        alpha = np.sin(w0) / (2.0 * q)
        if kind == "shelf":
            b0 = a * ((a + 1) + (a - 1) * np.cos(w0) + 2 * np.sqrt(a) * alpha)
            b1 = -2 * a * ((a - 1) + (a + 1) * np.cos(w0))
            b2 = a * ((a + 1) + (a - 1) * np.cos(w0) - 2 * np.sqrt(a) * alpha)
            a0 = (a + 1) - (a - 1) * np.cos(w0) + 2 * np.sqrt(a) * alpha
            a1 = 2 * ((a - 1) - (a + 1) * np.cos(w0))
            a2 = (a + 1) - (a - 1) * np.cos(w0) - 2 * np.sqrt(a) * alpha
        else:
            b0 = (1 + np.cos(w0)) / 2
            b1 = -(1 + np.cos(w0))
            b2 = (1 + np.cos(w0)) / 2
            a0 = 1 + alpha
            a1 = -2 * np.cos(w0)
            a2 = 1 - alpha
        sections.append([*(np.array([b0, b1, b2]) / a0), *(np.array([a0, a1, a2]) / a0)])
    return np.array(sections, dtype=np.float64)


@dataclass(frozen=True)
class _BlockFilter:
    """A cascade of biquads as matrices that filter ``_FILTER_BLOCK`` samples per row.

    With the rows of ``x`` consecutive blocks of the signal and the rows of ``s`` the filter's
    state at the start of each: ``y = x @ within + s @ from_state``, and a block hands on
    ``s @ step + x @ to_state``. The states inside a group of ``_FILTER_GROUP`` rows follow
    from the group's first state and its rows' inputs by one product, and the groups' first
    states from a scan that doubles its reach each step: no Python loop runs per sample or
    per block, and the result is the filter's own (not a truncated impulse response).
    """

    within: np.ndarray  # (block, block): the impulse response as a Toeplitz matrix
    from_state: np.ndarray  # (order, block)
    to_state: np.ndarray  # (block, order)
    group_inputs: np.ndarray  # (group * order, group * order): inputs -> states in a group
    group_start: np.ndarray  # (order, group * order): group's first state -> states in it
    group_handover: np.ndarray  # (group * order, order): inputs -> state after the group
    group_step: np.ndarray  # (order, order): state before a group -> state after it
    tail: int  # samples after which the impulse response has died out

    @property
    def width(self) -> int:
        """Samples per group."""
        return self.within.shape[0] * (self.group_start.shape[1] // self.group_step.shape[0])


@functools.lru_cache(maxsize=8)
def _k_filter(rate: int) -> _BlockFilter:
    """The K-weighting filter at ``rate`` as block matrices (see ``_BlockFilter``), in float64
    like pyloudnorm's: the limiter's loudness is read as a small change to a large sum."""
    # State space of the cascade, each section in transposed direct form II (column form).
    step, inject, read, direct = np.zeros((0, 0)), np.zeros(0), np.zeros(0), 1.0
    for b0, b1, b2, _, a1, a2 in _k_weighting(rate):
        order = step.shape[0]
        section = np.array([[-a1, 1.0], [-a2, 0.0]])
        section_inject = np.array([b1 - a1 * b0, b2 - a2 * b0])
        step = np.block([[step, np.zeros((order, 2))], [np.outer(section_inject, read), section]])
        inject = np.concatenate((inject, section_inject * direct))
        read = np.concatenate((b0 * read, [1.0, 0.0]))
        direct *= b0
    order, block, group = step.shape[0], _FILTER_BLOCK, _FILTER_GROUP

    from_state = np.empty((order, block))  # column n: read @ step^n
    to_state = np.empty((block, order))  # row m: step^(block-1-m) @ inject
    power = np.eye(order)
    for n in range(block):
        from_state[:, n] = read @ power
        to_state[block - 1 - n] = power @ inject
        power = power @ step
    response = np.concatenate(([direct], inject @ from_state[:, :-1]))  # h[0 .. block-1]
    lag = np.subtract.outer(np.arange(block), np.arange(block))  # output n - input m
    within = np.where(lag >= 0, response[np.maximum(lag, 0)], 0.0).T

    # From one block's start to the next the state moves by ``power`` (step^block).
    moves = [np.eye(order)]
    for _ in range(group):
        moves.append(moves[-1] @ power)
    group_inputs = np.zeros((group * order, group * order))
    for i in range(group):
        for m in range(i):
            group_inputs[m * order : (m + 1) * order, i * order : (i + 1) * order] = moves[
                i - 1 - m
            ].T
    exact = _BlockFilter(
        within,
        from_state,
        to_state,
        group_inputs,
        np.hstack([move.T for move in moves[:group]]),
        np.vstack([moves[group - 1 - m].T for m in range(group)]),
        moves[group].T,
        0,
    )
    impulse = np.zeros(max(4 * rate, exact.width))
    impulse[0] = 1.0
    response = np.abs(_filtered(impulse, exact))
    alive = np.flatnonzero(response > _TAIL_LEVEL * response.max())
    return replace(exact, tail=int(alive[-1]) + 1)


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b``, in runs of rows small enough that OpenBLAS uses one thread.

    At these sizes a second thread saves little time, and its workers then spin, or wait
    on a core that the export is using: the CPU time doubles or worse.
    """
    rows = max(1, _SINGLE_THREAD_PRODUCT // (a.shape[1] * b.shape[1]))
    if a.shape[0] <= rows:
        return a @ b
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.result_type(a, b))
    for start in range(0, a.shape[0], rows):
        np.matmul(a[start : start + rows], b, out=out[start : start + rows])
    return out


def _rows(samples: np.ndarray, start: int, stop: int, f: _BlockFilter) -> np.ndarray:
    """Samples ``start .. stop`` (whole groups) as rows of the filter, zeros past the end."""
    if stop <= samples.size:
        part = np.asarray(samples[start:stop], dtype=f.within.dtype)
    else:
        part = np.zeros(stop - start, dtype=f.within.dtype)
        part[: samples.size - start] = samples[start:]
    return part.reshape(-1, f.within.shape[0])


def _handed_over(rows: np.ndarray, f: _BlockFilter) -> np.ndarray:
    """Per group of ``rows``, what each of its blocks adds to the state it hands on."""
    return _product(rows, f.to_state).reshape(-1, f.group_start.shape[1])


def _first_states(inputs: np.ndarray, f: _BlockFilter) -> np.ndarray:
    """The filter's state at the start of each group (from rest), from ``_handed_over``."""
    handed = _product(inputs, f.group_handover)  # what each group hands on from its inputs
    carry, reach = f.group_step, 1
    while reach < handed.shape[0] and np.abs(carry).max() > _NEGLIGIBLE:
        handed[reach:] += _product(handed[:-reach], carry)
        carry, reach = carry @ carry, 2 * reach
    first = np.zeros_like(handed)
    first[1:] = handed[:-1]
    return first


def _filter_rows(
    rows: np.ndarray, inputs: np.ndarray, first: np.ndarray, f: _BlockFilter
) -> np.ndarray:
    """The filter's output for whole groups of ``rows``, given their inputs and first states."""
    states = _product(inputs, f.group_inputs)
    states += _product(first, f.group_start)
    order = f.group_step.shape[0]
    out = _product(states.reshape(-1, order), f.from_state)
    out += _product(rows, f.within)
    return out


def _filtered(samples: np.ndarray, f: _BlockFilter) -> np.ndarray:
    """``samples`` through the filter from rest (for short stretches: one chunk)."""
    rows = _rows(samples, 0, max(1, -(-samples.size // f.width)) * f.width, f)
    inputs = _handed_over(rows, f)
    out = _filter_rows(rows, inputs, _first_states(inputs, f), f)
    return out.reshape(-1)[: samples.size]


# --- the meter --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WeightedClip:
    """A clip's K-weighting, kept as the filter's state at the start of each group, and the
    weighted energy before each bound of the gating blocks: enough to read the clip's
    loudness under any gain, and under a limiter that changes a few stretches, filtering
    only those stretches again."""

    samples: np.ndarray  # float32
    rate: int
    inputs: np.ndarray  # per group: what its blocks add to the state it hands on
    first: np.ndarray  # per group: the filter's state at its start
    points: np.ndarray  # the blocks' bounds, sorted and distinct, from 0 to the clip's size
    lower: np.ndarray  # index in ``points`` of each block's first sample
    upper: np.ndarray  # index in ``points`` of each block's end
    energy: np.ndarray  # the weighted energy before each of ``points``

    @classmethod
    def of(cls, samples: np.ndarray, rate: int) -> _WeightedClip:
        f = _k_filter(rate)
        size = samples.size
        padded_size = -(-size // f.width) * f.width
        chunk = _CHUNK_GROUPS * f.width
        starts = range(0, padded_size, chunk)
        inputs = np.concatenate(
            [_handed_over(_rows(samples, s, min(s + chunk, padded_size), f), f) for s in starts]
        )
        first = _first_states(inputs, f)
        # The block bounds exactly as pyloudnorm computes them (same floating-point operations).
        count = int(np.round((size / rate - _MEASURE_SECONDS) / (_MEASURE_SECONDS * _BLOCK_STEP)))
        j = np.arange(count + 1)
        upper = np.minimum((_MEASURE_SECONDS * (j * _BLOCK_STEP + 1) * rate).astype(np.int64), size)
        lower = np.minimum((_MEASURE_SECONDS * (j * _BLOCK_STEP) * rate).astype(np.int64), upper)
        points = np.unique(np.concatenate(([0, size], lower, upper)))
        # Energy between consecutive cuts (the points and the chunks' starts), chunk by chunk.
        cuts, sums = [], []
        for s in starts:
            stop = min(s + chunk, padded_size)
            groups = slice(s // f.width, stop // f.width)
            out = _filter_rows(_rows(samples, s, stop, f), inputs[groups], first[groups], f)
            end = min(stop, size)
            here = np.concatenate(([s], points[(points > s) & (points < end)]))
            cuts.append(here)
            sums.append(np.add.reduceat(np.square(out.reshape(-1)[: end - s]), here - s))
        cut = np.append(np.concatenate(cuts), size)
        before = np.concatenate(([0.0], np.cumsum(np.concatenate(sums))))
        return cls(
            np.asarray(samples, dtype=np.float32),
            rate,
            inputs,
            first,
            points,
            np.searchsorted(points, lower),
            np.searchsorted(points, upper),
            before[np.searchsorted(cut, points)],
        )

    def weighted(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """The K-weighted samples of each of ``spans`` (start, end), one after another,
        filtered again from the stored states (each group of the filter on its own)."""
        f = _k_filter(self.rate)
        groups = [(lo // f.width, -(-hi // f.width)) for lo, hi in spans]
        index = np.concatenate([np.arange(first, last) for first, last in groups])
        rows = np.concatenate([_rows(self.samples, a * f.width, b * f.width, f) for a, b in groups])
        out = _filter_rows(rows, self.inputs[index], self.first[index], f).reshape(-1)
        pieces, offset = [], 0
        for (lo, hi), (first, last) in zip(spans, groups, strict=True):
            pieces.append(out[offset + lo - first * f.width : offset + hi - first * f.width])
            offset += (last - first) * f.width
        return np.concatenate(pieces)

    def loudness(self, gain: float = 1.0, energy: np.ndarray | None = None) -> float:
        """Gated loudness of the clip times ``gain``; ``energy`` replaces the clip's own."""
        energy = self.energy if energy is None else energy
        power = (energy[self.upper] - energy[self.lower]) * (
            gain * gain / (_MEASURE_SECONDS * self.rate)
        )
        power = np.maximum(power, 0.0)  # a rounding error cannot make a block's energy negative
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

    def limited_energy(self, stretches: list[tuple[int, np.ndarray]]) -> np.ndarray:
        """``energy`` of the clip with each stretch's gain applied.

        The filter is linear: K(x * gain) = K(x) + K(x * (gain - 1)), and the second term is
        zero before a stretch and dies out ``tail`` samples after it, so only those spans are
        filtered (a batch of them in one run: each span's tail lets the one before it die
        out), and only the energy that they add is summed.
        """
        f = _k_filter(self.rate)
        size = self.samples.size
        # Spans (start, end, stretches): a stretch and its tail, merged where they meet.
        spans: list[tuple[int, int, list[tuple[int, np.ndarray]]]] = []
        for start, gain in stretches:
            end = min(size, start + gain.size + f.tail)
            if spans and start < spans[-1][1]:
                lo, hi, inside = spans[-1]
                spans[-1] = (lo, max(hi, end), [*inside, (start, gain)])
            else:
                spans.append((start, end, [(start, gain)]))
        added = np.zeros(self.points.size)
        for batch in _batches([(lo, hi) for lo, hi, _ in spans]):
            part = spans[batch]
            offsets = np.cumsum([0] + [hi - lo for lo, hi, _ in part])
            change = np.zeros(offsets[-1])
            for (lo, _, inside), offset in zip(part, offsets, strict=False):
                for start, gain in inside:
                    at = offset + start - lo
                    # += : neighbouring stretches may overlap where one of them is 1.
                    change[at : at + gain.size] += self.samples[start : start + gain.size] * (
                        gain - 1.0
                    )
            extra = _filtered(change, f)
            more = extra * (2 * self.weighted([(lo, hi) for lo, hi, _ in part]) + extra)
            positions = np.concatenate([np.arange(lo, hi) for lo, hi, _ in part])
            before = np.concatenate(([0.0], np.cumsum(more)))
            added += before[np.searchsorted(positions, self.points)]
        return self.energy + added


def _batches(spans: list[tuple[int, int]]) -> list[slice]:
    """Runs of consecutive ``spans`` (start, end) of at most ``_BATCH_SAMPLES`` samples in
    all (a longer span makes a run of its own).

    Working a run at a time keeps temporaries small enough for the allocator to reuse;
    bigger ones come as fresh memory each time, whose page faults cost more than the
    arithmetic on them.
    """
    runs, first, total = [], 0, 0
    for i, (lo, hi) in enumerate(spans):
        if i > first and total + hi - lo > _BATCH_SAMPLES:
            runs.append(slice(first, i))
            first, total = i, 0
        total += hi - lo
    runs.append(slice(first, len(spans)))
    return runs


def _fast_loudness(data: np.ndarray, rate: int) -> float:
    """The loudness ``integrated_loudness`` gives, without pyloudnorm's Python loop per block."""
    measured = _measurable(np.asarray(data, dtype=np.float32), rate)
    if measured is None:
        return float("-inf")
    return _WeightedClip.of(measured, rate).loudness()


# --- true peak --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _oversampling_filter() -> tuple[np.ndarray, np.ndarray]:
    """The 4x oversampling filter per phase, and its weight on each tier of ``_BOUND_TIERS``.

    Row ``phase`` holds the weights of input samples ``i-10 .. i+10`` that give oversampled
    value ``4i + phase``: scipy's ``resample_poly`` filter for 4x, ``firwin(81, 1/4,
    window=("kaiser", 5.0))`` times 4, computed here as firwin does. Entry ``t`` of the second
    array is the largest total absolute weight that any phase puts on the samples that tier
    ``t`` adds to the window before it (with a little margin for float32 rounding).
    """
    half = _HALF_TAPS * _OVERSAMPLING
    taps = 2 * half + 1
    cutoff = 1 / _OVERSAMPLING
    offsets = np.arange(0, taps) - 0.5 * (taps - 1)
    prototype = cutoff * np.sinc(cutoff * offsets) * np.kaiser(taps, _KAISER_BETA)
    prototype = prototype / np.sum(prototype) * _OVERSAMPLING
    weights = np.zeros((_OVERSAMPLING, 2 * _HALF_TAPS + 1), dtype=np.float64)
    for phase in range(_OVERSAMPLING):
        for offset in range(-_HALF_TAPS, _HALF_TAPS + 1):  # input sample i + offset
            tap = half + phase - _OVERSAMPLING * offset
            if 0 <= tap <= 2 * half:
                weights[phase, offset + _HALF_TAPS] = prototype[tap]
    tiers = []
    covered = np.zeros(2 * _HALF_TAPS + 1, dtype=bool)
    for before, after in _BOUND_TIERS:
        window = np.zeros_like(covered)
        window[_HALF_TAPS - before : _HALF_TAPS + after + 1] = True
        tiers.append(np.abs(weights[:, window & ~covered]).sum(axis=1).max())
        covered = window
    bound = np.array(tiers) * (1 + _BOUND_MARGIN)
    return weights.astype(np.float32), bound.astype(np.float32)


def _envelope_bound(magnitude: np.ndarray) -> np.ndarray:
    """An upper bound on the 4x oversampled magnitude around each sample.

    ``magnitude`` is ``|x|`` with ``_HALF_TAPS`` zeros before and ``_HALF_TAPS + 1`` after
    the samples, for which the bound comes back. An oversampled value is a weighted sum of
    ``x`` at ``i-10 .. i+10``; the bound weighs the largest ``|x|`` in each of the nested
    windows of ``_BOUND_TIERS`` by the most weight that any phase puts on the window's new
    samples: a few passes instead of the filter, tight enough to leave a few percent of a
    speech clip's samples to oversample.
    """
    _, tier_weights = _oversampling_filter()
    half = _HALF_TAPS
    width = magnitude.size - 1
    size = width - 2 * half
    # largest[j]: the largest |x| from sample j - half - before to sample j - half + after
    # (garbage outside the samples that the wider tiers and the bound read).
    largest = np.maximum(magnitude[:-1], magnitude[1:])
    wider = np.empty_like(largest)
    wider.fill(0)  # (np.zeros may hand out fresh pages, which cost more than filling)
    before, after = _BOUND_TIERS[0]
    bound = tier_weights[0] * largest[half : half + size]
    scratch = np.empty_like(bound)
    for (wider_before, wider_after), weight in zip(_BOUND_TIERS[1:], tier_weights[1:], strict=True):
        while (before, after) != (wider_before, wider_after):
            # One shifted maximum widens the window by at most its own span.
            left = min(wider_before - before, before + after + 1)
            right = min(wider_after - after, before + after + 1 - left)
            np.maximum(
                largest[: width - left - right],
                largest[left + right :],
                out=wider[left : width - right],
            )
            largest, wider, before, after = wider, largest, before + left, after + right
        bound += np.multiply(largest[half : half + size], weight, out=scratch)
    return bound


def _loud_peaks(samples: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the 4x oversampled signal may reach ``floor``, and how high it goes there.

    Returns the samples ``i`` (sorted) around which ``_envelope_bound`` cannot rule it out,
    and for each the largest magnitude of the oversampled values ``4i .. 4i+3`` (never less
    than ``|x_i|``). Around every other sample the oversampled signal stays under ``floor``.
    """
    data = np.asarray(samples, dtype=np.float32)
    size, half = data.size, _HALF_TAPS
    positions, values = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.float32)]
    for start in range(0, size, _PEAK_CHUNK):
        stop = min(size, start + _PEAK_CHUNK)
        padded = np.empty(stop - start + 2 * half + 1, dtype=np.float32)  # from start - half
        lo, hi = max(0, start - half), min(size, stop + half + 1)
        padded[: lo - start + half] = 0
        padded[lo - start + half : hi - start + half] = data[lo:hi]
        padded[hi - start + half :] = 0
        local = np.flatnonzero(_envelope_bound(np.abs(padded)) >= floor)
        if local.size:
            positions.append(local + start)
            values.append(_oversampled(padded, local))
    return np.concatenate(positions), np.concatenate(values)


def _oversampled(padded: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The largest magnitude of the 4x oversampled signal around each of ``positions``, in a
    signal given with ``_HALF_TAPS`` samples (or zeros) before and after it."""
    weights, _ = _oversampling_filter()
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * _HALF_TAPS + 1)
    values = np.abs(padded[positions + _HALF_TAPS])
    for start in range(0, positions.size, _POSITIONS_PER_PRODUCT):
        part = slice(start, start + _POSITIONS_PER_PRODUCT)
        phases = np.abs(weights @ windows[positions[part]].T)
        np.maximum(values[part], phases.max(axis=0), out=values[part])
    return values


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak in dBTP, measured on the 4x oversampled signal; ``-inf`` for silence."""
    data = np.asarray(samples, dtype=np.float32)
    if data.size == 0:
        return float("-inf")
    sample_peak = float(np.max(np.abs(data)))
    if sample_peak == 0:
        return float("-inf")
    _, values = _loud_peaks(data, sample_peak)
    return 20 * np.log10(max(sample_peak, float(values.max(initial=0.0))))


# --- the limiter ------------------------------------------------------------------------------


def _edge_padded(parts: list[np.ndarray], size: int) -> np.ndarray:
    """``parts`` one after another, each with its first value repeated ``size // 2`` times
    before it and its last value ``size - 1 - size // 2`` times after it: a window of
    ``size`` sliding over it sees each part as scipy's ``mode="nearest"`` filters do."""
    left = size // 2
    pieces = []
    for part in parts:
        pieces += [np.full(left, part[0]), part, np.full(size - 1 - left, part[-1])]
    return np.concatenate(pieces)


def _each_part(slid: np.ndarray, parts: list[np.ndarray], size: int) -> list[np.ndarray]:
    """Split a sliding window's output over ``_edge_padded(parts, size)`` back into parts."""
    out, offset = [], 0
    for part in parts:
        out.append(slid[offset : offset + part.size])
        offset += part.size + size - 1
    return out


def _running_min(parts: list[np.ndarray], size: int) -> list[np.ndarray]:
    """Per part, the smallest value in a window of ``size`` around each sample, edges
    repeated (scipy's ``minimum_filter1d(part, size, mode="nearest")``), all parts in a few
    passes whatever ``size``: per run of ``size`` samples, minima from the run's start and
    to its end (van Herk)."""
    padded = _edge_padded(parts, size)
    runs = -(-padded.size // size)
    filled = np.full(runs * size, np.inf)
    filled[: padded.size] = padded
    grid = filled.reshape(runs, size)
    from_start = np.minimum.accumulate(grid, axis=1).reshape(-1)
    to_end = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    count = padded.size - size + 1
    return _each_part(
        np.minimum(to_end[:count], from_start[size - 1 : size - 1 + count]), parts, size
    )


def _running_mean(parts: list[np.ndarray], size: int) -> list[np.ndarray]:
    """Per part, the mean of a window of ``size`` around each sample, edges repeated
    (scipy's ``uniform_filter1d(part, size, mode="nearest")``)."""
    total = np.concatenate(([0.0], np.cumsum(_edge_padded(parts, size))))
    return _each_part((total[size:] - total[:-size]) / size, parts, size)


def _limiter_stretches(
    samples: np.ndarray,
    loud: tuple[np.ndarray, np.ndarray],
    gain: float,
    rate: int,
    ceiling: float,
) -> list[tuple[int, np.ndarray]]:
    """Per-sample gain that brings every true peak of ``gain * samples`` above ``ceiling``
    (linear) down to it, as (first sample, gains) for each stretch where it is under 1.

    ``loud`` is ``_loud_peaks`` of the samples, exact down to at least ``ceiling / gain``.
    The gain each sample needs is spread by a minimum filter over twice the window and then
    averaged over one window: the smoothed gain never exceeds what any sample needs, and it
    ramps in before a peak (look-ahead) and out after it, with no per-sample Python loop.
    Only the stretches around peaks over the ceiling are filtered; the gain is exactly 1
    elsewhere. Neighbouring stretches may overlap where one of them is 1: their gains multiply.
    """
    positions, values = loud
    over = positions[values > ceiling / gain]
    if over.size == 0:
        return []
    window = max(1, round(_LIMITER_WINDOW_SECONDS * rate))
    reach = 2 * window + 2  # how far from a peak the smoothed gain can fall below 1
    # Group the peaks into stretches that are far enough apart not to interact.
    breaks = np.flatnonzero(np.diff(over) > 2 * reach + 1)
    firsts = np.concatenate(([over[0]], over[breaks + 1]))
    lasts = np.concatenate((over[breaks], [over[-1]]))
    los = np.maximum(0, firsts - 2 * reach)
    his = np.minimum(samples.size, lasts + 2 * reach + 1)
    if np.sum(his - los) > samples.size / 2:  # filtering the whole clip once is cheaper
        los, his = los[:1], his[-1:]
    stretches = []
    for batch in _batches(list(zip(los.tolist(), his.tolist(), strict=True))):
        needed = []
        for lo, hi in zip(los[batch], his[batch], strict=True):
            peaks = np.abs(samples[lo:hi]).astype(np.float64)
            first, last = np.searchsorted(positions, (lo, hi))
            peaks[positions[first:last] - lo] = values[first:last]
            needed.append(np.minimum(1.0, ceiling / np.maximum(gain * peaks, 1e-12)))
        smoothed = _running_mean(_running_min(needed, 2 * window + 1), window + 1)
        stretches += [
            (int(lo), np.minimum(part, need))
            for lo, part, need in zip(los[batch], smoothed, needed, strict=True)
        ]
    return stretches


def normalize_loudness(
    samples: np.ndarray,
    rate: int,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
) -> np.ndarray:
    """Bring ``samples`` to ``target_lufs`` with true peaks at or under ``true_peak_dbtp``.

    Measures the clip once and applies the gain that reaches the target; only where that gain
    pushes true peaks over the ceiling does a look-ahead limiter turn them down, and the gain
    is raised again until the loudness is back on target (the true peaks are read once and
    scale with the gain; the loudness that limiting takes away is measured on the limited
    stretches alone). Never clips; silence and empty clips come back unchanged (as float32).
    """
    data = np.asarray(samples, dtype=np.float32)
    measured = _measurable(data, rate)
    if measured is None:
        return data.copy()
    clip = _WeightedClip.of(measured, rate)
    loudness = clip.loudness()
    if not np.isfinite(loudness):
        return data.copy()
    ceiling = 10 ** (true_peak_dbtp / 20)
    limiter_ceiling = 10 ** ((true_peak_dbtp - _LIMITER_MARGIN_DB) / 20)
    gain = 10 ** ((target_lufs - loudness) / 20)
    # Exact wherever gain * peak can reach the limiter's ceiling, even after the loop below
    # raises the gain by up to _MAX_EXTRA_GAIN.
    peaks_floor = limiter_ceiling / (gain * _MAX_EXTRA_GAIN)
    loud = _loud_peaks(data, peaks_floor)
    if gain * float(loud[1].max(initial=0.0)) <= ceiling:
        return data * np.float32(gain)
    # Limiting takes loudness away, so each dB of gain adds less than a dB of loudness: step
    # along the measured slope (secant) to reach the target in a few measurements.
    log_gain = 20 * np.log10(gain)
    most_gain_db = log_gain + _MAX_LIMITED_RAISE_DB
    previous: tuple[float, float] | None = None
    for _ in range(8):
        gain = 10 ** (log_gain / 20)
        if limiter_ceiling / gain < peaks_floor:  # beyond where the peaks are exact
            peaks_floor = limiter_ceiling / (gain * _MAX_EXTRA_GAIN)
            loud = _loud_peaks(data, peaks_floor)
        stretches = _limiter_stretches(data, loud, gain, rate, limiter_ceiling)
        if measured.size == data.size:
            loudness = clip.loudness(gain, clip.limited_energy(stretches))
        else:  # a short clip, measured on a repetition of itself
            loudness = _fast_loudness(_limited(data, gain, stretches), rate)
        if abs(loudness - target_lufs) <= _LOUDNESS_TOLERANCE_LU:
            break
        slope = 1.0
        if previous is not None and log_gain != previous[0]:
            slope = float(np.clip((loudness - previous[1]) / (log_gain - previous[0]), 0.2, 1.0))
        previous = (log_gain, loudness)
        raised = min(log_gain + (target_lufs - loudness) / slope, most_gain_db)
        if raised == log_gain:  # out of reach: the limiter eats all that more gain would add
            break
        log_gain = raised
    out = _limited(data, gain, stretches)
    peak = _limited_peak(out, stretches, ceiling)
    if peak > ceiling:
        # Gain that varies inside the oversampling filter's reach can leave a peak a hair
        # over: the ceiling wins over loudness.
        out *= np.float32(limiter_ceiling / peak)
    return out


def _limited(data: np.ndarray, gain: float, stretches: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """``data`` times ``gain``, and times each stretch's limiter gain where it has one."""
    out = data * np.float32(gain)
    for start, part in stretches:
        out[start : start + part.size] *= part
    return out


def _limited_peak(out: np.ndarray, stretches: list[tuple[int, np.ndarray]], floor: float) -> float:
    """The largest true peak of ``out`` near the limited stretches, where it is over ``floor``
    (0 where none is).

    Away from the stretches the output is ``gain * samples``, whose peaks the limiter left
    at or under its ceiling; only the stretches and the oversampling filter's reach around
    them need oversampling again. They are joined into one signal, each with the filter's
    reach of its own samples on either side, so that one call reads them all.
    """
    parts, near = [], []
    joined = 0
    for start, part in stretches:
        near_lo = max(0, start - _HALF_TAPS)
        near_hi = min(out.size, start + part.size + _HALF_TAPS)
        lo, hi = max(0, near_lo - _HALF_TAPS), min(out.size, near_hi + _HALF_TAPS)
        parts.append(out[lo:hi])
        near.append((joined + near_lo - lo, joined + near_hi - lo))
        joined += hi - lo
    if not parts:
        return 0.0
    positions, values = _loud_peaks(np.concatenate(parts), floor)
    starts, ends = np.array(near).T
    part = np.searchsorted(starts, positions, side="right") - 1
    inside = (part >= 0) & (positions < ends[np.maximum(part, 0)])
    return float(values[inside].max(initial=0.0))

"""Classic transitions computed with vectorized numpy on uint8 RGB frames.

Every transition is a frozen dataclass with a ``duration`` (seconds), an ``easing`` (a name in
``EASINGS``) and ``frame(a, b, progress)``: slide ``a`` exactly at progress 0, slide ``b`` exactly
at progress 1. Blends run in 8-bit fixed point on int16 scratch buffers kept per thread; moves
(push, cover, uncover) are plain slice copies, so every kind stays within a few milliseconds per
1080p frame (``benchmarks/transitions.py`` measures it).
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from PIL import Image

Direction = Literal["left", "right", "up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")


class Transition(Protocol):
    """``frame(a, b, progress)`` gives the picture at ``progress`` in [0, 1]: a at 0, b at 1."""

    duration: float

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray: ...


# --- easing ---------------------------------------------------------------------------------------


def _clamp(t: float) -> float:
    return min(max(float(t), 0.0), 1.0)


def smoothstep(t: float) -> float:
    """Ease in and out (3t² - 2t³): starts and ends at rest."""
    t = _clamp(t)
    return t * t * (3 - 2 * t)


def linear(t: float) -> float:
    return _clamp(t)


def ease_in(t: float) -> float:
    """Starts at rest and accelerates (cubic)."""
    return _clamp(t) ** 3


def ease_out(t: float) -> float:
    """Starts fast and comes to rest (cubic)."""
    return 1.0 - (1.0 - _clamp(t)) ** 3


def ease_in_out_sine(t: float) -> float:
    """A gentler ease in and out than smoothstep, for slow camera moves."""
    return 0.5 - 0.5 * math.cos(math.pi * _clamp(t))


EASINGS: dict[str, Callable[[float], float]] = {
    "ease-in-out": smoothstep,
    "linear": linear,
    "ease-in": ease_in,
    "ease-out": ease_out,
    "sine": ease_in_out_sine,
}


def eased(easing: str, progress: float) -> float:
    """``progress`` through the named easing; ValueError names the known easings."""
    try:
        return EASINGS[easing](progress)
    except KeyError:
        known = ", ".join(EASINGS)
        raise ValueError(f"unknown easing {easing!r}; choose one of: {known}") from None


# --- fixed-point helpers --------------------------------------------------------------------------

_scratch_per_thread = threading.local()


def _scratch(shape: tuple[int, ...]) -> np.ndarray:
    """An int16 work buffer of ``shape``, reused by the calling thread: no page faults per frame."""
    buffers: dict[tuple[int, ...], np.ndarray] = _scratch_per_thread.__dict__.setdefault(
        "buffers", {}
    )
    buffer = buffers.get(shape)
    if buffer is None:
        buffers.clear()  # one size at a time: a lecture renders at one frame size
        buffer = buffers[shape] = np.empty(shape, dtype=np.int16)
    return buffer


def weight_256(fraction: float) -> int:
    """A blend weight in 8-bit fixed point: 0 (all first) .. 256 (all second)."""
    return round(_clamp(fraction) * 256)


def blend_into(
    out: np.ndarray, a: np.ndarray | int, b: np.ndarray | int, weight: int
) -> np.ndarray:
    """``out = a + (b - a) * weight / 256`` rounded, for uint8 images ``a`` and ``b`` of
    ``out``'s shape; either may instead be a grey level (an int) or an RGB colour that
    broadcasts. Exact copies at weight 0 and 256.

    The product is kept within int16 by multiplying by at most 128: above that the blend is
    computed from ``b``'s side.
    """
    if weight <= 0 or weight >= 256:
        np.copyto(out, a if weight <= 0 else b, casting="unsafe")
        return out
    base, other, w = (a, b, weight) if weight <= 128 else (b, a, 256 - weight)
    diff = _scratch(out.shape)
    np.subtract(other, base, out=diff, dtype=np.int16)
    diff *= w
    diff += 127  # (255 * 128 + 127) still fits in int16
    diff >>= 8
    np.add(base, diff, out=out, casting="unsafe")
    return out


def _check_pair(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape or a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"transition frames must be two HxWx3 images, got {a.shape} and {b.shape}")


# --- transitions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    duration: float = 0.0

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return a if progress < 0.5 else b


@dataclass(frozen=True)
class Crossfade:
    """A linear blend with eased progress, in 8-bit fixed point (exact at both ends)."""

    duration: float = 0.5
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        _check_pair(a, b)
        return blend_into(np.empty_like(a), a, b, weight_256(eased(self.easing, progress)))


@dataclass(frozen=True)
class FadeThrough:
    """Slide ``a`` fades to a plain colour in the first half, which fades into ``b``."""

    duration: float = 0.8
    color: tuple[int, int, int] = (0, 0, 0)
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        _check_pair(a, b)
        color: np.ndarray | int = np.array(self.color, dtype=np.uint8)
        if len(set(self.color)) == 1:
            color = int(self.color[0])  # a grey: a scalar is far faster than a broadcast
        p = _clamp(progress)
        out = np.empty_like(a)
        if p < 0.5:
            return blend_into(out, a, color, weight_256(eased(self.easing, 2 * p)))
        return blend_into(out, color, b, weight_256(eased(self.easing, 2 * p - 1)))


def _slice(axis: int, start: int, stop: int) -> tuple[slice, ...]:
    return (slice(None),) * axis + (slice(start, stop),)


def _axis_and_sign(direction: Direction) -> tuple[int, bool]:
    """The array axis a move runs along and whether it runs towards index 0."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; choose one of: {', '.join(DIRECTIONS)}")
    return (1 if direction in ("left", "right") else 0), direction in ("left", "up")


def _slide_in(
    a: np.ndarray, b: np.ndarray, t: float, direction: Direction, a_moves: bool, b_moves: bool
) -> np.ndarray:
    """``b`` takes over from ``a`` along ``direction``, a share ``t`` of the way; each picture
    either moves with the edge or stays still under it (push: both move; cover: only b;
    uncover: only a)."""
    _check_pair(a, b)
    axis, backwards = _axis_and_sign(direction)
    n = a.shape[axis]
    d = round(t * n)
    out = np.empty_like(a)
    if backwards:
        out[_slice(axis, 0, n - d)] = a[_slice(axis, d, n) if a_moves else _slice(axis, 0, n - d)]
        out[_slice(axis, n - d, n)] = b[_slice(axis, 0, d) if b_moves else _slice(axis, n - d, n)]
    else:
        out[_slice(axis, d, n)] = a[_slice(axis, 0, n - d) if a_moves else _slice(axis, d, n)]
        out[_slice(axis, 0, d)] = b[_slice(axis, n - d, n) if b_moves else _slice(axis, 0, d)]
    return out


@dataclass(frozen=True)
class Push:
    """Slide ``b`` pushes ``a`` out; ``direction`` is where both move ("left": b enters from
    the right)."""

    duration: float = 0.6
    direction: Direction = "left"
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return _slide_in(a, b, eased(self.easing, progress), self.direction, True, True)


@dataclass(frozen=True)
class Cover:
    """Slide ``b`` slides in over ``a``, which stays still; ``direction`` is where ``b`` moves."""

    duration: float = 0.6
    direction: Direction = "left"
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return _slide_in(a, b, eased(self.easing, progress), self.direction, False, True)


@dataclass(frozen=True)
class Uncover:
    """Slide ``a`` slides away and uncovers ``b``, which stays still; ``direction`` is where
    ``a`` moves."""

    duration: float = 0.6
    direction: Direction = "left"
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return _slide_in(a, b, eased(self.easing, progress), self.direction, True, False)


@functools.lru_cache(maxsize=8)
def _ramp(length: int) -> np.ndarray:
    """Pixel centres 0.5 .. length - 0.5 along one axis, for wipe masks."""
    ramp = np.arange(length, dtype=np.float32) + 0.5
    ramp.setflags(write=False)
    return ramp


@dataclass(frozen=True)
class Wipe:
    """A soft-edged line sweeps across and leaves ``b`` behind it; ``direction`` is where the
    line travels ("left": ``b`` appears first at the right edge). ``softness`` is the width of
    the edge as a fraction of the distance swept."""

    duration: float = 0.6
    direction: Direction = "left"
    softness: float = 0.12
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        _check_pair(a, b)
        axis, backwards = _axis_and_sign(self.direction)
        n = a.shape[axis]
        soft = max(1.0, self.softness * n)
        edge = eased(self.easing, progress) * (n + soft)  # b covers [0, edge - soft] fully
        position = _ramp(n)
        if backwards:
            position = position[::-1]
        weights = np.clip((edge - position) / soft, 0.0, 1.0)
        weights = np.rint(weights * 256).astype(np.int16)
        out = np.empty_like(a)
        # Pixels wholly a, wholly b, and the soft band between them (the only blended part).
        in_band = np.flatnonzero((weights > 0) & (weights < 256))
        full_b = weights >= 256
        full_a = weights <= 0
        for mask, source in ((full_a, a), (full_b, b)):
            idx = np.flatnonzero(mask)
            if idx.size:
                lo, hi = idx[0], idx[-1] + 1  # a contiguous run: the mask is monotonic
                out[_slice(axis, lo, hi)] = source[_slice(axis, lo, hi)]
        if in_band.size:
            lo, hi = in_band[0], in_band[-1] + 1
            w = weights[lo:hi].reshape((-1, 1, 1) if axis == 0 else (1, -1, 1))
            band = _slice(axis, lo, hi)
            a_band = a[band]
            # Weights reach 255 here, so (b - a) * w needs int32; the band is thin.
            mixed = np.subtract(b[band], a_band, dtype=np.int32)
            mixed *= w
            mixed += 128
            mixed >>= 8
            mixed += a_band
            out[band] = mixed
        return out


@dataclass(frozen=True)
class Zoom:
    """Mode "in": ``b`` grows from the centre over ``a``; "out": ``a`` shrinks into the centre and
    uncovers ``b``. Resampled nearest-neighbour (the picture is moving; it is exact at rest)."""

    duration: float = 0.6
    mode: Literal["in", "out"] = "in"
    easing: str = "ease-in-out"

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        _check_pair(a, b)
        if self.mode not in ("in", "out"):
            raise ValueError(f"unknown zoom mode {self.mode!r}; choose 'in' or 'out'")
        scale = eased(self.easing, progress)
        still, moving = (a, b) if self.mode == "in" else (b, a)
        if self.mode == "out":
            scale = 1.0 - scale
        height, width = a.shape[:2]
        w, h = round(width * scale), round(height * scale)
        out = still.copy()
        if w <= 0 or h <= 0:
            return out
        if w == width and h == height:
            np.copyto(out, moving)
            return out
        small = Image.fromarray(moving).resize((w, h), Image.Resampling.NEAREST)
        top, left = (height - h) // 2, (width - w) // 2
        out[top : top + h, left : left + w] = np.asarray(small)
        return out

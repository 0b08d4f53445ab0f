"""Structural similarity (SSIM) of two slide images, to measure how faithful a renderer is."""

from __future__ import annotations

import numpy as np
from PIL import Image

_K1, _K2, _RANGE = 0.01, 0.03, 255.0


def _gaussian_kernel(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    offsets = np.arange(size, dtype=np.float64) - (size - 1) / 2
    kernel = np.exp(-(offsets**2) / (2 * sigma**2))
    return kernel / kernel.sum()


def _filter_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Separable 2-D filtering keeping only the positions where the window fits (``valid``)."""
    taps = len(kernel)
    rows = image.shape[0] - taps + 1
    cols = image.shape[1] - taps + 1
    across = sum(kernel[k] * image[:, k : k + cols] for k in range(taps))
    return sum(kernel[k] * across[k : k + rows, :] for k in range(taps))


def grayscale(image: Image.Image) -> np.ndarray:
    """Luma (ITU-R 601, as Pillow's "L" mode) of an image, as float64."""
    return np.asarray(image.convert("L"), dtype=np.float64)


def ssim(first: Image.Image, second: Image.Image) -> float:
    """Mean SSIM of two images of the same size, on grayscale (Wang et al. 2004).

    An 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, averaged over the
    positions where the window fits; no downsampling. 1.0 means identical.
    """
    if first.size != second.size:
        raise ValueError(f"images differ in size: {first.size} and {second.size}")
    x, y = grayscale(first), grayscale(second)
    kernel = _gaussian_kernel()
    if min(x.shape) < len(kernel):
        raise ValueError("images must be at least 11x11 pixels")
    c1, c2 = (_K1 * _RANGE) ** 2, (_K2 * _RANGE) ** 2
    mu_x, mu_y = _filter_valid(x, kernel), _filter_valid(y, kernel)
    xx = _filter_valid(x * x, kernel) - mu_x * mu_x
    yy = _filter_valid(y * y, kernel) - mu_y * mu_y
    xy = _filter_valid(x * y, kernel) - mu_x * mu_y
    numerator = (2 * mu_x * mu_y + c1) * (2 * xy + c2)
    denominator = (mu_x * mu_x + mu_y * mu_y + c1) * (xx + yy + c2)
    return float(np.mean(numerator / denominator))


def ink_mask(image: Image.Image, threshold: int = 128) -> np.ndarray:
    """Where the image has ink: pixels darker than ``threshold`` (text on a light slide)."""
    return np.asarray(image.convert("L")) < threshold


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """``mask`` grown by ``radius`` pixels in every direction (a square neighbourhood)."""
    grown = mask.copy()
    for axis in (0, 1):
        source = grown.copy()
        for shift in range(1, radius + 1):
            forward = np.zeros_like(source)
            backward = np.zeros_like(source)
            if axis == 0:
                forward[shift:] = source[:-shift]
                backward[:-shift] = source[shift:]
            else:
                forward[:, shift:] = source[:, :-shift]
                backward[:, :-shift] = source[:, shift:]
            grown |= forward | backward
    return grown


def ink_agreement(image: Image.Image, reference: Image.Image, radius: int = 6) -> float:
    """How well the ink of ``image`` matches the reference's (F1 score, 0..1).

    Precision: the share of the image's ink within ``radius`` pixels of reference ink; recall:
    the share of reference ink within ``radius`` pixels of the image's. Unlike whole-slide SSIM,
    a blank slide scores 0 here, and text in the wrong place or drawn as boxes scores low.
    """
    if image.size != reference.size:
        raise ValueError(f"images differ in size: {image.size} and {reference.size}")
    ours, theirs = ink_mask(image), ink_mask(reference)
    if not ours.any() or not theirs.any():
        return 1.0 if not ours.any() and not theirs.any() else 0.0
    precision = float((ours & _dilate(theirs, radius)).sum() / ours.sum())
    recall = float((theirs & _dilate(ours, radius)).sum() / theirs.sum())
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)

"""Latent morph: a generative transition that encodes both slides with a VAE, slerps between
the latents and decodes each frame; falls back to a crossfade, and says why, without a model.

A tiny autoencoder of the TAESD kind (diffusers ``AutoencoderTiny``, ``madebyollin/taesd``) is the
default for speed; ``full_vae=True`` uses a full ``AutoencoderKL`` instead. Models load with
``from_pretrained(..., local_files_only=True)``: from a folder, or by id from the Hugging Face
cache; nothing is downloaded during an export. Frames run on CUDA, else MPS, else the CPU; on the
CPU at a reduced size and upscaled. What the autoencoder loses of each slide (fine text, mostly)
is added back, fading from slide a's loss to slide b's, so the ends of the morph are the slides
themselves. torch and diffusers are imported only when a morph is first drawn, and its model is
found on disk.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .classic import Crossfade, eased

log = logging.getLogger(__name__)

DEFAULT_TINY_MODEL = "madebyollin/taesd"
DEFAULT_FULL_MODEL = "stabilityai/sd-vae-ft-mse"
LATENT_FACTOR = 8  # both autoencoders shrink each side 8 times
CPU_WORK_SIDE = 512  # the longest side frames are computed at on the CPU


def slerp(a: Any, b: Any, t: float, parallel: float = 0.9995) -> Any:
    """Spherical interpolation between two tensors (torch or numpy) of the same shape: ``a`` at
    0, ``b`` at 1, along the great circle between them with their norms blended linearly;
    a plain linear blend when they point (almost) the same way."""
    flat_a, flat_b = a.reshape(-1), b.reshape(-1)
    norm_a, norm_b = float((flat_a * flat_a).sum()) ** 0.5, float((flat_b * flat_b).sum()) ** 0.5
    if norm_a == 0.0 or norm_b == 0.0:
        return a * (1 - t) + b * t
    cos = float((flat_a * flat_b).sum()) / (norm_a * norm_b)
    if abs(cos) > parallel:
        return a * (1 - t) + b * t
    theta = math.acos(max(-1.0, min(1.0, cos)))
    sin = math.sin(theta)
    return a * (math.sin((1 - t) * theta) / sin) + b * (math.sin(t * theta) / sin)


def pick_device() -> str:
    """ "cuda" when a CUDA GPU is usable, else "mps" (Apple), else "cpu"."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def work_size(
    width: int, height: int, device: str, cpu_side: int = CPU_WORK_SIDE
) -> tuple[int, int]:
    """The size frames are computed at: the frame's own on a GPU, at most ``cpu_side`` on the
    longest side on the CPU; both sides a multiple of 8."""
    scale = 1.0 if device != "cpu" else min(1.0, cpu_side / max(width, height))

    def snap(n: int) -> int:
        return max(LATENT_FACTOR, round(n * scale / LATENT_FACTOR) * LATENT_FACTOR)

    return snap(width), snap(height)


class ModelUnavailable(RuntimeError):
    """The morph's model cannot be loaded; the message says why in one sentence."""


def _could_be_on_disk(model: str) -> bool:
    """False when ``model`` is surely not here: not a folder, and a Hugging Face id with no
    config.json in the cache. Raises ImportError without the AI packages."""
    if Path(model).expanduser().is_dir():
        return True
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(model, "config.json"), str)
    except ValueError:  # not an id the hub knows how to look up: from_pretrained says why
        return True


class _Autoencoder:
    """A loaded VAE on its device, encoding and decoding images in [-1, 1] (NCHW)."""

    def __init__(self, model: str, full_vae: bool, device: str | None) -> None:
        missing = f"its model {model!r} is not downloaded; download it once (for example "
        missing += f"huggingface-cli download {model}) or pick another transition"
        try:
            if not _could_be_on_disk(model):  # known before seconds of importing torch
                raise ModelUnavailable(missing)
            import torch
            from diffusers import AutoencoderKL, AutoencoderTiny
        except ImportError as exc:
            raise ModelUnavailable(
                "it needs the optional AI packages (torch, diffusers); install them with "
                "pip install 'lecture-studio[ai]'"
            ) from exc
        self.torch = torch
        self.device = device or pick_device()
        self.dtype = torch.float16 if self.device == "cuda" else torch.float32
        loader = AutoencoderKL if full_vae else AutoencoderTiny
        try:
            vae = loader.from_pretrained(model, local_files_only=True, dtype=self.dtype)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(missing) from exc
        self.full_vae = full_vae
        self.vae = vae.to(self.device).eval()
        self.lock = threading.Lock()

    def encode(self, images: Any) -> Any:
        with self.torch.inference_mode():
            if self.full_vae:
                return self.vae.encode(images).latent_dist.mode()
            return self.vae.encode(images).latents

    def decode(self, latents: Any) -> Any:
        with self.torch.inference_mode():
            return self.vae.decode(latents).sample


@dataclass
class _EncodedPair:
    """Both slides encoded, and what decoding loses of each at full size (0..255 floats)."""

    a: np.ndarray
    b: np.ndarray
    latent_a: Any
    latent_b: Any
    loss_a: Any
    loss_b: Any


_models: dict[tuple[str, bool, str | None], _Autoencoder | str] = {}
_models_lock = threading.Lock()


def load_autoencoder(model: str, full_vae: bool = False, device: str | None = None) -> Any:
    """The VAE for ``model``, loaded once per process; ModelUnavailable says why it cannot be."""
    key = (model, full_vae, device)
    with _models_lock:
        loaded = _models.get(key)
        if loaded is None:
            try:
                loaded = _Autoencoder(model, full_vae, device)
            except ModelUnavailable as exc:
                loaded = str(exc)
            _models[key] = loaded
    if isinstance(loaded, str):
        raise ModelUnavailable(loaded)
    return loaded


@dataclass(frozen=True)
class LatentMorph:
    """Morph between two slides through a VAE's latent space (see the module docstring).

    ``keep_detail`` adds back what the autoencoder loses of each slide, so that the ends of
    the morph are exactly the slides; without it the frames are the decoder's own output.
    """

    duration: float = 1.0
    easing: str = "ease-in-out"
    model: str = DEFAULT_TINY_MODEL
    full_vae: bool = False
    device: str | None = None  # None: cuda, else mps, else cpu
    cpu_work_side: int = CPU_WORK_SIDE
    keep_detail: bool = True
    _cache: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def fallback_reason(self) -> str | None:
        """Why this morph draws a crossfade instead (one sentence), or None when it morphs."""
        try:
            load_autoencoder(self.model, self.full_vae, self.device)
        except ModelUnavailable as exc:
            return f"Used a crossfade instead of the latent morph because {exc}."
        return None

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray:
        return self.frames(a, b, [progress])[0]

    def frames(
        self, a: np.ndarray, b: np.ndarray, progresses: list[float], batch: int = 8
    ) -> list[np.ndarray]:
        """The frames at each of ``progresses``, decoded ``batch`` at a time."""
        if a.shape != b.shape or a.ndim != 3 or a.shape[2] != 3:
            raise ValueError(f"morph frames must be two HxWx3 images, got {a.shape}, {b.shape}")
        weights = [eased(self.easing, p) for p in progresses]
        out: list[np.ndarray | None] = [
            a.copy() if t <= 0 else b.copy() if t >= 1 else None for t in weights
        ]
        todo = [i for i, frame in enumerate(out) if frame is None]
        if not todo:
            return out  # type: ignore[return-value]
        try:
            vae = load_autoencoder(self.model, self.full_vae, self.device)
        except ModelUnavailable as exc:
            self._say_fallback_once(str(exc))
            fade = Crossfade(easing=self.easing)
            return [fade.frame(a, b, p) for p in progresses]
        with vae.lock:
            pair = self._encoded(vae, a, b)
            for start in range(0, len(todo), batch):
                chunk = todo[start : start + batch]
                decoded = self._decode(vae, pair, [weights[i] for i in chunk], a.shape)
                for i, picture in zip(chunk, decoded, strict=True):
                    out[i] = picture
        return out  # type: ignore[return-value]

    # --- internals ----------------------------------------------------------------------------

    def _say_fallback_once(self, reason: str) -> None:
        if not self._cache.get("fallback_said"):
            self._cache["fallback_said"] = True
            log.warning("Used a crossfade instead of the latent morph because %s.", reason)

    def _encoded(self, vae: _Autoencoder, a: np.ndarray, b: np.ndarray) -> _EncodedPair:
        pair = self._cache.get("pair")
        if pair is not None and pair.a is a and pair.b is b:
            return pair
        torch = vae.torch
        height, width = a.shape[:2]
        size = work_size(width, height, vae.device, self.cpu_work_side)
        full = torch.from_numpy(np.stack([a, b])).to(vae.device)
        full = full.permute(0, 3, 1, 2).to(torch.float32)  # 0..255, NCHW
        small = _resize(torch, full, size) / 127.5 - 1.0
        latents = vae.encode(small.to(vae.dtype))
        loss = None
        if self.keep_detail:
            decoded = vae.decode(latents).to(torch.float32)
            loss = full - _resize(torch, (decoded + 1.0) * 127.5, (width, height))
        pair = _EncodedPair(
            a=a,
            b=b,
            latent_a=latents[0:1],
            latent_b=latents[1:2],
            loss_a=None if loss is None else loss[0],
            loss_b=None if loss is None else loss[1],
        )
        self._cache["pair"] = pair  # holds a and b, so their ids cannot be reused meanwhile
        return pair

    def _decode(
        self, vae: _Autoencoder, pair: _EncodedPair, weights: list[float], shape: tuple
    ) -> list[np.ndarray]:
        torch = vae.torch
        height, width = shape[:2]
        latents = torch.cat([slerp(pair.latent_a, pair.latent_b, t) for t in weights])
        decoded = vae.decode(latents).to(torch.float32)
        pictures = _resize(torch, (decoded + 1.0) * 127.5, (width, height))
        if pair.loss_a is not None:
            t = torch.tensor(weights, device=pictures.device, dtype=torch.float32)
            t = t.view(-1, 1, 1, 1)
            pictures = pictures + (1 - t) * pair.loss_a + t * pair.loss_b
        pictures = pictures.round_().clamp_(0, 255).to(torch.uint8)
        return list(pictures.permute(0, 2, 3, 1).contiguous().cpu().numpy())


def _resize(torch: Any, images: Any, size: tuple[int, int]) -> Any:
    """NCHW float images resized to ``size`` (width, height): antialiased when shrinking,
    bilinear when growing; unchanged when already that size."""
    width, height = size
    if images.shape[-2:] == (height, width):
        return images
    shrinking = width < images.shape[-1]
    return torch.nn.functional.interpolate(
        images, size=(height, width), mode="bilinear", align_corners=False, antialias=shrinking
    )

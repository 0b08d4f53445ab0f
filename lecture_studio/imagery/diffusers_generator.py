"""The diffusion-model generator: a local diffusers pipeline, loaded once and reused for a deck.

torch and diffusers are imported inside functions only (about 4 s), so ``import lecture_studio``
stays fast and works without them. Loading never reaches the network (``local_files_only``
after ``models.resolve_model`` found the files), never runs remote code and reads only
safetensors weights.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import InputError, RenderError
from ..jobs import CancelToken, ProgressCallback, no_progress
from .generator import DrawsInBatches, ImageRequest, Size
from .models import DEFAULT_MODEL, ModelSource, hf_cache_dir, how_to_get, resolve_model

GIB = 1024**3
# Rough fp16 activation memory of an SD-2-class UNet + VAE decode per image pixel (bytes),
# with headroom: 1024x576 -> about 1.8 GiB.
BYTES_PER_PIXEL = 3000
MAX_BATCH = 8
FEW_STEP_MARKERS = ("turbo", "lightning", "lcm", "hyper", "schnell")


class ImageryError(RenderError):
    """The image model failed to load or to draw (damaged files, out of GPU memory...)."""


@dataclass(frozen=True)
class MemoryPlan:
    """Which memory savers to use and how many images to draw at once."""

    attention_slicing: bool = False
    vae_tiling: bool = False
    cpu_offload: bool = False
    batch: int = 1


def plan_memory(device: str, free_bytes: int | None, weights_bytes: int, size: Size) -> MemoryPlan:
    """Choose memory savers from the accelerator's free memory (before loading the weights).

    Plenty of memory: no savers and several slides per batch. Less: one slide at a time, then
    attention slicing and VAE tiling, then CPU offload (the weights wait in RAM).
    """
    if device == "cpu":
        return MemoryPlan(vae_tiling=size[0] * size[1] > 1536 * 1536)
    if device == "mps" or free_bytes is None:
        return MemoryPlan(attention_slicing=device == "mps")
    per_image = size[0] * size[1] * BYTES_PER_PIXEL
    spare = free_bytes - weights_bytes
    if spare < per_image:
        return MemoryPlan(attention_slicing=True, vae_tiling=True, cpu_offload=True)
    if spare < 2 * per_image:
        return MemoryPlan(attention_slicing=True, vae_tiling=True)
    return MemoryPlan(batch=int(min(MAX_BATCH, max(1, spare // (2 * per_image)))))


def choose_device(preferred: str | None = None) -> str:
    """cuda, then mps, then cpu; ``preferred`` ("cuda", "cuda:1", "mps", "cpu") overrides."""
    import torch

    if preferred and preferred != "auto":
        if preferred.startswith("cuda") and not torch.cuda.is_available():
            raise InputError("No CUDA GPU is available here; choose the device cpu (or auto).")
        if preferred == "mps" and not torch.backends.mps.is_available():
            raise InputError("Apple's MPS GPU is not available here; choose the device cpu.")
        return preferred
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def choose_dtype(device: str, preferred: str | None = None) -> Any:
    """float16 on a GPU (bfloat16 on request), float32 on the CPU."""
    import torch

    names = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}
    if preferred:
        if preferred not in names:
            raise InputError(f"{preferred!r} is not a dtype; choose one of {', '.join(names)}.")
        return names[preferred]
    return torch.float32 if device == "cpu" else torch.float16


def _fingerprint(path: Path) -> str:
    """Names, sizes and times of a model's files: changes when the weights are replaced."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    text = "\n".join(
        f"{f.relative_to(path) if f != path else f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}"
        for f in files
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _weights_bytes(path: Path) -> int:
    files = [path] if path.is_file() else list(path.rglob("*.safetensors"))
    return sum(f.stat().st_size for f in files)


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """No loading progress bars on the terminal; our own progress reports instead."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    was = (
        diffusers_logging.is_progress_bar_enabled(),
        transformers_logging.is_progress_bar_enabled(),
    )
    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was[0]:
            diffusers_logging.enable_progress_bar()
        if was[1]:
            transformers_logging.enable_progress_bar()


def _single_file_pipeline_class(path: Path) -> Any:
    from diffusers import StableDiffusionPipeline, StableDiffusionXLPipeline
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as checkpoint:
        keys = list(checkpoint.keys())
    if any(k.startswith("conditioner.embedders.1") for k in keys):
        return StableDiffusionXLPipeline
    return StableDiffusionPipeline


class DiffusersGenerator(DrawsInBatches):
    """Draws slide images with a local diffusion model (default stabilityai/sd-turbo).

    The model is resolved on construction (a clear error at once when it is missing) and
    loaded on first use, then kept for every later image.
    """

    name = "Diffusion model"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        device: str | None = None,
        dtype: str | None = None,
        models_folder: Path | None = None,
    ) -> None:
        self.source: ModelSource = resolve_model(model, models_folder)
        self._device_request = device
        self._dtype_request = dtype
        self._pipe: Any = None
        self.device = ""
        self.plan = MemoryPlan()
        self.notes: list[str] = []
        pin = self.source.revision or _fingerprint(self.source.path)
        self.identity = f"diffusers:{self.source.name}@{pin}"
        few_steps = any(m in str(self.source.path).lower() for m in FEW_STEP_MARKERS) or any(
            m in self.source.name.lower() for m in FEW_STEP_MARKERS
        )
        self.default_steps = 2 if few_steps else 25
        self.default_guidance = 0.0 if few_steps else 7.0

    @classmethod
    def from_pipeline(cls, pipeline: Any, identity: str, device: str) -> DiffusersGenerator:
        """Wrap a pipeline built elsewhere (benchmarks, plugins) in the same generation code."""
        generator = cls.__new__(cls)
        generator.source = ModelSource("folder", identity, Path("."))
        generator._device_request = device
        generator._dtype_request = None
        generator._pipe = pipeline
        generator.device = device
        generator.plan = MemoryPlan()
        generator.notes = []
        generator.identity = identity
        generator.default_steps, generator.default_guidance = 2, 0.0
        free = None
        if device.startswith("cuda"):
            import torch

            free = torch.cuda.mem_get_info(torch.device(device))[0]
        generator._apply_memory_plan(pipeline, device, weights_bytes=0, free=free)
        return generator

    # --- loading ------------------------------------------------------------------------
    def pipeline(self, progress: ProgressCallback = no_progress) -> Any:
        """The loaded pipeline (loaded on the first call, then reused)."""
        if self._pipe is None:
            progress(0.0, f"loading the image model {self.source.name}")
            self._pipe = self._load()
            progress(1.0, f"loaded the image model {self.source.name}")
        return self._pipe

    def _load(self) -> Any:
        import torch
        from diffusers import AutoPipelineForText2Image
        from diffusers.utils import is_accelerate_available

        device = choose_device(self._device_request)
        dtype = choose_dtype(device, self._dtype_request)
        source = self.source
        options: dict[str, Any] = {"dtype": dtype, "local_files_only": True}
        if not is_accelerate_available():
            options["low_cpu_mem_usage"] = False
        free = None
        if device.startswith("cuda"):
            free = torch.cuda.mem_get_info(torch.device(device))[0]
        try:
            with _quiet_loading():
                if source.kind == "file":
                    pipeline_class = _single_file_pipeline_class(source.path)
                    pipe = pipeline_class.from_single_file(
                        str(source.path), cache_dir=str(hf_cache_dir()), **options
                    )
                else:
                    pipe = AutoPipelineForText2Image.from_pretrained(
                        str(source.path), use_safetensors=True, **options
                    )
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc)
            raise ImageryError(
                f"The image model {source.name} could not be loaded ({detail}); "
                f"get a complete copy: {how_to_get(source.name)}."
            ) from exc
        pipe.set_progress_bar_config(disable=True)
        self.device = device
        weights = _weights_bytes(source.path)
        if dtype != torch.float32:
            weights //= 2  # checkpoints are usually stored in float32
        self._apply_memory_plan(pipe, device, weights, free)
        return pipe

    def _apply_memory_plan(
        self, pipe: Any, device: str, weights_bytes: int, free: int | None = None
    ) -> None:
        self._free_for_images = None if free is None else free - weights_bytes
        self.plan = plan_memory(device, free, weights_bytes, (1024, 576))
        if self.plan.cpu_offload:
            try:
                pipe.enable_model_cpu_offload(device=device)
            except (ImportError, RuntimeError, ValueError) as exc:
                self.notes.append(
                    f"Low GPU memory and CPU offload is unavailable ({exc}); install the "
                    "'accelerate' package if images fail for lack of memory."
                )
                pipe.to(device)
        else:
            pipe.to(device)
        if self.plan.attention_slicing:
            pipe.enable_attention_slicing()

    # --- generating ---------------------------------------------------------------------
    def batch_size(self, size: Size) -> int:
        """How many images of ``size`` fit in one batch on this device."""
        if not self.device.startswith("cuda") or self.plan.cpu_offload:
            return 1
        free = self._free_for_images
        return plan_memory(self.device, free, 0, size).batch if free is not None else 1

    def generate_batch(
        self,
        requests: Sequence[ImageRequest],
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[Image.Image]:
        import torch

        if not requests:
            return []
        first = requests[0]
        if any(
            (r.size, r.steps, r.guidance) != (first.size, first.steps, first.guidance)
            for r in requests
        ):
            raise ValueError("one batch needs one size, step count and guidance")
        if cancel is not None:
            cancel.check()
        pipe = self.pipeline()
        width, height = (max(8, round(v / 8) * 8) for v in first.size)
        steps = max(1, int(first.steps))
        tiling = self.plan.vae_tiling or (self.device == "cpu" and width * height > 1536 * 1536)
        if tiling:
            pipe.vae.enable_tiling()
        else:
            pipe.vae.disable_tiling()

        def on_step_end(pipeline: Any, step: int, timestep: Any, tensors: dict) -> dict:
            progress((step + 1) / steps, f"step {step + 1}/{steps}")
            if cancel is not None and cancel.cancelled:
                pipeline._interrupt = True
            return tensors

        arguments: dict[str, Any] = {
            "prompt": [r.prompt for r in requests],
            "num_inference_steps": steps,
            "guidance_scale": float(first.guidance),
            "width": width,
            "height": height,
            # Seeded on the CPU: the same seed gives the same starting noise on every device.
            "generator": [torch.Generator("cpu").manual_seed(r.seed) for r in requests],
            "callback_on_step_end": on_step_end,
        }
        if first.guidance > 1.0:  # negative prompts only act with classifier-free guidance
            arguments["negative_prompt"] = [r.negative for r in requests]
        try:
            with torch.inference_mode():
                images = pipe(**arguments).images
        except torch.OutOfMemoryError as exc:
            raise ImageryError(
                f"The GPU ran out of memory drawing a {width}x{height} image; close other "
                "programs using the GPU or choose a smaller image size."
            ) from exc
        if cancel is not None:
            cancel.check()
        return [
            image if image.size == tuple(first.size) else image.resize(first.size)
            for image in images
        ]

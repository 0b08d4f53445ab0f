"""Per-slide imagery: image generators (diffusion model, procedural), prompts, seeds, cache.

Importing this package never imports torch or diffusers; ``DiffusersGenerator`` does so when
it loads its model.
"""

from __future__ import annotations

from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture
from ..plugins import IMAGE_GENERATOR, PluginRegistrar, PluginRegistry
from .cache import (
    ImageryResult,
    default_image_size,
    default_placement,
    generate_slide_images,
    image_asset_name,
    image_key,
    slide_request,
)
from .diffusers_generator import DiffusersGenerator, ImageryError, MemoryPlan, plan_memory
from .generator import BatchImageGenerator, ImageGenerator, ImageRequest, Size
from .models import (
    DEFAULT_MODEL,
    InstalledModel,
    ModelDownloadError,
    ModelNotFoundError,
    ModelSource,
    UnsafeModelError,
    download_model,
    list_models,
    models_dir,
    resolve_model,
)
from .placement import free_region, place_image
from .procedural import ProceduralGenerator, lecture_palette
from .prompts import (
    ENGLISH_HINT,
    STYLE_PRESETS,
    StylePreset,
    build_prompt,
    needs_english_hint,
    negative_prompt,
    slide_prompt,
    style_preset,
)
from .seeds import slide_seed

GENERATORS = ("diffusers", "procedural")


def register_generators(registrar: PluginRegistrar) -> None:
    """Add Lecture Studio's own image generators, as a plugin's ``register()`` adds its own."""
    registrar.add_image_generator("diffusers", _diffusers_generator, "A local diffusion model")
    registrar.add_image_generator("procedural", _procedural_generator, "Shapes, no model")


def _diffusers_generator(lecture: Lecture, model: str | None, device: str | None) -> ImageGenerator:
    return DiffusersGenerator(model or lecture.style.imagery_model, device=device)


def _procedural_generator(
    lecture: Lecture, model: str | None, device: str | None
) -> ImageGenerator:
    return ProceduralGenerator.for_lecture(lecture)


def generator_for_lecture(
    lecture: Lecture,
    kind: str | None = None,
    model: str | None = None,
    device: str | None = None,
    registry: PluginRegistry | None = None,
) -> ImageGenerator:
    """The generator the lecture's style asks for (``kind``/``model`` override it): a built-in
    one (``GENERATORS``) or one of a plugin in ``registry`` (None: the built-in ones only)."""
    registry = (
        registry if registry is not None else PluginRegistry.builtin_only(register_generators)
    )
    kind = kind or lecture.style.imagery_generator
    if registry.find(IMAGE_GENERATOR, kind) is None:
        known = tuple(registry.names(IMAGE_GENERATOR))
        raise ValueError(f"unknown image generator {kind!r}; expected one of {known}")
    return registry.create(IMAGE_GENERATOR, kind, lecture, model, device)


__all__ = [
    "BatchImageGenerator",
    "CancelToken",
    "DEFAULT_MODEL",
    "DiffusersGenerator",
    "ENGLISH_HINT",
    "GENERATORS",
    "ImageGenerator",
    "ImageRequest",
    "ImageryError",
    "ImageryResult",
    "InstalledModel",
    "MemoryPlan",
    "ModelDownloadError",
    "ModelNotFoundError",
    "ModelSource",
    "ProceduralGenerator",
    "ProgressCallback",
    "STYLE_PRESETS",
    "Size",
    "StylePreset",
    "UnsafeModelError",
    "build_prompt",
    "default_image_size",
    "default_placement",
    "download_model",
    "free_region",
    "generate_slide_images",
    "generator_for_lecture",
    "image_asset_name",
    "image_key",
    "lecture_palette",
    "list_models",
    "models_dir",
    "needs_english_hint",
    "negative_prompt",
    "no_progress",
    "place_image",
    "plan_memory",
    "register_generators",
    "resolve_model",
    "slide_prompt",
    "slide_request",
    "slide_seed",
    "style_preset",
]

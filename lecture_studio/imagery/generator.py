"""The interface every image generator offers (diffusion model, procedural, plugins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PIL import Image

from ..jobs import CancelToken, ProgressCallback, no_progress

Size = tuple[int, int]  # (width, height) in pixels


@dataclass(frozen=True)
class ImageRequest:
    """Everything, besides the generator itself, that determines one generated image."""

    prompt: str
    negative: str
    size: Size
    seed: int
    steps: int
    guidance: float


@runtime_checkable
class ImageGenerator(Protocol):
    """Draws one image for a prompt; the same arguments give the same image.

    ``name`` is what the editor shows; ``identity`` names everything else that determines the
    output (model and its revision, algorithm version) and goes into the image cache's key.
    ``progress`` gets the fraction of this image done; ``cancel`` stops it midway by raising
    ``Cancelled``.
    """

    name: str
    identity: str
    default_steps: int
    default_guidance: float

    def generate(
        self,
        prompt: str,
        negative: str,
        size: Size,
        seed: int,
        steps: int,
        guidance: float,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> Image.Image: ...


@runtime_checkable
class BatchImageGenerator(ImageGenerator, Protocol):
    """A generator that draws several images at once when memory allows (GPU models)."""

    def batch_size(self, size: Size) -> int:
        """How many images of ``size`` it draws at once."""
        ...

    def generate_batch(
        self,
        requests: Sequence[ImageRequest],
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> list[Image.Image]:
        """One image per request; requests share size, steps and guidance."""
        ...


class DrawsInBatches:
    """``generate`` for a ``BatchImageGenerator`` class: its ``generate_batch`` of one."""

    def generate(
        self,
        prompt: str,
        negative: str,
        size: Size,
        seed: int,
        steps: int,
        guidance: float,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> Image.Image:
        request = ImageRequest(prompt, negative, size, seed, steps, guidance)
        return self.generate_batch([request], progress, cancel)[0]  # type: ignore[attr-defined]

"""How slide images are to be drawn, as a person chose it for a run (``imagery``, ``batch
--imagery``): what goes into the lecture's style, and what only the drawing needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Lecture, Slide
from ..model.lecture import Placement
from .generator import Size


@dataclass(frozen=True)
class ImagerySettings:
    """The choices of one run; None leaves the lecture's own (its style, which defaults to
    diffusers with stabilityai/sd-turbo, the model's steps and guidance, seed 0).

    ``placement`` goes to slides that have no image yet; ``size`` (default: 1024 wide at the
    slide's aspect) and ``device`` (default: the best one here) are the drawing's only."""

    style: str | None = None
    generator: str | None = None
    model: str | None = None
    steps: int | None = None
    guidance: float | None = None
    seed: int | None = None
    placement: Placement | None = None
    size: Size | None = None
    device: str | None = None

    def apply(self, lecture: Lecture, slides: Iterable[Slide] | None = None) -> None:
        """Put the choices that live in the lecture into it: the style's, and the placement
        of ``slides`` (default: the visible ones) whose placement is still "none"."""
        style = lecture.style
        if self.style:
            style.imagery_style = self.style
        if self.generator:
            style.imagery_generator = self.generator
        if self.model:
            style.imagery_model = self.model
        if self.steps:
            style.imagery_steps = self.steps
        if self.guidance is not None:
            style.imagery_guidance = self.guidance
        if self.seed is not None:
            style.seed = self.seed
        if self.placement:
            for slide in lecture.visible_slides() if slides is None else slides:
                if slide.imagery.placement == "none":
                    slide.imagery.placement = self.placement

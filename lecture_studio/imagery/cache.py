"""Generated images kept in the project's assets, named by a hash of what determines them.

An image's key hashes the generator's identity (model and revision, or algorithm version), the
prompt, negative prompt, size, seed, steps and guidance. Asking again for an image whose key is
already among the slide's variants draws nothing; a new key adds a variant and keeps the old
ones, so an earlier variant can be picked again.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image

from ..errors import InputError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture, Slide
from ..model.lecture import Placement
from ..pictures import png_damaged
from ..project import Project
from .generator import BatchImageGenerator, ImageGenerator, ImageRequest, Size
from .prompts import negative_prompt, slide_prompt
from .seeds import slide_seed

IMAGE_SUFFIX = ".png"
ASSET_PREFIX = "img-"


def image_key(identity: str, request: ImageRequest) -> str:
    """sha256 of everything that determines a generated image."""
    payload = {
        "generator": identity,
        "prompt": request.prompt,
        "negative": request.negative,
        "size": [int(request.size[0]), int(request.size[1])],
        "seed": int(request.seed),
        "steps": int(request.steps),
        "guidance": round(float(request.guidance), 4),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def image_asset_name(key: str) -> str:
    return f"{ASSET_PREFIX}{key[:32]}{IMAGE_SUFFIX}"


def default_image_size(lecture: Lecture, width: int = 1024) -> Size:
    """The generated image's size: ``width`` wide at the slide's aspect, in multiples of 64."""
    height = max(64, round(width / lecture.aspect / 64) * 64)
    return width, height


def default_placement(slide: Slide) -> Placement:
    """Outline slides get a full-bleed background; deck slides an illustration beside the text."""
    return "background" if slide.source.kind in ("outline", "blank") else "beside"


def slide_request(
    lecture: Lecture,
    slide: Slide,
    generator: ImageGenerator,
    size: Size,
    variation: int = 0,
) -> ImageRequest:
    """What to ask the generator for this slide (its prompt, the lecture's style and seed)."""
    style = lecture.style
    steps = style.imagery_steps if style.imagery_steps else generator.default_steps
    guidance = (
        style.imagery_guidance if style.imagery_guidance is not None else generator.default_guidance
    )
    return ImageRequest(
        prompt=slide_prompt(lecture, slide),
        negative=negative_prompt(lecture),
        size=(int(size[0]), int(size[1])),
        seed=slide_seed(style.seed, slide.id, variation),
        steps=int(steps),
        guidance=float(guidance),
    )


@dataclass
class ImageryResult:
    """Which slides got a new image and which already had theirs; slide id -> chosen asset."""

    images: dict[str, str] = field(default_factory=dict)
    generated: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    slide: Slide
    request: ImageRequest
    name: str
    replaces: int  # index of a variant whose asset went missing, or -1 to append


def _plan_slide(
    project: Project,
    slide: Slide,
    generator: ImageGenerator,
    size: Size,
    new_variant: bool,
) -> _Pending | None:
    """None when the slide's image is up to date; else what to draw for it."""
    lecture = project.lecture
    spec = slide.imagery
    variants = spec.variants

    def name_for(variation: int) -> tuple[ImageRequest, str]:
        request = slide_request(lecture, slide, generator, size, variation)
        return request, image_asset_name(image_key(generator.identity, request))

    def present(name: str) -> bool:
        return name in variants and _intact(project, name)

    if new_variant:
        variation = 0
        while present(name_for(variation)[1]):
            variation += 1
        request, name = name_for(variation)
        return _Pending(slide, request, name, variants.index(name) if name in variants else -1)
    current = {name_for(v)[1] for v in range(len(variants) + 1)}
    if 0 <= spec.chosen < len(variants):
        chosen = variants[spec.chosen]
        if chosen in current and _intact(project, chosen):
            return None  # the picked variant was drawn with today's settings
    request, name = name_for(0)
    if present(name):
        spec.chosen = variants.index(name)
        return None
    return _Pending(slide, request, name, variants.index(name) if name in variants else -1)


def _intact(project: Project, name: str) -> bool:
    """Whether the generated image ``name`` is in the project and undamaged (a damaged one is
    drawn again in its place)."""
    return project.has_asset(name) and not png_damaged(project.asset_bytes(name))


def _record(project: Project, pending: _Pending, image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", compress_level=3)
    name = project.add_asset(buffer.getvalue(), IMAGE_SUFFIX, name=pending.name, replace=True)
    spec = pending.slide.imagery
    if pending.replaces >= 0:
        spec.chosen = pending.replaces
    else:
        spec.variants.append(name)
        spec.chosen = len(spec.variants) - 1
    if spec.placement == "none":
        spec.placement = default_placement(pending.slide)
    return name


def generate_slide_images(
    project: Project,
    slide_ids: Sequence[str] | None,
    generator: ImageGenerator,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    *,
    size: Size | None = None,
    new_variant: bool = False,
) -> ImageryResult:
    """Give each slide (default: every visible slide) its generated image.

    Unchanged images are not drawn again; ``new_variant`` draws another variant of each slide
    (the next seed of that slide only) and keeps the earlier ones. Each new image is stored in
    the project's assets and becomes the slide's chosen variant; a slide whose placement is
    "none" gets its default placement. Cancelling keeps the images drawn so far.
    """
    lecture = project.lecture
    if slide_ids is None:
        slides = lecture.visible_slides()
    else:
        slides = []
        for slide_id in slide_ids:
            try:
                slides.append(lecture.slide(slide_id))
            except KeyError:
                raise InputError(f"The lecture has no slide with id {slide_id}.") from None
    size = size or default_image_size(lecture)
    result = ImageryResult()
    pending: list[_Pending] = []
    for slide in slides:
        plan = _plan_slide(project, slide, generator, size, new_variant)
        if plan is None:
            result.reused.append(slide.id)
            result.images[slide.id] = slide.imagery.variants[slide.imagery.chosen]
        else:
            pending.append(plan)
    total = len(pending)
    batch = generator.batch_size(size) if isinstance(generator, BatchImageGenerator) else 1
    done = 0
    while done < total:
        if cancel is not None:
            cancel.check()
        chunk = pending[done : done + max(1, batch)]
        first = lecture.index_of(chunk[0].slide.id) + 1
        label = f"drawing slide {first}" if len(chunk) == 1 else f"drawing {len(chunk)} slides"

        def report(
            fraction: float,
            message: str,
            start: int = done,
            count: int = len(chunk),
            what: str = label,
        ) -> None:
            progress((start + fraction * count) / total, f"{what}: {message}")

        if len(chunk) > 1 and isinstance(generator, BatchImageGenerator):
            images = generator.generate_batch([p.request for p in chunk], report, cancel)
        else:
            r = chunk[0].request
            images = [
                generator.generate(
                    r.prompt, r.negative, r.size, r.seed, r.steps, r.guidance, report, cancel
                )
            ]
        for item, image in zip(chunk, images, strict=True):
            result.images[item.slide.id] = _record(project, item, image)
            result.generated.append(item.slide.id)
        done += len(chunk)
    progress(1.0, f"{len(result.generated)} images drawn, {len(result.reused)} unchanged")
    return result

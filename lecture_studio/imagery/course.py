"""Slide images for many lectures in one run (``batch --imagery``): one generator per model,
loaded once and shared by every lecture, and what it drew kept in the app's cache.

What to draw stays ``cache.generate_slide_images``'s: each slide's request and key, the
variants a project already has, the chosen one. A deck or an outline is imported anew at every
run, so its images cannot wait in its project as a saved project's do; the app's cache is a
second place where an image of that key may already be (``images/KEY.png``, sealed by
``cachefile``, pruned least recently used first): one found there is put into the project as
if drawn, and nothing is drawn again for a lecture whose slides and settings did not change.
A lost entry only costs a redraw, which gives the same image (seeded per slide; an imported
lecture's slides are seeded by their places, see ``CourseImagery.prepare``).
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..cache import folder as cache_folder
from ..cachefile import read_entry, write_entry
from ..errors import InputError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture
from ..plugins import PluginRegistry
from ..project import Project
from . import generator_for_lecture
from .cache import (
    default_image_size,
    generate_slide_images,
    image_key,
    slide_request,
)
from .generator import BatchImageGenerator, DrawsInBatches, ImageGenerator, ImageRequest, Size
from .prompts import english_hint_note
from .settings import ImagerySettings

log = logging.getLogger(__name__)

#: (lecture, kind, model, device) -> the generator, as ``generator_for_lecture`` makes it:
#: ``cluster_imagery.RayImagery`` makes one that draws on Ray actors instead.
GeneratorFactory = Callable[[Lecture, str | None, str | None, str | None], ImageGenerator]
# How often a lecture waiting for a generator another lecture draws with looks at its cancel.
_WAIT_SECONDS = 0.25


@dataclass
class _Shared:
    generator: ImageGenerator
    lock: threading.Lock = field(default_factory=threading.Lock)


class CourseImagery:
    """Draws every lecture's slide images with ``settings`` (see the module's docstring).

    A generator is made for each lecture (cheap: a model is found on disk, not loaded), and
    the first one of each ``identity`` is kept and used for every lecture that asks for the
    same: one model loaded once for the whole run. A generator draws one lecture at a time
    (a diffusers pipeline is not safe to share between threads). ``generators`` makes them:
    ``generator_for_lecture`` with ``registry`` by default."""

    def __init__(
        self,
        settings: ImagerySettings,
        *,
        registry: PluginRegistry | None = None,
        cache_dir: Path | None = None,
        generators: GeneratorFactory | None = None,
    ) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self._make: GeneratorFactory = generators or (
            lambda lecture, kind, model, device: generator_for_lecture(
                lecture, kind, model, device, registry
            )
        )
        self._shared: dict[str, _Shared] = {}
        self._lock = threading.Lock()

    def prepare(self, project: Project) -> None:
        """Put the settings that live in the lecture into it (before its key is taken).

        A lecture imported now (a deck, an outline: not a saved project) has slide ids that
        are new at every import, and a slide's seed, so its image, derives from its id: its
        slides get ids from their places instead ("slide-1"...), the same at every import. A
        saved project keeps its own, with which ``imagery`` draws."""
        if project.path is None:
            for number, slide in enumerate(project.lecture.slides, 1):
                slide.id = f"slide-{number}"
        self.settings.apply(project.lecture)

    def check(self) -> ImageGenerator:
        """The generator a lecture with no choices of its own gets: an InputError now (a
        model that is not on this computer, an unknown generator) rather than once per
        lecture."""
        lecture = Lecture()
        self.settings.apply(lecture)
        return self._generator(lecture).generator

    def key(self, project: Project) -> str:
        """What the lecture's images are made of (after ``prepare``), for the batch's
        up-to-date key: each visible slide's ``image_key``, which names the generator's
        identity (model and revision), the prompt, the seed, the size, steps and guidance."""
        lecture = project.lecture
        generator = self._generator(lecture).generator
        size = self.size(lecture)
        keys = [
            image_key(generator.identity, slide_request(lecture, slide, generator, size))
            for slide in lecture.visible_slides()
        ]
        return json.dumps({"images": keys})

    def size(self, lecture: Lecture) -> Size:
        return self.settings.size or default_image_size(lecture)

    def draw(
        self,
        project: Project,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[str]:
        """Give each visible slide of ``project`` its image, as ``imagery`` would: unchanged
        ones are kept, those in the app's cache taken from it, the others drawn. Returns the
        warnings for the lecture's report."""
        lecture = project.lecture
        shared = self._generator(lecture)
        generator = shared.generator
        notes = getattr(generator, "notes", None)
        stored = StoredImages(generator, cache_folder("images", self.cache_dir))
        if not shared.lock.acquire(blocking=False):  # another lecture is drawing with it
            progress(0.0, "waiting for another lecture's images")
            while not shared.lock.acquire(timeout=_WAIT_SECONDS):
                if cancel is not None:
                    cancel.check()
        try:
            known_notes = len(notes) if isinstance(notes, list) else 0
            if cancel is not None:
                cancel.check()
            generate_slide_images(project, None, stored, progress, cancel, size=self.size(lecture))
            warnings = list(notes[known_notes:]) if isinstance(notes, list) else []
        finally:
            shared.lock.release()
        note = english_hint_note(lecture, lecture.visible_slides())
        return [*warnings, note] if note else warnings

    def _generator(self, lecture: Lecture) -> _Shared:
        settings = self.settings
        try:
            made = self._make(lecture, settings.generator, settings.model, settings.device)
        except ValueError as exc:
            kind = settings.generator or lecture.style.imagery_generator
            raise InputError(
                f"The image generator {kind!r} is not available here ({exc}); choose "
                "--generator diffusers or procedural."
            ) from exc
        with self._lock:
            return self._shared.setdefault(made.identity, _Shared(made))


class StoredImages(DrawsInBatches):
    """``generator`` that looks for each image in ``folder`` (the app's cache of drawn images,
    by ``image_key``) before drawing it, and keeps there each image it draws."""

    def __init__(self, generator: ImageGenerator, folder: Path) -> None:
        self.generator = generator
        self.folder = folder
        self.name = generator.name
        self.identity = generator.identity
        self.default_steps = generator.default_steps
        self.default_guidance = generator.default_guidance

    def batch_size(self, size: Size) -> int:
        generator = self.generator
        return generator.batch_size(size) if isinstance(generator, BatchImageGenerator) else 1

    def generate_batch(
        self,
        requests: Sequence[ImageRequest],
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[Image.Image]:
        images = [self._stored(request) for request in requests]
        missing = [i for i, image in enumerate(images) if image is None]
        if not missing:
            return [image for image in images if image is not None]
        asked = [requests[i] for i in missing]
        generator = self.generator
        if len(asked) > 1 and isinstance(generator, BatchImageGenerator):
            drawn = generator.generate_batch(asked, progress, cancel)
        else:
            drawn = []
            for number, r in enumerate(asked):

                def part(fraction: float, message: str, n: int = number) -> None:
                    progress((n + fraction) / len(asked), message)

                drawn.append(
                    generator.generate(
                        r.prompt, r.negative, r.size, r.seed, r.steps, r.guidance, part, cancel
                    )
                )
        for index, image in zip(missing, drawn, strict=True):
            self._keep(requests[index], image)
            images[index] = image
        return [image for image in images if image is not None]

    def _path(self, request: ImageRequest) -> Path:
        return self.folder / f"{image_key(self.identity, request)}.png"

    def _stored(self, request: ImageRequest) -> Image.Image | None:
        path = self._path(request)
        data = read_entry(path, "drawn image")
        if data is None:
            return None
        try:
            with Image.open(io.BytesIO(data)) as image:
                return image.convert("RGB")
        except (OSError, ValueError, UnidentifiedImageError) as exc:
            log.warning("A damaged drawn image was removed and will be drawn again: %s", exc)
            path.unlink(missing_ok=True)
            return None

    def _keep(self, request: ImageRequest, image: Image.Image) -> None:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "PNG", compress_level=3)
        path = self._path(request)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_entry(path, buffer.getvalue())
        except OSError as exc:
            log.warning(
                "A drawn image could not be kept in the cache (%s: %s); it will be drawn "
                "again next time.",
                path.parent,
                exc.strerror or exc,
            )

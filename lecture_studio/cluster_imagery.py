"""Slide imagery on Ray (``batch --ray --imagery``): the image model kept loaded in Ray
actors, one per GPU of the cluster, drawing the slides of every lecture.

The driver still decides what to draw (``imagery.course.CourseImagery``: each slide's request,
the variants its project has, the images in the app's cache), so a lecture's images are those
the local batch draws; only the drawing moves. ``RayImagery`` makes the generators that
``CourseImagery`` uses: stand-ins whose ``generate_batch`` splits the requests among the
actors, each drawing its share with the generator it keeps (``generator_for_lecture`` on its
node: the model is loaded with its first image, then kept for the whole batch). The images
come back through Ray's object store; the lecture, with them in its assets, goes on to its
lecture task (``cluster.RayExporter``).

- **A cluster with GPUs**: one actor per GPU, each asking Ray for ``num_gpus=1`` and no CPU.
  Ray gives each its own GPU (as ``CUDA_VISIBLE_DEVICES``), so the pipeline lands there, and
  leaves every CPU to the lectures' pieces.
- **A cluster without a GPU**: one actor of one CPU (of none on a cluster of one CPU, whose
  pieces would otherwise wait for it forever); the model draws on that node's CPU, one image
  at a time (slow with a real model; the procedural generator needs none).

Calls to one actor run one after another (a pipeline is not shared between threads). Ray
restarts an actor whose process dies and runs its call again (``cluster.TASK_TRIES`` tries);
the new process loads the model again. The actors are made when the first lecture is opened
(its up-to-date key names the model the actors hold) and ended by ``close``; the model is
loaded with the first image, so a batch whose lectures are all up to date loads none.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from .cluster import TASK_TRIES, _ray, worker_registry
from .errors import Cancelled, LectureStudioError
from .imagery import generator_for_lecture
from .imagery.diffusers_generator import ImageryError
from .imagery.generator import (
    BatchImageGenerator,
    DrawsInBatches,
    ImageGenerator,
    ImageRequest,
    Size,
)
from .jobs import CancelToken, ProgressCallback, no_progress
from .model import Lecture

# Images one actor is sent at once (it draws them in batches as its memory allows).
IMAGES_PER_ACTOR = 4
# How often the driver looks at the cancel token while actors draw.
_POLL_SECONDS = 0.25


def actor_options(resources: dict[str, float]) -> list[dict[str, Any]]:
    """The Ray options of each imagery actor for a cluster of ``resources``
    (``ray.cluster_resources()``): one per whole GPU, else one on a CPU (see the module's
    docstring)."""
    gpus = int(resources.get("GPU", 0))
    if gpus > 0:
        return [{"num_gpus": 1, "num_cpus": 0} for _ in range(gpus)]
    return [{"num_cpus": 1 if resources.get("CPU", 0) >= 2 else 0}]


@dataclass(frozen=True)
class _Described:
    """What the driver needs of a generator an actor keeps."""

    identity: str
    name: str
    default_steps: int
    default_guidance: float


class ImageryActor:
    """One Ray actor's generators, by identity, each with its model loaded once."""

    def __init__(self, plugins: bool) -> None:
        self.registry = worker_registry(plugins)
        self.generators: dict[str, ImageGenerator] = {}

    def describe(
        self, lecture: Lecture, kind: str | None, model: str | None, device: str | None
    ) -> _Described:
        generator = self._generator(lecture, kind, model, device)
        return _Described(
            generator.identity,
            generator.name,
            generator.default_steps,
            generator.default_guidance,
        )

    def draw(
        self,
        lecture: Lecture,
        kind: str | None,
        model: str | None,
        device: str | None,
        requests: Sequence[ImageRequest],
    ) -> tuple[list[Image.Image], list[str]]:
        """The images of ``requests`` (one size, steps and guidance), and the generator's
        notes (memory savers it could not use...)."""
        generator = self._generator(lecture, kind, model, device)
        images: list[Image.Image] = []
        if isinstance(generator, BatchImageGenerator):
            while len(images) < len(requests):
                # asked again each time: a model knows its device's memory once it is loaded
                step = max(1, generator.batch_size(requests[0].size))
                chunk = requests[len(images) : len(images) + step]
                images += generator.generate_batch(chunk, no_progress, None)
        else:
            for r in requests:
                images.append(
                    generator.generate(
                        r.prompt, r.negative, r.size, r.seed, r.steps, r.guidance, no_progress, None
                    )
                )
        return images, list(getattr(generator, "notes", []))

    def _generator(
        self, lecture: Lecture, kind: str | None, model: str | None, device: str | None
    ) -> ImageGenerator:
        made = generator_for_lecture(lecture, kind, model, device, self.registry)
        return self.generators.setdefault(made.identity, made)


class RayImagery:
    """The generators of ``CourseImagery(..., generators=RayImagery(plugins))`` (its
    ``__call__`` is ``generator_for_lecture``'s): they draw on Ray actors (see the module's
    docstring). ``plugins``: whether the actors use the plugins installed on their nodes.
    Make it inside ``cluster.ray_session``; ``close`` ends its actors."""

    def __init__(self, plugins: bool) -> None:
        self.plugins = plugins
        self._actors: list[Any] | None = None
        self._lock = threading.Lock()
        self._turn = itertools.count()

    def actors(self) -> list[Any]:
        """The actors, made on the first call (one per GPU of the cluster, or one CPU's)."""
        with self._lock:
            if self._actors is None:
                ray = _ray()
                remote = ray.remote(ImageryActor)
                self._actors = [
                    remote.options(
                        **options,
                        max_restarts=TASK_TRIES - 1,
                        max_task_retries=TASK_TRIES - 1,
                    ).remote(self.plugins)
                    for options in actor_options(ray.cluster_resources())
                ]
            return self._actors

    def close(self) -> None:
        with self._lock:
            actors, self._actors = self._actors or [], None
        for actor in actors:
            _ray().kill(actor)

    def __call__(
        self, lecture: Lecture, kind: str | None, model: str | None, device: str | None
    ) -> ImageGenerator:
        actors = self.actors()
        described = _get([a.describe.remote(lecture, kind, model, device) for a in actors])
        first = described[0]
        if any(d.identity != first.identity for d in described):
            raise ImageryError(
                f"The Ray nodes hold different copies of the image model ({first.identity} "
                f"and others), so their images would differ; put the same copy on every "
                "node (lecture-studio models download ID pins the revision)."
            )
        return _RayGenerator(self, actors, (lecture, kind, model, device), first)

    def first_actor(self, count: int) -> int:
        """Where the next call's share starts: each call starts one actor further on, so
        that one-image calls do not all go to the first actor."""
        return next(self._turn) % count


class _RayGenerator(DrawsInBatches):
    """An ``ImageGenerator`` whose images the actors draw (``RayImagery``)."""

    def __init__(
        self,
        imagery: RayImagery,
        actors: list[Any],
        made_with: tuple[Lecture, str | None, str | None, str | None],
        described: _Described,
    ) -> None:
        self._imagery = imagery
        self._actors = actors
        self._made_with = made_with
        self.name = described.name
        self.identity = described.identity
        self.default_steps = described.default_steps
        self.default_guidance = described.default_guidance
        self.notes: list[str] = []

    def batch_size(self, size: Size) -> int:
        return len(self._actors) * IMAGES_PER_ACTOR

    def generate_batch(
        self,
        requests: Sequence[ImageRequest],
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[Image.Image]:
        if not requests:
            return []
        ray = _ray()
        count = len(self._actors)
        each = -(-len(requests) // count)  # the actors' shares, in order
        shares = [list(requests[i : i + each]) for i in range(0, len(requests), each)]
        start = self._imagery.first_actor(count)
        refs = [
            self._actors[(start + n) % count].draw.remote(*self._made_with, share)
            for n, share in enumerate(shares)
        ]
        pending = list(refs)
        while pending:
            if cancel is not None and cancel.cancelled:
                for ref in pending:
                    ray.cancel(ref)
                raise Cancelled("Cancelled.")
            _, pending = ray.wait(pending, num_returns=len(pending), timeout=_POLL_SECONDS)
            done = len(refs) - len(pending)
            if pending and done:
                progress(done / len(refs), f"{done} of {len(refs)} shares drawn")
        images: list[Image.Image] = []
        for drawn, notes in _get(refs):
            images += drawn
            self.notes += [note for note in notes if note not in self.notes]
        progress(1.0, f"{len(images)} images drawn")
        return images


def _get(refs: list[Any]) -> list[Any]:
    """``ray.get(refs)``, with an actor's own failure (a missing model, an unknown generator)
    raised as itself, and a dead actor as one sentence."""
    ray = _ray()
    from ray.exceptions import RayActorError, RayTaskError

    try:
        return ray.get(refs)
    except RayTaskError as exc:
        if isinstance(exc.cause, LectureStudioError | ValueError):
            raise exc.cause from None
        raise
    except RayActorError as exc:
        raise ImageryError(
            f"The Ray worker drawing slide images stopped {TASK_TRIES} times "
            f"({type(exc).__name__}); see the Ray logs (ray logs) and run the batch again."
        ) from exc

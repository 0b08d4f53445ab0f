"""A batch on Ray (``lecture-studio batch --ray``): each lecture exported by one Ray task, its
narration spoken and its video pieces and AAC islands encoded by Ray tasks, on one machine or
across a cluster.

The batch itself does not change (``batch.run_batch``: names, keys, the state, the report);
only where a lecture is exported does. ``RayExporter`` takes the place of ``export_lecture``:

- the driver opens and prepares each lecture as the local batch does, then sends it, assets
  and all, to a *lecture task*, which draws its slides and muxes its MP4 from its pieces, in
  a scratch folder of the node it runs on;
- each slide's script that the lecture node's narration cache lacks is spoken by a Ray task
  (``narration.lecture.synthesize``, with the voice as the task's node has it), all side by
  side; each clip (samples and timings) comes back through the object store and the lecture
  task keeps it in its cache (``keep_spoken``), where the export finds it. Recordings are
  read and cleaned by the lecture task, as the local export does;
- each piece (a still picture's GOP, a crossfade, a few GOPs of motion) is a Ray task running
  ``render.encoder.encode_piece``, the same function the local encoder pool runs, so the file
  is the one a local export writes; its packets come back through Ray's object store, and a
  slide's picture goes there once (as YUV, converted once), however many pieces use it;
- each AAC island of the sound (``render.aac``) is loaded by the lecture task and encoded by
  a Ray task running ``render.aac.encode_island``, the function a local export runs on its own
  threads; its packets come back through the object store, and the lecture task puts them in
  their place among the silent packets and muxes them;
- the lecture task hands back the files' bytes, which the driver writes into the output folder
  (a temporary name, then renamed): nodes share no disk.

Ray retries a task whose worker dies (``TASK_TRIES`` tries in all, a lecture task, a piece, an
island and a clip alike); a lecture whose task dies every time is reported failed and the
others go on. A failure of the lecture itself (a damaged picture, a missing voice) is not
retried: it would fail again, and its sentence is reported as the local batch reports it.

Ray is an extra (``lecture-studio[cluster]``) and is imported only here, when asked for.
"""

from __future__ import annotations

import collections
import functools
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from .errors import Cancelled, ExportError, InputError, LectureStudioError
from .fileio import atomic_write
from .jobs import CancelToken, ProgressCallback, no_progress, progress_span
from .narration import lecture as narration_of
from .narration.choose import VoiceCatalog, engine_for_voice, voice_catalog
from .narration.clip import NarrationClip
from .narration.lecture import Speech
from .plugins import PluginRegistry
from .project import Project
from .render.encoder import Picture
from .render.export import ExportOptions, ExportResult, export_lecture, speaking_share

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "--ray needs Ray, which is not installed; install it with: "
    'pip install "lecture-studio[cluster]".'
)
#: Tries of a task whose worker dies (the first and two retries) before its lecture fails.
TASK_TRIES = 3
#: The names of the Ray tasks that encode a lecture's AAC islands and speak its narration
#: (``ray::NAME`` in a worker's process title while it runs one).
ISLAND_TASK = "aac island"
SPEECH_TASK = "narration clip"
# How often the driver looks at a running lecture's progress and at the cancel token.
_POLL_SECONDS = 0.25
# How often a lecture task reports its progress to the driver, at most.
_REPORT_SECONDS = 0.5
# Pictures a lecture task keeps in the object store for its next pieces (a picture serves the
# crossfade before it, its still and the crossfade after it, submitted one after another).
_PICTURES_KEPT = 4


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError(INSTALL_HINT) from exc
    return ray


# Ray 2.60 turns on token authentication for a local instance and says so on every start;
# docs/cluster.md says it once. Only that notice is dropped, and only while Ray starts.
_TOKEN_NOTICE_LOGGER = "ray._private.authentication.authentication_token_setup"
_TOKEN_NOTICE = "Token authentication is enabled for this Ray cluster."


def _not_the_token_notice(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_TOKEN_NOTICE)


@contextmanager
def _quiet_token_notice() -> Iterator[None]:
    logger = logging.getLogger(_TOKEN_NOTICE_LOGGER)
    logger.addFilter(_not_the_token_notice)
    try:
        yield
    finally:
        logger.removeFilter(_not_the_token_notice)


# Ray starts its workers at nice 15 to favour its own daemons. On a cluster that only runs Ray
# that changes nothing, but a local instance shares the teacher's machine: there its workers
# (which do all of a batch's work) got ~4% of a core beside any busy program, and a `--ray`
# batch ran ten times slower than the same batch without Ray. They run at the batch's priority.
LOCAL_RAY_CONFIG = {"worker_niceness": 0}


@contextmanager
def ray_session(address: str | None, num_cpus: int | None = None) -> Iterator[int]:
    """Ray for the length of a batch: a local instance when ``address`` is None (``num_cpus``:
    its CPUs; None: this machine's), else the cluster at ``address`` (``auto``, or
    ``ray://HOST:PORT``). Yields the CPUs Ray has in all; disconnects (and stops the local
    instance) at the end. An InputError when Ray is not installed or the cluster cannot be
    reached."""
    ray = _ray()
    started = not ray.is_initialized()
    if started:
        try:
            if address is None:
                with _quiet_token_notice():
                    ray.init(
                        num_cpus=num_cpus or os.cpu_count() or 1,
                        include_dashboard=False,
                        log_to_driver=False,
                        configure_logging=False,
                        _system_config=LOCAL_RAY_CONFIG,
                    )
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"the Ray cluster at {address}" if address else "a local Ray instance"
            raise InputError(
                f"Could not connect to {where} ({str(exc).splitlines()[0] if str(exc) else exc}); "
                "check the address and that the cluster is running (ray status)."
            ) from exc
    try:
        yield max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


# --- pieces ----------------------------------------------------------------------------------


def _call(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    names: tuple[str, ...] = (),
    *pictures: Picture,
) -> Any:
    """``function(*args)``; with ``names``, the last of ``args`` is a piece whose fields of
    those names are filled with ``pictures`` first (Ray took them from the object store)."""
    if names:
        *first, piece = args
        args = (*first, replace(piece, **dict(zip(names, pictures, strict=True))))
    return function(*args)


@functools.cache
def _remote_call() -> Any:
    """``_call`` as a Ray task of one CPU, retried when its worker dies."""
    return _ray().remote(num_cpus=1, max_retries=TASK_TRIES - 1)(_call)


class RayPiecePool(Executor):
    """An encoder pool whose pieces run as Ray tasks (``encode_mp4(..., pool=)``, and its
    ``island_pool=`` for the sound's AAC islands).

    ``submit(encode_piece, encoder, piece)`` sends the function, the stream's encoder (pickled
    as its settings) and the piece to a Ray worker; the future gives the piece's packets.
    ``submit(encode_island, sound)`` likewise sends an island's samples and gives its packets.
    ``name``: the tasks' name (Ray's default: the function's); ``submitted``: how many so far.

    A piece's pictures (``render.encoder.Picture``: a slide's YUV planes, converted once) go
    into the object store once each, however many pieces use them (a still and the crossfades
    on either side): the pieces carry references, which Ray resolves on the worker's node."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        self.submitted = 0
        self._pictures: collections.OrderedDict[bytes, Any] = collections.OrderedDict()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if kwargs:
            fn = functools.partial(fn, **kwargs)
        names: tuple[str, ...] = ()
        refs = []
        piece = args[-1] if args else None
        if is_dataclass(piece) and not isinstance(piece, type):
            names = tuple(
                f.name for f in fields(piece) if isinstance(getattr(piece, f.name), Picture)
            )
            refs = [self._put(getattr(piece, name)) for name in names]
            args = (*args[:-1], replace(piece, **dict.fromkeys(names)))
        task = _remote_call() if self.name is None else _remote_call().options(name=self.name)
        with self._lock:
            self.submitted += 1
        return task.remote(fn, args, names, *refs).future()

    def _put(self, picture: Picture) -> Any:
        """The picture's object in the store: put once, kept while it may still be used."""
        with self._lock:
            ref = self._pictures.get(picture.key)
            if ref is None:
                ref = self._pictures[picture.key] = _ray().put(picture)
                while len(self._pictures) > _PICTURES_KEPT:
                    self._pictures.popitem(last=False)
            else:
                self._pictures.move_to_end(picture.key)
            return ref


# --- lectures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Exported:
    """What a lecture task hands back: its files (NAME.mp4 first), the result's figures, and
    how many Ray tasks of each kind it sent (``RayExporter.tasks``)."""

    files: tuple[tuple[str, bytes], ...]
    result: ExportResult
    tasks: tuple[tuple[str, int], ...] = ()


def worker_registry(plugins: bool) -> PluginRegistry:
    """The registry a lecture task speaks and draws with: the app's, with or without plugins
    (as the driver's), found on the node the task runs on."""
    from .app import app_registry, builtin_registry

    return app_registry() if plugins else builtin_registry()


def _progress_board() -> Any:
    """A small actor the lecture tasks report their progress to, read by the driver."""

    class ProgressBoard:
        def __init__(self) -> None:
            self.latest: dict[str, tuple[float, str]] = {}

        def set(self, lecture: str, fraction: float, message: str) -> None:
            self.latest[lecture] = (fraction, message)

        def get(self, lecture: str) -> tuple[float, str] | None:
            return self.latest.get(lecture)

    return _ray().remote(num_cpus=0)(ProgressBoard).remote()


def _export_task(
    project: Project,
    name: str,
    options: ExportOptions,
    plugins: bool,
    board: Any,
    lecture: str,
) -> _Exported:
    """A lecture task: export ``project`` as NAME.mp4 and its sidecars in a scratch folder, its
    narration spoken, its pieces and AAC islands encoded, as Ray tasks; hand back the files'
    bytes."""
    registry = worker_registry(plugins)
    pieces, islands = RayPiecePool(), RayPiecePool(ISLAND_TASK)
    voices = voice_catalog(registry)
    options = replace(
        options, registry=registry, voices=voices, encoder_pool=pieces, island_pool=islands
    )
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= _REPORT_SECONDS:
            last[0] = now
            board.set.remote(lecture, fraction, message)

    slides = project.lecture.visible_slides()
    speech = narration_of.speech_to_synthesize(project, slides, options.cache_dir, voices)
    work = {each.slide_id: each.seconds for each in speech}
    share = speaking_share(project.lecture, work) if speech else 0.0
    _narrate_as_tasks(
        speech, options.cache_dir, voices, plugins, progress_span(progress, 0.0, share)
    )
    with tempfile.TemporaryDirectory(prefix="lecture-studio-ray-") as folder:
        destination = Path(folder) / f"{name}.mp4"
        result = export_lecture(project, destination, options, progress_span(progress, share, 1.0))
        files = tuple((path.name, path.read_bytes()) for path in result.files)
    result = replace(result, files=[])
    tasks = (
        ("video pieces", pieces.submitted),
        ("AAC islands", islands.submitted),
        ("narration clips", len(speech)),
    )
    return _Exported(files, result, tasks)


def _speak_task(speech: Speech, plugins: bool) -> tuple[str, NarrationClip]:
    """A narration task: ``speech`` spoken by its voice as the node the task runs on has it
    (``worker_registry``); hands back the clip and the key it is cached under."""
    engine = engine_for_voice(speech.voice, worker_registry(plugins))
    return narration_of.synthesize(speech, engine)


@functools.cache
def _remote_speak() -> Any:
    """``_speak_task`` as a Ray task of one CPU, retried when its worker dies."""
    return _ray().remote(num_cpus=1, max_retries=TASK_TRIES - 1)(_speak_task)


def _narrate_as_tasks(
    speech: list[Speech],
    cache_dir: Path | None,
    voices: VoiceCatalog,
    plugins: bool,
    progress: ProgressCallback,
) -> None:
    """Speak ``speech`` (the scripts the narration cache lacks) as Ray tasks side by side, and
    keep each clip in this node's cache as it comes back: the export then finds every clip
    there, speaks none itself, and gives the sound it would have given."""
    task = _remote_speak().options(name=SPEECH_TASK)
    refs: list[Any] = [task.remote(each, plugins) for each in speech]
    for done, each in enumerate(speech):
        progress(done / len(speech), f"Narrating: {done} of {len(speech)} slides spoken")
        key, clip = _result(refs[done])
        refs[done] = None  # the clip may leave the object store
        if not narration_of.keep_spoken(each, key, clip, cache_dir, voices):
            log.warning(
                "The voice %s:%s of the node that spoke slide %s differs from this node's; "
                "the slide is spoken again here.",
                each.voice.engine,
                each.voice.voice,
                each.slide_id,
            )


def _result(ref: Any) -> Any:
    """``ray.get(ref)``; a failure of the task's own (a voice that fails) raised as itself."""
    from ray.exceptions import RayTaskError

    try:
        return _ray().get(ref)
    except RayTaskError as exc:
        if isinstance(exc.cause, LectureStudioError | OSError):
            raise exc.cause from None
        raise


def _workers_stopped(destination: Path, error: BaseException) -> ExportError:
    """A lecture's task, or a task it started (a piece, an island, a clip), died every try."""
    return ExportError(
        f"The Ray workers exporting {destination.stem} stopped {TASK_TRIES} times "
        f"({type(error).__name__}); see the Ray logs (ray logs) and run the batch again."
    )


def _self_contained(project: Project) -> Project:
    """The project with every asset in memory, so that it travels to any node."""
    assets = {name: project.asset_bytes(name) for name in project.asset_names()}
    return Project(project.lecture, None, assets, project.warnings)


class RayExporter:
    """``export_lecture`` for ``run_batch(..., exporter=)``: each lecture exported by a Ray
    task (see the module's docstring), its files written into the output folder here.

    ``plugins``: whether the lecture tasks use the plugins installed on their nodes (as the
    driver's registry does) or the built-ins only. Make it inside ``ray_session``.

    ``tasks``: how many Ray tasks of each kind ("video pieces", "AAC islands", "narration
    clips") the lectures exported so far sent (those read from a cache send none)."""

    def __init__(self, plugins: bool) -> None:
        ray = _ray()
        self.plugins = plugins
        self.tasks: collections.Counter[str] = collections.Counter()
        self._task = ray.remote(
            num_cpus=0,  # it waits on its pieces most of the time; they take the CPUs
            max_retries=TASK_TRIES - 1,
            retry_exceptions=False,
            scheduling_strategy="SPREAD",
        )(_export_task)
        self._board = _progress_board()
        self._count = 0
        self._lock = threading.Lock()

    def __call__(
        self,
        project: Project,
        destination: str | Path,
        options: ExportOptions | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ExportResult:
        ray = _ray()
        from ray.exceptions import GetTimeoutError, RayTaskError, TaskCancelledError

        destination = Path(destination)
        options = replace(
            options or ExportOptions(),
            registry=None,
            voices=None,
            encoder_pool=None,
            island_pool=None,
        )
        with self._lock:
            self._count += 1
            lecture = f"{self._count}:{destination.name}"
        ref = self._task.options(name=f"lecture {destination.stem}").remote(
            _self_contained(project),
            destination.stem,
            options,
            self.plugins,
            self._board,
            lecture,
        )
        try:
            while True:
                if cancel is not None and cancel.cancelled:
                    ray.cancel(ref, recursive=True)
                    raise Cancelled("Cancelled.")
                try:
                    exported: _Exported = ray.get(ref, timeout=_POLL_SECONDS)
                    break
                except GetTimeoutError:
                    reported = ray.get(self._board.get.remote(lecture))
                    if reported is not None:
                        progress(min(0.97, reported[0]), reported[1])
        except RayTaskError as exc:
            cause = exc.cause
            if isinstance(cause, LectureStudioError | OSError):
                raise cause from None
            if isinstance(cause, ray.exceptions.RayError) and not isinstance(cause, RayTaskError):
                raise _workers_stopped(destination, cause) from exc  # a task it started
            raise
        except TaskCancelledError:
            raise Cancelled("Cancelled.") from None
        except ray.exceptions.RayError as exc:  # a worker or node died on every try
            raise _workers_stopped(destination, exc) from exc
        with self._lock:
            self.tasks.update(dict(exported.tasks))
        log.debug("%s: Ray tasks %s", destination.stem, dict(exported.tasks))
        progress(0.98, f"Writing {destination.name}")
        written = []
        for file_name, data in exported.files:
            path = destination.with_name(file_name)
            atomic_write(path, data)
            written.append(path)
        progress(1.0, f"Exported {destination.name}")
        return replace(exported.result, video=destination, files=written)

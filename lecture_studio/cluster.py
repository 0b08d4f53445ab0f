"""A batch on Ray (``lecture-studio batch --ray``): each lecture exported by one Ray task, its
video pieces encoded by Ray tasks, on one machine or across a cluster.

The batch itself does not change (``batch.run_batch``: names, keys, the state, the report);
only where a lecture is exported does. ``RayExporter`` takes the place of ``export_lecture``:

- the driver opens and prepares each lecture as the local batch does, then sends it, assets
  and all, to a *lecture task*, which narrates it, draws its slides, and muxes its MP4 from
  its pieces, in a scratch folder of the node it runs on;
- each piece (a still picture's GOP, a crossfade, a few GOPs of motion) is a Ray task running
  ``render.encoder.encode_piece``, the same function the local encoder pool runs, so the file
  is the one a local export writes; its packets come back through Ray's object store;
- the lecture task hands back the files' bytes, which the driver writes into the output folder
  (a temporary name, then renamed): nodes share no disk.

Ray retries a task whose worker dies (``TASK_TRIES`` tries in all, a lecture task and a piece
alike); a lecture whose task dies every time is reported failed and the others go on. A
failure of the lecture itself (a damaged picture, a missing voice) is not retried: it would
fail again, and its sentence is reported as the local batch reports it.

Ray is an extra (``lecture-studio[cluster]``) and is imported only here, when asked for.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import Cancelled, ExportError, InputError, LectureStudioError
from .fileio import atomic_write
from .jobs import CancelToken, ProgressCallback, no_progress
from .plugins import PluginRegistry
from .project import Project
from .render.export import ExportOptions, ExportResult, export_lecture

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "--ray needs Ray, which is not installed; install it with: "
    'pip install "lecture-studio[cluster]".'
)
#: Tries of a task whose worker dies (the first and two retries) before its lecture fails.
TASK_TRIES = 3
# How often the driver looks at a running lecture's progress and at the cancel token.
_POLL_SECONDS = 0.25
# How often a lecture task reports its progress to the driver, at most.
_REPORT_SECONDS = 0.5


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError(INSTALL_HINT) from exc
    return ray


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
                ray.init(
                    num_cpus=num_cpus or os.cpu_count() or 1,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
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


def _call(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


@functools.cache
def _remote_call() -> Any:
    """``_call`` as a Ray task of one CPU, retried when its worker dies."""
    return _ray().remote(num_cpus=1, max_retries=TASK_TRIES - 1)(_call)


class RayPiecePool(Executor):
    """An encoder pool whose pieces run as Ray tasks (``encode_mp4(..., pool=)``).

    ``submit(encode_piece, encoder, piece)`` sends the function, the stream's encoder (pickled
    as its settings) and the piece (its pictures, through the object store) to a Ray worker;
    the future gives the piece's packets."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if kwargs:
            fn = functools.partial(fn, **kwargs)
        return _remote_call().remote(fn, *args).future()


# --- lectures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Exported:
    """What a lecture task hands back: its files (NAME.mp4 first) and the result's figures."""

    files: tuple[tuple[str, bytes], ...]
    result: ExportResult


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
    pieces encoded as Ray tasks; hand back the files' bytes."""
    registry = worker_registry(plugins)
    from .narration.choose import voice_catalog

    options = replace(
        options, registry=registry, voices=voice_catalog(registry), encoder_pool=RayPiecePool()
    )
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= _REPORT_SECONDS:
            last[0] = now
            board.set.remote(lecture, fraction, message)

    with tempfile.TemporaryDirectory(prefix="lecture-studio-ray-") as folder:
        result = export_lecture(project, Path(folder) / f"{name}.mp4", options, progress)
        files = tuple((path.name, path.read_bytes()) for path in result.files)
    result = replace(result, files=[])
    return _Exported(files, result)


def _self_contained(project: Project) -> Project:
    """The project with every asset in memory, so that it travels to any node."""
    assets = {name: project.asset_bytes(name) for name in project.asset_names()}
    return Project(project.lecture, None, assets, project.warnings)


class RayExporter:
    """``export_lecture`` for ``run_batch(..., exporter=)``: each lecture exported by a Ray
    task (see the module's docstring), its files written into the output folder here.

    ``plugins``: whether the lecture tasks use the plugins installed on their nodes (as the
    driver's registry does) or the built-ins only. Make it inside ``ray_session``."""

    def __init__(self, plugins: bool) -> None:
        ray = _ray()
        self.plugins = plugins
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
        options = replace(options or ExportOptions(), registry=None, voices=None, encoder_pool=None)
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
            raise
        except TaskCancelledError:
            raise Cancelled("Cancelled.") from None
        except ray.exceptions.RayError as exc:  # a worker or node died on every try
            raise ExportError(
                f"The Ray workers exporting {destination.stem} stopped {TASK_TRIES} times "
                f"({type(exc).__name__}); see the Ray logs (ray logs) and run the batch again."
            ) from exc
        progress(0.98, f"Writing {destination.name}")
        written = []
        for file_name, data in exported.files:
            path = destination.with_name(file_name)
            atomic_write(path, data)
            written.append(path)
        progress(1.0, f"Exported {destination.name}")
        return replace(exported.result, video=destination, files=written)

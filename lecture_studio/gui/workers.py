"""Runs one core job off the GUI thread and reports its progress, result or error by signal."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import Cancelled, LectureStudioError
from ..jobs import CancelToken

# A core job: job(progress, cancel) -> result. It must not touch any widget.
CoreJob = Callable[[Callable[[float, str], None], CancelToken], Any]

# Progress reaches the GUI at most this often, so a chatty job cannot flood the event loop.
PROGRESS_INTERVAL_SECONDS = 0.05


class Worker(QObject):
    """One run of a core job on the shared thread pool (like Anki's QueryOp).

    Connect to ``progress(fraction, message)``, ``succeeded(result)``, ``failed(message)`` and
    ``cancelled()``; exactly one of the last three is emitted, then ``finished()``. ``failed``
    carries the core's one-sentence message; an unexpected exception is reported as a short
    sentence too, with the traceback kept in ``details``.
    """

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    # Running workers keep themselves alive here: a window closing mid-job must not delete
    # the object its thread is about to emit from.
    _running: set[Worker] = set()

    def __init__(self, job: CoreJob) -> None:
        super().__init__(None)  # never owned by a widget, see _running
        self._job = job
        self.cancel_token = CancelToken()
        self.details = ""
        self.running = False
        self._last_progress = 0.0
        self.fraction = 0.0

    @classmethod
    def active_count(cls) -> int:
        """Workers started and not yet finished (the tests wait for none before closing)."""
        return len(cls._running)

    def start(self, pool: QThreadPool | None = None) -> Worker:
        """Queue the job; returns self so callers can chain ``Worker(job).start()``."""
        self.running = True
        Worker._running.add(self)
        self.finished.connect(self._release)  # runs on the GUI thread
        (pool or _shared_pool()).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the job to stop at its next check; ``cancelled`` follows when it has."""
        self.cancel_token.cancel()

    # --- called on the pool thread ----------------------------------------------------
    def _report(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL_SECONDS or fraction >= 1.0:
            self._last_progress = now
            self.fraction = fraction
            self.progress.emit(float(fraction), message)

    def _run(self) -> None:
        try:
            result = self._job(self._report, self.cancel_token)
        except Cancelled:
            self._finish(self.cancelled.emit)
        except LectureStudioError as error:
            self._fail(error.message)
        except FileNotFoundError as error:
            self._fail(f"{error.filename or 'The file'} does not exist; check the name and retry.")
        except Exception as error:  # noqa: BLE001 - the edge where anything becomes a sentence
            self.details = traceback.format_exc()
            self._fail(f"Something went wrong ({type(error).__name__}: {error}); please report it.")
        else:  # done before it saw the cancel: what it made is there, so say so
            self._finish(lambda: self.succeeded.emit(result))

    def _fail(self, message: str) -> None:
        self._finish(lambda: self.failed.emit(message))

    def _finish(self, emit: Callable[[], None]) -> None:
        self.running = False
        emit()
        self.finished.emit()

    def _release(self) -> None:
        Worker._running.discard(self)


class _Runnable(QRunnable):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker
        self.setAutoDelete(True)

    def run(self) -> None:
        self._worker._run()


#: Jobs that may run at once. Qt's default is one per core: on 2 cores a deck's LibreOffice
#: conversion and an export held back an autosave or the voice list until they ended. The long
#: jobs wait on LibreOffice or use their own encoder threads, so a few more cost little.
WORKER_THREADS = 6


def _shared_pool() -> QThreadPool:
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < WORKER_THREADS:
        pool.setMaxThreadCount(WORKER_THREADS)
    return pool

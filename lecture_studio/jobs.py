"""What every long core job takes: a progress callback and a cancel token (no Qt here)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

# progress(fraction 0..1, what is being done now)
ProgressCallback = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """The progress callback for callers that do not show progress."""


def progress_span(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    """``progress`` for a stage of a job that takes it from ``start`` to ``end``."""
    return lambda fraction, message: progress(start + (end - start) * fraction, message)


class CancelToken:
    """Set from any thread (Cancel button, Ctrl-C); jobs call ``check()`` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled.")

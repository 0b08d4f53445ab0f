"""Terminal progress for long CLI jobs: percent, what is happening, and time left (the same
``TimeLeft`` estimator as the editor's export dialog)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..time_left import Clock, TimeLeft


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TerminalProgress:
    """A ProgressCallback that redraws one status line on stderr (silent when ``quiet``).

    ``clock`` returns seconds (``time.monotonic``); tests pass their own."""

    def __init__(
        self, quiet: bool = False, stream: TextIO | None = None, clock: Clock = time.monotonic
    ) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.clock = clock
        self.time_left = TimeLeft(clock)
        self._last_draw: float | None = None
        self._tty = self.stream.isatty()

    def __call__(self, fraction: float, message: str) -> None:
        if self.quiet:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        left_seconds = self.time_left.update(fraction)  # every report counts, drawn or not
        now = self.clock()
        # a terminal redraws ten times a second; a log gets a line every few seconds
        interval = 0.1 if self._tty else 3.0
        if self._last_draw is not None and now - self._last_draw < interval and fraction < 1.0:
            return
        self._last_draw = now
        left = ""
        if left_seconds is not None and fraction < 1.0:
            left = f", {format_seconds(left_seconds)} left"
        line = f"{fraction * 100:5.1f}% {message}{left}"
        if self._tty:
            self.stream.write("\r\x1b[2K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if not self.quiet and self._tty:
            self.stream.write("\n")
            self.stream.flush()

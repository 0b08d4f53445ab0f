"""Terminal progress for long CLI jobs: percent, what is happening, and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TerminalProgress:
    """A ProgressCallback that redraws one status line on stderr (silent when ``quiet``)."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._tty = self.stream.isatty()

    def __call__(self, fraction: float, message: str) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        fraction = min(max(fraction, 0.0), 1.0)
        # a terminal redraws ten times a second; a log gets a line every few seconds
        if now - self._last_draw < (0.1 if self._tty else 3.0) and fraction < 1.0:
            return
        self._last_draw = now
        elapsed = now - self._start
        left = ""
        if 0.02 < fraction < 1.0 and elapsed > 1.0:
            left = f", {format_seconds(elapsed * (1 - fraction) / fraction)} left"
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

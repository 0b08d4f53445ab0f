"""How long a running job has left, from the progress fractions it reports: one estimator for
the CLI's status line and the editor's export dialog (no Qt, no wall clock of its own).

Why not ``elapsed * (1 - fraction) / fraction``: an export's pieces do not all cost the same.
Narrating a slide, encoding a still slide, a transition, or a piece found in the cache each
move the fraction at their own speed, so an average since the start follows whatever came
first (an export that narrated slowly said "5:26 left" and then took 2:14 in all, and the
number rose from 0:56 to 2:47 when the job slowed down). Instead:

- the speed is the work done over the last ``window`` seconds (older pieces count less and
  less), so it follows the piece being worked on now, and a burst of cached pieces done in
  no time raises it for a while rather than for good;
- what is shown counts down by itself between reports and moves only part of the way to each
  new estimate (``settle`` seconds to close half the gap), so it does not jump about;
- nothing is shown before ``warm_up`` seconds and ``min_fraction`` of the work, when a speed
  would be a guess.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


class TimeLeft:
    """Feed it ``update(fraction)`` as a job reports progress; ``seconds_left()`` says how
    long the job has left, or None while that cannot be told yet.

    ``clock`` returns seconds (``time.monotonic`` by default); tests pass their own.
    """

    def __init__(
        self,
        clock: Clock = time.monotonic,
        window: float = 10.0,
        settle: float = 3.0,
        warm_up: float = 3.0,
        min_fraction: float = 0.02,
    ) -> None:
        self.clock = clock
        self.window = window
        self.settle = settle
        self.warm_up = warm_up
        self.min_fraction = min_fraction
        self._start: float | None = None
        self._last_time = 0.0
        self._fraction = 0.0
        # Work and time over the recent past, each weighed by how recent it is: their ratio is
        # the speed (fraction per second).
        self._work = 0.0
        self._time = 0.0
        self._shown: float | None = None
        self._shown_at = 0.0

    @property
    def fraction(self) -> float:
        """How much of the job is done, as last reported (0..1)."""
        return self._fraction

    def update(self, fraction: float) -> float | None:
        """Take the job's progress now (0..1; a fraction lower than the last one is taken as
        no progress) and return ``seconds_left()``."""
        now = self.clock()
        fraction = min(max(fraction, 0.0), 1.0)
        if self._start is None:
            self._start = self._last_time = now
            self._fraction = fraction
            return None
        elapsed = max(0.0, now - self._last_time)
        done = max(0.0, fraction - self._fraction)
        fade = 0.5 ** (elapsed / self.window) if self.window > 0 else 0.0
        self._work = self._work * fade + done
        self._time = self._time * fade + elapsed
        self._last_time = now
        self._fraction = max(self._fraction, fraction)
        estimate = self._estimate(now)
        if estimate is None:
            return self.seconds_left()
        if self._shown is None:
            self._shown, self._shown_at = estimate, now
        else:
            shown = self._counted_down(now)
            gain = 1.0 - 0.5 ** (elapsed / self.settle) if self.settle > 0 else 1.0
            self._shown, self._shown_at = shown + gain * (estimate - shown), now
        return self.seconds_left()

    def seconds_left(self) -> float | None:
        """Seconds the job has left (counting down since the last report), or None before
        there is enough to go on; 0 once the job is done."""
        if self._fraction >= 1.0:
            return 0.0
        if self._shown is None:
            return None
        return self._counted_down(self.clock())

    def _estimate(self, now: float) -> float | None:
        assert self._start is not None
        if self._fraction >= 1.0:
            return 0.0
        if now - self._start < self.warm_up or self._fraction < self.min_fraction:
            return None
        if self._work <= 0.0 or self._time <= 0.0:
            return None  # no work done lately: wait for some rather than guess
        return (1.0 - self._fraction) * self._time / self._work

    def _counted_down(self, now: float) -> float:
        assert self._shown is not None
        return max(0.0, self._shown - max(0.0, now - self._shown_at))

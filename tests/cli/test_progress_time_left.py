"""The time-left estimate the CLI and the editor share (``lecture_studio.time_left``), fed
synthetic progress on a clock the test moves: no wall clock, no real job."""

from __future__ import annotations

import io

import pytest

from lecture_studio.cli.progress import TerminalProgress, format_seconds
from lecture_studio.time_left import TimeLeft


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def replay(reports: list[tuple[float, float]], **settings) -> list[tuple[float, float | None]]:
    """Feed ``(time, fraction)`` reports to a TimeLeft; (time, what it said) for each."""
    clock = FakeClock()
    estimator = TimeLeft(clock, **settings)
    said = []
    for when, fraction in reports:
        clock.now = when
        said.append((when, estimator.update(fraction)))
    return said


def steady(seconds: float, step: float = 0.5) -> list[tuple[float, float]]:
    count = round(seconds / step)
    return [(i * step, i / count) for i in range(count + 1)]


def two_speeds(first: float, first_share: float, second: float, step: float = 0.25):
    """A job whose first ``first_share`` of the work takes ``first`` seconds (narration: a
    slide every 4 s) and the rest ``second`` seconds, in reports every ``step`` seconds."""
    reports = [(i * 4.0, first_share * i * 4.0 / first) for i in range(round(first / 4.0) + 1)]
    count = round(second / step)
    reports += [
        (first + i * step, first_share + (1 - first_share) * i / count) for i in range(1, count + 1)
    ]
    return reports


def naive(when: float, fraction: float) -> float:
    """The estimate the CLI and the editor used before: the average speed since the start."""
    return when * (1 - fraction) / fraction


def test_a_steady_job_is_estimated_to_the_second_and_counts_down():
    said = replay(steady(100.0))
    for when, left in said:
        if when >= 3.0:  # past the warm-up
            assert left == pytest.approx(100.0 - when, abs=0.5)
    assert said[-1][1] == 0.0


def test_nothing_is_said_before_there_is_enough_to_go_on():
    said = replay([(0.0, 0.0), (1.0, 0.1), (2.0, 0.2), (2.5, 0.25)])  # under 3 s
    assert all(left is None for _, left in said)
    said = replay([(0.0, 0.0), (5.0, 0.005), (10.0, 0.01)])  # under 2 % done
    assert all(left is None for _, left in said)


def test_a_faster_second_stage_is_caught_up_with_and_the_estimate_never_rises_in_it():
    """The reported case: narration (a tenth of the work) took 40 s, encoding the rest 90 s;
    the old estimate said over 5 minutes left at the change and was still far off a minute
    later."""
    reports = two_speeds(first=40.0, first_share=0.1, second=90.0)
    total = reports[-1][0]
    said = dict(replay(reports))
    assert naive(41.0, 0.1 + 0.9 * 1 / 90) > 5 * 60  # what the teacher saw
    in_second_stage = [(w, left) for w, left in said.items() if w > 40.0 and left]
    rises = [b - a for (_, a), (_, b) in zip(in_second_stage, in_second_stage[1:], strict=False)]
    assert max(rises) <= 0.0
    for when, left in in_second_stage:
        truth = total - when
        if when >= 40.0 + 30.0:  # a third of the way into the faster stage
            assert abs(left - truth) <= max(0.2 * truth, 1.5), (when, left, truth)
        if when >= 40.0 + 50.0:
            assert abs(left - truth) <= max(0.05 * truth, 1.5), (when, left, truth)
    fraction_at_70 = next(f for w, f in reports if w >= 70.0)
    assert naive(70.0, fraction_at_70) > 1.4 * (total - 70.0)  # the old one, still far off


def test_a_slow_patch_moves_the_estimate_gradually_not_in_jumps():
    # 50 s at one speed, then a stretch at a quarter of it: the shown time may rise, but it
    # never leaps by more than a few seconds between two reports a quarter second apart.
    reports = [(i * 0.25, 0.0025 * i) for i in range(201)]  # 1 % a second up to half
    reports += [(50.0 + i * 0.25, 0.5 + 0.000625 * i) for i in range(1, 81)]  # then a quarter
    said = dict(replay(reports))
    assert said[50.0] == pytest.approx(50.0, abs=0.5)
    shown = [left for _, left in sorted(said.items()) if left is not None]
    steps = [b - a for a, b in zip(shown, shown[1:], strict=False)]
    assert max(steps) < 5.0
    assert said[70.0] > 80.0  # it takes the slower speed in (at the old speed: 30 s; truth: 172 s)


def test_a_burst_of_cached_pieces_does_not_jump_the_shown_time():
    clock = FakeClock()
    estimator = TimeLeft(clock)
    for i in range(41):  # 20 s at 1 % a second
        clock.now = i * 0.5
        before = estimator.update(i * 0.005)
    for fraction in (0.15, 0.25, 0.35):  # three pieces from the cache, no time between
        assert estimator.update(fraction) == before
    clock.now = 21.0
    assert estimator.seconds_left() == pytest.approx(before - 1.0)  # still counts down


def test_progress_going_back_is_no_progress_and_done_is_zero():
    clock = FakeClock()
    estimator = TimeLeft(clock)
    for i in range(21):
        clock.now = i * 0.5
        left = estimator.update(i * 0.01)
    clock.now = 10.5
    assert estimator.update(0.05) == pytest.approx(left - 0.5, abs=1.0)  # not a restart
    assert estimator.fraction == pytest.approx(0.2)
    assert estimator.update(1.0) == 0.0


def test_the_terminal_line_shows_the_estimators_time_left():
    clock = FakeClock()
    stream = io.StringIO()  # not a terminal: a line every 3 s
    progress = TerminalProgress(stream=stream, clock=clock)
    shared = TimeLeft(clock)
    for when, fraction in steady(60.0):
        clock.now = when
        left = shared.update(fraction)
        progress(fraction, "Encoding video")
        if when == 30.0:
            expected = f" 50.0% Encoding video, {format_seconds(left)} left"
    lines = stream.getvalue().splitlines()
    assert expected == " 50.0% Encoding video, 0:30 left"
    assert expected in lines
    assert lines[0] == "  0.0% Encoding video"  # no guess at the start
    assert lines[-1] == "100.0% Encoding video"
    assert len(lines) == 21  # at 0, 3, ..., 60 s


def test_quiet_progress_writes_nothing():
    stream = io.StringIO()
    progress = TerminalProgress(quiet=True, stream=stream, clock=FakeClock())
    progress(0.5, "Encoding video")
    progress.done()
    assert stream.getvalue() == ""

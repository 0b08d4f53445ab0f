"""``lecture-studio batch --ray`` (issue 17, section 2): the batch's lectures exported by Ray
tasks on a local Ray instance of two CPUs (started once for this module, stopped at its end):
the same frames and samples as the local batch, narration clips and AAC islands made by Ray
tasks of their own, a killed worker retried, a lecture whose task dies three times reported
failed while the others finish, a cancel (Ctrl-C) that stops the
running lecture task and leaves nothing half-written, and one sentence without Ray."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
from test_batch import (  # noqa: F401
    NARRATED_OUTLINE,
    SILENT_OUTLINE,
    cli,
    hidden_leftovers,
    recorded_project,
    report_rows,
)

from lecture_studio.app import builtin_registry
from lecture_studio.batch import find_sources, run_batch
from lecture_studio.cluster import SPEECH_TASK, TASK_TRIES, RayExporter, ray_session
from lecture_studio.jobs import CancelToken
from lecture_studio.render.export import ExportOptions

SIZE = ["--size", "160x90"]


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray instance with two CPUs on loopback for the module; shut down after it."""
    ray = pytest.importorskip("ray", reason="lecture-studio[cluster] (Ray) is not installed")
    with ray_session(None, num_cpus=2):
        yield
    assert not ray.is_initialized()


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """course/recorded.lecture (3 slides of 11 s recordings) and course/notes.txt (silent)."""
    folder = tmp_path / "course"
    folder.mkdir()
    recorded_project(folder)
    (folder / "notes.txt").write_text(SILENT_OUTLINE, encoding="utf-8")
    return folder


def decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    with av.open(str(path)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    with av.open(str(path)) as container:
        samples = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return frames, samples


def assert_same_video(one: Path, other: Path) -> None:
    frames, samples = decoded(one)
    other_frames, other_samples = decoded(other)
    assert len(frames) == len(other_frames) > 0
    assert all(np.array_equal(a, b) for a, b in zip(frames, other_frames, strict=True))
    assert np.array_equal(samples, other_samples)


def worker_pids(title: str) -> list[int]:
    """The Ray workers of this machine now running a task whose process title is ``title``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").strip()
            except OSError:
                continue
            if command.decode(errors="replace") == title:
                pids.append(int(entry.name))
    return pids


class Killer(threading.Thread):
    """Kills (SIGKILL) each worker that runs ``title``, up to ``times`` workers."""

    def __init__(self, title: str, times: int) -> None:
        super().__init__(daemon=True)
        self.title, self.times = title, times
        self.killed: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while len(self.killed) < self.times and not self.stop.is_set():
            for pid in worker_pids(self.title):
                if pid not in self.killed and len(self.killed) < self.times:
                    os.kill(pid, signal.SIGKILL)
                    self.killed.append(pid)
            time.sleep(0.01)


def ray_batch(course: Path, outdir: Path, cache: Path):
    options = ExportOptions(size=(160, 90), cache_dir=cache)
    registry = builtin_registry()
    return run_batch(
        find_sources([course], outdir, registry),
        outdir,
        options,
        registry=registry,
        exporter=RayExporter(plugins=False),
    )


def test_the_local_instance_runs_its_workers_at_the_batchs_priority(local_ray) -> None:
    """Not at Ray's default nice 15, which starved them beside any busy program."""
    import ray

    niceness = ray.remote(lambda: os.nice(0))
    assert ray.get(niceness.remote()) == os.nice(0)


def test_a_ray_batch_writes_what_the_local_batch_writes(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    local_ray,
) -> None:
    local = cli("batch", course, "-o", tmp_path / "local", *SIZE, "--quiet")
    assert local.returncode == 0, local.stderr
    on_ray = cli("batch", course, "-o", tmp_path / "ray", *SIZE, "--ray")
    assert on_ray.returncode == 0, on_ray.stderr
    assert "[2/2]" in on_ray.stdout and "2 exported" in on_ray.stdout
    for name in ("recorded", "notes"):
        assert_same_video(tmp_path / "local" / f"{name}.mp4", tmp_path / "ray" / f"{name}.mp4")
    written = sorted(p.name for p in (tmp_path / "local").iterdir() if not p.name.startswith("."))
    assert sorted(p.name for p in (tmp_path / "ray").iterdir() if not p.name.startswith(".")) == (
        written
    )
    for name in written:  # chapters, thumbnails: byte for byte
        if not name.endswith(".mp4") and not name.startswith("batch-report"):
            assert (tmp_path / "ray" / name).read_bytes() == (
                tmp_path / "local" / name
            ).read_bytes()
    rows = report_rows(tmp_path / "ray")
    assert {row["status"] for row in rows.values()} == {"exported"}
    again = cli("batch", course, "-o", tmp_path / "ray", *SIZE, "--ray", "--quiet")
    assert again.returncode == 0
    assert {row["status"] for row in report_rows(tmp_path / "ray").values()} == {"up to date"}


def test_a_killed_worker_is_retried_and_the_batch_completes(
    course: Path, tmp_path: Path, local_ray
) -> None:
    local = run_batch(
        find_sources([course], tmp_path / "local"),
        tmp_path / "local",
        ExportOptions(size=(160, 90), cache_dir=tmp_path / "cache-local"),
        registry=builtin_registry(),
    )
    assert local.succeeded
    # a lecture task's worker killed once
    killer = Killer("ray::lecture recorded", times=1)
    killer.start()
    report = ray_batch(course, tmp_path / "ray", tmp_path / "cache-ray")
    killer.stop.set()
    assert len(killer.killed) == 1
    assert [o.status for o in report.lectures] == ["exported", "exported"]
    assert_same_video(tmp_path / "local" / "recorded.mp4", tmp_path / "ray" / "recorded.mp4")
    # then, exported again with nothing in the cache, a piece's worker killed once
    (tmp_path / "ray" / "recorded.mp4").unlink()
    killer = Killer("ray::_call", times=1)
    killer.start()
    report = ray_batch(course, tmp_path / "ray", tmp_path / "cache-ray-2")
    killer.stop.set()
    assert len(killer.killed) == 1
    assert {o.source.name: o.status for o in report.lectures} == {
        "recorded.lecture": "exported",
        "notes.txt": "up to date",
    }
    assert_same_video(tmp_path / "local" / "recorded.mp4", tmp_path / "ray" / "recorded.mp4")


def test_narration_clips_and_aac_islands_are_ray_tasks_and_sound_as_the_local_ones(
    tmp_path: Path, local_ray
) -> None:
    """Each cache cold: the outline's scripts are spoken by Ray tasks (one of whose workers is
    killed, and the clip spoken again), every island is encoded by a Ray task, and both
    lectures decode to the local batch's frames and samples."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "spoken.md").write_text(NARRATED_OUTLINE, encoding="utf-8")
    recorded_project(course)
    options = ExportOptions(size=(160, 90), cache_dir=tmp_path / "cache-local")
    local = run_batch(
        find_sources([course], tmp_path / "local"),
        tmp_path / "local",
        options,
        registry=builtin_registry(),
    )
    assert local.succeeded
    exporter = RayExporter(plugins=False)
    killer = Killer(f"ray::{SPEECH_TASK}", times=1)
    killer.start()
    report = run_batch(
        find_sources([course], tmp_path / "ray"),
        tmp_path / "ray",
        replace(options, cache_dir=tmp_path / "cache-ray"),
        registry=builtin_registry(),
        exporter=exporter,
    )
    killer.stop.set()
    assert len(killer.killed) == 1
    assert {o.source.name: o.status for o in report.lectures} == {
        "spoken.md": "exported",
        "recorded.lecture": "exported",
    }
    for name in ("spoken", "recorded"):
        assert_same_video(tmp_path / "local" / f"{name}.mp4", tmp_path / "ray" / f"{name}.mp4")
    # the outline's two scripts (recordings are read by their lecture task), and one island
    # per narrated slide: their sounds lie too far apart to share one
    assert exporter.tasks["narration clips"] == 2
    assert exporter.tasks["AAC islands"] == 2 + 3
    assert exporter.tasks["video pieces"] > 0


def test_a_lecture_whose_narration_task_dies_three_times_fails_with_one_sentence(
    tmp_path: Path, local_ray
) -> None:
    course = tmp_path / "course"
    course.mkdir()
    (course / "one.md").write_text("# Welcome\n\n<!-- Welcome to the course. -->\n")
    (course / "notes.txt").write_text(SILENT_OUTLINE, encoding="utf-8")
    killer = Killer(f"ray::{SPEECH_TASK}", times=TASK_TRIES)  # its one clip, every try
    killer.start()
    report = ray_batch(course, tmp_path / "ray", tmp_path / "cache")
    killer.stop.set()
    assert len(killer.killed) == TASK_TRIES
    outcomes = {o.source.name: o for o in report.lectures}
    assert outcomes["notes.txt"].status == "exported"
    assert outcomes["one.md"].status == "failed"
    assert outcomes["one.md"].error.startswith(
        f"The Ray workers exporting one stopped {TASK_TRIES} times (WorkerCrashedError)"
    )
    assert not (tmp_path / "ray" / "one.mp4").exists()


def test_a_lecture_whose_task_dies_three_times_fails_and_the_others_finish(
    course: Path, tmp_path: Path, local_ray
) -> None:
    killer = Killer("ray::lecture recorded", times=TASK_TRIES)
    killer.start()
    report = ray_batch(course, tmp_path / "ray", tmp_path / "cache")
    killer.stop.set()
    assert len(killer.killed) == TASK_TRIES
    outcomes = {o.source.name: o for o in report.lectures}
    assert outcomes["notes.txt"].status == "exported"
    failed = outcomes["recorded.lecture"]
    assert failed.status == "failed"
    assert failed.error.startswith(f"The Ray workers exporting recorded stopped {TASK_TRIES} times")
    assert not (tmp_path / "ray" / "recorded.mp4").exists()


def test_a_cancel_stops_the_running_lecture_task_and_leaves_no_partial_file(
    tmp_path: Path, local_ray
) -> None:
    sources = tmp_path / "course"
    sources.mkdir()
    (sources / "a.txt").write_text(SILENT_OUTLINE)
    # two minutes; named apart from the other tests' "recorded", whose workers they kill
    recorded_project(sources, slides=6, seconds=20.0).rename(sources / "long.lecture")
    (sources / "z.txt").write_text(SILENT_OUTLINE.replace("bye", "z"))
    outdir = tmp_path / "videos"
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("long: "):  # its Ray task has begun exporting
            cancel.cancel()

    found = find_sources([sources], outdir)
    options = ExportOptions(size=(160, 90), cache_dir=tmp_path / "cache")
    report = run_batch(
        found,
        outdir,
        options,
        registry=builtin_registry(),
        progress=progress,
        cancel=cancel,
        lectures_at_once=1,
        exporter=RayExporter(plugins=False),
    )
    assert report.cancelled and not report.succeeded
    assert [o.status for o in report.lectures] == ["exported", "cancelled", "not started"]
    assert sorted(p.name for p in outdir.glob("*.mp4")) == ["a.mp4"]
    assert not hidden_leftovers(outdir)

    again = ray_batch(sources, outdir, tmp_path / "cache")  # Ray goes on serving the next run
    assert [o.status for o in again.lectures] == ["up to date", "exported", "exported"]
    frames, _ = decoded(outdir / "long.mp4")  # the whole lecture: two minutes and more
    assert len(frames) == round(again.lectures[1].duration * 30) > 120 * 30


def test_without_ray_the_flag_says_how_to_install_it(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    result = cli("batch", course, "-o", tmp_path / "out", *SIZE, "--ray")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "lecture-studio: --ray needs Ray, which is not installed; install it with: "
        'pip install "lecture-studio[cluster]".'
    ]
    assert not (tmp_path / "out" / "recorded.mp4").exists()


def test_a_bad_address_is_one_sentence(course: Path, tmp_path: Path, cli) -> None:  # noqa: F811
    result = cli("batch", course, "-o", tmp_path / "out", *SIZE, "--ray=localhost")
    assert result.returncode == 2
    assert result.stderr.startswith("lecture-studio: --ray localhost: give auto, ray://HOST:PORT")

"""``lecture-studio batch`` (issue 17): a folder of lectures into one folder of videos with a
report; failures reported and passed over; a second run redoes only what changed; a cancel
keeps what is finished; a name is never taken from a file already there."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from instruments.mp4inspect import inspect_mp4

from lecture_studio.app import builtin_registry, set_app_registry
from lecture_studio.batch import STATE_FILE, find_sources, run_batch
from lecture_studio.cli import main
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions

SMALL = ["--size", "320x180"]
NARRATED_OUTLINE = """\
# Welcome

- what we will do

<!-- Welcome to the course. -->

# Plan

- two weeks

<!-- We have two weeks. -->
"""
SILENT_OUTLINE = "Intro again\n- a bullet\n\nEnd\n- bye\n"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Runs the command in this process with the built-in registry only; returns
    ``CompletedProcess``-like results (an escaping exception fails the test)."""
    handlers = list(logging.getLogger().handlers)
    set_app_registry(builtin_registry())

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        status = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return subprocess.CompletedProcess(args, status, captured.out, captured.err)

    yield run
    set_app_registry(None)
    logging.getLogger().handlers[:] = handlers


def recorded_project(folder: Path, slides: int = 3, seconds: float = 11.0) -> Path:
    """A saved project whose slides are narrated by recordings (no voice needed): with 11 s
    each, long enough for YouTube chapters."""
    lecture = Lecture(title="Recorded")
    project = Project(lecture)
    rng = np.random.default_rng(0)
    for number in range(slides):
        samples = (rng.standard_normal(round(seconds * 48_000)) * 3000).astype("<i2")
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(48_000)
            out.writeframes(samples.tobytes())
        slide = Slide(
            title=f"Part {number + 1}", body=[TextBlock([Paragraph(f"point {number + 1}")])]
        )
        slide.narration.source = "recording"
        slide.narration.recording = project.add_asset(buffer.getvalue(), ".wav")
        lecture.slides.append(slide)
    return project.save(folder / "recorded.lecture")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """course/a/intro.md (narrated), course/b/intro.txt (silent, the same name),
    course/recorded.lecture (recordings, 33 s), course/broken.pptx (not a deck)."""
    folder = tmp_path / "course"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "intro.md").write_text(NARRATED_OUTLINE, encoding="utf-8")
    (folder / "b" / "intro.txt").write_text(SILENT_OUTLINE, encoding="utf-8")
    recorded_project(folder)
    (folder / "broken.pptx").write_bytes(b"not a deck at all")
    return folder


def report_rows(outdir: Path) -> dict[str, dict[str, str]]:
    """The CSV report's rows by source file name, checked against the JSON report."""
    with open(outdir / "batch-report.csv", encoding="utf-8", newline="") as handle:
        rows = {Path(row["source"]).name: row for row in csv.DictReader(handle)}
    document = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))
    assert {Path(entry["source"]).name: entry["status"] for entry in document["lectures"]} == {
        name: row["status"] for name, row in rows.items()
    }
    return rows


def stamps(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in outdir.iterdir() if p.suffix == ".mp4"}


def hidden_leftovers(outdir: Path) -> list[str]:
    return [p.name for p in outdir.iterdir() if p.name.startswith(".") and p.name != STATE_FILE]


def test_a_course_becomes_one_video_per_lecture_with_a_report(course: Path, cli) -> None:
    outdir = course.parent / "videos"
    result = cli("batch", course, "-o", outdir, *SMALL)

    assert result.returncode == 1  # one lecture failed; the others are done
    failure = [line for line in result.stderr.splitlines() if line.startswith("lecture-studio:")]
    assert failure == [
        f"lecture-studio: {course / 'broken.pptx'}: broken.pptx is not a PowerPoint "
        "presentation; import a .pptx deck or a Markdown/text outline instead."
    ]
    names = {p.name for p in outdir.iterdir()}
    # Named after their sources; the second "intro" becomes intro-2 (sources in name order).
    assert {"intro.mp4", "intro.srt", "intro.vtt", "intro.thumbnail.png"} <= names
    assert {"intro-2.mp4", "intro-2.thumbnail.png"} <= names
    assert {"recorded.mp4", "recorded.chapters.txt", "recorded.thumbnail.png"} <= names
    assert {"batch-report.csv", "batch-report.json"} <= names
    assert not hidden_leftovers(outdir)
    assert "Welcome to the course." in (outdir / "intro.srt").read_text(encoding="utf-8")
    assert (outdir / "recorded.chapters.txt").read_text(encoding="utf-8").startswith("0:00 ")

    rows = report_rows(outdir)
    assert {name: row["status"] for name, row in rows.items()} == {
        "broken.pptx": "failed",
        "intro.md": "exported",
        "intro.txt": "exported",
        "recorded.lecture": "exported",
    }
    assert rows["broken.pptx"]["error"].startswith("broken.pptx is not a PowerPoint")
    assert rows["intro.txt"]["video"] == "intro-2.mp4"
    assert "Written as intro-2.mp4" in rows["intro.txt"]["warnings"]
    for name in ("intro.md", "intro.txt", "recorded.lecture"):
        row = rows[name]
        video = inspect_mp4(outdir / row["video"]).video
        assert abs(video.frame_count / 30 - float(row["video_seconds"])) <= 1 / 30
        assert float(row["seconds_taken"]) > 0 and not row["error"]
    assert float(rows["recorded.lecture"]["video_seconds"]) > 33
    # One line per lecture as it finished, and a summary.
    lines = result.stdout.splitlines()
    assert sum(" -> " in line for line in lines) == 3, result.stdout + result.stderr
    assert lines[-1].startswith("4 lectures: 3 exported, 0 up to date, 1 failed; report in ")


def test_a_second_run_redoes_only_what_changed(course: Path, cli) -> None:
    outdir = course.parent / "videos"
    assert cli("batch", course, "-o", outdir, *SMALL, "--quiet").returncode == 1
    first = stamps(outdir)

    again = cli("batch", course, "-o", outdir, *SMALL)
    assert again.returncode == 1  # the broken deck is tried again, and fails again
    assert stamps(outdir) == first
    statuses = {name: row["status"] for name, row in report_rows(outdir).items()}
    assert statuses == {
        "broken.pptx": "failed",
        "intro.md": "up to date",
        "intro.txt": "up to date",
        "recorded.lecture": "up to date",
    }
    assert "3 up to date, 1 failed" in again.stdout

    # A new date with the same content changes nothing; new content redoes that lecture only,
    # under the name it had; a fixed deck is done.
    os.utime(course / "a" / "intro.md", (1, 1))
    (course / "b" / "intro.txt").write_text(SILENT_OUTLINE + "\nMore\n- one more\n")
    (course / "broken.pptx").unlink()
    assert cli("batch", course, "-o", outdir, *SMALL, "--quiet").returncode == 0
    now = stamps(outdir)
    assert now["intro.mp4"] == first["intro.mp4"]
    assert now["recorded.mp4"] == first["recorded.mp4"]
    assert now["intro-2.mp4"] != first["intro-2.mp4"]
    assert sorted(now) == ["intro-2.mp4", "intro.mp4", "recorded.mp4"]

    # Other settings redo every lecture, and files the new settings do not write are removed.
    result = cli("batch", course, "-o", outdir, *SMALL, "--fps", "25", "--no-thumbnail")
    assert result.returncode == 0
    assert "3 exported, 0 up to date" in result.stdout
    assert not list(outdir.glob("*.thumbnail.png"))
    assert inspect_mp4(outdir / "intro.mp4").video.average_rate == 25


def test_files_already_there_are_never_overwritten(tmp_path: Path, cli) -> None:
    source = tmp_path / "talk.txt"
    source.write_text(SILENT_OUTLINE, encoding="utf-8")
    outdir = tmp_path / "videos"
    outdir.mkdir()
    (outdir / "talk.mp4").write_bytes(b"someone else's video")
    (outdir / "talk-2.srt").write_text("someone else's captions")

    assert cli("batch", source, "-o", outdir, *SMALL, "--quiet").returncode == 0
    assert (outdir / "talk.mp4").read_bytes() == b"someone else's video"
    assert (outdir / "talk-2.srt").read_text() == "someone else's captions"
    assert inspect_mp4(outdir / "talk-3.mp4").video.frame_count > 0
    # The next run keeps the name it chose, and finds it up to date.
    assert cli("batch", source, "-o", outdir, *SMALL, "--quiet").returncode == 0
    assert report_rows(outdir)["talk.txt"]["status"] == "up to date"
    assert report_rows(outdir)["talk.txt"]["video"] == "talk-3.mp4"


def stream_packets(path: Path) -> list[tuple[int, int | None, int | None, bytes]]:
    """Every packet of the file's streams: stream, timestamps and bytes. (Where the muxer
    puts the audio between the video depends on how far the AAC thread has got, so the files'
    bytes may differ by a chunk table entry; their streams do not.)"""
    with av.open(str(path)) as container:
        packets = [
            (packet.stream.index, packet.pts, packet.dts, bytes(packet))
            for packet in container.demux()
            if packet.size
        ]
    return sorted(packets, key=lambda packet: packet[0])  # stream by stream, each in its order


def test_a_batch_writes_what_export_writes(tmp_path: Path, cli) -> None:
    """Two lectures at once on the batch's encoder pool give the very streams, captions and
    thumbnails that `export` gives."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "one.md").write_text(NARRATED_OUTLINE, encoding="utf-8")
    recorded_project(sources, slides=2, seconds=4.0)
    options = [*SMALL, "--transition", "crossfade"]
    assert cli("batch", sources, "-o", tmp_path / "batch", *options, "--quiet").returncode == 0
    for source, name in ((sources / "one.md", "one"), (sources / "recorded.lecture", "recorded")):
        alone = tmp_path / "alone" / f"{name}.mp4"
        assert cli("export", source, "-o", alone, *options, "--quiet").returncode == 0
        batch_video = tmp_path / "batch" / f"{name}.mp4"
        assert stream_packets(batch_video) == stream_packets(alone)
        for suffix in (".srt", ".vtt", ".chapters.txt", ".thumbnail.png"):
            batch_file = batch_video.with_suffix(suffix)
            assert batch_file.exists() == alone.with_suffix(suffix).exists()
            if batch_file.exists():
                assert batch_file.read_bytes() == alone.with_suffix(suffix).read_bytes()


def test_a_cancel_keeps_finished_lectures_and_leaves_no_partial_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("a", "b", "c"):
        (sources / f"{name}.txt").write_text(SILENT_OUTLINE.replace("bye", name))
    outdir = tmp_path / "videos"
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("b: Encoding video"):  # b's video is being written
            cancel.cancel()

    found = find_sources([sources], outdir)
    options = ExportOptions(size=(320, 180))
    report = run_batch(found, outdir, options, progress=progress, cancel=cancel, lectures_at_once=1)
    assert report.cancelled and not report.succeeded
    assert [o.status for o in report.lectures] == ["exported", "cancelled", "not started"]
    assert sorted(p.name for p in outdir.glob("*.mp4")) == ["a.mp4"]
    assert not hidden_leftovers(outdir)
    assert json.loads((outdir / "batch-report.json").read_text())["cancelled"] is True

    again = run_batch(found, outdir, options)
    assert [o.status for o in again.lectures] == ["up to date", "exported", "exported"]
    assert again.succeeded


def test_finding_lectures_in_folders(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "week 1").mkdir(parents=True)
    for name in ("week 1/b.md", "week 1/a.pptx", "notes.txt", ".hidden.md", "~$a.pptx"):
        (course / name).write_text("x")
    (course / "week 1" / "picture.png").write_bytes(b"x")
    (course / "old.chapters.txt").write_text("0:00 Intro")
    project = recorded_project(course, slides=1, seconds=1.0)
    outdir = course / "videos"  # inside the searched folder: passed over
    outdir.mkdir()
    (outdir / "x.md").write_text("x")

    found = find_sources([course, course / "notes.txt", project / "project.json"], outdir)
    assert [p.relative_to(course.resolve()).as_posix() for p in found] == [
        "notes.txt",
        "recorded.lecture",
        "week 1/a.pptx",
        "week 1/b.md",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing-folder"], "missing-folder does not exist; check the path."),
        (["empty"], "No decks, outlines or projects were found in"),
        (["talk.txt", "--transition", "nope"], "unknown transition 'nope'"),
        (["talk.txt", "--size", "321x180"], None),  # argparse's own usage error
    ],
    ids=["missing", "empty", "transition", "size"],
)
def test_a_wrong_command_exits_2_with_one_sentence(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "talk.txt").write_text(SILENT_OUTLINE)
    if message is None:
        with pytest.raises(SystemExit) as exit_:
            cli("batch", *args, "-o", "videos")
        assert exit_.value.code == 2
        return
    result = cli("batch", *args, "-o", "videos")
    assert result.returncode == 2
    assert result.stderr.startswith(f"lecture-studio: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "videos").exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path, cli) -> None:
    (tmp_path / "talk.txt").write_text(SILENT_OUTLINE)
    (tmp_path / "videos").write_text("a file")
    result = cli("batch", tmp_path / "talk.txt", "-o", tmp_path / "videos")
    assert result.returncode == 2
    assert result.stderr == (
        f"lecture-studio: {tmp_path / 'videos'} is a file; give a folder for the videos.\n"
    )


def test_quiet_prints_nothing_and_help_tells_the_options(tmp_path: Path, cli, capsys) -> None:
    (tmp_path / "talk.txt").write_text(SILENT_OUTLINE)
    result = cli("batch", tmp_path / "talk.txt", "-o", tmp_path / "videos", *SMALL, "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    with pytest.raises(SystemExit):
        main(["batch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--preset", "--fps", "--transition", "--voice", "--no-captions", "--quiet"):
        assert option in text
    assert (
        "batch-report.csv" in text and "130 cancelled (Ctrl-C); finished lectures are kept" in text
    )

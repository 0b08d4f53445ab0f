"""Batch speed and memory: a course of lectures exported by one `lecture-studio batch` against
the same lectures exported one after another by `lecture-studio export` (issue 17).

Builds ``--lectures`` lectures of ``--minutes`` each in code (outline slides drawn by the
built-in renderer, each narrated by a recording of speech-like noise so that no voice's speed
counts, crossfades between slides; every lecture has its own titles and sounds, so nothing of
one is found in the cache by another) and saves them as project bundles. Then, each side with
a cold cache of its own (a fresh ``XDG_CACHE_HOME``):

1. serial: ``lecture-studio export`` once per lecture, one process after another;
2. batch: one ``lecture-studio batch`` of all of them, and its peak resident memory (the
   process's own ``ru_maxrss``, threads included);
3. the same batch run again: every lecture found up to date (what a resumed run costs);
4. with Ray installed (``lecture-studio[cluster]``), the batch with ``--ray`` on a local Ray
   instance started by the command (its start-up counted), and its overhead against 2.

Judged by the issue's goals: the batch at least as fast as the serial exports (ratio serial /
batch >= 1.0), its peak memory under 1 GB, and the Ray batch within 15% of the local batch,
writing the same streams.

    .venv/bin/python benchmarks/batch_speed.py [--lectures 6] [--minutes 5] [--slides 15]
        [--size 1920x1080] [--ray-pairs 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_speed import FPS, LEAD_IN, TAIL, TOPICS, speech_like_noise, wav_bytes  # noqa: E402
from machine import describe_machine  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GOALS = {"ratio": 1.0, "peak MB": 1024.0, "ray overhead": 0.15}


def build_lecture(number: int, slides: int, minutes: float, width: int, height: int):
    """Lecture ``number``: ``slides`` outline slides narrated for ``minutes`` in all."""
    from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock, TransitionSpec
    from lecture_studio.project import Project

    lecture = Lecture(title=f"Lecture {number}")
    lecture.output.width, lecture.output.height, lecture.output.fps = width, height, FPS
    lecture.timing.lead_in, lecture.timing.tail = LEAD_IN, TAIL
    lecture.style.transition = TransitionSpec("crossfade", 0.5)
    project = Project(lecture)
    narration_seconds = minutes * 60 / slides - LEAD_IN - TAIL
    for i in range(slides):
        topic = f"{number}.{i + 1} {TOPICS[(i + 7 * number) % len(TOPICS)]}"
        bullets = [
            Paragraph(f"{topic}: point {k + 1}, with enough words to wrap the line once", level=0)
            for k in range(4)
        ]
        slide = Slide(title=topic, body=[TextBlock(bullets)])
        slide.narration.source = "recording"
        noise = speech_like_noise(narration_seconds, seed=1000 * number + i)
        slide.narration.recording = project.add_asset(wav_bytes(noise), ".wav")
        lecture.slides.append(slide)
    return project


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "lecture_studio", "--no-plugins", *map(str, args)]


def timed(args: list[str], cache: Path) -> tuple[float, int]:
    """Run ``args`` with ``cache`` as its cache folder: wall seconds and peak resident KiB.

    The peak is the child's own (``wait4``): this parent is small (numpy and the lecture
    model), so what Linux carries over from it into the child's figure is small too."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONPATH=str(REPO))
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = code = os.waitstatus_to_exitcode(status)
        if code:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace"))
            raise SystemExit(f"{' '.join(args[4:6])} failed (exit status {code})")
    return seconds, usage.ru_maxrss


_RAY_START_STOP = """
import time
from lecture_studio.cluster import ray_session
started = time.perf_counter()
with ray_session(None):
    up = time.perf_counter()
print(up - started, time.perf_counter() - up)
"""


def ray_start_stop() -> tuple[float, float]:
    """Seconds a bare local Ray instance takes to start and to stop, as `--ray` starts it: the
    fixed part of the Ray batch's overhead."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", _RAY_START_STOP], env=env, capture_output=True, text=True, check=True
    )
    start, stop = (float(n) for n in out.stdout.split())
    return start, stop


def stream_packets(path: Path) -> list[tuple[int, int | None, bytes]]:
    """The file's packets (stream, time, bytes): how far the AAC thread has got decides where
    the muxer puts the sound between the pictures, so two equal exports' bytes may differ by
    a chunk table entry while their streams are the same."""
    import av

    with av.open(str(path)) as container:
        return [(p.stream.index, p.pts, bytes(p)) for p in container.demux() if p.size]


def first_difference(one: Path, other: Path) -> tuple[int, int] | None:
    """The first packet (stream, index in the stream) where two files' streams differ."""
    a, b = stream_packets(one), stream_packets(other)
    for stream in sorted({p[0] for p in a + b}):
        left = [p for p in a if p[0] == stream]
        right = [p for p in b if p[0] == stream]
        for index, (x, y) in enumerate(zip(left, right, strict=False)):
            if x != y:
                return stream, index
        if len(left) != len(right):
            return stream, min(len(left), len(right))
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lectures", type=int, default=6)
    parser.add_argument("--minutes", type=float, default=5.0, help="each lecture's length")
    parser.add_argument("--slides", type=int, default=15, help="slides per lecture")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument(
        "--ray-pairs",
        type=int,
        default=1,
        help="local and --ray batches run back to back this many times, each with a cold cache "
        "(the overhead judged is the median pair's: on a shared machine one pair is noise)",
    )
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))

    print(describe_machine())
    print(
        f"{args.lectures} lectures of {args.minutes:g} min, {args.slides} slides each, at "
        f"{width}x{height} {FPS} fps, crossfades, recorded narration"
    )
    print("cache: cold on each side (a fresh cache folder for the serial exports and the batch)")
    with tempfile.TemporaryDirectory(prefix="batch-speed-") as folder:
        root = Path(folder)
        bundles = []
        for number in range(1, args.lectures + 1):
            project = build_lecture(number, args.slides, args.minutes, width, height)
            bundles.append(project.save(root / "course" / f"lecture-{number}.lecture"))
            del project

        serial = 0.0
        serial_peak = 0
        for bundle in bundles:
            video = root / "serial" / bundle.with_suffix(".mp4").name
            seconds, peak = timed(
                command("export", bundle, "-o", video, "--quiet"), root / "cache-serial"
            )
            serial += seconds
            serial_peak = max(serial_peak, peak)
        batch, batch_peak = timed(
            command("batch", root / "course", "-o", root / "batch", "--quiet"),
            root / "cache-batch",
        )
        again, _ = timed(
            command("batch", root / "course", "-o", root / "batch", "--quiet"),
            root / "cache-batch",
        )
        on_ray = None
        try:
            import ray  # noqa: F401
        except ImportError:
            pass
        else:
            on_ray, _ = timed(
                command("batch", root / "course", "-o", root / "ray", "--quiet", "--ray"),
                root / "cache-ray",
            )
            pairs = [(batch, on_ray)]
            for k in range(2, args.ray_pairs + 1):
                local_k, _ = timed(
                    command("batch", root / "course", "-o", root / f"batch-{k}", "--quiet"),
                    root / f"cache-batch-{k}",
                )
                ray_k, _ = timed(
                    command("batch", root / "course", "-o", root / f"ray-{k}", "--quiet", "--ray"),
                    root / f"cache-ray-{k}",
                )
                pairs.append((local_k, ray_k))
            ray_fixed = ray_start_stop()
            ray_differ = [
                name
                for bundle in bundles
                if (name := bundle.with_suffix(".mp4").name)
                and first_difference(root / "ray" / name, root / "batch" / name)
            ]
        differ = [
            f"{name} (stream {diff[0]}, packet {diff[1]})"
            for bundle in bundles
            if (name := bundle.with_suffix(".mp4").name)
            and (diff := first_difference(root / "batch" / name, root / "serial" / name))
        ]
        same = not differ

    video_seconds = args.lectures * args.minutes * 60
    ratio = serial / batch
    peak_mb = batch_peak / 1024
    print(
        f"serial: {serial:7.2f} s  ({args.lectures} `export` runs, {video_seconds / serial:.1f}x "
        f"real time; peak memory of one: {serial_peak / 1024:.0f} MB)"
    )
    print(f"batch:  {batch:7.2f} s  (one `batch` run, {video_seconds / batch:.1f}x real time)")
    print(f"        serial / batch: {ratio:.2f} (goal >= {GOALS['ratio']:.1f})")
    print(
        f"        peak memory {peak_mb:.0f} MB (the batch process's, goal < {GOALS['peak MB']:.0f})"
    )
    print(
        "        the same streams as `export` wrote, packet for packet: "
        + ("yes" if same else f"NO: {', '.join(differ)}")
    )
    print(f"resumed batch (every lecture up to date): {again:.2f} s")
    failed = []
    if on_ray is None:
        print("--ray: not measured (Ray is not installed: pip install 'lecture-studio[cluster]')")
    else:
        overhead = on_ray / batch - 1
        print(
            f"--ray:  {on_ray:7.2f} s  (local Ray instance, its start included; overhead "
            f"{overhead:+.1%} against the batch, goal <= {GOALS['ray overhead']:.0%})"
        )
        if len(pairs) > 1:
            overheads = sorted(r / b - 1 for b, r in pairs)
            print(
                "        pairs (local batch, --ray): "
                + ", ".join(f"{b:.2f}/{r:.2f} s {r / b - 1:+.0%}" for b, r in pairs)
            )
            overhead = overheads[len(overheads) // 2]
            print(f"        median overhead {overhead:+.1%} over {len(pairs)} pairs")
        start, stop = ray_fixed
        print(
            f"        of which Ray's own start {start:.2f} s and stop {stop:.2f} s (a bare local "
            f"instance, measured alone; {(start + stop) / batch:.0%} of the first local batch)"
        )
        print(
            "        the same streams as the local batch, packet for packet: "
            + ("yes" if not ray_differ else f"NO: {', '.join(ray_differ)}")
        )
        failed += [] if overhead <= GOALS["ray overhead"] else ["ray overhead"]
        failed += [] if not ray_differ else ["same videos on Ray"]
    print("load average at the end: " + " ".join(f"{n:.2f}" for n in os.getloadavg()))
    failed += [] if ratio >= GOALS["ratio"] else ["ratio"]
    failed += [] if peak_mb < GOALS["peak MB"] else ["peak MB"]
    failed += [] if same else ["same videos"]
    print("PASS" if not failed else f"FAIL: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

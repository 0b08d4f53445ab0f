"""``lecture-studio batch``: a whole course into one folder, a thin face on ``lecture_studio.batch``
with the same options as ``export`` (``commands.add_export_options``)."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import threading
from pathlib import Path

from ..app import app_registry
from ..batch import LECTURES_AT_ONCE, REPORT_NAME, LectureOutcome, find_sources, run_batch
from ..errors import InputError
from ..jobs import CancelToken
from ..loading import is_project_path
from ..model import Lecture
from ..project import Project
from .arguments import add_subcommand
from .export_options import add_export_options, apply_export_options, export_options
from .imagery_commands import add_drawing_options, imagery_settings
from .progress import TerminalProgress, format_seconds
from .voice_commands import app_voices

BATCH_EPILOG = f"""\
Each lecture is written as OUTDIR/NAME.mp4 (with NAME.srt, NAME.vtt, NAME.chapters.txt and
NAME.thumbnail.png as --no-... options allow), NAME being its source's name; when another
lecture has that name, or files of that name are already there, it becomes NAME-2, NAME-3...
OUTDIR/{REPORT_NAME}.csv and .json list every lecture: source, status, video, video length,
time taken, warnings, and the error where it failed.

Run the same command again to resume: lectures whose files are up to date with their source
and the options (compared by content, not by date) are skipped; failed, changed and
unfinished ones are exported again.

With --imagery each lecture gets an illustration per visible slide before it is exported, the
way `lecture-studio imagery` draws them (the image options work as there); the model is loaded
once for the whole batch, and images drawn before (kept in a project, or in the app's cache)
are not drawn again. Sources are never written to.

exit status:
  0  every lecture exported or already up to date
  1  some lectures failed (the report and the lines printed say why); the others are done
  2  bad input or usage: a path that does not exist, no lectures found, a bad option
  130  cancelled (Ctrl-C); finished lectures are kept, nothing half-written is left behind
"""


def add_batch_command(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``batch`` to the CLI's subcommands."""
    p = add_subcommand(
        sub,
        "batch",
        "Export many lectures into one folder: decks, outlines, NAME.lecture projects and "
        "folders of them, each as its MP4 with captions, chapters and a thumbnail, and a "
        "report beside them.",
        BATCH_EPILOG,
    )
    p.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="a deck, an outline, a NAME.lecture project, or a folder searched (with its "
        "subfolders) for all three",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="OUTDIR",
        help=f"the folder for the videos and {REPORT_NAME}.csv/.json (made if missing)",
    )
    add_export_options(p)
    images = p.add_argument_group(
        "slide images",
        "An illustration for each visible slide, drawn before its lecture is exported the way\n"
        "`lecture-studio imagery` draws it; the options after --imagery need --imagery.",
    )
    images.add_argument(
        "--imagery",
        action="store_true",
        help="draw each lecture's slide images with a local image model (or abstract shapes): "
        "see `lecture-studio imagery --help`",
    )
    add_drawing_options(images, "--image-size")
    p.add_argument(
        "--ray",
        nargs="?",
        const=LOCAL_RAY,
        metavar="ADDRESS",
        help="export on Ray (needs lecture-studio[cluster]): each lecture by a Ray task, its "
        "video pieces by Ray tasks, its images (--imagery) by Ray actors that keep the model "
        "loaded, one per GPU; alone, on a Ray instance started on this machine; with auto "
        "or ray://HOST:PORT, on that cluster (see docs/cluster.md). Put it after the sources "
        "or write --ray=ADDRESS",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but errors (a failed lecture's is one line)",
    )
    p.set_defaults(run=cmd_batch)


LOCAL_RAY = "local"
_RAY_ADDRESS = re.compile(r"auto|ray://\S+|[\w.-]+:\d+")


def ray_address(value: str) -> str | None:
    """The address ``--ray`` was given (None: start Ray here); an InputError for anything
    that is not one."""
    if value == LOCAL_RAY:
        return None
    if not _RAY_ADDRESS.fullmatch(value):
        raise InputError(
            f"--ray {value}: give auto, ray://HOST:PORT or HOST:PORT, or nothing to start Ray "
            "on this machine (put --ray after the sources, or write --ray=ADDRESS)."
        )
    return value


class _BatchLines:
    """The batch's terminal: one progress line (on stderr) for the whole batch, and a line per
    lecture as it finishes (stdout; a failure on stderr), from any lecture's thread."""

    def __init__(self, quiet: bool, total: int) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        # The streams as the batch starts: a voice engine swaps sys.stdout for a moment while it
        # loads (``contextlib.redirect_stdout``), which would swallow another lecture's line.
        self.out, self.err = sys.stdout, sys.stderr
        self.progress = TerminalProgress(quiet, self.err)
        self._lock = threading.Lock()

    def __call__(self, fraction: float, message: str) -> None:
        with self._lock:
            done = f"{self.done} of {self.total} lectures done"
            self.progress(fraction, f"{done}; {message}" if message else done)

    def finished(self, outcome: LectureOutcome) -> None:
        with self._lock:
            self.done += 1
            if self.progress._tty and not self.quiet:  # clear the progress line first
                self.err.write("\r\x1b[2K")
                self.err.flush()
            where = f"[{self.done}/{self.total}] {outcome.source.name}"
            if outcome.status == "failed":
                print(f"lecture-studio: {outcome.source}: {outcome.error}", file=self.err)
                return
            if self.quiet:
                return
            if outcome.status == "exported":
                length = format_seconds(outcome.duration or 0)
                taken = format_seconds(outcome.seconds)
                print(f"{where} -> {outcome.video.name} ({length}, took {taken})", file=self.out)
            else:
                print(f"{where} -> {outcome.video.name} (up to date)", file=self.out)
            self.out.flush()
            for warning in outcome.warnings if outcome.status == "exported" else ():
                print(f"warning: {outcome.source.name}: {warning}", file=self.err)

    def close(self) -> None:
        self.progress.done()


def cmd_batch(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..imagery.course import CourseImagery
    from ..imagery.settings import ImagerySettings

    registry = app_registry()
    sources = find_sources(args.sources, args.output, registry)
    if not sources:
        raise InputError(
            f"No decks, outlines or projects were found in {', '.join(map(str, args.sources))}; "
            "give .pptx, .md or .txt files, NAME.lecture projects, or folders holding them."
        )
    voices = app_voices()
    apply_export_options(args, Lecture(), voices)  # a bad transition or voice: say so now, once
    options = export_options(args, voices)
    drawing = imagery_settings(args)
    if not args.imagery and drawing != ImagerySettings():
        raise InputError(
            "The image options (--style, --generator, --model...) draw slide images only "
            "with --imagery; add --imagery, or leave them out."
        )

    def prepare(project: Project) -> list[str]:
        return apply_export_options(args, project.lecture, voices)

    with contextlib.ExitStack() as stack:
        on_ray = {}
        generators = None
        if args.ray is not None:
            from ..cluster import RayExporter, ray_session

            cpus = stack.enter_context(ray_session(ray_address(args.ray)))
            on_ray = {
                # a lecture task mostly waits on its pieces: one lecture per 4 CPUs keeps Ray busy
                "lectures_at_once": max(LECTURES_AT_ONCE, cpus // 4),
                "exporter": RayExporter(registry.plugins_enabled),
            }
            if args.imagery:
                from ..cluster_imagery import RayImagery

                generators = RayImagery(registry.plugins_enabled)
                stack.callback(generators.close)
        imagery = None
        if args.imagery:
            imagery = CourseImagery(drawing, registry=registry, generators=generators)
            # A model that is not here: said now, once, when a lecture is sure to ask for it
            # (a deck or an outline has no choice of its own; a saved project may have).
            if args.generator or args.model or not all(map(is_project_path, sources)):
                imagery.check()
        lines = _BatchLines(args.quiet, len(sources))
        try:
            report = run_batch(
                sources,
                args.output,
                options,
                prepare,
                registry=registry,
                progress=lines,
                finished=lines.finished,
                cancel=cancel,
                imagery=imagery,
                **on_ray,
            )
        finally:
            lines.close()
    failed = report.count("failed")
    if report.cancelled:
        kept = report.count("exported", "up to date")
        print(
            f"Cancelled: {kept} finished lecture{'s are' if kept != 1 else ' is'} kept and "
            "nothing half-written is left; run the same command again to do the rest.",
            file=sys.stderr,
        )
        return 130
    if not args.quiet:
        parts = [f"{report.count('exported')} exported", f"{report.count('up to date')} up to date"]
        if failed:
            parts.append(f"{failed} failed")
        total = len(report.lectures)
        print(
            f"{total} lecture{'s' * (total != 1)}: {', '.join(parts)}; report in "
            f"{args.output / (REPORT_NAME + '.csv')}"
        )
    return 1 if failed else 0

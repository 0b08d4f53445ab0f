"""A whole course at once: every deck, outline and project given exported into one folder, with
a report beside the videos; resumable by content hash, several lectures sharing one encoder pool.

Each lecture is written as its own export would write it (``render.export``): NAME.mp4 and its
captions, chapters and thumbnail, NAME from its source, to a temporary name first. What sets a
lecture apart from the batch's other lectures is only where it comes from, so:

- a lecture's *key* is a hash of what its video is made of: the lecture as imported and with
  the batch's options applied (slide ids, which are new at every import, left out), its assets'
  bytes, the output options, the voice that speaks each slide, and the app's version (with
  imagery on, what each slide's image is made of too: model and revision, prompt, seed,
  size). A second run skips a lecture whose key and files are those of the last run, and
  redoes the rest;
- the folder's state (``.lecture-studio-batch.json``, written after each lecture) remembers
  which source each NAME belongs to, so a name is kept from run to run, and a file that no
  source of the batch wrote is never overwritten (the lecture gets NAME-2 instead);
- a lecture that fails is reported with its one-sentence error and the others go on; a cancel
  stops the running exports (which leave nothing half-written) and keeps every finished one;
- with ``imagery`` (``imagery.course.CourseImagery``), a lecture to export first gets its
  slides' images as ``lecture-studio imagery`` would draw them, one model loaded once for the
  whole batch; images drawn before (in a saved project, or in the app's cache) are not drawn
  again. The source itself is never written to.

Two lectures run at a time by default: while one is narrated, drawn or muxed (mostly one
thread), the other's pieces keep the encoder pool's threads busy; the pool is the batch's,
one thread per core, never a pool per lecture.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import __version__
from .errors import Cancelled, InputError, LectureStudioError
from .fileio import atomic_write
from .importers import importable_suffixes
from .jobs import CancelToken, ProgressCallback, no_progress, progress_span
from .loading import is_project_path, open_path
from .model import lecture_to_dict
from .model.estimates import estimated_narration_samples
from .model.timeline import SAMPLE_RATE, build_timeline
from .narration.choose import VoiceCatalog, slide_voices, voice_catalog
from .narration.recorded import recording_length
from .narration.voices import voice_id
from .plugins import PluginRegistry
from .project import BUNDLE_SUFFIX, PROJECT_FILE, Project
from .render.encoder import default_workers
from .render.export import ExportOptions, ExportResult, export_lecture

if TYPE_CHECKING:
    from .imagery.course import CourseImagery

log = logging.getLogger(__name__)

REPORT_NAME = "batch-report"  # OUTDIR/batch-report.csv and .json
STATE_FILE = ".lecture-studio-batch.json"
_STATE_VERSION = 1
# Every file an export may write beside NAME.mp4: a name is free only when none of them exists.
OUTPUT_SUFFIXES = (".mp4", ".srt", ".vtt", ".words.vtt", ".chapters.txt", ".thumbnail.png")
LECTURES_AT_ONCE = 2
# A file in a searched folder that an export wrote, not an outline to export.
_EXPORT_OUTPUTS = (".chapters.txt",)
# The part of a lecture's progress its images take, when the batch draws them.
IMAGERY_SHARE = 0.3

Status = Literal["exported", "up to date", "failed", "cancelled", "not started"]
#: A per-lecture preparation the face applies after opening a source (its options that live in
#: the lecture: transition, voice...): returns warnings, raises InputError for a bad option.
Prepare = Callable[[Project], list[str]]
#: What exports one lecture: ``export_lecture`` here, or ``cluster.RayExporter`` on Ray.
Exporter = Callable[..., ExportResult]


@dataclass
class LectureOutcome:
    """What became of one source: the report's row."""

    source: Path
    name: str  # the output's NAME (NAME.mp4 in the output folder)
    status: Status = "not started"
    files: list[Path] = field(default_factory=list)  # NAME.mp4 first
    duration: float | None = None  # the video's length in seconds
    seconds: float = 0.0  # time this run took for it
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def video(self) -> Path | None:
        return self.files[0] if self.files else None


@dataclass
class BatchReport:
    outdir: Path
    lectures: list[LectureOutcome]
    cancelled: bool = False

    def count(self, *statuses: Status) -> int:
        return sum(outcome.status in statuses for outcome in self.lectures)

    @property
    def succeeded(self) -> bool:
        """Every lecture's video is there and up to date (exported now or before)."""
        return not self.cancelled and self.count("exported", "up to date") == len(self.lectures)


# --- which files -------------------------------------------------------------------------------


def source_suffixes(registry: PluginRegistry | None = None) -> set[str]:
    """The endings of files a folder is searched for: what the importers of ``registry``
    (None: the built-in ones) take, as the editor's Import does."""
    return set(importable_suffixes(registry))


def find_sources(
    paths: Iterable[str | Path], outdir: Path, registry: PluginRegistry | None = None
) -> list[Path]:
    """The lectures that ``paths`` name: each deck, outline or project given, and those in the
    folders given, searched recursively (a NAME.lecture folder is one lecture; hidden files,
    Office lock files and the output folder are passed over). In the order given, each folder's
    in name order, every file once. An InputError when a path does not exist."""
    suffixes = source_suffixes(registry)
    skip = _resolved(outdir)
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = _resolved(path)
        if resolved not in seen:
            seen.add(resolved)
            found.append(resolved)

    def search(folder: Path) -> None:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            raise InputError(f"The folder {folder} cannot be read: {exc.strerror or exc}.") from exc
        for entry in entries:
            if entry.name.startswith((".", "~$")) or _resolved(entry) == skip:
                continue
            if entry.is_dir():
                if is_project_path(entry):
                    add(entry)
                else:
                    search(entry)
            elif entry.suffix.lower() in suffixes and not entry.name.endswith(_EXPORT_OUTPUTS):
                add(entry)

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path} does not exist; check the path.")
        if path.is_dir() and not is_project_path(path):
            search(path)
        elif path.name == PROJECT_FILE:
            add(path.parent)
        else:
            add(path)
    return found


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def output_stem(source: Path) -> str:
    """The NAME a source's files get: its file name without the ending (a project's folder
    name without ``.lecture``)."""
    name = source.name
    if name.endswith(BUNDLE_SUFFIX):
        return name[: -len(BUNDLE_SUFFIX)] or "lecture"
    return source.stem or name or "lecture"


def output_files(outdir: Path, name: str) -> list[Path]:
    return [outdir / f"{name}{suffix}" for suffix in OUTPUT_SUFFIXES]


# --- what a lecture is made of -------------------------------------------------------------


def lecture_key(
    project: Project, options: ExportOptions, voices: VoiceCatalog, imagery: str = ""
) -> str:
    """A hash of everything the lecture's files are made of (see the module's docstring);
    ``imagery``: what its drawn images are made of beyond the lecture (``CourseImagery.key``),
    empty when the batch draws none."""
    lecture = project.lecture
    text = json.dumps(lecture_to_dict(lecture), sort_keys=True, ensure_ascii=False)
    for number, slide in enumerate(lecture.slides):
        text = text.replace(json.dumps(slide.id), json.dumps(f"slide {number}"))
    h = hashlib.sha256()
    h.update(f"lecture-studio {__version__}\0".encode())
    h.update(text.encode("utf-8"))
    for name in sorted(project.asset_names()):
        h.update(f"\0asset {name}\0".encode())
        h.update(hashlib.sha256(project.asset_bytes(name)).digest())
    written = {
        f.name: repr(getattr(options, f.name))
        for f in fields(options)
        if f.name in ("preset", "fps", "size", "captions", "chapters", "thumbnail")
        or f.name == "word_captions"
    }
    h.update(json.dumps(written, sort_keys=True).encode())
    spoken = slide_voices(lecture, lecture.visible_slides(), voices)
    choices = [
        (number, voice_id(c.voice) if c.voice else None, c.language, c.rate)
        for number, slide in enumerate(lecture.slides)
        if (c := spoken.get(slide.id)) is not None
    ]
    h.update(json.dumps(choices).encode())
    if imagery:
        h.update(f"\0imagery {imagery}".encode())
    return h.hexdigest()


def estimated_seconds(project: Project, fps: int | None) -> float:
    """The video's length as far as it can be told before narrating: recordings by their
    headers, scripts by their words. It weighs the lecture in the batch's progress."""
    lecture = project.lecture
    known: dict[str, int] = {}
    for slide in lecture.visible_slides():
        settings = slide.narration
        if settings.source == "recording" and settings.recording:
            try:
                known[slide.id] = recording_length(project.asset_path(settings.recording)) or 0
            except (OSError, LectureStudioError):
                known[slide.id] = 0
    try:
        lengths = estimated_narration_samples(lecture, SAMPLE_RATE, known)
        return max(1.0, build_timeline(lecture, lengths, SAMPLE_RATE, fps).duration)
    except (ValueError, LectureStudioError):
        return 1.0


# --- the folder's state ------------------------------------------------------------------------


@dataclass
class _Entry:
    """What the state file remembers of a NAME: its source, the key of the files written (None
    after a failure), the files with their sizes, and the report's figures for them."""

    source: str
    key: str | None = None
    files: dict[str, int] = field(default_factory=dict)  # file name -> size in bytes
    duration: float | None = None
    warnings: list[str] = field(default_factory=list)


class _State:
    def __init__(self, outdir: Path) -> None:
        self.path = outdir / STATE_FILE
        self.entries: dict[str, _Entry] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == _STATE_VERSION:
                for name, raw in data["lectures"].items():
                    self.entries[name] = _Entry(
                        source=str(raw["source"]),
                        key=raw.get("key"),
                        files={str(k): int(v) for k, v in raw.get("files", {}).items()},
                        duration=raw.get("duration"),
                        warnings=[str(w) for w in raw.get("warnings", [])],
                    )
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # A damaged state costs a full run, not the batch: every lecture is exported again
            # and names are chosen anew (never over a file already there).
            log.warning(
                "The batch state %s is unreadable (%s); exporting everything.", self.path, exc
            )
            self.entries = {}

    def save(self) -> None:
        data = {
            "version": _STATE_VERSION,
            "lectures": {
                name: {
                    "source": e.source,
                    "key": e.key,
                    "files": e.files,
                    "duration": e.duration,
                    "warnings": e.warnings,
                }
                for name, e in sorted(self.entries.items())
            },
        }
        atomic_write(self.path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))

    def up_to_date(self, name: str, key: str, outdir: Path) -> _Entry | None:
        entry = self.entries.get(name)
        if entry is None or entry.key != key or not entry.files:
            return None
        for file_name, size in entry.files.items():
            try:
                if (outdir / file_name).stat().st_size != size:
                    return None
            except OSError:
                return None
        return entry


def assign_names(sources: Sequence[Path], outdir: Path, state: _State) -> dict[Path, str]:
    """Each source's NAME: the one it had in this folder before, else its own stem, else the
    stem with -2, -3... when another source has that name or files of that name are there that
    no source of the batch wrote (they are never overwritten)."""
    by_source = {entry.source: name for name, entry in state.entries.items()}
    taken = {name.casefold() for name in state.entries} | {REPORT_NAME.casefold()}
    names: dict[Path, str] = {}
    for source in sources:
        known = by_source.get(str(source))
        if known is not None:
            names[source] = known
    for source in sources:
        if source in names:
            continue
        stem = output_stem(source)
        candidate, number = stem, 1
        while candidate.casefold() in taken or any(
            p.exists() for p in output_files(outdir, candidate)
        ):
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(candidate.casefold())
        names[source] = candidate
    return names


# --- the report -------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "source",
    "status",
    "video",
    "video_seconds",
    "seconds_taken",
    "warnings",
    "error",
)


def write_report(report: BatchReport) -> list[Path]:
    """OUTDIR/batch-report.json and .csv: one row per lecture (see ``REPORT_COLUMNS``)."""
    rows = [
        {
            "source": str(o.source),
            "status": o.status,
            "video": o.video.name if o.video else "",
            "video_seconds": None if o.duration is None else round(o.duration, 3),
            "seconds_taken": round(o.seconds, 3),
            "warnings": o.warnings,
            "error": o.error or "",
        }
        for o in report.lectures
    ]
    document = {
        "lecture_studio": __version__,
        "output": str(report.outdir),
        "cancelled": report.cancelled,
        "lectures": [
            {**row, "files": [p.name for p in o.files]}
            for row, o in zip(rows, report.lectures, strict=True)
        ],
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **row,
                "video_seconds": "" if row["video_seconds"] is None else row["video_seconds"],
                "warnings": " | ".join(row["warnings"]),
            }
        )
    json_path = report.outdir / f"{REPORT_NAME}.json"
    csv_path = report.outdir / f"{REPORT_NAME}.csv"
    atomic_write(json_path, json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8"))
    atomic_write(csv_path, buffer.getvalue().encode("utf-8"))
    return [csv_path, json_path]


# --- the job ------------------------------------------------------------------------------------


def run_batch(
    sources: Sequence[Path],
    outdir: Path,
    options: ExportOptions | None = None,
    prepare: Prepare | None = None,
    *,
    registry: PluginRegistry | None = None,
    progress: ProgressCallback = no_progress,
    finished: Callable[[LectureOutcome], None] | None = None,
    cancel: CancelToken | None = None,
    lectures_at_once: int = LECTURES_AT_ONCE,
    workers: int | None = None,
    exporter: Exporter = export_lecture,
    imagery: CourseImagery | None = None,
) -> BatchReport:
    """Export each of ``sources`` (from ``find_sources``) into ``outdir`` with ``options``
    (its encoder pool and voices are the batch's), calling ``prepare`` on each opened project
    first; skip those whose files are up to date. ``registry`` gives plugins' importers,
    voices and transitions (None: the built-in ones). ``progress`` gets the whole batch's fraction,
    ``finished`` each lecture's outcome as it ends (from the lecture's thread). The report is
    written after each lecture; it is also returned. Raises ExportError when ``outdir`` cannot
    be made or written; a lecture's failure is in its outcome. ``exporter`` exports one
    lecture (``export_lecture``'s arguments): ``cluster.RayExporter`` runs it on Ray.
    ``imagery`` draws each lecture's slide images before it is exported (after ``prepare``);
    None: a lecture is exported with the images it has."""
    cancel = cancel or CancelToken()
    options = options or ExportOptions()
    outdir = Path(outdir)
    _make_folder(outdir)
    voices = options.voices if options.voices is not None else voice_catalog(registry)
    registry_of_export = options.registry if options.registry is not None else registry
    state = _State(outdir)
    names = assign_names(sources, outdir, state)
    outcomes = [LectureOutcome(source, names[source]) for source in sources]
    report = BatchReport(outdir, outcomes)
    lock = threading.Lock()
    # Progress: each lecture weighs its estimated length once opened (until then the mean of
    # those known); one found up to date weighs nothing.
    weights: list[float | None] = [None] * len(sources)
    fractions = [0.0] * len(sources)
    last_message = [""]

    def overall(message: str = "") -> None:
        with lock:
            known = [w for w in weights if w is not None]
            mean = sum(known) / len(known) if known else 1.0
            total = done = 0.0
            for weight, fraction in zip(weights, fractions, strict=True):
                w = mean if weight is None else weight
                total += w
                done += w * fraction
            if message:
                last_message[0] = message
            text = last_message[0]
            whole = min(done / total if total > 0 else 1.0, 0.999)  # 100%: when it ends
        progress(whole, text)

    def record(index: int, entry: _Entry | None) -> None:
        outcome = outcomes[index]
        with lock:
            fractions[index] = 1.0
            if entry is not None:
                state.entries[outcome.name] = entry
                state.save()
            write_report(report)
        if finished is not None:
            finished(outcome)
        overall()

    def run_one(index: int, pool: ThreadPoolExecutor) -> None:
        outcome = outcomes[index]
        if cancel.cancelled:
            return
        started = time.monotonic()
        entry: _Entry | None = None
        try:
            entry = _export_one(
                outcome,
                outdir,
                replace(options, voices=voices, encoder_pool=pool, registry=registry_of_export),
                prepare,
                state,
                registry,
                exporter,
                imagery,
                weight=lambda w: _set(weights, index, w, overall),
                progress=lambda f, m: _set(fractions, index, f, overall, f"{outcome.name}: {m}"),
                cancel=cancel,
            )
            if outcome.status == "up to date":
                weights[index] = 0.0
        except Cancelled:
            outcome.status = "cancelled"
        except LectureStudioError as exc:
            outcome.status, outcome.error = "failed", exc.message
        except FileNotFoundError as exc:
            outcome.status = "failed"
            outcome.error = f"{exc.filename or outcome.source} does not exist; check the path."
        except OSError as exc:
            outcome.status = "failed"
            where = exc.filename or outcome.source
            outcome.error = f"{where} could not be read or written ({exc.strerror or exc})."
        except Exception as exc:  # a bug must not take the course down: report it, go on
            log.debug("unexpected failure exporting %s", outcome.source, exc_info=True)
            outcome.status = "failed"
            outcome.error = (
                f"An unexpected error stopped this lecture ({type(exc).__name__}: {exc}); "
                "please report it."
            )
        outcome.seconds = time.monotonic() - started
        if outcome.status == "failed":
            kept = state.entries.get(outcome.name)
            entry = _Entry(str(outcome.source), None, kept.files if kept else {})
        if outcome.status != "cancelled":
            record(index, entry)

    workers = workers or default_workers()
    with ThreadPoolExecutor(workers, thread_name_prefix="x264-batch") as pool:
        with ThreadPoolExecutor(max(1, lectures_at_once), thread_name_prefix="lecture") as lectures:
            futures = [lectures.submit(run_one, i, pool) for i in range(len(sources))]
            for future in futures:
                future.result()
    report.cancelled = cancel.cancelled
    with lock:
        write_report(report)
    if not report.cancelled:
        progress(1.0, "Done")
    return report


def _set(
    values: list, index: int, value: float, then: Callable[[str], None], message: str = ""
) -> None:
    values[index] = value
    then(message)


def _make_folder(outdir: Path) -> None:
    from .errors import ExportError

    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir} is a file; give a folder for the videos.")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot create the folder {outdir}: {exc.strerror or exc}.") from exc
    if not os.access(outdir, os.W_OK):
        raise ExportError(f"The folder {outdir} is not writable; choose another folder.")


def _export_one(
    outcome: LectureOutcome,
    outdir: Path,
    options: ExportOptions,
    prepare: Prepare | None,
    state: _State,
    registry: PluginRegistry | None,
    exporter: Exporter,
    imagery: CourseImagery | None,
    weight: Callable[[float], None],
    progress: ProgressCallback,
    cancel: CancelToken,
) -> _Entry | None:
    """Open, key, and export one lecture (its images drawn first, with ``imagery``) unless its
    files are up to date; fills ``outcome`` and returns what the state should remember of it."""
    cancel.check()
    project = open_path(outcome.source, cancel=cancel, registry=registry)
    outcome.warnings += project.warnings
    if prepare is not None:
        outcome.warnings += prepare(project)
    if imagery is not None:
        imagery.prepare(project)
    assert options.voices is not None
    key = lecture_key(project, options, options.voices, imagery.key(project) if imagery else "")
    current = state.up_to_date(outcome.name, key, outdir)
    if current is not None and current.source == str(outcome.source):
        outcome.status = "up to date"
        outcome.files = [outdir / name for name in current.files]
        outcome.duration = current.duration
        outcome.warnings = list(current.warnings)
        return None
    weight(estimated_seconds(project, options.fps))
    if outcome.name != output_stem(outcome.source) and outcome.name not in state.entries:
        outcome.warnings.append(
            f"Written as {outcome.name}.mp4: {output_stem(outcome.source)}.mp4 is another "
            "lecture's or was in the folder already."
        )
    destination = outdir / f"{outcome.name}.mp4"
    exporting = progress
    if imagery is not None:
        drawing = progress_span(progress, 0.0, IMAGERY_SHARE)
        outcome.warnings += imagery.draw(project, drawing, cancel)
        exporting = progress_span(progress, IMAGERY_SHARE, 1.0)
    result = exporter(project, destination, options, progress=exporting, cancel=cancel)
    outcome.status = "exported"
    outcome.files = list(result.files)
    outcome.duration = result.duration
    outcome.warnings += result.notes
    earlier = state.entries.get(outcome.name)
    if earlier is not None:  # files an earlier export of this lecture wrote and this one did not
        for file_name in set(earlier.files) - {p.name for p in result.files}:
            (outdir / file_name).unlink(missing_ok=True)
    return _Entry(
        str(outcome.source),
        key,
        {p.name: p.stat().st_size for p in result.files},
        result.duration,
        list(outcome.warnings),
    )

"""Fuzzing the deck and outline importers: every escaping exception, every write, for N minutes.

Each input goes through ``lecture_studio.importers.import_path`` as a .pptx (or .ppsx/.potm)
deck, a Markdown outline or a plain-text outline. Random bytes would stop at the zip or XML
parser, so the mutators keep inputs well formed enough to reach the code behind them:

- decks: open the zip, pick a member and change its XML (attribute values made negative, huge,
  empty or not numbers; elements deleted, duplicated or moved; text with control characters,
  OOXML ``_xHHHH_`` escapes, right-to-left and CJK; relationship targets pointing outside the
  package or the disk; content types swapped), replace pictures with non-pictures or headers
  claiming huge sizes, delete, copy or add members, graft parts of other decks, then zip again;
  a few inputs are mutated as raw bytes so the zip checks are fuzzed too;
- outlines: insert, delete, duplicate and swap lines from the Markdown grammar (headings,
  bullets, tables, fences, comments, ``Note:`` blocks, front matter), picture links with odd
  paths (absolute, ``..``, ``~user``, URLs, a symlink to /etc/hostname, a FIFO, a picture bomb),
  NUL and other control bytes, invalid UTF-8, very long lines.

Coverage guides which inputs are kept (atheris instruments ``lecture_studio``, ``pptx`` and
Pillow). An input fails the run when its import raises anything that is not a
``LectureStudioError`` (the CLI turns those into one sentence; anything else is a traceback),
gives a message of more than one line, keeps control characters in the lecture's text, or
writes, deletes, renames a file, starts a program or opens a connection (an import only reads;
checked with an audit hook). Findings are deduplicated by kind and top frame; the input of each
new one is saved in the crash folder with its traceback. A hang (over ``--timeout`` seconds) or
a memory blow-up (over ``--rss-mb``) ends the fuzzing process: it is saved as a finding too and
fuzzing restarts with the corpus kept so far.

Everything runs in a sandbox temporary folder (HOME, the cache and TMPDIR point inside it, and
the pictures outlines link to lie there); executions per second and the outcome of the inputs
of each kind (how many imported, how many were refused and why) are printed at the end.

    .venv/bin/python benchmarks/fuzz_importers.py --minutes 30 [--crashes DIR] [--corpus DIR]

Needs atheris (``pip install -e .[dev]``). Runs one fuzzing process: one core. Judged by the
number of findings, which should be 0.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEED_OUTLINES = [
    ROOT / "resources" / "sample-lecture" / "sample-lecture.md",
    *sorted((ROOT / "tests" / "data").glob("*.md")),
]
# The kind of an input is its first byte modulo the number of kinds; the rest is the file.
KINDS = (".pptx", ".md", ".txt", ".ppsx", ".potm", ".markdown")
DECK_KINDS = frozenset({".pptx", ".ppsx", ".potm"})
MAX_LEN = 3_000_000  # bytes; the largest seed deck is 1.4 MB
SEED_DECK_LIMIT = 1_500_000
# C0 and C1 control characters other than tab and newline must never reach the lecture's text.
CONTROL_CHARACTERS = frozenset(chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)])


# --- the sandbox ------------------------------------------------------------------------------
def png(width: int, height: int, pixels: bool = True) -> bytes:
    """A PNG of ``width`` x ``height``: grey pixels when ``pixels``, else only its header (which
    is all a size check reads)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    body = b""
    if pixels:
        body = chunk(b"IDAT", zlib.compress((b"\x00" + b"\x80" * width) * height))
    return b"\x89PNG\r\n\x1a\n" + header + body + chunk(b"IEND", b"")


def build_sandbox(root: Path) -> None:
    """The folders a fuzzed import sees: ``in/`` holds the input and what outlines link to."""
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("home", "tmp", "cache", "crashes", "artifacts", "corpus"):
        (root / name).mkdir()
    (folder / "pic.png").write_bytes(png(8, 6))
    (folder / "sub" / "pic.png").write_bytes(png(3, 3))
    (folder / "pic with space.png").write_bytes(png(2, 2))
    (folder / "bomb.png").write_bytes(png(30000, 30000, pixels=False))
    (folder / "notes.txt").write_text("not a picture\n")
    (folder / "empty.png").write_bytes(b"")
    (folder / "truncated.png").write_bytes(png(8, 6)[:40])
    (root / "outside.png").write_bytes(png(4, 4))
    os.symlink("/etc/hostname", folder / "link.png")
    os.symlink(root / "outside.png", folder / "outside-link.png")
    os.mkfifo(folder / "pipe.png")  # opening it would block: it must be refused unopened


def seed_decks() -> list[bytes]:
    """The shared corpus's decks plus small decks made here with what the corpus lacks."""
    decks = [
        path.read_bytes()
        for path in sorted(CORPUS.glob("*.pp[st]x"))
        if path.stat().st_size <= SEED_DECK_LIMIT
    ]
    return decks + built_decks()


def built_decks() -> list[bytes]:
    """Three small python-pptx decks: bullets and notes; a picture, a table, a group and a
    chart; a hidden slide at a custom size."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    def saved(deck) -> bytes:
        buffer = io.BytesIO()
        deck.save(buffer)
        return buffer.getvalue()

    first = Presentation()
    slide = first.slides.add_slide(first.slide_layouts[1])
    slide.shapes.title.text = "Cells"
    body = slide.placeholders[1].text_frame
    body.text = "Membrane"
    item = body.add_paragraph()
    item.text, item.level = "Lipid bilayer", 1
    slide.notes_slide.notes_text_frame.text = "Every cell has a membrane."
    first.core_properties.title = "Biology"

    second = Presentation()
    slide = second.slides.add_slide(second.slide_layouts[5])
    slide.shapes.title.text = "Data"
    slide.shapes.add_picture(io.BytesIO(png(8, 6)), Inches(1), Inches(1))
    table = slide.shapes.add_table(2, 2, Inches(4), Inches(1), Inches(4), Inches(1)).table
    for row in range(2):
        for column in range(2):
            table.cell(row, column).text = f"{row}{column}"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(1), Inches(5), Inches(2), Inches(1)).text = "grouped"
    group.shapes.add_picture(io.BytesIO(png(3, 3)), Inches(4), Inches(5))
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("s", (1, 2))
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(6), Inches(4), Inches(3), Inches(2), data
    ).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Growth"

    third = Presentation()
    third.slide_width, third.slide_height = Inches(4), Inches(3)
    for number in range(2):
        slide = third.slides.add_slide(third.slide_layouts[0])
        slide.shapes.title.text = f"Part {number}"
    third.slides[1]._element.set("show", "0")
    return [saved(first), saved(second), saved(third)]


def seed_outlines() -> list[bytes]:
    made = [
        b"# Title\n\n## One\n\n- a\n  - b\n\n![pic](pic.png)\n\nNote: say this\n",
        b"---\ntitle: T\nlang: ja\n---\n\n# A\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n<!-- n -->\n",
        b"Title\n- bullet\n  - nested\nnarration\n\nSecond\n* x\n",
    ]
    return made + [path.read_bytes() for path in SEED_OUTLINES if path.is_file()]


def write_seeds(folder: Path) -> int:
    """Write the seed inputs (kind byte + file) into the corpus folder; returns their count."""
    count = 0
    for data in seed_decks():
        (folder / f"seed-deck-{count}").write_bytes(bytes([KINDS.index(".pptx")]) + data)
        count += 1
    for data in seed_outlines():
        for kind in (".md", ".txt"):
            (folder / f"seed-outline-{count}").write_bytes(bytes([KINDS.index(kind)]) + data)
            count += 1
    return count


# --- the parent: runs the fuzzing process until the time is up --------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to fuzz")
    parser.add_argument(
        "--crashes",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lecture-studio-fuzz-crashes",
        help="where each finding's input and traceback are saved",
    )
    parser.add_argument(
        "--corpus", type=Path, help="keep the inputs coverage found worth keeping here (reused)"
    )
    parser.add_argument("--timeout", type=int, default=30, help="seconds before an input hangs")
    parser.add_argument("--rss-mb", type=int, default=4096, help="memory limit of the fuzzer")
    parser.add_argument("--seed", type=int, default=0, help="libFuzzer's seed (0: random)")
    args = parser.parse_args(argv)
    try:
        import atheris  # noqa: F401  (only the fuzzing process uses it)
    except ImportError:
        print("fuzz_importers: atheris is not installed; run: pip install -e .[dev]")
        return 2

    sandbox = Path(tempfile.mkdtemp(prefix="lecture-studio-fuzz-")).resolve()
    build_sandbox(sandbox)
    corpus = args.corpus.resolve() if args.corpus else sandbox / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = write_seeds(sandbox / "corpus")
    args.crashes.mkdir(parents=True, exist_ok=True)
    print(f"sandbox {sandbox}; {seeds} seed inputs; findings saved in {args.crashes}")
    env = dict(os.environ)
    env.update(
        HOME=str(sandbox / "home"),
        XDG_CACHE_HOME=str(sandbox / "cache"),
        XDG_DATA_HOME=str(sandbox / "home" / "data"),
        XDG_CONFIG_HOME=str(sandbox / "home" / "config"),
        TMPDIR=str(sandbox / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    deadline = time.time() + args.minutes * 60
    runs = 0
    try:
        while time.time() < deadline - 5:
            runs += 1
            command = [
                sys.executable,
                __file__,
                "--fuzz-process",
                str(sandbox),
                str(deadline),
                str(args.crashes.resolve()),
                f"-timeout={args.timeout}",
                f"-rss_limit_mb={args.rss_mb}",
                f"-max_len={MAX_LEN}",
                f"-artifact_prefix={sandbox / 'artifacts'}/",
                "-print_final_stats=0",
                f"-seed={args.seed + runs - 1 if args.seed else 0}",
                str(corpus),
            ]
            if corpus != sandbox / "corpus":
                command.append(str(sandbox / "corpus"))
            with open(sandbox / "libfuzzer.log", "ab") as log:
                code = subprocess.run(
                    command, cwd=sandbox / "in", env=env, stdin=subprocess.DEVNULL, stderr=log
                ).returncode
            if code != 0 and not _collect_artifacts(sandbox, args.crashes, code):
                log = (sandbox / "libfuzzer.log").read_text(errors="replace")
                print(f"the fuzzing process failed (exit {code}):\n{log[-3000:]}")
                break
    finally:
        findings = _summary(sandbox, runs)
        shutil.rmtree(sandbox, ignore_errors=True)
    return 1 if findings else 0


def _collect_artifacts(sandbox: Path, crashes: Path, code: int) -> int:
    """Save what libFuzzer left when it stopped the process (a hang, memory), as findings;
    returns how many it left (none: the process failed for another reason)."""
    state = _State.load(sandbox)
    artifacts = sorted((sandbox / "artifacts").iterdir())
    for artifact in artifacts:
        kind = artifact.name.split("-")[0]  # timeout, oom, crash, leak, slow-unit
        data = artifact.read_bytes()
        suffix = KINDS[data[0] % len(KINDS)] if data else ".bin"
        key = f"{kind} (exit {code})|{suffix}"
        description = {
            "timeout": "an import ran past --timeout seconds",
            "oom": "an import went past --rss-mb of memory",
        }.get(kind, f"libFuzzer stopped with {kind}")
        tail = (sandbox / "libfuzzer.log").read_text(errors="replace")[-3000:]
        state.record(key, description, data[1:], suffix, crashes, tail)
        artifact.unlink()
    state.save()
    return len(artifacts)


def _summary(sandbox: Path, runs: int) -> int:
    """Print the figures of the run; returns the number of findings."""
    state = _State.load(sandbox)
    seconds = max(state.seconds, 1e-9)
    total = sum(state.execs.values())
    print(
        f"\n{total} executions in {seconds / 60:.1f} min of fuzzing ({runs} process runs): "
        f"{total / seconds:.1f}/s"
    )
    for kind in KINDS:
        count = state.execs.get(kind, 0)
        if not count:
            continue
        outcomes = state.outcomes.get(kind, {})
        print(f"  {kind:<10} {count:>8} executions ({count / seconds:.1f}/s):")
        for name, n in sorted(outcomes.items(), key=lambda x: -x[1]):
            print(f"      {n / count:6.1%} {name}")
    log = sandbox / "libfuzzer.log"
    failures = log.read_text(errors="replace").count("mutator failed") if log.is_file() else 0
    if failures:  # each fell back to libFuzzer's byte mutation: see the log's lines
        print(f"the structure-aware mutator failed on {failures} inputs")
    print(f"{len(state.findings)} findings")
    for key, finding in state.findings.items():
        print(f"  {finding['count']:>6} x {key.split('|')[0]}: {finding['message'][:200]}")
        print(f"           input: {finding['file']}")
    return len(state.findings)


class _State:
    """Counts and findings, kept in the sandbox so that they survive a restarted process."""

    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.execs: dict[str, int] = data.get("execs", {})
        self.outcomes: dict[str, dict[str, int]] = data.get("outcomes", {})
        self.findings: dict[str, dict] = data.get("findings", {})
        self.seconds: float = data.get("seconds", 0.0)

    @classmethod
    def load(cls, sandbox: Path) -> _State:
        path = sandbox / "state.json"
        return cls(path, json.loads(path.read_text()) if path.is_file() else {})

    def save(self) -> None:
        data = {
            "execs": self.execs,
            "outcomes": self.outcomes,
            "findings": self.findings,
            "seconds": self.seconds,
        }
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        temporary.replace(self.path)

    def record(
        self, key: str, message: str, payload: bytes, suffix: str, crashes: Path, details: str
    ) -> bool:
        """Count a finding; a new one is printed and its input saved. True when new."""
        if key in self.findings:
            self.findings[key]["count"] += 1
            return False
        digest = hashlib.sha1(payload).hexdigest()[:10]
        name = key.split("|")[0].split(" ")[0].replace("/", "_").replace(":", "_")
        file = crashes / f"{suffix.lstrip('.')}-{name}-{digest}{suffix}"
        file.write_bytes(payload)
        file.with_suffix(file.suffix + ".txt").write_text(
            f"{key}\n{message}\n\n{details}\n\nOutlines link to pictures in the fuzzer's sandbox "
            "(pic.png, sub/pic.png, bomb.png, link.png -> /etc/hostname, pipe.png a FIFO...): "
            "see build_sandbox in benchmarks/fuzz_importers.py.\n"
        )
        self.findings[key] = {"count": 1, "message": message, "file": str(file)}
        print(f"NEW FINDING {key.split('|')[0]}: {message[:300]}\n  input: {file}", flush=True)
        return True


# --- the fuzzing process ----------------------------------------------------------------------
class _Watch:
    """An audit hook that lists what an import does beyond reading files: writes, deletions,
    renames, new folders, programs started, connections. Active only around ``import_path``."""

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    PATH_EVENTS = frozenset(
        {
            "os.mkdir",
            "os.remove",
            "os.rmdir",
            "os.rename",
            "os.replace",
            "os.symlink",
            "os.link",
            "os.truncate",
            "os.chmod",
            "os.chown",
            "os.utime",
            "shutil.copyfile",
            "shutil.rmtree",
            "shutil.move",
        }
    )
    PROCESS_EVENTS = frozenset(
        {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
    )
    NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "urllib.Request"})

    def __init__(self, sandbox: Path) -> None:
        self.sandbox = str(sandbox)
        self.active = False
        self.seen: list[tuple[str, str]] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & self.WRITE_FLAGS
            )
            if writing and not isinstance(path, int):
                self.seen.append((f"opened for writing ({mode or flags})", self._where(path)))
        elif event in self.PATH_EVENTS:
            self.seen.append((event, self._where(args[0] if args else "")))
        elif event in self.PROCESS_EVENTS or event in self.NETWORK_EVENTS:
            self.seen.append((event, repr(args)[:200]))

    def _where(self, path: object) -> str:
        try:
            real = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return repr(path)
        inside = real == self.sandbox or real.startswith(self.sandbox + os.sep)
        return real if inside else f"OUTSIDE THE SANDBOX: {real}"


def fuzz_process(argv: list[str]) -> None:
    """The process libFuzzer drives: ``SANDBOX DEADLINE CRASHES [libFuzzer arguments]``."""
    sandbox, deadline, crashes = Path(argv[0]), float(argv[1]), Path(argv[2])
    sys.dont_write_bytecode = True
    import atheris

    with atheris.instrument_imports(include=["lecture_studio", "pptx", "PIL"]):
        from lecture_studio.errors import LectureStudioError
        from lecture_studio.importers import import_path
        from lecture_studio.text import main_language

    # py3langid writes its model to a temporary file when it first loads it: done here, before
    # the watch begins, as it happens once per process whatever the input.
    main_language(["Photosynthesis turns light into sugar."])
    mutator = Mutator(seed_decks(), seed_outlines())
    state = _State.load(sandbox)
    watch = _Watch(sandbox)
    folder = sandbox / "in"
    inputs = {kind: folder / f"input{kind}" for kind in KINDS}
    clock = {"start": time.perf_counter(), "saved": time.perf_counter(), "printed": time.time()}
    seconds_before = state.seconds

    def save_state() -> None:
        now = time.perf_counter()
        state.seconds = seconds_before + now - clock["start"]
        clock["saved"] = now
        state.save()

    def one_input(data: bytes) -> None:
        if not data:
            return
        kind = KINDS[data[0] % len(KINDS)]
        payload = data[1:]
        path = inputs[kind]
        path.write_bytes(payload)
        before = set(os.listdir(folder))
        watch.seen.clear()
        watch.active = True
        problems: list[tuple[str, str, str]] = []  # (key, message, details)
        try:
            project = import_path(path)
        except LectureStudioError as error:
            outcome = f"{type(error).__name__} ({_raised_in(error)})"
            message = error.message
            if "\n" in message or not message.strip():
                frame = traceback.extract_tb(error.__traceback__)[-1]
                problems.append(
                    (
                        f"{outcome} message is not one line at {_frame(frame)}",
                        repr(message[:500]),
                        "".join(traceback.format_exception(error)),
                    )
                )
        except Exception as error:  # the finding this fuzzer is for
            outcome = "escaping exception"
            frame = traceback.extract_tb(error.__traceback__)[-1]
            problems.append(
                (
                    f"{type(error).__name__} at {_frame(frame)}",
                    f"{type(error).__name__}: {error}"[:500],
                    "".join(traceback.format_exception(error)),
                )
            )
        else:
            outcome = "imported"
            bad = _control_characters(project)
            if bad:
                problems.append(
                    (f"control character kept in {bad[0]}", f"{bad[0]}: {bad[1]!r}"[:500], "")
                )
            for warning in project.warnings:
                if "\n" in warning:  # the CLI prints each warning as one line
                    problems.append(("a warning is not one line", repr(warning[:500]), ""))
                    break
        finally:
            watch.active = False
        for event, where in watch.seen:
            outside = "OUTSIDE THE SANDBOX" in where
            label = "wrote outside the sandbox" if outside else "wrote in the sandbox"
            problems.append((f"{label}: {event}", f"{event} {where}", ""))
        appeared = set(os.listdir(folder)) - before
        if appeared:
            problems.append(("a file appeared beside the input", ", ".join(sorted(appeared)), ""))
            for name in appeared:
                _remove(folder / name)
        counts = state.outcomes.setdefault(kind, {})
        counts[outcome] = counts.get(outcome, 0) + 1
        state.execs[kind] = state.execs.get(kind, 0) + 1
        new = False
        for key, message, details in problems:
            new |= state.record(f"{key}|{kind}", message, payload, kind, crashes, details)
        now = time.perf_counter()
        if new or now - clock["saved"] > 5:
            save_state()
        if time.time() - clock["printed"] > 60:
            clock["printed"] = time.time()
            total = sum(state.execs.values())
            print(
                f"[{state.seconds / 60:5.1f} min] {total} executions "
                f"({total / max(state.seconds, 1e-9):.1f}/s), {len(state.findings)} findings",
                flush=True,
            )
        if time.time() >= deadline:
            save_state()
            os._exit(0)

    def mutate(data: bytes, max_size: int, seed: int) -> bytes:
        try:
            with warnings.catch_warnings():  # zipfile warns of the duplicate names we add
                warnings.simplefilter("ignore")
                result = mutator.mutate(data, random.Random(seed))
        except Exception as error:  # a mutator bug must not stop the run: say it, fall back
            print(f"mutator failed: {type(error).__name__}: {error}", file=sys.stderr)
            result = atheris.Mutate(data, max_size)
        return result if len(result) <= max_size else atheris.Mutate(data, max_size)

    atheris.Setup([sys.argv[0], *argv[3:]], one_input, custom_mutator=mutate)
    atheris.Fuzz()


def _frame(frame: traceback.FrameSummary) -> str:
    try:
        where = str(Path(frame.filename).resolve().relative_to(ROOT))
    except ValueError:
        where = "/".join(Path(frame.filename).parts[-2:])
    return f"{where}:{frame.lineno} in {frame.name}"


def _raised_in(error: BaseException) -> str:
    """The Lecture Studio function that raised ``error``: where the input was stopped."""
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if "lecture_studio" in f.filename
    ]
    return frames[-1].name if frames else "?"


def _control_characters(project) -> tuple[str, str] | None:
    """Where the lecture's text keeps a control character, if anywhere: (what, the text)."""
    lecture = project.lecture
    texts = [("the lecture title", lecture.title)]
    texts.extend(("a warning", warning) for warning in project.warnings)
    for number, slide in enumerate(lecture.slides, start=1):
        texts.append((f"slide {number}'s title", slide.title))
        texts.append((f"slide {number}'s script", slide.script))
        texts.append((f"slide {number}'s notes", slide.notes))
        texts.extend((f"slide {number}'s picture", p.description) for p in slide.pictures)
        texts.extend((f"slide {number}'s text", text) for text in slide.shown_texts())
    for what, text in texts:
        if text and not CONTROL_CHARACTERS.isdisjoint(text):
            return what, text
    return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# --- the mutators -----------------------------------------------------------------------------
NUMBERS = [
    "0", "-1", "-5", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
    "99999999999999999999999999", "51206400", "1e10", "1.5", "-0", "+7", " 12 ", "0x1F", "",
    "abc", "NaN", "inf", "١٢٣", "12abc", "true", "false", "中文", "\u202e",
]  # fmt: skip
TEXTS = [
    "", " ", "\u202eevil\u202c", "שלום עולם", "مرحبا بالعالم", "日本語のテキスト。", "中文内容",
    "한국어", "😀" * 40, "a" * 30_000, "word " * 5000, "\t\t", "Note: x", "<!-- -->",
    "\ufeffbom", "\u200bzero width", "x\u2028y\u2029z", "_x0000_", "_x001B_[31mred", "_x000B_",
    "_xD800_", "_x0085_next line", "&amp;", "# heading", "e\u0301\u0301\u0301",
]  # fmt: skip
# Raw bytes put into serialized XML: most make it invalid XML (a CorruptFileError is right).
RAW_XML = [b"\x00", b"\x01", b"\x1b[31m", b"&#x1;", b"&#0;", b"&#x1B;", b"&#xFFFE;", b"\xff\xfe"]
TARGETS = [
    "../../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
    "http://example.invalid/a.png", "\\\\server\\share\\a.png", "", ".", "..", "media/",
    "slides/slide1.xml", "../slides/slide1.xml", "/ppt/presentation.xml",
    "../../[Content_Types].xml", "a" * 300, "%2e%2e/%2e%2e/etc/passwd", "media/image1.png#x",
    "../media/image1.png", "../media/image1.png?x", "C:/Windows/win.ini", "/proc/self/mem",
    "../notesSlides/notesSlide1.xml", "../charts/chart1.xml", "../slideLayouts/slideLayout1.xml",
]  # fmt: skip
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_TYPES = [
    _R + name
    for name in (
        "slide", "slideLayout", "slideMaster", "notesSlide", "image", "chart", "hyperlink",
        "officeDocument", "theme", "notesMaster", "media", "video", "oleObject", "nonsense",
    )
]  # fmt: skip
CONTENT_TYPES = [
    "image/png", "image/jpeg", "image/x-emf", "application/xml", "text/plain", "",
    "application/vnd.openxmlformats-officedocument.presentationml.slide+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
]  # fmt: skip
# Attributes the importer or python-pptx read: set on random elements with hostile values.
ATTRIBUTES = [
    "cx", "cy", "x", "y", "lvl", "type", "idx", "show", "sz", "val", "id", "name", "descr",
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed",
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link",
]  # fmt: skip
LINES = [
    "# Title", "## Slide", "### deep", "###### six", "#", "## ", "---", "***", "___", "- bullet",
    "    - nested", "\t* tab", "        + deeper", "1. numbered", "999999999. x", "0) zero",
    "| a | b |", "|---|---|", "|", "||", "```", "~~~", "```python", "<!--", "-->",
    "<!-- note -->", "<!-- _class: lead -->", "<!-- paginate: true -->", "Note:", "Notes: x",
    "note:", "", "   ", "title: front", "lang: xx-YY", "lang: ja", "---\ntitle: T\n---",
    "- ![alt](pic.png)", "text with **bold** and `code` and [link](x)", "\\# escaped",
    "<b>html</b>", "> quote", "* * *", "- [ ] task", "x" * 50_000, "- " + "y" * 20_000,
]  # fmt: skip
PICTURE_PATHS = [
    "pic.png", "./sub/pic.png", "sub/pic.png", "../outside.png", "outside-link.png",
    "/etc/passwd", "/etc/hostname", "~/x.png", "~nosuchuser/x.png", "~", "link.png",
    "bomb.png", "notes.txt", "sub", "", "<pic with space.png>", "pic%20with%20space.png",
    "%2e%2e/outside.png", "%00.png", "pic.png%00.txt", "C:\\x.png", "c:/x.png",
    "file:///etc/passwd", "http://example.invalid/y.png", "data:image/png;base64,AAAA",
    "a" * 5000 + ".png", "/dev/zero", "/dev/stdin", "/proc/self/mem", "/proc/self/fd/0",
    "pipe.png", "empty.png", "truncated.png", "/", ".", "..", "sub/", "\\\\server\\x.png",
    "pic.png#frag", "pic.png?x=1", "𝒳.png", "%ZZ.png", "%", "/nonexistent/dir/x.png",
]  # fmt: skip
ODD_BYTES = [
    b"\x00", b"\x00\x00\x00", b"\x01\x02", b"\x1b[2J", b"\x7f", b"\xc2\x85", b"\r", b"\r\n",
    b"\x0b", b"\x0c", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    "\u202e".encode(), "\u2028".encode(), "日本語".encode(), "مرحبا".encode(),
]  # fmt: skip


def picture_bytes(rng: random.Random) -> bytes:
    """A picture part's replacement: a bomb header, an absurd header, a damaged or real
    picture, a vector or not a picture at all."""
    huge = rng.choice([0, 1, 30000, 65535, 2**31 - 1, 2**32 - 1])
    other = rng.choice([1, 30000, 65535, 2**31 - 1])
    choices = [
        lambda: png(huge, other, pixels=False),
        lambda: png(8, 6),
        lambda: png(8, 6)[: rng.randrange(8, 60)],
        lambda: b"GIF89a" + struct.pack("<HH", huge & 0xFFFF, other & 0xFFFF) + b"\x00" * 7,
        lambda: (
            b"BM"
            + struct.pack("<IHHI", 70, 0, 0, 54)
            + struct.pack("<IiiHHI", 40, huge & 0x7FFFFFFF, -(other & 0x7FFFFFFF), 1, 24, 0)
            + b"\x00" * 20
        ),
        lambda: (
            b"\xff\xd8\xff\xc0\x00\x11\x08"
            + struct.pack(">HH", huge & 0xFFFF, other & 0xFFFF)
            + b"\x03"
            + b"\x01\x22\x00" * 3
        ),
        lambda: (
            b"II*\x00\x08\x00\x00\x00\x02\x00"
            + struct.pack("<HHII", 256, 4, 1, huge)
            + struct.pack("<HHII", 257, 4, 1, other)
            + b"\x00\x00\x00\x00"
        ),
        lambda: (
            b"RIFF"
            + struct.pack("<I", 30)
            + b"WEBPVP8X"
            + struct.pack("<I", 10)
            + b"\x00" * 4
            + (huge & 0xFFFFFF).to_bytes(3, "little")
            + (other & 0xFFFFFF).to_bytes(3, "little")
        ),
        lambda: b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + os.urandom(40),
        lambda: b"\xd7\xcd\xc6\x9a" + os.urandom(30),
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="99999999" height="1"/>',
        lambda: b"%PDF-1.4\n%%EOF",
        lambda: b"",
        lambda: b"hello, not a picture",
        lambda: os.urandom(rng.randrange(1, 300)),
        lambda: b"8BPS\x00\x01" + b"\x00" * 6 + struct.pack(">HIIHH", 3, huge, other, 8, 3),
        lambda: b"\x00\x00\x01\x00\x01\x00" + bytes([0, 0, 0, 0]) + b"\x00" * 8,
    ]
    return rng.choice(choices)()


class Mutator:
    """Structure-aware mutation of the fuzz inputs: the kind byte, then a deck or an outline."""

    def __init__(self, decks: list[bytes], outlines: list[bytes]) -> None:
        self.decks = decks
        self.outlines = outlines
        self.parts: list[tuple[str, bytes]] = []  # members of the seed decks, for grafting
        for deck in decks:
            try:
                with zipfile.ZipFile(io.BytesIO(deck)) as archive:
                    for info in archive.infolist():
                        if info.file_size < 300_000:
                            self.parts.append((info.filename, archive.read(info)))
            except (zipfile.BadZipFile, zlib.error, EOFError):  # the corpus's damaged deck
                continue
        self.lines = [line for text in outlines for line in text.split(b"\n") if line.strip()]

    def mutate(self, data: bytes, rng: random.Random) -> bytes:
        kind_byte = data[0] if data else 0
        payload = data[1:]
        roll = rng.random()
        if roll < 0.02:  # another kind: a deck named .md, an outline named .pptx...
            kind_byte = rng.randrange(256)
        elif roll < 0.03:
            kind_byte = rng.randrange(len(KINDS))
            payload = (
                rng.choice(self.decks)
                if KINDS[kind_byte] in DECK_KINDS
                else rng.choice(self.outlines)
            )
        kind = KINDS[kind_byte % len(KINDS)]
        if kind in DECK_KINDS and payload.startswith(b"PK"):
            payload = self.mutate_deck(payload, rng)
        elif kind in DECK_KINDS:
            payload = _byte_mutation(payload, rng)
        else:
            payload = self.mutate_outline(payload, rng)
        return bytes([kind_byte]) + payload

    # --- decks ---------------------------------------------------------------------------
    def mutate_deck(self, data: bytes, rng: random.Random) -> bytes:
        if rng.random() < 0.05:  # raw bytes: the zip checks get fuzzed too
            return _byte_mutation(data, rng)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [(info, archive.read(info)) for info in archive.infolist()]
        except Exception:  # a damaged zip from an earlier byte mutation: start from a seed
            return rng.choice(self.decks)
        members = [(info.filename, body) for info, body in members]
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            members = self.mutate_members(members, rng)
        buffer = io.BytesIO()
        method = zipfile.ZIP_STORED if rng.random() < 0.8 else zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, body in members:
                archive.writestr(name, body)
        return buffer.getvalue()

    def mutate_members(
        self, members: list[tuple[str, bytes]], rng: random.Random
    ) -> list[tuple[str, bytes]]:
        if not members:
            return list(rng.choice(self.parts) for _ in range(3))
        members = list(members)
        xml = [i for i, (name, _) in enumerate(members) if name.endswith((".xml", ".rels"))]
        media = [i for i, (name, _) in enumerate(members) if "/media/" in name]
        roll = rng.random()
        if roll < 0.6 and xml:
            # Slides, their relationships and the presentation part matter most.
            weighted = [i for i in xml if _important(members[i][0])] * 3 + xml
            index = rng.choice(weighted)
            name, body = members[index]
            members[index] = (name, self.mutate_xml(name, body, rng))
        elif roll < 0.75:
            if media:
                index = rng.choice(media)
                members[index] = (members[index][0], picture_bytes(rng))
            else:
                members.append((f"ppt/media/image{rng.randrange(9)}.png", picture_bytes(rng)))
        elif roll < 0.8:
            del members[rng.randrange(len(members))]
        elif roll < 0.85:  # a copy under another name, or another member's content
            name, body = rng.choice(members)
            if rng.random() < 0.5:
                members.append((name.replace(".xml", f"{rng.randrange(99)}.xml"), body))
            else:
                index = rng.randrange(len(members))
                members[index] = (members[index][0], body)
        elif roll < 0.92:  # a part of another deck, under its name or over one of ours
            name, body = rng.choice(self.parts)
            if rng.random() < 0.5:
                members = [m for m in members if m[0] != name] + [(name, body)]
            else:
                index = rng.randrange(len(members))
                members[index] = (members[index][0], body)
        elif roll < 0.95:  # odd member names
            odd = rng.choice(
                [
                    "../evil.xml",
                    "/abs.xml",
                    "ppt/slides/../../x.xml",
                    "a" * 250,
                    "ppt\\slides\\slide9.xml",
                    "ppt/slides/slide1.xml",
                ]
            )
            members.append((odd, rng.choice(members)[1]))
        else:
            index = rng.randrange(len(members))
            name, body = members[index]
            members[index] = (name, _byte_mutation(body, rng))
        return members

    def mutate_xml(self, name: str, body: bytes, rng: random.Random) -> bytes:
        from lxml import etree

        try:
            root = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            return _byte_mutation(body, rng)
        elements = list(root.iter(etree.Element))
        element = rng.choice(elements)
        roll = rng.random()
        raw = None
        if name.endswith(".rels") and roll < 0.5:
            relationship = rng.choice(elements[1:] or elements)
            what = rng.random()
            if what < 0.5:
                relationship.set("Target", rng.choice(TARGETS))
            elif what < 0.65:
                relationship.set("TargetMode", rng.choice(["External", "Internal", "x"]))
            elif what < 0.85:
                relationship.set("Type", rng.choice(REL_TYPES))
            else:
                relationship.set("Id", rng.choice(["rId1", "rId2", "", "rId999"]))
        elif name == "[Content_Types].xml" and roll < 0.5:
            element.set("ContentType", rng.choice(CONTENT_TYPES))
        elif roll < 0.35 and element.attrib:
            key = rng.choice(list(element.attrib))
            element.set(key, rng.choice(NUMBERS + TEXTS[:6] + ["two\nlines", "a\r\nb\tc"]))
        elif roll < 0.45:
            element.set(rng.choice(ATTRIBUTES), rng.choice(NUMBERS + ["rId1", "rId2", "rId99"]))
        elif roll < 0.55 and element.attrib:
            del element.attrib[rng.choice(list(element.attrib))]
        elif roll < 0.65 and element is not root:
            element.getparent().remove(element)
        elif roll < 0.75 and element is not root:
            element.addnext(copy.deepcopy(element))
        elif roll < 0.8 and element is not root:  # moved under another element
            target = rng.choice(elements)
            if element not in list(target.iterancestors()) and target is not element:
                element.getparent().remove(element)
                target.append(element)
        elif roll < 0.95:
            texts = [e for e in elements if e.text and e.text.strip()] or elements
            rng.choice(texts).text = rng.choice(TEXTS)
        else:
            raw = rng.choice(RAW_XML)
            texts = [e for e in elements if e.text and e.text.strip()] or elements
            rng.choice(texts).text = "\u2603RAW\u2603"
        result = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if raw is not None:
            result = result.replace("\u2603RAW\u2603".encode(), raw)
        return result

    # --- outlines ------------------------------------------------------------------------
    def mutate_outline(self, data: bytes, rng: random.Random) -> bytes:
        if rng.random() < 0.8:  # most inputs stay UTF-8, or few would get past decoding
            data = data.decode("utf-8", errors="ignore").encode("utf-8")
        lines = data.split(b"\n")
        for _ in range(rng.choice([1, 1, 2, 3, 6])):
            roll = rng.random()
            at = rng.randrange(len(lines) + 1)
            if roll < 0.25:
                lines.insert(at, rng.choice(LINES).encode())
            elif roll < 0.4:
                alt = rng.choice(["", "alt", "a]b", "日本", "\u202e"])
                target = rng.choice(PICTURE_PATHS)
                prefix = rng.choice(["", "- ", "text ", "| "])
                lines.insert(at, f"{prefix}![{alt}]({target})".encode())
            elif roll < 0.5 and self.lines:
                lines.insert(at, rng.choice(self.lines))
            elif roll < 0.6 and len(lines) > 1:
                del lines[rng.randrange(len(lines))]
            elif roll < 0.67 and lines:
                lines.insert(at, rng.choice(lines))
            elif roll < 0.72 and len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            elif roll < 0.8 and lines:  # odd bytes inside a line
                i = rng.randrange(len(lines))
                cut = rng.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:cut] + rng.choice(ODD_BYTES) + lines[i][cut:]
            elif roll < 0.86 and lines:  # indentation
                i = rng.randrange(len(lines))
                lines[i] = rng.choice([b"  ", b"    ", b"\t", b" \t", b"      "]) + lines[i]
            elif roll < 0.95 and lines:
                i = rng.randrange(len(lines))
                lines[i] = _byte_mutation(lines[i], rng)
            else:
                return _byte_mutation(b"\n".join(lines), rng)
        separator = b"\n" if rng.random() < 0.95 else rng.choice([b"\r\n", b"\r"])
        return separator.join(lines)


def _important(name: str) -> bool:
    return name.startswith(("ppt/slides/", "ppt/presentation.xml", "ppt/_rels/", "_rels/")) or (
        name == "[Content_Types].xml"
    )


def _byte_mutation(data: bytes, rng: random.Random) -> bytes:
    """libFuzzer's own byte-level mutations (bit flips, inserted and erased bytes...)."""
    import atheris

    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return atheris.Mutate(data, max(len(data) * 2, 64))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--fuzz-process":
        fuzz_process(sys.argv[2:])
    else:
        sys.exit(main())

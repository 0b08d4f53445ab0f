"""The ``lecture-studio`` command: the headless face of the core (import, info, render, export)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from .. import __version__
from ..errors import Cancelled, LectureStudioError
from ..jobs import CancelToken
from .commands import add_commands
from .plugin_commands import add_no_plugins_flag, apply_no_plugins

EPILOG = """\
exit status:
  0  success
  1  the job failed (rendering or writing the video); the message says why
  2  bad input or usage: the file cannot be read as a deck, outline or project
  130  cancelled (Ctrl-C); nothing half-written is left behind
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lecture-studio",
        description="Turn a PowerPoint deck or an outline into a narrated lecture video.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lecture-studio {__version__}")
    add_no_plugins_flag(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_commands(sub, EPILOG)
    return parser


class _WarningLine(logging.Handler):
    """Prints a log record as one ``warning: ...`` line on the current stderr (no logger name,
    no traceback): the same form as the commands' own warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = " ".join(record.getMessage().split())
            label = "warning" if record.levelno < logging.ERROR else "error"
            print(f"{label}: {text}", file=sys.stderr)
        except Exception:  # a record that cannot be printed must not stop the job
            self.handleError(record)


def configure_logging(quiet: bool) -> None:
    """Route the core's log warnings (damaged cache entries, fallbacks) to readable lines;
    with ``quiet`` only errors print. Called once per run, at this edge only."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _WarningLine)]:
        root.removeHandler(handler)
    handler = _WarningLine(logging.ERROR if quiet else logging.WARNING)
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(getattr(args, "quiet", False))
    apply_no_plugins(args)
    cancel = CancelToken()

    def on_interrupt(signum: int, frame: object) -> None:
        if cancel.cancelled:  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        return int(args.run(args, cancel) or 0)
    except Cancelled:
        print("Cancelled; nothing was written.", file=sys.stderr)
        return Cancelled.exit_code
    except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return Cancelled.exit_code
    except LectureStudioError as exc:
        print(f"lecture-studio: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:
        print(
            f"lecture-studio: {exc.filename or exc} does not exist; check the path.",
            file=sys.stderr,
        )
        return 2
    finally:
        signal.signal(signal.SIGINT, previous)

"""``lecture-studio cache info|clear``: what the app keeps in its cache folder, and emptying
it; thin calls into ``lecture_studio.cache``."""

from __future__ import annotations

import argparse

from ..cache import KIND_NAMES, Removed, cache_root, clear, usage
from ..jobs import CancelToken
from .arguments import add_subcommand


def add_cache_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``cache info`` and ``cache clear`` to the CLI's subcommands."""

    parser = add_subcommand(
        sub,
        "cache",
        "Show what the cache holds (converted decks, narration, encoded pieces), or clear it.",
        epilog,
    )
    actions = parser.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    info = actions.add_parser(
        "info",
        help="each cache folder: its kind, path, entries, size and size limit",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.set_defaults(run=cmd_cache_info)
    clearing = actions.add_parser(
        "clear",
        help="remove the cache's entries (everything the app can make again); nothing "
        "outside the cache folder is touched",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    clearing.add_argument(
        "--kind", choices=KIND_NAMES, help="clear only this kind of entry (default: every kind)"
    )
    clearing.set_defaults(run=cmd_cache_clear)


def human_size(size: int) -> str:
    """``size`` bytes as a person reads it: 512 B, 3.1 MiB, 2.0 GiB."""
    if size < 1024:
        return f"{size} B"
    amount = size / 1024
    for unit in ("KiB", "MiB"):
        if amount < 1024:
            return f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GiB"


def cmd_cache_info(args: argparse.Namespace, cancel: CancelToken) -> int:
    print(f"Cache folder: {cache_root()}")
    rows = [("KIND", "ENTRIES", "SIZE", "LIMIT", "PATH")]
    for folder in usage():
        limit = "none" if folder.kind.limit_bytes is None else human_size(folder.kind.limit_bytes)
        rows.append(
            (
                folder.kind.name,
                str(folder.entries),
                human_size(folder.size_bytes),
                limit,
                str(folder.path),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
            + "  "
            + row[-1]
        )
    return 0


def cmd_cache_clear(args: argparse.Namespace, cancel: CancelToken) -> int:
    removed: Removed = clear(args.kind)
    what = "entry" if removed.entries == 1 else "entries"
    if args.kind:
        what = f"{args.kind} {what}"
    kept = ""
    if removed.failed:
        kept = f"; {removed.failed} could not be removed (in use, or not permitted)"
    print(
        f"Removed {removed.entries} {what} ({human_size(removed.size_bytes)}) "
        f"from {cache_root()}{kept}."
    )
    return 1 if removed.failed else 0

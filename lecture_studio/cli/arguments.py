"""Pieces every subcommand's parser uses: a subcommand with its help, and a frame size."""

from __future__ import annotations

import argparse
import re


def add_subcommand(
    sub: argparse._SubParsersAction, name: str, help_text: str, epilog: str
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows its purpose and the exit statuses."""
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX]\s*(\d{2,5})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1920x1080")
    width, height = int(match[1]), int(match[2])
    if width % 2 or height % 2:
        raise argparse.ArgumentTypeError("width and height must be even numbers for H.264 video")
    return width, height

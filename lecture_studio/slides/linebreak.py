"""Line breaking for slide text: word wrap for Latin, any-character breaks for CJK with kinsoku."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text import breaks_anywhere, glue_kinsoku

_HARD_BREAKS = re.compile(r"\r\n|[\n\r\v\u2028\u2029]")


def break_units(text: str) -> list[str]:
    """``text`` cut into the pieces a line may break between.

    A Latin word, a run of spaces, or a single CJK character is one piece; a character that may
    not start a line is glued to the piece before it, and one that may not end a line to the
    piece after it.
    """
    atoms: list[str] = []
    for match in re.finditer(r"\s+|\S", text):
        piece = match.group()
        previous = atoms[-1] if atoms else ""
        word_goes_on = (
            previous
            and not piece.isspace()
            and not previous.isspace()
            and not breaks_anywhere(piece)
            and not breaks_anywhere(previous[-1])
        )
        if word_goes_on:
            atoms[-1] += piece
        else:
            atoms.append(piece)
    return glue_kinsoku(atoms)


def wrap_text(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """The lines ``text`` takes in ``max_width``, where ``measure(s)`` is the drawn width of s.

    Newlines (and PowerPoint's vertical tab) always break; spaces at a break are dropped; a piece
    wider than the whole line is split between characters.
    """
    lines: list[str] = []
    for segment in _HARD_BREAKS.split(text):
        lines.extend(_wrap_segment(segment, measure, max_width))
    return lines


def _wrap_segment(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for unit in break_units(text):
        if unit.isspace():
            if current:
                current += unit
            continue
        candidate = current + unit
        if not current or measure(candidate) <= max_width:
            current = candidate
        else:
            lines.append(current.rstrip())
            current = unit
        if measure(current) > max_width:
            pieces = _split_by_character(current, measure, max_width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
    lines.append(current.rstrip())
    return lines


def _split_by_character(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """A piece too wide for a line, split between characters (at least one per line)."""
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and measure(current + char) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces

"""Line breaking for slide text: word wrap for Latin, any-character breaks for CJK with kinsoku."""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters that must not start a line (行頭禁則): closing brackets and quotes, small kana,
# iteration and prolonged-sound marks, and punctuation that belongs to what precedes it.
NO_LINE_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー－）］｝」』】〕〉》〙〗〟’”｠»‥…〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ｧｨｩｪｫｯｬｭｮｰ｡｣､･"
    ",.;:!?)]}%"
)
# Characters that must not end a line (行末禁則): opening brackets and quotes.
NO_LINE_END = frozenset("（［｛「『【〔〈《〘〖〝‘“｟«｢([{")

_HARD_BREAKS = re.compile(r"\r\n|[\n\r\v\u2028\u2029]")


def is_cjk(char: str) -> bool:
    """True for characters between which a line may break with no space (Han, kana, CJK marks)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x2FDF  # radicals
        or 0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3100 <= code <= 0x31FF  # bopomofo, kana extensions
        or 0x3200 <= code <= 0x4DBF  # enclosed CJK, compatibility, extension A
        or 0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # halfwidth and fullwidth forms
        or 0x20000 <= code <= 0x3FFFF  # extensions B and later
    )


def contains_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


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
            and not is_cjk(piece)
            and not is_cjk(previous[-1])
        )
        if word_goes_on:
            atoms[-1] += piece
        else:
            atoms.append(piece)
    units: list[str] = []
    glue_next = False
    for atom in atoms:
        joinable = units and not atom.isspace() and not units[-1].isspace()
        if joinable and (glue_next or atom[0] in NO_LINE_START):
            units[-1] += atom
        else:
            units.append(atom)
        glue_next = not atom.isspace() and atom[-1] in NO_LINE_END
    return units


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

"""Japanese line-breaking rules (kinsoku shori): what may not start or end a line, for slides and
captions alike."""

from __future__ import annotations

from collections.abc import Iterable

NO_LINE_START = frozenset(
    # 行頭禁則: punctuation that belongs to what precedes it, closing brackets and quotes,
    # iteration and prolonged-sound marks, dashes and the percent sign
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー－‐–—〜～…‥％"
    "’”）〕］｝〉》」』】〙〗〟｠»"
    # small kana, full- and half-width
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ｧｨｩｪｫｯｬｭｮｰ｡｣､･"
    # their ASCII forms
    ",.;:!?)]}%"
)
"""Characters that must not start a line."""

NO_LINE_END = frozenset("（〔［｛〈《「『【〘〖〝｟«‘“｢([{")
"""Characters that must not end a line (行末禁則): opening brackets and quotes."""


def glue_kinsoku(pieces: Iterable[str]) -> list[str]:
    """Join breakable pieces so that none starts with a no-start character or ends with a
    no-end one: such a character sticks to its neighbour. Whitespace pieces never glue."""
    glued: list[str] = []
    attach_next = False
    for piece in pieces:
        if not piece:
            continue
        joinable = bool(glued) and not piece.isspace() and not glued[-1].isspace()
        if joinable and (attach_next or piece[0] in NO_LINE_START):
            glued[-1] += piece
        else:
            glued.append(piece)
        attach_next = not piece.isspace() and piece[-1] in NO_LINE_END
    return glued

"""Markdown's inline syntax (links, images, emphasis, code spans) and text without it."""

from __future__ import annotations

import re

IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
"""An inline image, ``![alt](path "title")``."""

LINK = re.compile(r"\[([^\]\[]*)\]\([^)]*\)")
"""An inline link, ``[words](url)``; group 1 holds the words."""

# Emphasis in CommonMark's spirit: ``**strong**``, ``__strong__``, ``~~strike~~``, ``*em*`` and
# ``_em_`` (an underscore inside a word, as in snake_case, is no mark), and code spans.
_EMPHASIS = (
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"__(.+?)__"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
)

MARK_CHARACTERS = "*_`#>[]~"
"""Characters that are Markdown syntax wherever they stand in a line."""


def strip_emphasis(text: str) -> str:
    """``text`` with emphasis, strike-through and code-span marks removed, their words kept."""
    for pattern, replacement in _EMPHASIS:
        text = pattern.sub(replacement, text)
    return text


def plain_inline(text: str) -> str:
    """One line of Markdown as plain text: images go, links keep their words, emphasis and code
    marks go, runs of whitespace become single spaces."""
    text = IMAGE.sub(" ", text)
    text = LINK.sub(r"\1", text)
    return " ".join(strip_emphasis(text).split())

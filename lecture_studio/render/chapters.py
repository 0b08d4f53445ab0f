"""YouTube chapter lists from slide titles and start times, and the NAME.chapters.txt writer."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .captions import write_text_atomic

MIN_CHAPTER_SECONDS = 10
"""YouTube ignores chapter lists with a chapter shorter than this."""

MIN_CHAPTERS = 3
"""YouTube needs at least this many chapters."""

MAX_TITLE_CHARS = 100
"""Longest chapter title kept; longer titles are cut at a word and end with an ellipsis."""

# Web addresses (with a scheme, "www.", or a bare host followed by a path) and e-mail addresses.
_ADDRESS = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ChapterResult:
    """Chapters as (start seconds, title), the first at 0; or None and the reason there are none.

    ``total`` is the lecture's length in seconds (it decides whether timestamps show hours).
    """

    chapters: list[tuple[float, str]] | None
    reason: str | None = None
    total: float = 0.0


@dataclass
class _Chapter:
    start: float
    end: float
    title: str

    @property
    def seconds(self) -> int:
        """Length as YouTube sees it: its timestamps are whole seconds, rounded down."""
        return math.floor(self.end) - math.floor(self.start)


def clean_chapter_title(title: str) -> str:
    """One trimmed line of at most ``MAX_TITLE_CHARS`` characters."""
    text = " ".join(title.split())
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text[: MAX_TITLE_CHARS - 1]
    if " " in cut[MAX_TITLE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def is_meaningful_title(text: str) -> bool:
    """Whether ``text`` can name a chapter: it has a letter or digit outside web addresses."""
    return any(ch.isalnum() for ch in _ADDRESS.sub(" ", text))


def chapter_title(title: str, texts: Sequence[str], number: int) -> str:
    """What a slide's chapter is called: its title; when that is empty or only a web address
    (a deck's first slide often shows just a link), the first of the slide's other ``texts``
    (bullets, table cells) that is not; else "Slide ``number``"."""
    for text in (title, *texts):
        if is_meaningful_title(text):
            return clean_chapter_title(text)
    return f"Slide {number}"


def _titled_chapters(entries: Sequence[tuple[float, str]], total: float) -> list[_Chapter]:
    """One chapter per titled slide; an untitled slide, or one repeating the title before it
    (a continued section), belongs to the chapter before it."""
    chapters: list[_Chapter] = []
    leading_untitled = False
    for index, (start, raw_title) in enumerate(entries):
        end = entries[index + 1][0] if index + 1 < len(entries) else total
        title = clean_chapter_title(raw_title)
        if chapters and (not title or title.casefold() == chapters[-1].title.casefold()):
            chapters[-1].end = end
        elif not title:
            leading_untitled = True  # slides before the first title join the first chapter
        else:
            chapters.append(_Chapter(start, end, title))
    if chapters and (leading_untitled or chapters[0].start > 0):
        chapters[0].start = 0.0
    return chapters


def _merge_short(chapters: list[_Chapter]) -> list[_Chapter]:
    """Chapters all at least ``MIN_CHAPTER_SECONDS`` long.

    A run of short slides that together last long enough becomes one chapter named after the
    first of them; a run too short for that joins the chapter before it. A short run at the very
    start (a title slide) joins the chapter after it and takes that chapter's title, since most
    of the merged chapter is that content; the merged chapter still starts at 0:00.
    """
    merged: list[_Chapter] = []
    pending: _Chapter | None = None  # short chapters gathered so far
    for chapter in chapters:
        if chapter.seconds >= MIN_CHAPTER_SECONDS:
            if pending is not None:
                if merged:
                    merged[-1].end = pending.end
                else:
                    chapter = _Chapter(pending.start, chapter.end, chapter.title)
                pending = None
            merged.append(chapter)
            continue
        if pending is None:
            pending = _Chapter(chapter.start, chapter.end, chapter.title)
        else:
            pending.end = chapter.end
        if pending.seconds >= MIN_CHAPTER_SECONDS:
            merged.append(pending)
            pending = None
    if pending is not None:
        if merged:
            merged[-1].end = pending.end
        else:
            merged.append(pending)
    return merged


def build_chapters(entries: Sequence[tuple[float, str]], total: float) -> ChapterResult:
    """YouTube chapters for a lecture, or the reason it cannot have any.

    ``entries`` are (start time in seconds, title) of the visible slides in order; ``total`` is
    the lecture's length. YouTube's rules: the first chapter at 0:00, at least
    ``MIN_CHAPTERS`` chapters, each at least ``MIN_CHAPTER_SECONDS`` long. Untitled slides and
    slides repeating the previous title join the chapter before them; short slides are merged
    (see ``_merge_short``); titles become one line of at most ``MAX_TITLE_CHARS`` characters.
    """
    starts = [start for start, _ in entries]
    if any(later < earlier for earlier, later in zip(starts, starts[1:], strict=False)):
        raise ValueError("chapter entries must be in time order")
    if any(start < 0 or start > total for start in starts):
        raise ValueError("chapter entries must start within the lecture")
    minimum_total = MIN_CHAPTERS * MIN_CHAPTER_SECONDS
    if total < minimum_total:
        return ChapterResult(
            None,
            f"The lecture lasts {total:.0f} s; YouTube chapters need at least {minimum_total} s "
            f"({MIN_CHAPTERS} chapters of {MIN_CHAPTER_SECONDS} s or more).",
            total,
        )
    chapters = _titled_chapters(entries, total)
    if not chapters:
        return ChapterResult(
            None, "No slide has a title to name a chapter; give the slides titles.", total
        )
    chapters = _merge_short(chapters)
    if len(chapters) < MIN_CHAPTERS:
        return ChapterResult(
            None,
            f"Only {len(chapters)} chapter(s) of {MIN_CHAPTER_SECONDS} s or more with distinct "
            f"titles; YouTube needs at least {MIN_CHAPTERS}: give more slides their own titles "
            "or longer narration.",
            total,
        )
    return ChapterResult([(chapter.start, chapter.title) for chapter in chapters], None, total)


def format_timestamp(seconds: float, with_hours: bool) -> str:
    """``M:SS``, or ``H:MM:SS`` when ``with_hours`` (whole seconds, rounded down)."""
    whole = math.floor(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if with_hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{hours * 60 + minutes}:{secs:02d}"


def format_chapters(chapters: Sequence[tuple[float, str]], total: float = 0.0) -> str:
    """One ``TIME Title`` line per chapter; hours shown when the lecture lasts an hour or more."""
    last = max([total, *(start for start, _ in chapters)])
    with_hours = last >= 3600
    return "".join(f"{format_timestamp(start, with_hours)} {title}\n" for start, title in chapters)


def write_chapters(result: ChapterResult, path: str | os.PathLike[str]) -> str | None:
    """Write NAME.chapters.txt atomically when the chapters are valid and return None;
    otherwise write nothing and return the reason."""
    if result.chapters is None:
        return result.reason or "The lecture has no chapters."
    write_text_atomic(path, format_chapters(result.chapters, result.total), "chapters file")
    return None

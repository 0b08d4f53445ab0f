"""Importing a Markdown or plain-text outline into a Project, one slide per heading or block.

Markdown: a ``#``/``##`` heading or a ``---`` separator (Marp) starts a slide; bullets keep their
nesting; ``![alt](file)`` pictures are copied into the project; narration comes from Marp-style
``<!-- comments -->`` (not Marp directives) and reveal.js-style ``Note:``/``Notes:`` blocks.
Plain text: blocks separated by blank lines; the first line is the title, ``-``/``*`` lines are
bullets, the other lines are the narration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..errors import EmptyDeckError, InputError, MissingAssetError, UnsupportedFormatError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture, Paragraph, Picture, Slide, SlideSource, Table, TextBlock
from ..pictures import read_picture_header
from ..project import Project
from ..text import main_language, normalize_language, plain_inline
from .safety import check_not_lock_file, read_input

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt"})
TAB_WIDTH = 4

# Marp directives are written as HTML comments too; these are settings, not speaker notes.
MARP_DIRECTIVES = frozenset(
    {
        "marp",
        "theme",
        "style",
        "headingdivider",
        "lang",
        "title",
        "author",
        "description",
        "image",
        "keywords",
        "url",
        "size",
        "math",
        "paginate",
        "header",
        "footer",
        "class",
        "backgroundcolor",
        "backgroundimage",
        "backgroundposition",
        "backgroundrepeat",
        "backgroundsize",
        "color",
        "transition",
    }
)

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_NOTES_START = re.compile(r"^\s*notes?:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^(\s*)([-*+])\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,9})[.)]\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)')
_DIRECTIVE_LINE = re.compile(r"^\s*_?([A-Za-z][\w-]*)\s*:")
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, data:... (not C:\ below)
_TEXT_BULLET = re.compile(r"^(\s*)([-*•])\s+(.*)$")
# Control characters other than tab and newline (NUL, escape, C1...): never meant as text, they
# would reach titles, narration and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_outline_text(path: Path) -> str:
    """The outline's text, decoded as UTF-8 (a byte-order mark is tolerated), with its line
    ends made ``\n`` and control characters other than tab and newline removed."""
    data = read_input(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormatError(
            f"{path.name} is not UTF-8 text (byte {exc.start} cannot be read); "
            "save it as UTF-8 in your editor and import it again."
        ) from exc
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def import_markdown(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Read a Markdown outline (Marp and reveal.js conventions tolerated) into a new Project."""
    path = Path(path)
    check_not_lock_file(path)
    progress(0.0, f"Reading {path.name}")
    text = read_outline_text(path)
    outline = _MarkdownOutline()
    outline.parse(text)
    drafts = [draft for draft in outline.drafts if not draft.is_empty()]
    if not drafts:
        raise EmptyDeckError(
            f"{path.name} has no slides; start each slide with a '# ' or '## ' heading "
            "and import it again."
        )
    project = Project(Lecture())
    lecture = project.lecture
    for number, draft in enumerate(drafts, start=1):
        if cancel is not None:
            cancel.check()
        progress(number / (len(drafts) + 1), f"Reading slide {number} of {len(drafts)}")
        lecture.slides.append(_slide_from_draft(draft, number, path, project))
    lecture.title = outline.settings.get("title") or outline.first_heading or path.stem
    language = outline.settings.get("lang", "")
    lecture.language = normalize_language(language) or main_language(_slide_texts(lecture))
    progress(1.0, f"Read {len(drafts)} slides from {path.name}")
    return project


def import_text(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Read a plain-text outline into a new Project: one slide per block of lines."""
    path = Path(path)
    check_not_lock_file(path)
    progress(0.0, f"Reading {path.name}")
    text = read_outline_text(path)
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    if not blocks:
        raise EmptyDeckError(
            f"{path.name} has no slides; write one block of lines per slide, separated by "
            "blank lines, and import it again."
        )
    lecture = Lecture()
    first_line = blocks[0].strip().splitlines()[0].strip()
    marked_title = first_line.lstrip("#").strip() if first_line.startswith("#") else ""
    lecture.title = plain_inline(marked_title) or path.stem
    for number, block in enumerate(blocks, start=1):
        if cancel is not None:
            cancel.check()
        progress(number / (len(blocks) + 1), f"Reading slide {number} of {len(blocks)}")
        lecture.slides.append(_slide_from_text_block(block, number, path))
    lecture.language = main_language(_slide_texts(lecture))
    progress(1.0, f"Read {len(blocks)} slides from {path.name}")
    return Project(lecture)


def _slide_from_text_block(block: str, number: int, path: Path) -> Slide:
    lines = [line for line in block.split("\n") if line.strip()]
    slide = Slide(source=SlideSource(kind="outline", path=str(path), index=number))
    slide.title = lines[0].strip().lstrip("#").strip()
    levels = _IndentLevels()
    paragraphs: list[Paragraph] = []
    narration: list[str] = []
    for line in lines[1:]:
        match = _TEXT_BULLET.match(line)
        if match:
            level = levels.level_of(_indent_width(match.group(1)))
            paragraphs.append(Paragraph(match.group(3).strip(), level=level))
        else:
            narration.append(line.strip())
    if paragraphs:
        slide.body.append(TextBlock(paragraphs))
    slide.notes = "\n".join(narration)
    slide.script = slide.notes.strip()
    return slide


@dataclass
class _ImageRef:
    target: str
    alt: str


@dataclass
class _Draft:
    """A Markdown slide while it is being read."""

    title: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    images: list[_ImageRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Opened by a `---` separator or front matter: its first heading is its title, even after
    # a picture (Marp writes `![bg](photo.jpg)` above a slide's heading).
    opened_by_separator: bool = False

    def has_content(self) -> bool:
        return bool(self.title or self.paragraphs or self.tables or self.images)

    def is_empty(self) -> bool:
        return not self.has_content() and not any(note.strip() for note in self.notes)


class _IndentLevels:
    """Turns the indentation of successive list items into nesting levels."""

    def __init__(self) -> None:
        self._indents: list[int] = []

    def level_of(self, indent: int) -> int:
        while self._indents and self._indents[-1] > indent:
            self._indents.pop()
        if not self._indents or self._indents[-1] < indent:
            self._indents.append(indent)
        return len(self._indents) - 1

    def reset(self) -> None:
        self._indents.clear()


class _MarkdownOutline:
    """A line-by-line reader of a Markdown outline into slide drafts."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = [_Draft()]
        self.settings: dict[str, str] = {}
        self.first_heading = ""
        self._in_notes = False
        self._paragraph: list[str] = []
        self._levels = _IndentLevels()
        self._last_was_item = False
        self._table: list[list[str]] | None = None

    @property
    def draft(self) -> _Draft:
        return self.drafts[-1]

    def parse(self, text: str) -> None:
        lines = text.split("\n")
        lines = self._skip_front_matter(lines)
        for kind, content in _tokens(lines):
            if kind == "comment":
                self._comment(content)
            elif kind == "code":
                self._code(content)
            else:
                self._line(content)
        self._end_block()

    def _skip_front_matter(self, lines: list[str]) -> list[str]:
        if not lines or lines[0].strip() != "---":
            return lines
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                for entry in lines[1:end]:
                    key, sep, value = entry.partition(":")
                    if sep and key.strip() and not key.startswith((" ", "\t")):
                        self.settings[key.strip().lower()] = value.strip().strip("\"'")
                self.draft.opened_by_separator = True
                return lines[end + 1 :]
        return lines

    # --- slide boundaries --------------------------------------------------------------
    def _new_slide(self) -> None:
        self._end_block()
        self._in_notes = False
        if self.draft.has_content() or self.draft.notes:
            self.drafts.append(_Draft())
        self.draft.opened_by_separator = True

    def _end_block(self) -> None:
        """Close the paragraph or table being read."""
        if self._paragraph:
            text = plain_inline(" ".join(part.strip() for part in self._paragraph))
            self.draft.paragraphs.append(Paragraph(text, bullet=False))
            self._paragraph = []
        if self._table is not None:
            if self._table:
                self.draft.tables.append(self._table)
            self._table = None
        self._last_was_item = False

    # --- what a line can be ------------------------------------------------------------
    def _comment(self, content: str) -> None:
        if _is_directive(content):
            return
        self._end_block()
        if content.strip():
            self.draft.notes.append(content.strip())

    def _code(self, line: str) -> None:
        self._end_block()
        if self._in_notes:
            self._add_note_line(line)
        elif not _FENCE.match(line):
            self.draft.paragraphs.append(Paragraph(line.rstrip(), bullet=False))

    def _line(self, line: str) -> None:
        heading = _HEADING.match(line)
        if _SEPARATOR.match(line):
            self._new_slide()
            return
        if heading and len(heading.group(1)) <= 2:
            title = plain_inline(heading.group(2))
            if (
                self.draft.title
                or self._in_notes
                or (self.draft.has_content() and not self.draft.opened_by_separator)
            ):
                self._new_slide()
                self.draft.opened_by_separator = False
            self._end_block()
            self.draft.title = title
            self.first_heading = self.first_heading or (title if len(heading.group(1)) == 1 else "")
            self._levels.reset()
            return
        if self._in_notes:
            self._add_note_line(line)
            return
        notes = _NOTES_START.match(line)
        if notes:
            self._end_block()
            self._in_notes = True
            self.draft.notes.append(notes.group(1))
            return
        if not line.strip():
            self._end_block()
            return
        if heading:
            self._end_block()
            self.draft.paragraphs.append(Paragraph(plain_inline(heading.group(2)), bullet=False))
            return
        if _TABLE_ROW.match(line):
            self._table_row(line)
            return
        line = self._take_images(line)
        if not line.strip():
            return
        self._text(line)

    def _add_note_line(self, line: str) -> None:
        """Continue the ``Note:`` block: it runs until the next slide."""
        if self.draft.notes:
            self.draft.notes[-1] += "\n" + line
        else:
            self.draft.notes.append(line)

    def _table_row(self, line: str) -> None:
        if self._table is None:
            self._end_block()
            self._table = []
        if _TABLE_RULE.match(line):
            return
        cells = line.strip().strip("|").split("|")
        self._table.append([plain_inline(cell.strip()) for cell in cells])

    def _take_images(self, line: str) -> str:
        for match in _IMAGE.finditer(line):
            target = match.group(2) or match.group(3)
            self.draft.images.append(_ImageRef(target=target.strip(), alt=match.group(1).strip()))
        return _IMAGE.sub("", line)

    def _text(self, line: str) -> None:
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if self._table is not None:
            self._end_block()
        if bullet or numbered:
            match = bullet or numbered
            if self._paragraph:
                self._end_block()
            level = self._levels.level_of(_indent_width(match.group(1)))
            text = plain_inline(match.group(3).strip())
            if not text:  # the item held only a picture
                return
            if numbered:
                paragraph = Paragraph(f"{numbered.group(2)}. {text}", level=level, bullet=False)
            else:
                paragraph = Paragraph(text, level=level, bullet=True)
            self.draft.paragraphs.append(paragraph)
            self._last_was_item = True
            return
        if self._last_was_item and self.draft.paragraphs:
            # A lazy continuation line of the list item above.
            last = self.draft.paragraphs[-1]
            last.text = f"{last.text} {plain_inline(line.strip())}"
            return
        self._levels.reset()
        self._paragraph.append(line)


def _tokens(lines: list[str]) -> list[tuple[str, str]]:
    """Split lines into ("line", text), ("code", text) and ("comment", text) tokens.

    HTML comments may sit inside a line or span lines; fenced code is passed through untouched.
    """
    tokens: list[tuple[str, str]] = []
    fence: str | None = None
    comment: list[str] | None = None
    for line in lines:
        if comment is not None:
            end = line.find("-->")
            if end < 0:
                comment.append(line)
                continue
            comment.append(line[:end])
            tokens.append(("comment", "\n".join(comment)))
            comment = None
            line = line[end + 3 :]
            if not line.strip():
                continue
        if fence is not None:
            tokens.append(("code", line))
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            tokens.append(("code", line))
            continue
        had_comment = False
        while "<!--" in line:
            had_comment = True
            start = line.index("<!--")
            before, rest = line[:start], line[start + 4 :]
            if before.strip():
                tokens.append(("line", before))
            end = rest.find("-->")
            if end < 0:
                comment = [rest]
                line = ""
                break
            tokens.append(("comment", rest[:end]))
            line = rest[end + 3 :]
        if line.strip() or not had_comment:
            tokens.append(("line", line))
    if comment is not None:
        tokens.append(("comment", "\n".join(comment)))
    return tokens


def _is_directive(comment: str) -> bool:
    """Whether a comment only sets Marp directives (``<!-- _class: lead -->``)."""
    lines = [line for line in comment.strip().split("\n") if line.strip()]
    if not lines:
        return True
    for line in lines:
        match = _DIRECTIVE_LINE.match(line)
        if not match or match.group(1).lower() not in MARP_DIRECTIVES:
            return False
    return True


def _slide_from_draft(draft: _Draft, number: int, path: Path, project: Project) -> Slide:
    slide = Slide(source=SlideSource(kind="outline", path=str(path), index=number))
    slide.title = draft.title
    if draft.paragraphs:
        slide.body.append(TextBlock(draft.paragraphs))
    slide.tables = [Table(rows=rows) for rows in draft.tables]
    for image in draft.images:
        picture = _picture(image, number, path, project)
        if picture is not None:
            slide.pictures.append(picture)
    slide.notes = "\n\n".join(note.strip("\n") for note in draft.notes if note.strip())
    slide.script = "\n\n".join(note.strip() for note in draft.notes if note.strip())
    return slide


def _picture(image: _ImageRef, number: int, outline: Path, project: Project) -> Picture | None:
    """The picture ``image`` names, kept as an asset once its header shows it is a picture of a
    sane size; one from outside the outline's folder is named in the project's warnings, so
    that ``import`` and ``info`` show what was pulled in."""
    target = unquote(image.target)
    if _REMOTE.match(target) and not re.match(r"^[a-zA-Z]:[\\/]", target):
        project.warnings.append(
            f"Slide {number}: left out the web image {image.target}; download it next to "
            f"{outline.name} and link it by file name."
        )
        return None
    file = _picture_file(image, target, number, outline)
    name = f"The picture {image.target} on slide {number} of {outline.name}"
    read_picture_header(file, name)  # before reading it all: it may be any file, of any size
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Could not read the image {image.target} named in {outline.name} "
            f"({exc.strerror or exc}); check that you may open it."
        ) from exc
    read_picture_header(data, name)  # what was read is what is kept
    real, folder = file.resolve(), outline.parent.resolve()
    if not real.is_relative_to(folder):
        project.warnings.append(
            f"Slide {number}: the picture {image.target} comes from outside the folder of "
            f"{outline.name} ({real}); check that you meant to include it."
        )
    asset = project.add_asset(data, file.suffix.lower())
    return Picture(asset=asset, description=image.alt)


def _picture_file(image: _ImageRef, target: str, number: int, outline: Path) -> Path:
    """The file ``target`` names (relative to the outline's folder), or MissingAssetError."""
    try:
        file = Path(target).expanduser()
        if not file.is_absolute():
            file = outline.parent / file
        found = file.is_file()
    except (RuntimeError, OSError, ValueError):  # ~nosuchuser, a name too long, a NUL byte
        file, found = Path(target), False
    if not found:
        raise MissingAssetError(
            f"The image {image.target} named on slide {number} of {outline.name} is not at "
            f"{file}; put the image there or correct its path in the outline."
        )
    return file


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(TAB_WIDTH))


def _slide_texts(lecture: Lecture) -> list[str]:
    """Each slide's text, what it shows and its narration script."""
    return ["\n".join([*slide.shown_texts(), slide.script]) for slide in lecture.slides]

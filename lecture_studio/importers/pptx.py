"""Importing a PowerPoint deck (.pptx, .pptm, .ppsx, .ppsm, .potx, .potm) into a Project.

Reads each slide's title, text (in reading order), tables, pictures, chart titles, speaker notes
and hidden flag with python-pptx, and its transition, timing and recorded narration from its
XML (``pptx_transitions``, ``pptx_narration``), and the videos and sounds placed on it
(``pptx_media``); keeps the deck itself as an asset so that the slides can be rendered later
without the original file. A shape that cannot be read is skipped with a warning naming the
slide; only a file that cannot be read at all fails the import.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE
from pptx.oxml.ns import qn
from pptx.shapes.group import GroupShape
from pptx.shapes.picture import Picture as PptxPicture

from ..errors import CorruptFileError, EmptyDeckError, PictureError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Box, Lecture, Paragraph, Picture, Slide, SlideSource, Table, TextBlock
from ..pictures import read_picture_header
from ..project import Project
from ..text import main_language
from . import safety
from .pptx_builds import read_slide_builds
from .pptx_media import find_slide_media, slide_media
from .pptx_media_timing import played_as_set, read_playback
from .pptx_narration import read_recorded_narration
from .pptx_transitions import read_slide_transition

DECK_SUFFIXES = frozenset({".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm"})
EMU_PER_INCH = 914_400
# PowerPoint's own limits on a slide's width and height (Design > Slide Size), in inches.
SLIDE_SIDE_LIMITS = (1.0, 56.0)

# python-pptx opens only these main-part content types; slide shows and templates are the
# same package with another content type, so they are opened through a relabelled copy.
_OPENABLE_CONTENT_TYPES = frozenset(
    {CONTENT_TYPE.PML_PRESENTATION_MAIN, CONTENT_TYPE.PML_PRES_MACRO_MAIN}
)
_TITLE_PLACEHOLDERS = frozenset(
    {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
)
# Slide furniture that is not content: never narrated, never body text.
_FURNITURE_PLACEHOLDERS = frozenset(
    {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.HEADER, PP_PLACEHOLDER.SLIDE_NUMBER}
)
_BULLETED_PLACEHOLDERS = frozenset(
    {
        PP_PLACEHOLDER.BODY,
        PP_PLACEHOLDER.OBJECT,
        PP_PLACEHOLDER.VERTICAL_BODY,
        PP_PLACEHOLDER.VERTICAL_OBJECT,
    }
)
# Titles PowerPoint and other tools fill in by themselves: they say nothing about the lecture.
_DEFAULT_DECK_TITLES = frozenset(
    {
        "",
        "presentation",
        "powerpoint presentation",
        "powerpoint プレゼンテーション",
        "powerpoint-präsentation",
        "présentation powerpoint",
        "presentación de powerpoint",
        "presentazione di powerpoint",
        "powerpoint 演示文稿",
        "slide 1",
        "untitled",
    }
)
# A placeable WMF, a WMF in memory or on disk; an EMF names itself at byte 40 of its header.
_WMF_SIGNATURES = (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
_EMF_SIGNATURE = b" EMF"
# Shapes whose tops differ by less than this share of the slide height read as one row.
_ROW_TOLERANCE = 0.02


def import_deck(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Read a PowerPoint deck into a new, unsaved Project (nothing is written to disk)."""
    path = Path(path)
    safety.check_not_lock_file(path)
    data = safety.read_input(path)
    safety.check_not_ole2(path, data)
    package = safety.open_presentation_zip(path, data)
    progress(0.0, f"Opening {path.name}")
    if package.main_content_type in _OPENABLE_CONTENT_TYPES:
        openable = data
    else:
        openable = _relabelled_as_presentation(path, package)
    deck = _open_deck(path, openable)
    try:
        pptx_slides = list(deck.slides)
    except Exception as exc:  # a slide list pointing at missing or broken parts
        raise CorruptFileError(
            f"{path.name} is damaged (its slide list cannot be read: {safety.error_text(exc)}); "
            "open it in PowerPoint or LibreOffice, save it again and import that copy."
        ) from exc
    if not pptx_slides:
        raise EmptyDeckError(
            f"{path.name} has no slides; add at least one slide in PowerPoint and import it again."
        )

    lecture = Lecture()
    project = Project(lecture)
    size = _slide_size(path, deck, lecture, project)
    if size is not None:
        lecture.slide_width = round(size[0] / EMU_PER_INCH, 3)
        lecture.slide_height = round(size[1] / EMU_PER_INCH, 3)
    frame = _SlideFrame(
        width=size[0] if size else int(lecture.slide_width * EMU_PER_INCH),
        height=size[1] if size else int(lecture.slide_height * EMU_PER_INCH),
    )
    count = len(pptx_slides)
    for number, pptx_slide in enumerate(pptx_slides, start=1):
        if cancel is not None:
            cancel.check()
        progress((number - 1) / count, f"Reading slide {number} of {count}")
        reader = _SlideReader(path, number, frame, project)
        try:
            slide = reader.read(pptx_slide)
        except Exception:  # keep the slide so numbering matches the rendered deck
            reader.warn("could not be read, so it was imported without text or notes.")
            slide = Slide(source=SlideSource(kind="pptx", path=str(path), index=number))
        lecture.slides.append(slide)

    lecture.title = _lecture_title(path, deck, lecture.slides)
    lecture.language = main_language(_slide_texts(lecture.slides))
    lecture.source_asset = project.add_asset(data, path.suffix.lower() or ".pptx")
    progress(1.0, f"Read {count} slides from {path.name}")
    return project


def _slide_size(path: Path, deck, lecture: Lecture, project: Project) -> tuple[int, int] | None:
    """The deck's slide size in EMU, or None (with a warning when the deck names one) when it
    is missing, not a number or outside PowerPoint's limits: the lecture keeps its 16:9."""
    try:
        width, height = deck.slide_width, deck.slide_height
    except Exception:  # <p:sldSz cx="abc">: python-pptx's int() fails on first use
        width = height = None
        what = "cannot be read"
    else:
        if width is None and height is None:
            return None
        what = "is missing" if not width or not height else ""
    if width and height:
        low, high = SLIDE_SIDE_LIMITS
        if all(low <= side / EMU_PER_INCH <= high for side in (width, height)):
            return width, height
        what = (
            f"({width} x {height} EMU) is outside PowerPoint's limits of {low:g} to {high:g} inches"
        )
    project.warnings.append(
        f"The slide size of {path.name} {what}, so its slides are shown at 16:9 "
        f"({lecture.slide_width:g} x {lecture.slide_height:g} in); set the size in PowerPoint "
        "(Design > Slide Size) if the slides look wrong."
    )
    return None


def _relabelled_as_presentation(path: Path, package: safety.PresentationPackage) -> bytes:
    """An in-memory copy of the package whose main part is labelled a plain presentation."""
    old_type = package.main_content_type.encode("utf-8")
    new_type = CONTENT_TYPE.PML_PRESENTATION_MAIN.encode("utf-8")
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
            for info in package.archive.infolist():
                member = package.archive.read(info)
                if info.filename == "[Content_Types].xml":
                    member = member.replace(b'"' + old_type + b'"', b'"' + new_type + b'"')
                copy.writestr(info.filename, member)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise CorruptFileError(
            f"{path.name} is damaged ({safety.error_text(exc)}); "
            "copy or download it again, or re-save it from PowerPoint."
        ) from exc
    return buffer.getvalue()


def _open_deck(path: Path, data: bytes):  # -> pptx.presentation.Presentation
    try:
        return Presentation(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # bad CRC, cut deflate stream
        raise CorruptFileError(
            f"{path.name} is damaged ({safety.error_text(exc)}); "
            "copy or download it again, or re-save it from PowerPoint."
        ) from exc
    except Exception as exc:  # a damaged package can fail anywhere inside python-pptx
        raise CorruptFileError(
            f"{path.name} could not be read as a presentation "
            f"({type(exc).__name__}: {safety.error_text(exc)}); "
            "open it in PowerPoint or LibreOffice, save it again as .pptx and import that copy."
        ) from exc


@dataclass(frozen=True)
class _SlideFrame:
    """The slide size in EMU, to turn shape positions into fractions of the slide."""

    width: int
    height: int

    def box(self, left: float, top: float, width: float, height: float) -> Box:
        return Box(
            left=left / self.width,
            top=top / self.height,
            width=width / self.width,
            height=height / self.height,
        )


@dataclass(frozen=True)
class _ChildTransform:
    """Maps a group's child coordinates to slide coordinates: slide = offset + scale * child."""

    scale_x: float = 1.0
    scale_y: float = 1.0
    offset_x: float = 0.0
    offset_y: float = 0.0

    def inside(self, group: GroupShape) -> _ChildTransform:
        xfrm = group._element.grpSpPr.find(qn("a:xfrm"))
        if xfrm is None:
            return self
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        ch_off, ch_ext = xfrm.find(qn("a:chOff")), xfrm.find(qn("a:chExt"))
        if off is None or ext is None or ch_off is None or ch_ext is None:
            return self
        gx, gy = int(off.get("x", 0)), int(off.get("y", 0))
        gw, gh = int(ext.get("cx", 0)), int(ext.get("cy", 0))
        cx, cy = int(ch_off.get("x", 0)), int(ch_off.get("y", 0))
        cw, ch = int(ch_ext.get("cx", 0)), int(ch_ext.get("cy", 0))
        sx = gw / cw if cw else 1.0
        sy = gh / ch if ch else 1.0
        return _ChildTransform(
            scale_x=self.scale_x * sx,
            scale_y=self.scale_y * sy,
            offset_x=self.offset_x + self.scale_x * (gx - cx * sx),
            offset_y=self.offset_y + self.scale_y * (gy - cy * sy),
        )

    def place(self, shape) -> tuple[float, float, float, float] | None:
        """(left, top, width, height) of ``shape`` on the slide in EMU, or None if unknown."""
        try:
            left, top, width, height = shape.left, shape.top, shape.width, shape.height
        except Exception:  # a placeholder whose layout counterpart is missing or broken
            return None
        if left is None or top is None:
            return None
        return (
            self.offset_x + self.scale_x * left,
            self.offset_y + self.scale_y * top,
            self.scale_x * (width or 0),
            self.scale_y * (height or 0),
        )


@dataclass
class _PlacedShape:
    shape: object
    place: tuple[float, float, float, float] | None


class _SlideReader:
    """Reads one python-pptx slide into a model Slide, collecting warnings on the project."""

    def __init__(self, path: Path, number: int, frame: _SlideFrame, project: Project) -> None:
        self.path = path
        self.number = number
        self.frame = frame
        self.project = project

    def warn(self, what: str) -> None:
        self.project.warnings.append(f"Slide {self.number}: {what}")

    def read(self, pptx_slide) -> Slide:
        slide = Slide(source=SlideSource(kind="pptx", path=str(self.path), index=self.number))
        slide.hidden = pptx_slide._element.get("show") in ("0", "false")
        self._read_timing(pptx_slide, slide)
        self._read_builds(pptx_slide, slide)
        media_shape = self._read_recorded_narration(pptx_slide, slide)
        self._read_media(pptx_slide, slide, media_shape)
        title = ""
        for placed in self._reading_order(pptx_slide):
            if media_shape and _shape_id(placed.shape) == media_shape:
                continue  # the recorded narration's loudspeaker icon: not content
            try:
                title = self._read_shape(placed, slide, title)
            except Exception:  # one unreadable shape must never fail the whole import
                name = getattr(placed.shape, "name", "") or "a shape"
                self.warn(f"skipped the shape “{name}” because it could not be read.")
        slide.title = title or _first_text(slide)
        notes = self._notes(pptx_slide)
        slide.notes = notes
        slide.script = notes.strip()
        return slide

    def _read_timing(self, pptx_slide, slide: Slide) -> None:
        """The deck's transition into the slide and its "advance after" time."""
        try:
            info = read_slide_transition(pptx_slide._element)
        except Exception:  # malformed transition markup must not cost the slide its text
            self.warn("left out its slide transition, which could not be read.")
            return
        slide.deck_transition = info.transition
        slide.duration.advance_after = info.advance_after

    def _read_builds(self, pptx_slide, slide: Slide) -> None:
        """The slide's build animation: which shapes and paragraphs each click shows."""
        try:
            found = read_slide_builds(pptx_slide._element)
        except Exception:  # malformed animation markup must not cost the slide its text
            self.warn("left out its build animation, which could not be read.")
            return
        slide.builds = found.steps
        for problem in found.problems:
            self.warn(problem)

    def _read_recorded_narration(self, pptx_slide, slide: Slide) -> str:
        """Make narration recorded in PowerPoint the slide's recording (its notes stay its
        captions); when the deck timed the slide, it lasts as recorded. Returns the id of the
        shape holding the sound ("" when none)."""
        try:
            found = read_recorded_narration(pptx_slide)
        except Exception:
            self.warn("left out its recorded narration, which could not be read.")
            return ""
        if found.problem:
            self.warn(found.problem)
        recording = found.recording
        if recording is None:
            return ""
        slide.narration.source = "recording"
        slide.narration.recording = self.project.add_asset(recording.data, recording.suffix)
        slide.duration.lead_in = 0.0  # PowerPoint plays it as the slide starts
        advance = slide.duration.advance_after
        if advance is not None:  # the recorded slide timing: never shorter than the recording
            slide.duration.mode = "fixed"
            slide.duration.seconds = advance
            slide.duration.tail = 0.0
        return recording.shape_id

    def _read_media(self, pptx_slide, slide: Slide, narration_shape: str) -> None:
        """The videos and sounds placed on the slide that play (``pptx_media``), a video in
        its shape's box, as its Playback settings have them (``pptx_media_timing``); the
        others are named in a warning (the slide shows their poster)."""
        try:
            found = find_slide_media(pptx_slide, frozenset({narration_shape}))
            playback = read_playback(pptx_slide._element)
        except Exception:  # malformed media markup must not cost the slide its text
            self.warn("left out its videos and sounds, which could not be read.")
            return
        for problem in found.problems:
            self.warn(problem)
        if not found.media:
            return
        leaves = self._leaves(pptx_slide.shapes, _ChildTransform())
        places = {_shape_id(placed.shape): placed.place for placed in leaves}
        for item in found.media:
            place = places.get(item.shape_id)
            media, problem = slide_media(item, self.frame.box(*place) if place else None)
            if media is None:
                self.warn(problem)
                continue
            media, problems = played_as_set(media, playback.get(media.shape_id))
            for problem in problems:
                self.warn(problem)
            self.project.add_asset(item.data, item.suffix)
            slide.media.append(media)

    def _read_shape(self, placed: _PlacedShape, slide: Slide, title: str) -> str:
        """Add what ``placed`` shows to ``slide``; returns the slide title found so far."""
        shape = placed.shape
        box = self.frame.box(*placed.place) if placed.place else None
        role = _placeholder_type(shape)
        if role in _FURNITURE_PLACEHOLDERS:
            return title
        if role in _TITLE_PLACEHOLDERS and shape.has_text_frame:
            text = _one_line(shape.text_frame.text)
            if text and not title:
                return text
            if text:
                slide.body.append(TextBlock([Paragraph(text, bullet=False)], box))
            return title
        if isinstance(shape, PptxPicture):
            self._read_picture(shape, slide, box)
        elif role == PP_PLACEHOLDER.PICTURE and not getattr(shape, "text", "").strip():
            if box is not None:  # an empty picture placeholder: room for a generated image
                slide.placeholders.append(box)
        elif getattr(shape, "has_table", False):
            rows = [[_clean(cell.text) for cell in row.cells] for row in shape.table.rows]
            slide.tables.append(Table(rows=rows, box=box))
        elif getattr(shape, "has_chart", False):
            self._read_chart_title(shape, slide, box)
        elif getattr(shape, "has_text_frame", False):
            block = _text_block(shape, role in _BULLETED_PLACEHOLDERS, box)
            if block.paragraphs:
                slide.body.append(block)
        return title

    def _read_picture(self, shape: PptxPicture, slide: Slide, box: Box | None) -> None:
        try:
            image = shape.image
            blob = image.blob
        except Exception:  # InvalidXmlError, KeyError, ValueError... all mean "no image data"
            self.warn("skipped a picture without image data.")
            if box is not None and _placeholder_type(shape) is not None:
                slide.placeholders.append(box)  # an empty picture placeholder
            return
        if not _is_vector(blob):  # a bomb must be refused before python-pptx opens it for .ext
            try:
                read_picture_header(blob, "it")
            except PictureError as error:
                self.warn(f"left out a picture: {error.message}")
                return
        try:
            ext = image.ext
        except Exception:  # a format python-pptx does not know
            self.warn("skipped a picture whose format is unknown.")
            return
        asset = self.project.add_asset(blob, f".{ext}")
        description = shape._element._nvXxPr.cNvPr.get("descr") or ""
        slide.pictures.append(Picture(asset=asset, box=box, description=description.strip()))

    def _read_chart_title(self, shape, slide: Slide, box: Box | None) -> None:
        try:
            chart = shape.chart
            if not chart.has_title or not chart.chart_title.has_text_frame:
                return
            text = _one_line(chart.chart_title.text_frame.text)
        except Exception:
            self.warn("left out a chart title that could not be read.")
            return
        if text:
            slide.body.append(TextBlock([Paragraph(text, bullet=False)], box))

    def _notes(self, pptx_slide) -> str:
        try:
            if not pptx_slide.has_notes_slide:
                return ""
            frame = pptx_slide.notes_slide.notes_text_frame
            return _clean(frame.text) if frame is not None else ""
        except Exception:
            self.warn("left out speaker notes that could not be read.")
            return ""

    def _reading_order(self, pptx_slide) -> list[_PlacedShape]:
        """Every non-group shape, top to bottom, and left to right within a row."""
        placed = list(self._leaves(pptx_slide.shapes, _ChildTransform()))
        known = sorted((p for p in placed if p.place), key=lambda p: (p.place[1], p.place[0]))
        tolerance = _ROW_TOLERANCE * self.frame.height
        ordered: list[_PlacedShape] = []
        row: list[_PlacedShape] = []
        for item in known:
            if row and item.place[1] - row[0].place[1] > tolerance:
                ordered.extend(sorted(row, key=lambda p: p.place[0]))
                row = []
            row.append(item)
        ordered.extend(sorted(row, key=lambda p: p.place[0]))
        return ordered + [p for p in placed if not p.place]

    def _leaves(self, shapes, transform: _ChildTransform) -> Iterator[_PlacedShape]:
        try:
            members = list(shapes)
        except Exception:
            self.warn("skipped shapes that could not be read.")
            return
        for shape in members:
            if isinstance(shape, GroupShape):
                try:
                    inner = transform.inside(shape)
                except (ValueError, AttributeError):  # a malformed group position
                    inner = transform
                yield from self._leaves(shape.shapes, inner)
            else:
                yield _PlacedShape(shape, transform.place(shape))


def _is_vector(blob: bytes) -> bool:
    """Whether ``blob`` is a Windows metafile (WMF or EMF): drawn by LibreOffice, never decoded
    by Pillow, so the pixel limit does not apply to it."""
    return blob[:4] in _WMF_SIGNATURES or blob[40:44] == _EMF_SIGNATURE


def _shape_id(shape) -> str:
    try:
        return str(shape.shape_id)
    except Exception:
        return ""


def _placeholder_type(shape) -> PP_PLACEHOLDER | None:
    try:
        return shape.placeholder_format.type if shape.is_placeholder else None
    except Exception:
        return None


def _text_block(shape, bulleted_by_default: bool, box: Box | None) -> TextBlock:
    block = TextBlock(box=box)
    for paragraph in shape.text_frame.paragraphs:
        text = _clean(paragraph.text).strip()
        if not text:
            continue
        bullet = _has_bullet(paragraph, bulleted_by_default)
        block.paragraphs.append(Paragraph(text, level=paragraph.level, bullet=bullet))
    return block


def _has_bullet(paragraph, bulleted_by_default: bool) -> bool:
    """Whether the paragraph shows a bullet: its own setting, else what its shape implies."""
    properties = paragraph._p.pPr
    if properties is not None:
        if properties.find(qn("a:buNone")) is not None:
            return False
        if (
            properties.find(qn("a:buChar")) is not None
            or properties.find(qn("a:buAutoNum")) is not None
            or properties.find(qn("a:buBlip")) is not None
        ):
            return True
    return bulleted_by_default


def _clean(text: str) -> str:
    """python-pptx writes a line break inside a paragraph as a vertical tab."""
    return text.replace("\v", "\n").replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _first_text(slide: Slide) -> str:
    for block in slide.body:
        for paragraph in block.paragraphs:
            if paragraph.text.strip():
                return _one_line(paragraph.text)
    return ""


def _lecture_title(path: Path, deck, slides: list[Slide]) -> str:
    """The deck's own title unless it is a tool's default, else the first slide title, else the
    file name."""
    try:
        own = _one_line(deck.core_properties.title or "")
    except Exception:
        own = ""
    if own.lower() not in _DEFAULT_DECK_TITLES:
        return own
    for slide in slides:
        if slide.title:
            return slide.title
    return path.stem


def _slide_texts(slides: list[Slide]) -> list[str]:
    """Each slide's text, what it shows and its notes."""
    return ["\n".join([*slide.shown_texts(), slide.notes]) for slide in slides]

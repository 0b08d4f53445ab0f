"""Slide images: every slide of a lecture as an RGB image at the video's frame size.

Deck slides are drawn by LibreOffice (``libreoffice``) when it is installed, everything else by
the built-in renderer (``builtin``). A slide of another aspect than the frame is letterboxed or
pillarboxed on the lecture's background colour.

Fidelity is never reduced silently: ``render_slide_images`` returns a ``RenderResult``, a dict of
slide id -> image that also carries ``warnings``, one sentence each (for instance that LibreOffice
is missing and how to install it, or which of a deck's fonts have no metric-compatible face),
said once per call, and what drew each slide (``drawn``). A ``SlideRenderer`` draws one slide
at a time as a ``RenderedSlide``: the image, the renderer, and for the built-in renderer where
it drew each paragraph, so no one draws a slide twice to learn it. ``render_notice`` gives the
same LibreOffice sentence before any rendering, for a GUI or CLI to show up front.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image

from ..errors import LectureStudioError, RenderError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Slide
from ..project import Project
from . import libreoffice
from .builds import Hidden, build_states, states_deck
from .builtin import SlideDrawing, draw_slide_layout
from .deck_fonts import missing_fonts_warning
from .framing import fitted_size, letterbox, parse_color
from .libreoffice import INSTALL_HINT, find_soffice
from .theme import Theme, load_theme

__all__ = [
    "NO_LIBREOFFICE_WARNING",
    "RenderResult",
    "RenderedSlide",
    "Renderer",
    "SlideRenderer",
    "fitted_size",
    "letterbox",
    "parse_color",
    "render_notice",
    "render_slide_images",
]

Renderer = Literal["auto", "libreoffice", "builtin"]

NO_LIBREOFFICE_WARNING = (
    "LibreOffice is not installed, so slides are drawn by the built-in renderer with reduced "
    f"fidelity; {INSTALL_HINT}"
)


@dataclass(frozen=True)
class RenderedSlide:
    """One slide drawn at the renderer's size (letterboxed), and what the drawing knows: which
    renderer drew it, for the built-in renderer where each paragraph and piece of content
    landed on the slide's canvas (``layout``; None for LibreOffice's pictures, whose text is
    found from their ink), and the problems that still left an image. ``builds`` is the slide
    in each state of its build animation (``Slide.builds``), as LibreOffice draws it: before
    any step, then after each; empty when it has none or LibreOffice did not draw it."""

    image: Image.Image
    renderer: Literal["libreoffice", "builtin"]
    layout: SlideDrawing | None = None
    warnings: tuple[str, ...] = ()
    builds: tuple[Image.Image, ...] = ()


class RenderResult(dict[str, Image.Image]):
    """Slide id -> RGB image at the requested size, plus what the caller should be told.

    ``warnings`` holds one sentence per problem that still left an image (reduced fidelity,
    an unreadable picture); ``drawn`` holds each slide as drawn (``RenderedSlide``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self.drawn: dict[str, RenderedSlide] = {}

    @property
    def images(self) -> dict[str, Image.Image]:
        return self

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def render_notice(project: Project, renderer: Renderer = "auto") -> str | None:
    """The reduced-fidelity sentence rendering this project would give, or None.

    Only deck slides lose fidelity without LibreOffice (outline slides are always built in).
    """
    if renderer != "auto":
        return None
    has_deck_slides = any(s.source.kind == "pptx" for s in project.lecture.slides)
    return NO_LIBREOFFICE_WARNING if has_deck_slides and find_soffice() is None else None


class SlideRenderer:
    """Draws slides one at a time, when asked: decks are converted by LibreOffice (or read from
    the cache) once, when it opens, and their PDFs stay open until ``close``.

    ``warnings`` fill as in ``RenderResult``. Use it from one thread.
    """

    def __init__(
        self,
        project: Project,
        size: tuple[int, int] | None = None,
        slides: list[Slide] | None = None,
        renderer: Renderer = "auto",
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        if renderer not in ("auto", "libreoffice", "builtin"):
            raise ValueError(f"unknown renderer {renderer!r}")
        lecture = project.lecture
        self.project = project
        self.size = (
            (int(size[0]), int(size[1])) if size else (lecture.output.width, lecture.output.height)
        )
        self.background = lecture.output.background
        parse_color(self.background)  # a bad colour fails before any work is done
        self.numbers = {slide.id: i for i, slide in enumerate(lecture.slides, start=1)}
        self.result = RenderResult()  # collects warnings; holds no images
        self.warnings = self.result.warnings
        self.cancel = cancel
        self._pages: dict[str, tuple[object, int]] = {}  # slide id -> (PDF document, page)
        # slide id -> the page of each build state (None: the slide's own page)
        self._states: dict[str, list[int | None]] = {}
        self._documents: list[object] = []
        self._theme: Theme | None = None
        slides = lecture.slides if slides is None else slides
        deck_slides = (
            [s for s in slides if s.source.kind == "pptx"] if renderer != "builtin" else []
        )
        soffice = find_soffice() if deck_slides else None
        if deck_slides and soffice is None:
            if renderer == "libreoffice":
                raise RenderError(
                    "LibreOffice is not installed, so deck slides cannot be drawn as they look "
                    f"in PowerPoint; {INSTALL_HINT}."
                )
            self.result.warn(NO_LIBREOFFICE_WARNING + ".")
            deck_slides = []
        try:
            if soffice is not None and deck_slides:
                groups = _group_by_deck(project, deck_slides, self.result, renderer)
                for deck, group in groups.items():
                    name = Path(group[0].source.path).name or deck.name
                    self._open_deck(deck, name, group, soffice, cache_dir, progress)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SlideRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for document in self._documents:
            document.close()
        self._documents.clear()
        self._pages.clear()

    def _open_deck(
        self,
        deck: Path,
        name: str,
        slides: list[Slide],
        soffice: str,
        cache_dir: Path | None,
        progress: ProgressCallback,
    ) -> None:
        """Convert one deck to PDF (or find it in the cache) and note each slide's page."""
        if self.cancel is not None:
            self.cancel.check()
        progress(0.0, f"Converting {name} with LibreOffice")
        # Every slide of the deck with a build, not only those drawn now: the same deck to
        # convert, whichever slides are asked for, so the cached PDF serves them all.
        lecture = self.project.lecture
        states = {
            other.source.index: build_states(other.builds)
            for other in lecture.slides
            if other.builds
            and other.source.kind == "pptx"
            and (lecture.source_asset is not None or other.source.path == slides[0].source.path)
        }
        with tempfile.TemporaryDirectory(prefix="lecture-studio-builds-") as tmp:
            converted, numbers = self._deck_with_states(deck, name, states, Path(tmp))
            pdf = libreoffice.deck_pdf(converted, cache_dir, soffice, cancel=self.cancel, name=name)
            visibility = libreoffice.deck_slide_visibility(converted)
        document = libreoffice.open_pdf(pdf, name)
        self._documents.append(document)
        fonts_note = missing_fonts_warning(deck, name)
        if fonts_note is not None:
            self.result.warn(fonts_note)
        pages = libreoffice.page_of_slides(document.page_count, visibility, name)
        for slide in slides:
            if slide.source.index in pages and slide.source.index in states:
                self._states[slide.id] = [
                    None if not hidden else pages.get(numbers.get((slide.source.index, hidden), 0))
                    for hidden in states[slide.source.index]
                ]
        for slide in slides:
            page = pages.get(slide.source.index)
            if page is None:
                self.result.warn(
                    f"LibreOffice left out slide {self.numbers[slide.id]} (deck slide "
                    f"{slide.source.index}, hidden or missing), so the built-in renderer draws "
                    "it; update LibreOffice to 7.4 or later to get it as in PowerPoint."
                )
            else:
                self._pages[slide.id] = (document, page)

    def _deck_with_states(
        self, deck: Path, name: str, states: dict[int, list[Hidden]], folder: Path
    ) -> tuple[Path, dict[tuple[int, Hidden], int]]:
        """The deck to convert: ``deck`` itself, or with its slides' build states appended
        (``slides.builds``), so one LibreOffice run draws them all; and the deck slide
        number of each state."""
        wanted = {number: [h for h in hidden if h] for number, hidden in states.items()}
        if not any(wanted.values()):
            return deck, {}
        try:
            built = states_deck(deck.read_bytes(), wanted)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            self.result.warn(
                f"The build animations of {name} cannot be drawn ({exc}), so those slides show "
                "only their final state; save the deck again in PowerPoint to fix it."
            )
            return deck, {}
        converted = folder / "deck.pptx"
        converted.write_bytes(built.data)
        return converted, built.numbers

    def draw(self, slide: Slide) -> RenderedSlide:
        """The slide as an RGB image of the renderer's size, with what the drawing knows."""
        if self.cancel is not None:
            self.cancel.check()
        located = self._pages.get(slide.id)
        if located is not None:
            document, page = located
            canvas = fitted_size(libreoffice.page_aspect(document, page), self.size)
            image = letterbox(
                libreoffice.rasterize_page(document, page, canvas), self.size, self.background
            )
            builds = tuple(
                image
                if state is None
                else letterbox(
                    libreoffice.rasterize_page(document, state, canvas), self.size, self.background
                )
                for state in self._states.get(slide.id, ())
            )
            return RenderedSlide(image, "libreoffice", builds=builds)
        if self._theme is None:
            self._theme = _lecture_theme(self.project, self.result)
        canvas = fitted_size(self.project.lecture.aspect, self.size)
        warnings: list[str] = []
        drawing = draw_slide_layout(
            slide, self.project, canvas, self._theme, warnings, self.numbers[slide.id]
        )
        for warning in warnings:
            self.result.warn(warning)
        image = letterbox(drawing.image, self.size, self.background)
        return RenderedSlide(image, "builtin", drawing, tuple(warnings))


def render_slide_images(
    project: Project,
    size: tuple[int, int] | None = None,
    slide_ids: list[str] | None = None,
    renderer: Renderer = "auto",
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
) -> RenderResult:
    """Every slide (or those in ``slide_ids``) as an RGB image of ``size`` (default: the output).

    ``renderer``: "auto" draws deck slides with LibreOffice when it is installed and says so in
    the result's warnings when it is not; "libreoffice" raises RenderError without it; "builtin"
    never runs LibreOffice. Raises RenderError when LibreOffice fails, Cancelled on cancel.
    """
    lecture = project.lecture
    slides = lecture.slides if slide_ids is None else [lecture.slide(i) for i in slide_ids]
    total = max(1, len(slides))
    with SlideRenderer(project, size, slides, renderer, progress, cancel, cache_dir) as drawer:
        result = drawer.result
        for done, slide in enumerate(slides):
            progress(done / total, f"Drawing slide {drawer.numbers[slide.id]}")
            drawn = drawer.draw(slide)
            result[slide.id] = drawn.image
            result.drawn[slide.id] = drawn
    progress(1.0, "Slides drawn")
    return result


def _group_by_deck(
    project: Project, slides: Iterable[Slide], result: RenderResult, renderer: Renderer
) -> dict[Path, list[Slide]]:
    """Deck file -> its slides; slides whose deck is gone are left to the built-in renderer."""
    groups: dict[Path, list[Slide]] = {}
    lecture = project.lecture
    for slide in slides:
        try:
            if lecture.source_asset is not None:
                deck = project.asset_path(lecture.source_asset)
            else:
                deck = Path(slide.source.path)
                if not slide.source.path or not deck.is_file():
                    raise RenderError(
                        f"The deck {slide.source.path or '(unnamed)'} of slide "
                        f"{lecture.index_of(slide.id) + 1} is not in the project or on disk; "
                        "re-import the deck so its slides can be drawn as in PowerPoint."
                    )
        except LectureStudioError as exc:
            if renderer == "libreoffice":
                raise RenderError(exc.message) from exc
            result.warn(exc.message.rstrip(".") + "; the built-in renderer draws it meanwhile.")
            continue
        groups.setdefault(deck, []).append(slide)
    return groups


def _lecture_theme(project: Project, result: RenderResult) -> Theme:
    name = project.lecture.style.theme or "default"
    try:
        return load_theme(name)
    except LectureStudioError as exc:
        if name == "default":
            raise
        result.warn(exc.message.rstrip(".") + "; the default theme is used meanwhile.")
        return load_theme("default")

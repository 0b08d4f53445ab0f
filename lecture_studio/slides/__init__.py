"""Slide images: every slide of a lecture as an RGB image at the video's frame size.

Deck slides are drawn by LibreOffice (``libreoffice``) when it is installed, everything else by
the built-in renderer (``builtin``). A slide of another aspect than the frame is letterboxed or
pillarboxed on the lecture's background colour.

Fidelity is never reduced silently: ``render_slide_images`` returns a ``RenderResult``, a dict of
slide id -> image that also carries ``warnings``, one sentence each (for instance that LibreOffice
is missing and how to install it), said once per call. ``render_notice`` gives the same
LibreOffice sentence before any rendering, for a GUI or CLI to show up front.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import platformdirs
from PIL import Image

from ..errors import LectureStudioError, RenderError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Slide
from ..project import Project
from . import libreoffice
from .builtin import draw_slide
from .framing import fitted_size, letterbox, parse_color
from .libreoffice import INSTALL_HINT, find_soffice
from .theme import Theme, load_theme

__all__ = [
    "NO_LIBREOFFICE_WARNING",
    "RenderResult",
    "Renderer",
    "default_cache_dir",
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


class RenderResult(dict[str, Image.Image]):
    """Slide id -> RGB image at the requested size, plus what the caller should be told.

    ``warnings`` holds one sentence per problem that still left an image (reduced fidelity,
    an unreadable picture); ``renderer_of`` says which renderer drew each slide.
    """

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self.renderer_of: dict[str, str] = {}

    @property
    def images(self) -> dict[str, Image.Image]:
        return self

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def in_order(self, slides: list[Slide]) -> RenderResult:
        """A copy whose images follow the order of ``slides``."""
        ordered = RenderResult()
        ordered.warnings = list(self.warnings)
        for slide in slides:
            ordered[slide.id] = self[slide.id]
            ordered.renderer_of[slide.id] = self.renderer_of[slide.id]
        return ordered


def default_cache_dir() -> Path:
    """Where converted decks are kept between runs (the user's cache folder)."""
    return Path(platformdirs.user_cache_dir("lecture-studio"))


def render_notice(project: Project, renderer: Renderer = "auto") -> str | None:
    """The reduced-fidelity sentence rendering this project would give, or None.

    Only deck slides lose fidelity without LibreOffice (outline slides are always built in).
    """
    if renderer != "auto":
        return None
    has_deck_slides = any(s.source.kind == "pptx" for s in project.lecture.slides)
    return NO_LIBREOFFICE_WARNING if has_deck_slides and find_soffice() is None else None


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
    if renderer not in ("auto", "libreoffice", "builtin"):
        raise ValueError(f"unknown renderer {renderer!r}")
    lecture = project.lecture
    size = (int(size[0]), int(size[1])) if size else (lecture.output.width, lecture.output.height)
    background = lecture.output.background
    parse_color(background)  # a bad colour fails before any work is done
    numbers = {slide.id: i for i, slide in enumerate(lecture.slides, start=1)}
    slides = lecture.slides if slide_ids is None else [lecture.slide(i) for i in slide_ids]
    result = RenderResult()
    total = max(1, len(slides))

    deck_slides = [s for s in slides if s.source.kind == "pptx"] if renderer != "builtin" else []
    soffice = find_soffice() if deck_slides else None
    if deck_slides and soffice is None:
        if renderer == "libreoffice":
            raise RenderError(
                "LibreOffice is not installed, so deck slides cannot be drawn as they look in "
                f"PowerPoint; {INSTALL_HINT}."
            )
        result.warn(NO_LIBREOFFICE_WARNING + ".")
        deck_slides = []
    if soffice is not None and deck_slides:
        for deck, group in _group_by_deck(project, deck_slides, result, renderer).items():
            name = Path(group[0].source.path).name or deck.name
            _render_deck(
                deck,
                name,
                group,
                soffice,
                size,
                background,
                result,
                numbers,
                cache_dir or default_cache_dir(),
                cancel,
                progress,
                total,
            )

    theme: Theme | None = None
    for slide in slides:
        if slide.id in result:
            continue
        if cancel is not None:
            cancel.check()
        number = numbers[slide.id]
        progress(len(result) / total, f"Drawing slide {number}")
        theme = theme or _lecture_theme(project, result)
        canvas = fitted_size(lecture.aspect, size)
        warnings: list[str] = []
        image = draw_slide(slide, project, canvas, theme, warnings, number)
        for warning in warnings:
            result.warn(warning)
        result[slide.id] = letterbox(image, size, background)
        result.renderer_of[slide.id] = "builtin"
    progress(1.0, "Slides drawn")
    return result.in_order(slides)


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


def _render_deck(
    deck: Path,
    name: str,
    slides: list[Slide],
    soffice: str,
    size: tuple[int, int],
    background: str,
    result: RenderResult,
    numbers: dict[str, int],
    cache_dir: Path,
    cancel: CancelToken | None,
    progress: ProgressCallback,
    total: int,
) -> None:
    """Draws the slides of one deck from its (cached) LibreOffice PDF."""
    if cancel is not None:
        cancel.check()
    progress(len(result) / total, f"Converting {name} with LibreOffice")
    pdf = libreoffice.deck_pdf(deck, cache_dir, soffice, cancel=cancel, name=name)
    document = libreoffice.open_pdf(pdf, name)
    try:
        pages = libreoffice.page_of_slides(
            document.page_count, libreoffice.deck_slide_visibility(deck), name
        )
        for slide in slides:
            if cancel is not None:
                cancel.check()
            number = numbers[slide.id]
            page = pages.get(slide.source.index)
            if page is None:
                result.warn(
                    f"LibreOffice left out slide {number} (deck slide {slide.source.index}, "
                    "hidden or missing), so the built-in renderer draws it; update LibreOffice "
                    "to 7.4 or later to get it as in PowerPoint."
                )
                continue
            progress(len(result) / total, f"Drawing slide {number}")
            canvas = fitted_size(libreoffice.page_aspect(document, page), size)
            image = libreoffice.rasterize_page(document, page, canvas)
            result[slide.id] = letterbox(image, size, background)
            result.renderer_of[slide.id] = "libreoffice"
    finally:
        document.close()


def _lecture_theme(project: Project, result: RenderResult) -> Theme:
    name = project.lecture.style.theme or "default"
    try:
        return load_theme(name)
    except LectureStudioError as exc:
        if name == "default":
            raise
        result.warn(exc.message.rstrip(".") + "; the default theme is used meanwhile.")
        return load_theme("default")

"""One slide's picture as the video shows it: the chosen generated image placed on the slide.

Used by the export (which adds the progressive reveal and motion on top) and by the editor's
preview, so both show the same picture. Pure: reads the project's assets, draws nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ..errors import LectureStudioError
from ..model import Box, Lecture, Slide
from ..pictures import open_picture
from ..project import Project
from ..slides import RenderedSlide
from ..slides.builtin import SlideDrawing
from ..transitions.reveal import paragraph_regions

PixelBox = tuple[int, int, int, int]  # left, top, right, bottom in pixels (exclusive)
INK_GRID = (48, 27)  # cells for finding where a LibreOffice picture has ink
INK_DISTANCE = 48  # summed RGB difference from the paper that counts as ink


@dataclass
class SlideCanvas:
    """Where the slide itself lies in the frame (inside any letterbox bars), in pixels."""

    left: int
    top: int
    width: int
    height: int

    def crop(self, frame: np.ndarray) -> np.ndarray:
        return frame[self.top : self.top + self.height, self.left : self.left + self.width]

    def pixels(self, box: Box) -> PixelBox:
        """A model box (fractions of the slide) in pixels of the canvas."""
        return (
            max(0, round(box.left * self.width)),
            max(0, round(box.top * self.height)),
            min(self.width, round((box.left + box.width) * self.width)),
            min(self.height, round((box.top + box.height) * self.height)),
        )

    def fraction(self, box: PixelBox) -> Box:
        left, top, right, bottom = box
        return Box(
            left / self.width,
            top / self.height,
            (right - left) / self.width,
            (bottom - top) / self.height,
        )


@dataclass
class SlideLayout:
    """A slide's text as found on its canvas: body paragraphs (text, box) in reading order,
    each with the colour that hides it, and the boxes an image must keep clear of."""

    paragraphs: list[tuple[str, PixelBox, tuple[int, int, int]]] = field(default_factory=list)
    content: list[Box] = field(default_factory=list)
    problem: str = ""  # why the bullets cannot be revealed one by one


@dataclass(frozen=True)
class ImagePlacement:
    """A generated image and where it goes on the slide (placement already settled)."""

    image: Image.Image
    placement: str
    content: list[Box]
    placeholder: Box | None

    def onto(self, area: np.ndarray) -> np.ndarray:
        """The slide's canvas ``area`` with the image placed on it."""
        from ..imagery import place_image

        placed = place_image(
            Image.fromarray(area), self.image, self.placement, self.content, self.placeholder
        )
        return np.asarray(placed.convert("RGB"))


@dataclass
class ComposedSlide:
    """One slide composed: the frame the video shows, and what the export's reveal needs.

    ``canvas`` is None when nothing had to be placed or looked for: ``picture`` is then the
    rendered frame itself. ``missing_image`` is true when the slide asks for a generated image
    that has not been drawn yet (callers word that note themselves: the export lists them all).
    """

    picture: np.ndarray
    canvas: SlideCanvas | None = None
    layout: SlideLayout = field(default_factory=SlideLayout)
    placing: ImagePlacement | None = None
    notes: list[str] = field(default_factory=list)
    missing_image: bool = False

    def place_on(self, area: np.ndarray) -> np.ndarray:
        """Another picture of the slide's canvas (a reveal state) with the same image placed."""
        return area if self.placing is None else self.placing.onto(area)


def compose_slide(
    project: Project,
    slide: Slide,
    frame: np.ndarray,
    drawing: SlideDrawing | None,
    number: int,
    reveal: bool = False,
) -> ComposedSlide:
    """``frame`` (the rendered slide, HxWx3) with the slide's chosen generated image placed as
    ``slide.imagery.placement`` says. With ``reveal`` the layout's body paragraphs are found
    too. ``drawing`` is the built-in renderer's record of where it drew (``RenderedSlide.
    layout``; None for a LibreOffice picture); ``number`` is the slide's number in notes."""
    chosen = chosen_image(project, slide, number)
    generated, missing = chosen.image, chosen.missing
    notes = [chosen.note] if chosen.note else []
    if generated is None and not reveal:
        return ComposedSlide(frame, notes=notes, missing_image=missing)
    canvas = canvas_of(project.lecture, frame)
    area = canvas.crop(frame)
    layout = slide_layout(slide, area, drawing, reveal)
    if reveal and layout.problem:
        notes.append(f"Slide {number} shows all its bullets at once: {layout.problem}.")
    if generated is None:
        return ComposedSlide(frame, canvas, layout, None, notes, missing)
    placeholder = slide.placeholders[0] if slide.placeholders else None
    placement = slide.imagery.placement
    if placement == "placeholder" and placeholder is None:
        notes.append(
            f"Slide {number} asks for its image in an empty picture placeholder but has "
            "none, so the image is placed beside the text; choose another placement."
        )
        placement = "beside"
    placing = ImagePlacement(generated, placement, layout.content, placeholder)
    picture = in_frame(frame, canvas, placing.onto(area))
    return ComposedSlide(picture, canvas, layout, placing, notes, missing)


def compose_slide_picture(
    project: Project,
    slide: Slide,
    drawn: RenderedSlide,
    number: int | None = None,
) -> tuple[np.ndarray, list[str]]:
    """The slide as ``drawn`` and as the video shows it (before any reveal or motion): its
    chosen generated image placed on it. Returns the HxWx3 frame and one sentence per thing
    asked for that could not be done."""
    if number is None:
        number = project.lecture.index_of(slide.id) + 1
    picture = np.asarray(drawn.image.convert("RGB"))
    composed = compose_slide(project, slide, picture, drawn.layout, number)
    notes = list(composed.notes)
    if composed.missing_image:
        notes.append(
            f"Slide {number} asks for a generated image but none has been drawn yet, so it "
            "shows without one; generate its image first."
        )
    return composed.picture, notes


@dataclass(frozen=True)
class ChosenImage:
    """What became of the generated image a slide asks for: the image, or why there is none
    (``missing``: none drawn yet; ``note``: the sentence saying it is damaged)."""

    image: Image.Image | None = None
    missing: bool = False
    note: str = ""


def chosen_image(project: Project, slide: Slide, number: int) -> ChosenImage:
    """The slide's chosen generated image, when its placement asks for one and it exists;
    ``number`` (the slide's) goes into the note when it is damaged."""
    spec = slide.imagery
    if spec.placement == "none":
        return ChosenImage()
    if not 0 <= spec.chosen < len(spec.variants):
        return ChosenImage(missing=True)
    try:
        with open_picture(project.asset_bytes(spec.variants[spec.chosen]), "it") as image:
            return ChosenImage(image.convert("RGB"))
    except (LectureStudioError, OSError, ValueError):
        return ChosenImage(
            note=f"The generated image of slide {number} is missing or damaged, so the slide is "
            "shown without it; run `lecture-studio imagery` on the project to draw it again."
        )


def canvas_of(lecture: Lecture, frame: np.ndarray) -> SlideCanvas:
    """Where a slide of ``lecture`` lies in ``frame``."""
    from ..slides import fitted_size

    height, width = frame.shape[:2]
    fit_w, fit_h = fitted_size(lecture.aspect, (width, height))
    return SlideCanvas((width - fit_w) // 2, (height - fit_h) // 2, fit_w, fit_h)


def in_frame(frame: np.ndarray, canvas: SlideCanvas, area: np.ndarray) -> np.ndarray:
    """``frame`` with its canvas replaced by ``area`` (``area`` itself when it is the frame)."""
    if area.shape == frame.shape:
        return area
    out = frame.copy()
    canvas.crop(out)[:] = area
    return out


def slide_layout(
    slide: Slide, area: np.ndarray, drawing: SlideDrawing | None, reveal: bool
) -> SlideLayout:
    """Where the slide's text is on its canvas ``area``: as the built-in renderer recorded it
    while drawing (``drawing``), or for a LibreOffice picture, the deck's boxes with the
    paragraphs found from their ink."""
    height, width = area.shape[:2]
    canvas = SlideCanvas(0, 0, width, height)
    if drawing is not None:
        return SlideLayout(
            paragraphs=[(d.paragraph.text, d.box, drawing.paper) for d in drawing.paragraphs],
            content=[canvas.fraction(box) for box in drawing.content],
        )
    layout = SlideLayout()
    boxes = [b.box for b in slide.body if b.box is not None]
    boxes += [t.box for t in slide.tables if t.box is not None]
    boxes += [p.box for p in slide.pictures if p.box is not None]
    layout.content = boxes + [canvas.fraction(box) for box in _ink_boxes(area)]
    if not reveal:
        return layout
    for block in slide.body:
        texts = [p.text for p in block.paragraphs if p.text.strip()]
        if not texts:
            continue
        if block.box is None:
            layout.problem = "the deck does not say where its text is"
            return layout
        found = paragraph_regions(area, canvas.pixels(block.box), len(texts))
        if found.problem:
            layout.problem = found.problem
            return layout
        layout.paragraphs += [
            (text, region, found.background)
            for text, region in zip(texts, found.regions, strict=True)
        ]
    return layout


def _ink_boxes(area: np.ndarray) -> list[PixelBox]:
    """Runs of grid cells that hold ink (anything unlike the paper colour at the border): the
    title and shapes a deck's text boxes do not cover, which an image must keep clear of too."""
    height, width = area.shape[:2]
    cols, rows = INK_GRID
    border = np.concatenate([area[0], area[-1], area[:, 0], area[:, -1]])
    paper = np.median(border, axis=0)
    ink = np.abs(area.astype(np.int16) - paper.astype(np.int16)).sum(axis=2) > INK_DISTANCE
    xs = np.linspace(0, width, cols + 1).astype(int)
    ys = np.linspace(0, height, rows + 1).astype(int)
    cells = np.add.reduceat(np.add.reduceat(ink, ys[:-1], axis=0), xs[:-1], axis=1) > 0
    boxes: list[PixelBox] = []
    for r in range(rows):
        c = 0
        while c < cols:
            if not cells[r, c]:
                c += 1
                continue
            start = c
            while c < cols and cells[r, c]:
                c += 1
            boxes.append((int(xs[start]), int(ys[r]), int(xs[c]), int(ys[r + 1])))
    return boxes

"""What each slide shows on the timeline: its rendered picture with its chosen generated image
placed on it, in reveal states timed by the narration, moving when its motion is on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..jobs import CancelToken
from ..model import Lecture, Slide
from ..model.timeline import SlideTiming, Timeline
from ..narration import NarrationClip
from ..project import Project
from ..slides import RenderedSlide
from ..transitions.reveal import reveal_schedule, reveal_states
from .compose import compose_slide, in_frame
from .plan import Narration, SlideVisual


@dataclass(frozen=True)
class SlideView:
    """What a slide shows (``visual``), and what asked for could not be done: one sentence
    each in ``notes``, and ``missing_image`` when its generated image has not been drawn."""

    visual: SlideVisual
    notes: tuple[str, ...] = ()
    missing_image: bool = False


def slide_motion_of(lecture: Lecture, slide: Slide) -> str:
    """The camera move a slide gets: its own setting ("none" turns motion off even when the
    lecture moves every slide), or the lecture's default when it has none."""
    return slide.motion if slide.motion is not None else lecture.style.motion


def slide_visual(
    project: Project,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    drawn: RenderedSlide,
    narration: NarrationClip | Narration | None,
) -> SlideView:
    """What ``slide`` shows on ``timeline``: the slide as ``drawn`` with its chosen generated
    image placed on it (``compose_slide``), in reveal states when the lecture reveals bullets
    (at the words that introduce them where the narration has word timings, else at its
    sentences), moving when its motion is on."""
    lecture = project.lecture
    number = timing.index + 1
    frame = np.asarray(drawn.image.convert("RGB"))
    motion = slide_motion_of(lecture, slide)
    sentences = narration.sentences if narration is not None else ()
    words = narration.words if narration is not None else ()
    reveal = lecture.style.reveal and bool(sentences) and bool(slide.bullet_texts())
    composed = compose_slide(project, slide, frame, drawn.layout, number, reveal)
    notes, missing = tuple(composed.notes), composed.missing_image
    canvas, layout = composed.canvas, composed.layout
    if canvas is None:
        return SlideView(SlideVisual.still(frame, motion), notes, missing)
    starts: list[int] = []
    if reveal and not layout.problem and layout.paragraphs:
        offset = (timing.narration_start - timing.start_sample) / timeline.sample_rate
        texts = [text for text, _, _ in layout.paragraphs]
        starts = reveal_schedule(texts, sentences, timeline.fps, offset, words)
    area = canvas.crop(composed.picture)
    states = [(0, area)]
    if any(starts):
        bare = canvas.crop(frame).copy()
        for _, (left, top, right, bottom), paper in layout.paragraphs:
            bare[top:bottom, left:right] = paper
        regions = [box for _, box, _ in layout.paragraphs]
        states = reveal_states(area, regions, starts, composed.place_on(bare))
    visual = SlideVisual(
        tuple((first, in_frame(frame, canvas, state)) for first, state in states), motion
    )
    return SlideView(visual, notes, missing)


def slide_visuals(
    project: Project,
    drawn: dict[str, RenderedSlide],
    clips: dict[str, NarrationClip | Narration | None],
    timeline: Timeline,
    cancel: CancelToken | None = None,
) -> tuple[dict[str, SlideVisual], list[str]]:
    """``slide_visual`` of every slide on ``timeline`` at once (for previews and tests), and
    the notes of them all."""
    visuals: dict[str, SlideVisual] = {}
    notes: list[str] = []
    missing: list[int] = []
    for timing in timeline.slides:
        if cancel is not None:
            cancel.check()
        slide = project.lecture.slide(timing.slide_id)
        view = slide_visual(
            project,
            slide,
            timing,
            timeline,
            drawn[slide.id],
            clips.get(slide.id),
        )
        visuals[slide.id] = view.visual
        notes += view.notes
        if view.missing_image:
            missing.append(timing.index + 1)
    if missing:
        notes.append(missing_imagery_note(project, missing))
    return visuals, notes


def missing_imagery_note(project: Project, numbers: list[int]) -> str:
    """Says which slides ask for a generated image not drawn yet, and how to draw them."""
    where = f" {project.path}" if project.path else ""
    listed = ", ".join(str(n) for n in numbers)
    many = len(numbers) > 1
    return (
        f"Slide{'s' * many} {listed} ask{'s' * (not many)} for a generated image but none has "
        f"been drawn yet; run `lecture-studio imagery{where}` to draw "
        f"{'them' if many else 'it'}, then export again."
    )

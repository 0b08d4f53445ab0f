"""What each slide shows on the timeline: its rendered picture with its chosen generated image
placed on it, in the states of its deck's build animation or reveal states, timed by the
narration, moving when its motion is on."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..jobs import CancelToken
from ..model import Lecture, Slide
from ..model.timeline import SlideTiming, Timeline
from ..narration import NarrationClip
from ..project import Project
from ..slides import RenderedSlide
from ..transitions.builds import BuildChange
from ..transitions.reveal import reveal_schedule, reveal_states
from .compose import compose_slide, in_frame
from .media import playing_videos
from .media_timing import step_frames
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
    image placed on it (``compose_slide``), in the states of its deck's build animation
    (``build_view``), else in reveal states when the lecture reveals bullets (at the words
    that introduce them where the narration has word timings, else at its sentences), moving
    when its motion is on."""
    if any(media.kind == "video" and media.seconds > 0 for media in slide.media):
        return _playing_view(project, slide, timing, timeline, drawn, narration)
    lecture = project.lecture
    number = timing.index + 1
    image = drawn.image  # RGB already: convert() would copy it (6 MB of fresh pages at 1080p)
    frame = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    motion = slide_motion_of(lecture, slide)
    if any(step.shows or step.hides for step in slide.builds):
        if drawn.builds:
            return build_view(project, slide, timing, timeline, drawn, narration)
        note = (
            f"Slide {number} shows only the final state of its build animation, which is drawn "
            "only when LibreOffice draws the slide."
        )
        view = slide_visual(project, _without_builds(slide), timing, timeline, drawn, narration)
        return SlideView(view.visual, (*view.notes, note), view.missing_image)
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


def _without_builds(slide: Slide) -> Slide:
    return replace(slide, builds=[])


def build_view(
    project: Project,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    drawn: RenderedSlide,
    narration: NarrationClip | Narration | None,
) -> SlideView:
    """The slide in the states of its build animation (``drawn.builds``, LibreOffice's
    pictures), each step at its ``[click]`` cue in the notes, else at the sentence that first
    mentions what it shows, else spread evenly (``build_step_frames``); each change drawn as
    the step's effect (appear, fade, wipe, fly in), or cut while the camera moves."""
    lecture = project.lecture
    number = timing.index + 1
    motion = slide_motion_of(lecture, slide)
    fps = timeline.fps
    timed = step_frames(lecture, slide, timing, timeline, narration)
    notes = list(timed.notes)
    frames = timed.frames
    frame = np.asarray(drawn.image.convert("RGB"))
    composed = compose_slide(project, slide, frame, drawn.layout, number)
    notes += composed.notes
    pictures = [np.asarray(state.convert("RGB")) for state in drawn.builds]
    if composed.canvas is not None:
        canvas = composed.canvas
        pictures = [in_frame(p, canvas, composed.place_on(canvas.crop(p))) for p in pictures]
    shown: dict[int, tuple[np.ndarray, BuildChange | None]] = {0: (pictures[0], None)}
    for step, first, picture in zip(slide.builds, frames, pictures[1:], strict=True):
        count = round(step.duration * fps) if step.effect != "appear" else 0
        change = BuildChange(step.effect, step.direction, count) if count and first else None
        shown[first] = (picture, change if first not in shown else shown[first][1])
    ordered = sorted(shown.items())
    visual = SlideVisual(
        tuple((first, picture) for first, (picture, _) in ordered),
        motion,
        changes=tuple(change for _, (_, change) in ordered),
    )
    return SlideView(visual, tuple(notes), composed.missing_image)


def _playing_view(
    project: Project,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    drawn: RenderedSlide,
    narration: NarrationClip | Narration | None,
) -> SlideView:
    """``slide_visual`` with the slide's videos playing in their boxes (``render.media``)
    over whichever state shows; a video that cannot be decoded leaves its poster, noted."""
    view = slide_visual(project, replace(slide, media=[]), timing, timeline, drawn, narration)
    playing, notes = playing_videos(
        project, slide, timing, timeline, view.visual.picture, narration
    )
    visual = view.visual if playing is None else replace(view.visual, playing=playing)
    return SlideView(visual, (*view.notes, *notes), view.missing_image)


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

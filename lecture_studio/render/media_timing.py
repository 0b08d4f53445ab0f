"""When things happen on a slide: the frame of each build step, and when each video or sound
placed on it plays, as its deck's main sequence sets it.

One timing for both: the steps come at their ``[click]`` cues, else at the sentences that
mention them, else spread evenly (``transitions.builds.build_step_frames``), each "with" or
"after previous" step its own start after its click; a clip that a step starts plays from that
step's frame, a clip that no step starts from when the slide is shown (the transition into it
has ended). ``fitted_timeline`` then keeps each slide up until its clips have played.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..model import Lecture, Slide, SlideMedia, narration_script, slide_language
from ..model.timeline import SlideTiming, Timeline, slide_length_seconds
from ..narration import NarrationClip
from ..narration.cleanup import click_marks, spoken_sentences
from ..transitions.builds import build_step_frames
from .plan import Narration, lecture_timeline

Voice = NarrationClip | Narration | None


def shown_frame(timeline: Timeline, timing: SlideTiming) -> int:
    """The frame (from its slide's start) at which the transition into the slide has ended."""
    position = next(i for i, t in enumerate(timeline.slides) if t.slide_id == timing.slide_id)
    if position == 0:
        return 0
    count = timeline.slides[position - 1].transition_frames
    return count - count // 2


@dataclass(frozen=True)
class StepFrames:
    """The frame (from the slide's start) of each of a slide's build steps, and what of its
    cues could not be followed: one sentence each, naming the slide."""

    frames: tuple[int, ...]
    notes: tuple[str, ...] = ()


def step_frames(
    lecture: Lecture, slide: Slide, timing: SlideTiming, timeline: Timeline, narration: Voice
) -> StepFrames:
    """When each of ``slide.builds`` happens: at its ``[click]`` cue in the notes, else at the
    sentence that first mentions what it shows, else spread evenly over the narration (over
    the slide's own time when it has none, which its clips do not lengthen), each "with" or
    "after previous" step its own start after its click."""
    if not slide.builds:
        return StepFrames(())
    number = timing.index + 1
    notes: list[str] = []
    sentences = tuple(narration.sentences) if narration is not None else ()
    words = tuple(narration.words) if narration is not None else ()
    script = narration_script(slide, lecture)
    language = slide_language(lecture, slide)
    marks = click_marks(script, language)
    clicks = sum(step.trigger == "click" for step in slide.builds)
    if marks and sentences and len(spoken_sentences(script, language)) != len(sentences):
        notes.append(
            f"Slide {number}'s [click] cues cannot be placed in its narration, which is not "
            "the notes read aloud, so its build steps follow the sentences that mention them."
        )
        marks = []
    elif len(marks) > clicks:
        notes.append(
            f"Slide {number}'s notes have {len(marks)} [click] cues for {clicks} build "
            f"step{'s' * (clicks != 1)}, so the last {len(marks) - clicks} are ignored."
        )
    offset = (timing.narration_start - timing.start_sample) / timeline.sample_rate
    own = timing.frames
    if not sentences:  # spread over the slide's own time, not the time its clips add
        seconds = slide_length_seconds(replace(slide, media=[]), lecture, None)
        own = min(own, max(1, math.ceil(seconds * timeline.fps - 1e-9)))
    frames = build_step_frames(
        slide.builds,
        marks if sentences else [],
        sentences,
        timeline.fps,
        offset,
        timing.frames,
        words,
        shown_at=shown_frame(timeline, timing),
        spread_frames=own,
    )
    return StepFrames(tuple(frames), tuple(notes))


@dataclass(frozen=True)
class ClipTime:
    """When a clip plays on its slide, in frames from the slide's start: from ``first`` for
    ``count`` frames a play, ``plays`` times (0: over and over until the slide ends)."""

    first: int
    count: int
    plays: int = 1

    @property
    def end(self) -> int:
        """The frame after its last play (its first play's end when it loops)."""
        return self.first + self.count * max(self.plays, 1)


def clip_frames(media: SlideMedia, fps: int) -> int:
    """Frames one play of ``media`` takes (at least one)."""
    return max(1, math.ceil(media.seconds * fps - 1e-9))


def clip_times(
    lecture: Lecture,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    narration: Voice,
    steps: StepFrames | None = None,
) -> list[ClipTime]:
    """When each clip of ``slide.media`` plays (in its order): from the frame of the first
    build step that starts it, else from when the slide is shown. ``steps``: the slide's
    ``step_frames`` where known."""
    shown = shown_frame(timeline, timing)
    if steps is None and any(step.plays for step in slide.builds):
        steps = step_frames(lecture, slide, timing, timeline, narration)
    out = []
    for media in slide.media:
        first = shown
        if steps is not None and media.shape_id:
            for step, frame in zip(slide.builds, steps.frames, strict=True):
                if media.shape_id in step.plays:
                    first = max(frame, shown)
                    break
        out.append(ClipTime(first, clip_frames(media, timeline.fps), max(media.plays, 0)))
    return out


def fitted_timeline(
    lecture: Lecture,
    narration_samples: Mapping[str, int],
    narrations: Mapping[str, Voice],
    fps: int | None = None,
) -> Timeline:
    """``plan.lecture_timeline``, with each slide long enough for its clips to play whole
    from where its build steps start them, before the transition out of it begins.

    A slide is lengthened where a clip would still play; its steps keep their times (they
    follow its narration, or spread over its own time), so one more layout settles it; a
    few more cover the narration moving by an AAC frame as the slides before it grow."""
    at_least: dict[str, float] = {}
    timeline = lecture_timeline(lecture, narration_samples, fps)
    for _ in range(4):
        short = False
        for position, timing in enumerate(timeline.slides):
            slide = lecture.slide(timing.slide_id)
            if not slide.media:
                continue
            times = clip_times(lecture, slide, timing, timeline, narrations.get(slide.id))
            end = max((time.end for time in times), default=0)
            outgoing = 0.0
            if position + 1 < len(timeline.slides) and timing.transition.kind != "cut":
                outgoing = max(timing.transition.duration, 0.0) / 2
            needed = end / timeline.fps + outgoing
            if end + math.ceil(outgoing * timeline.fps) > timing.frames:
                at_least[slide.id] = max(at_least.get(slide.id, 0.0), needed + 1e-6)
                short = True
        if not short:
            return timeline
        timeline = lecture_timeline(lecture, narration_samples, fps, at_least)
    return timeline

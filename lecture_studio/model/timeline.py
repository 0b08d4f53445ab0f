"""When each slide starts and ends, in audio samples and video frames; the audio is the clock.

Every slide lasts a whole number of frames: its length in samples (``slide_length_seconds``:
lead-in + narration + tail or the default, at least the time to read the slide; or its fixed
duration) is rounded up to the next frame boundary with silence. Slide
changes therefore fall exactly on frame boundaries of the audio track, and picture and sound
cannot drift apart however long the lecture is. Transitions overlap the boundary (half before,
half after) and never move the narration.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .estimates import reading_seconds
from .lecture import Lecture, Slide, TransitionSpec

SAMPLE_RATE = 48_000
FRAME_RATES = (24, 25, 30, 50, 60)


@dataclass(frozen=True)
class SlideTiming:
    """One visible slide on the timeline; ``narration_start`` is where its voice begins."""

    slide_id: str
    index: int
    start_sample: int
    end_sample: int
    narration_start: int
    narration_samples: int
    start_frame: int
    end_frame: int
    transition: TransitionSpec
    transition_frames: int  # frames of the transition into the next slide (0 for a cut)

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame

    def seconds(self, sample_rate: int = SAMPLE_RATE) -> tuple[float, float]:
        return self.start_sample / sample_rate, self.end_sample / sample_rate


@dataclass(frozen=True)
class Timeline:
    fps: int
    sample_rate: int
    slides: tuple[SlideTiming, ...]

    @property
    def samples_per_frame(self) -> int:
        return self.sample_rate // self.fps

    @property
    def total_samples(self) -> int:
        return self.slides[-1].end_sample if self.slides else 0

    @property
    def total_frames(self) -> int:
        return self.slides[-1].end_frame if self.slides else 0

    @property
    def duration(self) -> float:
        return self.total_samples / self.sample_rate


def slide_lead_in(slide: Slide, lecture: Lecture) -> float:
    """Seconds of silence before the slide's narration: its own, else the lecture's."""
    return slide.duration.lead_in if slide.duration.lead_in is not None else lecture.timing.lead_in


def slide_length_seconds(
    slide: Slide,
    lecture: Lecture,
    narration_seconds: float | None,
    delay: float = 0.0,
    transitions: float = 0.0,
) -> float:
    """How long ``slide`` stays up: the one rule behind the editor's estimates and the export.

    - a fixed duration is kept as set, only ever lengthened to fit its narration;
    - otherwise lead-in + narration + tail (``delay`` more when the narration starts late),
      or the lecture's default duration when the slide has no narration, and in both cases at
      least as long as a viewer needs to read it (``reading_seconds``): a short narration
      then starts as usual and the slide holds after it;
    - a slide without narration whose deck says when to advance (``advance_after``) lasts
      exactly that long;
    - and in every case at least as long as the longest video or sound placed on it
      (``media_seconds``) plus ``transitions``, the seconds that the transitions into and out
      of it take of it, so that the clip plays whole between them.
    """
    playing = media_seconds(slide)
    floor = playing + transitions if playing else 0.0
    return max(_timed_seconds(slide, lecture, narration_seconds, delay), floor)


def media_seconds(slide: Slide) -> float:
    """How long the longest video or sound placed on ``slide`` plays (0 when none can)."""
    return max((media.seconds for media in slide.media), default=0.0)


def _timed_seconds(
    slide: Slide, lecture: Lecture, narration_seconds: float | None, delay: float
) -> float:
    """``slide_length_seconds`` as its narration and duration settings make it."""
    tail = slide.duration.tail if slide.duration.tail is not None else lecture.timing.tail
    spoken = 0.0
    if narration_seconds:
        spoken = slide_lead_in(slide, lecture) + delay + narration_seconds + tail
    if slide.duration.mode == "fixed":
        return max(slide.duration.seconds, spoken)
    if narration_seconds:
        return max(spoken, reading_seconds(slide))
    if slide.duration.advance_after is not None:  # the deck's own timing, kept as its author set
        return max(slide.duration.advance_after, 0.0)
    return max(lecture.timing.default_duration, reading_seconds(slide))


def outgoing_transition(lecture: Lecture, slide: Slide, following: Slide | None) -> TransitionSpec:
    """The transition from ``slide`` into ``following`` (the next slide shown): the slide's
    own when it sets one; else, when the lecture follows its deck, the one the deck sets on
    ``following`` (PowerPoint keeps a transition on the slide it leads into); else the
    lecture's."""
    if slide.transition is not None:
        return slide.transition
    deck = following.deck_transition if following is not None else None
    if deck is not None and lecture.style.deck_transitions:
        return deck.transition
    return lecture.style.transition


def transition_after(lecture: Lecture, slide: Slide) -> TransitionSpec:
    """The transition from ``slide`` into the next slide shown (``outgoing_transition``): what
    the editor previews for it."""
    shown = lecture.visible_slides()
    later = [s for s in shown if lecture.index_of(s.id) > lecture.index_of(slide.id)]
    return outgoing_transition(lecture, slide, later[0] if later else None)


def build_timeline(
    lecture: Lecture,
    narration_samples: dict[str, int],
    sample_rate: int = SAMPLE_RATE,
    fps: int | None = None,
    first_narration_at: int = 0,
    narration_grid: int = 1,
    at_least: Mapping[str, float] | None = None,
) -> Timeline:
    """Lay out the lecture's visible slides; ``narration_samples`` maps slide id to clip length.

    ``fps`` overrides the lecture's frame rate (an export at another rate);
    ``first_narration_at`` is the earliest sample the very first narration may start at (the
    audio encoder cannot keep the first few milliseconds of a track); with ``narration_grid``
    every narration starts on a multiple of that many samples (a little after its lead-in),
    which lets the encoder reuse a clip's encoded sound wherever the clip moves;
    ``at_least`` maps a slide id to the seconds it must last at least (its clips played from
    where its narration starts them: ``render.media_timing.fitted_timeline``)."""
    fps = fps or lecture.output.fps
    if fps not in FRAME_RATES:
        raise ValueError(f"frame rate {fps} is not one of {FRAME_RATES}")
    per_frame = sample_rate // fps
    timings: list[SlideTiming] = []
    sample = frame = 0
    visible = lecture.visible_slides()
    for position, slide in enumerate(visible):
        following = visible[position + 1] if position + 1 < len(visible) else None
        clip = narration_samples.get(slide.id, 0)
        offset = delay = 0
        if clip:
            offset = round(slide_lead_in(slide, lecture) * sample_rate)
            wanted = max(offset, first_narration_at - sample)
            wanted = -(-(sample + wanted) // narration_grid) * narration_grid - sample
            delay, offset = wanted - offset, wanted
        incoming = timings[-1].transition if timings else None
        outgoing = outgoing_transition(lecture, slide, following)
        seconds = slide_length_seconds(
            slide,
            lecture,
            clip / sample_rate if clip else None,
            delay / sample_rate,
            (_seconds_of(incoming) + _seconds_of(outgoing)) / 2,
        )
        if at_least:
            seconds = max(seconds, at_least.get(slide.id, 0.0))
        length = max(1, math.ceil(round(seconds * sample_rate) / per_frame)) * per_frame
        frames = length // per_frame
        timings.append(
            SlideTiming(
                slide_id=slide.id,
                index=lecture.index_of(slide.id),
                start_sample=sample,
                end_sample=sample + length,
                narration_start=sample + offset,
                narration_samples=clip,
                start_frame=frame,
                end_frame=frame + frames,
                transition=outgoing,
                transition_frames=0,
            )
        )
        sample += length
        frame += frames
    return Timeline(fps, sample_rate, tuple(_with_transitions(timings, fps)))


def _seconds_of(transition: TransitionSpec | None) -> float:
    """How long ``transition`` wants to take (0 for none or a cut); half of it falls on
    either side of the slide change."""
    if transition is None or transition.kind == "cut":
        return 0.0
    return max(transition.duration, 0.0)


def _with_transitions(timings: list[SlideTiming], fps: int) -> list[SlideTiming]:
    """Fix each transition's length in frames: at most half of either neighbouring slide."""
    out = []
    for i, timing in enumerate(timings):
        frames = 0
        if i + 1 < len(timings) and timing.transition.kind != "cut":
            wanted = round(timing.transition.duration * fps)
            frames = max(0, min(wanted, timing.frames // 2, timings[i + 1].frames // 2) // 2 * 2)
        out.append(replace(timing, transition_frames=frames))
    return out

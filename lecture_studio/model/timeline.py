"""When each slide starts and ends, in audio samples and video frames; the audio is the clock.

Every slide lasts a whole number of frames: its length in samples (lead-in + narration + tail, or
its fixed duration, or the default) is rounded up to the next frame boundary with silence. Slide
changes therefore fall exactly on frame boundaries of the audio track, and picture and sound
cannot drift apart however long the lecture is. Transitions overlap the boundary (half before,
half after) and never move the narration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

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


def slide_length_seconds(slide: Slide, lecture: Lecture, narration_seconds: float | None) -> float:
    """Lead-in + narration + tail; the fixed duration (never shorter than its narration); or the
    default when the slide has no narration."""
    lead_in = (
        slide.duration.lead_in if slide.duration.lead_in is not None else lecture.timing.lead_in
    )
    tail = slide.duration.tail if slide.duration.tail is not None else lecture.timing.tail
    spoken = lead_in + narration_seconds + tail if narration_seconds else 0.0
    if slide.duration.mode == "fixed":
        return max(slide.duration.seconds, spoken)
    return spoken if narration_seconds else lecture.timing.default_duration


def build_timeline(
    lecture: Lecture,
    narration_samples: dict[str, int],
    sample_rate: int = SAMPLE_RATE,
    fps: int | None = None,
    first_narration_at: int = 0,
    narration_grid: int = 1,
) -> Timeline:
    """Lay out the lecture's visible slides; ``narration_samples`` maps slide id to clip length.

    ``fps`` overrides the lecture's frame rate (an export at another rate);
    ``first_narration_at`` is the earliest sample the very first narration may start at (the
    audio encoder cannot keep the first few milliseconds of a track); with ``narration_grid``
    every narration starts on a multiple of that many samples (a little after its lead-in),
    which lets the encoder reuse a clip's encoded sound wherever the clip moves."""
    fps = fps or lecture.output.fps
    if fps not in FRAME_RATES:
        raise ValueError(f"frame rate {fps} is not one of {FRAME_RATES}")
    per_frame = sample_rate // fps
    timings: list[SlideTiming] = []
    sample = frame = 0
    for slide in lecture.visible_slides():
        clip = narration_samples.get(slide.id, 0)
        seconds = slide_length_seconds(slide, lecture, clip / sample_rate if clip else None)
        lead_in = (
            slide.duration.lead_in if slide.duration.lead_in is not None else lecture.timing.lead_in
        )
        offset = round(lead_in * sample_rate) if clip else 0
        if clip:
            wanted = max(offset, first_narration_at - sample)
            wanted = -(-(sample + wanted) // narration_grid) * narration_grid - sample
            seconds += (wanted - offset) / sample_rate
            offset = wanted
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
                transition=slide.transition or lecture.style.transition,
                transition_frames=0,
            )
        )
        sample += length
        frame += frames
    return Timeline(fps, sample_rate, tuple(_with_transitions(timings, fps)))


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

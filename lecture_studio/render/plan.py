"""From a timeline, slide pictures and narration clips to the encoder's input: video segments
and one audio track."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model.timeline import Timeline
from ..narration import NarrationClip
from ..transitions import make_transition
from .encoder import MotionSegment, StillSegment


def video_segments(
    timeline: Timeline, pictures: dict[str, np.ndarray]
) -> list[StillSegment | MotionSegment]:
    """Still segments for each slide, and a motion segment centred on each slide change."""
    segments: list[StillSegment | MotionSegment] = []
    incoming = 0  # frames of the previous transition that fall into this slide
    for i, timing in enumerate(timeline.slides):
        picture = pictures[timing.slide_id]
        outgoing = timing.transition_frames // 2
        still = timing.frames - incoming - outgoing
        if still > 0:
            segments.append(StillSegment(picture, still))
        if timing.transition_frames:
            following = pictures[timeline.slides[i + 1].slide_id]
            segments.append(_transition_segment(timing, picture, following))
        incoming = timing.transition_frames - outgoing
    return segments


def _transition_segment(timing, a: np.ndarray, b: np.ndarray) -> MotionSegment:
    count = timing.transition_frames
    transition = make_transition(timing.transition.kind, timing.transition.duration)

    def render(k: int) -> np.ndarray:
        return transition.frame(a, b, (k + 1) / (count + 1))

    return MotionSegment(count, render)


def audio_track(timeline: Timeline, clips: dict[str, NarrationClip | None]) -> np.ndarray:
    """The lecture's sound: each clip at its slide's narration start, silence elsewhere; stereo
    float32 at the timeline's sample rate, exactly ``timeline.total_samples`` long."""
    track = np.zeros(timeline.total_samples, dtype=np.float32)
    for timing in timeline.slides:
        clip = clips.get(timing.slide_id)
        if clip is None or not len(clip.samples):
            continue
        start = timing.narration_start
        samples = np.asarray(clip.samples, dtype=np.float32)[: timing.end_sample - start]
        track[start : start + len(samples)] = samples
    np.clip(track, -1.0, 1.0, out=track)
    return np.repeat(track[:, None], 2, axis=1)


def sentence_times(
    timeline: Timeline, clips: dict[str, NarrationClip | None]
) -> Sequence[tuple[float, float, str, float]]:
    """Every narration sentence as (start, end, text, end of its slide), in lecture seconds."""
    rate = timeline.sample_rate
    out = []
    for timing in timeline.slides:
        clip = clips.get(timing.slide_id)
        if clip is None:
            continue
        offset = timing.narration_start / rate
        slide_end = timing.end_sample / rate
        for sentence in clip.sentences:
            out.append((offset + sentence.start, offset + sentence.end, sentence.text, slide_end))
    return out

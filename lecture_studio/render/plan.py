"""From a timeline, what each slide shows and narration clips to the encoder's input: video
segments and one audio track."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model.timeline import SlideTiming, Timeline
from ..narration import NarrationClip
from ..transitions import make_transition
from ..transitions.classic import Crossfade, eased
from ..transitions.motion import slide_motion
from .encoder import AudioStream, BlendSegment, MotionSegment, Segment, StillSegment

FrameAt = Callable[[int], np.ndarray]  # a slide's picture at frame k from the slide's start


@dataclass(frozen=True)
class SlideVisual:
    """What one slide shows over its frames.

    ``states`` are its still pictures as (first frame, picture), in order from frame 0: one
    picture, or one per step of a progressive reveal. ``motion`` ("none" or "ken-burns") moves
    the camera over whichever state shows; the move spans the whole slide, transitions included.
    """

    states: tuple[tuple[int, np.ndarray], ...]
    motion: str = "none"

    def __post_init__(self) -> None:
        if not self.states or self.states[0][0] != 0:
            raise ValueError("a slide's first picture must start at frame 0")
        firsts = [first for first, _ in self.states]
        if firsts != sorted(set(firsts)):
            raise ValueError(f"a slide's pictures must start at increasing frames: {firsts}")

    @classmethod
    def still(cls, picture: np.ndarray, motion: str = "none") -> SlideVisual:
        return cls(((0, picture),), motion)

    @property
    def picture(self) -> np.ndarray:
        """The slide as it finally looks (every bullet shown, no camera move)."""
        return self.states[-1][1]

    def frame_function(self, frames: int) -> FrameAt:
        """Frame ``k`` (0 .. frames - 1) of the slide lasting ``frames`` frames."""
        firsts = [first for first, _ in self.states]
        moves = [slide_motion(self.motion, picture, frames) for _, picture in self.states]

        def frame(k: int) -> np.ndarray:
            state = max(0, bisect.bisect_right(firsts, k) - 1)
            move = moves[state]
            return self.states[state][1] if move is None else move(k)

        return frame

    def segments(self, begin: int, end: int, frame: FrameAt) -> list[StillSegment | MotionSegment]:
        """Frames ``begin`` .. ``end - 1`` of the slide: a still segment per reveal state, or
        one motion segment when the camera moves."""
        if end <= begin:
            return []
        if self.motion != "none":
            return [MotionSegment(end - begin, lambda i: frame(begin + i))]
        out: list[StillSegment | MotionSegment] = []
        bounds = [first for first, _ in self.states[1:]] + [end]
        for (first, picture), until in zip(self.states, bounds, strict=True):
            frames = min(until, end) - max(first, begin)
            if frames > 0:
                out.append(StillSegment(picture, frames))
        return out


def video_segments(
    timeline: Timeline, pictures: Mapping[str, np.ndarray | SlideVisual]
) -> list[Segment]:
    """The slides' own frames, and a motion segment centred on each slide change.

    ``pictures`` maps slide id to a still picture or a ``SlideVisual``. A transition blends
    the frames the two slides would show at that moment, so it starts from the frame a moving
    or revealing slide has reached and ends on the frame the next one starts from.
    """
    visuals = {
        sid: v if isinstance(v, SlideVisual) else SlideVisual.still(v)
        for sid, v in pictures.items()
    }
    frame_of = {t.slide_id: visuals[t.slide_id].frame_function(t.frames) for t in timeline.slides}
    segments: list[Segment] = []
    incoming = 0  # frames of the previous transition that fall into this slide
    for i, timing in enumerate(timeline.slides):
        outgoing = timing.transition_frames // 2
        own = visuals[timing.slide_id].segments(
            incoming, timing.frames - outgoing, frame_of[timing.slide_id]
        )
        segments.extend(own)
        if timing.transition_frames:
            following = timeline.slides[i + 1]
            segments.append(
                _transition_segment(
                    timing, following, frame_of[timing.slide_id], frame_of[following.slide_id]
                )
            )
        incoming = timing.transition_frames - outgoing
    return segments


def _transition_segment(
    timing: SlideTiming, following: SlideTiming, a: FrameAt, b: FrameAt
) -> MotionSegment | BlendSegment:
    count = timing.transition_frames
    outgoing = count // 2
    transition = make_transition(timing.transition.kind, timing.transition.duration)
    a_first = timing.frames - outgoing  # slide a's frame when the transition starts
    last_a, last_b = timing.frames - 1, following.frames - 1
    if isinstance(transition, Crossfade):
        picture_a, picture_b = a(a_first), b(0)
        b_last_in_fade = min(max(0, count - 1 - outgoing), last_b)
        if a(last_a) is picture_a and b(b_last_in_fade) is picture_b:  # both slides hold still
            # the encoder blends in YUV, converting each picture once
            weights = tuple(eased(transition.easing, (k + 1) / (count + 1)) for k in range(count))
            return BlendSegment(picture_a, picture_b, weights)

    def render(k: int) -> np.ndarray:
        picture_a = a(min(a_first + k, last_a))
        picture_b = b(min(max(0, k - outgoing), last_b))
        return transition.frame(picture_a, picture_b, (k + 1) / (count + 1))

    return MotionSegment(count, render)


def audio_stream(timeline: Timeline, clips: dict[str, NarrationClip | None]) -> AudioStream:
    """The lecture's sound read piece by piece: each clip at its slide's narration start,
    silence elsewhere, stereo float32, ``timeline.total_samples`` long. A read mixes only the
    clips it overlaps, so no whole-lecture array is ever made."""
    placed: list[tuple[int, np.ndarray]] = []
    for timing in timeline.slides:
        clip = clips.get(timing.slide_id)
        if clip is None or not len(clip.samples):
            continue
        start = timing.narration_start
        samples = np.asarray(clip.samples, dtype=np.float32)[: timing.end_sample - start]
        placed.append((start, samples))
    starts = np.array([start for start, _ in placed], dtype=np.int64)

    def read(start: int, count: int) -> np.ndarray:
        mono = np.zeros(count, dtype=np.float32)
        end = start + count
        first = max(0, int(np.searchsorted(starts, start, side="right")) - 1)
        for clip_start, samples in placed[first:]:
            if clip_start >= end:
                break
            lo, hi = max(start, clip_start), min(end, clip_start + len(samples))
            if lo < hi:
                mono[lo - start : hi - start] = samples[lo - clip_start : hi - clip_start]
        np.clip(mono, -1.0, 1.0, out=mono)
        return np.repeat(mono[:, None], 2, axis=1)

    return AudioStream(timeline.total_samples, read)


def audio_track(timeline: Timeline, clips: dict[str, NarrationClip | None]) -> np.ndarray:
    """The whole of ``audio_stream`` as one array (for playback of a few slides)."""
    return audio_stream(timeline, clips).read(0, timeline.total_samples)


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

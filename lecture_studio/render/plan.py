"""From a timeline, what each slide shows and narration clips to the encoder's input: video
segments, made one slide at a time, and one audio track of narration pieces."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model.timeline import SlideTiming, Timeline
from ..narration import NarrationClip, TimedText
from ..transitions import make_transition
from ..transitions.classic import Crossfade, eased
from ..transitions.motion import slide_motion
from .encoder import AudioPiece, AudioTrack, BlendSegment, MotionSegment, Segment, StillSegment

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
    timeline: Timeline,
    pictures: Mapping[str, np.ndarray | SlideVisual] | Callable[[SlideTiming], SlideVisual],
) -> Iterator[Segment]:
    """The slides' own frames, and a motion segment centred on each slide change, in order.

    ``pictures`` maps slide id to a still picture or a ``SlideVisual``, or is a function that
    makes a slide's visual when its turn comes: then only the slide being shown and the next
    one are in memory. A transition blends the frames the two slides would show at that
    moment, so it starts from the frame a moving or revealing slide has reached and ends on the
    frame the next one starts from.
    """
    if callable(pictures):
        visual_of = pictures
    else:

        def visual_of(timing: SlideTiming) -> SlideVisual:
            v = pictures[timing.slide_id]
            return v if isinstance(v, SlideVisual) else SlideVisual.still(v)

    incoming = 0  # frames of the previous transition that fall into this slide
    following: tuple[SlideVisual, FrameAt] | None = None
    for i, timing in enumerate(timeline.slides):
        if following is None:
            visual = visual_of(timing)
            following = (visual, visual.frame_function(timing.frames))
        visual, frame = following
        following = None
        outgoing = timing.transition_frames // 2
        yield from visual.segments(incoming, timing.frames - outgoing, frame)
        if timing.transition_frames:
            after = timeline.slides[i + 1]
            next_visual = visual_of(after)
            following = (next_visual, next_visual.frame_function(after.frames))
            yield _transition_segment(timing, after, frame, following[1])
        incoming = timing.transition_frames - outgoing


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


@dataclass(frozen=True)
class Narration:
    """A slide's voice as the export needs it: its length and timings now, its samples (mono
    float32, normalized) from ``load()`` when the audio thread reaches them. ``key``
    identifies those samples, so their encoded sound can be cached. ``words`` are the word
    timings where the voice has them (spoken narration), empty otherwise (recordings)."""

    n_samples: int
    sentences: tuple[TimedText, ...]
    load: Callable[[], np.ndarray]
    key: str | None = None
    words: tuple[TimedText, ...] = ()


def audio_pieces(
    timeline: Timeline, clips: Mapping[str, NarrationClip | Narration | None]
) -> AudioTrack:
    """The lecture's sound: each slide's narration at its narration start, silence elsewhere,
    ``timeline.total_samples`` long (a clip longer than its slide is cut at the slide's end).
    Nothing is loaded here: the encoder loads each piece when its turn comes."""
    pieces: list[AudioPiece] = []
    for timing in timeline.slides:
        clip = clips.get(timing.slide_id)
        if clip is None:
            continue
        start = timing.narration_start
        length = clip.n_samples if isinstance(clip, Narration) else len(clip.samples)
        keep = min(length, timing.end_sample - start)
        if keep <= 0:
            continue
        if isinstance(clip, Narration):
            key = clip.key if clip.key is None or keep == length else f"{clip.key}[:{keep}]"

            def load(clip: Narration = clip, keep: int = keep) -> np.ndarray:
                return np.asarray(clip.load(), dtype=np.float32)[:keep]

        else:
            key = None

            def load(clip: NarrationClip = clip, keep: int = keep) -> np.ndarray:
                return np.asarray(clip.samples, dtype=np.float32)[:keep]

        pieces.append(AudioPiece(start, keep, load, key))
    return AudioTrack(timeline.total_samples, tuple(pieces))


def audio_track(timeline: Timeline, clips: Mapping[str, NarrationClip | None]) -> np.ndarray:
    """The whole track as one (n, 2) array (for playback of a few slides)."""
    return audio_pieces(timeline, clips).read(0, timeline.total_samples)


def sentence_times(
    timeline: Timeline, clips: Mapping[str, NarrationClip | Narration | None]
) -> Sequence[tuple[float, float, str, float]]:
    """Every narration sentence as (start, end, text, end of its slide), in lecture seconds."""
    return _placed(timeline, clips, lambda clip: clip.sentences)


def word_times(
    timeline: Timeline, clips: Mapping[str, NarrationClip | Narration | None]
) -> Sequence[tuple[float, float, str, float]]:
    """Every timed narration word as (start, end, text, end of its slide), in lecture seconds;
    empty for slides whose voice has sentence timings only (recordings)."""
    return _placed(timeline, clips, lambda clip: clip.words)


def _placed(
    timeline: Timeline,
    clips: Mapping[str, NarrationClip | Narration | None],
    pieces: Callable[[NarrationClip | Narration], Sequence[TimedText]],
) -> list[tuple[float, float, str, float]]:
    """``pieces(clip)`` of every slide's clip moved from clip time onto the lecture's."""
    rate = timeline.sample_rate
    out = []
    for timing in timeline.slides:
        clip = clips.get(timing.slide_id)
        if clip is None:
            continue
        offset = timing.narration_start / rate
        slide_end = timing.end_sample / rate
        for piece in pieces(clip):
            out.append((offset + piece.start, offset + piece.end, piece.text, slide_end))
    return out

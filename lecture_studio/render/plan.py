"""From a timeline, what each slide shows and narration clips to the encoder's input: video
segments, made one slide at a time, and one audio track of narration pieces; and the same
frames one at a time from anywhere in the lecture (``LectureFrames``), for the editor's preview."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..model import Lecture
from ..model.timeline import SAMPLE_RATE, SlideTiming, Timeline, build_timeline
from ..narration import NarrationClip, TimedText
from ..plugins import PluginRegistry
from ..transitions import make_transition
from ..transitions.classic import Crossfade, eased
from ..transitions.motion import slide_motion
from .aac import AAC_FRAME
from .encoder import (
    AAC_PRIMING,
    AudioPiece,
    AudioTrack,
    BlendSegment,
    MotionSegment,
    Segment,
    StillSegment,
)

FrameAt = Callable[[int], np.ndarray]  # a slide's picture at frame k from the slide's start


class StateChange(Protocol):
    """How a slide's picture changes from one state to the next over ``frames`` frames."""

    frames: int

    def frame(self, a: np.ndarray, b: np.ndarray, progress: float) -> np.ndarray: ...


class Playing(Protocol):
    """Videos playing on a slide (``render.media``): ``onto(picture, k)`` is ``picture`` with
    each video's picture at slide frame ``k`` in its box. They move from frame ``first`` until
    frame ``end`` and hold still before and after (the same array for the same picture)."""

    first: int
    end: int

    def onto(self, picture: np.ndarray, k: int) -> np.ndarray: ...


@dataclass(frozen=True)
class SlideVisual:
    """What one slide shows over its frames.

    ``states`` are its still pictures as (first frame, picture), in order from frame 0: one
    picture, or one per step of a progressive reveal or build animation. ``motion`` ("none" or
    "ken-burns") moves the camera over whichever state shows; the move spans the whole slide,
    transitions included. ``changes[i]``, where given and not None, draws the first
    ``changes[i].frames`` frames of state i from state i - 1 (a build step's fade, wipe or
    fly-in: ``frame(a, b, progress)``); while the camera moves, states cut. ``playing``: the
    videos that play on the slide, over whichever state shows (the camera moves over them).
    """

    states: tuple[tuple[int, np.ndarray], ...]
    motion: str = "none"
    changes: tuple[StateChange | None, ...] = ()
    playing: Playing | None = None

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
        if self.playing is not None:
            return self._playing_frames(frames)
        firsts = [first for first, _ in self.states]
        moves = [slide_motion(self.motion, picture, frames) for _, picture in self.states]

        def frame(k: int) -> np.ndarray:
            state = max(0, bisect.bisect_right(firsts, k) - 1)
            move = moves[state]
            if move is not None:
                return move(k)
            change = self._change(state)
            if change is not None and k - firsts[state] < change.frames:
                return self._changing(state, k - firsts[state])
            return self.states[state][1]

        return frame

    def _playing_frames(self, frames: int) -> FrameAt:
        """The slide's frames with its videos playing on them."""
        playing = self.playing
        if self.motion == "none":
            still = replace(self, playing=None).frame_function(frames)
            return lambda k: playing.onto(still(k), k)
        unmoved = replace(self, motion="none", playing=None).frame_function(frames)
        return lambda k: slide_motion(self.motion, playing.onto(unmoved(k), k), frames)(k)

    def _playing_segments(
        self, begin: int, end: int, frame: FrameAt
    ) -> list[StillSegment | MotionSegment]:
        """``segments`` with videos playing: the frames in which they move are motion, the
        rest stills of the slide with the videos' first or last picture."""
        out: list[StillSegment | MotionSegment] = []
        moving = (self.playing.first, self.playing.end)
        at = begin
        for segment in replace(self, playing=None).segments(begin, end, frame):
            stop = at + segment.frames
            if isinstance(segment, StillSegment):
                cuts = sorted({at, stop, *(c for c in moving if at < c < stop)})
                for low, high in itertools.pairwise(cuts):
                    if moving[0] <= low < moving[1]:
                        out.append(MotionSegment(high - low, lambda i, s=low: frame(s + i)))
                    else:
                        out.append(StillSegment(frame(low), high - low))
            else:
                out.append(MotionSegment(segment.frames, lambda i, s=at: frame(s + i)))
            at = stop
        return out

    def _change(self, state: int) -> StateChange | None:
        if not state or state >= len(self.changes) or self.motion != "none":
            return None
        change = self.changes[state]
        return change if change is not None and change.frames > 0 else None

    def _changing(self, state: int, i: int) -> np.ndarray:
        """Frame ``i`` of the change into ``state``."""
        change = self.changes[state]
        before, after = self.states[state - 1][1], self.states[state][1]
        return change.frame(before, after, (i + 1) / (change.frames + 1))

    def segments(self, begin: int, end: int, frame: FrameAt) -> list[StillSegment | MotionSegment]:
        """Frames ``begin`` .. ``end - 1`` of the slide: a still segment per reveal or build
        state (after a motion segment for its change, where it has one), or one motion
        segment when the camera moves."""
        if end <= begin:
            return []
        if self.playing is not None:
            return self._playing_segments(begin, end, frame)
        if self.motion != "none":
            return [MotionSegment(end - begin, lambda i: frame(begin + i))]
        out: list[StillSegment | MotionSegment] = []
        bounds = [first for first, _ in self.states[1:]] + [end]
        for state, ((first, picture), until) in enumerate(zip(self.states, bounds, strict=True)):
            change = self._change(state)
            if change is not None:
                changed = min(until, first + change.frames)
                low, high = max(first, begin), min(changed, end)
                if high > low:
                    out.append(
                        MotionSegment(
                            high - low,
                            lambda i, s=state, at=low - first: self._changing(s, at + i),
                        )
                    )
                first = changed
            frames = min(until, end) - max(first, begin)
            if frames > 0:
                out.append(StillSegment(picture, frames))
        return out


def video_segments(
    timeline: Timeline,
    pictures: Mapping[str, np.ndarray | SlideVisual] | Callable[[SlideTiming], SlideVisual],
    registry: PluginRegistry | None = None,
) -> Iterator[Segment]:
    """The slides' own frames, and a motion segment centred on each slide change, in order.

    ``pictures`` maps slide id to a still picture or a ``SlideVisual``, or is a function that
    makes a slide's visual when its turn comes: then only the slide being shown and the next
    one are in memory. A transition blends the frames the two slides would show at that
    moment, so it starts from the frame a moving or revealing slide has reached and ends on the
    frame the next one starts from. Transitions are looked up in ``registry`` (None: the
    built-in ones only).
    """
    if callable(pictures):
        visual_of = pictures
    else:

        def visual_of(timing: SlideTiming) -> SlideVisual:
            v = pictures[timing.slide_id]
            return v if isinstance(v, SlideVisual) else SlideVisual.still(v)

    following: Shown | None = None
    for i, timing in enumerate(timeline.slides):
        shown = following if following is not None else _shown(visual_of(timing), timing)
        following = None

        def next_shown(i: int = i) -> Shown:
            nonlocal following
            after = timeline.slides[i + 1]
            following = _shown(visual_of(after), after)
            return following

        yield from _span_segments(timeline, i, shown, next_shown, registry)


Shown = tuple[SlideVisual, FrameAt]  # a slide's visual and its frames on the timeline


def _shown(visual: SlideVisual, timing: SlideTiming) -> Shown:
    return visual, visual.frame_function(timing.frames)


def _incoming(timeline: Timeline, index: int) -> int:
    """Frames of the transition into slide ``index`` that fall into that slide (its second
    half; the first half ends the slide before)."""
    if index == 0:
        return 0
    count = timeline.slides[index - 1].transition_frames
    return count - count // 2


def _span_segments(
    timeline: Timeline,
    index: int,
    shown: Shown,
    following: Callable[[], Shown],
    registry: PluginRegistry | None,
) -> Iterator[Segment]:
    """Slide ``index``'s own frames from where the transition into it ends, then the transition
    out of it, for which ``following()`` gives the next slide's frames (asked only then).
    Together they cover lecture frames ``start + incoming`` to ``end + the next incoming``."""
    timing = timeline.slides[index]
    visual, frame = shown
    outgoing = timing.transition_frames // 2
    yield from visual.segments(_incoming(timeline, index), timing.frames - outgoing, frame)
    if timing.transition_frames:
        after = timeline.slides[index + 1]
        yield _transition_segment(timing, after, frame, following()[1], registry)


def segment_frame(segment: Segment, i: int) -> np.ndarray:
    """Frame ``i`` of ``segment`` as an HxWx3 RGB picture, as the encoder makes it. A
    crossfade is mixed as the encoder mixes it in YUV (``_PlaneBlend``: weights in 128 steps,
    rounded to nearest), here in RGB: the same picture within rounding, as the conversion is
    linear."""
    if not 0 <= i < segment.frames:
        raise IndexError(f"frame {i} is outside a segment of {segment.frames} frames")
    if isinstance(segment, StillSegment):
        return segment.image
    if isinstance(segment, MotionSegment):
        return segment.render(i)
    weight = min(round(segment.weights[i] * 128), 128)
    if weight <= 0:
        return segment.first
    mix = segment.second.astype(np.int16) - segment.first  # |change * 128| fits in 16 bits
    mix *= np.int16(weight)
    mix += 64
    mix >>= 7
    mix += segment.first
    return mix.astype(np.uint8)


class LectureFrames:
    """The lecture's video one frame at a time, from any frame on: the very segments
    ``video_segments`` hands the encoder, made for the part of the lecture a frame falls in,
    so that the editor's preview shows what the export writes, frame for frame.

    ``visual_of`` makes a slide's visual when one of its frames (or a transition into or out
    of it) is asked for; the last ``keep`` are kept, so playing forward makes each once.
    Transitions are looked up in ``registry`` (None: the built-in ones only). Make frames from
    one thread at a time; ``index_at`` only reads the timeline, from any thread.
    """

    def __init__(
        self,
        timeline: Timeline,
        visual_of: Callable[[SlideTiming], SlideVisual],
        registry: PluginRegistry | None = None,
        keep: int = 3,
    ) -> None:
        if not timeline.slides:
            raise ValueError("a timeline without slides has no frames")
        self.timeline = timeline
        self._visual_of = visual_of
        self._registry = registry
        self._keep = max(2, keep)
        self._starts = [timing.start_frame for timing in timeline.slides]
        self._shown: dict[int, Shown] = {}  # slide index -> frames, least recently used first
        self._span: tuple[int, list[tuple[int, Segment]]] | None = None

    def index_at(self, seconds: float) -> int:
        """The frame on screen ``seconds`` into the lecture (frame ``k`` shows from ``k / fps``
        until the next one), within the lecture's frames."""
        k = math.floor(seconds * self.timeline.fps + 1e-9)
        return min(max(k, 0), self.timeline.total_frames - 1)

    def frame(self, k: int) -> np.ndarray:
        """Lecture frame ``k`` (0 .. total_frames - 1) as HxWx3 RGB."""
        return self.frame_run(k)[0]

    def frame_run(self, k: int) -> tuple[np.ndarray, int]:
        """Frame ``k``, and the first frame after it that may differ: the end of its segment
        when that shows one still picture, else ``k + 1``."""
        segment, first = self._segment_at(k)
        if isinstance(segment, StillSegment):
            return segment.image, first + segment.frames
        return segment_frame(segment, k - first), k + 1

    def _segment_at(self, k: int) -> tuple[Segment, int]:
        total = self.timeline.total_frames
        if not 0 <= k < total:
            raise IndexError(f"frame {k} is outside the lecture's {total} frames")
        index = bisect.bisect_right(self._starts, k) - 1
        if k - self._starts[index] < _incoming(self.timeline, index):
            index -= 1  # in the second half of the transition from the slide before
        span = self._segments(index)
        firsts = [first for first, _ in span]
        first, segment = span[bisect.bisect_right(firsts, k) - 1]
        return segment, first

    def _segments(self, index: int) -> list[tuple[int, Segment]]:
        """Slide ``index``'s span (``_span_segments``), each segment with its first frame."""
        if self._span is None or self._span[0] != index:
            first = self.timeline.slides[index].start_frame + _incoming(self.timeline, index)
            span = []
            for segment in _span_segments(
                self.timeline,
                index,
                self._shown_of(index),
                lambda: self._shown_of(index + 1),
                self._registry,
            ):
                span.append((first, segment))
                first += segment.frames
            self._span = (index, span)
        return self._span[1]

    def _shown_of(self, index: int) -> Shown:
        shown = self._shown.pop(index, None)
        if shown is None:
            timing = self.timeline.slides[index]
            shown = _shown(self._visual_of(timing), timing)
        self._shown[index] = shown
        while len(self._shown) > self._keep:
            del self._shown[next(iter(self._shown))]
        return shown


def lecture_timeline(
    lecture: Lecture,
    narration_samples: Mapping[str, int],
    fps: int | None = None,
    at_least: Mapping[str, float] | None = None,
) -> Timeline:
    """The lecture's timeline as the export lays it out and the preview plays it:
    ``build_timeline`` with every narration starting on the AAC frame grid, after the
    encoder's priming, so that a clip's encoded sound is reused wherever its slide moves.
    ``narration_samples`` maps slide id to clip length; ``fps`` overrides the lecture's;
    ``at_least``: the seconds some slides must last (``build_timeline``)."""
    return build_timeline(
        lecture,
        dict(narration_samples),
        SAMPLE_RATE,
        fps,
        first_narration_at=AAC_PRIMING,
        narration_grid=AAC_FRAME,
        at_least=at_least,
    )


def _transition_segment(
    timing: SlideTiming,
    following: SlideTiming,
    a: FrameAt,
    b: FrameAt,
    registry: PluginRegistry | None,
) -> MotionSegment | BlendSegment:
    count = timing.transition_frames
    outgoing = count // 2
    spec = timing.transition
    transition = make_transition(spec.kind, spec.duration, registry=registry)
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

"""``render/plan.py`` on its own: tiny synthetic pictures and timelines built with
``build_timeline``, no renderer, no narration engine, no encoder. What the export hands the
encoder (segments, the sound track, caption times) and what the preview shows (``LectureFrames``)
is checked frame by frame and sample by sample."""

from __future__ import annotations

import random

import numpy as np
import pytest

from lecture_studio.model import Lecture, Slide, TransitionSpec
from lecture_studio.model.timeline import build_timeline
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.render.aac import AAC_FRAME, AAC_PRIMING
from lecture_studio.render.encoder import BlendSegment, MotionSegment, StillSegment
from lecture_studio.render.plan import (
    LectureFrames,
    Narration,
    SlideVisual,
    audio_pieces,
    audio_track,
    lecture_timeline,
    segment_frame,
    sentence_times,
    video_segments,
    word_times,
)
from lecture_studio.transitions import make_transition
from lecture_studio.transitions.classic import Crossfade
from lecture_studio.transitions.motion import ken_burns

FPS = 30
RATE = 48_000
HEIGHT, WIDTH = 18, 32


def flat(colour: tuple[int, int, int]) -> np.ndarray:
    return np.full((HEIGHT, WIDTH, 3), colour, dtype=np.uint8)


def noise(seed: int) -> np.ndarray:
    """A picture whose every pixel differs, so that a camera move changes it everywhere."""
    return np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)


def fixed_slide(seconds: float, kind: str = "cut", fade: float = 0.0) -> Slide:
    """A slide without text (so reading time does not lengthen it) shown ``seconds``; its
    camera move, if any, comes with its ``SlideVisual``, not the model."""
    slide = Slide(transition=TransitionSpec(kind, fade))
    slide.duration.mode = "fixed"
    slide.duration.seconds = seconds
    return slide


def timeline_of(*slides: Slide, narration: dict[str, int] | None = None):
    return build_timeline(Lecture(slides=list(slides)), narration or {}, RATE, FPS)


def expanded(segments) -> list[np.ndarray]:
    return [segment_frame(s, i) for s in segments for i in range(s.frames)]


# --- video_segments ---------------------------------------------------------------------------


def test_the_segments_together_last_exactly_the_timelines_frames():
    slides = [
        fixed_slide(2.0, "crossfade", 0.4),
        fixed_slide(3.0, "wipe-left", 0.5),
        fixed_slide(2.0, "cut"),
        fixed_slide(2.5, "push-left", 0.3),
        fixed_slide(2.0),
    ]
    timeline = timeline_of(*slides)
    pictures = {s.id: noise(i) for i, s in enumerate(slides)}
    pictures[slides[1].id] = SlideVisual.still(pictures[slides[1].id], "ken-burns")

    segments = list(video_segments(timeline, pictures))

    assert timeline.total_frames == 60 + 90 + 60 + 75 + 60
    assert sum(s.frames for s in segments) == timeline.total_frames
    assert len(expanded(segments)) == timeline.total_frames
    assert [t.transition_frames for t in timeline.slides] == [12, 14, 0, 8, 0]


def test_a_slide_holding_still_is_one_still_segment_of_its_frames():
    first, second = fixed_slide(2.0), fixed_slide(3.0)
    red, blue = flat((255, 0, 0)), flat((0, 0, 255))

    segments = list(video_segments(timeline_of(first, second), {first.id: red, second.id: blue}))

    assert [type(s) for s in segments] == [StillSegment, StillSegment]
    assert [s.frames for s in segments] == [60, 90]
    assert segments[0].image is red and segments[1].image is blue


def test_a_crossfade_between_stills_is_one_blend_segment_rising_strictly_inside_0_and_1():
    first, second = fixed_slide(2.0, "crossfade", 0.4), fixed_slide(2.0)
    red, blue = flat((255, 0, 0)), flat((0, 0, 255))

    segments = list(video_segments(timeline_of(first, second), {first.id: red, second.id: blue}))

    assert [type(s) for s in segments] == [StillSegment, BlendSegment, StillSegment]
    # 12 transition frames centred on the cut: 6 from the end of one, 6 from the start of the next
    assert [s.frames for s in segments] == [54, 12, 54]
    blend = segments[1]
    assert blend.first is red and blend.second is blue
    weights = np.array(blend.weights)
    assert 0.0 < weights[0] and weights[-1] < 1.0
    assert np.all(np.diff(weights) > 0)
    # the default ease-in-out (smoothstep) at k / 13, symmetric about the middle
    t = np.arange(1, 13) / 13
    np.testing.assert_allclose(weights, t * t * (3 - 2 * t), rtol=0, atol=1e-12)
    np.testing.assert_allclose(weights + weights[::-1], 1.0, rtol=0, atol=1e-12)


def test_a_crossfade_out_of_a_moving_slide_starts_from_the_frame_the_camera_reached():
    moving, still = fixed_slide(2.0, "crossfade", 0.4), fixed_slide(2.0)
    picture, after = noise(1), noise(2)
    camera = ken_burns(picture, 60)  # the move spans the slide's 60 frames
    visuals = {moving.id: SlideVisual.still(picture, "ken-burns"), still.id: after}

    segments = list(video_segments(timeline_of(moving, still), visuals))

    assert [type(s) for s in segments] == [MotionSegment, MotionSegment, StillSegment]
    assert [s.frames for s in segments] == [54, 12, 54]
    own, fade = segments[0], segments[1]
    np.testing.assert_array_equal(segment_frame(own, 53), camera(53))
    # the fade begins where the slide's own frames stop (frame 54 of the move), not from the
    # still picture, and keeps moving until the slide's last frame
    assert not np.array_equal(camera(54), picture)
    crossfade = Crossfade(0.4)
    np.testing.assert_array_equal(
        segment_frame(fade, 0), crossfade.frame(camera(54), after, 1 / 13)
    )
    np.testing.assert_array_equal(
        segment_frame(fade, 5), crossfade.frame(camera(59), after, 6 / 13)
    )
    np.testing.assert_array_equal(
        segment_frame(fade, 11), crossfade.frame(camera(59), after, 12 / 13)
    )


def test_a_transition_into_a_moving_slide_ends_on_the_frame_its_own_frames_continue_from():
    still, moving = fixed_slide(2.0, "wipe-left", 0.4), fixed_slide(2.0)
    before, picture = noise(3), noise(4)
    camera = ken_burns(picture, 60)
    visuals = {still.id: before, moving.id: SlideVisual.still(picture, "ken-burns")}

    segments = list(video_segments(timeline_of(still, moving), visuals))

    assert [type(s) for s in segments] == [StillSegment, MotionSegment, MotionSegment]
    assert [s.frames for s in segments] == [54, 12, 54]
    wipe, own = segments[1], segments[2]
    # the second half of the wipe shows the moving slide's frames 0..5; its own frames go on at 6
    transition = make_transition("wipe-left", 0.4)
    np.testing.assert_array_equal(
        segment_frame(wipe, 6), transition.frame(before, camera(0), 7 / 13)
    )
    np.testing.assert_array_equal(
        segment_frame(wipe, 11), transition.frame(before, camera(5), 12 / 13)
    )
    np.testing.assert_array_equal(segment_frame(own, 0), camera(6))
    np.testing.assert_array_equal(segment_frame(own, 53), camera(59))


def test_a_crossfade_out_of_a_revealing_slide_blends_from_its_last_state():
    revealing, after = fixed_slide(2.0, "crossfade", 0.4), fixed_slide(2.0)
    red, green, blue = flat((255, 0, 0)), flat((0, 255, 0)), flat((0, 0, 255))
    visual = SlideVisual(((0, red), (30, green)))

    segments = list(
        video_segments(timeline_of(revealing, after), {revealing.id: visual, after.id: blue})
    )

    assert [type(s) for s in segments] == [StillSegment, StillSegment, BlendSegment, StillSegment]
    assert [s.frames for s in segments] == [30, 24, 12, 54]
    assert segments[0].image is red and segments[1].image is green
    assert segments[2].first is green and segments[2].second is blue


def test_visuals_made_on_demand_are_asked_for_once_each_in_order():
    slides = [fixed_slide(2.0, "crossfade", 0.4), fixed_slide(2.0, "cut"), fixed_slide(2.0)]
    timeline = timeline_of(*slides)
    pictures = {s.id: noise(10 + i) for i, s in enumerate(slides)}
    asked: list[str] = []

    def visual_of(timing):
        asked.append(timing.slide_id)
        return SlideVisual.still(pictures[timing.slide_id])

    made = expanded(video_segments(timeline, visual_of))
    given = expanded(video_segments(timeline, pictures))

    assert asked == [s.id for s in slides]
    assert len(made) == len(given) == 180
    assert all(np.array_equal(a, b) for a, b in zip(made, given, strict=True))


def test_a_slide_visuals_pictures_must_start_at_frame_0_in_increasing_order():
    red = flat((255, 0, 0))
    with pytest.raises(ValueError, match="frame 0"):
        SlideVisual(((1, red),))
    with pytest.raises(ValueError, match="increasing"):
        SlideVisual(((0, red), (10, red), (10, red)))


# --- segment_frame ----------------------------------------------------------------------------


def test_a_blend_frame_mixes_in_128_steps_rounded_to_nearest():
    black, grey = flat((0, 0, 0)), flat((200, 100, 255))
    blend = BlendSegment(black, grey, (0.0, 0.5, 0.25, 1.0))

    assert segment_frame(blend, 0) is black
    # 200 * 64 / 128 = 100; 100 * 64 / 128 = 50; 255 * 64 / 128 = 127.5, rounded up
    np.testing.assert_array_equal(segment_frame(blend, 1)[0, 0], [100, 50, 128])
    # 200 * 32 / 128 = 50; 100 * 32 / 128 = 25; 255 * 32 / 128 = 63.75
    np.testing.assert_array_equal(segment_frame(blend, 2)[0, 0], [50, 25, 64])
    np.testing.assert_array_equal(segment_frame(blend, 3), grey)
    assert segment_frame(blend, 1).dtype == np.uint8
    with pytest.raises(IndexError):
        segment_frame(blend, 4)
    with pytest.raises(IndexError):
        segment_frame(StillSegment(black, 3), -1)


# --- LectureFrames: the frame at a time ---------------------------------------------------------


def styled() -> tuple:
    """A still that crossfades into a moving slide, which wipes into a revealing one, then a
    cut to a still: every kind of segment."""
    slides = [
        fixed_slide(2.0, "crossfade", 0.4),
        fixed_slide(2.0, "wipe-left", 0.4),
        fixed_slide(2.0, "cut"),
        fixed_slide(2.0),
    ]
    visuals = {
        slides[0].id: SlideVisual.still(noise(20)),
        slides[1].id: SlideVisual.still(noise(21), "ken-burns"),
        slides[2].id: SlideVisual(((0, noise(22)), (20, noise(23)))),
        slides[3].id: SlideVisual.still(noise(24)),
    }
    return timeline_of(*slides), visuals


def test_lecture_frames_in_any_order_are_the_frames_of_the_segments():
    timeline, visuals = styled()
    reference = expanded(video_segments(timeline, visuals))
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    order = list(range(timeline.total_frames))
    random.Random(5).shuffle(order)

    assert timeline.total_frames == len(reference) == 240
    for k in order:
        np.testing.assert_array_equal(frames.frame(k), reference[k], err_msg=f"frame {k}")


def test_a_frame_run_reaches_the_end_of_its_still_and_one_frame_elsewhere():
    timeline, visuals = styled()
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    last = visuals[timeline.slides[3].slide_id].picture

    # slide 0 holds still for frames 0..53, then fades into the moving slide
    picture, until = frames.frame_run(10)
    assert picture is visuals[timeline.slides[0].slide_id].picture and until == 54
    assert frames.frame_run(54)[1] == 55  # in the crossfade
    assert frames.frame_run(100)[1] == 101  # on the moving slide
    # slide 2's second state shows from its frame 20 (lecture frame 140) to the cut at 180
    assert frames.frame_run(150)[1] == 180
    picture, until = frames.frame_run(239)
    assert picture is last and until == 240


def test_the_frame_on_screen_at_a_time_is_clamped_to_the_lecture():
    timeline, visuals = styled()
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])

    assert frames.index_at(0.0) == 0
    assert frames.index_at(1 / FPS) == 1  # frame 1 shows from 1/30 s on
    assert frames.index_at(1 / FPS - 1e-6) == 0
    assert frames.index_at(5.0) == 150
    assert frames.index_at(-3.0) == 0
    assert frames.index_at(1000.0) == 239
    with pytest.raises(IndexError):
        frames.frame(240)
    with pytest.raises(IndexError):
        frames.frame(-1)


def test_lecture_frames_needs_a_slide():
    with pytest.raises(ValueError, match="without slides"):
        LectureFrames(timeline_of(), lambda timing: None)


# --- narration on the timeline ----------------------------------------------------------------


def test_lecture_timeline_starts_every_narration_on_the_aac_frame_grid_after_its_lead_in():
    slides = [Slide(), Slide(), Slide()]
    lengths = {slides[0].id: 30_000, slides[2].id: 50_001}

    timeline = lecture_timeline(Lecture(slides=slides), lengths, FPS)

    assert timeline.fps == FPS and timeline.sample_rate == RATE
    # the default 0.5 s lead-in (24 000 samples), moved on to the next multiple of 1024
    assert timeline.slides[0].narration_start == 24 * AAC_FRAME
    third = timeline.slides[2]
    assert third.narration_start % AAC_FRAME == 0
    assert 24_000 <= third.narration_start - third.start_sample < 24_000 + AAC_FRAME


def test_without_a_lead_in_the_first_narration_waits_for_the_encoders_priming():
    lecture = Lecture(slides=[Slide()])
    lecture.timing.lead_in = 0.0

    timeline = lecture_timeline(lecture, {lecture.slides[0].id: 10_000}, FPS)

    assert timeline.slides[0].narration_start == AAC_PRIMING


def ramp(n: int, scale: float) -> np.ndarray:
    """Samples that tell their own position: exact in float32 up to 2**24."""
    return (np.arange(n, dtype=np.float32) / np.float32(n)) * np.float32(scale)


def narrated() -> tuple:
    """Slide 0 narrated for 1 s, slide 1 silent, slide 2 narrated for 0.5 s."""
    slides = [Slide(), Slide(), Slide()]
    clips = {
        slides[0].id: NarrationClip(
            ramp(48_000, 0.5),
            RATE,
            (TimedText(0.0, 0.4, "One."), TimedText(0.5, 1.0, "Two.")),
            (TimedText(0.0, 0.2, "One"), TimedText(0.5, 0.8, "Two")),
        ),
        slides[2].id: NarrationClip(ramp(24_000, -0.25), RATE, (TimedText(0.1, 0.5, "Three."),)),
    }
    lengths = {sid: len(clip.samples) for sid, clip in clips.items()}
    return timeline_of(*slides, narration=lengths), clips


def test_the_timeline_of_the_narrated_lecture():
    timeline, _ = narrated()
    # 0.5 s lead-in + 1 s + 0.75 s tail = 2.25 s = 67.5 frames, rounded up to 68 (108 800);
    # then the default 5 s of a slide without narration; then 0.5 + 0.5 + 0.75 = 1.75 s,
    # which the 2 s reading time of an empty slide lengthens to 60 frames
    assert [(t.start_sample, t.end_sample) for t in timeline.slides] == [
        (0, 108_800),
        (108_800, 348_800),
        (348_800, 444_800),
    ]
    assert [t.narration_start for t in timeline.slides] == [24_000, 108_800, 372_800]


def test_the_sound_track_places_each_narration_at_its_slides_narration_start():
    timeline, clips = narrated()
    first, _, third = (clips.get(t.slide_id) for t in timeline.slides)

    track = audio_pieces(timeline, clips)

    assert track.n_samples == timeline.total_samples == 444_800
    assert [(p.start, p.length, p.key) for p in track.pieces] == [
        (24_000, 48_000, None),
        (372_800, 24_000, None),
    ]
    sound = audio_track(timeline, clips)
    assert sound.shape == (444_800, 2) and sound.dtype == np.float32
    for channel in (0, 1):
        np.testing.assert_array_equal(sound[24_000:72_000, channel], first.samples)
        np.testing.assert_array_equal(sound[372_800:396_800, channel], third.samples)
    assert not sound[:24_000].any()
    assert not sound[72_000:372_800].any()
    assert not sound[396_800:].any()


def test_a_narration_longer_than_its_slide_is_cut_at_the_slides_end_and_loaded_only_when_read():
    slide, other = Slide(), Slide()
    timeline = timeline_of(slide, other, narration={slide.id: 48_000})
    end = timeline.slides[0].end_sample  # 108 800: room for 84 800 samples after the lead-in
    loads: list[str] = []

    def load() -> np.ndarray:
        loads.append("long")
        return ramp(200_000, 0.5)

    clips = {slide.id: Narration(200_000, (), load, key="voice-1")}
    track = audio_pieces(timeline, clips)

    assert loads == []  # nothing is loaded while the track is planned
    (piece,) = track.pieces
    assert (piece.start, piece.length) == (24_000, end - 24_000)
    assert piece.key == f"voice-1[:{end - 24_000}]"
    np.testing.assert_array_equal(piece.load(), ramp(200_000, 0.5)[: end - 24_000])
    assert loads == ["long"]


def test_a_whole_narration_keeps_its_cache_key():
    slide = Slide()
    timeline = timeline_of(slide, narration={slide.id: 1_000})
    clips = {slide.id: Narration(1_000, (), lambda: np.zeros(1_000, np.float32), key="k")}

    (piece,) = audio_pieces(timeline, clips).pieces

    assert (piece.start, piece.length, piece.key) == (24_000, 1_000, "k")


def test_sentence_and_word_times_move_by_each_slides_narration_start():
    timeline, clips = narrated()
    first_end, third_end = 108_800 / RATE, 444_800 / RATE

    sentences = sentence_times(timeline, clips)
    words = word_times(timeline, clips)

    expected_sentences = [
        (0.5, 0.9, "One.", first_end),
        (1.0, 1.5, "Two.", first_end),
        (372_800 / RATE + 0.1, 372_800 / RATE + 0.5, "Three.", third_end),
    ]
    assert [s[2] for s in sentences] == [s[2] for s in expected_sentences]
    for got, want in zip(sentences, expected_sentences, strict=True):
        assert got[0] == pytest.approx(want[0], abs=1e-12)
        assert got[1] == pytest.approx(want[1], abs=1e-12)
        assert got[3] == pytest.approx(want[3], abs=1e-12)
    # the third slide's voice has no word timings: only the first slide's words
    assert [(w[0], w[1], w[2], w[3]) for w in words] == [
        pytest.approx((0.5, 0.7, "One", first_end), abs=1e-12),
        pytest.approx((1.0, 1.3, "Two", first_end), abs=1e-12),
    ]

"""The lecture's frames one at a time from anywhere (``LectureFrames``, what the editor's preview
plays) are the frames the export encodes: its segments, its transitions, its reveal steps, its
timeline (``lecture_timeline``), frame for frame."""

from __future__ import annotations

import random

import numpy as np
import pytest

from lecture_studio.model import Lecture, Paragraph, Slide, SlideSource, TextBlock, TransitionSpec
from lecture_studio.narration import lecture as narration_of
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.project import Project
from lecture_studio.render.encoder import BlendSegment, MotionSegment, StillSegment
from lecture_studio.render.export import ExportOptions, export_lecture
from lecture_studio.render.plan import (
    LectureFrames,
    lecture_timeline,
    segment_frame,
    video_segments,
)
from lecture_studio.render.visual import slide_visuals
from lecture_studio.slides import render_slide_images
from tests.instruments.mp4inspect import decoded_rgb

SIZE = (320, 180)
FPS = 30
RATE = 48_000
BULLETS = ["Photosynthesis makes sugar", "Respiration releases energy", "Fermentation needs no air"]
SENTENCES = (
    TimedText(0.0, 0.9, "Three processes keep cells alive."),
    TimedText(1.0, 1.9, "Photosynthesis makes sugar from light."),
    TimedText(2.0, 2.9, "Respiration releases the energy in that sugar."),
    TimedText(3.0, 3.9, "Fermentation needs no air at all."),
)


def outline_slide(title: str, seconds: float | None = None, **kw) -> Slide:
    paragraphs = [Paragraph(text) for text in BULLETS]
    slide = Slide(source=SlideSource("outline"), title=title, body=[TextBlock(paragraphs)], **kw)
    if seconds is not None:
        slide.duration.mode = "fixed"
        slide.duration.seconds = seconds
    return slide


def styled_lecture() -> tuple[Project, dict[str, NarrationClip]]:
    """Every kind of segment: reveal steps, a camera move, a wipe and crossfades out of and
    into a moving slide (drawn frame by frame), a crossfade between stills (blended), a cut."""
    reveal = outline_slide("Cells", transition=TransitionSpec("wipe-left", 0.4))
    moving = outline_slide("Moving", 1.2, motion="ken-burns")
    moving.transition = TransitionSpec("crossfade", 0.4)
    still = outline_slide("Still", 1.0, transition=TransitionSpec("crossfade", 0.5))
    after = outline_slide("After", 1.0, transition=TransitionSpec("cut", 0.0))
    last = outline_slide("Last", 0.6)
    lecture = Lecture(slides=[reveal, moving, still, after, last])
    lecture.style.reveal = True
    tone = np.sin(np.arange(4 * RATE) * 2 * np.pi * 220 / RATE).astype(np.float32) * 0.1
    return Project(lecture), {reveal.id: NarrationClip(tone, RATE, SENTENCES)}


def export_frame_source(project: Project, clips: dict[str, NarrationClip]):
    """The timeline, visuals and segments the export makes (at the test size)."""
    lengths = {sid: len(clip.samples) for sid, clip in clips.items()}
    timeline = lecture_timeline(project.lecture, lengths, FPS)
    drawn = render_slide_images(project, size=SIZE, renderer="builtin").drawn
    visuals, notes = slide_visuals(project, drawn, clips, timeline)
    assert notes == []
    return timeline, visuals, list(video_segments(timeline, visuals))


def expanded(segments) -> list[np.ndarray]:
    return [segment_frame(s, i) for s in segments for i in range(s.frames)]


def test_every_frame_in_any_order_is_the_frame_the_export_encodes():
    project, clips = styled_lecture()
    timeline, visuals, segments = export_frame_source(project, clips)
    kinds = {type(segment) for segment in segments}
    assert kinds == {StillSegment, MotionSegment, BlendSegment}
    assert len([s for s in segments if isinstance(s, StillSegment)]) >= 4  # reveal steps
    expected = expanded(segments)
    assert len(expected) == timeline.total_frames

    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    order = list(range(timeline.total_frames))
    random.Random(7).shuffle(order)
    for k in [*reversed(range(timeline.total_frames)), *order]:
        assert np.array_equal(frames.frame(k), expected[k]), f"frame {k}"


def test_a_run_of_frames_holds_one_picture_to_the_end_of_its_still():
    project, clips = styled_lecture()
    timeline, visuals, segments = export_frame_source(project, clips)
    expected = expanded(segments)
    still_ends = np.cumsum([s.frames for s in segments])[
        [isinstance(s, StillSegment) for s in segments]
    ]
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    k, runs = 0, []
    while k < timeline.total_frames:
        picture, until = frames.frame_run(k)
        for j in range(k, until):
            assert np.array_equal(picture, expected[j]), f"frame {j} of the run from {k}"
        assert until == k + 1 or until in still_ends
        runs.append(until - k)
        k = until
    assert max(runs) > 1 and min(runs) == 1  # stills in one run, moving frames one by one
    assert len([r for r in runs if r > 1]) == len(still_ends)


def test_the_frame_on_screen_at_a_time_and_outside_the_lecture():
    project, clips = styled_lecture()
    timeline, visuals, _ = export_frame_source(project, clips)
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    last = timeline.total_frames - 1
    for k in range(timeline.total_frames):
        assert frames.index_at(k / FPS) == k  # shown from its own time on
        assert frames.index_at((k + 0.999) / FPS) == k  # until the next one
    assert frames.index_at(-1.0) == 0
    assert frames.index_at(timeline.duration + 5.0) == last
    with pytest.raises(IndexError):
        frames.frame(last + 1)


def test_a_frame_draws_only_the_slides_it_shows_and_playing_draws_each_slide_once():
    project, clips = styled_lecture()
    timeline, visuals, _ = export_frame_source(project, clips)
    asked: list[str] = []

    def visual_of(timing):
        asked.append(timing.slide_id)
        return visuals[timing.slide_id]

    frames = LectureFrames(timeline, visual_of)
    first, second = timeline.slides[0], timeline.slides[1]
    frames.frame(first.end_frame)  # the second half of the wipe from slide 1 into slide 2
    assert asked == [first.slide_id, second.slide_id]
    asked.clear()
    frames = LectureFrames(timeline, visual_of)
    for k in range(timeline.total_frames):
        frames.frame(k)
    assert asked == [timing.slide_id for timing in timeline.slides]


def test_a_crossfade_frame_is_the_rgb_blend_within_the_encoders_rounding():
    rng = np.random.default_rng(3)
    first = rng.integers(0, 256, (18, 32, 3), dtype=np.uint8)
    second = rng.integers(0, 256, (18, 32, 3), dtype=np.uint8)
    weights = tuple(k / 11 for k in range(1, 11))
    segment = BlendSegment(first, second, weights)
    for i, weight in enumerate(weights):
        exact = first * (1 - weight) + second * weight
        # weights in 128 steps (at most 255 / 256 off) and rounding to 8 bits (half a level)
        assert np.abs(segment_frame(segment, i) - exact).max() < 1.5
    assert segment_frame(BlendSegment(first, second, (0.0,)), 0) is first


def test_the_export_lays_out_the_lecture_and_encodes_the_frames_lecture_frames_gives(
    tmp_path, monkeypatch
):
    project, clips = styled_lecture()
    lecture = project.lecture
    clip = clips[lecture.slides[0].id]
    monkeypatch.setattr(
        narration_of,
        "spoken_clip",
        lambda project, lecture, slide, *a: clip if slide.id in clips else None,
    )
    video = tmp_path / "styled.mp4"
    options = ExportOptions(size=SIZE, fps=FPS, captions=False, chapters=False, thumbnail=False)
    result = export_lecture(project, video, options)
    timeline, visuals, _ = export_frame_source(project, clips)
    assert result.timeline == timeline
    frames = LectureFrames(timeline, lambda timing: visuals[timing.slide_id])
    decoded = list(decoded_rgb(video))
    assert len(decoded) == timeline.total_frames
    for k, picture in enumerate(decoded):
        ours = frames.frame(k).astype(np.int16)
        error = np.abs(picture.astype(np.int16) - ours).mean()
        neighbours = [
            np.abs(frames.frame(j).astype(np.int16) - ours).mean()
            for j in (k - 1, k + 1)
            if 0 <= j < timeline.total_frames
        ]
        # H.264 at this size: a few levels on average; frame k, not the one beside it
        assert error < 4.0, f"frame {k}: {error:.2f}"
        assert all(error < n for n in neighbours if n > 2 * 4.0), f"frame {k}"

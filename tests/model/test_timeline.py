import pytest

from lecture_studio.model import Lecture, Slide, TransitionSpec
from lecture_studio.model.timeline import SAMPLE_RATE, build_timeline


def lecture_of(n: int, fps: int = 30) -> Lecture:
    lecture = Lecture(slides=[Slide(title=f"S{i}") for i in range(n)])
    lecture.output.fps = fps
    return lecture


@pytest.mark.parametrize("fps", [24, 25, 30, 50, 60])
def test_sixty_minutes_never_drift(fps):
    # 360 slides of ~10 s of narration with awkward lengths: slide changes must land on frame
    # boundaries of the audio track from the first slide to the last.
    lecture = lecture_of(360, fps)
    narration = {s.id: 9 * SAMPLE_RATE + 12_345 + 7 * i for i, s in enumerate(lecture.slides)}
    timeline = build_timeline(lecture, narration)
    per_frame = SAMPLE_RATE // fps
    assert timeline.duration > 3600
    for timing in timeline.slides:
        assert timing.start_sample == timing.start_frame * per_frame
        assert timing.end_sample == timing.end_frame * per_frame
        # narration fits inside its slide
        assert timing.narration_start + timing.narration_samples <= timing.end_sample
    for a, b in zip(timeline.slides, timeline.slides[1:], strict=False):
        assert a.end_sample == b.start_sample and a.end_frame == b.start_frame
    assert timeline.total_frames * per_frame == timeline.total_samples


def test_durations_follow_policy():
    lecture = lecture_of(4)
    lecture.timing.lead_in, lecture.timing.tail, lecture.timing.default_duration = 0.5, 1.0, 5.0
    fixed, silent, narrated, custom = lecture.slides
    fixed.duration.mode, fixed.duration.seconds = "fixed", 8.0
    custom.duration.lead_in, custom.duration.tail = 0.0, 0.0
    narration = {narrated.id: 3 * SAMPLE_RATE, custom.id: 2 * SAMPLE_RATE}
    seconds = [
        t.end_sample / SAMPLE_RATE - t.start_sample / SAMPLE_RATE
        for t in build_timeline(lecture, narration).slides
    ]
    # the last slide's 2 s of narration is shorter than reading its title "S3" takes (2.3 s)
    assert seconds == pytest.approx([8.0, 5.0, 4.5, 2.3], abs=1 / 30)


def test_fixed_duration_never_cuts_narration():
    lecture = lecture_of(1)
    lecture.slides[0].duration.mode = "fixed"
    lecture.slides[0].duration.seconds = 2.0
    timing = build_timeline(lecture, {lecture.slides[0].id: 4 * SAMPLE_RATE}).slides[0]
    assert timing.end_sample - timing.narration_start >= 4 * SAMPLE_RATE


def test_hidden_slides_are_left_out_and_transitions_fit():
    lecture = lecture_of(3)
    lecture.slides[1].hidden = True
    lecture.slides[0].transition = TransitionSpec("crossfade", 60.0)  # clamped to half a slide
    timeline = build_timeline(lecture, {})
    assert [t.slide_id for t in timeline.slides] == [lecture.slides[0].id, lecture.slides[2].id]
    first = timeline.slides[0]
    assert 0 < first.transition_frames <= first.frames // 2
    assert timeline.slides[1].transition_frames == 0  # the last slide has nothing to go to


def test_narration_grid_starts_every_narration_on_its_multiples_without_cutting_it():
    lecture = Lecture(slides=[Slide(title=str(i)) for i in range(5)])
    clips = {s.id: 30_001 + 777 * i for i, s in enumerate(lecture.slides)}
    plain = build_timeline(lecture, clips, SAMPLE_RATE, 30)
    grid = build_timeline(
        lecture, clips, SAMPLE_RATE, 30, first_narration_at=1024, narration_grid=1024
    )
    for a, b in zip(plain.slides, grid.slides, strict=True):
        assert b.narration_start % 1024 == 0
        lead_in = b.narration_start - b.start_sample
        assert 0 <= lead_in - (a.narration_start - a.start_sample) < 1024  # at most 21 ms later
        assert b.narration_start + b.narration_samples <= b.end_sample  # the tail is kept
        assert (
            b.end_sample - (b.narration_start + b.narration_samples)
            >= (a.end_sample - (a.narration_start + a.narration_samples)) - 1600
        )  # within one frame of padding


def test_the_transition_after_a_slide_is_its_own_else_the_decks_else_the_lectures():
    from lecture_studio.model.lecture import DeckTransition
    from lecture_studio.model.timeline import transition_after

    push = TransitionSpec("push-left", 0.8)
    a, hidden, b, last = Slide(), Slide(hidden=True), Slide(), Slide()
    hidden.deck_transition = DeckTransition("fade", TransitionSpec("crossfade", 0.3))
    b.deck_transition = DeckTransition("push", push)
    lecture = Lecture(slides=[a, hidden, b, last])
    assert transition_after(lecture, a) == push  # into b, the next slide shown
    lecture.style.deck_transitions = False
    assert transition_after(lecture, a) == lecture.style.transition
    a.transition = TransitionSpec("cut", 0.0)
    assert transition_after(lecture, a) == a.transition
    assert transition_after(lecture, last) == lecture.style.transition

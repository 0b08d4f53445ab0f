"""A slide stays up at least as long as a viewer needs to read it, in the editor and the export."""

from __future__ import annotations

import pytest

from lecture_studio.model import (
    Lecture,
    Paragraph,
    Slide,
    Table,
    TextBlock,
    lecture_from_dict,
    lecture_to_dict,
    narration_script,
)
from lecture_studio.model.estimates import (
    READING_MAX_SECONDS,
    estimated_narration_samples,
    reading_seconds,
)
from lecture_studio.model.timeline import SAMPLE_RATE, build_timeline

FPS = 30


def bullets(*texts: str) -> list[TextBlock]:
    return [TextBlock([Paragraph(t) for t in texts])]


def seconds_of(lecture: Lecture, narration: dict[str, int]) -> list[float]:
    timeline = build_timeline(lecture, narration, SAMPLE_RATE, FPS)
    return [(t.end_sample - t.start_sample) / SAMPLE_RATE for t in timeline.slides]


def test_reading_time_counts_title_bullets_and_table_text():
    slide = Slide(
        title="Light reactions",  # 2 words
        body=bullets("Water is split", "Oxygen is released"),  # 6 words
        tables=[Table([["Input", "Output"], ["H2O", "O2"]])],  # 4 words
    )
    assert reading_seconds(slide) == pytest.approx(2.0 + 12 * 0.3)
    assert reading_seconds(Slide()) == pytest.approx(2.0)  # a picture still needs a look


def test_reading_time_counts_cjk_by_characters_and_is_capped():
    japanese = Slide(title="光合成", body=bullets("植物は光のエネルギーを使います"))  # 3 + 15
    assert reading_seconds(japanese) == pytest.approx(2.0 + 18 * 0.12)
    wall_of_text = Slide(body=bullets(*["one two three four five six seven eight"] * 20))
    assert reading_seconds(wall_of_text) == READING_MAX_SECONDS


def test_a_one_word_narration_holds_its_slide_until_it_can_be_read():
    """Notes of one word ("Quelle:") used to flash a full slide by in 1.7 s."""
    lecture = Lecture()
    lecture.timing.lead_in, lecture.timing.tail = 0.5, 0.75
    slide = Slide(
        title="Sources",
        body=bullets("Campbell, Biology, 12th edition", "Raven, Biology of Plants, chapter 7"),
    )  # 1 + 4 + 6 words: 5.3 s to read
    lecture.slides.append(slide)
    clip = round(0.45 * SAMPLE_RATE)
    (timing,) = build_timeline(lecture, {slide.id: clip}, SAMPLE_RATE, FPS).slides
    assert (timing.end_sample - timing.start_sample) / SAMPLE_RATE == pytest.approx(
        5.3, abs=1 / FPS
    )
    # the narration starts after its lead-in as before; the slide holds after it
    assert timing.narration_start - timing.start_sample == round(0.5 * SAMPLE_RATE)


def test_a_slide_without_narration_stays_the_default_or_its_reading_time_if_longer():
    lecture = Lecture()
    lecture.timing.default_duration = 5.0
    title_only = Slide(title="Photosynthesis")
    wordy = Slide(title="Summary", body=bullets(*["plants make sugar from light"] * 7))  # 36 words
    lecture.slides += [title_only, wordy]
    assert seconds_of(lecture, {}) == pytest.approx([5.0, 2.0 + 36 * 0.3], abs=1 / FPS)


def test_a_fixed_duration_stays_as_set_even_when_the_slide_needs_longer_to_read():
    lecture = Lecture()
    slide = Slide(title="Summary", body=bullets(*["plants make sugar from light"] * 7))
    slide.duration.mode, slide.duration.seconds = "fixed", 3.0
    lecture.slides.append(slide)
    assert seconds_of(lecture, {}) == pytest.approx([3.0], abs=1 / FPS)
    # ...and still never cuts its narration
    assert seconds_of(lecture, {slide.id: 4 * SAMPLE_RATE}) == pytest.approx([5.25], abs=1 / FPS)


def test_the_export_grid_delay_does_not_stack_on_the_reading_time():
    """The export starts each narration on the AAC frame grid (a few ms late); a slide held for
    reading does not grow by that delay, a slide timed by its narration does."""
    lecture = Lecture()
    held = Slide(title="Sources", body=bullets("Campbell, Biology, 12th edition"))
    timed = Slide(title="")
    lecture.slides += [held, timed]
    clips = {held.id: SAMPLE_RATE // 2, timed.id: 5 * SAMPLE_RATE + 11}
    plain = build_timeline(lecture, clips, SAMPLE_RATE, FPS)
    grid = build_timeline(lecture, clips, SAMPLE_RATE, FPS, 2048, narration_grid=1024)
    assert grid.slides[0].frames == plain.slides[0].frames
    late = grid.slides[1].narration_start - grid.slides[1].start_sample
    assert late > round(0.5 * SAMPLE_RATE)  # it really starts late...
    tail = grid.slides[1].end_sample - (grid.slides[1].narration_start + clips[timed.id])
    assert tail >= round(0.75 * SAMPLE_RATE)  # ...and keeps its whole tail


def test_narrating_slide_text_speaks_title_and_bullets_of_slides_without_a_script():
    lecture = Lecture()
    scripted = Slide(title="Light", body=bullets("Photons"), script="Light drives it all.")
    bare = Slide(title="Sugar", body=bullets("Glucose", "  ", "Starch"))
    lecture.slides += [scripted, bare]
    assert narration_script(bare, lecture) == ""
    assert bare.id not in estimated_narration_samples(lecture, SAMPLE_RATE)

    lecture.style.narrate_slide_text = True
    assert narration_script(scripted, lecture) == "Light drives it all."
    assert narration_script(bare, lecture) == "Sugar\nGlucose\nStarch"
    # the editor's estimate (and so its timeline) now counts the spoken slide text
    assert estimated_narration_samples(lecture, SAMPLE_RATE)[bare.id] > 0


def test_the_narrate_slide_text_setting_is_saved_and_old_projects_open_without_it():
    lecture = Lecture()
    lecture.style.narrate_slide_text = True
    assert lecture_from_dict(lecture_to_dict(lecture)).style.narrate_slide_text is True
    old = lecture_to_dict(Lecture())
    del old["lecture"]["style"]["narrate_slide_text"]
    assert lecture_from_dict(old).style.narrate_slide_text is False

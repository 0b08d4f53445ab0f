"""YouTube chapters: 0:00 first, at least three, each at least 10 s, readable titles."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from lecture_studio.render.chapters import (
    ChapterResult,
    build_chapters,
    clean_chapter_title,
    format_chapters,
    write_chapters,
)


def _timeline(*slides: tuple[float, str]) -> tuple[list[tuple[float, str]], float]:
    """(duration, title) per slide -> (start, title) entries and the total length."""
    entries, clock = [], 0.0
    for duration, title in slides:
        entries.append((clock, title))
        clock += duration
    return entries, clock


def _assert_youtube_rules(chapters: list[tuple[float, str]], total: float) -> None:
    assert chapters[0][0] == 0.0
    assert len(chapters) >= 3
    ends = [start for start, _ in chapters[1:]] + [total]
    for (start, title), end in zip(chapters, ends, strict=True):
        assert math.floor(end) - math.floor(start) >= 10, (start, title)
        assert title and "\n" not in title and len(title) <= 100


def test_lecture_with_long_slides_has_one_chapter_per_slide() -> None:
    entries, total = _timeline((40, "Intro"), (35.5, "Light"), (50, "Sugar"), (20, "Summary"))
    result = build_chapters(entries, total)
    assert result.reason is None
    assert result.chapters == [(0.0, "Intro"), (40.0, "Light"), (75.5, "Sugar"), (125.5, "Summary")]
    assert format_chapters(result.chapters, total) == (
        "0:00 Intro\n0:40 Light\n1:15 Sugar\n2:05 Summary\n"
    )


def test_short_title_slide_still_gives_a_chapter_at_zero_named_after_what_follows() -> None:
    entries, total = _timeline(
        (4, "Photosynthesis"), (40, "Why plants need light"), (30, "Inside a leaf"), (25, "Quiz")
    )
    result = build_chapters(entries, total)
    assert result.chapters == [
        (0.0, "Why plants need light"),
        (44.0, "Inside a leaf"),
        (74.0, "Quiz"),
    ]
    _assert_youtube_rules(result.chapters, total)


def test_short_middle_slides_join_the_chapter_before_them() -> None:
    entries, total = _timeline(
        (60, "Light"), (3, "Quick check"), (4, "Answer"), (60, "Sugar"), (30, "Summary")
    )
    result = build_chapters(entries, total)
    assert result.chapters == [(0.0, "Light"), (67.0, "Sugar"), (127.0, "Summary")]


def test_a_run_of_short_slides_long_enough_together_is_one_chapter_named_by_its_first() -> None:
    entries, total = _timeline(
        (60, "Light"), (5, "Quiz: question 1"), (6, "Quiz: question 2"), (60, "Sugar"), (30, "End")
    )
    result = build_chapters(entries, total)
    assert result.chapters == [
        (0.0, "Light"),
        (60.0, "Quiz: question 1"),
        (71.0, "Sugar"),
        (131.0, "End"),
    ]


def test_a_short_last_slide_joins_the_chapter_before_it() -> None:
    entries, total = _timeline((30, "A"), (30, "B"), (30, "C"), (5, "Thanks"))
    result = build_chapters(entries, total)
    assert result.chapters == [(0.0, "A"), (30.0, "B"), (60.0, "C")]


def test_untitled_and_repeated_title_slides_continue_the_chapter_before_them() -> None:
    entries, total = _timeline(
        (20, ""), (30, "Light"), (30, "  "), (30, "Sugar"), (30, "sugar"),
        (30, "Sugar (continued)"), (30, "Summary"),
    )  # fmt: skip
    result = build_chapters(entries, total)
    assert result.chapters == [
        (0.0, "Light"),
        (80.0, "Sugar"),
        (140.0, "Sugar (continued)"),
        (170.0, "Summary"),
    ]


def test_lengths_count_in_whole_seconds_as_youtube_shows_them() -> None:
    # B lasts 9.9 s, but its timestamps read 0:30 and 0:39: too short for YouTube
    entries = [(0.0, "A"), (30.0, "B"), (39.9, "C"), (70.0, "D")]
    assert build_chapters(entries, 100.0).chapters == [(0.0, "A"), (39.9, "C"), (70.0, "D")]
    # B lasts 9.6 s, but its timestamps read 0:30 and 0:40: YouTube takes it
    entries = [(0.0, "A"), (30.9, "B"), (40.5, "C"), (70.0, "D")]
    assert build_chapters(entries, 100.0).chapters == entries


def test_too_few_chapters_or_too_short_a_lecture_gives_a_reason(tmp_path: Path) -> None:
    two = build_chapters(*_timeline((40, "Light"), (40, "Sugar")))
    assert two.chapters is None and "at least 3" in two.reason

    merged = build_chapters(*_timeline((50, "Light"), (5, "Sugar"), (5, "Oxygen"), (50, "")))
    assert merged.chapters is None and "at least 3" in merged.reason

    short = build_chapters(*_timeline((9, "A"), (9, "B"), (9, "C")))
    assert short.chapters is None and "27 s" in short.reason and "30 s" in short.reason

    untitled = build_chapters(*_timeline((40, ""), (40, ""), (40, "")))
    assert untitled.chapters is None and "title" in untitled.reason

    target = tmp_path / "talk.chapters.txt"
    assert write_chapters(two, target) == two.reason
    assert list(tmp_path.iterdir()) == []


def test_titles_are_one_trimmed_line_of_at_most_100_characters() -> None:
    assert clean_chapter_title("  Light\nreactions \t and\x0bATP ") == "Light reactions and ATP"
    long_title = "The light-dependent reactions " * 6
    cleaned = clean_chapter_title(long_title)
    assert len(cleaned) <= 100 and cleaned.endswith("…")
    assert long_title.startswith(cleaned[:-1])
    assert cleaned[:-1].split()[-1] in long_title.split()  # cut between words


def test_hour_long_lectures_show_hours_on_every_timestamp() -> None:
    chapters = [(0.0, "Start"), (65.0, "Light"), (3723.9, "Sugar")]
    assert format_chapters(chapters, 4000.0) == ("0:00:00 Start\n0:01:05 Light\n1:02:03 Sugar\n")
    # the last chapter starts before an hour but the lecture lasts longer: hours still shown
    assert format_chapters(chapters[:2], 3600.0).splitlines()[1] == "0:01:05 Light"
    assert format_chapters([(0.0, "A"), (3599.0, "B")], 3599.5) == "0:00 A\n59:59 B\n"


def test_write_chapters_writes_the_list_atomically(tmp_path: Path) -> None:
    entries, total = _timeline((40, "Einführung"), (35, "光合成のしくみ"), (50, "Summary"))
    result = build_chapters(entries, total)
    target = tmp_path / "talk.chapters.txt"
    target.write_text("stale", encoding="utf-8")
    assert write_chapters(result, target) is None
    assert target.read_bytes().decode("utf-8") == (
        "0:00 Einführung\n0:40 光合成のしくみ\n1:15 Summary\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["talk.chapters.txt"]


def test_entries_out_of_order_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        build_chapters([(0.0, "A"), (50.0, "B"), (20.0, "C")], 90.0)


@pytest.mark.parametrize("seed", range(40))
def test_random_timelines_always_meet_youtube_rules_when_chapters_are_given(seed: int) -> None:
    rng = random.Random(seed)
    titles = ["", "Intro", "Light", "Sugar", "Quiz", "Summary", "Leaf", "Water"]
    slides = [
        (rng.choice([rng.uniform(0.5, 9.9), rng.uniform(10, 90)]), rng.choice(titles))
        for _ in range(rng.randint(1, 14))
    ]
    entries, total = _timeline(*slides)
    result = build_chapters(entries, total)
    assert isinstance(result, ChapterResult)
    if result.chapters is None:
        assert result.reason
        return
    _assert_youtube_rules(result.chapters, total)
    starts = [start for start, _ in result.chapters]
    assert starts == sorted(set(starts))
    slide_starts = {start for start, _ in entries} | {0.0}
    assert set(starts) <= slide_starts  # chapters begin where slides begin
    assert {title for _, title in result.chapters} <= set(titles)


@pytest.mark.parametrize(
    ("title", "texts", "expected"),
    [
        ("Photosynthesis", ["https://x.org"], "Photosynthesis"),
        ("https://github.com/jgm/pandoc", ["Speaker notes", "More"], "Speaker notes"),
        (
            "www.example.org/slides",
            ["http://a.b/c", "", "  Why plants need light "],
            "Why plants need light",
        ),
        ("  ", ["example.com/talk", "teacher@school.org", "Light"], "Light"),
        ("<https://x.org>", [], "Slide 7"),
        ("", ["https://x.org", "   "], "Slide 7"),
        ("Source: https://x.org", [], "Source: https://x.org"),  # words beside a link stay
    ],
)
def test_chapter_titles_skip_urls_and_empty_titles(title, texts, expected) -> None:
    from lecture_studio.render.chapters import chapter_title

    assert chapter_title(title, texts, 7) == expected


def test_exported_chapters_name_a_url_titled_slide_by_its_first_real_text(tmp_path: Path) -> None:
    """A deck whose first slide's title is a link: the chapters file names it by its bullet,
    and a slide with no text at all by its number."""
    from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock
    from lecture_studio.project import Project
    from lecture_studio.render.export import ExportOptions, export_lecture

    lecture = Lecture(title="Links")
    lecture.slides = [
        Slide(
            title="https://github.com/example/lecture",
            body=[TextBlock([Paragraph("https://example.org"), Paragraph("Welcome")])],
        ),
        Slide(title="Light"),
        Slide(title=""),
    ]
    for slide in lecture.slides:
        slide.duration.mode, slide.duration.seconds = "fixed", 12.0
    options = ExportOptions(size=(64, 36), captions=False, thumbnail=False, cache_dir=tmp_path)
    export_lecture(Project(lecture), tmp_path / "links.mp4", options)
    chapters = (tmp_path / "links.chapters.txt").read_text(encoding="utf-8")
    assert chapters == "0:00 Welcome\n0:12 Light\n0:24 Slide 3\n"

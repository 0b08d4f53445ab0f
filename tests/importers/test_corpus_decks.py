"""Every real deck of the shared corpus imports, or fails, the way its README says."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecture_studio.errors import (
    CorruptFileError,
    EmptyDeckError,
    LectureStudioError,
)
from lecture_studio.importers import import_path


def test_conference_talk_keeps_slides_notes_tables_and_pictures(corpus: Path) -> None:
    project = import_path(corpus / "poi__aes_Maloney.pptx")
    lecture = project.lecture
    assert len(lecture.slides) == 28
    assert sum(1 for s in lecture.slides if s.notes.strip()) == 11
    assert sum(len(s.tables) for s in lecture.slides) == 9
    assert sum(len(s.pictures) for s in lecture.slides) == 7
    assert (lecture.slide_width, lecture.slide_height) == (10.833, 7.5)
    # "PowerPoint Presentation" is PowerPoint's default, so the first slide's title is used.
    assert lecture.title == "How effective communication can help evaluation achieve influence"
    assert lecture.language == "en"
    assert [s.source.index for s in lecture.slides] == list(range(1, 29))
    assert not any(s.hidden for s in lecture.slides)

    overview = lecture.slides[1]
    assert overview.title == "Overview"
    # Slide numbers are furniture, not content to narrate.
    assert "2" not in overview.bullet_texts()
    assert overview.bullet_texts()[:2] == ["Rationale", "The problem"]
    # A line break inside the title does not reach the title text.
    assert lecture.slides[16].title == "Communications concepts"
    assert lecture.slides[21].tables[0].rows[0] == ["Trait", "Applied to evaluation…"]
    assert lecture.slides[21].script.startswith("Unexpected: In utilisation focused evaluation")

    for picture in lecture.slides[26].pictures:
        assert project.asset_bytes(picture.asset)[:3] == b"\xff\xd8\xff"  # JPEG
        assert picture.box is not None and 0 < picture.box.left < 1
    # The deck travels with the project so it can be rendered without the original file.
    assert (
        project.asset_bytes(lecture.source_asset) == (corpus / "poi__aes_Maloney.pptx").read_bytes()
    )
    assert project.warnings == []


def test_boxes_in_a_row_read_left_to_right(corpus: Path) -> None:
    slide = import_path(corpus / "poi__aes_Maloney.pptx").lecture.slides[5]
    texts = slide.bullet_texts()
    row = [
        "Understand the marketplace",
        "Design a marketing strategy",
        "Construct an integrated marketing",
        "Build profitable relationships",
        "Capture value from customers",
    ]
    positions = [next(i for i, t in enumerate(texts) if t.startswith(start)) for start in row]
    assert positions == sorted(positions)


def test_pandoc_deck_keeps_notes_per_slide(corpus: Path) -> None:
    lecture = import_path(corpus / "pandoc__speaker-notes_output.pptx").lecture
    assert [bool(s.notes) for s in lecture.slides] == [True, False, True, True]
    assert lecture.slides[0].notes == "Here is a note.\n\nHere is some other formatting."
    assert lecture.slides[0].script == lecture.slides[0].notes
    assert lecture.slides[1].bullet_texts() == ["A page with no speaker notes"]
    assert (lecture.slide_width, lecture.slide_height) == (10.0, 5.625)


def test_sample_show_titles_and_notes(corpus: Path) -> None:
    lecture = import_path(corpus / "poi__SampleShow.pptx").lecture
    assert lecture.title == "SlideShow Sample"
    assert [s.title for s in lecture.slides] == [
        "Title of the first slide",
        "This is the second slide",
    ]
    assert lecture.slides[0].script == "I am the notes of the first slide"
    assert lecture.slides[1].notes == "These are the notes of the 2nd slide\nTHIS LINE IS BOLD"
    assert lecture.slides[1].bullet_texts()[0] == "It has bullet points on it"


def test_japanese_notes_match_powerpoints_own_export(corpus: Path) -> None:
    project = import_path(corpus / "furaga__sample_ja-notes.pptx")
    lecture = project.lecture
    assert lecture.language == "ja"
    assert [s.title for s in lecture.slides] == ["スライド１", "スライド２", "スライド３"]
    reference = corpus / "reference" / "furaga__sample_ja-notes"
    for number, slide in enumerate(lecture.slides, start=1):
        expected = (reference / f"slide-{number}-notes.txt").read_text(encoding="utf-8-sig")
        assert slide.script == "\n".join(expected.split()).strip()
    assert (lecture.slide_width, lecture.slide_height) == (13.333, 7.5)


def test_japanese_text_survives_intact(corpus: Path) -> None:
    lecture = import_path(corpus / "poi__with_japanese.pptx").lecture
    slide = lecture.slides[0]
    assert "ゾルゲと尾崎、淡々と最期" in slide.bullet_texts()
    assert "（ＧＨＱ）" in slide.bullet_texts()
    assert slide.tables[0].rows == [
        ["Row 1 Col 1", "Row 1 Col 2", "Row 1 Col 3"],
        ["Row 2 Col 1", "Row 2 Col 2", "Row 2 Col 3"],
    ]


def test_themes_deck_reads_every_slide(corpus: Path) -> None:
    lecture = import_path(corpus / "poi__themes.pptx").lecture
    assert len(lecture.slides) == 10
    assert lecture.title == "Standard Office theme"
    assert all(s.title for s in lecture.slides)
    assert sum(len(s.pictures) for s in lecture.slides) == 1


def test_chart_only_deck_imports_without_text(corpus: Path) -> None:
    project = import_path(corpus / "pythonpptx__cht-chart-type.pptx")
    assert len(project.lecture.slides) == 8
    assert project.lecture.title == "pythonpptx__cht-chart-type"
    assert all(not s.script for s in project.lecture.slides)
    assert project.warnings == []


def test_slide_show_package_imports(corpus: Path) -> None:
    project = import_path(corpus / "poi__testPPT.ppsx")
    assert len(project.lecture.slides) == 3
    assert project.lecture.slides[0].title == "Attachment Test"
    # The original .ppsx is kept unchanged as the source to render.
    assert project.lecture.source_asset.endswith(".ppsx")
    assert (
        project.asset_bytes(project.lecture.source_asset)
        == (corpus / "poi__testPPT.ppsx").read_bytes()
    )


@pytest.mark.parametrize(
    ("name", "error", "advice"),
    [
        ("pythonpptx__no-slides.pptx", EmptyDeckError, "add at least one slide"),
        ("poi__clusterfuzz-5463285576892416_corrupt.pptx", CorruptFileError, "download it again"),
    ],
)
def test_bad_decks_fail_with_an_actionable_message(
    corpus: Path, name: str, error: type[LectureStudioError], advice: str
) -> None:
    with pytest.raises(error) as caught:
        import_path(corpus / name)
    message = caught.value.message
    assert name in message
    assert advice in message
    assert "\n" not in message

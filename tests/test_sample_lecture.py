"""The sample lecture in resources/: a deck and an outline that say the same, fit to narrate."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-lecture"
DECK = SAMPLE / "sample-lecture.pptx"
OUTLINE = SAMPLE / "sample-lecture.md"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _slides() -> list[dict]:
    """Title, bullets, table rows, picture count, notes and fonts of each slide of the deck."""
    slides = []
    for slide in Presentation(str(DECK)).slides:
        body, rows, fonts, pictures = [], [], set(), 0
        for shape in slide.shapes:
            if shape.has_text_frame and shape != slide.shapes.title:
                body += [p.text for p in shape.text_frame.paragraphs if p.text]
            if shape.has_table:
                rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            pictures += shape.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        east_asian = run._r.find(
                            ".//{http://schemas.openxmlformats.org/drawingml/2006/main}ea"
                        )
                        fonts |= {
                            run.font.name,
                            east_asian.get("typeface") if east_asian is not None else None,
                        }
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append(
            {
                "title": slide.shapes.title.text,
                "body": body,
                "rows": rows,
                "pictures": pictures,
                "notes": notes,
                "fonts": fonts - {None},
            }
        )
    return slides


def test_the_deck_is_a_small_16_9_lecture_with_notes_on_every_slide() -> None:
    presentation = Presentation(str(DECK))
    assert DECK.stat().st_size < 200 * 1024
    assert (presentation.slide_width, presentation.slide_height) == (Inches(13.333), Inches(7.5))
    slides = _slides()
    assert 6 <= len(slides) <= 10
    for number, slide in enumerate(slides, start=1):
        notes = slide["notes"]
        sentences = re.findall(r"[.?!](?:\s|$)|。", notes)
        assert 2 <= len(sentences) <= 4, f"slide {number}: {len(sentences)} sentences"
        if not JAPANESE.search(notes):
            assert 45 <= len(notes.split()) <= 150, f"slide {number}: narration length"
    assert sum(1 for s in slides if s["rows"]) == 1
    assert sum(s["pictures"] for s in slides) == 1


def test_exactly_one_slide_is_japanese_and_asks_for_a_japanese_font() -> None:
    slides = _slides()
    japanese = [s for s in slides if JAPANESE.search(s["title"] + "".join(s["body"]) + s["notes"])]
    assert len(japanese) == 1
    (slide,) = japanese
    assert all(JAPANESE.search(text) for text in [slide["title"], *slide["body"], slide["notes"]])
    assert slide["fonts"] & {"Yu Gothic", "Meiryo", "MS Gothic", "Noto Sans CJK JP"}


def _outline_slides() -> list[dict]:
    """Title, bullets, table rows, pictures and narration of each slide of the Markdown file."""
    text = OUTLINE.read_text(encoding="utf-8")
    slides = []
    for block in re.split(r"^(?=#{1,2} )", text, flags=re.MULTILINE):
        if not block.strip():
            continue
        title, _, rest = block.partition("\n")
        notes = " ".join(" ".join(re.findall(r"<!--(.*?)-->", rest, flags=re.DOTALL)).split())
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in rest.splitlines()
            if line.startswith("|") and not re.fullmatch(r"\|(-+\|)+", line.strip())
        ]
        slides.append(
            {
                "title": title.lstrip("# ").strip(),
                "bullets": re.findall(r"^- (.+)$", rest, flags=re.MULTILINE),
                "rows": rows,
                "pictures": re.findall(r"!\[[^\]]*\]\(([^)]+)\)", rest),
                "notes": notes,
            }
        )
    return slides


def test_the_markdown_outline_says_what_the_deck_says() -> None:
    deck, outline = _slides(), _outline_slides()
    assert [s["title"] for s in outline] == [s["title"] for s in deck]
    for number, (ours, theirs) in enumerate(zip(outline, deck, strict=True), start=1):
        assert ours["notes"] == " ".join(theirs["notes"].split()), f"slide {number} narration"
        assert ours["rows"] == theirs["rows"], f"slide {number} table"
        assert len(ours["pictures"]) == theirs["pictures"], f"slide {number} pictures"
        for bullet in ours["bullets"]:
            assert bullet in theirs["body"], f"slide {number}: {bullet!r} not in the deck"
        for picture in ours["pictures"]:
            image = SAMPLE / picture
            assert image.is_file() and image.stat().st_size < 50 * 1024


def test_the_outline_is_what_the_build_script_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_sample_pptx", SAMPLE / "build_sample_pptx.py"
    )
    if spec is None or spec.loader is None:
        pytest.fail("the sample build script cannot be loaded")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # dataclasses look their module up
    spec.loader.exec_module(script)
    assert OUTLINE.read_text(encoding="utf-8") == script.outline_text()

"""Importing Markdown (plain, Marp, reveal.js) and plain-text outlines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from lecture_studio.errors import EmptyDeckError, MissingAssetError, UnsupportedFormatError
from lecture_studio.importers import import_path
from lecture_studio.model import Slide


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def paragraphs(slide: Slide) -> list[tuple[str, int, bool]]:
    return [(p.text, p.level, p.bullet) for block in slide.body for p in block.paragraphs]


MARKDOWN = """\
# Photosynthesis

How plants **make** food.

<!-- Welcome. Today we look at how plants make sugar. -->

## Inputs

- Light
  - Red and *blue* wavelengths
    - Absorbed by [chlorophyll](https://example.org/chl)
* Water
+ Carbon dioxide
  taken in through stomata

1. Capture light
2. Split water

![A leaf in sunlight](images/leaf.png)

Note:
Light, water and carbon dioxide go in.
Oxygen comes out.

## Code and tables

```python
# this is a comment, not a heading
print("hi")
```

| Input | Source |
|-------|:------:|
| Water | Roots  |
| CO2   | Air    |
"""


def test_markdown_outline_makes_one_slide_per_heading(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "leaf.png").write_bytes(png_bytes())
    path = tmp_path / "plants.md"
    path.write_text(MARKDOWN, encoding="utf-8")

    project = import_path(path)
    lecture = project.lecture
    assert lecture.title == "Photosynthesis"
    assert lecture.language == "en"
    assert (lecture.slide_width, lecture.slide_height) == (13.333, 7.5)
    assert [s.title for s in lecture.slides] == ["Photosynthesis", "Inputs", "Code and tables"]
    assert [s.source.index for s in lecture.slides] == [1, 2, 3]
    assert all(s.source.kind == "outline" and s.source.path == str(path) for s in lecture.slides)

    intro, inputs, code = lecture.slides
    assert paragraphs(intro) == [("How plants make food.", 0, False)]
    assert intro.script == "Welcome. Today we look at how plants make sugar."

    assert paragraphs(inputs) == [
        ("Light", 0, True),
        ("Red and blue wavelengths", 1, True),
        ("Absorbed by chlorophyll", 2, True),
        ("Water", 0, True),
        ("Carbon dioxide taken in through stomata", 0, True),
        ("1. Capture light", 0, False),
        ("2. Split water", 0, False),
    ]
    assert inputs.script == "Light, water and carbon dioxide go in.\nOxygen comes out."
    (picture,) = inputs.pictures
    assert picture.description == "A leaf in sunlight"
    assert project.asset_bytes(picture.asset) == png_bytes()

    assert [text for text, _, _ in paragraphs(code)] == [
        "# this is a comment, not a heading",
        'print("hi")',
    ]
    assert code.tables[0].rows == [["Input", "Source"], ["Water", "Roots"], ["CO2", "Air"]]
    assert code.script == ""
    assert project.warnings == []


MARP = """\
---
marp: true
theme: gaia
title: Cells in Motion
paginate: true
---

<!-- _class: lead -->
![bg](cover.png)
# Cells move

<!--
Cells move in many ways.
This first slide is the overview.
-->

---

## Amoeboid motion
- Pseudopods
<!-- backgroundColor: #fff -->
<!-- The pseudopod pushes forward. -->

---

Just a picture slide, no heading
"""


def test_marp_front_matter_directives_and_separators(tmp_path: Path) -> None:
    (tmp_path / "cover.png").write_bytes(png_bytes())
    path = tmp_path / "motion.md"
    path.write_text(MARP, encoding="utf-8")
    lecture = import_path(path).lecture
    assert lecture.title == "Cells in Motion"
    assert [s.title for s in lecture.slides] == ["Cells move", "Amoeboid motion", ""]
    cover, amoeba, last = lecture.slides
    # The background picture above the heading stays on the same slide.
    assert len(cover.pictures) == 1
    # Directives are settings, not speech.
    assert cover.script == "Cells move in many ways.\nThis first slide is the overview."
    assert amoeba.script == "The pseudopod pushes forward."
    assert amoeba.bullet_texts() == ["Pseudopods"]
    assert last.bullet_texts() == ["Just a picture slide, no heading"]


def test_reveal_notes_run_until_the_next_slide(tmp_path: Path) -> None:
    path = tmp_path / "talk.markdown"
    path.write_text(
        "## One\n\nBody one\n\nNotes: first part\n\n- still a note\n\n## Two\n\nBody two\n",
        encoding="utf-8",
    )
    lecture = import_path(path).lecture
    one, two = lecture.slides
    assert one.bullet_texts() == ["Body one"]
    assert one.script == "first part\n\n- still a note"
    assert two.bullet_texts() == ["Body two"] and two.script == ""
    # No level-1 heading: the lecture is named after the file.
    assert lecture.title == "talk"


def test_japanese_markdown_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "光合成.md"
    path.write_bytes("\ufeff# 光合成のしくみ\n\n- 光エネルギーを使う\n".encode())
    lecture = import_path(path).lecture
    assert lecture.title == "光合成のしくみ"
    assert lecture.language == "ja"
    assert lecture.slides[0].bullet_texts() == ["光エネルギーを使う"]


def test_missing_image_names_the_image_and_the_outline(tmp_path: Path) -> None:
    path = tmp_path / "lesson.md"
    path.write_text("# Lesson\n\n![diagram](figures/cycle.png)\n", encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    with pytest.raises(MissingAssetError) as caught:
        import_path(path)
    message = caught.value.message
    assert "figures/cycle.png" in message and "lesson.md" in message
    assert set(tmp_path.rglob("*")) == before


def test_web_image_is_left_out_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "web.md"
    path.write_text("# Web\n\n![logo](https://example.org/logo.png)\n", encoding="utf-8")
    project = import_path(path)
    assert project.lecture.slides[0].pictures == []
    assert project.warnings == [
        "Slide 1: left out the web image https://example.org/logo.png; "
        "download it next to web.md and link it by file name."
    ]


def test_outline_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("# Café\n\n- crème brûlée\n".encode("latin-1"))
    with pytest.raises(UnsupportedFormatError, match="latin.md is not UTF-8 text"):
        import_path(path)


@pytest.mark.parametrize("name", ["empty.md", "empty.txt"])
def test_outline_without_slides_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n\n   \n", encoding="utf-8")
    with pytest.raises(EmptyDeckError, match=f"{name} has no slides"):
        import_path(path)


TEXT = """\
# Genetics 101

Mendel's peas
- Dominant traits
  - Round seeds
- Recessive traits
Mendel crossed thousands of pea plants.
He counted the offspring.



DNA
* Double helix
"""


def test_text_outline_blocks_become_slides(tmp_path: Path) -> None:
    path = tmp_path / "genetics.txt"
    path.write_text(TEXT, encoding="utf-8")
    lecture = import_path(path).lecture
    assert lecture.title == "Genetics 101"
    assert [s.title for s in lecture.slides] == ["Genetics 101", "Mendel's peas", "DNA"]
    peas = lecture.slides[1]
    assert paragraphs(peas) == [
        ("Dominant traits", 0, True),
        ("Round seeds", 1, True),
        ("Recessive traits", 0, True),
    ]
    assert peas.script == "Mendel crossed thousands of pea plants.\nHe counted the offspring."
    assert lecture.slides[2].bullet_texts() == ["Double helix"]
    assert [s.source.index for s in lecture.slides] == [1, 2, 3]
    assert lecture.slides[0].source.kind == "outline"


def test_text_outline_without_a_marked_title_is_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "week 3.txt"
    path.write_text("Osmosis\nWater moves across membranes.\n", encoding="utf-8")
    lecture = import_path(path).lecture
    assert lecture.title == "week 3"
    assert lecture.slides[0].title == "Osmosis"
    assert lecture.slides[0].script == "Water moves across membranes."

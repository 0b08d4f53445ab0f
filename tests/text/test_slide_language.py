"""A slide's language: its own setting, else its script's, else the lecture's; saved and loaded."""

from __future__ import annotations

import json
from pathlib import Path

from lecture_studio.model import Lecture, Slide, lecture_language, slide_language
from lecture_studio.project import Project

GERMAN = "Pflanzen nutzen die Energie des Sonnenlichts, um aus Wasser Zucker herzustellen."


def test_a_slide_speaks_its_override_else_its_script_else_the_lecture() -> None:
    lecture = Lecture(language="en")
    german = Slide(script=GERMAN)
    short = Slide(script="Quelle:")
    silent = Slide()
    chosen = Slide(script=GERMAN, language="fr-CA")
    lecture.slides = [german, short, silent, chosen]
    assert slide_language(lecture, german) == "de"
    assert slide_language(lecture, short) == "en"
    assert slide_language(lecture, silent) == "en"
    assert slide_language(lecture, chosen) == "fr"
    lecture.language = "de_DE"
    assert lecture_language(lecture) == "de"
    assert slide_language(lecture, short) == "de"


def test_kanji_only_script_follows_a_japanese_lecture() -> None:
    slide = Slide(script="光合成")
    assert slide_language(Lecture(language="ja", slides=[slide]), slide) == "ja"
    assert slide_language(Lecture(language="zh", slides=[slide]), slide) == "zh"
    kana = Slide(script="光合成のしくみ")
    assert slide_language(Lecture(language="zh", slides=[kana]), kana) == "ja"


def test_a_slide_without_script_that_narrates_its_text_is_judged_by_that_text() -> None:
    slide = Slide(title="Die Photosynthese in den Blättern der grünen Pflanzen")
    lecture = Lecture(language="en", slides=[slide])
    assert slide_language(lecture, slide) == "en"  # nothing is spoken, the lecture's language
    lecture.style.narrate_slide_text = True
    assert slide_language(lecture, slide) == "de"


def test_the_override_is_saved_and_loaded(tmp_path: Path) -> None:
    lecture = Lecture(language="en", slides=[Slide(script=GERMAN, language="de"), Slide()])
    bundle = Project(lecture).save(tmp_path / "mixed")
    loaded = Project.load(bundle).lecture
    assert [slide.language for slide in loaded.slides] == ["de", None]
    assert loaded == lecture


def test_a_project_saved_before_slides_had_a_language_still_loads(tmp_path: Path) -> None:
    lecture = Lecture(language="en", slides=[Slide(script=GERMAN), Slide(script="Welcome.")])
    bundle = Project(lecture).save(tmp_path / "old")
    project_file = bundle / "project.json"
    data = json.loads(project_file.read_text(encoding="utf-8"))
    for slide in data["lecture"]["slides"]:
        del slide["language"]  # what the previous version wrote: no such key
    project_file.write_text(json.dumps(data), encoding="utf-8")
    loaded = Project.load(bundle).lecture
    assert [slide.language for slide in loaded.slides] == [None, None]
    assert [slide_language(loaded, slide) for slide in loaded.slides] == ["de", "en"]

"""Build animations read from a deck's ``<p:timing>``, kept in the project, and the ``[click]``
cues of speaker notes taken out of what is spoken and placed among its sentences.

Decks are built here with python-pptx, their main sequences written as PowerPoint writes them
(``instruments.pptx_builds``)."""

from __future__ import annotations

import json

from instruments.pptx_builds import Effect, set_builds
from pptx import Presentation
from pptx.util import Inches

from lecture_studio.importers import import_path
from lecture_studio.model import (
    BuildStep,
    BuildTarget,
    Lecture,
    Slide,
    lecture_from_dict,
    lecture_to_dict,
)
from lecture_studio.narration.cleanup import (
    ClickMark,
    click_marks,
    speakable_text,
    spoken_sentences,
)
from lecture_studio.project import Project

BULLETS = ["Light is absorbed", "Water is split", "Carbon is fixed", "Sugar is made"]


def bullet_deck(path, effects_of, notes: str = ""):
    """A deck of one title-and-content slide with BULLETS and a picture-like rectangle; its
    main sequence is ``effects_of(body id, rectangle id)``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(10), Inches(7.5)
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Photosynthesis"
    body = slide.placeholders[1]
    body.text_frame.text = BULLETS[0]
    for text in BULLETS[1:]:
        body.text_frame.add_paragraph().text = text
    box = slide.shapes.add_textbox(Inches(6), Inches(5), Inches(3), Inches(1))
    box.text_frame.text = "Chloroplast"
    set_builds(slide, effects_of(body.shape_id, box.shape_id))
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    deck.save(path)
    return path


def imported_steps(path) -> tuple[list[BuildStep], list[str]]:
    project = import_path(path)
    return project.lecture.slides[0].builds, project.warnings


def test_with_previous_joins_its_step_and_after_previous_starts_its_own(tmp_path):
    deck = bullet_deck(
        tmp_path / "b.pptx",
        lambda body, box: [
            Effect(body, 0, preset_id=10, duration_ms=700),
            Effect(body, 1, "withEffect", preset_id=10, duration_ms=700),
            Effect(body, 2, preset_id=22, subtype=8),
            Effect(body, 3, "afterEffect", preset_id=22, subtype=8),
            Effect(box, None, preset_id=2, subtype=4, duration_ms=400),
        ],
    )
    steps, warnings = imported_steps(deck)
    assert [s.trigger for s in steps] == ["click", "click", "auto", "click"]
    assert [s.start for s in steps] == [0.0, 0.0, 0.5, 0.0]  # after the 0.5 s wipe before it
    body = steps[0].shows[0].shape_id
    assert steps[0].shows == [BuildTarget(body, [0]), BuildTarget(body, [1])]
    assert steps[0].effect == "fade" and steps[0].duration == 0.7
    assert steps[0].text == "Light is absorbed\nWater is split"
    assert [t.paragraphs for t in steps[1].shows] == [[2]]
    assert [t.paragraphs for t in steps[2].shows] == [[3]]
    assert (steps[1].effect, steps[1].direction) == ("wipe", "left")
    assert (steps[2].effect, steps[2].direction) == ("wipe", "left")
    assert steps[3].shows[0].paragraphs is None  # the whole text box
    assert (steps[3].effect, steps[3].direction, steps[3].duration) == ("fly", "bottom", 0.4)
    assert steps[3].text == "Chloroplast"
    assert warnings == []


def test_effects_before_the_first_click_start_with_the_slide_and_exits_hide(tmp_path):
    deck = bullet_deck(
        tmp_path / "b.pptx",
        lambda body, box: [
            Effect(box, None, "afterEffect"),
            Effect(body, 0),
            Effect(box, None, preset_class="exit", preset_id=10),
        ],
    )
    steps, _ = imported_steps(deck)
    assert [s.trigger for s in steps] == ["auto", "click", "click"]
    assert steps[0].effect == "appear" and steps[0].duration == 0.0
    assert steps[2].hides and not steps[2].shows and steps[2].text == ""


def test_emphasis_and_motion_paths_are_named_in_one_warning_for_the_slide(tmp_path):
    deck = bullet_deck(
        tmp_path / "b.pptx",
        lambda body, box: [
            Effect(body, 0),
            Effect(box, None, preset_class="emph", preset_id=6),
            Effect(box, None, preset_class="path", preset_id=1),
        ],
    )
    steps, warnings = imported_steps(deck)
    assert len(steps) == 1
    assert warnings == [
        "Slide 1: its animation has emphasis effects and motion paths, which are not played; "
        "the video shows those shapes as the slide places them."
    ]


def test_an_unknown_entrance_is_drawn_as_a_fade(tmp_path):
    deck = bullet_deck(tmp_path / "b.pptx", lambda body, box: [Effect(body, 0, preset_id=31)])
    steps, _ = imported_steps(deck)
    assert steps[0].effect == "fade"


def test_builds_survive_save_and_load(tmp_path):
    deck = bullet_deck(
        tmp_path / "b.pptx",
        lambda body, box: [Effect(body, 0), Effect(box, None, preset_id=2, subtype=8)],
    )
    project = import_path(deck)
    saved = project.save(tmp_path / "lecture")
    loaded = Project.load(saved)
    assert loaded.lecture.slides[0].builds == project.lecture.slides[0].builds
    data = json.loads(json.dumps(lecture_to_dict(project.lecture)))
    assert lecture_from_dict(data).slides[0].builds == project.lecture.slides[0].builds


def test_a_project_saved_before_builds_loads_without_them():
    lecture = Lecture(slides=[Slide(builds=[BuildStep(shows=[BuildTarget(2)])])])
    data = lecture_to_dict(lecture)
    del data["lecture"]["slides"][0]["builds"]
    assert lecture_from_dict(data).slides[0].builds == []


def test_click_cues_are_never_spoken_and_mark_their_sentences():
    notes = "Plants make food. [click] First, light. [CLICK]\nThen carbon is [Click] fixed."
    assert speakable_text(notes) == "Plants make food. First, light. Then carbon is fixed."
    assert click_marks(notes) == [ClickMark(1), ClickMark(2), ClickMark(2, len("Then carbon is"))]


def test_a_cue_at_either_end_of_the_notes():
    notes = "[click] Light comes first. Sugar comes last. [click]"
    assert click_marks(notes) == [ClickMark(0), ClickMark(2)]


def test_japanese_cues_in_either_bracket_width():
    notes = "光合成の話です。［クリック］まず光を吸収します。【クリック】次に糖を作ります。[click]"
    assert "クリック" not in speakable_text(notes) and "click" not in speakable_text(notes)
    assert spoken_sentences(notes, "ja") == [
        "光合成の話です。",
        "まず光を吸収します。",
        "次に糖を作ります。",
    ]
    assert click_marks(notes, "ja") == [ClickMark(1), ClickMark(2), ClickMark(3)]

"""Each slide's problems (render.problems): a picture without image data, text no installed font
shows, a language no installed voice speaks, a slide that flashes by; and the export notes the
very same sentences."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from instruments.engines import StandInEngine
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from lecture_studio.importers import import_path
from lecture_studio.model import Lecture, MoveSlide, Slide
from lecture_studio.model.timeline import SAMPLE_RATE, build_timeline
from lecture_studio.narration import NarrationClip
from lecture_studio.narration.choose import voice_catalog
from lecture_studio.plugins import PluginRegistry
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture
from lecture_studio.render.problems import (
    FLASH_SECONDS,
    drawing_problems,
    flashing_slides,
    import_problems,
    slide_problems,
    timing_problems,
)
from lecture_studio.slides import builtin as builtin_module
from lecture_studio.slides import render_slide_images
from lecture_studio.slides.fonts import FontFace, FontFamily

TITLE_ONLY, PICTURE_WITH_CAPTION = 5, 8
ENGLISH = "Plants turn sunlight into sugar."
GERMAN = "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen."


def deck_with_a_broken_picture(path: Path) -> Path:
    """Two slides; the second holds a picture whose image data is gone."""
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY]).shapes.title.text = "Cells"
    broken = deck.slides.add_slide(deck.slide_layouts[PICTURE_WITH_CAPTION])
    broken.shapes.title.text = "Micrograph"
    placeholder = next(p for p in broken.placeholders if p.placeholder_format.idx == 1)
    png = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(png, "PNG")
    picture = placeholder.insert_picture(io.BytesIO(png.getvalue()))
    del picture._element.find(".//" + qn("a:blip")).attrib[qn("r:embed")]
    deck.save(path)
    return path


class EnglishOnlyEngine(StandInEngine):
    """A registry's only engine: one English voice that speaks a second of tone."""

    name = "english-only"
    version = "1"

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        t = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        return NarrationClip((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), SAMPLE_RATE)


def english_only_voices():
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("english-only", EnglishOnlyEngine),
    )
    return voice_catalog(registry)


def fixed(slide: Slide, seconds: float) -> Slide:
    slide.duration.mode = "fixed"
    slide.duration.seconds = seconds
    return slide


def test_a_picture_without_image_data_is_a_problem_of_its_slide_wherever_it_moves(tmp_path):
    project = import_path(deck_with_a_broken_picture(tmp_path / "cells.pptx"))
    cells, micrograph = project.lecture.slides
    (problem,) = import_problems(project)
    assert (problem.slide_id, problem.number, problem.kind) == (micrograph.id, 2, "import")
    assert problem.sentence == "Slide 2: skipped a picture without image data."
    MoveSlide(micrograph.id, 0).apply(project.lecture)
    (moved,) = import_problems(project)
    assert (moved.slide_id, moved.number) == (micrograph.id, 1)
    assert moved.sentence == "Slide 1: skipped a picture without image data."


def test_a_warning_about_the_whole_file_is_no_slides_problem():
    project = Project(
        Lecture(slides=[Slide(title="One")]),
        warnings=["The slide size of talk.pptx is missing, so its slides are shown at 16:9."],
    )
    assert import_problems(project) == []


def test_text_no_installed_font_can_show_is_a_drawing_problem_of_its_slide(monkeypatch):
    no_cjk = FontFamily(FontFace(None), FontFace(None))
    monkeypatch.setattr(builtin_module, "font_family", lambda language: no_cjk)
    latin, japanese = Slide(title="Photosynthesis"), Slide(title="光合成")
    project = Project(Lecture(language="ja", slides=[latin, japanese]))
    result = render_slide_images(project, size=(320, 180), renderer="builtin")
    drawn = {slide_id: d.warnings for slide_id, d in result.drawn.items()}
    (problem,) = drawing_problems(project.lecture, drawn)
    assert (problem.slide_id, problem.number, problem.kind) == (japanese.id, 2, "drawing")
    assert "no CJK font is installed" in problem.sentence
    assert "fonts-noto-cjk" in problem.sentence
    assert problem.sentence in result.warnings  # what the export notes
    project.lecture.slides.remove(japanese)  # deleted since it was drawn: no badge left over
    assert drawing_problems(project.lecture, drawn) == []


def test_only_a_slide_shorter_than_the_flash_limit_flashes_by():
    quick, enough = fixed(Slide(title="Quick"), 0.8), fixed(Slide(title="Enough"), FLASH_SECONDS)
    hidden = fixed(Slide(title="Hidden", hidden=True), 0.5)
    lecture = Lecture(slides=[Slide(title="Welcome"), quick, enough, hidden])
    timeline = build_timeline(lecture, {})
    assert [t.slide_id for t in flashing_slides(timeline)] == [quick.id]
    (problem,) = timing_problems(timeline)
    assert (problem.slide_id, problem.number, problem.kind) == (quick.id, 2, "timing")
    assert problem.sentence.startswith("Slide 2 is on screen for only 0.8 s, too short")
    assert "Duration and Seconds" in problem.sentence and "script" in problem.sentence


def test_voices_not_listed_yet_are_not_judged():
    project = Project(Lecture(language="en", slides=[Slide(title="Licht", script=GERMAN)]))
    timeline = build_timeline(project.lecture, {})
    assert slide_problems(project, timeline, None) == []


def test_the_export_notes_the_same_sentences_the_editor_shows_per_slide(tmp_path):
    english = Slide(title="Light", script=ENGLISH)
    german = Slide(title="Licht", script=GERMAN)
    quick = fixed(Slide(title="Quick", script=""), 0.8)
    project = Project(Lecture(language="en", slides=[english, german, quick]))
    voices = english_only_voices()
    options = ExportOptions(
        size=(64, 36), thumbnail=False, chapters=False, cache_dir=tmp_path / "cache", voices=voices
    )
    result = export_lecture(project, tmp_path / "out.mp4", options)

    problems = slide_problems(project, result.timeline, voices)
    assert [(p.number, p.kind) for p in problems] == [(2, "voice"), (3, "timing")]
    voice, timing = problems
    assert voice.slide_id == german.id and timing.slide_id == quick.id
    assert voice.sentence.startswith("Slide 2 is in German, which no installed voice speaks")
    assert "install a voice that speaks German" in voice.sentence
    assert voice.sentence in result.notes
    assert timing.sentence in result.notes

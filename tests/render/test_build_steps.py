"""A deck's build animation in the video: each build state drawn by LibreOffice, shown from the
frame of its ``[click]`` cue (else the sentence that mentions it, else spread evenly), changing
by the step's effect; the last state is LibreOffice's own picture of the slide."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from instruments.mp4inspect import decoded_rgb
from instruments.pptx_builds import Effect, set_builds
from instruments.similarity import ssim
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from lecture_studio.importers import import_path
from lecture_studio.model import BuildStep, BuildTarget, Lecture, Slide
from lecture_studio.narration.cleanup import ClickMark
from lecture_studio.narration.clip import TimedText
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture, slide_narrations
from lecture_studio.render.plan import SlideVisual, lecture_timeline, sentence_times
from lecture_studio.render.visual import slide_visual
from lecture_studio.slides import RenderedSlide, SlideRenderer, libreoffice, render_slide_images
from lecture_studio.slides.builds import build_states
from lecture_studio.transitions.builds import BuildChange, build_step_frames, changed_box

FPS = 30
SMALL = (320, 240)
BULLETS = [
    "Light is absorbed by chlorophyll",
    "Water is split into oxygen",
    "Carbon dioxide is fixed",
    "Sugar is made for the plant",
]
NOTES = (
    "Plants make their own food. [click] First, light and water. "
    "[click] Then the plant fixes carbon into sugar."
)

needs_tools = pytest.mark.skipif(
    libreoffice.find_soffice() is None or shutil.which("espeak-ng") is None,
    reason="needs LibreOffice (soffice) and espeak-ng (make test installs them)",
)


def step(*paragraphs: int, trigger: str = "click", text: str = "", hides=()) -> BuildStep:
    return BuildStep(
        trigger=trigger,
        shows=[BuildTarget(3, [p]) for p in paragraphs],
        hides=[BuildTarget(3, [p]) for p in hides],
        text=text,
    )


def sentence(start: float, end: float, text: str) -> TimedText:
    return TimedText(start, end, text)


# --- states --------------------------------------------------------------------------------


def test_entrances_hide_until_their_step_and_exits_from_theirs():
    states = build_states([step(0, 1), step(2, hides=(0,)), BuildStep(shows=[BuildTarget(9)])])
    assert states == [
        {(3, 0), (3, 1), (3, 2), (9, None)},
        {(3, 2), (9, None)},
        {(3, 0), (9, None)},
        {(3, 0)},
    ]


# --- timing --------------------------------------------------------------------------------

SENTENCES = [
    sentence(0.0, 1.5, "Plants make their own food."),
    sentence(2.0, 3.5, "First, light and water."),
    sentence(4.0, 6.0, "Then the plant fixes carbon into sugar."),
]


def test_cues_time_their_steps_at_the_sentence_after_them():
    frames = build_step_frames(
        [step(0), step(1)], [ClickMark(1), ClickMark(2)], SENTENCES, FPS, 0.5, 300
    )
    assert frames == [math.floor(2.5 * FPS), math.floor(4.5 * FPS)]


def test_a_cue_inside_a_sentence_times_its_step_at_the_word_after_it():
    words = [
        sentence(4.0, 4.3, "Then"),
        sentence(4.3, 4.5, "the"),
        sentence(4.5, 4.9, "plant"),
        sentence(4.9, 5.3, "fixes"),
    ]
    mark = ClickMark(2, len("Then the plant "))
    frames = build_step_frames([step(0)], [mark], SENTENCES, FPS, 0.0, 300, words)
    assert frames == [math.floor(4.9 * FPS)]


def test_without_cues_a_step_comes_with_the_sentence_that_mentions_it():
    steps = [step(0, text="Water"), step(1, text="Carbon fixation")]
    assert build_step_frames(steps, [], SENTENCES, FPS, 0.0, 300) == [2 * FPS, 4 * FPS]


def test_steps_nothing_times_are_spread_evenly():
    steps = [step(0, text="Oxygen"), step(1, text="water"), step(2, text="Starch")]
    frames = build_step_frames(steps, [], SENTENCES, FPS, 0.0, 300)
    # the first between the narration's start and "water" (2.0 s), the last before its end
    assert frames == [1 * FPS, 2 * FPS, 4 * FPS]


def test_without_narration_steps_spread_over_the_slide_and_auto_steps_start_it():
    steps = [step(0, trigger="auto"), step(1), step(2), step(3)]
    assert build_step_frames(steps, [], [], FPS, 0.0, 160) == [0, 40, 80, 120]


def test_steps_never_go_back_in_time():
    frames = build_step_frames(
        [step(0), step(1)], [ClickMark(2), ClickMark(1)], SENTENCES, FPS, 0, 300
    )
    assert frames == [4 * FPS, 4 * FPS]


# --- effects -------------------------------------------------------------------------------


def pictures() -> tuple[np.ndarray, np.ndarray]:
    a = np.full((40, 80, 3), 255, np.uint8)
    b = a.copy()
    b[10:20, 20:60] = 0
    return a, b


def test_a_fade_blends_and_a_wipe_uncovers_from_its_side():
    a, b = pictures()
    assert changed_box(a, b) == (20, 10, 60, 20)
    half = BuildChange("fade", "", 10).frame(a, b, 0.5)
    assert abs(int(half[15, 30, 0]) - 128) <= 1 and half[0, 0, 0] == 255
    wiped = BuildChange("wipe", "left", 10).frame(a, b, 0.5)
    assert wiped[15, 25, 0] == 0 and wiped[15, 55, 0] == 255
    assert np.array_equal(BuildChange("appear").frame(a, b, 0.1), b)


def test_a_fly_in_comes_from_its_side_and_lands_on_the_state():
    a, b = pictures()
    flying = BuildChange("fly", "bottom", 10).frame(a, b, 0.3)
    ink = np.flatnonzero((flying[:, :, 0] < 200).any(axis=1))
    assert ink.size and ink[0] > 10  # still below where it lands
    assert np.array_equal(BuildChange("fly", "bottom", 10).frame(a, b, 1.0), b)


def test_a_slide_visual_draws_its_changes_the_same_frame_by_frame_and_in_segments():
    a, b = pictures()
    visual = SlideVisual(((0, a), (10, b)), changes=(None, BuildChange("fade", "", 4)))
    frame = visual.frame_function(30)
    segments = visual.segments(0, 30, frame)
    flat = [
        seg.image if hasattr(seg, "image") else seg.render(i)
        for seg in segments
        for i in range(seg.frames)
    ]
    assert len(flat) == 30
    for k, picture in enumerate(flat):
        assert np.array_equal(picture, frame(k)), k
    assert np.array_equal(frame(9), a) and np.array_equal(frame(14), b)
    assert 0 < flat[11][15, 30, 0] < 255


# --- the exported video ----------------------------------------------------------------------


def build_deck(path):
    """One 4:3 title-and-content slide whose 4 bullets build in two clicks: the first two
    appear, the last two fade in (0.5 s); its notes cue both clicks."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(10), Inches(7.5)
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Photosynthesis"
    body = slide.placeholders[1]
    body.text_frame.text = BULLETS[0]
    for text in BULLETS[1:]:
        body.text_frame.add_paragraph().text = text
    sid = body.shape_id
    set_builds(
        slide,
        [
            Effect(sid, 0),
            Effect(sid, 1, "withEffect"),
            Effect(sid, 2, preset_id=10, duration_ms=500),
            Effect(sid, 3, "withEffect", preset_id=10, duration_ms=500),
        ],
    )
    slide.notes_slide.notes_text_frame.text = NOTES
    deck.save(path)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("builds")
    cache = folder / "cache"
    project = import_path(build_deck(folder / "builds.pptx"))
    result = export_lecture(project, folder / "out.mp4", ExportOptions(size=SMALL, cache_dir=cache))
    narrations = slide_narrations(project, project.lecture.visible_slides(), cache)
    starts = [start for start, _, _, _ in sentence_times(result.timeline, narrations)]
    with SlideRenderer(project, SMALL, cache_dir=cache) as renderer:
        states = [np.asarray(s) for s in renderer.draw(project.lecture.slides[0]).builds]
    frames = list(decoded_rgb(folder / "out.mp4"))
    return project, result, starts, states, frames, cache


def nearest_state(frame: np.ndarray, states: list[np.ndarray]) -> int:
    distances = [np.abs(frame.astype(np.int16) - s).mean() for s in states]
    return int(np.argmin(distances))


@needs_tools
def test_each_build_state_shows_from_the_frame_of_its_cue(exported):
    _, result, starts, states, frames, _ = exported
    assert len(states) == 3 and len(frames) == result.timeline.total_frames
    first_click = math.floor(starts[1] * FPS + 1e-6)
    second_click = math.floor(starts[2] * FPS + 1e-6)
    fade = round(0.5 * FPS)
    shown = [nearest_state(frame, states) for frame in frames]
    assert set(shown[:first_click]) == {0}
    assert shown[first_click] == 1 and set(shown[first_click:second_click]) == {1}
    assert set(shown[second_click + fade :]) == {2}
    # the fade: between the two states, the new bullets growing darker
    middle = frames[second_click + fade // 2].astype(np.int16)
    assert np.abs(middle - states[1]).mean() > 0.5 and np.abs(middle - states[2]).mean() > 0.5


@needs_tools
def test_the_last_build_state_is_libreoffices_own_picture_of_the_slide(exported, tmp_path):
    project, _, _, states, frames, _ = exported
    project.lecture.slides[0].builds = []  # the deck as LibreOffice draws it, states aside
    own = render_slide_images(project, SMALL, cache_dir=tmp_path)[project.lecture.slides[0].id]
    assert ssim(Image.fromarray(frames[-1]), own) >= 0.99
    assert ssim(Image.fromarray(states[-1]), own) >= 0.999


@needs_tools
def test_a_state_keeps_the_shown_bullets_where_the_slide_puts_them(exported):
    _, _, _, states, _, _ = exported
    ink = np.flatnonzero((states[-1] < 128).any(axis=(1, 2)))
    third_bullet_top = _line_tops(ink)[3]
    above = slice(0, third_bullet_top - 2)
    top_half = ssim(Image.fromarray(states[1][above]), Image.fromarray(states[2][above]))
    assert top_half >= 0.999
    assert (states[1][third_bullet_top:] > 200).all()  # the last two bullets are not drawn
    assert (states[0][_line_tops(ink)[1] - 2 :] > 200).all()  # nor any before the first click


def _line_tops(rows: np.ndarray) -> list[int]:
    return [int(rows[0])] + [int(b) for a, b in zip(rows, rows[1:], strict=False) if b > a + 1]


@needs_tools
def test_cues_are_neither_spoken_nor_captioned(exported):
    _, result, _, _, _, _ = exported
    captions = next(p for p in result.files if p.suffix == ".srt").read_text()
    assert "click" not in captions.lower()
    assert "First, light and water." in captions


def test_a_slide_with_builds_not_drawn_by_libreoffice_says_it_shows_its_final_state():
    slide = Slide(builds=[step(0)])
    project = Project(Lecture(slides=[slide]))
    timeline = lecture_timeline(project.lecture, {})
    drawn = RenderedSlide(Image.new("RGB", (64, 36), "white"), "builtin")
    view = slide_visual(project, slide, timeline.slides[0], timeline, drawn, None)
    assert len(view.visual.states) == 1
    assert view.notes == (
        "Slide 1 shows only the final state of its build animation, which is drawn only when "
        "LibreOffice draws the slide.",
    )


def test_without_narration_a_slides_clicks_spread_over_it():
    slide = Slide(builds=[step(0), step(1)])
    project = Project(Lecture(slides=[slide]))
    timeline = lecture_timeline(project.lecture, {})
    white = Image.new("RGB", (64, 36), "white")
    states = tuple(Image.new("RGB", (64, 36), (v, v, v)) for v in (250, 200, 150))
    drawn = RenderedSlide(white, "libreoffice", builds=states)
    view = slide_visual(project, slide, timeline.slides[0], timeline, drawn, None)
    frames = timeline.slides[0].frames
    assert [first for first, _ in view.visual.states] == [0, frames // 3, 2 * frames // 3]
    assert view.visual.picture[0, 0, 0] == 150 and view.notes == ()

"""Slide transitions and "advance after" times read from a deck, and the video they make.

The deck is built here as PowerPoint 2010+ saves it (transitions inside mc:AlternateContent
with ``p14:dur``, a bare ``spd``-only one as PowerPoint 2007 writes, morph as ``p159:morph``),
exported small, and every slide change is read back from the MP4's frames: which kind of
transition it is, which way it moves and how many frames it lasts."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from instruments.mp4inspect import decoded_rgb, inspect_mp4
from instruments.pptx_parts import set_transition, textured_slide
from pptx import Presentation

from lecture_studio.cli import main
from lecture_studio.importers import import_path
from lecture_studio.importers.pptx_transitions import read_slide_transition
from lecture_studio.model import (
    DeckTransition,
    Lecture,
    Slide,
    TransitionSpec,
    lecture_from_dict,
    lecture_to_dict,
)
from lecture_studio.model.timeline import build_timeline
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture
from lecture_studio.transitions.latent import LatentMorph

FPS = 30
ADVANCE_MS = 2000
SMALL = (320, 180)
COLOURS = [
    (220, 40, 40),
    (40, 70, 220),
    (40, 180, 60),
    (230, 200, 40),
    (200, 50, 200),
    (40, 200, 210),
    (240, 130, 30),
    (120, 60, 180),
    (230, 230, 230),
    (150, 90, 40),
    (60, 200, 120),
    (200, 40, 110),
]
# (slide's transition XML, p14:dur ms or None for a bare <p:transition>, spd,
#  what we draw, its seconds, whether it only resembles PowerPoint's)
DECK_TRANSITIONS = [
    ("<p:fade/>", 600, "med", "crossfade", 0.6, False),
    ('<p:push dir="u"/>', 800, "slow", "push-up", 0.8, False),
    ('<p:wipe dir="r"/>', None, "med", "wipe-right", 0.75, False),
    ('<p:cover dir="l"/>', 700, "slow", "cover-left", 0.7, False),
    ('<p:pull dir="r"/>', None, "slow", "uncover-right", 1.0, False),
    ('<p:split orient="vert" dir="out"/>', 600, "fast", "wipe-right", 0.6, True),
    ('<p:zoom dir="in"/>', 600, "fast", "zoom-in", 0.6, False),
    ('<p159:morph option="byObject"/>', 1000, "slow", "latent-morph", 1.0, False),
    ("<p:cut/>", None, None, "cut", 0.0, False),
    ('<p14:vortex dir="r"/>', 600, "slow", "crossfade", 0.6, True),
    ('<p:fade thruBlk="1"/>', 800, "slow", "fade-black", 0.8, False),
]

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)"
)


def build_deck(path, transitions=DECK_TRANSITIONS, advance_ms: int | None = ADVANCE_MS):
    deck = Presentation()  # 10 x 7.5 in: letterboxed in 16:9, the slide in the middle
    deck.slide_width, deck.slide_height = 12192000, 6858000  # 16:9, as PowerPoint's default
    first = textured_slide(deck, COLOURS[0])
    if advance_ms is not None:
        set_transition(first, "", adv_ms=advance_ms)  # no effect, only the timing
    for number, (effect, p14_dur, spd, *_rest) in enumerate(transitions, start=1):
        slide = textured_slide(deck, COLOURS[number])
        set_transition(slide, effect, p14_dur=p14_dur, spd=spd, adv_ms=advance_ms)
    deck.save(path)
    return path


# --- reading --------------------------------------------------------------------------------


def test_each_kind_maps_to_ours_with_its_direction_and_duration(tmp_path):
    project = import_path(build_deck(tmp_path / "deck.pptx"))
    slides = project.lecture.slides
    assert slides[0].deck_transition is None  # a <p:transition> with a timing and no effect
    for slide, (_xml, _dur, _spd, kind, seconds, approximate) in zip(
        slides[1:], DECK_TRANSITIONS, strict=True
    ):
        deck = slide.deck_transition
        assert deck is not None
        assert (deck.transition.kind, deck.approximate) == (kind, approximate)
        assert deck.transition.duration == pytest.approx(seconds)
    assert [s.duration.advance_after for s in slides] == [2.0] * len(slides)
    assert not project.warnings


def test_a_choice_we_cannot_read_falls_back(tmp_path):
    """An mc:Choice requiring a namespace we do not know is skipped for its fallback."""
    deck = Presentation()
    slide = textured_slide(deck, COLOURS[0])
    xml = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
        '2006" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:p99="urn:example:future"><mc:Choice Requires="p99"><p:transition spd="slow">'
        '<p99:teleport/></p:transition></mc:Choice><mc:Fallback><p:transition spd="slow">'
        '<p:push dir="d"/></p:transition></mc:Fallback></mc:AlternateContent>'
    )
    from lxml import etree

    slide._element.append(etree.fromstring(xml))
    info = read_slide_transition(slide._element)
    assert info.transition == DeckTransition("push", TransitionSpec("push-down", 1.0))
    assert info.advance_after is None


def test_lecture_setting_chooses_deck_or_lecture_transitions():
    """The deck's transition into a slide is used on the change before it, unless the lecture
    uses its own everywhere; a slide's own choice wins either way; else a 0.5 s crossfade."""
    lecture = Lecture()
    a, b, c = Slide(), Slide(), Slide()
    b.deck_transition = DeckTransition("push", TransitionSpec("push-left", 0.8))
    for s in (a, b, c):
        s.duration.mode, s.duration.seconds = "fixed", 3.0
    lecture.slides = [a, b, c]

    def kinds() -> list[tuple[str, float]]:
        timeline = build_timeline(lecture, {})
        return [(t.transition.kind, t.transition.duration) for t in timeline.slides]

    assert kinds()[:2] == [("push-left", 0.8), ("crossfade", 0.5)]
    lecture.style.deck_transitions = False
    assert kinds()[:2] == [("crossfade", 0.5), ("crossfade", 0.5)]
    lecture.style.deck_transitions = True
    a.transition = TransitionSpec("cut", 0.0)
    assert kinds()[0] == ("cut", 0.0)


def test_deck_transitions_survive_save_and_load(tmp_path):
    project = import_path(build_deck(tmp_path / "deck.pptx"))
    project.lecture.style.deck_transitions = False
    project.save(tmp_path / "saved.lecture")
    loaded = Project.load(tmp_path / "saved.lecture")
    assert loaded.lecture.style.deck_transitions is False
    assert [s.deck_transition for s in loaded.lecture.slides] == [
        s.deck_transition for s in project.lecture.slides
    ]
    assert loaded.lecture.slides[3].duration.advance_after == 2.0


def test_a_project_saved_before_keeps_its_transitions():
    """Projects saved before decks' transitions were read keep the transition they had (the
    old default, a cut, is saved in them); only new lectures crossfade by default."""
    data = lecture_to_dict(Lecture(slides=[Slide()]))
    data["lecture"]["style"]["transition"] = {"kind": "cut", "duration": 0.0}
    del data["lecture"]["style"]["deck_transitions"]
    del data["lecture"]["slides"][0]["deck_transition"]
    del data["lecture"]["slides"][0]["duration"]["advance_after"]
    lecture = lecture_from_dict(data)
    assert lecture.style.transition == TransitionSpec("cut", 0.0)
    assert lecture.style.deck_transitions and lecture.slides[0].deck_transition is None
    assert Lecture().style.transition == TransitionSpec("crossfade", 0.5)


def test_advance_after_times_a_silent_slide_exactly():
    lecture = Lecture()
    silent, spoken = Slide(title="A long title that takes a while to read"), Slide()
    silent.duration.advance_after = 1.2
    spoken.duration.advance_after = 1.2  # narration decides for a slide that has some
    lecture.slides = [silent, spoken]
    timeline = build_timeline(lecture, {spoken.id: 48_000 * 3})
    assert timeline.slides[0].frames == round(1.2 * lecture.output.fps)
    assert timeline.slides[1].frames > 3 * lecture.output.fps


# --- the video ------------------------------------------------------------------------------


def _labels(line: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel of ``line``: "A" or "B" (near a slide's colour), "D" (dark), "X" (other)."""
    near_a = np.abs(line.astype(int) - a).sum(axis=1) < 60
    near_b = np.abs(line.astype(int) - b).sum(axis=1) < 60
    dark = line.max(axis=1) < 60
    return np.where(near_a, "A", np.where(near_b, "B", np.where(dark, "D", "X")))


def _static(frame: np.ndarray, still: np.ndarray, where: np.ndarray, axis: int) -> bool:
    """Whether ``frame`` shows ``still`` unmoved over the span of ``where`` along the line."""
    idx = np.flatnonzero(where)
    if idx.size < 10:
        return False
    lo, hi = idx[0] + 3, idx[-1] - 3  # edges of a moving boundary blur in the encoding
    h, w = frame.shape[:2]
    line_f = frame[int(0.6 * h), lo:hi] if axis == 1 else frame[lo:hi, int(0.58 * w)]
    line_s = still[int(0.6 * h), lo:hi] if axis == 1 else still[lo:hi, int(0.58 * w)]
    same = np.abs(line_f.astype(int) - line_s).sum(axis=1) < 60
    return same.mean() > 0.93


def classify(frame: np.ndarray, still_a: np.ndarray, still_b: np.ndarray) -> str:
    """The kind of transition a frame from its middle shows, read from the pixels alone."""
    a = still_a[int(0.6 * still_a.shape[0]), int(0.05 * still_a.shape[1])].astype(int)
    b = still_b[int(0.6 * still_b.shape[0]), int(0.05 * still_b.shape[1])].astype(int)
    if frame.mean() < 25:
        return "fade-black"
    halfway = (still_a.astype(int) + still_b) / 2
    if np.abs(frame - halfway).mean() < 12:
        return "crossfade"
    h, w = frame.shape[:2]
    row = _labels(frame[int(0.6 * h)], a, b)
    column = _labels(frame[:, int(0.58 * w)], a, b)

    def a_around_b(line: np.ndarray) -> bool:
        ends = np.concatenate((line[: len(line) // 10], line[-len(line) // 10 :]))
        return (ends == "A").any() and not (ends == "B").any() and (line == "B").mean() > 0.2

    if a_around_b(row) and a_around_b(column):
        return "zoom-in"
    horizontal = (row == "A").mean() > 0.1 and (row == "B").mean() > 0.1
    line, axis = (row, 1) if horizontal else (column, 0)
    b_at = np.flatnonzero(line == "B").mean()
    a_at = np.flatnonzero(line == "A").mean()
    if horizontal:
        direction = "left" if b_at > a_at else "right"  # where things move
    else:
        direction = "up" if b_at > a_at else "down"
    a_still = _static(frame, still_a, line == "A", axis)
    b_still = _static(frame, still_b, line == "B", axis)
    move = {
        (False, False): "push",
        (True, False): "cover",
        (False, True): "uncover",
        (True, True): "wipe",
    }[(a_still, b_still)]
    return f"{move}-{direction}"


@needs_libreoffice
def test_exported_video_shows_each_deck_transition(tmp_path):
    project = import_path(build_deck(tmp_path / "deck.pptx"))
    dest = tmp_path / "out.mp4"
    result = export_lecture(
        project, dest, ExportOptions(size=SMALL, cache_dir=tmp_path / "cache", captions=False)
    )
    # advTm: every slide (silent) lasts exactly its 2 s
    slides = len(DECK_TRANSITIONS) + 1
    assert [t.frames for t in result.timeline.slides] == [2 * FPS] * slides
    assert inspect_mp4(dest).video.frame_count == slides * 2 * FPS

    frames = list(decoded_rgb(dest))
    stills = [frames[i * 2 * FPS + FPS] for i in range(slides)]
    for i, still in enumerate(stills):  # the middle of each slide is that slide
        centre = still[int(0.6 * still.shape[0]), int(0.05 * still.shape[1])]
        assert np.abs(centre.astype(int) - COLOURS[i]).sum() < 45, i
    morph_falls_back = LatentMorph().fallback_reason is not None
    for number, (_xml, _dur, _spd, kind, seconds, _approx) in enumerate(DECK_TRANSITIONS, 1):
        boundary = number * 2 * FPS
        a, b = stills[number - 1], stills[number]

        def differs(frame, still) -> bool:  # a still slide's frames are bit-identical
            return np.abs(frame.astype(int) - still).mean() > 0.02

        changing = [
            k
            for k in range(boundary - FPS + 3, boundary + FPS - 3)
            if differs(frames[k], a) and differs(frames[k], b)
        ]
        expected = round(seconds * FPS) // 2 * 2
        assert abs(len(changing) - expected) <= 2, (kind, len(changing), expected)
        if kind == "cut":
            assert np.abs(frames[boundary - 1].astype(int) - a).mean() < 2
            assert np.abs(frames[boundary].astype(int) - b).mean() < 2
            continue
        middle = frames[changing[len(changing) // 2]]
        shown = "crossfade" if kind == "latent-morph" and morph_falls_back else kind
        if kind == "latent-morph" and not morph_falls_back:
            continue  # a real morph here: its frames are the model's, not a classic kind
        assert classify(middle, a, b) == shown, number

    warnings = " ".join(result.notes)
    assert "split as wipe-right (slide 7)" in warnings
    assert "vortex as crossfade (slide 11)" in warnings
    assert warnings.count("no exact match") == 1
    if morph_falls_back:
        assert "crossfade instead of the latent morph" in warnings and "slide 9" in warnings


@needs_libreoffice
def test_lecture_transition_instead_of_the_deck_from_the_cli(tmp_path, capsys):
    """--no-deck-transitions: the lecture's own transition (here a cut) everywhere."""
    transitions = DECK_TRANSITIONS[:2]
    deck = build_deck(tmp_path / "deck.pptx", transitions)
    dest = tmp_path / "out.mp4"
    code = main(
        [
            "export",
            str(deck),
            "-o",
            str(dest),
            "--size",
            "320x180",
            "--quiet",
            "--no-deck-transitions",
            "--transition",
            "cut",
            "--no-captions",
            "--no-chapters",
            "--no-thumbnail",
        ]
    )
    assert code == 0
    frames = list(decoded_rgb(dest))
    for number in (1, 2):
        boundary = number * 2 * FPS
        assert np.abs(frames[boundary - 1].astype(int) - frames[boundary - FPS]).mean() < 2
        assert np.abs(frames[boundary].astype(int) - frames[boundary + FPS]).mean() < 2


@needs_libreoffice
def test_no_transition_anywhere_crossfades_half_a_second(tmp_path):
    """Where neither the deck nor the lecture sets a transition, slides crossfade for 0.5 s."""
    deck = Presentation()
    for colour in COLOURS[:2]:
        slide = textured_slide(deck, colour)
        set_transition(slide, "", adv_ms=ADVANCE_MS)
    deck.save(tmp_path / "plain.pptx")
    project = import_path(tmp_path / "plain.pptx")
    dest = tmp_path / "out.mp4"
    export_lecture(project, dest, ExportOptions(size=SMALL, cache_dir=tmp_path / "cache"))
    frames = list(decoded_rgb(dest))
    a, b = frames[FPS], frames[3 * FPS]
    changing = [
        k
        for k in range(FPS + 1, 3 * FPS - 1)
        if np.abs(frames[k].astype(int) - a).mean() > 0.02
        and np.abs(frames[k].astype(int) - b).mean() > 0.02
    ]
    assert abs(len(changing) - round(0.5 * FPS) // 2 * 2) <= 2
    assert classify(frames[changing[len(changing) // 2]], a, b) == "crossfade"

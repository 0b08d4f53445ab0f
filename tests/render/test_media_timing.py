"""A deck's own timing of its videos, sounds and builds, in the video: a clip that a click
starts plays from that click's cue, a looped clip fills its slide, a clip at half volume is
6 dB down, a cropped or flipped video shows as its shape does, and an "after previous" build
step shows once the step before it has run.

Decks are built with python-pptx, their timing written as PowerPoint writes it
(``instruments.pptx_builds``)."""

from __future__ import annotations

import io
import math

import av
import numpy as np
import pytest
from instruments.mp4inspect import decoded_rgb
from instruments.pptx_builds import Effect, MediaNode, set_builds
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches
from test_export_media import mp4_clip, tone

from lecture_studio.cli import main as cli_main
from lecture_studio.importers.pptx import import_deck
from lecture_studio.model import BuildStep, BuildTarget, Lecture, Slide
from lecture_studio.narration import lecture as narration_of
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture
from lecture_studio.render.plan import lecture_timeline
from lecture_studio.render.visual import slide_visual
from lecture_studio.slides import RenderedSlide, libreoffice

SIZE = (320, 180)
FPS = 30
RATE = 48_000
CLIP_FPS = 10
TONE = 660.0
POSTER = (0, 0, 255)
BOX = (0.30, 0.25, 0.375, 0.40)  # the video's box on the slide, in fractions of it
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NOTES = "Watch the beaker. [click] Now the liquid turns red."


def colour(index: int, count: int) -> tuple[int, int, int]:
    """Picture ``index`` of ``count``: red rises, green falls."""
    step = index * 255 // count
    return step, 255 - step, 128


def video_file(seconds: float, halves: bool = False) -> bytes:
    """An H.264 + AAC MP4 at 10 fps: each picture one colour (``colour``), or with
    ``halves`` its left half red and its right half green; and a 660 Hz tone."""
    count = round(seconds * CLIP_FPS)
    pictures = []
    for index in range(count):
        picture = np.empty((96, 160, 3), np.uint8)
        picture[:] = colour(index, count)
        if halves:
            picture[:, :80] = (255, 0, 0)
            picture[:, 80:] = (0, 255, 0)
        pictures.append(picture)
    return mp4_clip(pictures, tone(seconds, TONE))


def poster() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 96), POSTER).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def add_video(deck, slide, data: bytes, name: str = "beaker.mp4"):
    w, h = deck.slide_width, deck.slide_height
    movie = slide.shapes.add_movie(
        io.BytesIO(data),
        *(Emu(int(f * d)) for f, d in zip(BOX, (w, h, w, h), strict=True)),
        poster_frame_image=poster(),
        mime_type="video/mp4",
    )
    movie.name = name
    return movie


def new_deck():
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    return deck


def export(project, tmp_path, name="out.mp4"):
    destination = tmp_path / name
    options = ExportOptions(
        size=SIZE, captions=False, chapters=False, thumbnail=False, cache_dir=tmp_path / "cache"
    )
    result = export_lecture(project, destination, options)
    frames = list(decoded_rgb(destination))
    with av.open(str(destination)) as container:
        sound = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return result, frames, sound.T


def box_centre(frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[:2]
    cx = int((BOX[0] + BOX[2] / 2) * width)
    cy = int((BOX[1] + BOX[3] / 2) * height)
    return frame[cy - 8 : cy + 8, cx - 12 : cx + 12].reshape(-1, 3).mean(axis=0)


def amplitude(sound: np.ndarray, start: float, end: float, frequency: float = TONE) -> float:
    part = sound[round(start * RATE) : round(end * RATE), 0].astype(np.float64)
    t = np.arange(len(part)) / RATE
    return float(2 * abs(np.sum(part * np.exp(-2j * np.pi * frequency * t))) / len(part))


def narrate_two_sentences(monkeypatch) -> None:
    """Each slide with notes speaks two sentences, a second each (a low hum, not the tone)."""

    def spoken(project, lecture, slide, *args, **kwargs):
        if not slide.script:
            return None
        t = np.arange(2 * RATE) / RATE
        hum = (0.2 * np.sin(2 * np.pi * 220.0 * t)).astype(np.float32)
        said = (TimedText(0.0, 1.0, "Watch the beaker."), TimedText(1.0, 2.0, "Now it turns."))
        return NarrationClip(hum, RATE, said)

    monkeypatch.setattr(narration_of, "spoken_clip", spoken)


# --- reading the deck --------------------------------------------------------------------


def test_a_videos_playback_settings_and_its_click_are_read(tmp_path):
    deck = new_deck()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    movie = add_video(deck, slide, video_file(1.0))
    spid = movie.shape_id
    fill = movie._element.find(f"{{{NS_P}}}blipFill")
    fill.find(f"{{{NS_A}}}stretch").addprevious(
        etree.fromstring(f'<a:srcRect xmlns:a="{NS_A}" l="10000" r="40000"/>')
    )
    movie._element.find(f"{{{NS_P}}}spPr/{{{NS_A}}}xfrm").set("flipH", "1")
    set_builds(
        slide,
        [Effect(spid, preset_class="mediacall", duration_ms=1000, delay_ms=250)],
        [MediaNode(spid, volume=50000, repeat="indefinite", show_when_stopped=False)],
    )
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    (media,) = project.lecture.slides[0].media
    (step,) = project.lecture.slides[0].builds
    assert (step.trigger, step.start, step.plays, step.shows) == ("click", 0.25, [spid], [])
    assert (media.shape_id, media.volume, media.plays) == (spid, 0.5, 0)
    assert media.crop is not None and media.flip_h and not media.flip_v
    assert (media.crop.left, media.crop.width) == pytest.approx((0.1, 0.5))
    assert project.warnings == [
        "Slide 1: the video “beaker.mp4” is set to hide while not playing, which the video "
        "does not do: it shows the poster frame before and after the clip plays."
    ]


def test_info_lists_each_slides_media_and_build_steps(tmp_path, capsys):
    deck = new_deck()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    spid = add_video(deck, slide, video_file(1.0)).shape_id
    box = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(3), Inches(1))
    box.text_frame.text = "Red"
    set_builds(
        slide,
        [
            Effect(spid, preset_class="mediacall", duration_ms=1000),
            Effect(box.shape_id, trigger="afterEffect", preset_id=10),
        ],
        [MediaNode(spid, volume=50000, repeat="indefinite")],
    )
    deck.save(tmp_path / "deck.pptx")
    assert cli_main(["info", str(tmp_path / "deck.pptx")]) == 0
    out = capsys.readouterr().out
    assert "media: video “beaker.mp4”, 1.0 s, volume 50%, loops, starts at build step 1" in out
    assert "build steps: 2 (1 on click, 1 by themselves)" in out


# --- in the video ------------------------------------------------------------------------


def test_an_on_click_video_starts_at_its_click_cue_and_keeps_its_slide_up(tmp_path, monkeypatch):
    deck = new_deck()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    spid = add_video(deck, slide, video_file(3.0)).shape_id
    set_builds(slide, [Effect(spid, preset_class="mediacall", duration_ms=3000)], [MediaNode(spid)])
    slide.notes_slide.notes_text_frame.text = NOTES
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    narrate_two_sentences(monkeypatch)

    result, frames, sound = export(project, tmp_path)

    (one,) = result.timeline.slides
    cue = math.floor(((one.narration_start - one.start_sample) / RATE + 1.0) * FPS + 1e-6)
    assert one.frames >= cue + 3 * FPS  # the clip plays whole after the cue
    assert np.abs(box_centre(frames[cue - 1]) - POSTER).max() < 12  # the poster until then
    for k in (0, 1, 15, 45, 87):  # picture k // 3 from the cue on (10 fps in 30 fps)
        expected = colour(k // (FPS // CLIP_FPS), 30)
        assert np.abs(box_centre(frames[cue + k]) - expected).max() < 12, k
    start = cue / FPS
    assert amplitude(sound, start - 0.45, start - 0.05) < 0.005  # its sound starts with it
    assert amplitude(sound, start + 0.1, start + 0.5) > 0.02


def test_a_looped_one_second_clip_fills_a_three_second_slide(tmp_path):
    deck = new_deck()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    spid = add_video(deck, slide, video_file(1.0)).shape_id
    set_builds(slide, [], [MediaNode(spid, repeat="indefinite")])
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    project.lecture.timing.default_duration = 3.0

    result, frames, sound = export(project, tmp_path)

    (one,) = result.timeline.slides
    assert one.frames == 3 * FPS
    for k in (0, 12, 29, 30, 45, 60, 75, 89):  # picture (k mod 30) // 3, over and over
        expected = colour((k % FPS) // (FPS // CLIP_FPS), 10)
        assert np.abs(box_centre(frames[k]) - expected).max() < 12, k
    first, last = amplitude(sound, 0.1, 0.9), amplitude(sound, 2.1, 2.9)
    assert first > 0.02 and last == pytest.approx(first, rel=0.1)


def test_a_clip_at_half_volume_is_six_decibels_down(tmp_path):
    deck = new_deck()
    for volume in (100000, 50000):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        spid = add_video(deck, slide, video_file(1.5)).shape_id
        set_builds(slide, [], [MediaNode(spid, volume=volume)])
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    project.lecture.style.deck_transitions = False
    project.lecture.style.transition.kind = "cut"
    project.lecture.timing.default_duration = 2.0

    result, _, sound = export(project, tmp_path)

    one, two = result.timeline.slides
    full = amplitude(sound, 0.2, 1.3)
    begin = two.start_sample / RATE
    half = amplitude(sound, begin + 0.2, begin + 1.3)
    assert 20 * math.log10(half / full) == pytest.approx(-6.02, abs=0.3)


def test_a_cropped_and_a_flipped_video_show_as_their_shapes_do(tmp_path):
    deck = new_deck()
    for side in ("crop", "flip"):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        movie = add_video(deck, slide, video_file(1.0, halves=True), name=f"{side}.mp4")
        if side == "crop":  # keep the left (red) half only
            movie._element.find(f"{{{NS_P}}}blipFill/{{{NS_A}}}stretch").addprevious(
                etree.fromstring(f'<a:srcRect xmlns:a="{NS_A}" r="50000"/>')
            )
        else:
            movie._element.find(f"{{{NS_P}}}spPr/{{{NS_A}}}xfrm").set("flipH", "1")
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    project.lecture.style.deck_transitions = False
    project.lecture.style.transition.kind = "cut"
    project.lecture.timing.default_duration = 1.0

    result, frames, _ = export(project, tmp_path)

    one, two = result.timeline.slides
    height, width = frames[0].shape[:2]
    left = int((BOX[0] + BOX[2] * 0.2) * width)
    right = int((BOX[0] + BOX[2] * 0.8) * width)
    y = int((BOX[1] + BOX[3] / 2) * height)
    cropped, flipped = frames[10], frames[two.start_frame + 10]
    red, green = np.array([255, 0, 0]), np.array([0, 255, 0])
    assert np.abs(cropped[y, left].astype(int) - red).max() < 40
    assert np.abs(cropped[y, right].astype(int) - red).max() < 40  # the red half, stretched
    assert np.abs(flipped[y, left].astype(int) - green).max() < 40  # green now on the left
    assert np.abs(flipped[y, right].astype(int) - red).max() < 40


# --- build steps that run by themselves ---------------------------------------------------


def test_an_after_previous_step_shows_once_the_step_before_it_has_run():
    slide = Slide(
        builds=[
            BuildStep(shows=[BuildTarget(3, [0])], effect="fade", duration=0.5),
            BuildStep(trigger="auto", shows=[BuildTarget(3, [1])], start=0.5, effect="appear"),
            BuildStep(trigger="auto", shows=[BuildTarget(3, [2])], start=1.2),
        ]
    )
    project = Project(Lecture(slides=[slide]))
    timeline = lecture_timeline(project.lecture, {})
    states = tuple(Image.new("RGB", (64, 36), (v, v, v)) for v in (250, 200, 150, 100))
    drawn = RenderedSlide(states[-1], "libreoffice", builds=states)
    view = slide_visual(project, slide, timeline.slides[0], timeline, drawn, None)
    frames = timeline.slides[0].frames
    click = frames // 2  # one click, spread over the slide
    firsts = [first for first, _ in view.visual.states]
    assert firsts == [0, click, click + 15, click + 36]


needs_tools = pytest.mark.skipif(
    libreoffice.find_soffice() is None, reason="needs LibreOffice (make test installs it)"
)


@needs_tools
def test_an_after_previous_bullet_appears_in_the_video_after_its_predecessors_fade(
    tmp_path, monkeypatch
):
    deck = new_deck()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Reactions"
    body = slide.placeholders[1]
    body.text_frame.text = "The liquid warms"
    body.text_frame.add_paragraph().text = "Then it turns red"
    sid = body.shape_id
    set_builds(
        slide,
        [
            Effect(sid, 0, preset_id=10, duration_ms=1000),
            Effect(sid, 1, "afterEffect", preset_id=1),
        ],
    )
    slide.notes_slide.notes_text_frame.text = NOTES
    deck.save(tmp_path / "deck.pptx")
    project = import_deck(tmp_path / "deck.pptx")
    narrate_two_sentences(monkeypatch)

    result, frames, _ = export(project, tmp_path)

    (one,) = result.timeline.slides
    cue = math.floor(((one.narration_start - one.start_sample) / RATE + 1.0) * FPS + 1e-6)
    second = cue + FPS  # once the 1 s fade of the first bullet has run
    ink = [int((frame < 100).all(axis=2).sum()) for frame in frames]  # dark text pixels
    assert set(ink[: cue - 1]) == {ink[0]}  # the title alone until the cue
    assert ink[cue - 1] < ink[second - 1]  # the first bullet fading in
    assert ink[second] - ink[second - 1] > 50  # the second one appears after the fade
    assert set(ink[second:]) == {ink[-1]}

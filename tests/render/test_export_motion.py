"""The export with imagery, Ken Burns motion and progressive reveal: pixels, frames, durations."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from PIL import Image

from lecture_studio.cli import main
from lecture_studio.model import (
    Box,
    Lecture,
    Paragraph,
    Slide,
    SlideSource,
    TextBlock,
    TransitionSpec,
)
from lecture_studio.model.timeline import build_timeline
from lecture_studio.narration import lecture as narration_of
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.project import Project
from lecture_studio.render import export as export_module
from lecture_studio.render.encoder import StillSegment
from lecture_studio.render.export import ExportOptions, export_lecture
from lecture_studio.render.plan import video_segments
from lecture_studio.render.visual import slide_visuals
from lecture_studio.slides import RenderedSlide, render_slide_images
from lecture_studio.slides.builtin import draw_slide_layout
from lecture_studio.slides.theme import load_theme
from lecture_studio.transitions import make_transition
from lecture_studio.transitions.motion import ken_burns

SIZE = (320, 180)
FPS = 30
RATE = 48_000
RED = (230, 20, 20)
BULLETS = ["Photosynthesis makes sugar", "Respiration releases energy", "Fermentation needs no air"]
SENTENCES = (
    TimedText(0.0, 0.9, "Three processes keep cells alive."),
    TimedText(1.0, 1.9, "Photosynthesis makes sugar from light."),
    TimedText(2.0, 2.9, "Respiration releases the energy in that sugar."),
    TimedText(3.0, 3.9, "Fermentation needs no air at all."),
)


def outline_slide(title: str = "Cells", bullets=BULLETS, **kw) -> Slide:
    paragraphs = [Paragraph(text) for text in bullets]
    return Slide(source=SlideSource("outline"), title=title, body=[TextBlock(paragraphs)], **kw)


def red_asset(project: Project) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), RED).save(buffer, "PNG")
    return project.add_asset(buffer.getvalue(), ".png")


def fixed(slide: Slide, seconds: float) -> Slide:
    slide.duration.mode = "fixed"
    slide.duration.seconds = seconds
    return slide


def all_frames(segments) -> list[np.ndarray]:
    frames = []
    for segment in segments:
        if isinstance(segment, StillSegment):
            frames += [segment.image] * segment.frames
        else:
            frames += [segment.render(k) for k in range(segment.frames)]
    return frames


def visuals_for(project: Project, clips=None, fps: int = FPS):
    lecture = project.lecture
    clips = clips or {}
    lengths = {sid: len(c.samples) for sid, c in clips.items()}
    timeline = build_timeline(lecture, lengths, RATE, fps)
    rendered = render_slide_images(project, size=SIZE, renderer="builtin")
    visuals, notes = slide_visuals(project, rendered.drawn, clips, timeline)
    return timeline, rendered, visuals, notes


def redness(pixels: np.ndarray) -> float:
    p = pixels.reshape(-1, 3).astype(float)
    return float(np.mean(p[:, 0] - (p[:, 1] + p[:, 2]) / 2))


# --- imagery ----------------------------------------------------------------------------------


def test_an_image_placed_beside_the_text_fills_free_space_and_leaves_the_text_alone():
    project = Project(Lecture(slides=[outline_slide(bullets=["Short", "Text"])]))
    slide = project.lecture.slides[0]
    slide.imagery.variants, slide.imagery.chosen = [red_asset(project)], 0
    slide.imagery.placement = "beside"
    _, rendered, visuals, notes = visuals_for(project)
    before = np.asarray(rendered[slide.id])
    after = visuals[slide.id].picture
    assert not notes
    drawing = draw_slide_layout(slide, project, SIZE, load_theme(), [])
    for left, top, right, bottom in drawing.content:  # title and bullets: untouched
        assert np.array_equal(after[top:bottom, left:right], before[top:bottom, left:right])
    # the right half of the slide holds no text: the picture is there now, and it was white
    right_half = (slice(60, 150), slice(200, 290))
    assert redness(before[right_half]) < 5 and redness(after[right_half]) > 150


def test_a_background_image_shows_everywhere_under_a_scrim_that_keeps_the_text_dark():
    project = Project(Lecture(slides=[outline_slide()]))
    slide = project.lecture.slides[0]
    slide.imagery.variants, slide.imagery.chosen = [red_asset(project)], 0
    slide.imagery.placement = "background"
    _, rendered, visuals, _ = visuals_for(project)
    before, after = np.asarray(rendered[slide.id]), visuals[slide.id].picture
    drawing = draw_slide_layout(slide, project, SIZE, load_theme(), [])
    assert redness(after[-20:, :]) > 30  # the paper at the bottom is tinted by the picture
    left, top, right, bottom = drawing.paragraphs[0].box
    ink = before[top:bottom, left:right].sum(axis=2) < 400
    assert ink.sum() > 20  # the bullet's dark strokes stay dark over the picture
    assert after[top:bottom, left:right][ink].sum(axis=1).mean() < 400


def test_an_image_fills_the_empty_picture_placeholder_of_a_deck(tmp_path):
    from pptx import Presentation

    from lecture_studio.importers import import_path

    deck = Presentation()
    layout = next(x for x in deck.slide_layouts if x.name == "Picture with Caption")
    pptx_slide = deck.slides.add_slide(layout)
    pptx_slide.shapes.title.text = "Mitochondria"
    path = tmp_path / "deck.pptx"
    deck.save(path)
    project = import_path(path)
    slide = project.lecture.slides[0]
    assert len(slide.placeholders) == 1  # the importer records where the empty one is
    box = slide.placeholders[0]
    slide.imagery.variants, slide.imagery.chosen = [red_asset(project)], 0
    slide.imagery.placement = "placeholder"
    _, rendered, visuals, _ = visuals_for(project)
    after = visuals[slide.id].picture
    # deck slides are 4:3 here: the slide sits between bars in the 16:9 frame
    width = round(SIZE[1] * 4 / 3)
    bar = (SIZE[0] - width) // 2
    x0, x1 = bar + box.left * width, bar + (box.left + box.width) * width
    y0, y1 = box.top * SIZE[1], (box.top + box.height) * SIZE[1]
    inside = after[int(y0) + 2 : int(y1) - 2, int(x0) + 2 : int(x1) - 2]
    assert redness(inside) > 150
    outside = np.asarray(rendered[slide.id]).copy()
    changed = np.any(after != outside, axis=2)
    ys, xs = np.nonzero(changed)
    assert xs.min() >= int(x0) - 1 and xs.max() <= int(x1) + 1
    assert ys.min() >= int(y0) - 1 and ys.max() <= int(y1) + 1


def test_a_slide_asking_for_imagery_it_does_not_have_is_named_with_the_command_to_run():
    project = Project(Lecture(slides=[outline_slide(), outline_slide("Two")]))
    project.lecture.slides[1].imagery.placement = "background"
    _, rendered, visuals, notes = visuals_for(project)
    assert any("Slide 2 asks" in n and "lecture-studio imagery" in n for n in notes)
    second = project.lecture.slides[1].id
    assert np.array_equal(visuals[second].picture, np.asarray(rendered[second]))


# --- motion -----------------------------------------------------------------------------------


def test_ken_burns_moves_smoothly_and_the_transition_starts_from_the_last_motion_frame():
    moving = fixed(outline_slide(motion="ken-burns"), 2.0)
    moving.transition = TransitionSpec("crossfade", 0.4)
    lecture = Lecture(slides=[moving, fixed(outline_slide("Next"), 1.0)])
    project = Project(lecture)
    timeline, rendered, visuals, _ = visuals_for(project)
    frames = all_frames(video_segments(timeline, visuals))
    assert len(frames) == timeline.total_frames == 90  # motion never changes the length
    count = timeline.slides[0].transition_frames
    first_transition = 60 - count // 2
    own = [f.astype(np.int16) for f in frames[:first_transition]]
    steps = [np.abs(b - a).mean() for a, b in zip(own, own[1:], strict=False)]
    assert np.abs(own[-1] - own[0]).mean() > 3 * max(steps)  # it moves, a little at a time
    assert max(steps) < 2.0
    a = np.asarray(rendered[moving.id])
    b = np.asarray(rendered[lecture.slides[1].id])
    move = ken_burns(a, 60)
    crossfade = make_transition("crossfade", 0.4)
    expected = crossfade.frame(move(first_transition), b, 1 / (count + 1))
    assert np.array_equal(frames[first_transition], expected)
    jump = np.abs(frames[first_transition].astype(np.int16) - own[-1]).mean()
    within = np.abs(frames[first_transition + 1].astype(np.int16) - frames[first_transition])
    assert jump < 2 * within.mean() + 2.0  # no jump into the transition
    assert np.array_equal(frames[-1], b)  # the still slide after it


def test_the_lecture_default_moves_every_slide_and_a_slide_switch_alone_moves_one():
    lecture = Lecture(slides=[fixed(outline_slide(), 1.0), fixed(outline_slide("B"), 1.0)])
    project = Project(lecture)
    _, _, visuals, _ = visuals_for(project)
    assert [v.motion for v in visuals.values()] == ["none", "none"]
    lecture.slides[1].motion = "ken-burns"
    _, _, visuals, _ = visuals_for(project)
    assert [v.motion for v in visuals.values()] == ["none", "ken-burns"]
    lecture.style.motion = "ken-burns"
    _, _, visuals, _ = visuals_for(project)
    assert [v.motion for v in visuals.values()] == ["ken-burns", "ken-burns"]


# --- progressive reveal -----------------------------------------------------------------------


def narrated_project(reveal: bool) -> tuple[Project, dict[str, NarrationClip]]:
    slide = outline_slide()
    lecture = Lecture(slides=[slide])
    lecture.style.reveal = reveal
    samples = np.zeros(4 * RATE, np.float32)
    return Project(lecture), {slide.id: NarrationClip(samples, RATE, SENTENCES)}


def ink_in(frame: np.ndarray, box) -> int:
    left, top, right, bottom = box
    return int((frame[top:bottom, left:right].sum(axis=2) < 300).sum())


def test_each_bullet_appears_within_a_frame_of_the_sentence_introducing_it():
    project, clips = narrated_project(reveal=True)
    slide = project.lecture.slides[0]
    timeline, _, visuals, notes = visuals_for(project, clips)
    assert not notes
    frames = all_frames(video_segments(timeline, visuals))
    assert len(frames) == timeline.total_frames
    lead_in = project.lecture.timing.lead_in
    boxes = [p.box for p in draw_slide_layout(slide, project, SIZE, load_theme(), []).paragraphs]
    for box, sentence in zip(boxes, SENTENCES[1:], strict=True):
        moment = (lead_in + sentence.start) * FPS
        first = int(np.floor(moment + 1e-6))
        assert ink_in(frames[first - 1], box) == 0  # not yet said
        assert ink_in(frames[first], box) > 20  # shown from the frame the sentence starts in
        assert ink_in(frames[-1], box) > 20
    title_ink = (frames[0][:40].sum(axis=2) < 300).sum()
    assert title_ink > 50  # the title is there from the start


def test_reveal_keeps_the_timeline_and_the_video_length(tmp_path, monkeypatch):
    lengths = []
    for reveal in (False, True):
        project, clips = narrated_project(reveal)
        clip = next(iter(clips.values()))
        monkeypatch.setattr(narration_of, "spoken_clip", lambda *a, clip=clip: clip)
        dest = tmp_path / f"reveal-{reveal}.mp4"
        result = export_lecture(
            project, dest, ExportOptions(size=SIZE, captions=False, chapters=False)
        )
        with av.open(str(dest)) as container:
            decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        assert len(decoded) == result.timeline.total_frames
        lengths.append((result.timeline, len(decoded), decoded))
    (plain, n_plain, frames_plain), (revealed, n_revealed, frames_revealed) = lengths

    def spans(timeline):
        return [
            (t.start_sample, t.end_sample, t.narration_start, t.end_frame) for t in timeline.slides
        ]

    assert spans(plain) == spans(revealed) and n_plain == n_revealed
    # in the MP4 too: the last bullet is missing early on, present at the end
    slide = project.lecture.slides[0]
    box = draw_slide_layout(slide, project, SIZE, load_theme(), []).paragraphs[-1].box
    early = int((project.lecture.timing.lead_in + SENTENCES[3].start) * FPS) - 2
    assert ink_in(frames_revealed[early], box) < 3 < 20 < ink_in(frames_plain[early], box)
    assert ink_in(frames_revealed[-1], box) > 20


def test_a_deck_picture_reveals_the_bullets_of_its_text_box_found_from_their_ink():
    slide = outline_slide("Cells")
    slide.source = SlideSource("pptx", "deck.pptx", 1)
    slide.body[0].box = Box(0.06, 0.3, 0.88, 0.6)
    lecture = Lecture(slides=[slide])
    lecture.style.reveal = True
    project = Project(lecture)
    samples = np.zeros(4 * RATE, np.float32)
    clips = {slide.id: NarrationClip(samples, RATE, SENTENCES)}
    timeline = build_timeline(lecture, {slide.id: len(samples)}, RATE, FPS)
    picture = render_slide_images(project, size=SIZE, renderer="builtin")[slide.id]
    as_libreoffice = RenderedSlide(picture, "libreoffice")  # text found from its ink
    visuals, notes = slide_visuals(project, {slide.id: as_libreoffice}, clips, timeline)
    assert not notes
    states = visuals[slide.id].states
    lead_in = lecture.timing.lead_in
    expected = [int(np.floor((lead_in + s.start) * FPS + 1e-6)) for s in SENTENCES[1:]]
    assert [first for first, _ in states] == [0, *expected]  # the lead-in shows no bullet
    full = np.asarray(picture)
    assert np.array_equal(states[-1][1], full)
    assert (states[0][1] != full).any()

    # On a gradient the bullets cannot be hidden cleanly: the slide shows whole, with a note.
    gradient = full.copy()
    gradient[:, :, 2] = np.linspace(120, 255, SIZE[0], dtype=np.uint8)[None, :]
    on_gradient = RenderedSlide(Image.fromarray(gradient), "libreoffice")
    visuals, notes = slide_visuals(project, {slide.id: on_gradient}, clips, timeline)
    assert len(visuals[slide.id].states) == 1
    assert notes and notes[0].startswith("Slide 1 shows all its bullets at once: ")


def test_the_export_command_takes_motion_and_reveal(tmp_path, monkeypatch):
    outline = tmp_path / "talk.md"
    outline.write_text("# One\n\n- Alpha\n- Beta\n\n# Two\n\n- Gamma\n", encoding="utf-8")
    seen = {}

    def fake_export(project, destination, options, progress=None, cancel=None):
        seen["style"] = project.lecture.style
        raise SystemExit(0)

    monkeypatch.setattr(export_module, "export_lecture", fake_export)
    with pytest.raises(SystemExit):
        main(["export", str(outline), "-o", str(tmp_path / "x.mp4"), "--motion", "ken-burns",
              "--reveal", "--quiet"])  # fmt: skip
    assert seen["style"].motion == "ken-burns" and seen["style"].reveal is True

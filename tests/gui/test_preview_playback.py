"""Preview as it will play: Space plays the lecture from the current slide, pauses and resumes
it, the arrows move; the frame painted at a moment is the frame the export's frame source makes
for that moment, on the export's timeline; frames and narration are made off the GUI thread."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from lecture_studio.gui.playback import audio_output_available  # noqa: E402
from lecture_studio.gui.preview import preview_size  # noqa: E402
from lecture_studio.model import (  # noqa: E402
    Lecture,
    Paragraph,
    Slide,
    SlideSource,
    TextBlock,
    TransitionSpec,
)
from lecture_studio.model.timeline import SAMPLE_RATE  # noqa: E402
from lecture_studio.narration.voices import best_voice  # noqa: E402
from lecture_studio.project import Project  # noqa: E402
from lecture_studio.render import visual as visual_module  # noqa: E402
from lecture_studio.render.encoder import BlendSegment, MotionSegment, StillSegment  # noqa: E402
from lecture_studio.render.export import slide_narrations  # noqa: E402
from lecture_studio.render.plan import (  # noqa: E402
    LectureFrames,
    lecture_timeline,
    segment_frame,
    video_segments,
)
from lecture_studio.render.visual import slide_visual  # noqa: E402
from lecture_studio.slides import SlideRenderer  # noqa: E402

WAIT_MS = 60_000


def outline_slide(title: str, bullets: list[str], script: str, transition: TransitionSpec) -> Slide:
    body = [TextBlock([Paragraph(text) for text in bullets])]
    return Slide(
        source=SlideSource("outline"),
        title=title,
        body=body,
        script=script,
        transition=transition,
    )


def cells_lecture() -> Lecture:
    """Three narrated slides whose bullets appear as they are spoken, a wipe (drawn frame by
    frame) from the first into the second and a crossfade between two stills (blended)."""
    lecture = Lecture(
        title="Cells",
        language="en",
        slides=[
            outline_slide(
                "Cells",
                ["Photosynthesis makes sugar", "Respiration releases energy"],
                "Cells need energy. Photosynthesis makes sugar from light. "
                "Respiration releases the energy in that sugar.",
                TransitionSpec("wipe-left", 0.5),
            ),
            outline_slide(
                "Energy",
                ["Energy flows"],
                "Energy flows through every cell.",
                TransitionSpec("crossfade", 0.5),
            ),
            outline_slide("Summary", ["That is all"], "That is all.", TransitionSpec("cut", 0.0)),
        ],
    )
    lecture.style.reveal = True
    return lecture


def open_lecture(qtbot, window, lecture: Lecture) -> list[Slide]:
    """Show ``lecture`` once the voices are listed and its pictures drawn; select slide 1 and
    give the preview the size of its frames, so that it paints them pixel for pixel."""
    qtbot.waitUntil(lambda: window.document.voices is not None, timeout=WAIT_MS)
    if best_voice("en", window.document.voices.voices) is None:
        pytest.skip("no English voice is installed (espeak-ng)")
    window.resize(1900, 1200)
    window.document.set_project(Project(lecture))
    width, height = preview_size(lecture.output)
    window.preview.setFixedSize(width, height)
    qtbot.waitUntil(
        lambda: window.render_worker is None and not window.document.missing_images(),
        timeout=WAIT_MS,
    )
    window.slide_list.setCurrentRow(0)
    assert window.preview.video_rect() == QRect(0, 0, width, height)
    return lecture.slides


def start_preview(qtbot, window, start) -> None:
    """Run ``start()``, wait until the preview plays and shows its first frame."""
    failures: list[str] = []
    window.player.failed.connect(failures.append)
    with qtbot.waitSignal(
        window.player.playing_changed, timeout=WAIT_MS, check_params_cb=lambda playing: playing
    ):
        start()
    window.player.failed.disconnect(failures.append)
    assert failures == []
    qtbot.waitUntil(lambda: window.preview.frame is not None, timeout=WAIT_MS)


def painted(preview) -> tuple[np.ndarray, int]:
    """The video frame as the preview paints it (HxWx3), and the largest difference per
    channel that painting can make in the pixel format it paints into: none at 8 bits or more
    a channel, half a step of that format below."""
    image = preview.grab(preview.video_rect()).toImage()
    pixel_format = image.pixelFormat()
    bits = min(pixel_format.redSize(), pixel_format.greenSize(), pixel_format.blueSize())
    tolerance = 0 if bits >= 8 else math.ceil(255 / (2**bits - 1) / 2)
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), np.uint8, count=stride * height)
    pixels = raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()
    return pixels, tolerance


def export_frame_source(project: Project, voices, size: tuple[int, int]):
    """The export's timeline and video segments (each with its first frame) for ``project``,
    drawn at ``size``: made as ``export_lecture`` makes them, from its own narration."""
    lecture = project.lecture
    slides = lecture.visible_slides()
    narrations = slide_narrations(project, slides, None, voices=voices)
    timeline = lecture_timeline(
        lecture, {sid: n.n_samples for sid, n in narrations.items() if n is not None}
    )
    with SlideRenderer(project, size, slides) as renderer:

        def visual_of(timing):
            slide = lecture.slide(timing.slide_id)
            drawn = renderer.draw(slide)
            narration = narrations.get(slide.id)
            return slide_visual(project, slide, timing, timeline, drawn, narration).visual

        segments, first = [], 0
        for segment in video_segments(timeline, visual_of):
            segments.append((first, segment))
            first += segment.frames
    return timeline, segments


def test_space_plays_pauses_and_resumes_the_arrows_move_and_stop_ends_it_off_the_gui_thread(
    qtbot, window, gui_thread_heavy_calls, monkeypatch
):
    slides = open_lecture(qtbot, window, cells_lecture())
    preview, player = window.preview, window.player
    on_gui_thread: list[bool] = []  # where each slide and frame was composed

    def watched(function):
        def composing(*args, **kwargs):
            on_gui_thread.append(threading.current_thread() is threading.main_thread())
            return function(*args, **kwargs)

        return composing

    monkeypatch.setattr(visual_module, "slide_visual", watched(visual_module.slide_visual))
    monkeypatch.setattr(LectureFrames, "frame_run", watched(LectureFrames.frame_run))
    with gui_thread_heavy_calls() as calls:
        start_preview(qtbot, window, lambda: qtbot.keyClick(preview, Qt.Key.Key_Space))
        if not audio_output_available():
            assert window.statusBar().currentMessage() == (
                "No sound device was found, so the preview plays without sound."
            )
        assert player.is_previewing and not player.paused
        assert window.stop_action.isEnabled()
        timeline = player.audio.timeline
        assert player.audio.start_sample == timeline.slides[0].start_sample

        qtbot.keyClick(preview, Qt.Key.Key_Space)  # pause: the moment and its frame hold
        assert player.paused and player.is_previewing
        held, shown = player.lecture_seconds(), preview.frame
        qtbot.wait(200)
        assert player.lecture_seconds() == held and preview.frame is shown

        qtbot.keyClick(preview, Qt.Key.Key_Right)  # to the start of slide 2, still paused
        second = timeline.slides[1]
        assert player.lecture_seconds() == pytest.approx(second.start_sample / SAMPLE_RATE)
        assert window.slide_list.current_slide_id() == slides[1].id
        qtbot.waitUntil(lambda: player.shown_index == second.start_frame, timeout=WAIT_MS)
        assert player.paused

        qtbot.keyClick(preview, Qt.Key.Key_Left)  # back to the start of slide 1
        assert player.lecture_seconds() == pytest.approx(0.0)
        assert window.slide_list.current_slide_id() == slides[0].id
        qtbot.waitUntil(lambda: player.shown_index == 0, timeout=WAIT_MS)

        qtbot.keyClick(preview, Qt.Key.Key_Space)  # resume
        assert not player.paused and player.is_previewing
        with qtbot.waitSignal(
            player.playing_changed, timeout=WAIT_MS, check_params_cb=lambda playing: not playing
        ):
            window.stop_action.trigger()
    assert calls == []
    assert on_gui_thread and not any(on_gui_thread)
    assert preview.frame is None and player.shown_index == -1
    assert not player.is_busy and not window.stop_action.isEnabled()

    window.slide_list.select_slide(slides[0].id)
    qtbot.keyClick(preview, Qt.Key.Key_Right)  # stopped: the arrows choose the slide
    assert window.slide_list.current_slide_id() == slides[1].id
    assert not player.is_busy
    qtbot.keyClick(preview, Qt.Key.Key_Left)
    assert window.slide_list.current_slide_id() == slides[0].id


def test_the_frame_painted_at_a_moment_is_the_export_frame_of_that_moment(qtbot, window):
    open_lecture(qtbot, window, cells_lecture())
    preview, player = window.preview, window.player
    start_preview(qtbot, window, window.preview_lecture)
    player.pause()
    project = window.document.project
    size = preview_size(project.lecture.output)
    timeline, segments = export_frame_source(project, window.document.voices, size)
    assert player.audio.timeline == timeline  # the export's timing, slide for slide

    kinds = [type(segment) for _, segment in segments]
    assert MotionSegment in kinds and BlendSegment in kinds  # the wipe, the crossfade
    own = [s for first, s in segments if first < timeline.slides[0].end_frame]
    assert sum(isinstance(s, StillSegment) for s in own) >= 3  # slide 1's build steps

    checked = 0
    for first, segment in segments:
        for i in sorted({0, segment.frames // 2, segment.frames - 1}):
            k = first + i
            player.seek(k / timeline.fps)
            qtbot.waitUntil(lambda k=k: player.shown_index == k, timeout=WAIT_MS)
            pixels, tolerance = painted(preview)
            expected = segment_frame(segment, i)
            assert pixels.shape == expected.shape
            difference = np.abs(pixels.astype(np.int16) - expected).max()
            assert difference <= tolerance, f"frame {k} ({type(segment).__name__} {i})"
            checked += 1
    assert checked >= 15
    window.player.stop()


def test_a_preview_from_a_later_slide_starts_there_and_left_plays_again_from_the_one_before(
    qtbot, window
):
    slides = open_lecture(qtbot, window, cells_lecture())
    player = window.player
    window.slide_list.select_slide(slides[1].id)
    start_preview(qtbot, window, window.preview_action.trigger)
    timeline = player.audio.timeline
    assert [t.slide_id for t in timeline.slides] == [s.id for s in slides]  # the whole lecture
    assert player.audio.start_sample == timeline.slides[1].start_sample
    player.pause()
    assert player.lecture_seconds() >= timeline.slides[1].start_sample / SAMPLE_RATE
    with qtbot.waitSignal(
        player.playing_changed, timeout=WAIT_MS, check_params_cb=lambda playing: playing
    ):
        qtbot.keyClick(window.preview, Qt.Key.Key_Left)  # slide 1 was not prepared: again
    assert player.audio.start_sample == 0
    assert window.slide_list.current_slide_id() == slides[0].id
    player.stop()


def test_a_preview_from_a_hidden_last_slide_says_there_is_nothing_to_play(qtbot, window):
    lecture = cells_lecture()
    lecture.slides[2].hidden = True
    slides = open_lecture(qtbot, window, lecture)
    window.slide_list.select_slide(slides[2].id)
    with qtbot.waitSignal(window.player.failed, timeout=WAIT_MS) as failure:
        window.preview_action.trigger()
    assert failure.args == [
        "Every slide from here on is hidden, so there is nothing to preview; show one first."
    ]
    assert not window.player.is_busy

"""The timeline under the editor, on a 48-slide lecture: every slide told apart at fit-all (its
number on it or in its tooltip, a thumbnail), wheel zoom around the pointer, click to select,
an end dragged to a fixed duration (undoable), the playhead following playback, and the
narration's waveform read from spoken clips on a worker, never spoken by the timeline."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from instruments.engines import StandInEngine  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QHelpEvent, QImage, QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from lecture_studio import cache  # noqa: E402
from lecture_studio.gui.document import LectureDocument  # noqa: E402
from lecture_studio.gui.timeline_strip import (  # noqa: E402
    MAX_PIXELS_PER_SECOND,
    PEAKS_PER_SECOND,
    TimelineStrip,
    format_slide_length,
)
from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.model.timeline import SAMPLE_RATE  # noqa: E402
from lecture_studio.narration import NarrationClip  # noqa: E402
from lecture_studio.narration.cache import synthesize_cached  # noqa: E402
from lecture_studio.narration.choose import voice_catalog  # noqa: E402
from lecture_studio.plugins import PluginRegistry  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

WAIT_MS = 60_000
STRIP_WIDTH = 1270  # the strip's width in a 1280-pixel window
SENTENCE = "Plants turn the energy of sunlight into sugar, and store it for later. "


def forty_eight_slides() -> Lecture:
    """A lecture like the deck in issue 19: long and short narrations, slides without notes,
    title slides held for a second and a half, so that some slides are slivers at fit-all."""
    slides = []
    for number in range(1, 49):
        slide = Slide(id=f"s{number:02d}", title=f"Topic {number}", language="en")
        if number % 12 in (2, 5):
            slide.duration.mode, slide.duration.seconds = "fixed", 1.5
        elif number % 7 == 0:
            slide.script = ""  # no notes: the default duration
        else:
            slide.script = SENTENCE * (1 + number % 4)
        slides.append(slide)
    return Lecture(title="Forty-eight slides", slides=slides)


def slide_colour(index: int) -> QColor:
    return QColor.fromHsv(index * 7 % 360, 200, 220)


def slide_pictures(lecture: Lecture) -> dict[str, QImage]:
    """One plain colour per slide, so a thumbnail's pixels say whose it is."""
    pictures = {}
    for index, slide in enumerate(lecture.slides):
        image = QImage(192, 108, QImage.Format.Format_RGB32)
        image.fill(slide_colour(index))
        pictures[slide.id] = image
    return pictures


@pytest.fixture
def document(qtbot) -> LectureDocument:
    document = LectureDocument()
    lecture = forty_eight_slides()
    document.set_project(Project(lecture))
    document.set_images(slide_pictures(lecture))
    return document


@pytest.fixture
def strip(qtbot, document) -> TimelineStrip:
    strip = TimelineStrip(document)
    qtbot.addWidget(strip)
    strip.resize(STRIP_WIDTH, strip.sizeHint().height())
    strip.show()
    qtbot.waitExposed(strip)
    return strip


def tooltip_at(strip: TimelineStrip, x: float) -> str:
    """What the pointer resting at ``x`` shows, through Qt's own tooltip event."""
    QToolTip.hideText()
    point = QPoint(int(x), int(strip.blocks()[0].rect.center().y()))
    event = QHelpEvent(QHelpEvent.Type.ToolTip, point, strip.viewport().mapToGlobal(point))
    QApplication.sendEvent(strip.viewport(), event)
    return QToolTip.text()


def wheel(strip: TimelineStrip, x: float, notches: int, shift: bool = False) -> None:
    position = QPointF(x, strip.viewport().height() / 2)
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    event = QWheelEvent(
        position,
        strip.viewport().mapToGlobal(position),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(strip.viewport(), event)


def lengths(timeline) -> dict[str, float]:
    return {t.slide_id: (t.end_sample - t.start_sample) / SAMPLE_RATE for t in timeline.slides}


# --- reading it -------------------------------------------------------------------------------


def test_at_fit_all_every_slide_shows_its_number_or_names_it_in_its_tooltip(strip, document):
    assert strip.is_fit
    blocks = strip.blocks()
    assert [b.number for b in blocks] == list(range(1, 49))
    assert strip.horizontalScrollBar().maximum() == 0  # the whole lecture in view
    assert blocks[0].rect.left() >= 0 and blocks[-1].rect.right() <= strip.viewport().width()
    assert blocks[-1].rect.right() > strip.viewport().width() - 10
    shown = [b for b in blocks if b.number_shown]
    narrow = [b for b in blocks if not b.number_shown]
    assert shown and narrow  # this lecture has both, or the test proves nothing
    core = lengths(document.timeline())
    for block in blocks:
        assert block.seconds == pytest.approx(core[block.slide_id])  # the core's lengths
        tip = tooltip_at(strip, block.rect.center().x())
        if not block.number_shown:
            assert f"Slide {block.number}: Topic {block.number}\n" in tip, tip
            assert format_slide_length(block.seconds) in tip
    fixed = next(b for b in blocks if b.slide_id == "s02")
    assert "fixed" in tooltip_at(strip, fixed.rect.center().x())


def test_every_slide_wide_enough_for_a_pixel_shows_its_own_thumbnail(strip, document):
    picture = strip.viewport().grab().toImage()
    middle = int(strip.blocks()[0].rect.top() + 2 + 30)  # inside the thumbnail, under the number
    checked = 0
    for index, block in enumerate(strip.blocks()):
        if block.rect.width() < 3:
            continue
        x = int(block.rect.center().x())
        assert picture.pixelColor(x, middle).name() == slide_colour(index).name(), block.number
        checked += 1
    assert checked >= 40


def test_the_wheel_zooms_around_the_pointer_and_fit_all_shows_everything_again(strip):
    fit = strip.pixels_per_second
    x = 600.0
    under = strip.slide_at(x)
    wheel(strip, x, -2)  # zooming out of fit-all stays at fit-all
    assert strip.is_fit and strip.pixels_per_second == pytest.approx(fit)
    wheel(strip, x, 3)
    assert not strip.is_fit
    assert strip.pixels_per_second == pytest.approx(fit * 1.25**3)
    assert strip.slide_at(x) == under  # the slide under the pointer stays under it
    assert strip.horizontalScrollBar().maximum() > 0
    wheel(strip, x, 30)
    assert strip.pixels_per_second == MAX_PIXELS_PER_SECOND
    assert all(b.number_shown for b in strip.blocks() if b.rect.width() > 40)
    first = strip.horizontalScrollBar().value()
    wheel(strip, x, -1, shift=True)  # Shift+wheel scrolls
    assert strip.horizontalScrollBar().value() > first

    strip.fit_button.click()
    assert strip.is_fit and strip.pixels_per_second == pytest.approx(fit)
    assert strip.horizontalScrollBar().maximum() == 0


def test_zoomed_in_each_slide_carries_its_number_and_thumbnail(strip, qtbot):
    strip.zoom_by(8)
    strip.set_current_slide("s30")  # scrolled into view
    visible = [b for b in strip.blocks() if b.rect.left() >= 0 and b.rect.right() <= strip.width()]
    assert "s30" in [b.slide_id for b in visible]
    assert all(b.number_shown for b in visible)
    qtbot.keyClick(strip, Qt.Key.Key_0)
    assert strip.is_fit


# --- acting on it -----------------------------------------------------------------------------


def test_clicking_a_slide_selects_it(strip, qtbot):
    block = max(strip.blocks(), key=lambda b: b.rect.width())
    with qtbot.waitSignal(strip.slide_clicked) as clicked:
        qtbot.mouseClick(
            strip.viewport(), Qt.MouseButton.LeftButton, pos=block.rect.center().toPoint()
        )
    assert clicked.args == [block.slide_id]


def drag(qtbot, strip: TimelineStrip, start: QPointF, end: QPointF) -> None:
    viewport = strip.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start.toPoint())
    middle = (start + end) / 2
    qtbot.mouseMove(viewport, middle.toPoint())
    qtbot.mouseMove(viewport, end.toPoint())
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end.toPoint())


def test_dragging_a_slides_end_sets_a_fixed_duration_that_undo_takes_back(strip, qtbot, document):
    silent = document.lecture.slide("s07")  # no notes: its length is the default
    assert silent.duration.mode == "narration"
    before = lengths(document.timeline())
    strip.zoom_by(6)
    strip.set_current_slide("s07")
    block = next(b for b in strip.blocks() if b.slide_id == "s07")
    edge = QPointF(block.rect.right(), block.rect.center().y())
    wanted = round(block.seconds + 40 / strip.pixels_per_second, 1)
    drag(qtbot, strip, edge, edge + QPointF(40, 0))

    assert silent.duration.mode == "fixed"
    assert silent.duration.seconds == pytest.approx(wanted, abs=0.11)
    after = lengths(document.timeline())
    assert after["s07"] == pytest.approx(silent.duration.seconds, abs=1 / 30)
    for slide_id, seconds in before.items():  # the others keep their lengths (to the frame
        if slide_id != "s07":  # their narration is moved to, as the export lays it out)
            assert after[slide_id] == pytest.approx(seconds, abs=1.01 / 30)
    shown = next(b for b in strip.blocks() if b.slide_id == "s07")
    assert shown.seconds == pytest.approx(after["s07"]) and shown.fixed
    assert document.undo_stack.undoText() == "Set fixed duration"

    document.undo_stack.undo()
    assert silent.duration.mode == "narration"
    assert lengths(document.timeline()) == before
    assert next(b for b in strip.blocks() if b.slide_id == "s07").seconds == before["s07"]
    document.undo_stack.redo()
    assert silent.duration.mode == "fixed"


def test_a_fixed_duration_shorter_than_the_narration_keeps_the_narration_whole(
    strip, qtbot, document
):
    spoken = document.lecture.slide("s04")  # four sentences of narration
    narration = lengths(document.timeline())["s04"]
    strip.zoom_by(6)
    strip.set_current_slide("s04")
    block = next(b for b in strip.blocks() if b.slide_id == "s04")
    edge = QPointF(block.rect.right(), block.rect.center().y())
    drag(qtbot, strip, edge, QPointF(block.rect.left() + 10, edge.y()))
    assert spoken.duration.mode == "fixed" and spoken.duration.seconds < narration / 2
    assert lengths(document.timeline())["s04"] == pytest.approx(narration)
    assert next(b for b in strip.blocks() if b.slide_id == "s04").seconds == pytest.approx(
        narration
    )


def test_a_click_on_an_edge_selects_without_changing_anything(strip, qtbot, document):
    strip.zoom_by(6)
    strip.set_current_slide("s07")
    block = next(b for b in strip.blocks() if b.slide_id == "s07")
    with qtbot.waitSignal(strip.slide_clicked) as clicked:
        qtbot.mouseClick(
            strip.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPointF(block.rect.right() - 1, block.rect.center().y()).toPoint(),
        )
    assert clicked.args == ["s07"]
    assert document.undo_stack.count() == 0


def test_the_playhead_follows_playback_when_zoomed_in(strip):
    strip.zoom_by(10)
    strip.horizontalScrollBar().setValue(0)
    timing = strip.document.timeline().slides[40]
    seconds = (timing.start_sample + 1000) / SAMPLE_RATE
    strip.set_playhead(seconds)
    x = strip._x_of_seconds(seconds)
    assert 0 <= x <= strip.viewport().width()
    assert strip.slide_at(x) == timing.slide_id
    strip.set_playhead(None)
    assert strip.playhead_seconds is None


# --- waveforms ----------------------------------------------------------------------------------


class ToneEngine(StandInEngine):
    """A fake engine: a second of silence then a tone as long as the text; counts calls."""

    name = "tone"
    version = "1"
    calls = 0

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        ToneEngine.calls += 1
        tone = np.arange(round(0.02 * len(text) * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
        loud = (0.4 * np.sin(2 * np.pi * 220 * tone)).astype(np.float32)
        return NarrationClip(np.concatenate([np.zeros(SAMPLE_RATE, np.float32), loud]))


def wav_bytes(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def test_waveforms_come_from_spoken_clips_on_a_worker_and_nothing_is_spoken(
    strip, qtbot, document, gui_thread_heavy_calls, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("tone", ToneEngine),
    )
    catalog = voice_catalog(registry)
    catalog.voices  # noqa: B018 - listed here, as the editor lists them on a worker
    lecture = document.lecture
    spoken = lecture.slide("s03")
    before = synthesize_cached(ToneEngine(), spoken.script, "anna", 1.0)  # as a Listen did
    second = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
    beep = np.concatenate(
        [np.zeros(SAMPLE_RATE // 2, np.float32), 0.5 * np.sin(2 * np.pi * 440 * second)]
    )
    recorded = lecture.slide("s09")
    recorded.narration.source = "recording"
    recorded.narration.recording = document.project.add_asset(wav_bytes(beep), ".wav")
    entries = sorted(cache.folder("narration").iterdir())
    ToneEngine.calls = 0

    with gui_thread_heavy_calls() as calls:
        document.set_voices(catalog)
        qtbot.waitUntil(lambda: {"s03", "s09"} <= strip.waveforms.keys(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: strip.waveform_worker is None, timeout=WAIT_MS)
        strip.viewport().grab()  # paints the waveforms
    assert calls == [], f"the GUI thread ran heavy code: {sorted(set(calls))[:10]}"
    assert ToneEngine.calls == 0  # the timeline never speaks
    assert sorted(cache.folder("narration").iterdir()) == entries

    tone = strip.waveforms["s03"]
    assert tone.samples == len(before.samples) > 2 * SAMPLE_RATE
    assert tone.peaks[: PEAKS_PER_SECOND - 1].max() == 0  # a second of silence, then the tone
    assert tone.peaks[PEAKS_PER_SECOND + 1 :].min() > 0.9
    beeped = strip.waveforms["s09"]
    assert beeped.samples == len(beep)
    quiet, loud = (
        beeped.peaks[: PEAKS_PER_SECOND * 2 // 5],
        beeped.peaks[PEAKS_PER_SECOND * 3 // 5 :],
    )
    assert quiet.max() < 0.01 and loud.min() > 0.5  # half a second of silence, then the sound
    assert strip.waveforms["s01"].peaks is None  # never spoken: no waveform, and no sound made
    # their real lengths now lay the slides out (a recording's length was unknown before)
    timings = {t.slide_id: t for t in document.timeline().slides}
    assert timings["s09"].narration_samples == len(beep)
    assert timings["s03"].narration_samples == tone.samples

    spoken.script = "Words not spoken yet."  # (as an edit would) the old waveform is stale
    strip.refresh()
    qtbot.waitUntil(lambda: strip.waveform_worker is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: strip.waveforms["s03"].peaks is None, timeout=WAIT_MS)
    assert ToneEngine.calls == 0


def test_the_window_selects_the_slide_clicked_and_shows_the_playhead(qtbot, window):
    lecture = forty_eight_slides()
    window.document.set_project(Project(lecture))
    strip = window.timeline
    qtbot.waitUntil(lambda: len(strip.blocks()) == 48, timeout=WAIT_MS)
    assert strip.is_fit
    block = next(b for b in strip.blocks() if b.slide_id == "s20")
    qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=block.rect.center().toPoint())
    assert window.slide_list.current_slide_id() == "s20"
    assert strip.current_slide == "s20"

    timing = window.document.timeline().slides[30]
    window.player.position_changed.emit(timing.start_sample / SAMPLE_RATE + 0.5, timing.slide_id)
    assert strip.playhead_seconds == pytest.approx(timing.start_sample / SAMPLE_RATE + 0.5)
    assert window.slide_list.current_slide_id() == timing.slide_id
    window.player.playing_changed.emit(False)
    assert strip.playhead_seconds is None

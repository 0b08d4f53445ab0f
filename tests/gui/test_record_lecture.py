"""Record Lecture: one take through the slides, cut into each slide's narration as one edit.

The machine running the tests has no microphone, so the window's microphone is replaced by one
that "hears" a synthetic take (voiced bursts for words, pauses between slides) up to where the
test has moved its clock; everything after the microphone is the app's own code.
"""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from lecture_studio.gui.record_lecture import (  # noqa: E402
    RecordLectureWindow,
    SlideChanges,
    presentation_screen,
)
from lecture_studio.gui.recording import MicrophoneRecorder  # noqa: E402
from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.model.timeline import SAMPLE_RATE  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

RATE = 48_000
WORD, WORD_GAP, SLIDE_GAP = 0.25, 0.08, 1.0
WORDS_PER_SLIDE = (2, 5, 9)
WAIT_MS = 60_000


def word_sound() -> np.ndarray:
    t = np.arange(round(WORD * RATE)) / RATE
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6))
    return (0.3 * voiced * np.hanning(t.size) ** 0.5).astype(np.float32)


def speech_seconds(words: int) -> float:
    return words * WORD + (words - 1) * WORD_GAP


def synthetic_take(words_per_slide=WORDS_PER_SLIDE) -> tuple[np.ndarray, list[float]]:
    """A take of 0.5 s of room noise, then each slide's words with a pause between slides, and
    the times in the middle of each pause where a teacher would press the key."""
    pieces = [np.zeros(round(0.5 * RATE), np.float32)]
    changes = [0.0]
    for slide, count in enumerate(words_per_slide):
        if slide:
            gap = np.zeros(round(SLIDE_GAP * RATE), np.float32)
            changes.append((sum(p.size for p in pieces) + gap.size / 2) / RATE)
            pieces.append(gap)
        for number in range(count):
            if number:
                pieces.append(np.zeros(round(WORD_GAP * RATE), np.float32))
            pieces.append(word_sound())
    pieces.append(np.zeros(round(0.8 * RATE), np.float32))
    take = np.concatenate(pieces)
    take += np.random.default_rng(0).standard_normal(take.size).astype(np.float32) * 1e-3
    return take, changes


class SyntheticMicrophone(MicrophoneRecorder):
    """A microphone that hears a prepared take, up to ``now`` seconds (the test's clock)."""

    def __init__(self, take: np.ndarray) -> None:
        super().__init__()
        self.take = take
        self.now = 0.0
        self.recording = False
        self._rate = RATE

    @property
    def is_recording(self) -> bool:
        return self.recording

    @property
    def seconds(self) -> float:
        return self.now

    def start(self) -> bool:
        self.recording = True
        return True

    def position(self) -> float:
        return self.now

    def stop_samples(self) -> np.ndarray:
        self.recording = False
        return self.take[: round(self.now * RATE)]

    def stop(self) -> bytes:
        self.recording = False
        return b""


def three_slides() -> Project:
    slides = [
        Slide(title="Photosynthesis", script="Plants make sugar from light."),
        Slide(title="Chlorophyll", script="", notes="Chlorophyll is green."),
        Slide(title="Summary", script="That is all for today."),
    ]
    return Project(Lecture(title="Plants", slides=slides))


@pytest.fixture
def lecture_window(qtbot, window):
    window.document.set_project(three_slides())
    qtbot.waitUntil(lambda: window.render_worker is None, timeout=WAIT_MS)
    return window


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / wav.getframerate()


def press(qtbot, widget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)


def wait_until_cut(qtbot, recorder: RecordLectureWindow) -> None:
    qtbot.waitUntil(lambda: recorder.state != "cutting", timeout=WAIT_MS)


def test_without_a_microphone_record_lecture_says_so_in_one_sentence(qtbot, lecture_window):
    window = lecture_window
    assert window.record_lecture_action.isEnabled()
    window.record_lecture_action.trigger()
    box = window.error_box
    assert box is not None and box.isVisible()
    assert box.text() == (
        "No microphone was found, so the lecture cannot be recorded; connect one and choose "
        "Record Lecture again."
    )
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, RecordLectureWindow)]
    play = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Play")
    assert window.record_lecture_action in play.actions()


def test_record_lecture_is_off_without_slides_to_record(window):
    assert not window.document.lecture.visible_slides()
    assert not window.record_lecture_action.isEnabled()


def test_the_keys_lead_the_take_through_the_slides_and_each_gets_its_clip(qtbot, lecture_window):
    window = lecture_window
    slides = window.document.lecture.slides
    take, changes = synthetic_take()
    microphone = SyntheticMicrophone(take)
    recorder = window.record_lecture(microphone)
    assert recorder is not None and recorder.isVisible()
    assert recorder.position_label.text() == "Slide 1 of 3"
    assert recorder.teleprompter.toPlainText() == "Plants make sugar from light."
    assert recorder.next_label.text() == "Next: Chlorophyll"

    press(qtbot, recorder, Qt.Key.Key_Return)  # start
    assert recorder.state == "recording" and microphone.recording
    microphone.now = changes[1]
    press(qtbot, recorder, Qt.Key.Key_Space)
    assert recorder.position_label.text() == "Slide 2 of 3"
    assert recorder.teleprompter.toPlainText() == "Chlorophyll is green."  # notes, no script
    microphone.now = changes[1] + 0.4
    press(qtbot, recorder, Qt.Key.Key_Left)  # back: slide 1 runs on until the next change
    assert recorder.position_label.text() == "Slide 1 of 3"
    press(qtbot, recorder, Qt.Key.Key_Right)
    assert recorder.changes.changes == [0.0, changes[1] + 0.4]
    microphone.now = changes[2]
    press(qtbot, recorder, Qt.Key.Key_PageDown)
    assert recorder.next_label.text() == "Last slide: moving on ends the take."
    microphone.now = len(take) / RATE
    press(qtbot, recorder, Qt.Key.Key_Right)  # on the last slide: the end of the take
    assert recorder.state == "cutting"
    wait_until_cut(qtbot, recorder)

    assert [s.narration.source for s in slides] == ["recording"] * 3
    project = window.document.project
    lengths = [wav_seconds(project.asset_bytes(s.narration.recording)) for s in slides]
    for words, seconds in zip(WORDS_PER_SLIDE, lengths, strict=True):
        # the words, with a little air kept around them (one_take's LEAD and TAIL)
        assert speech_seconds(words) < seconds < speech_seconds(words) + 0.5
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Record lecture"
    timeline = window.document.timeline()
    spoken = [round(s.narration_samples / SAMPLE_RATE, 2) for s in timeline.slides]
    assert spoken == [round(x, 2) for x in lengths]  # measured, not estimated from the script
    assert "Recorded the narration of 3 slides." in window.statusBar().currentMessage()


def test_one_undo_gives_every_slide_its_narration_back(qtbot, lecture_window):
    window = lecture_window
    slides = window.document.lecture.slides
    take, changes = synthetic_take()
    recorder = window.record_lecture(SyntheticMicrophone(take))
    recorder.recording_finished(take, RATE, changes, [s.id for s in slides])
    wait_until_cut(qtbot, recorder)
    assert all(s.narration.recording for s in slides)
    window.undo_action.trigger()
    assert [(s.narration.source, s.narration.recording) for s in slides] == [("tts", None)] * 3
    window.redo_action.trigger()
    assert [s.narration.source for s in slides] == ["recording"] * 3


def test_esc_ends_the_take_and_slides_not_reached_keep_their_narration(qtbot, lecture_window):
    window = lecture_window
    slides = window.document.lecture.slides
    take, changes = synthetic_take()
    microphone = SyntheticMicrophone(take)
    recorder = window.record_lecture(microphone)
    press(qtbot, recorder, Qt.Key.Key_Space)
    microphone.now = changes[1]
    press(qtbot, recorder, Qt.Key.Key_Space)
    microphone.now = changes[2]  # the teacher stops in the pause after slide 2
    press(qtbot, recorder, Qt.Key.Key_Escape)
    wait_until_cut(qtbot, recorder)
    assert [s.narration.source for s in slides] == ["recording", "recording", "tts"]
    second = wav_seconds(window.document.project.asset_bytes(slides[1].narration.recording))
    assert speech_seconds(5) < second < speech_seconds(5) + 0.5


def test_a_slide_passed_in_silence_keeps_its_narration_and_the_status_says_so(
    qtbot, lecture_window
):
    window = lecture_window
    slides = window.document.lecture.slides
    take, _changes = synthetic_take((3, 0, 4))  # nothing said on slide 2
    recorder = window.record_lecture(SyntheticMicrophone(take))
    pause = 0.5 + speech_seconds(3)
    changes = [0.0, pause + 0.5, pause + SLIDE_GAP + 0.5]
    recorder.recording_finished(take, RATE, changes, [s.id for s in slides])
    wait_until_cut(qtbot, recorder)
    assert [s.narration.source for s in slides] == ["recording", "tts", "recording"]
    message = window.statusBar().currentMessage()
    assert "Recorded the narration of 2 slides." in message
    assert "Nothing was said on slide 2, so it keeps its narration" in message


def test_an_empty_take_changes_nothing_and_says_why(qtbot, lecture_window):
    window = lecture_window
    take, _ = synthetic_take()
    microphone = SyntheticMicrophone(take)
    recorder = window.record_lecture(microphone)
    press(qtbot, recorder, Qt.Key.Key_Return)
    press(qtbot, recorder, Qt.Key.Key_Escape)  # stopped before a sound was heard
    assert recorder.state == "ready" and recorder.isVisible()
    assert recorder.message.text() == (
        "Nothing was recorded; check the microphone's level and record again."
    )
    assert window.document.undo_stack.count() == 0


def test_discarding_the_take_changes_nothing(qtbot, lecture_window):
    window = lecture_window
    take, changes = synthetic_take()
    microphone = SyntheticMicrophone(take)
    recorder = window.record_lecture(microphone)
    press(qtbot, recorder, Qt.Key.Key_Return)
    microphone.now = changes[2]
    recorder.discard_button.click()
    assert not microphone.recording
    assert window.document.undo_stack.count() == 0
    assert [s.narration.source for s in window.document.lecture.slides] == ["tts"] * 3
    assert window.statusBar().currentMessage() == (
        "The take was discarded; no slide's narration changed."
    )


def test_re_recording_one_slide_replaces_only_its_clip(qtbot, lecture_window):
    window = lecture_window
    slides = window.document.lecture.slides
    take, changes = synthetic_take()
    recorder = window.record_lecture(SyntheticMicrophone(take))
    recorder.recording_finished(take, RATE, changes, [s.id for s in slides])
    wait_until_cut(qtbot, recorder)
    before = [s.narration.recording for s in slides]
    window.slide_list.select_slide(slides[1].id)
    one_word = np.concatenate([np.zeros(RATE // 4, np.float32), word_sound()])
    wav = io.BytesIO()
    with wave.open(wav, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        out.writeframes((one_word * 32767).astype("<i2").tobytes())
    window.narration.store_take(slides[1].id, wav.getvalue())  # the Record button's step
    after = [s.narration.recording for s in slides]
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1] != before[1]
    assert wav_seconds(window.document.project.asset_bytes(after[1])) == pytest.approx(0.5)


def test_cutting_the_take_runs_off_the_gui_thread(qtbot, lecture_window, gui_thread_heavy_calls):
    window = lecture_window
    slides = window.document.lecture.slides
    take, changes = synthetic_take()
    recorder = window.record_lecture(SyntheticMicrophone(take))
    with gui_thread_heavy_calls() as calls:
        recorder.recording_finished(take, RATE, changes, [s.id for s in slides])
        wait_until_cut(qtbot, recorder)
    assert slides[0].narration.source == "recording"
    assert calls == []


def test_slide_changes_stay_in_order_one_per_slide_reached():
    changes = SlideChanges(["a", "b", "c"])
    assert changes.forward(2.0) and changes.current == "b"
    assert changes.back() and changes.current == "a" and changes.changes == [0.0]
    assert not changes.back()
    assert changes.forward(3.0) and changes.forward(3.0)  # two presses at once stay in order
    assert changes.changes[1] == 3.0 and changes.changes[2] > 3.0
    assert changes.on_last and not changes.forward(9.0)
    assert changes.reached() == ["a", "b", "c"]


def test_the_take_fills_another_monitor_than_the_editors():
    editor, projector = object(), object()
    assert presentation_screen([editor, projector], editor) is projector
    assert presentation_screen([projector, editor], editor) is projector
    assert presentation_screen([editor], editor) is None

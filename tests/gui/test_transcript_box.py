"""The transcript beside the script: what was heard in a slide's recording, one click to make it
the script, and transcription on a worker with its progress and Cancel."""

from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import QRunnable, QThreadPool  # noqa: E402

from lecture_studio.gui.recording import float_wav_bytes  # noqa: E402
from lecture_studio.model import Lecture, Slide, Transcript, TranscriptWord  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

RATE = 48_000
WAIT_MS = 120_000
HEARD = [(0.1, 0.5, " Plants"), (0.5, 0.8, " make"), (0.8, 1.2, " sugar."), (1.4, 1.8, " Yes!")]


def tone(seconds: float = 1.0) -> bytes:
    t = np.arange(round(seconds * RATE)) / RATE
    return float_wav_bytes((0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE)


def recorded_lecture(with_transcript: bool = True) -> Project:
    """Slide 1 recorded (with a transcript of its recording), slide 2 spoken by a voice."""
    project = Project(Lecture(title="Plants"))
    asset = project.add_asset(tone(), ".wav")
    first = Slide(title="Photosynthesis", script="Plants make sugar from light.")
    first.narration.source = "recording"
    first.narration.recording = asset
    if with_transcript:
        words = [TranscriptWord(a, b, text) for a, b, text in HEARD]
        first.narration.transcript = Transcript(asset, "whisper base", "en", words)
    second = Slide(title="Summary", script="That is all.")
    project.lecture.slides = [first, second]
    return project


@pytest.fixture
def editor(qtbot, window):
    window.document.set_project(recorded_lecture())
    window.slide_list.select_slide(window.document.lecture.slides[0].id)
    return window


def test_a_recorded_slide_shows_what_was_heard_beside_its_script(qtbot, editor):
    window = editor
    pane = window.narration.transcript
    assert pane.isVisible()
    assert pane.words.toPlainText() == "Plants make sugar. Yes!"
    assert window.narration.text.toPlainText() == "Plants make sugar from light."
    assert pane.use_button.isVisible() and pane.use_button.isEnabled()
    assert not pane.transcribe_button.isVisible()
    # beside the script, not under it
    assert (
        pane.mapTo(window, pane.rect().topLeft()).x()
        > window.narration.text.mapTo(window, window.narration.text.rect().topRight()).x() - 1
    )
    window.slide_list.select_slide(window.document.lecture.slides[1].id)  # text-to-speech
    assert not pane.isVisible()


def test_using_the_transcript_as_the_script_is_one_undo_step(qtbot, editor):
    window = editor
    slide = window.document.lecture.slides[0]
    window.script_action.trigger()
    qtbot.keyClicks(window.narration.text, " Typed.")
    typed = "Plants make sugar from light. Typed."
    assert slide.script == typed
    window.narration.transcript.use_button.click()
    assert slide.script == "Plants make sugar. Yes!"
    assert window.narration.text.toPlainText() == "Plants make sugar. Yes!"
    assert not window.narration.transcript.use_button.isEnabled()  # already the script
    assert window.document.undo_stack.undoText() == "Use the transcript as the script"
    window.undo_action.trigger()
    assert slide.script == typed  # the typing before it is a step of its own
    window.undo_action.trigger()
    assert slide.script == "Plants make sugar from light."


def test_a_transcript_of_an_earlier_take_is_not_shown(qtbot, editor):
    window = editor
    slide = window.document.lecture.slides[0]
    window.narration.store_take(slide.id, tone(2.0))  # recorded again
    pane = window.narration.transcript
    assert pane.words.toPlainText() == ""
    assert pane.words.placeholderText() == "Not transcribed yet: Transcribe hears what you said."
    assert pane.transcribe_button.isVisible()
    assert not pane.use_button.isVisible()


def test_without_a_whisper_model_transcribe_says_how_to_get_one(
    qtbot, window, tmp_path, gui_thread_heavy_calls
):
    window.document.set_project(recorded_lecture(with_transcript=False))
    slide = window.document.lecture.slides[0]
    window.slide_list.select_slide(slide.id)
    pane = window.narration.transcript
    pane.whisper_model = str(tmp_path / "no-such-model")
    with gui_thread_heavy_calls() as calls:
        pane.transcribe_button.click()
        assert pane.worker is not None
        assert pane.progress.isVisible() and pane.cancel_button.isVisible()
        qtbot.waitUntil(lambda: pane.worker is None, timeout=WAIT_MS)
    assert calls == []
    assert pane.note.text().startswith(
        "No speech recognition model is installed, so the captions of slide 1 follow the typed "
        "script rather than what was said; to caption what was said, run `lecture-studio models "
        "download whisper-base`"
    )
    assert slide.narration.transcript is None
    assert window.document.undo_stack.count() == 0
    assert pane.transcribe_button.isVisible() and not pane.progress.isVisible()


class _Blocker(QRunnable):
    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release

    def run(self) -> None:
        self.release.wait(30)


def test_cancel_stops_transcription_and_keeps_the_captions_from_the_script(qtbot, window):
    window.document.set_project(recorded_lecture(with_transcript=False))
    slide = window.document.lecture.slides[0]
    window.slide_list.select_slide(slide.id)
    pane = window.narration.transcript
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    release = threading.Event()
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=WAIT_MS)
    pool.setMaxThreadCount(1)
    try:
        pool.start(_Blocker(release))  # the transcription waits behind it
        pane.transcribe_button.click()
        assert pane.cancel_button.isVisible()
        pane.cancel_button.click()
        release.set()
        qtbot.waitUntil(lambda: pane.worker is None, timeout=WAIT_MS)
    finally:
        release.set()
        pool.setMaxThreadCount(threads)
    assert pane.note.text() == "Transcription was cancelled; captions follow the scripts."
    assert slide.narration.transcript is None
    assert pane.transcribe_button.isVisible()


@pytest.mark.slow
def test_transcribe_hears_the_recording_and_the_transcript_becomes_the_script(
    qtbot, window, gui_thread_heavy_calls
):
    """Whisper base (from its PyPI packages) hears a neural voice's recording."""
    piper = pytest.importorskip("lecture_studio.narration.piper")
    transcribe = pytest.importorskip("lecture_studio.narration.transcribe")
    if transcribe.find_whisper_model(None) is None:
        pytest.skip("Whisper base is not installed (make test installs it)")
    spoken = piper.PiperEngine().synthesize("Plants make sugar from light.", None, 1.0)
    project = recorded_lecture(with_transcript=False)
    slide = project.lecture.slides[0]
    slide.script = "Something else entirely."
    slide.narration.recording = project.add_asset(
        float_wav_bytes(spoken.samples, spoken.sample_rate), ".wav"
    )
    window.document.set_project(project)
    window.slide_list.select_slide(slide.id)
    pane = window.narration.transcript
    progress: list[float] = []
    with gui_thread_heavy_calls() as calls:
        worker = pane.transcribe()
        worker.progress.connect(lambda fraction, _message: progress.append(fraction))
        qtbot.waitUntil(lambda: pane.worker is None, timeout=WAIT_MS)
    assert calls == []
    assert pane.note.text() == ""
    assert progress and progress[-1] == 1.0
    heard = slide.narration.transcript
    assert heard is not None and heard.belongs_to(slide.narration.recording)
    assert heard.text.lower().rstrip(".") == "plants make sugar from light"
    assert pane.words.toPlainText() == heard.text
    assert window.document.undo_stack.undoText() == "Transcribe recordings"
    pane.use_button.click()
    assert slide.script == heard.text
    assert window.narration.text.toPlainText() == heard.text

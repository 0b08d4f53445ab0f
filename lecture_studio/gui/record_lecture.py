"""Record Lecture: the slides large with their script as a teleprompter while the teacher speaks
the whole lecture in one take, moving on with the arrow keys or space.

The window only records: the microphone's samples and, measured in the take itself, the time of
each slide change. The core's ``narration.one_take.split_take`` cuts the take into per-slide
clips (on a worker); the clips become the slides' narration in one undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..model import SetProperty
from ..model.timeline import SAMPLE_RATE
from .document import LectureDocument, narration_key
from .preview import SlidePreview
from .recording import MicrophoneRecorder, float_wav_bytes
from .timeline_strip import format_duration
from .workers import Worker

NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace)
START_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, *NEXT_KEYS)
TELEPROMPTER_POINTS = 22
CLOCK_INTERVAL_MS = 250

MIN_SLIDE_SECONDS = 0.01  # two key presses in one read of the microphone still come in order

Screen = TypeVar("Screen")


@dataclass
class SlideChanges:
    """Which slide is on show during a take, and when (seconds into the take) each one came up.

    Going back drops the latest change, so the earlier slide's clip runs on until the teacher
    moves forward again: the change times stay in order, one per slide reached.
    """

    slide_ids: list[str]
    changes: list[float] = field(default_factory=lambda: [0.0])

    @property
    def index(self) -> int:
        return len(self.changes) - 1

    @property
    def current(self) -> str:
        return self.slide_ids[self.index]

    @property
    def on_last(self) -> bool:
        return self.index == len(self.slide_ids) - 1

    def forward(self, at: float) -> bool:
        """The next slide comes up ``at`` seconds into the take; False on the last slide."""
        if self.on_last:
            return False
        self.changes.append(max(at, self.changes[-1] + MIN_SLIDE_SECONDS))
        return True

    def back(self) -> bool:
        """Return to the previous slide; False on the first."""
        if self.index == 0:
            return False
        self.changes.pop()
        return True

    def reached(self) -> list[str]:
        """The slides shown so far, in order: the ones the take narrates."""
        return self.slide_ids[: len(self.changes)]


def presentation_screen(screens: Sequence[Screen], editor_screen: Screen | None) -> Screen | None:
    """The screen to fill with the recording window: another monitor than the editor's, if
    there is one."""
    others = [screen for screen in screens if screen is not editor_screen]
    return others[0] if others and len(screens) > 1 else None


@dataclass(frozen=True)
class SlideTake:
    """One slide's part of a take, as the WAV file that becomes its narration."""

    slide_id: str
    wav: bytes
    samples: int  # its length at the timeline's SAMPLE_RATE


@dataclass(frozen=True)
class CutTake:
    """A take cut into slides: the clips of the slides something was said on, and the slides
    reached with nothing said (they keep their narration)."""

    clips: list[SlideTake]
    silent: list[str]


def cut_take_job(
    samples: np.ndarray, sample_rate: int, changes: list[float], slide_ids: list[str]
) -> Callable:
    """The core job that cuts a take (``narration.one_take.split_take``: one change time per
    slide in ``slide_ids``) and writes each clip as a WAV file."""

    def job(progress, cancel) -> CutTake:
        from ..narration.one_take import split_take

        progress(0.0, "Cutting the take at the slide changes...")
        parts = split_take(samples, sample_rate, changes)
        clips, silent = [], []
        for slide_id, part in zip(slide_ids, parts, strict=True):
            cancel.check()
            if not part.has_speech:
                silent.append(slide_id)
                continue
            length = round(len(part.samples) * SAMPLE_RATE / part.sample_rate)
            clips.append(
                SlideTake(slide_id, float_wav_bytes(part.samples, part.sample_rate), length)
            )
            progress(len(clips) / len(parts), f"Cut slide {part.index + 1} of {len(parts)}")
        return CutTake(clips, silent)

    return job


class RecordLectureWindow(QWidget):
    """The recording window: the slide, its script as a teleprompter, the take's clock.

    Enter or space starts the take; space, the right or down arrow or Page Down moves on (on the
    last slide it ends the take); the left or up arrow or Page Up goes back; Esc ends the take
    with the slides reached so far. ``recording_finished`` is the step after the microphone:
    it takes the samples and change times, however they were recorded.
    """

    applied = Signal(list)  # the ids of the slides whose narration the take replaced
    status = Signal(str)  # one sentence for the editor's status bar

    def __init__(
        self,
        document: LectureDocument,
        slide_ids: list[str],
        run_job: Callable[[Worker, str], Worker],
        recorder: MicrophoneRecorder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.document = document
        self.changes = SlideChanges(list(slide_ids))
        self.run_job = run_job
        self.recorder = recorder or MicrophoneRecorder(self)
        self.cut_worker: Worker | None = None
        self.state = "ready"  # ready -> recording -> cutting -> done
        self.setObjectName("recordLectureWindow")
        self.setWindowTitle(self.tr("Record Lecture - Lecture Studio"))

        self.slide_view = SlidePreview(document)
        self.slide_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        dark = self.slide_view.palette()
        dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.slide_view.setPalette(dark)

        self.position_label = QLabel()
        self.position_label.setObjectName("takePosition")
        self.clock = QLabel()
        self.clock.setObjectName("takeClock")
        self.level = QProgressBar()
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setMaximumHeight(12)
        self.level.setAccessibleName(self.tr("Microphone level"))
        self.teleprompter = QTextBrowser()
        self.teleprompter.setObjectName("teleprompter")
        self.teleprompter.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        font = QFont(self.teleprompter.font())
        font.setPointSize(TELEPROMPTER_POINTS)
        self.teleprompter.setFont(font)
        self.teleprompter.setAccessibleName(self.tr("Teleprompter"))
        self.next_label = QLabel()
        self.next_label.setObjectName("nextSlide")
        self.hint = QLabel()
        self.hint.setObjectName("takeHint")
        self.hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("takeMessage")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.start_button = QPushButton(self.tr("&Start Recording"))
        self.start_button.setObjectName("startTake")
        self.finish_button = QPushButton(self.tr("&Finish"))
        self.finish_button.setObjectName("finishTake")
        self.discard_button = QPushButton(self.tr("&Discard Take"))
        self.discard_button.setObjectName("discardTake")
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.cancel_button.setObjectName("cancelTake")
        for button in (
            self.start_button,
            self.finish_button,
            self.discard_button,
            self.cancel_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the slides

        status_row = QHBoxLayout()
        status_row.addWidget(self.position_label)
        status_row.addWidget(self.clock)
        status_row.addWidget(self.level, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.cancel_button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(status_row)
        side_layout.addWidget(self.teleprompter, 1)
        side_layout.addWidget(self.next_label)
        side_layout.addWidget(self.hint)
        side_layout.addWidget(self.message)
        side_layout.addWidget(self.progress)
        side_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.slide_view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([3000, 2000])  # scaled to the window: the teleprompter gets 2/5
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_INTERVAL_MS)
        self.timer.timeout.connect(self._show_clock)
        self.start_button.clicked.connect(self.start)
        self.finish_button.clicked.connect(self.finish)
        self.discard_button.clicked.connect(self.discard)
        self.cancel_button.clicked.connect(self._cancel)
        self.recorder.level_changed.connect(lambda level: self.level.setValue(round(level * 100)))
        self.recorder.failed.connect(self._on_recorder_failed)
        self._show()

    # --- showing ----------------------------------------------------------------------
    def show_on_best_screen(self, editor_screen=None) -> None:
        """Full screen on a second monitor where there is one; else maximized."""
        from PySide6.QtGui import QGuiApplication

        screen = presentation_screen(QGuiApplication.screens(), editor_screen)
        if screen is not None:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            if editor_screen is not None:  # the size to come back to, and without a window manager
                self.setGeometry(editor_screen.availableGeometry())
            self.showMaximized()
        self.activateWindow()
        self.setFocus()

    def _show(self) -> None:
        lecture = self.document.lecture
        slide = lecture.slide(self.changes.current)
        number, count = self.changes.index + 1, len(self.changes.slide_ids)
        self.slide_view.show_slide(slide.id)
        self.position_label.setText(self.tr("Slide {0} of {1}").format(number, count))
        script = (slide.script or slide.notes).strip()
        self.teleprompter.setPlainText(
            script or self.tr("This slide has no script or notes; say what it shows.")
        )
        if self.changes.on_last:
            self.next_label.setText(self.tr("Last slide: moving on ends the take."))
        else:
            following = lecture.slide(self.changes.slide_ids[self.changes.index + 1])
            title = following.title.strip() or self.tr("slide {0}").format(number + 1)
            self.next_label.setText(self.tr("Next: {0}").format(title))
        recording = self.state == "recording"
        self.hint.setText(
            self.tr(
                "Space or → moves to the next slide, ← goes back, Esc ends the take "
                "with the slides reached so far."
            )
            if recording
            else self.tr("Press Enter or Start Recording and speak; the slides follow your keys.")
        )
        self.start_button.setVisible(self.state == "ready")
        self.finish_button.setVisible(recording)
        self.discard_button.setVisible(recording)
        self.cancel_button.setVisible(self.state in ("ready", "cutting"))
        self.progress.setVisible(self.state == "cutting")
        self.level.setEnabled(recording)
        self._show_clock()

    def _show_clock(self) -> None:
        seconds = self.recorder.seconds if self.state == "recording" else 0.0
        self.clock.setText(
            self.tr("Recording {0}").format(format_duration(seconds))
            if self.state == "recording"
            else ""
        )

    # --- the take ---------------------------------------------------------------------
    def start(self) -> bool:
        """Start the take on the first slide; False (with the reason shown) when the
        microphone cannot be opened."""
        if self.state != "ready":
            return False
        self.message.clear()
        if not self.recorder.start():
            return False
        self.state = "recording"
        self.timer.start()
        self._show()
        return True

    def next_slide(self) -> None:
        if self.state != "recording":
            return
        if not self.changes.forward(self.recorder.position()):
            self.finish()
            return
        self._show()

    def previous_slide(self) -> None:
        if self.state == "recording" and self.changes.back():
            self._show()

    def finish(self) -> Worker | None:
        """End the take and cut it into the slides reached so far."""
        if self.state != "recording":
            return None
        self.timer.stop()
        samples = self.recorder.stop_samples()
        rate = self.recorder.sample_rate
        # A slide reached just as the take ended has none of it.
        changes = [at for at in self.changes.changes if at < len(samples) / rate]
        return self.recording_finished(
            samples, rate, changes, self.changes.slide_ids[: len(changes)]
        )

    def discard(self) -> None:
        """Throw the take away; the slides keep their narration."""
        if self.state == "recording":
            self.timer.stop()
            self.recorder.stop()
        self.state = "done"
        self.status.emit(self.tr("The take was discarded; no slide's narration changed."))
        self.close()

    def recording_finished(
        self,
        samples: np.ndarray,
        sample_rate: int,
        changes: list[float],
        slide_ids: list[str],
    ) -> Worker | None:
        """Cut a finished take (mono float samples, the slide change times in seconds, one per
        slide from the first) into the slides' narration, on a worker."""
        if len(samples) == 0 or not changes:
            self._again(
                self.tr("Nothing was recorded; check the microphone's level and record again.")
            )
            return None
        self.state = "cutting"
        self.message.setText(self.tr("Cutting the take into slides..."))
        self.progress.setValue(0)
        self._show()
        worker = Worker(cut_take_job(samples, sample_rate, changes, slide_ids))
        worker.progress.connect(lambda fraction, _m: self.progress.setValue(round(fraction * 1000)))
        worker.succeeded.connect(self.apply)
        worker.failed.connect(self._on_cut_failed)
        worker.cancelled.connect(self._on_cut_cancelled)
        self.cut_worker = worker
        return self.run_job(worker, self.tr("Cutting the take into slides"))

    def apply(self, take: CutTake) -> None:
        """Make each clip its slide's narration: one undo step for the whole take."""
        document = self.document
        lecture = document.lecture
        known = {slide.id for slide in lecture.slides}
        clips = [clip for clip in take.clips if clip.slide_id in known]  # none deleted meanwhile
        if not clips:
            self._again(
                self.tr(
                    "Nothing was said in the take, so no slide's narration changed; check the "
                    "microphone's level and record again."
                )
            )
            return
        commands = []
        for clip in clips:
            asset = document.project.add_asset(clip.wav, ".wav")
            commands.append(SetProperty(clip.slide_id, "narration.recording", asset))
            commands.append(SetProperty(clip.slide_id, "narration.source", "recording"))
        document.do_all(self.tr("Record lecture"), commands)
        for clip in clips:
            slide = lecture.slide(clip.slide_id)
            document.remember_narration_length(
                clip.slide_id, narration_key(slide, lecture), clip.samples
            )
        self.state = "done"
        sentences = [
            self.tr("Recorded the narration of 1 slide.")
            if len(clips) == 1
            else self.tr("Recorded the narration of {0} slides.").format(len(clips))
        ]
        numbers = [str(lecture.index_of(s) + 1) for s in take.silent if s in known]
        if len(numbers) == 1:
            sentences.append(
                self.tr(
                    "Nothing was said on slide {0}, so it keeps its narration; record it on "
                    "its own if it needs yours."
                ).format(numbers[0])
            )
        elif numbers:
            sentences.append(
                self.tr(
                    "Nothing was said on slides {0}, so they keep their narration; record "
                    "them on their own if they need yours."
                ).format(", ".join(numbers))
            )
        self.status.emit(" ".join(sentences))
        self.applied.emit([clip.slide_id for clip in clips])
        self.close()

    def _again(self, message: str) -> None:
        """Back to the first slide, ready for another take, saying why."""
        self.state = "ready"
        self.changes = SlideChanges(self.changes.slide_ids)
        self._show()
        self.message.setText(message)

    def _on_cut_failed(self, message: str) -> None:
        self.state = "done"
        self._show()
        self.cancel_button.setText(self.tr("&Close"))
        self.cancel_button.setVisible(True)
        self.message.setText(self.tr("The take could not be cut into slides: {0}").format(message))

    def _on_cut_cancelled(self) -> None:
        self.state = "done"
        self.status.emit(self.tr("Cutting was cancelled; no slide's narration changed."))
        self.close()

    def _on_recorder_failed(self, message: str) -> None:
        self.message.setText(message)

    def _cancel(self) -> None:
        if self.state == "cutting" and self.cut_worker is not None:
            self.cut_worker.cancel()
        else:
            self.close()

    # --- keys and closing -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if self.state == "ready" and key in START_KEYS:
            self.start()
        elif self.state == "recording" and key in NEXT_KEYS:
            self.next_slide()
        elif self.state == "recording" and key in BACK_KEYS:
            self.previous_slide()
        elif key == Qt.Key.Key_Escape:
            if self.state == "recording":
                self.finish()
            elif self.state != "cutting":
                self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing mid-take keeps what was said (as Esc does); closing while the take is cut
        waits for the cut (Cancel stops it)."""
        if self.state == "recording":
            self.finish()
        if self.state == "cutting":
            event.ignore()
            return
        super().closeEvent(event)

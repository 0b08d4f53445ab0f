"""The narration editor: the current slide's script, its length, recording a take, and beside
the script what was heard in the recording (its transcript), made on a worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import Cancelled
from ..model import EditScript, SetProperty, Slide, Transcript, narration_script
from ..model.estimates import count_words, estimate_speech_seconds, slide_speech_rate
from ..model.timeline import SAMPLE_RATE
from .document import LectureDocument, narration_key, snapshot
from .recording import MicrophoneRecorder, microphone_available
from .timeline_strip import format_duration
from .workers import Worker


class NarrationEditor(QWidget):
    """Edits the script of the current slide; each burst of typing is one undo step."""

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.slide_id = ""
        self._loading = False
        self.recorder = MicrophoneRecorder(self)
        self.setObjectName("narrationEditor")

        self.heading = QLabel(self.tr("&Narration script"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("scriptEdit")
        self.text.setPlaceholderText(self.tr("What the narrator says on this slide."))
        self.text.setTabChangesFocus(True)
        self.heading.setBuddy(self.text)
        self.stats = QLabel()
        self.stats.setObjectName("scriptStats")
        self.listen_button = QToolButton()
        self.preview_button = QToolButton()
        self.stop_button = QToolButton()

        self.source_label = QLabel()
        self.source_label.setObjectName("narrationSource")
        self.record_button = QPushButton(self.tr("&Record"))
        self.record_button.setCheckable(True)
        self.record_button.setObjectName("recordButton")
        self.level = QProgressBar()
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setMaximumHeight(12)
        self.level.setAccessibleName(self.tr("Microphone level"))
        self.use_tts_button = QPushButton(self.tr("Use &text-to-speech"))
        self.use_tts_button.setObjectName("useTtsButton")

        self.transcript = TranscriptPane(document)

        listen_row = QHBoxLayout()
        listen_row.addWidget(self.stats, 1)
        for button in (self.listen_button, self.preview_button, self.stop_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            listen_row.addWidget(button)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addWidget(self.level, 1)
        record_row.addWidget(self.use_tts_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.setChildrenCollapsible(False)
        texts.addWidget(self.text)
        texts.addWidget(self.transcript)
        layout.addWidget(texts, 1)
        layout.addLayout(listen_row)
        layout.addWidget(self.source_label)
        layout.addLayout(record_row)

        self.has_microphone = microphone_available()
        if not self.has_microphone:
            reason = self.tr("No microphone was found, so recording is not available.")
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(reason)
            self.level.setEnabled(False)
            self.level.setToolTip(reason)

        self.text.textChanged.connect(self._on_text_changed)
        self.record_button.toggled.connect(self._on_record_toggled)
        self.use_tts_button.clicked.connect(self.use_text_to_speech)
        self.recorder.level_changed.connect(self._show_level)
        self.recorder.failed.connect(self._on_record_failed)
        document.edited.connect(self._on_edited)
        document.durations_changed.connect(self._update_labels)

    def set_actions(self, listen: QAction, preview: QAction, stop: QAction) -> None:
        """Show the window's Listen, Preview and Stop actions under the script."""
        self.listen_button.setDefaultAction(listen)
        self.preview_button.setDefaultAction(preview)
        self.stop_button.setDefaultAction(stop)

    def set_slide(self, slide_id: str) -> None:
        if self.recorder.is_recording:
            self.record_button.setChecked(False)
        self.slide_id = slide_id
        slide = self._slide()
        self._loading = True
        try:
            self.text.setPlainText(slide.script if slide else "")
        finally:
            self._loading = False
        self.setEnabled(slide is not None)
        self.transcript.set_slide(slide_id)
        self._update_labels()

    def _slide(self):
        if not self.slide_id:
            return None
        try:
            return self.document.lecture.slide(self.slide_id)
        except KeyError:
            return None

    # --- script -----------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        if self._loading or not self.slide_id:
            return
        command = EditScript(self.slide_id, self.text.toPlainText())
        command.label = self.tr("Edit narration")
        self.document.do(command)

    def _on_edited(self, command: object) -> None:
        slide = self._slide()
        if slide is None:
            self.set_slide("")
            return
        if slide.script != self.text.toPlainText():
            position = self.text.textCursor().position()
            self._loading = True
            try:
                self.text.setPlainText(slide.script)
                cursor = self.text.textCursor()
                cursor.setPosition(min(position, len(slide.script)))
                self.text.setTextCursor(cursor)
            finally:
                self._loading = False
        self._update_labels()

    def _update_labels(self) -> None:
        slide = self._slide()
        if slide is None:
            self.stats.setText("")
            self.source_label.setText("")
            self.use_tts_button.setEnabled(False)
            return
        lecture = self.document.lecture
        words = count_words(slide.script)
        lengths = self.document.narration_lengths()
        if slide.id in lengths and slide.narration.source == "recording":
            seconds = lengths[slide.id] / SAMPLE_RATE
        else:
            script = narration_script(slide, lecture)  # the slide's text when it has no script
            seconds = estimate_speech_seconds(script, slide_speech_rate(slide, lecture))
        text = (
            self.tr("1 word, about {1} spoken")
            if words == 1
            else self.tr("{0} words, about {1} spoken")
        )
        self.stats.setText(text.format(words, format_duration(seconds)))
        recorded = slide.narration.source == "recording" and bool(slide.narration.recording)
        if recorded:
            self.source_label.setText(self.tr("Narration: your recording"))
            self.record_button.setText(self.tr("&Record again"))
        elif not slide.script.strip() and narration_script(slide, lecture):
            self.source_label.setText(
                self.tr("Narration: text-to-speech reads the slide's title and bullets")
            )
            self.record_button.setText(self.tr("&Record"))
        else:
            self.source_label.setText(self.tr("Narration: text-to-speech"))
            self.record_button.setText(self.tr("&Record"))
        if self.recorder.is_recording:
            self.record_button.setText(self.tr("Stop &recording"))
        self.use_tts_button.setEnabled(recorded)

    # --- recording --------------------------------------------------------------------
    def _on_record_toggled(self, checked: bool) -> None:
        if checked:
            if not self.recorder.start():
                self.record_button.setChecked(False)
            self._update_labels()
            return
        take = self.recorder.stop()
        if take and self.slide_id:
            self.store_take(self.slide_id, take)
        self._update_labels()

    def store_take(self, slide_id: str, wav: bytes) -> None:
        """Keep a recorded take in the project and make it the slide's narration (one undo)."""
        name = self.document.project.add_asset(wav, ".wav")
        self.document.do_all(
            self.tr("Record narration"),
            [
                SetProperty(slide_id, "narration.recording", name),
                SetProperty(slide_id, "narration.source", "recording"),
            ],
        )
        slide = self.document.lecture.slide(slide_id)
        samples = round(self.recorder.seconds * SAMPLE_RATE)
        if samples:
            self.document.remember_narration_length(
                slide_id, narration_key(slide, self.document.lecture), samples
            )

    def use_text_to_speech(self) -> None:
        if self.slide_id:
            self.document.do(
                SetProperty(
                    self.slide_id, "narration.source", "tts", label=self.tr("Use text-to-speech")
                )
            )

    def _show_level(self, level: float) -> None:
        self.level.setValue(round(level * 100))

    def _on_record_failed(self, message: str) -> None:
        self.record_button.setChecked(False)
        self.source_label.setText(message)

    def focus_script(self) -> None:
        self.text.setFocus()
        self.text.moveCursor(QTextCursor.MoveOperation.End)


def transcription_job(project, slide_ids: list[str], model: str | None):
    """The core job that transcribes ``slide_ids``' recordings in ``project`` (a snapshot)
    with the Whisper model ``model`` (None: the default), slide by slide: cancelled after the
    first, it keeps the slides done (with a note saying so)."""

    def job(progress, cancel):
        from ..narration.transcribe import (
            TranscriptionResult,
            find_whisper_model,
            transcribe_slides,
        )

        cancel.check()
        found = find_whisper_model(model)
        slides = [project.lecture.slide(slide_id) for slide_id in slide_ids]
        if found is None:
            return transcribe_slides(project, slides, None)  # no transcripts, the note why
        result = TranscriptionResult()
        share = 1 / len(slides)
        for number, slide in enumerate(slides):

            def step(fraction: float, message: str, base: float = number * share) -> None:
                progress(base + fraction * share, message)

            try:
                one = transcribe_slides(project, [slide], found, step, cancel)
            except Cancelled:
                if not result.transcripts:
                    raise
                result.notes.append(
                    "Transcription was cancelled; the slides not transcribed yet keep "
                    "captions from their scripts."
                )
                return result
            result.transcripts.update(one.transcripts)
            result.notes += one.notes
        return result

    return job


class TranscriptPane(QFrame):
    """Beside the script, for a recorded slide: what was heard in its recording, one click to
    make that the script, and Transcribe (every recorded slide without a transcript, this
    one first) with its progress and Cancel."""

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.slide_id = ""
        self.worker: Worker | None = None
        #: the Whisper model (a name or folder; None: Whisper base), as ``find_whisper_model``
        self.whisper_model: str | None = None
        self.setObjectName("transcriptPane")

        self.heading = QLabel(self.tr("What you said"))
        self.words = QPlainTextEdit()
        self.words.setObjectName("transcriptText")
        self.words.setReadOnly(True)
        self.words.setAccessibleName(self.tr("Transcript of the recording"))
        self.note = QLabel()
        self.note.setObjectName("transcriptNote")
        self.note.setWordWrap(True)
        self.use_button = QPushButton(self.tr("&Use the transcript as the script"))
        self.use_button.setObjectName("useTranscript")
        self.transcribe_button = QPushButton(self.tr("Tra&nscribe"))
        self.transcribe_button.setObjectName("transcribe")
        self.transcribe_button.setToolTip(
            self.tr(
                "Hear what was said in the recorded slides without a transcript, this one first"
            )
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setObjectName("transcribeProgress")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelTranscription")

        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.transcribe_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.words, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

        self.use_button.clicked.connect(self.use_as_script)
        self.transcribe_button.clicked.connect(self.transcribe)
        self.cancel_button.clicked.connect(self.cancel)
        document.edited.connect(self.refresh)
        document.reset.connect(self.refresh)
        self.refresh()

    def set_slide(self, slide_id: str) -> None:
        self.slide_id = slide_id
        self.refresh()

    def _slide(self) -> Slide | None:
        try:
            return self.document.lecture.slide(self.slide_id) if self.slide_id else None
        except KeyError:
            return None

    def current_transcript(self) -> Transcript | None:
        """The transcript of the slide's recording as it is now (not of an earlier take)."""
        slide = self._slide()
        if slide is None or slide.narration.source != "recording":
            return None
        transcript = slide.narration.transcript
        if transcript is None or not transcript.belongs_to(slide.narration.recording):
            return None
        return transcript

    def refresh(self, *_args) -> None:
        slide = self._slide()
        recorded = (
            slide is not None
            and slide.narration.source == "recording"
            and bool(slide.narration.recording)
        )
        self.setVisible(recorded)
        if not recorded:
            return
        busy = self.worker is not None
        transcript = self.current_transcript()
        if transcript is not None:
            self.words.setPlainText(transcript.text)
            self.words.setPlaceholderText("")
            if not transcript.text:
                self.words.setPlaceholderText(self.tr("No words were heard in the recording."))
        else:
            self.words.setPlainText("")
            self.words.setPlaceholderText(
                self.tr("Transcribing...")
                if busy
                else self.tr("Not transcribed yet: Transcribe hears what you said.")
            )
        self.use_button.setVisible(transcript is not None)
        self.use_button.setEnabled(
            transcript is not None
            and bool(transcript.text)
            and transcript.text != " ".join(slide.script.split())
        )
        self.transcribe_button.setVisible(transcript is None and not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    # --- transcribing -----------------------------------------------------------------
    def transcribe(self) -> Worker | None:
        """Transcribe every recorded slide without a transcript of its recording, this one
        first, on a worker; the transcripts arrive as one undoable edit."""
        if self.worker is not None:
            return None
        lecture = self.document.lecture
        waiting = [
            slide.id
            for slide in lecture.slides
            if slide.narration.source == "recording"
            and slide.narration.recording
            and not (
                slide.narration.transcript is not None
                and slide.narration.transcript.belongs_to(slide.narration.recording)
            )
        ]
        if self.slide_id in waiting:
            waiting.remove(self.slide_id)
            waiting.insert(0, self.slide_id)
        if not waiting:
            return None
        self.note.clear()
        self.progress.setValue(0)
        worker = Worker(
            transcription_job(snapshot(self.document.project), waiting, self.whisper_model)
        )
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._apply)
        worker.failed.connect(self.note.setText)
        worker.cancelled.connect(
            lambda: self.note.setText(
                self.tr("Transcription was cancelled; captions follow the scripts.")
            )
        )
        worker.finished.connect(self._on_finished)
        self.worker = worker
        worker.start()
        self.refresh()
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.progress.setFormat(f"{message} %p%" if message else "%p%")

    def _apply(self, result) -> None:
        lecture = self.document.lecture
        commands = []
        for slide_id, transcript in result.transcripts.items():
            try:
                slide = lecture.slide(slide_id)
            except KeyError:
                continue  # deleted meanwhile
            if slide.narration.recording == transcript.recording:  # not re-recorded meanwhile
                commands.append(SetProperty(slide_id, "narration.transcript", transcript))
        if commands:
            self.document.do_all(self.tr("Transcribe recordings"), commands)
        self.note.setText(" ".join(result.notes))

    def _on_finished(self) -> None:
        self.worker = None
        self.refresh()

    def use_as_script(self) -> None:
        """Replace the typed script with the transcript (one undo step)."""
        transcript = self.current_transcript()
        if transcript is None or not transcript.text:
            return
        # A step of its own (a macro): typing before or after it does not merge into it.
        self.document.do_all(
            self.tr("Use the transcript as the script"),
            [EditScript(self.slide_id, transcript.text)],
        )

"""The narration editor: the current slide's script, its length, and recording a take."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model import EditScript, SetProperty, narration_script
from ..model.estimates import count_words, estimate_speech_seconds, slide_speech_rate
from ..model.timeline import SAMPLE_RATE
from .document import LectureDocument, narration_key
from .recording import MicrophoneRecorder, microphone_available
from .timeline_strip import format_duration


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
        layout.addWidget(self.text, 1)
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

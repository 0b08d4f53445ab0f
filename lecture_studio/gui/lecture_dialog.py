"""Lecture > Properties: the lecture's language and its voice (with Listen), applied as one
undoable edit on OK. A slide may still choose its own in the properties panel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..model import SetProperty, lecture_language
from .document import LectureDocument
from .playback import LecturePlayer
from .voice_boxes import SEPARATOR, ChoiceBox, language_items, same_voice, shown_voice, voice_items
from .workers import Worker


class LecturePropertiesDialog(QDialog):
    """The lecture-wide language and voice. ``slide_id`` is the slide Listen starts from."""

    def __init__(
        self,
        document: LectureDocument,
        player: LecturePlayer | None = None,
        slide_id: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.player = player
        self.slide_id = slide_id
        self.setObjectName("lecturePropertiesDialog")
        self.setWindowTitle(self.tr("Lecture Properties"))

        self.language = ChoiceBox()
        self.language.setObjectName("lectureLanguage")
        self.voice = ChoiceBox()
        self.voice.setObjectName("lectureVoice")
        self.voice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.voice.setMinimumContentsLength(48)
        self.listen = QPushButton(self.tr("Li&sten"))
        self.listen.setObjectName("listenLectureVoice")
        self.listen.setToolTip(self.tr("Speak the first sentences of a slide with this voice"))
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.listen)
        self.note = QLabel(
            self.tr(
                "The lecture's voice speaks every slide in its language. Slides in other "
                "languages, and slides with their own voice, keep theirs (see Slide properties)."
            )
        )
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        form = QFormLayout()
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        voice_label = QLabel(self.tr("&Voice:"))
        voice_label.setBuddy(self.voice)
        form.addRow(voice_label, voice_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        lecture = document.lecture
        self._show(lecture_language(lecture), lecture.style.voice or "")
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.listen.clicked.connect(self.try_voice)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        document.voices_changed.connect(self._on_voices_listed)

    # --- showing ----------------------------------------------------------------------
    def _show(self, language: str, voice: str) -> None:
        """Fill both boxes (the voice box puts ``language``'s voices first) and select."""
        catalog = self.document.voices
        self.language.set_items(language_items(catalog, language))
        self.language.select(language)
        automatic = self.tr("Automatic — the best voice for each slide's language")
        items = [(automatic, ""), ("", SEPARATOR), *voice_items(catalog, language)]
        shown, missing = shown_voice(catalog, voice, items)
        self.voice.set_items(items + ([missing] if missing else []))
        self.voice.select(shown)

    def chosen_language(self) -> str:
        return self.language.currentData() or lecture_language(self.document.lecture)

    def chosen_voice(self) -> str | None:
        return self.voice.currentData() or None

    def _on_language_changed(self, *_args) -> None:
        self._show(self.chosen_language(), self.chosen_voice() or "")

    def _on_voices_listed(self) -> None:
        self._show(self.chosen_language(), self.chosen_voice() or "")

    # --- acting -----------------------------------------------------------------------
    def try_voice(self) -> Worker | None:
        """Listen: the first sentences of a slide this voice would speak, spoken by it."""
        if self.player is None or not self.document.lecture.slides:
            return None
        return self.player.listen_lecture_voice(
            self.slide_id, self.chosen_voice(), self.chosen_language()
        )

    def accept(self) -> None:
        """Apply what changed as one undo step, then close."""
        lecture = self.document.lecture
        commands = []
        language = self.chosen_language()
        if language != lecture_language(lecture):
            commands.append(SetProperty(None, "language", language))
        voice = self.chosen_voice()
        if not same_voice(self.document.voices, voice, lecture.style.voice or None):
            commands.append(SetProperty(None, "style.voice", voice))
        if commands:
            self.document.do_all(self.tr("Change lecture language and voice"), commands)
        if self.player is not None:
            self.player.stop()
        super().accept()

    def reject(self) -> None:
        if self.player is not None:
            self.player.stop()
        super().reject()

"""Lecture > Properties: the lecture's language and its voice (with Listen), its transition
between slides and whether the deck's own transitions are used, applied as one undoable edit
on OK. A slide may still choose its own in the properties panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..model import SetProperty, TransitionSpec, lecture_language
from ..transitions import TRANSITIONS
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
        self.transition = QComboBox()
        self.transition.setObjectName("lectureTransition")
        self.transition_seconds = QDoubleSpinBox()
        self.transition_seconds.setObjectName("lectureTransitionSeconds")
        self.transition_seconds.setRange(0.1, 5.0)
        self.transition_seconds.setSingleStep(0.1)
        self.transition_seconds.setSuffix(self.tr(" s"))
        transition_row = QHBoxLayout()
        transition_row.addWidget(self.transition, 1)
        transition_row.addWidget(self.transition_seconds)
        self.deck_transitions = QCheckBox(self.tr("Use the &transitions the deck sets"))
        self.deck_transitions.setObjectName("deckTransitions")
        self.deck_transitions.setToolTip(
            self.tr(
                "Slides change as in the PowerPoint deck where it sets a transition; the "
                "lecture's transition is used where it sets none"
            )
        )
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
        transition_label = QLabel(self.tr("Tra&nsition:"))
        transition_label.setBuddy(self.transition)
        form.addRow(transition_label, transition_row)
        form.addRow("", self.deck_transitions)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        lecture = document.lecture
        self._show(lecture_language(lecture), lecture.style.voice or "")
        self._show_transition(lecture.style.transition, lecture.style.deck_transitions)
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

    def _show_transition(self, spec: TransitionSpec, from_deck: bool) -> None:
        kinds = list(TRANSITIONS)
        if spec.kind not in kinds:  # a plugin's
            kinds.append(spec.kind)
        for kind in kinds:
            title = QCoreApplication.translate("Transitions", kind.replace("-", " ").capitalize())
            self.transition.addItem(title, kind)
        self.transition.setCurrentIndex(kinds.index(spec.kind))
        self.transition_seconds.setValue(spec.duration or 0.5)
        self.deck_transitions.setChecked(from_deck)

    def chosen_transition(self) -> TransitionSpec:
        kind = self.transition.currentData()
        return TransitionSpec(kind, 0.0 if kind == "cut" else self.transition_seconds.value())

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
        transition = self.chosen_transition()
        if transition != lecture.style.transition:
            commands.append(SetProperty(None, "style.transition", transition))
        if self.deck_transitions.isChecked() != lecture.style.deck_transitions:
            commands.append(
                SetProperty(None, "style.deck_transitions", self.deck_transitions.isChecked())
            )
        if commands:
            voice_only = all(c.path in ("language", "style.voice") for c in commands)
            label = (
                self.tr("Change lecture language and voice")
                if voice_only
                else self.tr("Change lecture properties")
            )
            self.document.do_all(label, commands)
        if self.player is not None:
            self.player.stop()
        super().accept()

    def reject(self) -> None:
        if self.player is not None:
            self.player.stop()
        super().reject()

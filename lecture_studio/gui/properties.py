"""The properties panel: the current slide's duration, transition (with a live preview), motion,
language, voice (with Listen), rate and voice source."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QEnterEvent, QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ..model import DurationPolicy, Lecture, SetProperty, Slide, TransitionSpec, slide_language
from ..model.timeline import transition_after
from ..narration.choose import VoiceCatalog
from ..narration.voices import language_name, voice_label
from ..transitions import TRANSITIONS
from .document import LectureDocument
from .playback import LecturePlayer
from .transition_preview import TransitionPreview
from .voice_boxes import SEPARATOR, ChoiceBox, language_items, shown_voice, voice_items
from .workers import Worker

DEFAULT_TRANSITION_SECONDS = 0.6
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole
AUDIO_FILTER = "*.wav *.mp3 *.m4a *.flac *.ogg *.opus"


class PropertiesPanel(QWidget):
    """Shows and edits one slide's settings; every change is one undoable SetProperty."""

    def __init__(
        self, document: LectureDocument, player: LecturePlayer | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.player = player
        self.slide_id = ""
        self._loading = False
        self.setObjectName("propertiesPanel")

        self.duration_mode = QComboBox()
        self.duration_mode.setObjectName("durationMode")
        self.duration_mode.addItem(self.tr("Follow the narration"), "narration")
        self.duration_mode.addItem(self.tr("Fixed length"), "fixed")
        self.duration_seconds = QDoubleSpinBox()
        self.duration_seconds.setObjectName("durationSeconds")
        self.duration_seconds.setRange(0.5, 600.0)
        self.duration_seconds.setDecimals(1)
        self.duration_seconds.setSuffix(self.tr(" s"))

        self.transition_kind = TransitionChoice()
        self.transition_kind.setObjectName("transitionKind")
        self.transition_kind.addItem(self.tr("Lecture default"), "")
        for kind in TRANSITIONS:  # the built-ins; plugins' are added by load_transitions()
            self.transition_kind.addItem(_transition_title(kind), kind)
        self.transition_seconds = QDoubleSpinBox()
        self.transition_seconds.setObjectName("transitionSeconds")
        self.transition_seconds.setRange(0.0, 5.0)
        self.transition_seconds.setSingleStep(0.1)
        self.transition_seconds.setDecimals(1)
        self.transition_seconds.setSuffix(self.tr(" s"))

        self.transition_preview = TransitionPreview(document)
        self.motion = QComboBox()
        self.motion.setObjectName("motion")
        self.motion.addItem(self.tr("Lecture default"), "")  # Slide.motion None
        self.motion.addItem(self.tr("Still"), "none")
        self.motion.addItem(self.tr("Ken Burns (slow pan and zoom)"), "ken-burns")

        self.language = ChoiceBox()
        self.language.setObjectName("slideLanguage")
        self.voice = ChoiceBox()
        self.voice.setObjectName("voice")
        self.voice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.voice.setMinimumContentsLength(16)
        self.listen_voice = QPushButton(self.tr("Listen"))
        self.listen_voice.setObjectName("listenVoice")
        self.listen_voice.setToolTip(
            self.tr("Speak the first sentences of the script with this voice")
        )
        voice_row = QHBoxLayout()
        voice_row.addWidget(self.voice, 1)
        voice_row.addWidget(self.listen_voice)
        self.rate = QDoubleSpinBox()
        self.rate.setObjectName("rate")
        self.rate.setRange(0.2, 4.0)  # 0.2 stands for "the lecture's rate"
        self.rate.setSingleStep(0.05)
        self.rate.setDecimals(2)
        self.rate.setSpecialValueText(self.tr("Lecture default"))
        self.rate.setSuffix("x")

        self.source = QComboBox()
        self.source.setObjectName("narrationSourceChoice")
        self.source.addItem(self.tr("Text-to-speech"), "tts")
        self.source.addItem(self.tr("Recorded file"), "recording")
        self.recording_label = QLabel()
        self.choose_file = QPushButton(self.tr("Choose &file..."))
        self.choose_file.setObjectName("chooseRecording")
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.choose_file)

        form = QFormLayout(self)
        form.addRow(self.tr("&Duration:"), self.duration_mode)
        form.addRow(self.tr("&Seconds:"), self.duration_seconds)
        form.addRow(self.tr("&Transition:"), self.transition_kind)
        form.addRow(self.tr("Transition &length:"), self.transition_seconds)
        form.addRow("", self.transition_preview)
        form.addRow(self.tr("&Motion:"), self.motion)
        form.addRow(self.tr("La&nguage:"), self.language)
        voice_caption = QLabel(self.tr("&Voice:"))
        voice_caption.setBuddy(self.voice)
        form.addRow(voice_caption, voice_row)
        form.addRow(self.tr("R&ate:"), self.rate)
        source_label = QLabel(self.tr("Narration s&ource:"))
        source_label.setBuddy(self.source)
        form.addRow(source_label, source_row)
        form.addRow("", self.recording_label)

        self.duration_mode.currentIndexChanged.connect(self._on_duration_changed)
        self.duration_seconds.editingFinished.connect(self._on_duration_changed)
        self.transition_kind.currentIndexChanged.connect(self._on_transition_changed)
        self.transition_kind.wanted.connect(self.load_transitions)
        self.transition_seconds.editingFinished.connect(self._on_transition_changed)
        self.motion.currentIndexChanged.connect(self._on_motion_changed)
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.voice.currentIndexChanged.connect(self._on_voice_changed)
        self.listen_voice.clicked.connect(self.try_voice)
        document.voices_changed.connect(self.refresh)
        self.rate.editingFinished.connect(self._on_rate_changed)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.choose_file.clicked.connect(self.choose_recording_file)
        document.edited.connect(self.refresh)
        self._transitions_worker: Worker | None = None

    # --- showing ----------------------------------------------------------------------
    def set_slide(self, slide_id: str) -> None:
        self.slide_id = slide_id
        self.transition_preview.set_slide(slide_id)
        self.refresh()

    def _slide(self):
        try:
            return self.document.lecture.slide(self.slide_id) if self.slide_id else None
        except KeyError:
            return None

    def refresh(self, *_args) -> None:
        slide = self._slide()
        self.setEnabled(slide is not None)
        if slide is None:
            return
        self._loading = True
        try:
            _select(self.duration_mode, slide.duration.mode)
            self.duration_seconds.setValue(slide.duration.seconds)
            self.duration_seconds.setEnabled(slide.duration.mode == "fixed")
            kind = slide.transition.kind if slide.transition else ""
            if self.transition_kind.findData(kind) < 0:  # a plugin's, not listed yet
                self.transition_kind.addItem(_transition_title(kind), kind)
            _select(self.transition_kind, kind)
            self.transition_seconds.setValue(
                transition_after(self.document.lecture, slide).duration
            )
            self.transition_seconds.setEnabled(
                slide.transition is not None and slide.transition.kind != "cut"
            )
            _select(self.motion, slide.motion or "")
            self._show_language(slide)
            self._show_voice(slide)
            self.rate.setValue(slide.narration.rate or self.rate.minimum())
            _select(self.source, slide.narration.source)
            recording = slide.narration.recording
            self.recording_label.setText(
                self.tr("Recording: {0}").format(recording)
                if recording
                else self.tr("No recording yet")
            )
        finally:
            self._loading = False

    def _show_language(self, slide: Slide) -> None:
        """Automatic (naming the detected language once the voices, and with them the
        detector, are loaded), then every language (``voice_boxes.language_items``)."""
        automatic = self.tr("Automatic")
        if self.document.voices is not None:
            detected = slide_language(
                self.document.lecture, dataclasses.replace(slide, language=None)
            )
            automatic = self.tr("Automatic (detected: {0})").format(language_name(detected))
        stored = slide.language or ""
        items = [(automatic, ""), ("", SEPARATOR), *language_items(self.document.voices, stored)]
        self.language.set_items(items)
        self.language.select(stored)

    def _show_voice(self, slide: Slide) -> None:
        """Automatic (naming the voice the slide gets without one of its own), then every
        installed voice by its label, the slide's language's first
        (``voice_boxes.voice_items``); a stored voice not installed here shows as stored."""
        catalog = self.document.voices
        items = [(self.tr("Automatic"), "")]
        why = ""
        if catalog is not None:
            text, why, language = _automatic_voice(catalog, self.document.lecture, slide)
            items = [(text, ""), ("", SEPARATOR), *voice_items(catalog, language)]
        shown, missing = shown_voice(catalog, slide.narration.voice or "", items)
        self.voice.set_items(items + ([missing] if missing else []))
        self.voice.select(shown)
        # The panel is narrow: the tooltip shows the whole label, and why Automatic picks it.
        automatic = self.voice.currentIndex() == 0 and why
        self.voice.setToolTip(
            f"{self.voice.currentText()}\n({why})" if automatic else self.voice.currentText()
        )

    def load_transitions(self) -> Worker:
        """Add the plugins' transitions to the list, in the background (finding them imports
        the plugins that declare transitions), the first time the list is wanted."""
        if self._transitions_worker is not None:
            return self._transitions_worker

        def job(progress, cancel) -> list[tuple[str, str, str]]:
            from ..app import app_registry
            from ..plugins import TRANSITION

            return [
                (c.name, "" if c.builtin else c.plugin, c.description)
                for c in app_registry().contributions(TRANSITION)
            ]

        worker = Worker(job)
        worker.succeeded.connect(self._add_transitions)
        self._transitions_worker = worker
        return worker.start()

    def _add_transitions(self, transitions: list[tuple[str, str, str]]) -> None:
        self._loading = True
        try:
            for name, plugin, description in transitions:
                index = self.transition_kind.findData(name)
                if index < 0:
                    self.transition_kind.addItem(_transition_title(name), name)
                    index = self.transition_kind.count() - 1
                if plugin:
                    tip = self.tr("From the plugin {0}").format(plugin)
                    self.transition_kind.setItemData(
                        index, f"{tip}: {description}" if description else tip, _TOOLTIP_ROLE
                    )
        finally:
            self._loading = False
        self.refresh()

    # --- editing ----------------------------------------------------------------------
    def _set(self, path: str, value: object, label: str) -> bool:
        """Apply the change as one undo step; returns whether anything changed."""
        if self._loading or not self.slide_id:
            return False
        slide = self._slide()
        current = _get(slide, path)
        if current == value:
            return False
        self.document.do(SetProperty(self.slide_id, path, value, label=label))
        return True

    def _on_duration_changed(self, *_args) -> None:
        slide = self._slide()
        if slide is None:
            return
        policy = DurationPolicy(
            mode=self.duration_mode.currentData(),
            seconds=round(self.duration_seconds.value(), 1),
            lead_in=slide.duration.lead_in,
            tail=slide.duration.tail,
        )
        self._set("duration", policy, self.tr("Change duration"))

    def _on_transition_changed(self, *_args) -> None:
        kind = self.transition_kind.currentData()
        if not kind:
            if self._set("transition", None, self.tr("Change transition")):
                self.play_transition()
            return
        seconds = round(self.transition_seconds.value(), 1)
        if kind != "cut" and seconds == 0:
            seconds = DEFAULT_TRANSITION_SECONDS
        if self._set("transition", TransitionSpec(kind, seconds), self.tr("Change transition")):
            self.play_transition()

    def play_transition(self) -> None:
        """Play the slide's transition (its own, or the lecture default) in the preview."""
        slide = self._slide()
        if slide is not None:
            spec = transition_after(self.document.lecture, slide)
            self.transition_preview.play(spec.kind, spec.duration)

    def _on_motion_changed(self, *_args) -> None:
        self._set("motion", self.motion.currentData() or None, self.tr("Change motion"))

    def _on_voice_changed(self, *_args) -> None:
        self._set("narration.voice", self.voice.currentData() or None, self.tr("Change voice"))

    def _on_language_changed(self, *_args) -> None:
        language = self.language.currentData() or None
        self._set("language", language, self.tr("Change slide language"))

    def try_voice(self) -> Worker | None:
        """Listen: the first sentences of the slide's script, spoken by the chosen voice."""
        if self.player is None or not self.slide_id:
            return None
        return self.player.listen_slide_voice(self.slide_id, self.voice.currentData() or None)

    def _on_rate_changed(self) -> None:
        value = self.rate.value()
        rate = None if value <= self.rate.minimum() + 1e-9 else round(value, 2)
        self._set("narration.rate", rate, self.tr("Change speaking rate"))

    def _on_source_changed(self, *_args) -> None:
        source = self.source.currentData()
        slide = self._slide()
        if source == "recording" and slide is not None and not slide.narration.recording:
            if not self.choose_recording_file():
                self.refresh()  # no file chosen: stay with text-to-speech
            return
        self._set("narration.source", source, self.tr("Change narration source"))

    def choose_recording_file(self, path: Path | None = None) -> bool:
        """Use an audio file as the slide's narration; returns whether one was taken."""
        if not self.slide_id:
            return False
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose a recording"),
                "",
                self.tr("Audio files ({0})").format(AUDIO_FILTER),
            )
            if not name:
                return False
            path = Path(name)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            self.recording_label.setText(
                self.tr("Could not read {0}: {1}").format(path, error.strerror or error)
            )
            return False
        asset = self.document.project.add_asset(data, Path(path).suffix or ".wav")
        self.document.do_all(
            self.tr("Use recorded file"),
            [
                SetProperty(self.slide_id, "narration.recording", asset),
                SetProperty(self.slide_id, "narration.source", "recording"),
            ],
        )
        return True


class TransitionChoice(QComboBox):
    """The transition list; says when it is first about to be used (pointer over it, focus,
    or opened), so the plugins' transitions are looked up then and not at start-up."""

    wanted = Signal()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt's name
        self.wanted.emit()
        super().enterEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self.wanted.emit()
        super().focusInEvent(event)

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self.wanted.emit()
        super().showPopup()


def _transition_title(kind: str) -> str:
    """ "push-left" -> "Push left", translated (the names are listed in the .ts by hand)."""
    return QCoreApplication.translate("Transitions", kind.replace("-", " ").capitalize())


def _automatic_voice(catalog: VoiceCatalog, lecture: Lecture, slide: Slide) -> tuple[str, str, str]:
    """The Automatic entry of a slide's voice box: its text ("Automatic — German — thorsten
    (neural)"), why that voice (a tooltip), and the slide's language."""
    without_own = copy.copy(slide)
    without_own.narration = dataclasses.replace(slide.narration, voice=None)
    choice = catalog.slide_voice(lecture, without_own)
    tr = QCoreApplication.translate
    if choice.voice is None:
        text = tr("PropertiesPanel", "Automatic — no voice speaks {0}").format(
            language_name(choice.language)
        )
    else:
        text = tr("PropertiesPanel", "Automatic — {0}").format(voice_label(choice.voice))
    return text, choice.explanation, choice.language


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(0, index))


def _get(obj: object, path: str) -> object:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj

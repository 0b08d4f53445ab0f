"""The Export Video dialog: the format (MP4 or a plugin exporter's), preset, frame rate, side
files, whether slides without a script read their own text aloud, destination; progress, time
left and Cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ..errors import InputError
from ..model import SetProperty
from ..model.timeline import FRAME_RATES
from ..plugins import PluginRegistry
from ..render.formats import ExportFormat, export_formats, exporter_for
from ..render.presets import DEFAULT_PRESET, PRESETS
from ..time_left import Clock, TimeLeft
from .document import LectureDocument, narration_key, snapshot
from .settings import EditorSettings, folder_is_writable, videos_folder
from .timeline_strip import format_duration
from .workers import Worker


class ExportDialog(QDialog):
    """Runs the core's ``export_lecture`` in a worker and shows how it goes.

    ``size`` overrides the preset's frame size (the tests export at 320x180); ``registry``
    gives the plugin exporters (None: the app's); ``writable`` tells whether a folder can take
    the video and ``clock`` times the export (tests pass their own).
    """

    export_finished = Signal(bool)  # True on success

    def __init__(
        self,
        document: LectureDocument,
        settings: EditorSettings,
        parent=None,
        size: tuple[int, int] | None = None,
        registry: PluginRegistry | None = None,
        writable: Callable[[Path], bool] = folder_is_writable,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.size_override = size
        if registry is None:
            from ..app import app_registry

            registry = app_registry()
        self.registry = registry
        self.writable = writable
        self.clock = clock
        self.time_left: TimeLeft | None = None
        self.exported: Path | None = None  # the file the last export wrote
        self._measured_keys: dict[str, tuple] = {}
        self.worker: Worker | None = None
        self.result = None
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export Video"))
        self.setMinimumWidth(520)

        self.format = QComboBox()
        self.format.setObjectName("format")
        self.formats: list[ExportFormat] = export_formats(registry)
        for export_format in self.formats:
            self.format.addItem(
                f"{export_format.description} ({export_format.suffix})", export_format.suffix
            )
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for preset in PRESETS.values():
            self.preset.addItem(preset.title, preset.name)
        index = self.preset.findData(settings.export_preset)
        self.preset.setCurrentIndex(index if index >= 0 else self.preset.findData(DEFAULT_PRESET))
        self.fps = QComboBox()
        self.fps.setObjectName("fps")
        for rate in FRAME_RATES:
            self.fps.addItem(self.tr("{0} frames per second").format(rate), rate)
        self.fps.setCurrentIndex(max(0, self.fps.findData(document.lecture.output.fps)))
        self.captions = QCheckBox(self.tr("&Captions (.srt and .vtt)"))
        self.chapters = QCheckBox(self.tr("C&hapters for the video description"))
        self.thumbnail = QCheckBox(self.tr("&Thumbnail image"))
        for box, name in (
            (self.captions, "captions"),
            (self.chapters, "chapters"),
            (self.thumbnail, "thumbnail"),
        ):
            box.setChecked(settings.export_flag(name))
        # A lecture setting, not an editor preference: saved with the project, undoable, and
        # the editor's timeline estimates follow it.
        self.narrate_slide_text = QCheckBox(
            self.tr("&Read the slide's title and bullets aloud when it has no script")
        )
        self.narrate_slide_text.setObjectName("narrateSlideText")
        self.narrate_slide_text.setChecked(document.lecture.style.narrate_slide_text)
        self.word_captions = QCheckBox(self.tr("&Word-highlight captions (.words.vtt)"))
        self.word_captions.setObjectName("wordCaptions")
        self.word_captions.setToolTip(
            self.tr(
                "Also write captions that underline each word as it is spoken. Needs spoken "
                "narration: recorded narration has no word timings."
            )
        )
        self.word_captions.setChecked(settings.export_flag("word_captions", default=False))
        self.destination = QLineEdit(str(self._default_destination()))
        self.destination.setObjectName("destination")
        self.browse = QPushButton(self.tr("&Browse..."))
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(self.browse)

        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.status = QLabel(self.tr("Ready to export."))
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.show_folder = self.buttons.addButton(
            self.tr("Show in &folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_folder.setObjectName("showInFolder")
        self.show_folder.setVisible(False)
        self.export_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("F&ormat:"), self.format)
        form.addRow(self.tr("&Preset:"), self.preset)
        form.addRow(self.tr("&Frame rate:"), self.fps)
        form.addRow("", self.captions)
        form.addRow("", self.word_captions)
        form.addRow("", self.chapters)
        form.addRow("", self.thumbnail)
        form.addRow("", self.narrate_slide_text)
        destination_label = QLabel(self.tr("&Save to:"))
        destination_label.setBuddy(self.destination)
        form.addRow(destination_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.browse.clicked.connect(self.choose_destination)
        self.format.currentIndexChanged.connect(self._on_format_chosen)
        self.destination.textChanged.connect(self._show_format_of_destination)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        self.show_folder.clicked.connect(self.open_folder)
        self.narrate_slide_text.toggled.connect(self._on_narrate_slide_text)
        document.edited.connect(self._show_lecture_settings)
        document.reset.connect(self._show_lecture_settings)
        self.setTabOrder(self.format, self.preset)
        self.setTabOrder(self.preset, self.fps)
        self.setTabOrder(self.fps, self.captions)
        self.setTabOrder(self.captions, self.word_captions)
        self.setTabOrder(self.word_captions, self.chapters)
        self.setTabOrder(self.chapters, self.thumbnail)
        self.setTabOrder(self.thumbnail, self.narrate_slide_text)
        self.setTabOrder(self.narrate_slide_text, self.destination)
        self.setTabOrder(self.destination, self.browse)

    def _on_narrate_slide_text(self, checked: bool) -> None:
        if checked != self.document.lecture.style.narrate_slide_text:
            label = self.tr("Read slide text aloud") if checked else self.tr("Keep silent slides")
            self.document.do(SetProperty(None, "style.narrate_slide_text", checked, label=label))

    def _show_lecture_settings(self, *_args) -> None:
        """Show the lecture's setting again after an undo, a redo or another project."""
        self.narrate_slide_text.blockSignals(True)
        self.narrate_slide_text.setChecked(self.document.lecture.style.narrate_slide_text)
        self.narrate_slide_text.blockSignals(False)

    def _default_destination(self) -> Path:
        project = self.document.project
        title = project.path.stem if project.path else self.document.lecture.title
        stem = "".join(c for c in (title or "lecture") if c not in '\\/:*?"<>|').strip()
        return self.default_folder() / f"{stem or 'lecture'}{self.formats[0].suffix}"

    def default_folder(self) -> Path:
        """Where the video goes unless the teacher says otherwise: beside the lecture (its
        project, or the deck or outline it was opened from); where that folder cannot be
        written, the folder of the last export, else the user's Videos folder."""
        project = self.document.project
        candidates = [project.path.parent if project.path else Path(self.settings.last_folder)]
        if self.settings.last_export_folder is not None:
            candidates.append(self.settings.last_export_folder)
        for folder in candidates:
            if self.writable(folder):
                return folder
        return videos_folder()

    def chosen_format(self) -> ExportFormat:
        return self.formats[max(0, self.format.currentIndex())]

    def _on_format_chosen(self) -> None:
        """Give the destination the chosen format's suffix; the MP4's own options apply to
        the built-in MP4 only."""
        export_format = self.chosen_format()
        text = self.destination.text().strip()
        try:
            current = exporter_for(text, self.registry).suffix
        except InputError:
            current = Path(text).suffix
        if current != export_format.suffix:
            stem = text[: len(text) - len(current)] if current else text
            self.destination.setText(stem + export_format.suffix)
        self._show_mp4_options()

    def _show_format_of_destination(self, text: str) -> None:
        """A destination typed with another format's suffix chooses that format."""
        try:
            suffix = exporter_for(text.strip(), self.registry).suffix
        except InputError:
            return
        index = self.format.findData(suffix)
        if index >= 0 and index != self.format.currentIndex():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(index)
            self.format.blockSignals(False)
            self._show_mp4_options()

    def _show_mp4_options(self) -> None:
        mp4 = self.chosen_format().builtin and self.worker is None
        for widget in self._mp4_options():
            widget.setEnabled(mp4)

    def _mp4_options(self) -> tuple:
        return (
            self.preset,
            self.fps,
            self.captions,
            self.word_captions,
            self.chapters,
            self.thumbnail,
            self.narrate_slide_text,
        )

    def choose_destination(self) -> None:
        export_format = self.chosen_format()
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the video as"),
            self.destination.text(),
            f"{export_format.description} (*{export_format.suffix})",
        )
        if name:
            if not name.lower().endswith(export_format.suffix):
                name += export_format.suffix
            self.destination.setText(name)

    # --- running ----------------------------------------------------------------------
    def start_export(self) -> Worker | None:
        from ..render.export import ExportOptions

        text = self.destination.text().strip()
        try:
            export_format = exporter_for(text, self.registry)
        except InputError as error:
            self._show_failure(error.message)
            return None
        destination = Path(text).expanduser()
        options = ExportOptions(
            preset=self.preset.currentData(),
            fps=self.fps.currentData(),
            size=self.size_override,
            captions=self.captions.isChecked(),
            chapters=self.chapters.isChecked(),
            thumbnail=self.thumbnail.isChecked(),
            word_captions=self.word_captions.isChecked(),
            registry=self.registry,  # plugins' transitions and voices included
        )
        self._remember_choices()
        project = snapshot(self.document.project)
        lecture, voices = self.document.lecture, self.document.voices
        # what each slide's narration is spoken from now: the export's lengths hold for these
        self._measured_keys = {s.id: narration_key(s, lecture, voices) for s in lecture.slides}
        registry = self.registry

        def job(progress, cancel):
            from ..narration.choose import voice_catalog
            from ..render.export import export_lecture

            if not export_format.builtin:
                registry.call(export_format.exporter, project, destination, progress, cancel)
                return destination
            options.voices = voice_catalog(registry)
            return export_lecture(project, destination, options, progress, cancel)

        self.result = None
        self._set_running(True)
        self.time_left = TimeLeft(self.clock)
        self.progress.setValue(0)
        self.status.setText(self.tr("Starting the export..."))
        worker = Worker(job)
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._show_failure)
        worker.cancelled.connect(self._on_cancelled)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        return worker.start()

    def _remember_choices(self) -> None:
        self.settings.export_preset = self.preset.currentData()
        self.settings.set_export_flag("captions", self.captions.isChecked())
        self.settings.set_export_flag("word_captions", self.word_captions.isChecked())
        self.settings.set_export_flag("chapters", self.chapters.isChecked())
        self.settings.set_export_flag("thumbnail", self.thumbnail.isChecked())
        folder = Path(self.destination.text()).expanduser().parent
        self.settings.last_folder = str(folder)
        self.settings.last_export_folder = folder

    def _set_running(self, running: bool) -> None:
        for widget in (self.format, self.destination, self.browse, self.export_button):
            widget.setEnabled(not running)
        self.cancel_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        if not running:
            self.worker = None
        for widget in self._mp4_options():
            widget.setEnabled(not running and self.chosen_format().builtin)

    def _on_finished(self) -> None:
        self._set_running(False)

    def _on_progress(self, fraction: float, message: str) -> None:
        """Show how far the export got, and the time left by the estimator the CLI uses."""
        self.progress.setValue(round(fraction * 1000))
        left = self.time_left.update(fraction) if self.time_left is not None else None
        if left is not None and fraction < 1.0:
            self.status.setText(
                self.tr("{0} - about {1} left").format(message, format_duration(left))
            )
        else:
            self.status.setText(message)

    def _on_succeeded(self, result) -> None:
        self.progress.setValue(1000)
        self.show_folder.setVisible(True)
        if isinstance(result, Path):  # a plugin's exporter
            self.result = None
            self.exported = result
            self.status.setText(self.tr("Exported {0}.").format(result.name))
            self.export_finished.emit(True)
            return
        self.result = result
        self.exported = result.video
        # The export spoke every slide: the status bar's length is now the video's own.
        self.document.remember_narration_lengths(
            {
                t.slide_id: (self._measured_keys[t.slide_id], t.narration_samples)
                for t in result.timeline.slides
                if t.slide_id in self._measured_keys
            }
        )
        text = self.tr("Exported {0} ({1}).").format(
            result.video.name, format_duration(result.duration)
        )
        if result.notes:
            text += " " + " ".join(result.notes)
        self.status.setText(text)
        self.export_finished.emit(True)

    def _show_failure(self, message: str) -> None:
        self.status.setText(message)
        self.progress.setValue(0)
        self.export_finished.emit(False)

    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Export cancelled; no video was written."))
        self.progress.setValue(0)
        self.export_finished.emit(False)

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.status.setText(self.tr("Cancelling..."))
            self.worker.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.worker is not None:  # Esc while exporting cancels first
            self.cancel_or_close()
            return
        super().reject()

    def open_folder(self) -> None:
        if self.exported is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported.parent)))

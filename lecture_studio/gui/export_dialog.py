"""The Export Video dialog: preset, frame rate, side files, whether slides without a script read
their own text aloud, destination; progress and Cancel."""

from __future__ import annotations

import time
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

from ..model import SetProperty
from ..model.timeline import FRAME_RATES
from .document import LectureDocument, snapshot
from .settings import EditorSettings
from .timeline_strip import format_duration
from .workers import Worker


class ExportDialog(QDialog):
    """Runs the core's ``export_lecture`` in a worker and shows how it goes.

    ``size`` overrides the preset's frame size (the tests export at 320x180).
    """

    export_finished = Signal(bool)  # True on success

    def __init__(
        self,
        document: LectureDocument,
        settings: EditorSettings,
        parent=None,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.size_override = size
        self.worker: Worker | None = None
        self.result = None
        self._started = 0.0
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export Video"))
        self.setMinimumWidth(520)

        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for key, label in (
            ("1080p", self.tr("YouTube 1080p (1920x1080)")),
            ("720p", self.tr("720p (1280x720)")),
            ("1440p", self.tr("1440p (2560x1440)")),
            ("2160p", self.tr("4K (3840x2160)")),
        ):
            self.preset.addItem(label, key)
        index = self.preset.findData(settings.export_preset)
        self.preset.setCurrentIndex(max(0, index))
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
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        self.show_folder.clicked.connect(self.open_folder)
        self.narrate_slide_text.toggled.connect(self._on_narrate_slide_text)
        document.edited.connect(self._show_lecture_settings)
        document.reset.connect(self._show_lecture_settings)
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
        folder = project.path.parent if project.path else Path(self.settings.last_folder)
        return folder / f"{stem or 'lecture'}.mp4"

    def choose_destination(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the video as"),
            self.destination.text(),
            self.tr("MP4 video (*.mp4)"),
        )
        if name:
            if not name.lower().endswith(".mp4"):
                name += ".mp4"
            self.destination.setText(name)

    # --- running ----------------------------------------------------------------------
    def start_export(self) -> Worker | None:
        from ..render.export import ExportOptions

        text = self.destination.text().strip()
        if not text.lower().endswith(".mp4"):
            self._show_failure(self.tr("The file name must end in .mp4; name the video NAME.mp4."))
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
        )
        self._remember_choices()
        project = snapshot(self.document.project)

        def job(progress, cancel):
            from ..narration.choose import voice_catalog
            from ..plugins import default_registry
            from ..render.export import export_lecture

            options.voices = voice_catalog(default_registry())  # plugin voices included
            return export_lecture(project, destination, options, progress, cancel)

        self.result = None
        self._set_running(True)
        self._started = time.monotonic()
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
        self.settings.last_folder = str(Path(self.destination.text()).expanduser().parent)

    def _set_running(self, running: bool) -> None:
        for widget in (
            self.preset,
            self.fps,
            self.captions,
            self.word_captions,
            self.chapters,
            self.thumbnail,
            self.narrate_slide_text,
            self.destination,
            self.browse,
            self.export_button,
        ):
            widget.setEnabled(not running)
        self.cancel_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        if not running:
            self.worker = None

    def _on_finished(self) -> None:
        self._set_running(False)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        elapsed = time.monotonic() - self._started
        if 0.05 < fraction < 1.0 and elapsed > 1.0:
            left = elapsed * (1.0 - fraction) / fraction
            self.status.setText(
                self.tr("{0} - about {1} left").format(message, format_duration(left))
            )
        else:
            self.status.setText(message)

    def _on_succeeded(self, result) -> None:
        self.result = result
        self.progress.setValue(1000)
        text = self.tr("Exported {0} ({1}).").format(
            result.video.name, format_duration(result.duration)
        )
        if result.notes:
            text += " " + " ".join(result.notes)
        self.status.setText(text)
        self.show_folder.setVisible(True)
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
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.video.parent)))

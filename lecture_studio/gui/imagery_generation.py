"""Generating slide images from the editor: the background job, its per-slide previews, the
dialog that shows them, and applying the result to the lecture as one undo step."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..errors import Cancelled
from ..jobs import CancelToken
from ..model import ImagerySpec, Lecture, SetProperty
from ..project import Project
from .document import LectureDocument, snapshot
from .workers import Worker

if TYPE_CHECKING:
    from ..imagery import ImageGenerator, Size

PREVIEW_SIZE = QSize(160, 90)
_ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class ImageryOutcome:
    """What a generation run changed: the new imagery fields per slide and the new images."""

    specs: dict[str, ImagerySpec] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    drawn: list[str] = field(default_factory=list)  # slide ids that got a new image


class _DrawingProject(Project):
    """The snapshot the job draws into; remembers the names of the images added to it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.new_assets: list[str] = []

    def add_asset(
        self, data: bytes, suffix: str, name: str | None = None, replace: bool = False
    ) -> str:
        known = name is not None and self.has_asset(name) and not replace
        added = super().add_asset(data, suffix, name=name, replace=replace)
        if not known:
            self.new_assets.append(added)
        return added


def generator_title(kind: str) -> str:
    """What the editor calls a generator kind ("diffusers", "procedural"), translated."""
    if kind == "procedural":
        return QCoreApplication.translate("ImageryGeneration", "Abstract shapes (no AI model)")
    return QCoreApplication.translate("ImageryGeneration", "Diffusion model (local)")


class _AnnouncingToken(CancelToken):
    """The job's cancel token, which also hands on each finished image: the core checks it
    right after storing a slide's image and before drawing the next."""

    def __init__(self, inner: CancelToken, announce: Callable[[], None]) -> None:
        super().__init__()
        self._inner = inner
        self._announce = announce

    def cancel(self) -> None:
        self._inner.cancel()

    @property
    def cancelled(self) -> bool:
        return self._inner.cancelled

    def check(self) -> None:
        self._announce()
        self._inner.check()


def _preview_image(data: bytes) -> QImage:
    """A small independent copy of an encoded image (safe on a worker thread)."""
    image = QImage.fromData(data)
    if image.isNull():
        return image
    return image.scaled(
        PREVIEW_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).copy()


class ImageryGeneration(QObject):
    """One "Generate images" run: draws on a snapshot in a Worker, then applies the changed
    imagery fields to the document on the GUI thread as one undo step.

    Cancelling keeps the images drawn so far (as the core does). ``slide_drawn(slide_id,
    preview)`` arrives once per new image, while the job runs.
    """

    slide_drawn = Signal(str, QImage)
    applied = Signal(object)  # the ImageryOutcome applied to the document
    cancelled = Signal(object)  # the ImageryOutcome of the images drawn before the cancel

    def __init__(
        self,
        document: LectureDocument,
        make_generator: Callable[[Lecture], ImageGenerator],
        slide_ids: list[str] | None,
        new_variant: bool = False,
        size: Size | None = None,
    ) -> None:
        super().__init__(None)
        self.document = document
        self.make_generator = make_generator
        self.missing_model = ""  # the core's message when the diffusion model is not here
        self.slide_ids = slide_ids
        self.new_variant = new_variant
        self.size = size
        self.label = self.tr("Another image variant") if new_variant else self.tr("Generate images")
        self.worker = Worker(self._job)
        self.worker.succeeded.connect(self._apply)
        self.worker.cancelled.connect(self._on_cancelled)
        self._partial = ImageryOutcome()

    # --- on the worker thread -------------------------------------------------------------
    def _job(self, progress, cancel) -> ImageryOutcome:
        from ..imagery import ModelNotFoundError, generate_slide_images

        project = snapshot(self.document.project, _DrawingProject)
        try:  # finding the model (and the plugins) takes a while: not on the GUI thread
            generator = self.make_generator(project.lecture)
        except ModelNotFoundError as error:
            self.missing_model = error.message
            raise
        before = {s.id: copy.deepcopy(s.imagery) for s in project.lecture.slides}
        reported = 0

        def announce() -> None:
            nonlocal reported
            while reported < len(project.new_assets):
                name = project.new_assets[reported]
                reported += 1
                for slide in project.lecture.slides:
                    if name in slide.imagery.variants:
                        self.slide_drawn.emit(slide.id, _preview_image(project.asset_bytes(name)))
                        break

        def report(fraction: float, message: str) -> None:
            announce()
            progress(fraction, message)

        try:
            generate_slide_images(
                project,
                self.slide_ids,
                generator,
                report,
                _AnnouncingToken(cancel, announce),
                size=self.size,
                new_variant=self.new_variant,
            )
        except Cancelled:
            self._partial = _outcome(project, before)
            raise
        announce()
        return _outcome(project, before)

    # --- on the GUI thread ----------------------------------------------------------------
    def _apply(self, outcome: ImageryOutcome) -> None:
        if not isValid(self.document):
            return  # the window closed while the images were drawn
        apply_outcome(self.document, outcome, self.label)
        self.applied.emit(outcome)

    def _on_cancelled(self) -> None:
        outcome = self._partial
        if not isValid(self.document):
            return
        apply_outcome(self.document, outcome, self.label)
        self.cancelled.emit(outcome)


def _outcome(project: _DrawingProject, before: dict[str, ImagerySpec]) -> ImageryOutcome:
    outcome = ImageryOutcome()
    for slide in project.lecture.slides:
        if slide.imagery != before.get(slide.id):
            outcome.specs[slide.id] = copy.deepcopy(slide.imagery)
    for name in project.new_assets:
        outcome.assets[name] = project.asset_bytes(name)
        for slide in project.lecture.slides:
            if name in slide.imagery.variants and slide.id not in outcome.drawn:
                outcome.drawn.append(slide.id)
    return outcome


def apply_outcome(document: LectureDocument, outcome: ImageryOutcome, label: str) -> None:
    """Add the new images to the project and set the changed imagery fields (one undo step)."""
    from ..imagery.cache import IMAGE_SUFFIX

    for name, data in outcome.assets.items():
        document.project.add_asset(data, IMAGE_SUFFIX, name=name, replace=True)
    lecture = document.lecture
    present = {s.id for s in lecture.slides}
    commands = []
    for slide_id, spec in outcome.specs.items():
        if slide_id not in present:
            continue  # deleted while the images were drawn
        current = lecture.slide(slide_id).imagery
        for name in ("variants", "chosen", "placement"):
            value = getattr(spec, name)
            if getattr(current, name) != value:
                commands.append(SetProperty(slide_id, f"imagery.{name}", value))
    if commands:
        document.do_all(label, commands)


def missing_model_box(parent: QWidget, message: str, procedural_name: str) -> QMessageBox:
    """The core's one-sentence message, with the offer to draw abstract shapes instead."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Lecture Studio", message, parent=parent)
    box.setObjectName("missingModelBox")
    box.setInformativeText(
        QCoreApplication.translate(
            "ImageryGeneration", "You can use \u201c{0}\u201d instead: it needs no model."
        ).format(procedural_name)
    )
    box.addButton(QMessageBox.StandardButton.Close)
    use = box.addButton(
        QCoreApplication.translate("ImageryGeneration", "Use \u201c{0}\u201d").format(
            procedural_name
        ),
        QMessageBox.ButtonRole.AcceptRole,
    )
    use.setObjectName("useProcedural")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    return box


class ImageryProgressDialog(QDialog):
    """Shows each slide's new image as it arrives, the overall progress, and Cancel."""

    def __init__(self, document: LectureDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("imageryProgressDialog")
        self.setWindowTitle(self.tr("Generating images"))
        self.generation: ImageryGeneration | None = None
        self.shown: set[str] = set()  # slides whose new image is on show
        self.status = QLabel()
        self.status.setObjectName("imageryStatus")
        self.status.setWordWrap(True)
        self.previews = QListWidget()
        self.previews.setObjectName("imageryPreviews")
        self.previews.setViewMode(QListView.ViewMode.IconMode)
        self.previews.setIconSize(PREVIEW_SIZE)
        self.previews.setResizeMode(QListView.ResizeMode.Adjust)
        self.previews.setMovement(QListView.Movement.Static)
        self.previews.setSpacing(6)
        self.previews.setMinimumSize(560, 240)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("imageryCancel")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.previews, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def follow(self, generation: ImageryGeneration, slide_ids: list[str], title: str) -> None:
        """List the slides being drawn and fill in their previews as they arrive."""
        self.generation = generation
        self.previews.clear()
        self.shown.clear()
        self.progress.setValue(0)
        self.status.setText(self.tr("Drawing with \u201c{0}\u201d...").format(title))
        placeholder = QPixmap(PREVIEW_SIZE)
        placeholder.fill(self.palette().color(self.palette().ColorRole.Mid))
        lecture = self.document.lecture
        for slide_id in slide_ids:
            number = lecture.index_of(slide_id) + 1
            item = QListWidgetItem(QIcon(placeholder), self.tr("Slide {0}").format(number))
            item.setData(_ID_ROLE, slide_id)
            self.previews.addItem(item)
        self.cancel_button.setText(self.tr("Cancel"))
        generation.slide_drawn.connect(self.show_preview)
        generation.worker.progress.connect(self._on_progress)
        generation.applied.connect(self._on_applied)
        generation.cancelled.connect(self._on_cancelled)
        generation.worker.failed.connect(self._on_failed)

    def show_preview(self, slide_id: str, image: QImage) -> None:
        for row in range(self.previews.count()):
            item = self.previews.item(row)
            if item.data(_ID_ROLE) == slide_id:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
                self.shown.add(slide_id)
                return

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.status.setText(message)

    def _finish(self, text: str) -> None:
        self.status.setText(text)
        self.cancel_button.setText(self.tr("Close"))
        self.generation = None

    def _on_applied(self, outcome: ImageryOutcome) -> None:
        self.progress.setValue(1000)
        drawn, total = len(outcome.drawn), self.previews.count()
        self._finish(
            self.tr("{0} of {1} slides got a new image; the others were up to date.").format(
                drawn, total
            )
        )

    def _on_cancelled(self, outcome: ImageryOutcome) -> None:
        self._finish(
            self.tr("Cancelled: {0} of {1} slides got a new image.").format(
                len(outcome.drawn), self.previews.count()
            )
        )

    def _on_failed(self, message: str) -> None:
        self._finish(message)

    def reject(self) -> None:
        """Cancel, Esc and the window's close button: cancel a running job, else close."""
        if self.generation is not None and self.generation.worker.running:
            self.status.setText(self.tr("Cancelling..."))
            self.generation.worker.cancel()
            return
        super().reject()


class ImageryRunner(QObject):
    """Starts "Generate images" and "Another variant" runs for the window: picks the lecture's
    generator (offering the procedural one when the model is missing), shows the progress
    dialog and hands the worker to the window's job runner. The loaded diffusion model is kept
    for the next run."""

    started = Signal(object)  # the ImageryGeneration just started

    def __init__(
        self,
        document: LectureDocument,
        window: QWidget,
        run_job: Callable[[Worker, str], Worker],
        show_error: Callable[[str], object],
    ) -> None:
        super().__init__(window)
        self.document = document
        self.window = window
        self._run_job = run_job
        self._show_error = show_error
        self.generation: ImageryGeneration | None = None
        self.dialog: ImageryProgressDialog | None = None
        self.error_box: QMessageBox | None = None
        self._generator: ImageGenerator | None = None
        self._generator_key: tuple = ()

    @property
    def running(self) -> bool:
        """From the start until its result has been applied here on the GUI thread."""
        return self.generation is not None

    def _on_finished(self) -> None:
        self.generation = None

    def _generator_for(self, lecture: Lecture) -> ImageGenerator:
        """The lecture's generator, reused while its settings stay (runs on the worker)."""
        from ..app import app_registry
        from ..imagery import generator_for_lecture

        style = lecture.style
        key = (style.imagery_generator, style.imagery_model, style.theme)
        if self._generator is None or key != self._generator_key:
            self._generator = generator_for_lecture(lecture, registry=app_registry())
            self._generator_key = key
        return self._generator

    def generate(
        self,
        slide_ids: list[str] | None = None,
        new_variant: bool = False,
        size: Size | None = None,
    ) -> ImageryGeneration | None:
        """Draw images for ``slide_ids`` (default: every visible slide) in the background."""
        if self.running:
            if self.dialog is not None:
                self.dialog.show()
                self.dialog.raise_()
            return None
        lecture = self.document.lecture
        ids = list(slide_ids) if slide_ids else [s.id for s in lecture.visible_slides()]
        if not ids:
            return None
        generation = ImageryGeneration(self.document, self._generator_for, ids, new_variant, size)

        def failed(message: str) -> None:
            if generation.missing_model:
                if self.dialog is not None:
                    self.dialog.hide()
                self._offer_procedural(generation.missing_model, ids, new_variant, size)
            else:
                self._show_error(message)

        generation.worker.failed.connect(failed)
        generation.worker.finished.connect(self._on_finished)
        if self.dialog is None:
            self.dialog = ImageryProgressDialog(self.document, self.window)
        title = generator_title(lecture.style.imagery_generator)
        self.dialog.follow(generation, ids, title)
        self.dialog.show()
        self.generation = generation
        self._run_job(generation.worker, generation.label)
        self.started.emit(generation)
        return generation

    def _offer_procedural(
        self, message: str, ids: list[str], new_variant: bool, size: Size | None
    ) -> None:
        box = missing_model_box(self.window, message, generator_title("procedural"))
        self.error_box = box

        def answered(button) -> None:
            if box.buttonRole(button) != QMessageBox.ButtonRole.AcceptRole:
                return
            self.document.do(
                SetProperty(
                    None,
                    "style.imagery_generator",
                    "procedural",
                    label=QCoreApplication.translate("ImageryGeneration", "Use abstract shapes"),
                )
            )
            self.generate(ids, new_variant, size)

        box.buttonClicked.connect(answered)
        box.open()

    def cancel(self) -> None:
        if self.generation is not None:
            self.generation.worker.cancel()

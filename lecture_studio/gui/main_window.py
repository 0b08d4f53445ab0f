"""The main window: assembles the panels, the menus and their shortcuts, and the background jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..importers import importable_suffixes
from ..model import DeleteSlide, DuplicateSlide, HideSlide, InsertSlide, MoveSlide, Slide
from ..project import BUNDLE_SUFFIX, Project
from .about import AboutDialog
from .autosave import Autosaver, Recovery, default_recovery_dir
from .document import LectureDocument, picture_key, snapshot
from .imagery_generation import ImageryGeneration, ImageryRunner
from .imagery_panel import ImageryPanel
from .lecture_dialog import LecturePropertiesDialog
from .narration_editor import NarrationEditor
from .playback import LecturePlayer
from .plugins_dialog import PluginsDialog
from .preview import SlidePreview, preview_size
from .problems_panel import ProblemsDock, SlideProblems
from .properties import PropertiesPanel
from .record_lecture import RecordLectureWindow
from .recording import MicrophoneRecorder, microphone_available
from .settings import EditorSettings
from .slide_list import SlideList
from .timeline_strip import TimelineStrip, format_duration
from .workers import Worker


class MainWindow(QMainWindow):
    """The editor window. ``recovery_dir`` and ``settings`` are injectable for tests."""

    def __init__(
        self,
        settings: EditorSettings | None = None,
        recovery_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or EditorSettings()
        self.document = LectureDocument(parent=self)
        self.workers: set[Worker] = set()
        self.load_worker: Worker | None = None
        self.render_worker: Worker | None = None
        self.error_box: QMessageBox | None = None
        self._opening = Path()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.slide_list = SlideList(self.document)
        self.preview = SlidePreview(self.document)
        self.narration = NarrationEditor(self.document)
        self.player = LecturePlayer(self.document, self)
        self.properties = PropertiesPanel(self.document, self.player)
        self.imagery_panel = ImageryPanel(self.document)
        self.timeline = TimelineStrip(self.document)
        self.problems = SlideProblems(self.document, self)
        self.problems_dock = ProblemsDock(self.problems, self)
        self.slide_list.show_problems(self.problems)
        self.imagery = ImageryRunner(self.document, self, self.run_job, self.show_error)
        self._build_layout()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self.autosaver = Autosaver(
            self.document, recovery_dir or default_recovery_dir(), self.settings.autosave_minutes
        )
        self.autosaver.failed.connect(self.show_status)
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self._update_title()
        self._update_actions()
        self.slide_list.rebuild()
        self.timeline.refresh()
        self.document.load_voices()
        # What Import and drag-and-drop take: the built-in importers' file endings now, the
        # plugins' too once a worker has listed them (finding them imports those plugins).
        self.importable: list[str] = importable_suffixes()
        self._importers_worker = Worker(self._list_importers)
        self._importers_worker.succeeded.connect(self._set_importable)
        self._importers_worker.start()

    # --- assembly ---------------------------------------------------------------------
    def _build_layout(self) -> None:
        center = QSplitter(Qt.Orientation.Vertical)
        center.addWidget(self.preview)
        center.addWidget(self.narration)
        center.setStretchFactor(0, 3)
        center.setStretchFactor(1, 1)
        center.setSizes([470, 250])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        heading = QLabel(self.tr("<b>Slide properties</b>"))
        right_layout.addWidget(heading)
        right_layout.addWidget(self.properties)
        right_layout.addWidget(self.imagery_panel)
        right_layout.addStretch(1)
        right_scroll = QScrollArea()
        right_scroll.setObjectName("propertiesScroll")
        right_scroll.setWidgetResizable(True)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_scroll.setWidget(right)
        scrollbar = right_scroll.verticalScrollBar().sizeHint().width()
        right_scroll.setMinimumWidth(right.minimumSizeHint().width() + scrollbar + 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.slide_list)
        self.splitter.addWidget(center)
        self.splitter.addWidget(right_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([300, 640, 340])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.timeline)
        self.setCentralWidget(body)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.setTabOrder(self.slide_list, self.narration.text)
        self.setTabOrder(self.narration.text, self.narration.record_button)
        self.setTabOrder(self.narration.record_button, self.narration.use_tts_button)
        self.setTabOrder(self.narration.use_tts_button, self.properties.duration_mode)
        self.setTabOrder(self.properties.choose_file, self.imagery_panel.prompt)
        self.setTabOrder(self.imagery_panel.model, self.timeline)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
        name: str,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            plain = text.replace("&", "").rstrip(".")
            action.setToolTip(f"{plain} ({action.shortcut().toString()})")
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(
            self.tr("&New Lecture from Outline..."), keys.New, self.new_from_outline, "newAction"
        )
        self.import_action = self._action(
            self.tr("&Import Deck or Outline..."), "Ctrl+I", self.import_file, "importAction"
        )
        self.open_action = self._action(self.tr("&Open..."), keys.Open, self.open_project, "open")
        self.save_action = self._action(self.tr("&Save"), keys.Save, self.save, "saveAction")
        self.save_as_action = self._action(
            self.tr("Save &As..."), "Ctrl+Shift+S", self.save_as, "saveAsAction"
        )
        self.export_action = self._action(
            self.tr("&Export Video..."), "Ctrl+E", self.export_video, "exportAction"
        )
        self.quit_action = self._action(self.tr("&Quit"), keys.Quit, self.close, "quitAction")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))

        self.undo_action = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        self.insert_action = self._action(
            self.tr("&Insert Slide"), "Ctrl+M", self.insert_slide, "insertSlide"
        )
        self.duplicate_action = self._action(
            self.tr("&Duplicate Slide"), "Ctrl+D", self.duplicate_slide, "duplicateSlide"
        )
        self.delete_action = self._action(
            self.tr("De&lete Slide"), "Ctrl+Del", self.delete_slide, "deleteSlide"
        )
        self.hide_action = self._action(
            self.tr("&Hide Slide"), "Ctrl+H", self.toggle_hidden, "hideSlide"
        )
        self.hide_action.setCheckable(True)
        self.move_up_action = self._action(
            self.tr("Move Slide &Up"), "Ctrl+Shift+Up", lambda: self.move_slide(-1), "moveUp"
        )
        self.move_down_action = self._action(
            self.tr("Move Slide Do&wn"), "Ctrl+Shift+Down", lambda: self.move_slide(1), "moveDown"
        )
        self.listen_action = self._action(self.tr("&Listen"), "Ctrl+L", self.listen, "listen")
        self.preview_action = self._action(
            self.tr("&Preview from This Slide"), "Shift+F5", self.preview_lecture, "preview"
        )
        self.stop_action = self._action(self.tr("&Stop"), "Ctrl+.", self.player.stop, "stop")
        self.record_action = self._action(
            self.tr("&Record Narration"), "Ctrl+R", self.narration.record_button.click, "record"
        )
        self.record_action.setEnabled(self.narration.has_microphone)
        self.record_lecture_action = self._action(
            self.tr("Record &Lecture..."), "Ctrl+Shift+R", self.record_lecture, "recordLecture"
        )
        self.script_action = self._action(
            self.tr("Edit &Script"), "Ctrl+T", self.narration.focus_script, "focusScript"
        )
        self.slides_action = self._action(
            self.tr("Go to Slide &List"), "Ctrl+1", self.slide_list.setFocus, "focusSlides"
        )
        self.generate_images_action = self._action(
            self.tr("&Generate Images"), "Ctrl+G", self.generate_images, "generateImages"
        )
        self.generate_slide_image_action = self._action(
            self.tr("Generate Image for &This Slide"),
            "Ctrl+Alt+G",
            self.generate_slide_image,
            "generateSlideImage",
        )
        self.another_variant_action = self._action(
            self.tr("&Another Variant"), "Ctrl+Shift+G", self.another_variant, "anotherVariant"
        )
        self.about_action = self._action(
            self.tr("&About Lecture Studio"), None, self.show_about, "aboutAction"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.plugins_action = self._action(
            self.tr("&Plugins..."), None, self.show_plugins, "pluginsAction"
        )
        self.lecture_properties_action = self._action(
            self.tr("&Properties..."), None, self.show_lecture_properties, "lectureProperties"
        )
        self.narration.set_actions(self.listen_action, self.preview_action, self.stop_action)
        self.imagery_panel.set_actions(
            self.generate_slide_image_action, self.another_variant_action
        )
        for action in (
            self.insert_action,
            self.duplicate_action,
            self.hide_action,
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
        ):
            self.slide_list.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.import_action, self.open_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [self.insert_action, self.duplicate_action, self.hide_action, self.delete_action]
        )
        edit_menu.addActions([self.move_up_action, self.move_down_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.script_action, self.slides_action])

        lecture_menu = bar.addMenu(self.tr("&Lecture"))
        lecture_menu.addAction(self.lecture_properties_action)
        lecture_menu.addAction(self.problems_dock.toggleViewAction())

        play_menu = bar.addMenu(self.tr("&Play"))
        play_menu.addActions(
            [self.listen_action, self.preview_action, self.stop_action, self.record_action]
        )
        play_menu.addAction(self.record_lecture_action)

        imagery_menu = bar.addMenu(self.tr("&Imagery"))
        imagery_menu.addActions(
            [
                self.generate_images_action,
                self.generate_slide_image_action,
                self.another_variant_action,
            ]
        )

        settings_menu = bar.addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, label in (
            ("system", self.tr("System Language")),
            ("en", "English"),
            ("ja", "日本語"),
        ):
            action = QAction(label, self, checkable=True)
            action.setData(code)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.plugins_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setIconSize(QSize(16, 16))
        toolbar.addActions([self.import_action, self.save_action, self.export_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.insert_action, self.duplicate_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addAction(self.generate_images_action)

    def _build_status_bar(self) -> None:
        self.job_label = QLabel()
        self.job_progress = QProgressBar()
        self.job_progress.setRange(0, 1000)
        self.job_progress.setMaximumWidth(200)
        self.job_cancel = QPushButton(self.tr("Cancel"))
        self.job_cancel.clicked.connect(self.cancel_background_job)
        self.length_label = QLabel()
        self.length_label.setObjectName("lectureLength")
        bar = self.statusBar()
        bar.addPermanentWidget(self.job_label)
        bar.addPermanentWidget(self.job_progress)
        bar.addPermanentWidget(self.job_cancel)
        bar.addPermanentWidget(self.length_label)
        self._show_job(None)

    def _connect(self) -> None:
        doc = self.document
        self.slide_list.current_slide_changed.connect(self._on_current_slide)
        self.slide_list.slide_moved.connect(self._on_slide_dragged)
        self.timeline.slide_clicked.connect(self.slide_list.select_slide)
        self.problems_dock.panel.slide_selected.connect(self.slide_list.select_slide)
        doc.undo_stack.cleanChanged.connect(self._update_title)
        doc.edited.connect(self._on_edited)
        doc.reset.connect(self._on_reset)
        doc.durations_changed.connect(self._update_length)
        self.player.preparing.connect(self.show_status)
        self.player.failed.connect(self.show_error)
        self.player.position_changed.connect(self._on_play_position)
        self.player.playing_changed.connect(self._on_playing_changed)
        self.player.frame_changed.connect(self.preview.show_frame)
        self.player.notice.connect(self.show_status)
        self.preview.toggle_requested.connect(self.toggle_preview)
        self.preview.step_requested.connect(self.step_preview)

    # --- state ------------------------------------------------------------------------
    def current_slide(self) -> Slide | None:
        slide_id = self.slide_list.current_slide_id()
        return self.document.lecture.slide(slide_id) if slide_id else None

    def _update_title(self, *_args) -> None:
        lecture = self.document.lecture
        name = lecture.title or self.tr("Untitled lecture")
        if self.document.project.path is not None:
            name = f"{name} ({self.document.project.path.name})"
        self.setWindowTitle(f"{name}[*] - Lecture Studio")
        self.setWindowModified(self.document.is_modified)

    def _update_actions(self) -> None:
        slide = self.current_slide()
        has_slide = slide is not None
        for action in (
            self.duplicate_action,
            self.delete_action,
            self.hide_action,
            self.listen_action,
            self.preview_action,
            self.generate_slide_image_action,
            self.another_variant_action,
        ):
            action.setEnabled(has_slide)
        self.generate_images_action.setEnabled(bool(self.document.lecture.visible_slides()))
        index = self.document.lecture.index_of(slide.id) if slide else -1
        self.move_up_action.setEnabled(has_slide and index > 0)
        self.move_down_action.setEnabled(
            has_slide and index < len(self.document.lecture.slides) - 1
        )
        self.hide_action.setChecked(bool(slide and slide.hidden))
        self.export_action.setEnabled(bool(self.document.lecture.visible_slides()))
        self.record_lecture_action.setEnabled(bool(self.document.lecture.visible_slides()))
        self.stop_action.setEnabled(self.player.is_busy)

    def _update_length(self) -> None:
        seconds = self.document.timeline().duration
        slides = len(self.document.lecture.visible_slides())
        text = self.tr("1 slide, about {1}") if slides == 1 else self.tr("{0} slides, about {1}")
        self.length_label.setText(text.format(slides, format_duration(seconds)))

    def _on_current_slide(self, slide_id: str) -> None:
        self.preview.show_slide(slide_id)
        self.narration.set_slide(slide_id)
        self.properties.set_slide(slide_id)
        self.imagery_panel.set_slide(slide_id)
        self.timeline.set_current_slide(slide_id)
        self._update_actions()

    def _on_edited(self, _command: object) -> None:
        self._update_actions()
        self._update_length()
        self._update_title()
        if self.document.missing_images():
            QTimer.singleShot(0, self, self.render_missing_slides)

    def _on_reset(self) -> None:
        self._update_title()
        self._update_actions()
        self._update_length()
        if self.document.lecture.slides:
            self.preview.set_message(self.tr("Drawing slides..."))
            self.render_missing_slides()
        else:
            self.preview.set_message(self.tr("Import a deck or an outline to begin (Ctrl+I)."))

    def _on_slide_dragged(self, slide_id: str, index: int) -> None:
        self.document.do(MoveSlide(slide_id, index, label=self.tr("Move slide")))
        self.slide_list.select_slide(slide_id)

    # --- background jobs --------------------------------------------------------------
    def run_job(self, worker: Worker, label: str, show: bool = True) -> Worker:
        """Keep a worker alive until it finishes; show its progress in the status bar."""
        self.workers.add(worker)
        worker.finished.connect(self._on_job_finished)
        if show:
            self._show_job(worker, label)
            worker.progress.connect(self._on_job_progress)
        worker.start()
        return worker

    def _on_job_finished(self) -> None:
        self.workers = {w for w in self.workers if w.running}
        if self._shown_job is not None and not self._shown_job.running:
            self._show_job(None)

    def _on_job_progress(self, fraction: float, message: str) -> None:
        self.job_progress.setValue(round(fraction * 1000))
        self.job_label.setText(message)

    def _show_job(self, worker: Worker | None, label: str = "") -> None:
        self._shown_job = worker
        visible = worker is not None
        self.job_label.setText(label)
        self.job_progress.setValue(0)
        for widget in (self.job_label, self.job_progress, self.job_cancel):
            widget.setVisible(visible)

    def cancel_background_job(self) -> None:
        if self._shown_job is not None:
            self._shown_job.cancel()

    def open_file(self, path: str | Path) -> Worker | None:
        """Open a project, or import a deck or outline, in the background (File menu, drops,
        the command line and the tests all come through here)."""
        if not self.maybe_save():
            return None
        path = Path(path)
        if self.load_worker is not None:
            self.load_worker.cancel()
        self.player.stop()

        def job(progress, cancel) -> Project:
            from ..app import app_registry
            from ..loading import open_path

            return open_path(path, progress, cancel, registry=app_registry())

        worker = Worker(job)
        worker.succeeded.connect(self._on_opened)
        worker.failed.connect(self.show_error)
        worker.cancelled.connect(self._on_load_cancelled)
        worker.finished.connect(self._on_load_finished)
        self.load_worker = worker
        self._opening = path
        return self.run_job(worker, self.tr("Opening {0}").format(path.name))

    def _on_load_cancelled(self) -> None:
        self.show_status(self.tr("Cancelled."))

    def _on_load_finished(self) -> None:
        if self.load_worker is not None and not self.load_worker.running:
            self.load_worker = None

    def _on_opened(self, project: Project) -> None:
        path = self._opening
        imported = project.path is None
        self.autosaver.discard()
        # Only an edit marks it modified: an unedited import is still all in its deck or outline.
        self.document.set_project(project)
        self.settings.add_recent_file(path)
        self.settings.last_folder = str(path.parent)
        for warning in project.warnings:
            self.statusBar().showMessage(warning, 10000)
        self.statusBar().showMessage(
            self.tr("Imported {0}.").format(path.name)
            if imported
            else self.tr("Opened {0}.").format(path.name),
            5000,
        )

    def render_missing_slides(self) -> Worker | None:
        """Draw the slides that have no picture yet (or a stale one), at preview size, in the
        background: as the video shows them, with their chosen generated image placed."""
        if self.render_worker is not None:
            return self.render_worker
        missing = self.document.missing_images()
        if not missing:
            return None
        project = snapshot(self.document.project)
        size = preview_size(project.lecture.output)

        keys = {sid: picture_key(project.lecture.slide(sid)) for sid in missing}

        def job(progress, cancel):
            from PIL import Image

            from ..render.compose import compose_slide_picture
            from ..slides import render_slide_images
            from .images import to_qimage

            result = render_slide_images(
                project, size=size, slide_ids=missing, progress=progress, cancel=cancel
            )
            warnings = list(result.warnings)
            images = {}
            for slide_id, drawn in result.drawn.items():
                cancel.check()
                slide = project.lecture.slide(slide_id)
                frame, notes = compose_slide_picture(project, slide, drawn)
                images[slide_id] = to_qimage(Image.fromarray(frame))
                warnings += notes
            drawn = {sid: d.warnings for sid, d in result.drawn.items()}  # for the badges
            return images, keys, warnings, drawn

        worker = Worker(job)
        worker.succeeded.connect(self._on_rendered)
        worker.failed.connect(self.show_error)
        worker.finished.connect(self._on_render_finished)
        self.render_worker = worker
        return self.run_job(worker, self.tr("Drawing slides"))

    def _on_rendered(self, result) -> None:
        images, keys, warnings, drawn = result
        current = {s.id for s in self.document.lecture.slides}
        self.document.set_images({sid: img for sid, img in images.items() if sid in current}, keys)
        self.problems.set_drawn({sid: found for sid, found in drawn.items() if sid in current})
        self.preview.set_message("")
        if warnings:
            self.statusBar().showMessage(" ".join(warnings), 15000)

    def _on_render_finished(self) -> None:
        self.render_worker = None
        if self.document.missing_images():
            QTimer.singleShot(0, self, self.render_missing_slides)

    # --- file menu --------------------------------------------------------------------
    def _open_dialog(self, title: str, filters: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(self, title, self.settings.last_folder, filters)
        return Path(name) if name else None

    def new_from_outline(self) -> Worker | None:
        path = self._open_dialog(
            self.tr("New lecture from an outline"),
            self.tr("Outlines (*.md *.markdown *.txt)"),
        )
        return self.open_file(path) if path else None

    @staticmethod
    def _list_importers(progress, cancel) -> list[str]:
        from ..app import app_registry

        return importable_suffixes(app_registry())

    def _set_importable(self, suffixes: list[str]) -> None:
        self.importable = suffixes

    def import_file(self) -> Worker | None:
        patterns = " ".join(f"*{s}" for s in self.importable)
        path = self._open_dialog(
            self.tr("Import a deck or an outline"),
            self.tr("Decks and outlines ({0})").format(patterns),
        )
        return self.open_file(path) if path else None

    def open_project(self) -> Worker | None:
        path = self._open_dialog(
            self.tr("Open a lecture"),
            self.tr("Lecture Studio projects (project.json);;All files (*)"),
        )
        return self.open_file(path) if path else None

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = [p for p in self.settings.recent_files() if p.exists()]
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {path.name}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if not files:
            self.recent_menu.addAction(self.tr("No recent files")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("&Clear List"), self.settings.clear_recent_files)

    def save(self) -> bool:
        if self.document.project.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            title = self.document.lecture.title or "lecture"
            suggested = Path(self.settings.last_folder) / f"{_file_stem(title)}.lecture"
            name, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the lecture as"),
                str(suggested),
                self.tr("Lecture Studio projects (*.lecture)"),
            )
            if not name:
                return False
            path = Path(name)
        return self._save_to(path)

    def _save_to(self, path: Path | None) -> bool:
        from ..errors import LectureStudioError

        try:
            target = self.document.save(path)
        except LectureStudioError as error:
            self.show_error(error.message)
            return False
        self.autosaver.discard()
        self.settings.add_recent_file(target)
        self.settings.last_folder = str(target.parent)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {0}.").format(target.name), 4000)
        return True

    def export_video(self, size: tuple[int, int] | None = None):
        from .export_dialog import ExportDialog

        self.player.stop()
        dialog = ExportDialog(self.document, self.settings, self, size=size)
        dialog.setModal(True)
        dialog.open()
        self.export_dialog = dialog
        return dialog

    # --- slide actions ----------------------------------------------------------------
    def insert_slide(self) -> None:
        slide = self.current_slide()
        index = self.document.lecture.index_of(slide.id) + 1 if slide else 0
        new = Slide(title=self.tr("New slide"))
        self.document.do(InsertSlide(index, new, label=self.tr("Insert slide")))
        self.slide_list.select_slide(new.id)

    def duplicate_slide(self) -> None:
        slide = self.current_slide()
        if slide is not None:
            command = DuplicateSlide(slide.id, label=self.tr("Duplicate slide"))
            self.document.do(command)
            self.slide_list.select_slide(command.new_id)

    def delete_slide(self) -> None:
        slide = self.current_slide()
        if slide is None:
            return
        index = self.document.lecture.index_of(slide.id)
        self.document.do(DeleteSlide(slide.id, label=self.tr("Delete slide")))
        slides = self.document.lecture.slides
        if slides:
            self.slide_list.select_slide(slides[min(index, len(slides) - 1)].id)

    def toggle_hidden(self) -> None:
        slide = self.current_slide()
        if slide is not None:
            command = HideSlide(slide.id, not slide.hidden)
            command.label = self.tr("Hide slide") if not slide.hidden else self.tr("Show slide")
            self.document.do(command)

    def move_slide(self, step: int) -> None:
        slide = self.current_slide()
        if slide is None:
            return
        index = self.document.lecture.index_of(slide.id) + step
        if 0 <= index < len(self.document.lecture.slides):
            self.document.do(MoveSlide(slide.id, index, label=self.tr("Move slide")))
            self.slide_list.select_slide(slide.id)

    # --- imagery ----------------------------------------------------------------------
    def generate_images(self, size: tuple[int, int] | None = None) -> ImageryGeneration | None:
        """Imagery > Generate Images: every visible slide (unchanged images are kept)."""
        return self.imagery.generate(None, size=size)

    def generate_slide_image(self, size: tuple[int, int] | None = None) -> ImageryGeneration | None:
        slide = self.current_slide()
        return self.imagery.generate([slide.id], size=size) if slide else None

    def another_variant(self, size: tuple[int, int] | None = None) -> ImageryGeneration | None:
        """Draw one more variant of the current slide's image; the earlier ones are kept."""
        slide = self.current_slide()
        return self.imagery.generate([slide.id], new_variant=True, size=size) if slide else None

    # --- lecture ----------------------------------------------------------------------
    def show_lecture_properties(self) -> LecturePropertiesDialog:
        """Lecture > Properties: the lecture's language and voice (window-modal)."""
        slide = self.current_slide()
        dialog = LecturePropertiesDialog(
            self.document, self.player, slide.id if slide else "", self
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.lecture_properties_dialog = dialog
        return dialog

    # --- help -------------------------------------------------------------------------
    def show_about(self) -> AboutDialog:
        """Help > About: version, license and notices (window-modal, does not block)."""
        dialog = AboutDialog(self)
        dialog.setObjectName("aboutDialog")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.about_dialog = dialog
        return dialog

    def show_plugins(self) -> PluginsDialog:
        """Help > Plugins: what was found and how loading went (listed in the background)."""
        dialog = PluginsDialog(self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.plugins_dialog = dialog
        return dialog

    # --- playing ----------------------------------------------------------------------
    def listen(self) -> Worker | None:
        slide = self.current_slide()
        return self.player.listen(slide.id) if slide else None

    def preview_lecture(self) -> Worker | None:
        slide = self.current_slide()
        self.preview.setFocus()  # so that Space pauses it
        return self.player.preview_from(slide.id if slide else "")

    def toggle_preview(self) -> Worker | None:
        """Space on the preview: play from the current slide, pause, or resume."""
        slide = self.current_slide()
        return self.player.toggle(slide.id if slide else "")

    def step_preview(self, delta: int) -> None:
        """The arrows on the preview: the slide before or after, in the preview or the list."""
        target = self.player.step(delta, self.slide_list.current_slide_id())
        if target:
            self.slide_list.select_slide(target)

    def record_lecture(
        self, recorder: MicrophoneRecorder | None = None
    ) -> RecordLectureWindow | None:
        """Play > Record Lecture: every visible slide in one take, each slide's narration cut
        from it (``gui/record_lecture.py``); ``recorder`` is injectable for tests."""
        slide_ids = [slide.id for slide in self.document.lecture.visible_slides()]
        if not slide_ids:
            return None
        if recorder is None and not microphone_available():
            self.show_error(
                self.tr(
                    "No microphone was found, so the lecture cannot be recorded; connect one "
                    "and choose Record Lecture again."
                )
            )
            return None
        self.player.stop()
        window = RecordLectureWindow(self.document, slide_ids, self.run_job, recorder, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.status.connect(self.show_status)
        window.show_on_best_screen(self.screen())
        self.record_lecture_window = window
        return window

    def _on_play_position(self, seconds: float, slide_id: str) -> None:
        self.timeline.set_playhead(seconds)
        if slide_id and slide_id != self.slide_list.current_slide_id():
            self.slide_list.select_slide(slide_id)

    def _on_playing_changed(self, playing: bool) -> None:
        self.stop_action.setEnabled(playing or self.player.is_busy)
        if not playing:
            self.timeline.set_playhead(None)
        elif self.player.silent:
            self.statusBar().showMessage(
                self.tr("No sound device was found, so the preview plays without sound."), 6000
            )

    # --- errors, prompts, closing -----------------------------------------------------
    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def show_error(self, message: str) -> QMessageBox:
        """Show the core's one-sentence message (window-modal, does not block)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Lecture Studio", message, parent=self)
        box.setObjectName("errorBox")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.error_box = box
        self.statusBar().showMessage(message, 10000)
        return box

    def ask_to_save(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        return QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The lecture has unsaved changes. Save them first?"),
            buttons,
            QMessageBox.StandardButton.Save,
        )

    def maybe_save(self) -> bool:
        """Whether it is all right to replace or close the lecture (saving if asked)."""
        if not self.document.is_modified:
            return True
        answer = self.ask_to_save()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def offer_recovery(
        self,
        recoveries: list[Recovery],
        ask: Callable[[Recovery], bool] | None = None,
    ) -> bool:
        """After a crash: offer to restore the newest autosave; returns whether one was."""
        if not recoveries:
            return False
        newest, older = recoveries[0], recoveries[1:]
        ask = ask or self._ask_restore
        restored = False
        if ask(newest):
            try:
                self.document.set_project(newest.restore(), modified=True)
                restored = True
                self.statusBar().showMessage(self.tr("The lecture was restored."), 6000)
            except Exception as error:  # noqa: BLE001 - a damaged autosave must not stop start-up
                message = getattr(error, "message", str(error))
                self.show_error(self.tr("The autosave could not be restored: {0}").format(message))
        for recovery in [newest, *older]:
            recovery.discard()
        return restored

    def _ask_restore(self, recovery: Recovery) -> bool:
        title = recovery.title or self.tr("Untitled lecture")
        answer = QMessageBox.question(
            self,
            self.tr("Restore the lecture?"),
            self.tr(
                "Lecture Studio did not close properly last time. Restore the autosaved "
                "copy of \u201c{0}\u201d?"
            ).format(title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_language(self, code: str) -> None:
        self.settings.language = code
        self.statusBar().showMessage(
            self.tr("The language changes the next time Lecture Studio starts."), 8000
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.maybe_save():
            event.ignore()
            return
        self.player.stop()
        for worker in list(self.workers):
            worker.cancel()
        self.autosaver.discard()
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        event.accept()

    # --- dropping files ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if _dropped_path(event, self.importable) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        path = _dropped_path(event, self.importable)
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)


def _dropped_path(event: QDragEnterEvent | QDropEvent, importable: list[str]) -> Path | None:
    """The first dropped local file we can open (a project, or a file ending in one of the
    ``importable`` suffixes)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        suffix = path.suffix.lower()
        if suffix in importable or suffix == BUNDLE_SUFFIX or path.name == "project.json":
            return path
    return None


def _file_stem(title: str) -> str:
    stem = "".join(c for c in title if c not in '\\/:*?"<>|\n').strip()
    return stem[:60] or "lecture"

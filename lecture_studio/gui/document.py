"""The project open in the editor: the core Project, its undo stack, slide pictures, durations."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QUndoStack

from ..model import EditCommand, Lecture, Slide, narration_script
from ..model.estimates import estimated_narration_samples, slide_speech_rate
from ..model.timeline import SAMPLE_RATE, Timeline
from ..narration.choose import VoiceCatalog, spoken_by_voice
from ..narration.voices import voice_id
from ..project import ASSETS_DIR, Project
from ..render.plan import lecture_timeline
from .workers import Worker


@dataclass(frozen=True)
class _SpokenLength:
    """A narration length measured from real audio, valid while the slide's voice is unchanged."""

    key: tuple
    samples: int


def narration_key(slide: Slide, lecture: Lecture, voices: VoiceCatalog | None = None) -> tuple:
    """What a slide's narration depends on; a measured length is stale once this changes.

    The voice, language and rate are the ones the export uses (``slide_voice`` among
    ``voices``); before the voices are listed, the stored choices stand in for them (and the
    script's language is not detected: that loads a model the voice listing loads first)."""
    settings = slide.narration
    if settings.source == "recording":
        return ("recording", settings.recording)
    script = narration_script(slide, lecture)
    if voices is None:
        stored = (settings.voice, lecture.style.voice, slide.language, lecture.language)
        return ("tts", script, stored, slide_speech_rate(slide, lecture))
    choice = voices.slide_voice(lecture, slide)
    spoken_by = voice_id(choice.voice) if choice.voice is not None else None
    return ("tts", script, spoken_by, choice.rate, choice.language)


def picture_key(slide: Slide) -> tuple:
    """What a slide's preview picture shows besides its own content: the generated image placed
    on it. A picture drawn for another key is stale and gets drawn again."""
    spec = slide.imagery
    chosen = spec.variants[spec.chosen] if 0 <= spec.chosen < len(spec.variants) else None
    return (spec.placement, chosen)


def snapshot(project: Project, project_class: type[Project] = Project) -> Project:
    """A copy of the project a background job can read (or draw into) while the teacher keeps
    editing; ``project_class`` lets a job keep track of what it adds."""
    pending = {}
    for name in project.asset_names():
        saved = project.path is not None and (project.path / ASSETS_DIR / name).is_file()
        if not saved:
            pending[name] = project.asset_bytes(name)
    return project_class(
        copy.deepcopy(project.lecture), project.path, pending, list(project.warnings)
    )


class LectureDocument(QObject):
    """Owns the Project shown in the window; widgets listen to its signals and edit through
    ``do()``, so every change is one undoable core command."""

    reset = Signal()  # a different project was opened
    edited = Signal(object)  # an EditCommand was applied or reverted
    images_changed = Signal()  # slide pictures were (re)drawn
    durations_changed = Signal()  # a measured narration length arrived
    voices_changed = Signal()  # the installed voices were listed (``voices``)

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.project: Project = project or Project(Lecture(title="Untitled lecture"))
        self.images: dict[str, QImage] = {}
        self._picture_keys: dict[str, tuple] = {}  # what each picture was drawn with
        self._spoken: dict[str, _SpokenLength] = {}
        #: every voice of the app's engines (plugins' included), listed once by
        #: ``load_voices``; None until then. The voice boxes, Listen and the estimates share it.
        self.voices: VoiceCatalog | None = None
        self._voices_worker: Worker | None = None

    @property
    def lecture(self) -> Lecture:
        return self.project.lecture

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def set_project(self, project: Project, modified: bool = False) -> None:
        """Show another project; the undo history starts afresh."""
        self.project = project
        self.images = {}
        self._picture_keys = {}
        self._spoken = {}
        self.undo_stack.clear()
        self.undo_stack.setClean()
        if modified:  # a restored or new, never saved lecture: closing must ask
            self.undo_stack.resetClean()
        self.reset.emit()

    # --- editing ----------------------------------------------------------------------
    def do(self, command: EditCommand) -> None:
        """Apply a core edit as one undo step."""
        from .undo import EditUndoCommand

        self.undo_stack.push(
            EditUndoCommand(self.lecture, command, self.edited.emit, command.label)
        )

    def do_all(self, label: str, commands: list[EditCommand]) -> None:
        """Apply several core edits as a single undo step."""
        self.undo_stack.beginMacro(label)
        try:
            for command in commands:
                self.do(command)
        finally:
            self.undo_stack.endMacro()

    def save(self, path: Path | None = None) -> Path:
        """Write the bundle (Save, or Save As with ``path``) and mark the history clean."""
        target = self.project.save(path)
        self.undo_stack.setClean()
        return target

    # --- slide pictures ---------------------------------------------------------------
    def set_images(self, images: dict[str, QImage], keys: dict[str, tuple] | None = None) -> None:
        """Show these slide pictures; ``keys`` are the ``picture_key`` each was drawn for
        (default: the slide's key now)."""
        self.images.update(images)
        for slide_id in images:
            if keys is not None and slide_id in keys:
                self._picture_keys[slide_id] = keys[slide_id]
            else:
                self._picture_keys[slide_id] = picture_key(self.lecture.slide(slide_id))
        self.images_changed.emit()

    def missing_images(self) -> list[str]:
        """Slides with no picture yet, or one drawn before their generated image changed (that
        one stays on show until the new one arrives)."""
        return [
            s.id
            for s in self.lecture.slides
            if s.id not in self.images or self._picture_keys.get(s.id) != picture_key(s)
        ]

    # --- voices -----------------------------------------------------------------------
    def load_voices(self) -> Worker:
        """List the installed voices in the background (about 1.5 s: Piper's import), once."""
        if self._voices_worker is not None:
            return self._voices_worker

        def job(progress, cancel) -> VoiceCatalog:
            from ..app import app_registry
            from ..narration.choose import voice_catalog
            from ..text import detected_language

            catalog = voice_catalog(app_registry())  # plugin voices included
            catalog.voices  # noqa: B018 - listed here, on the worker, not on first use
            # Loads the language model here, not on the GUI thread's first slide_voice.
            detected_language("Which language is this sentence written in?")
            return catalog

        worker = Worker(job)
        worker.succeeded.connect(self.set_voices)
        self._voices_worker = worker
        return worker.start()

    def set_voices(self, voices: VoiceCatalog) -> None:
        """Use these voices for the voice boxes, Listen and the estimates."""
        self.voices = voices
        self.voices_changed.emit()
        self.durations_changed.emit()  # estimates now leave out slides no voice speaks

    # --- durations --------------------------------------------------------------------
    def remember_narration_length(self, slide_id: str, key: tuple, samples: int) -> None:
        """Record how long a slide's real narration is (after Listen, Preview or a take)."""
        self.remember_narration_lengths({slide_id: (key, samples)})

    def remember_narration_lengths(self, lengths: dict[str, tuple[tuple, int]]) -> None:
        """Record the real narration lengths of several slides at once (after an export):
        slide id -> (``narration_key`` it was spoken for, samples)."""
        for slide_id, (key, samples) in lengths.items():
            self._spoken[slide_id] = _SpokenLength(key, samples)
        self.durations_changed.emit()

    def narration_lengths(self) -> dict[str, int]:
        """Slide id -> narration samples: measured where still valid, estimated elsewhere."""
        known = {}
        lecture, voices = self.lecture, self.voices
        for slide in lecture.slides:
            spoken = self._spoken.get(slide.id)
            if spoken is not None and spoken.key == narration_key(slide, lecture, voices):
                known[slide.id] = spoken.samples
            elif (
                voices is not None
                and spoken_by_voice(lecture, slide)
                and voices.slide_voice(lecture, slide).voice is None
            ):
                known[slide.id] = 0  # no installed voice speaks its language: the export is silent
        return estimated_narration_samples(lecture, SAMPLE_RATE, known)

    def timeline(self) -> Timeline:
        """The lecture's timeline with today's best knowledge of each narration's length, laid
        out as the export lays it out (narration on the AAC frame grid), so that with every
        length measured its duration is the video's to the sample."""
        return lecture_timeline(self.lecture, self.narration_lengths())

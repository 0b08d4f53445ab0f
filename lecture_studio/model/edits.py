"""Undoable edit commands on a Lecture, and the undo history the CLI and the editor share.

Every command is a small object with ``apply(lecture)`` and ``revert(lecture)``; it finds slides
by id, so a command stays valid after other edits moved things around. The editor wraps each
in a QUndoCommand; the CLI and the tests use :class:`EditHistory` directly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Protocol

from .lecture import Lecture, Slide, new_slide_id


class EditCommand(Protocol):
    """An undoable change to a lecture."""

    label: str

    def apply(self, lecture: Lecture) -> None: ...

    def revert(self, lecture: Lecture) -> None: ...


@dataclass
class InsertSlide:
    """Insert ``slide`` at ``index`` (clamped to the list)."""

    index: int
    slide: Slide
    label: str = "Insert slide"

    def apply(self, lecture: Lecture) -> None:
        index = max(0, min(self.index, len(lecture.slides)))
        lecture.slides.insert(index, self.slide)

    def revert(self, lecture: Lecture) -> None:
        del lecture.slides[lecture.index_of(self.slide.id)]


@dataclass
class DeleteSlide:
    slide_id: str
    label: str = "Delete slide"
    _removed: Slide | None = field(default=None, repr=False)
    _index: int = field(default=-1, repr=False)

    def apply(self, lecture: Lecture) -> None:
        self._index = lecture.index_of(self.slide_id)
        self._removed = lecture.slides.pop(self._index)

    def revert(self, lecture: Lecture) -> None:
        assert self._removed is not None
        lecture.slides.insert(self._index, self._removed)


@dataclass
class MoveSlide:
    """Move a slide so that it ends up at ``to_index``."""

    slide_id: str
    to_index: int
    label: str = "Move slide"
    _from: int = field(default=-1, repr=False)

    def apply(self, lecture: Lecture) -> None:
        self._from = lecture.index_of(self.slide_id)
        slide = lecture.slides.pop(self._from)
        lecture.slides.insert(max(0, min(self.to_index, len(lecture.slides))), slide)

    def revert(self, lecture: Lecture) -> None:
        slide = lecture.slides.pop(lecture.index_of(self.slide_id))
        lecture.slides.insert(self._from, slide)


@dataclass
class DuplicateSlide:
    """Insert a copy of a slide (with a new id) right after it."""

    slide_id: str
    label: str = "Duplicate slide"
    new_id: str = field(default_factory=new_slide_id)

    def apply(self, lecture: Lecture) -> None:
        index = lecture.index_of(self.slide_id)
        twin = copy.deepcopy(lecture.slides[index])
        twin.id = self.new_id
        lecture.slides.insert(index + 1, twin)

    def revert(self, lecture: Lecture) -> None:
        del lecture.slides[lecture.index_of(self.new_id)]


@dataclass
class SetProperty:
    """Set a (dotted) attribute of a slide, or of the lecture when ``slide_id`` is None.

    Examples: ``SetProperty("ab12", "transition.kind", "crossfade")``,
    ``SetProperty(None, "output.fps", 25)``.
    """

    slide_id: str | None
    path: str
    value: Any
    label: str = ""
    _old: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.label:
            self.label = f"Change {self.path.replace('.', ' ')}"

    def _target(self, lecture: Lecture) -> tuple[Any, str]:
        obj: Any = lecture if self.slide_id is None else lecture.slide(self.slide_id)
        *parents, leaf = self.path.split(".")
        for name in parents:
            obj = getattr(obj, name)
        if not hasattr(obj, leaf):
            raise AttributeError(f"{type(obj).__name__} has no property {leaf!r}")
        return obj, leaf

    def apply(self, lecture: Lecture) -> None:
        obj, leaf = self._target(lecture)
        self._old = copy.deepcopy(getattr(obj, leaf))
        setattr(obj, leaf, copy.deepcopy(self.value))

    def revert(self, lecture: Lecture) -> None:
        obj, leaf = self._target(lecture)
        setattr(obj, leaf, self._old)


def HideSlide(slide_id: str, hidden: bool = True) -> SetProperty:  # noqa: N802 - reads as a command
    """Hide (or show) a slide in the video; it stays in the project."""
    return SetProperty(slide_id, "hidden", hidden, label="Hide slide" if hidden else "Show slide")


def EditScript(slide_id: str, script: str) -> SetProperty:  # noqa: N802 - reads as a command
    """Replace a slide's narration script."""
    return SetProperty(slide_id, "script", script, label="Edit narration")


class EditHistory:
    """A linear undo/redo history over one lecture, with a clean mark for "unsaved changes"."""

    def __init__(self, lecture: Lecture) -> None:
        self.lecture = lecture
        self._done: list[EditCommand] = []
        self._undone: list[EditCommand] = []
        self._clean_depth: int | None = 0

    def do(self, command: EditCommand) -> None:
        command.apply(self.lecture)
        self._done.append(command)
        self._undone.clear()
        if self._clean_depth is not None and self._clean_depth > len(self._done) - 1:
            self._clean_depth = None  # the saved state can no longer be reached

    def undo(self) -> EditCommand | None:
        if not self._done:
            return None
        command = self._done.pop()
        command.revert(self.lecture)
        self._undone.append(command)
        return command

    def redo(self) -> EditCommand | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        command.apply(self.lecture)
        self._done.append(command)
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def mark_clean(self) -> None:
        self._clean_depth = len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_depth == len(self._done)

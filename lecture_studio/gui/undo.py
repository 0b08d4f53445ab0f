"""QUndoCommand wrappers around the core's edit commands, so Qt's undo stack drives the model."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..model import EditCommand, Lecture, SetProperty

# Consecutive edits of the same slide's script (or image prompt) merge into one undo step
# (typing a sentence).
_TYPING_MERGE_ID = 1
_TYPED_PATHS = ("script", "imagery.prompt")


class EditUndoCommand(QUndoCommand):
    """One core edit on Qt's undo stack; ``notify(command)`` runs after every apply/revert."""

    def __init__(
        self,
        lecture: Lecture,
        command: EditCommand,
        notify: Callable[[EditCommand], None],
        text: str,
    ) -> None:
        super().__init__(text)
        self.lecture = lecture
        self.command = command
        self._notify = notify

    def redo(self) -> None:
        self.command.apply(self.lecture)
        self._notify(self.command)

    def undo(self) -> None:
        self.command.revert(self.lecture)
        self._notify(self.command)

    def id(self) -> int:  # noqa: A003 - Qt's name
        command = self.command
        if isinstance(command, SetProperty) and command.path in _TYPED_PATHS:
            return _TYPING_MERGE_ID
        return -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        """Typing in the script or prompt editor: keep the first edit's old text, take the
        newest text."""
        if not isinstance(other, EditUndoCommand):
            return False
        mine, theirs = self.command, other.command
        if not (isinstance(mine, SetProperty) and isinstance(theirs, SetProperty)):
            return False
        if mine.slide_id != theirs.slide_id or mine.path != theirs.path:
            return False
        mine.value = theirs.value
        return True

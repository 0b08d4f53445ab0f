"""Lecture > Properties: the lecture's own transition, and whether the deck's are used."""

from __future__ import annotations

from lecture_studio.gui.document import LectureDocument
from lecture_studio.gui.lecture_dialog import LecturePropertiesDialog
from lecture_studio.model import Lecture, Slide, TransitionSpec
from lecture_studio.project import Project


def test_dialog_sets_the_lecture_transition_and_deck_choice_as_one_undo_step(qtbot):
    document = LectureDocument(Project(Lecture(slides=[Slide(), Slide()])))
    dialog = LecturePropertiesDialog(document)
    qtbot.addWidget(dialog)
    assert dialog.deck_transitions.isChecked()  # as in the deck, by default
    assert dialog.chosen_transition() == TransitionSpec("crossfade", 0.5)

    dialog.transition.setCurrentIndex(dialog.transition.findData("push-left"))
    dialog.transition_seconds.setValue(0.8)
    dialog.deck_transitions.setChecked(False)
    dialog.accept()
    style = document.lecture.style
    assert style.transition == TransitionSpec("push-left", 0.8)
    assert style.deck_transitions is False
    assert document.undo_stack.undoText() == "Change lecture properties"

    document.undo_stack.undo()
    assert style.transition == TransitionSpec("crossfade", 0.5) and style.deck_transitions

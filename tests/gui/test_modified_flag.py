"""Only an edit marks the lecture modified: a freshly opened deck, outline or project shows no
``*`` in the title and closing it does not ask to save; an edit does, and undoing it back to
the opened state clears the mark again."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from lecture_studio.gui.main_window import MainWindow  # noqa: E402
from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

TWO_SLIDE_DECK = "poi__SampleShow.pptx"
WAIT_MS = 60_000


def _outline(tmp_path: Path) -> Path:
    path = tmp_path / "photosynthesis.md"
    path.write_text(
        "# Photosynthesis\n\n- Light reactions\n- Calvin cycle\n\n"
        "# Summary\n\n- Plants store energy\n",
        encoding="utf-8",
    )
    return path


def _project(tmp_path: Path) -> Path:
    lecture = Lecture(
        title="Saved lecture",
        slides=[Slide(id="a", title="One", script="First words."), Slide(id="b", title="Two")],
    )
    return Project(lecture).save(tmp_path / "saved.lecture")


def _open_and_settle(qtbot, window: MainWindow, path: Path) -> None:
    """Open ``path`` and wait for everything opening starts: the load, the slide pictures and
    the voice listing (whose arrival refreshes the voice boxes)."""
    window.open_file(path)
    qtbot.waitUntil(lambda: window.load_worker is None, timeout=WAIT_MS)
    assert window.document.lecture.slides, f"{path.name} did not open"
    qtbot.waitUntil(
        lambda: (
            window.render_worker is None
            and not window.document.missing_images()
            and window.document.voices is not None
        ),
        timeout=WAIT_MS,
    )


@pytest.mark.parametrize("kind", ["deck", "outline", "project"])
def test_a_freshly_opened_lecture_is_not_modified_until_edited(
    qtbot, window, corpus, tmp_path, kind
):
    path = {
        "deck": lambda: corpus / TWO_SLIDE_DECK,
        "outline": lambda: _outline(tmp_path),
        "project": lambda: _project(tmp_path),
    }[kind]()
    _open_and_settle(qtbot, window, path)
    assert not window.document.is_modified
    assert not window.isWindowModified()  # no "*" in the title
    asked = []
    window.ask_to_save = lambda: asked.append(True) or QMessageBox.StandardButton.Cancel
    assert window.maybe_save()  # closing or opening another file goes ahead without asking
    assert asked == []

    window.slide_list.setCurrentRow(0)
    window.narration.text.setPlainText("Words the teacher typed.")
    assert window.document.is_modified and window.isWindowModified()
    assert not window.maybe_save()  # now closing asks (and the test's answer is Cancel)
    assert asked == [True]

    window.undo_action.trigger()  # back to the state as opened: the undo stack's clean state
    assert not window.document.is_modified and not window.isWindowModified()
    window.redo_action.trigger()
    assert window.isWindowModified()


def test_a_restored_autosave_stays_modified(qtbot, window):
    """The one exception: a lecture restored after a crash exists only in the recovery folder,
    so closing it must still offer to save."""
    window.document.set_project(Project(Lecture(slides=[Slide(id="a")])), modified=True)
    assert window.document.is_modified and window.isWindowModified()

"""Slide problems in view: a badge on the thumbnail with the sentence as its tooltip, and the
Problems panel whose rows select their slide; one test per kind of problem the export notes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

# The deck, the fake English-only engine and the German script of the core's tests.
from render.test_problems import (  # noqa: E402
    GERMAN,
    deck_with_a_broken_picture,
    english_only_voices,
    fixed,
)

from lecture_studio.gui.slide_list import (  # noqa: E402
    BADGE_COLOR,
    BADGE_DIAMETER,
    PROBLEMS_ROLE,
    THUMBNAIL_SIZE,
)
from lecture_studio.model import Lecture, SetProperty, Slide  # noqa: E402
from lecture_studio.project import Project  # noqa: E402
from lecture_studio.slides import builtin as builtin_module  # noqa: E402
from lecture_studio.slides.fonts import FontFace, FontFamily  # noqa: E402

WAIT_MS = 60_000


def sentences(window, row: int) -> list[str]:
    return list(window.slide_list.item(row).data(PROBLEMS_ROLE) or [])


def has_badge(window, row: int) -> bool:
    """Whether the thumbnail shows the amber badge (a point of its disc beside the "!")."""
    image = window.slide_list.item(row).icon().pixmap(THUMBNAIL_SIZE).toImage()
    radius = BADGE_DIAMETER // 2
    x, y = THUMBNAIL_SIZE.width() - 2 - radius - 6, 2 + radius
    color = image.pixelColor(x, y)
    return _close(color, BADGE_COLOR)


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 30


def show(qtbot, window, *slides: Slide, **lecture_fields) -> Project:
    project = Project(Lecture(slides=list(slides), **lecture_fields))
    window.document.set_project(project)
    qtbot.waitUntil(
        lambda: window.render_worker is None and not window.document.missing_images(),
        timeout=WAIT_MS,
    )
    return project


def test_a_picture_without_image_data_badges_its_slide_and_the_panel_selects_it(
    qtbot, window, tmp_path: Path, gui_thread_heavy_calls
):
    deck = deck_with_a_broken_picture(tmp_path / "cells.pptx")
    with gui_thread_heavy_calls() as heavy:
        window.open_file(deck)
        qtbot.waitUntil(lambda: window.load_worker is None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bool(sentences(window, 1)), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.render_worker is None, timeout=WAIT_MS)
    assert heavy == []  # the problems are judged without rendering or speaking on the GUI thread
    assert sentences(window, 1) == ["Slide 2: skipped a picture without image data."]
    assert sentences(window, 0) == []
    assert has_badge(window, 1) and not has_badge(window, 0)
    tooltip = window.slide_list.item(1).toolTip()
    assert tooltip.startswith("2. Micrograph") and "without image data" in tooltip

    panel = window.problems_dock.panel
    assert window.problems_dock.isVisible()
    assert window.problems_dock.windowTitle() == "Problems (1)"
    micrograph = window.document.lecture.slides[1].id
    assert panel.row_slide_ids() == [micrograph]
    assert window.slide_list.current_slide_id() != micrograph
    row = panel.tree.topLevelItem(0)
    assert row.text(0) == "Slide 2" and row.text(1).endswith("without image data.")
    rect = panel.tree.visualItemRect(row)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.slide_list.current_slide_id() == micrograph
    assert window.preview.slide_id == micrograph


def test_text_no_installed_font_shows_badges_its_slide(qtbot, window, monkeypatch):
    no_cjk = FontFamily(FontFace(None), FontFace(None))
    monkeypatch.setattr(builtin_module, "font_family", lambda language: no_cjk)
    show(qtbot, window, Slide(title="Photosynthesis"), Slide(title="光合成"), language="ja")
    qtbot.waitUntil(lambda: bool(sentences(window, 1)), timeout=WAIT_MS)
    (sentence,) = sentences(window, 1)
    assert sentence.startswith("Slide 2 has Chinese or Japanese text but no CJK font")
    assert "apt-get install fonts-noto-cjk" in sentence
    assert has_badge(window, 1) and not has_badge(window, 0)
    assert sentence in window.slide_list.item(1).toolTip()


def test_a_slide_no_installed_voice_speaks_is_badged_until_it_is_given_english(qtbot, window):
    qtbot.waitUntil(lambda: window.document.voices is not None, timeout=WAIT_MS)
    window.document.set_voices(english_only_voices())
    english = Slide(title="Light", script="Plants turn sunlight into sugar.")
    german = Slide(title="Licht", script=GERMAN)
    show(qtbot, window, english, german, language="en")
    qtbot.waitUntil(lambda: bool(sentences(window, 1)), timeout=WAIT_MS)
    (sentence,) = sentences(window, 1)
    assert sentence.startswith("Slide 2 is in German, which no installed voice speaks")
    assert "install a voice that speaks German" in sentence
    assert has_badge(window, 1) and not has_badge(window, 0)
    tree = window.problems_dock.panel.tree
    line = tree.fontMetrics().height()
    qtbot.waitUntil(  # the whole sentence is shown, wrapped, never cut short
        lambda: tree.visualItemRect(tree.topLevelItem(0)).height() >= 2 * line, timeout=WAIT_MS
    )

    window.document.do(SetProperty(german.id, "script", "Plants store the sugar as starch."))
    qtbot.waitUntil(lambda: not sentences(window, 1), timeout=WAIT_MS)
    assert not has_badge(window, 1)
    assert window.problems_dock.panel.row_slide_ids() == []


def test_a_slide_that_flashes_by_is_badged_and_a_longer_length_clears_it(qtbot, window):
    quick = fixed(Slide(title="Quick"), 0.8)
    show(qtbot, window, Slide(title="Welcome"), quick)
    qtbot.waitUntil(lambda: bool(sentences(window, 1)), timeout=WAIT_MS)
    (sentence,) = sentences(window, 1)
    assert sentence.startswith("Slide 2 is on screen for only 0.8 s, too short to take in")
    assert has_badge(window, 1)

    window.document.do(SetProperty(quick.id, "duration.seconds", 3.0))
    qtbot.waitUntil(lambda: not sentences(window, 1), timeout=WAIT_MS)
    assert not has_badge(window, 1)
    rows = window.problems_dock.panel.tree
    assert rows.topLevelItem(0).text(1) == "No problems found in the slides."
    assert window.problems_dock.windowTitle() == "Problems"

    window.document.undo_stack.undo()  # the badge comes back with the short length
    qtbot.waitUntil(lambda: bool(sentences(window, 1)), timeout=WAIT_MS)
    assert has_badge(window, 1)


def test_badges_follow_their_slide_when_it_moves(qtbot, window):
    from lecture_studio.model import MoveSlide

    quick = fixed(Slide(title="Quick"), 0.8)
    show(qtbot, window, Slide(title="Welcome"), Slide(title="Middle"), quick)
    qtbot.waitUntil(lambda: bool(sentences(window, 2)), timeout=WAIT_MS)
    window.document.do(MoveSlide(quick.id, 0))
    assert window.slide_list.item(0).text() == "1. Quick"
    qtbot.waitUntil(
        lambda: sentences(window, 0)[:1] != [] and sentences(window, 0)[0].startswith("Slide 1 "),
        timeout=WAIT_MS,
    )
    assert sentences(window, 0)[0].startswith("Slide 1 is on screen for only 0.8 s")
    assert has_badge(window, 0) and not has_badge(window, 2)
    assert window.problems_dock.panel.tree.topLevelItem(0).text(0) == "Slide 1"

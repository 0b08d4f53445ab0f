"""Help menu (About, Plugins), plugins' transitions in the properties panel, and the large
preview showing a slide's generated image as the video will."""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from lecture_studio import __version__  # noqa: E402
from lecture_studio.app import set_app_registry  # noqa: E402
from lecture_studio.gui.main_window import MainWindow  # noqa: E402
from lecture_studio.gui.settings import EditorSettings  # noqa: E402
from lecture_studio.gui.transition_preview import image_to_array  # noqa: E402
from lecture_studio.gui.workers import Worker  # noqa: E402
from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock, TransitionSpec  # noqa: E402
from lecture_studio.project import Project  # noqa: E402
from lecture_studio.render.compose import compose_slide_picture  # noqa: E402
from lecture_studio.slides import render_slide_images  # noqa: E402

WAIT_MS = 60_000
RED = (230, 20, 20)

# Each plugin notes in LOG whether it was imported on the GUI thread.
SPOTTED = """\
import os, threading
with open(os.path.join(os.path.dirname(os.path.dirname(__file__)), "LOG"), "a") as log:
    on_gui = threading.current_thread() is threading.main_thread()
    log.write(f"{__name__} main-thread={on_gui}\\n")
"""

HALF_SPLIT = (
    SPOTTED
    + """
from dataclasses import dataclass

@dataclass(frozen=True)
class Half:
    duration: float = 0.5
    easing: str = "linear"
    def frame(self, a, b, progress):
        out = a.copy()
        if progress >= 0.5:
            out[:, out.shape[1] // 2:] = b[:, out.shape[1] // 2:]
        return out

def register(registrar):
    registrar.add_transition("half-split", Half, "the right half changes first")
"""
)

BROKEN = SPOTTED + 'raise RuntimeError("no numpy here")\n'


def write_plugin(folder: Path, package: str, name: str, kinds: str, code: str) -> None:
    path = folder / package
    path.mkdir(parents=True)
    manifest = f'[plugin]\nname = "{name}"\nversion = "0.3"\napi_version = 1\nkinds = {kinds}\n'
    (path / "plugin.toml").write_text(manifest, encoding="utf-8")
    (path / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch) -> Path:
    """A plugin folder with a working transition plugin and one that fails to import."""
    folder = tmp_path / "plugins"
    write_plugin(folder, "half", "half", '["transition"]', HALF_SPLIT)
    write_plugin(folder, "broken", "broken-thing", '["transition"]', BROKEN)
    monkeypatch.setenv("LECTURE_STUDIO_PLUGIN_PATH", str(folder))
    set_app_registry(None)  # built again from the environment on first use
    yield folder
    set_app_registry(None)
    for module in ("lecture_studio_plugin_half", "lecture_studio_plugin_broken_thing"):
        sys.modules.pop(module, None)


def plugin_log(folder: Path) -> list[str]:
    log = folder / "LOG"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def drawn(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.render_worker is None and not window.document.missing_images(),
        timeout=WAIT_MS,
    )


def lecture(count: int = 2) -> Project:
    slides = [
        Slide(title=f"Topic {n}", body=[TextBlock([Paragraph("Short"), Paragraph("Text")])])
        for n in range(1, count + 1)
    ]
    return Project(Lecture(title="Preview", slides=slides))


def red_asset(project: Project) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), RED).save(buffer, "PNG")
    return project.add_asset(buffer.getvalue(), ".png")


def redness(pixels: np.ndarray) -> float:
    p = pixels.reshape(-1, 3).astype(float)
    return float(np.mean(p[:, 0] - (p[:, 1] + p[:, 2]) / 2))


# --- Help menu --------------------------------------------------------------------------------


def test_help_about_shows_the_version_and_the_license(qtbot, window):
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[-1] == "&Help"
    window.about_action.trigger()
    dialog = window.about_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.windowTitle() == "About Lecture Studio"
    assert f"Lecture Studio {__version__}" in dialog.versions.text()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "License",
        "Third-party notices",
    ]
    dialog.close()


def test_help_plugins_lists_a_failing_plugin_with_its_reason_loaded_off_the_gui_thread(
    qtbot, plugin_folder, window
):
    assert plugin_log(plugin_folder) == []  # nothing imported at start-up
    window.plugins_action.trigger()
    dialog = window.plugins_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.listing is not None, timeout=WAIT_MS)

    broken = dialog.row_texts("broken-thing")
    assert broken[0] == "broken-thing | 0.3 | Plugin folder | Failed"
    assert any(
        "Why: RuntimeError: no numpy here (at __init__.py, line" in line for line in broken
    ), broken
    half = dialog.row_texts("half")
    assert half[0] == "half | 0.3 | Plugin folder | Loaded"
    assert "Transitions: half-split" in half
    own = dialog.row_texts("lecture-studio")
    assert own[0].endswith("| Built in | Loaded")
    assert any(line.startswith("Transitions: cut, crossfade") for line in own)
    assert str(plugin_folder) in dialog.summary.text()
    # Both plugins were imported to list them, and never on the GUI thread.
    log = plugin_log(plugin_folder)
    assert len(log) == 2 and all(line.endswith("main-thread=False") for line in log), log
    dialog.close()


# --- transitions from plugins -----------------------------------------------------------------


def test_plugin_transitions_are_listed_when_the_list_is_first_wanted(qtbot, plugin_folder, window):
    project = lecture()
    project.lecture.slides[1].title = "A much longer second title that fills the whole width"
    window.document.set_project(project)
    drawn(qtbot, window)
    window.slide_list.setCurrentRow(0)
    combo = window.properties.transition_kind
    assert combo.findData("crossfade") > 0 and combo.findData("half-split") < 0
    assert plugin_log(plugin_folder) == []  # not looked up at start-up

    combo.showPopup()
    qtbot.waitUntil(lambda: combo.findData("half-split") >= 0, timeout=WAIT_MS)
    combo.hidePopup()
    index = combo.findData("half-split")
    assert combo.itemText(index) == "Half split"
    assert "From the plugin half" in combo.itemData(index, 3)  # tooltip role
    assert all(line.endswith("main-thread=False") for line in plugin_log(plugin_folder))

    combo.setCurrentIndex(index)
    slide = window.document.lecture.slides[0]
    # the length shown beside "Lecture default" is kept: the lecture's 0.5 s crossfade's
    assert slide.transition == TransitionSpec("half-split", 0.5)
    preview = window.properties.transition_preview
    qtbot.waitUntil(lambda: not preview.playing, timeout=5000)
    first, last = preview.frames[0], preview.frames[-1]
    width = first.shape[1]
    assert np.array_equal(last[:, : width // 2], first[:, : width // 2])  # the left half stays
    assert not np.array_equal(last[:, width // 2 :], first[:, width // 2 :])


# --- the preview shows the generated image ----------------------------------------------------


def test_the_preview_shows_the_chosen_image_placed_as_in_the_video(qtbot, window):
    project = lecture()
    slide = project.lecture.slides[0]
    slide.imagery.variants, slide.imagery.chosen = [red_asset(project)], 0
    slide.imagery.placement = "beside"
    window.document.set_project(project)
    drawn(qtbot, window)
    window.slide_list.setCurrentRow(0)

    def preview_pixels() -> np.ndarray:
        image = window.document.images[slide.id]
        return image_to_array(image, image.size())

    shown = preview_pixels()
    rendered = render_slide_images(project, size=(shown.shape[1], shown.shape[0]))
    plain = np.asarray(rendered[slide.id])
    expected, notes = compose_slide_picture(project, slide, rendered.drawn[slide.id])
    assert not notes
    assert np.array_equal(shown, expected)  # the same picture the export composes
    right_half = shown[150:400, 600:900]
    assert redness(right_half) > 150 and redness(plain[150:400, 600:900]) < 5
    grabbed = window.preview.grab().toImage()
    on_screen = image_to_array(grabbed, grabbed.size())
    assert redness(on_screen) > 20  # the red picture is in the widget the teacher sees

    panel = window.imagery_panel
    panel.placement.setCurrentIndex(panel.placement.findData("none"))
    assert window.document.undo_stack.undoText() == "Change image placement"
    drawn(qtbot, window)
    assert np.array_equal(preview_pixels(), plain)  # not shown: the slide alone

    window.undo_action.trigger()
    drawn(qtbot, window)
    assert np.array_equal(preview_pixels(), expected)
    other = window.document.lecture.slides[1]
    other_image = window.document.images[other.id]
    assert redness(image_to_array(other_image, other_image.size())) < 5


def test_a_slide_asking_for_an_image_it_does_not_have_says_so_in_the_status_bar(qtbot, window):
    project = lecture()
    project.lecture.slides[1].imagery.placement = "background"
    window.document.set_project(project)
    drawn(qtbot, window)
    message = window.statusBar().currentMessage()
    assert "Slide 2 asks for a generated image but none has been drawn yet" in message


def test_the_help_menu_and_the_plugins_dialog_speak_japanese(qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from lecture_studio.gui.i18n import install_translators, remove_translators
    from lecture_studio.gui.plugins_dialog import PluginsDialog

    app = QCoreApplication.instance()
    translators = install_translators(app, "ja")
    try:
        settings = EditorSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings, recovery_dir=tmp_path / "recovery")
        qtbot.addWidget(window)
        assert window.menuBar().actions()[-1].text() == "ヘルプ(&H)"
        assert window.plugins_action.text() == "プラグイン(&P)..."
        assert window.about_action.text() == "Lecture Studio について(&A)"
        motion = window.properties.motion
        assert motion.itemText(motion.findData("")) == "講義の既定値"
        dialog = PluginsDialog(window)
        qtbot.waitUntil(lambda: dialog.listing is not None, timeout=WAIT_MS)
        assert dialog.windowTitle() == "プラグイン"
        assert dialog.row_texts("lecture-studio")[0].endswith("| 組み込み | 読み込み済み")
    finally:
        remove_translators(app, translators)
    qtbot.waitUntil(lambda: Worker.active_count() == 0, timeout=WAIT_MS)

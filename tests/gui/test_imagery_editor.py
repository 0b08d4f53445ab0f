"""The editor's imagery, transition preview and motion controls, driven as a teacher would."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from lecture_studio.gui.main_window import MainWindow  # noqa: E402
from lecture_studio.gui.settings import EditorSettings  # noqa: E402
from lecture_studio.gui.transition_preview import PREVIEW_FPS, image_to_array  # noqa: E402
from lecture_studio.gui.workers import Worker  # noqa: E402
from lecture_studio.imagery import ModelNotFoundError, ProceduralGenerator  # noqa: E402
from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

WAIT_MS = 60_000
MISSING = (
    "The image model nobody/missing is not on this computer; run `lecture-studio models "
    "download nobody/missing` on a machine with internet."
)


def outline_lecture(count: int, generator: str = "procedural") -> Project:
    slides = [
        Slide(
            title=f"Topic {n}",
            body=[TextBlock([Paragraph(f"Point {n}a"), Paragraph(f"Point {n}b")])],
            script=f"This is slide {n}.",
        )
        for n in range(1, count + 1)
    ]
    lecture = Lecture(title="Imagery", slides=slides)
    lecture.style.imagery_generator = generator
    return Project(lecture)


def open_lecture(qtbot, window: MainWindow, project: Project) -> None:
    window.document.set_project(project)
    qtbot.waitUntil(
        lambda: window.render_worker is None and not window.document.missing_images(),
        timeout=WAIT_MS,
    )
    window.slide_list.setCurrentRow(0)


def wait_for_generation(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.imagery.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: Worker.active_count() <= 1, timeout=WAIT_MS)  # the voices lookup


def test_generate_images_action_adds_assets_and_one_undo_step(qtbot, window):
    open_lecture(qtbot, window, outline_lecture(3))
    slides = window.document.lecture.slides
    window.generate_images_action.trigger()
    wait_for_generation(qtbot, window)
    project = window.document.project
    for slide in slides:
        assert len(slide.imagery.variants) == 1 and slide.imagery.chosen == 0
        assert slide.imagery.placement == "background"  # outline slides: full-bleed
        image = Image.open(io.BytesIO(project.asset_bytes(slide.imagery.variants[0])))
        assert image.size == (1024, 576)
    assert len({s.imagery.variants[0] for s in slides}) == 3  # each slide its own picture
    dialog = window.imagery.dialog
    assert dialog.shown == {s.id for s in slides}  # a preview arrived for every slide
    assert "3 of 3" in dialog.status.text()
    stack = window.document.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Generate images"
    assert window.imagery_panel.variants.count() == 1

    window.undo_action.trigger()
    for slide in slides:
        assert slide.imagery.variants == [] and slide.imagery.chosen == -1
        assert slide.imagery.placement == "none"
    assert window.imagery_panel.variants.count() == 0
    assert window.imagery_panel.no_variants.isVisibleTo(window)

    window.redo_action.trigger()
    assert all(s.imagery.chosen == 0 for s in slides)
    window.generate_images_action.trigger()  # nothing changed: nothing is drawn again
    wait_for_generation(qtbot, window)
    assert stack.count() == 1
    assert "0 of 3" in window.imagery.dialog.status.text()


class GatedGenerator(ProceduralGenerator):
    """Draws the first image at once, then waits (still cancellable) for a gate."""

    def __init__(self, palette) -> None:
        super().__init__(palette)
        self.calls = 0
        self.gate = threading.Event()

    def generate(self, prompt, negative, size, seed, steps, guidance, progress, cancel):
        self.calls += 1
        if self.calls > 1:
            while not self.gate.wait(0.01):
                cancel.check()
        return super().generate(prompt, negative, size, seed, steps, guidance, progress, cancel)


def test_cancelling_midway_keeps_the_images_drawn_so_far(qtbot, window, monkeypatch):
    open_lecture(qtbot, window, outline_lecture(4))
    generator = GatedGenerator(["#336699", "#cc6633"])
    monkeypatch.setattr(
        "lecture_studio.imagery.generator_for_lecture", lambda lecture, **kw: generator
    )
    window.generate_images_action.trigger()
    dialog = window.imagery.dialog
    qtbot.waitUntil(lambda: len(dialog.shown) == 1, timeout=WAIT_MS)
    assert window.imagery.running
    dialog.cancel_button.click()
    wait_for_generation(qtbot, window)
    slides = window.document.lecture.slides
    assert [len(s.imagery.variants) for s in slides] == [1, 0, 0, 0]
    assert window.document.project.has_asset(slides[0].imagery.variants[0])
    assert "Cancelled: 1 of 4" in dialog.status.text()
    assert dialog.cancel_button.text() == "Close"
    window.undo_action.trigger()
    assert slides[0].imagery.variants == []


def test_another_variant_and_picking_a_variant_are_undoable(qtbot, window):
    open_lecture(qtbot, window, outline_lecture(2))
    slide, other = window.document.lecture.slides
    window.generate_slide_image_action.trigger()
    wait_for_generation(qtbot, window)
    assert len(slide.imagery.variants) == 1 and other.imagery.variants == []
    window.another_variant_action.trigger()
    wait_for_generation(qtbot, window)
    assert len(slide.imagery.variants) == 2 and slide.imagery.chosen == 1
    first, second = (window.document.project.asset_bytes(n) for n in slide.imagery.variants)
    assert first != second
    assert other.imagery.variants == []  # another variant changes only this slide

    picker = window.imagery_panel.variants
    assert picker.count() == 2 and picker.currentRow() == 1
    picker.setCurrentRow(0)  # the teacher clicks the first thumbnail
    assert slide.imagery.chosen == 0
    assert window.document.undo_stack.undoText() == "Pick image variant"
    window.undo_action.trigger()
    assert slide.imagery.chosen == 1 and picker.currentRow() == 1
    window.undo_action.trigger()  # the variant itself
    assert len(slide.imagery.variants) == 1 and slide.imagery.chosen == 0


def test_a_missing_model_shows_the_message_and_offers_abstract_shapes(qtbot, window, monkeypatch):
    open_lecture(qtbot, window, outline_lecture(2, generator="diffusers"))

    def missing(model, models_folder=None):
        raise ModelNotFoundError(MISSING)

    monkeypatch.setattr("lecture_studio.imagery.diffusers_generator.resolve_model", missing)
    window.generate_images_action.trigger()
    qtbot.waitUntil(lambda: window.imagery.error_box is not None, timeout=WAIT_MS)
    box = window.imagery.error_box
    assert box.isVisible()
    assert box.text() == MISSING
    assert "Abstract shapes (no AI model)" in box.informativeText()
    assert window.document.lecture.slides[0].imagery.variants == []
    qtbot.waitUntil(lambda: not window.imagery.running, timeout=WAIT_MS)
    assert not window.imagery.dialog.isVisible()

    box.findChild(type(box.buttons()[0]), "useProcedural").click()
    wait_for_generation(qtbot, window)
    lecture = window.document.lecture
    assert lecture.style.imagery_generator == "procedural"
    assert all(len(s.imagery.variants) == 1 for s in lecture.slides)
    assert window.imagery_panel.generator_choice.currentData() == "procedural"


def test_prompt_is_prefilled_editable_and_hints_english_for_other_languages(qtbot, window):
    project = outline_lecture(2)
    project.lecture.slides[1].title = "光合成のしくみ"
    project.lecture.slides[1].body = [TextBlock([Paragraph("葉緑体で光を受け取る")])]
    open_lecture(qtbot, window, project)
    panel = window.imagery_panel
    assert panel.prompt.toPlainText().startswith("Topic 1, Point 1a")
    assert "flat vector illustration" in panel.prompt.toPlainText()
    assert not panel.english_hint.isVisibleTo(window)

    window.slide_list.setCurrentRow(1)
    assert panel.prompt.toPlainText().startswith("光合成のしくみ")
    assert panel.english_hint.isVisibleTo(window)
    panel.prompt.setFocus()
    panel.prompt.selectAll()
    qtbot.keyClicks(panel.prompt, "a leaf in sunlight")
    slide = window.document.lecture.slides[1]
    assert slide.imagery.prompt == "a leaf in sunlight"
    assert window.document.undo_stack.count() == 1  # typing merges into one step
    assert not panel.english_hint.isVisibleTo(window)

    panel.style_choice.activated.emit(panel.style_choice.findData("watercolor"))
    assert window.document.lecture.style.imagery_style == "watercolor"
    window.slide_list.setCurrentRow(0)
    assert "watercolor" in panel.prompt.toPlainText()
    window.undo_action.trigger()
    assert window.document.lecture.style.imagery_style == "flat illustration"
    window.undo_action.trigger()
    assert slide.imagery.prompt is None


def test_transition_preview_plays_frames_from_this_slide_into_the_next(qtbot, window):
    open_lecture(qtbot, window, outline_lecture(2))
    first, second = (s.id for s in window.document.lecture.slides)
    preview = window.properties.transition_preview
    combo = window.properties.transition_kind
    combo.setCurrentIndex(combo.findData("push-left"))
    assert preview.playing
    qtbot.waitUntil(lambda: not preview.playing, timeout=5000)
    seconds = window.document.lecture.slides[0].transition.duration
    assert len(preview.frames) == round(seconds * PREVIEW_FPS) + 1
    size = preview.frame_size()
    a = image_to_array(window.document.images[first], size)
    b = image_to_array(window.document.images[second], size)
    assert not np.array_equal(a, b)
    assert np.array_equal(preview.frames[0], a)
    assert np.array_equal(preview.frames[-1], b)
    middle = preview.frames[len(preview.frames) // 2]
    assert not np.array_equal(middle, a) and not np.array_equal(middle, b)

    window.properties.transition_seconds.setValue(1.0)
    window.properties.transition_seconds.editingFinished.emit()
    assert preview.playing  # a new length plays again
    qtbot.waitUntil(lambda: not preview.playing, timeout=5000)
    assert len(preview.frames) == PREVIEW_FPS + 1


def test_motion_choices_are_lecture_default_still_and_ken_burns_and_undoable(qtbot, window):
    open_lecture(qtbot, window, outline_lecture(2))
    slide = window.document.lecture.slides[0]
    motion = window.properties.motion
    assert [motion.itemData(i) for i in range(motion.count())] == ["", "none", "ken-burns"]
    assert slide.motion is None and motion.currentData() == ""  # follows the lecture
    motion.setCurrentIndex(motion.findData("ken-burns"))
    assert slide.motion == "ken-burns"
    assert window.document.undo_stack.undoText() == "Change motion"
    motion.setCurrentIndex(motion.findData("none"))  # off, even if the lecture moves
    assert slide.motion == "none"
    window.undo_action.trigger()
    assert slide.motion == "ken-burns" and motion.currentData() == "ken-burns"
    window.undo_action.trigger()
    assert slide.motion is None
    assert motion.currentData() == ""
    window.redo_action.trigger()
    assert slide.motion == "ken-burns" and motion.currentData() == "ken-burns"
    motion.setCurrentIndex(0)
    assert slide.motion is None  # back to the lecture default


def test_generation_runs_off_the_gui_thread(qtbot, window, gui_thread_heavy_calls):
    """While four slide images are drawn and applied, the GUI thread never enters a generator
    (nor torch): only the finished images reach it. (``benchmarks/gui_stalls.py`` measures
    the stalls themselves.)"""
    open_lecture(qtbot, window, outline_lecture(4))
    with gui_thread_heavy_calls() as calls:
        window.generate_images_action.trigger()
        wait_for_generation(qtbot, window)
        qtbot.wait(50)
        assert all(len(s.imagery.variants) == 1 for s in window.document.lecture.slides)
    assert calls == [], f"the GUI thread ran heavy code: {sorted(set(calls))[:10]}"


def test_imagery_controls_speak_japanese(qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from lecture_studio.gui.i18n import install_translators, remove_translators

    app = QCoreApplication.instance()
    translators = install_translators(app, "ja")
    try:
        settings = EditorSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings, recovery_dir=tmp_path / "recovery")
        qtbot.addWidget(window)
        assert window.generate_images_action.text() == "画像を生成(&G)"
        motion = window.properties.motion
        assert (
            motion.itemText(motion.findData("ken-burns")) == "ケン・バーンズ (ゆっくりパンとズーム)"
        )
        panel = window.imagery_panel
        assert panel.style_choice.itemText(panel.style_choice.findData("watercolor")) == "水彩画"
        assert panel.generator_choice.itemText(1) == "抽象的な図形 (AIモデルなし)"
    finally:
        remove_translators(app, translators)
    qtbot.waitUntil(lambda: Worker.active_count() == 0, timeout=WAIT_MS)

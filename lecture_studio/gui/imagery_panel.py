"""The imagery panel: the lecture's image style and generator, and the current slide's image
prompt, placement and kept variants; every change is one undoable SetProperty."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..imagery.prompts import (
    STYLE_PRESETS,
    build_prompt,
    needs_english_hint,
    slide_prompt,
    slide_subject,
)
from ..model import SetProperty, Slide
from .document import LectureDocument
from .imagery_generation import generator_title

VARIANT_ICON = QSize(96, 54)
PLACEMENTS = ("none", "background", "beside", "placeholder")


def _placement_title(placement: str) -> str:
    titles = {
        "none": QCoreApplication.translate("ImageryPanel", "Not shown"),
        "background": QCoreApplication.translate("ImageryPanel", "Background behind the text"),
        "beside": QCoreApplication.translate("ImageryPanel", "Beside the text"),
        "placeholder": QCoreApplication.translate("ImageryPanel", "In the picture placeholder"),
    }
    return titles[placement]


class ImageryPanel(QWidget):
    """Edits imagery settings; "Generate images" itself is the window's action."""

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.slide_id = ""
        self._loading = False
        self._icons: dict[str, QIcon] = {}
        self._listed: tuple[str, ...] = ()
        self.setObjectName("imageryPanel")

        lecture_box = QGroupBox(self.tr("Lecture imagery"))
        self.style_choice = QComboBox()
        self.style_choice.setObjectName("imageryStyle")
        self.style_choice.setEditable(True)
        self.style_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for name in STYLE_PRESETS:
            self.style_choice.addItem(
                QCoreApplication.translate("ImageStyles", name.capitalize()), name
            )
        self.style_choice.setToolTip(self.tr("Pick a style, or type your own words"))
        self.generator_choice = QComboBox()
        self.generator_choice.setObjectName("imageryGenerator")
        for kind in ("diffusers", "procedural"):
            self.generator_choice.addItem(generator_title(kind), kind)
        self.model = QLineEdit()
        self.model.setObjectName("imageryModel")
        self.model.setPlaceholderText("stabilityai/sd-turbo")
        self.model.setToolTip(
            self.tr("A Hugging Face id, a diffusers folder or a .safetensors file")
        )
        lecture_form = QFormLayout(lecture_box)
        lecture_form.addRow(self.tr("St&yle:"), self.style_choice)
        lecture_form.addRow(self.tr("&Generator:"), self.generator_choice)
        lecture_form.addRow(self.tr("&Model:"), self.model)

        slide_box = QGroupBox(self.tr("This slide's image"))
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("imageryPrompt")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.prompt.setAccessibleName(self.tr("Image prompt"))
        self.english_hint = QLabel(
            self.tr(
                "The common image models understand English best: edit the prompt into "
                "English for better pictures."
            )
        )
        self.english_hint.setObjectName("englishHint")
        self.english_hint.setWordWrap(True)
        self.placement = QComboBox()
        self.placement.setObjectName("imageryPlacement")
        for placement in PLACEMENTS:
            self.placement.addItem(_placement_title(placement), placement)
        self.variants = QListWidget()
        self.variants.setObjectName("imageryVariants")
        self.variants.setViewMode(QListView.ViewMode.IconMode)
        self.variants.setFlow(QListView.Flow.LeftToRight)
        self.variants.setWrapping(False)
        self.variants.setMovement(QListView.Movement.Static)
        self.variants.setIconSize(VARIANT_ICON)
        self.variants.setFixedHeight(VARIANT_ICON.height() + 30)
        self.variants.setAccessibleName(self.tr("Image variants"))
        self.no_variants = QLabel(self.tr("No image yet: use Imagery > Generate Images."))
        self.no_variants.setWordWrap(True)
        self.generate_button = QToolButton()
        self.variant_button = QToolButton()
        buttons = QVBoxLayout()
        for button in (self.generate_button, self.variant_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        slide_form = QFormLayout(slide_box)
        prompt_label = QLabel(self.tr("&Prompt:"))
        prompt_label.setBuddy(self.prompt)
        slide_form.addRow(prompt_label, self.prompt)
        slide_form.addRow("", self.english_hint)
        slide_form.addRow(self.tr("P&lacement:"), self.placement)
        variants_label = QLabel(self.tr("&Variants:"))
        variants_label.setBuddy(self.variants)
        slide_form.addRow(variants_label, self.variants)
        slide_form.addRow("", self.no_variants)
        slide_form.addRow("", buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(slide_box)
        layout.addWidget(lecture_box)

        self.style_choice.activated.connect(self._on_style_picked)
        self.style_choice.lineEdit().editingFinished.connect(self._on_style_typed)
        self.generator_choice.currentIndexChanged.connect(self._on_generator_changed)
        self.model.editingFinished.connect(self._on_model_changed)
        self.prompt.textChanged.connect(self._on_prompt_changed)
        self.placement.currentIndexChanged.connect(self._on_placement_changed)
        self.variants.currentRowChanged.connect(self._on_variant_picked)
        document.edited.connect(self.refresh)
        document.reset.connect(self._on_reset)

    def set_actions(self, generate: QAction, another_variant: QAction) -> None:
        """The window's imagery actions, offered as buttons under the variants."""
        self.generate_button.setDefaultAction(generate)
        self.variant_button.setDefaultAction(another_variant)

    # --- showing ----------------------------------------------------------------------
    def set_slide(self, slide_id: str) -> None:
        changed = slide_id != self.slide_id
        self.slide_id = slide_id
        self.refresh(force_prompt=changed)

    def _slide(self) -> Slide | None:
        try:
            return self.document.lecture.slide(self.slide_id) if self.slide_id else None
        except KeyError:
            return None

    def _on_reset(self) -> None:
        self._icons.clear()
        self._listed = ()
        self.refresh(force_prompt=True)

    def refresh(self, *_args, force_prompt: bool = False) -> None:
        slide = self._slide()
        style = self.document.lecture.style
        self._loading = True
        try:
            index = self.style_choice.findData(style.imagery_style)
            if index >= 0:
                self.style_choice.setCurrentIndex(index)
            else:
                self.style_choice.setEditText(style.imagery_style)
            kind_index = self.generator_choice.findData(style.imagery_generator)
            self.generator_choice.setCurrentIndex(max(0, kind_index))
            if not self.model.hasFocus():
                self.model.setText(style.imagery_model)
            self.model.setEnabled(style.imagery_generator == "diffusers")
            for widget in (self.prompt, self.placement, self.variants):
                widget.setEnabled(slide is not None)
            if slide is None:
                self.prompt.setPlainText("")
                self.english_hint.setVisible(False)
                self._list_variants(None)
                return
            typed = self.prompt.toPlainText()
            if force_prompt or self._prompt_value(slide, typed) != slide.imagery.prompt:
                self.prompt.setPlainText(slide_prompt(self.document.lecture, slide))
            subject = (slide.imagery.prompt or "").strip() or slide_subject(slide)
            self.english_hint.setVisible(needs_english_hint(subject))
            self.placement.setCurrentIndex(max(0, self.placement.findData(slide.imagery.placement)))
            self._list_variants(slide)
        finally:
            self._loading = False

    def _icon(self, name: str) -> QIcon:
        icon = self._icons.get(name)
        if icon is None:
            pixmap = QPixmap(VARIANT_ICON)
            pixmap.fill(self.palette().color(self.palette().ColorRole.Mid))
            try:
                image = QImage.fromData(self.document.project.asset_bytes(name))
            except Exception:  # noqa: BLE001 - a missing asset shows as an empty card
                image = QImage()
            if not image.isNull():
                pixmap = QPixmap.fromImage(
                    image.scaled(
                        VARIANT_ICON,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            icon = self._icons[name] = QIcon(pixmap)
        return icon

    def _list_variants(self, slide: Slide | None) -> None:
        names = tuple(slide.imagery.variants) if slide is not None else ()
        if names != self._listed:
            self.variants.clear()
            for number, name in enumerate(names, start=1):
                item = QListWidgetItem(self._icon(name), str(number))
                item.setToolTip(name)
                self.variants.addItem(item)
            self._listed = names
        chosen = slide.imagery.chosen if slide is not None else -1
        self.variants.setCurrentRow(chosen if 0 <= chosen < len(names) else -1)
        self.variants.setVisible(bool(names))
        self.no_variants.setVisible(not names)

    # --- editing ----------------------------------------------------------------------
    def _prompt_value(self, slide: Slide, text: str) -> str | None:
        """The stored prompt for ``text``: None (the built prompt) when empty or unchanged."""
        text = text.strip()
        if not text or text == build_prompt(slide, self.document.lecture.style.imagery_style):
            return None
        return text

    def _set(self, slide_id: str | None, path: str, value: object, label: str) -> None:
        if self._loading:
            return
        target = self.document.lecture if slide_id is None else self._slide()
        if target is None:
            return
        current: object = target
        for name in path.split("."):
            current = getattr(current, name)
        if current != value:
            self.document.do(SetProperty(slide_id, path, value, label=label))

    def _on_prompt_changed(self) -> None:
        slide = self._slide()
        if slide is None or self._loading:
            return
        value = self._prompt_value(slide, self.prompt.toPlainText())
        self._set(self.slide_id, "imagery.prompt", value, self.tr("Edit image prompt"))

    def _on_placement_changed(self, *_args) -> None:
        if self.slide_id:
            self._set(
                self.slide_id,
                "imagery.placement",
                self.placement.currentData(),
                self.tr("Change image placement"),
            )

    def _on_variant_picked(self, row: int) -> None:
        if self.slide_id and row >= 0:
            self._set(self.slide_id, "imagery.chosen", row, self.tr("Pick image variant"))

    def _on_style_picked(self, index: int) -> None:
        name = self.style_choice.itemData(index)
        if name:
            self._set(None, "style.imagery_style", name, self.tr("Change image style"))

    def _on_style_typed(self) -> None:
        text = self.style_choice.currentText().strip()
        index = self.style_choice.findText(text)
        name = self.style_choice.itemData(index) if index >= 0 else text
        if name:
            self._set(None, "style.imagery_style", name, self.tr("Change image style"))

    def _on_generator_changed(self, *_args) -> None:
        self._set(
            None,
            "style.imagery_generator",
            self.generator_choice.currentData(),
            self.tr("Change image generator"),
        )

    def _on_model_changed(self) -> None:
        text = self.model.text().strip()
        if text:
            self._set(None, "style.imagery_model", text, self.tr("Change image model"))

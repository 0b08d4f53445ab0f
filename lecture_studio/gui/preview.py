"""The large preview of the current slide, drawn as it will appear in the video, and the frames
of the lecture while the preview plays; Space and the arrow keys ask to play and to move."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..model import OutputSettings
from .document import LectureDocument

PREVIEW_WIDTH = 960
"""Slide pictures and played frames are drawn this many pixels wide."""


def preview_size(output: OutputSettings) -> tuple[int, int]:
    """The size slide pictures and played frames are drawn at: ``PREVIEW_WIDTH`` wide, in the
    video's aspect, an even number of pixels high."""
    height = round(PREVIEW_WIDTH * output.height / output.width / 2) * 2
    return PREVIEW_WIDTH, height


class SlidePreview(QWidget):
    """Paints the current slide's picture (or, while the lecture plays, the frame on show),
    scaled to fit with its video aspect kept.

    With the keyboard focus, Space asks to play or pause (``toggle_requested``) and the arrow
    keys to go to the slide before or after (``step_requested``: -1 or 1); the window decides
    what that means now.
    """

    toggle_requested = Signal()
    step_requested = Signal(int)

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.slide_id = ""
        self.message = ""
        self.frame: QImage | None = None  # the playing lecture's frame; None: the slide's picture
        self.setObjectName("slidePreview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Slide preview"))
        self.setToolTip(self.tr("Space: play or pause the lecture from here; arrows: move"))
        document.images_changed.connect(self.update)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(960, 540)

    def show_slide(self, slide_id: str) -> None:
        self.slide_id = slide_id
        self.update()

    def show_frame(self, frame: QImage | None) -> None:
        """Show a frame of the playing lecture; None goes back to the current slide."""
        self.frame = frame
        self.update()

    def set_message(self, message: str) -> None:
        """A line shown where there is no picture yet (e.g. "Drawing slides...")."""
        self.message = message
        self.update()

    def video_rect(self) -> QRect:
        """Where the video frame is drawn: the largest rectangle of the output aspect."""
        output = self.document.lecture.output
        frame = QSize(output.width, output.height).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio
        )
        left = (self.width() - frame.width()) // 2
        top = (self.height() - frame.height()) // 2
        return QRect(left, top, frame.width(), frame.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.toggle_requested.emit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.step_requested.emit(-1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.step_requested.emit(1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), self.palette().color(self.palette().ColorRole.Window))
        target = self.video_rect()
        image = self.frame if self.frame is not None else self.document.images.get(self.slide_id)
        if image is not None:
            painter.drawImage(target, image)
            return
        painter.fillRect(target, self.palette().color(self.palette().ColorRole.Base))
        painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
        text = self.message or (self.tr("No slide selected") if not self.slide_id else "")
        painter.drawText(target, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

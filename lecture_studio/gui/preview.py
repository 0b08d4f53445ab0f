"""The large preview of the current slide, drawn as it will appear in the video."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from .document import LectureDocument


class SlidePreview(QWidget):
    """Paints the current slide's picture, scaled to fit with its video aspect kept."""

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.slide_id = ""
        self.message = ""
        self.setObjectName("slidePreview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Slide preview"))
        document.images_changed.connect(self.update)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(960, 540)

    def show_slide(self, slide_id: str) -> None:
        self.slide_id = slide_id
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

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), self.palette().color(self.palette().ColorRole.Window))
        target = self.video_rect()
        image = self.document.images.get(self.slide_id)
        if image is not None:
            painter.drawImage(target, image)
            return
        painter.fillRect(target, self.palette().color(self.palette().ColorRole.Base))
        painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
        text = self.message or (self.tr("No slide selected") if not self.slide_id else "")
        painter.drawText(target, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

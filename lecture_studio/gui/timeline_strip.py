"""The timeline strip: every visible slide drawn to its duration, with a playhead."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..model.timeline import Timeline
from .document import LectureDocument


def format_duration(seconds: float) -> str:
    """m:ss for the strip and the labels."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


class TimelineStrip(QWidget):
    """Draws the lecture's timeline (estimated until narration is spoken) and a playhead.

    Clicking a slide's block emits ``slide_clicked(slide_id)``.
    """

    slide_clicked = Signal(str)

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.current_slide = ""
        self.playhead_seconds: float | None = None
        self.timeline: Timeline | None = None
        self.setObjectName("timelineStrip")
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Timeline"))
        self.setMouseTracking(True)
        document.reset.connect(self.refresh)
        document.edited.connect(self.refresh)
        document.durations_changed.connect(self.refresh)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(800, 64)

    def refresh(self, *_args) -> None:
        """Lay the slides out again (after an edit, or when a real narration length arrived)."""
        self.timeline = self.document.timeline()
        self.setToolTip(
            self.tr("Lecture length: {0}").format(format_duration(self.timeline.duration))
        )
        self.update()

    def set_current_slide(self, slide_id: str) -> None:
        self.current_slide = slide_id
        self.update()

    def set_playhead(self, seconds: float | None) -> None:
        self.playhead_seconds = seconds
        self.update()

    def _blocks(self) -> list[tuple[str, int, QRectF, float]]:
        """(slide id, slide number, rectangle, seconds) for each visible slide."""
        timeline = self.timeline
        if timeline is None or not timeline.slides or timeline.total_samples <= 0:
            return []
        scale = (self.width() - 2) / timeline.total_samples
        blocks = []
        for timing in timeline.slides:
            x = 1 + timing.start_sample * scale
            width = max(1.0, (timing.end_sample - timing.start_sample) * scale)
            seconds = (timing.end_sample - timing.start_sample) / timeline.sample_rate
            rect = QRectF(x, 4, width, self.height() - 8)
            blocks.append((timing.slide_id, timing.index + 1, rect, seconds))
        return blocks

    def slide_at(self, x: float) -> str:
        for slide_id, _number, rect, _seconds in self._blocks():
            if rect.left() <= x <= rect.right():
                return slide_id
        return ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.timeline is None:
            self.refresh()
        palette = self.palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.color(palette.ColorRole.Base))
        for slide_id, number, rect, seconds in self._blocks():
            current = slide_id == self.current_slide
            role = palette.ColorRole.Highlight if current else palette.ColorRole.Button
            painter.fillRect(rect.adjusted(1, 0, -1, 0), palette.color(role))
            painter.setPen(palette.color(palette.ColorRole.Mid))
            painter.drawRect(rect.adjusted(1, 0, -1, 0))
            roles = palette.ColorRole
            painter.setPen(palette.color(roles.HighlightedText if current else roles.ButtonText))
            label = f"{number}  {format_duration(seconds)}"
            if painter.fontMetrics().horizontalAdvance(label) > rect.width() - 6:
                label = str(number)
            if painter.fontMetrics().horizontalAdvance(label) <= rect.width() - 4:
                painter.drawText(rect.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignCenter, label)
        if self.playhead_seconds is not None and self.timeline and self.timeline.duration > 0:
            x = 1 + (self.width() - 2) * min(1.0, self.playhead_seconds / self.timeline.duration)
            painter.setPen(QPen(palette.color(palette.ColorRole.Accent), 2))
            painter.drawLine(int(x), 0, int(x), self.height())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        slide_id = self.slide_at(event.position().x())
        if slide_id:
            self.slide_clicked.emit(slide_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        for _slide_id, number, rect, seconds in self._blocks():
            if rect.left() <= event.position().x() <= rect.right():
                self.setToolTip(self.tr("Slide {0}: {1}").format(number, format_duration(seconds)))
                return
        if self.timeline is not None:
            self.setToolTip(
                self.tr("Lecture length: {0}").format(format_duration(self.timeline.duration))
            )

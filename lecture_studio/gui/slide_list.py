"""The slide list: a thumbnail per slide, drag to reorder, the slide actions in its menu, and a
badge on each slide with problems (``problems_panel.SlideProblems``), their sentences in its
tooltip."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from ..model import SetProperty
from .document import LectureDocument
from .problems_panel import SlideProblems

THUMBNAIL_SIZE = QSize(144, 81)
_ID_ROLE = Qt.ItemDataRole.UserRole
#: The sentences of a slide's problems (a list of str; empty when it has none).
PROBLEMS_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_DIAMETER = 22
BADGE_COLOR = QColor(230, 140, 0)  # amber: look at this, it still exports


class SlideList(QListWidget):
    """Lists the lecture's slides in order; selecting one makes it the current slide.

    The widget never edits the lecture: a drag that reorders emits ``slide_moved`` and the
    window turns it into a MoveSlide command (then the list is rebuilt from the model).
    """

    current_slide_changed = Signal(str)  # slide id, "" for none
    slide_moved = Signal(str, int)  # slide id, new index

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("slideList")
        self.setIconSize(THUMBNAIL_SIZE)
        self.setSpacing(4)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setMinimumWidth(THUMBNAIL_SIZE.width() + 150)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Slides"))
        self._rebuilding = False
        self.problems: SlideProblems | None = None
        self.currentItemChanged.connect(self._on_current_changed)
        document.reset.connect(self.rebuild)
        document.edited.connect(self._on_edited)
        document.images_changed.connect(self.refresh_thumbnails)

    # --- reading the model --------------------------------------------------------------
    def current_slide_id(self) -> str:
        item = self.currentItem()
        return str(item.data(_ID_ROLE)) if item is not None else ""

    def select_slide(self, slide_id: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(_ID_ROLE) == slide_id:
                self.setCurrentRow(row)
                return

    def rebuild(self) -> None:
        """Re-list the slides from the lecture, keeping the current slide selected."""
        current = self.current_slide_id()
        lecture = self.document.lecture
        self._rebuilding = True
        try:
            self.clear()
            for number, slide in enumerate(lecture.slides, start=1):
                title = slide.title.replace("\n", " ").strip() or self.tr("(no title)")
                text = f"{number}. {title}"
                if slide.hidden:
                    text += "  " + self.tr("(hidden)")
                item = QListWidgetItem(text)
                item.setData(_ID_ROLE, slide.id)
                self._decorate(item, slide.hidden)
                self.addItem(item)
        finally:
            self._rebuilding = False
        ids = [s.id for s in lecture.slides]
        self._rebuilding = True
        try:
            if current in ids:
                self.select_slide(current)
            elif ids:
                self.setCurrentRow(0)
        finally:
            self._rebuilding = False
        self.current_slide_changed.emit(self.current_slide_id())

    def refresh_thumbnails(self) -> None:
        lecture = self.document.lecture
        for row in range(self.count()):
            item = self.item(row)
            slide_id = str(item.data(_ID_ROLE))
            hidden = any(s.hidden for s in lecture.slides if s.id == slide_id)
            self._decorate(item, hidden)

    def show_problems(self, problems: SlideProblems) -> None:
        """Badge the slides with problems in ``problems`` (kept current as it changes)."""
        self.problems = problems
        problems.changed.connect(self.refresh_thumbnails)
        self.refresh_thumbnails()

    def _decorate(self, item: QListWidgetItem, hidden: bool) -> None:
        """The item's thumbnail, with a badge when the slide has problems, and its tooltip:
        the slide's label, then each problem's sentence."""
        slide_id = str(item.data(_ID_ROLE))
        found = self.problems.for_slide(slide_id) if self.problems is not None else []
        sentences = [problem.sentence for problem in found]
        item.setData(PROBLEMS_ROLE, sentences)
        item.setIcon(self._thumbnail(slide_id, hidden, len(sentences)))
        item.setToolTip("\n\n".join([item.text(), *sentences]))
        described = self.tr("Problems: {0}").format(" ".join(sentences)) if sentences else ""
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, described)

    def _thumbnail(self, slide_id: str, hidden: bool, problems: int = 0) -> QIcon:
        pixmap = QPixmap(THUMBNAIL_SIZE)
        pixmap.fill(self.palette().color(self.palette().ColorRole.Mid))
        image: QImage | None = self.document.images.get(slide_id)
        painter = QPainter(pixmap)
        if image is not None:
            scaled = image.scaled(
                THUMBNAIL_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            x = (THUMBNAIL_SIZE.width() - scaled.width()) // 2
            y = (THUMBNAIL_SIZE.height() - scaled.height()) // 2
            painter.drawImage(x, y, scaled)
        if hidden:
            painter.fillRect(pixmap.rect(), QColor(128, 128, 128, 160))
        if problems:
            _paint_badge(painter, problems)
        painter.end()
        return QIcon(pixmap)

    def _on_edited(self, command: object) -> None:
        """Rebuild for changes the list shows: order, insertions, deletions, hiding."""
        if not isinstance(command, SetProperty) or command.path in ("hidden", "title"):
            self.rebuild()

    # --- user actions -------------------------------------------------------------------
    def _on_current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if not self._rebuilding:
            self.current_slide_changed.emit(str(current.data(_ID_ROLE)) if current else "")

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        moved = self.current_slide_id()
        super().dropEvent(event)
        order = [str(self.item(row).data(_ID_ROLE)) for row in range(self.count())]
        if moved and moved in order:
            new_index = order.index(moved)
            if new_index != self.document.lecture.index_of(moved):
                self.slide_moved.emit(moved, new_index)
                return
        self.rebuild()


def _paint_badge(painter: QPainter, count: int) -> None:
    """An amber disc in the thumbnail's top right corner: "!" for one problem, else how many."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    size = BADGE_DIAMETER
    disc = QRectF(THUMBNAIL_SIZE.width() - size - 2, 2, size, size)
    painter.setPen(QPen(QColor(255, 255, 255), 2))
    painter.setBrush(BADGE_COLOR)
    painter.drawEllipse(disc)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(14)
    painter.setFont(font)
    painter.setPen(QColor(0, 0, 0))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, "!" if count == 1 else str(count))

"""The Problems panel: each slide's problems (``render.problems``) listed, a click selects it.

``SlideProblems`` keeps the open lecture's list current for the panel and the slide list's
badges. What needs no drawing (the import's warnings, the voices, the timing) is judged again
on the GUI thread shortly after each edit: it reads the lecture, its timeline and the voices
already listed, and runs no engine. What drawing a slide found (a picture left out, text no
installed font can show) arrives with the slide pictures the window draws in the background.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..render.problems import SlideProblem, slide_problems
from .document import LectureDocument

# Edits come in bursts (typing a script): judge the lecture again once they pause.
REFRESH_DELAY_MS = 250
_ID_ROLE = Qt.ItemDataRole.UserRole


class SlideProblems(QObject):
    """The open lecture's slide problems; ``changed`` fires when the list is different."""

    changed = Signal()

    def __init__(self, document: LectureDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.problems: list[SlideProblem] = []
        self._drawn: dict[str, tuple[str, ...]] = {}  # slide id -> RenderedSlide.warnings
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        document.reset.connect(self._on_reset)
        document.edited.connect(self.schedule)
        document.durations_changed.connect(self.schedule)
        document.voices_changed.connect(self.schedule)

    def schedule(self, *_args) -> None:
        """Judge the lecture again once edits pause for ``REFRESH_DELAY_MS``."""
        self._timer.start()

    def for_slide(self, slide_id: str) -> list[SlideProblem]:
        return [p for p in self.problems if p.slide_id == slide_id]

    def set_drawn(self, warnings: Mapping[str, Sequence[str]]) -> None:
        """What drawing these slides found (slide id -> ``RenderedSlide.warnings``); it
        replaces what earlier drawings of the same slides found."""
        self._drawn.update({slide_id: tuple(found) for slide_id, found in warnings.items()})
        self.refresh()

    def refresh(self) -> None:
        """Judge the lecture again now."""
        self._timer.stop()
        document = self.document
        current = {slide.id for slide in document.lecture.slides}
        self._drawn = {sid: found for sid, found in self._drawn.items() if sid in current}
        problems = slide_problems(
            document.project, document.timeline(), document.voices, self._drawn
        )
        if problems != self.problems:
            self.problems = problems
            self.changed.emit()

    def _on_reset(self) -> None:
        self._drawn = {}
        self.refresh()


class ProblemsPanel(QWidget):
    """Lists every slide's problems, one row each; clicking a row (or Enter on it) emits
    ``slide_selected(slide_id)``."""

    slide_selected = Signal(str)

    def __init__(self, problems: SlideProblems, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = problems
        self.setObjectName("problemsPanel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("problemsList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Slide"), self.tr("Problem")])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)  # a sentence is read whole, never cut short with "..."
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.setItemDelegateForColumn(1, _WrappingDelegate(self.tree))
        self.tree.setColumnWidth(0, 80)
        self.tree.setAccessibleName(self.tr("Slide problems"))
        self.tree.itemClicked.connect(self._on_item)
        # Rows wrap to the column's width: measure them again when it changes.
        self.tree.header().sectionResized.connect(self._wrap_again)
        self.tree.itemActivated.connect(self._on_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self._icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        problems.changed.connect(self.rebuild)
        self.rebuild()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, 110)  # a few rows under the timeline; the slides keep the room

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._wrap_again()

    def _wrap_again(self, *_args) -> None:
        self.tree.scheduleDelayedItemsLayout()

    def rebuild(self) -> None:
        self.tree.clear()
        for problem in self.problems.problems:
            item = QTreeWidgetItem([self.tr("Slide {0}").format(problem.number), problem.sentence])
            item.setIcon(0, self._icon)
            item.setData(0, _ID_ROLE, problem.slide_id)
            item.setToolTip(1, problem.sentence)
            self.tree.addTopLevelItem(item)
        if not self.problems.problems:
            item = QTreeWidgetItem(["", self.tr("No problems found in the slides.")])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(item)

    def row_slide_ids(self) -> list[str]:
        """The slide each row is about, top to bottom (empty when nothing is listed)."""
        rows = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [str(item.data(0, _ID_ROLE)) for item in rows if item.data(0, _ID_ROLE)]

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        slide_id = item.data(0, _ID_ROLE)
        if slide_id:
            self.slide_selected.emit(str(slide_id))


class _WrappingDelegate(QStyledItemDelegate):
    """Makes a row as tall as its sentence wrapped to the column's width (QTreeView measures
    rows without the column's width, so a long sentence would be cut off)."""

    MARGIN = 8  # the text's padding inside its cell, both sides together

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        width = self.tree.header().sectionSize(index.column()) - self.MARGIN
        text = str(index.data() or "")
        if width <= 0 or not text:
            return hint
        flags = Qt.TextFlag.TextWordWrap
        wrapped = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, text)
        return QSize(hint.width(), max(hint.height(), wrapped.height() + self.MARGIN // 2))


class ProblemsDock(QDockWidget):
    """The panel in a dock whose title counts the problems."""

    def __init__(self, problems: SlideProblems, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsDock")
        self.panel = ProblemsPanel(problems)
        self.setWidget(self.panel)
        self.problems = problems
        problems.changed.connect(self._update_title)
        self._update_title()

    def _update_title(self) -> None:
        count = len(self.problems.problems)
        self.setWindowTitle(
            self.tr("Problems ({0})").format(count) if count else self.tr("Problems")
        )
        self.toggleViewAction().setText(self.tr("&Problems"))

"""The timeline: each visible slide drawn to its length on the core timeline, with its
thumbnail, number and narration waveform; wheel zoom and fit-all, a playhead that follows
playback, click to select, and a slide's end to drag for a fixed duration (one undo step).

Every length drawn or named here comes from the core's timeline (``LectureDocument.timeline``,
laid out as the export lays it out); a drag only shows the duration asked for, and the core
decides what the slide gets (never less than its narration). The waveforms come from
narration clips already spoken (the narration cache filled by a Listen, a Preview or an
export, and recordings), read and reduced to peaks on a worker: the timeline never speaks.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QSizePolicy, QToolButton, QToolTip

from ..errors import LectureStudioError
from ..jobs import CancelToken
from ..model import SetProperty
from ..model.timeline import SAMPLE_RATE, SlideTiming, Timeline
from ..narration.choose import VoiceCatalog
from ..project import Project
from .document import LectureDocument, narration_key, snapshot
from .workers import Worker

MIN_FIXED_SECONDS = 0.5  # the properties panel's range for a fixed duration
MAX_FIXED_SECONDS = 600.0
MAX_PIXELS_PER_SECOND = 400.0
ZOOM_STEP = 1.25  # one wheel notch or one press of + / -
EDGE_GRAB = 4  # pixels either side of a slide's end that take hold of it
DRAG_THRESHOLD = 3  # pixels the mouse moves before a press on an edge becomes a drag
PEAKS_PER_SECOND = 50  # waveform resolution: one peak per 20 ms
MARGIN = 4  # pixels left and right of the lecture at fit-all
RULER_HEIGHT = 16
LANE_HEIGHT = 78
THUMB_HEIGHT = 40
WAVE_HEIGHT = 26
_LANE_TOP = RULER_HEIGHT + 2
_TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


def format_duration(seconds: float) -> str:
    """m:ss for the strip and the labels."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def format_slide_length(seconds: float) -> str:
    """A slide's length: tenths under a minute ("4.2 s"), else m:ss."""
    return f"{seconds:.1f} s" if seconds < 59.95 else format_duration(seconds)


@dataclass(frozen=True)
class SlideWaveform:
    """A slide's narration as drawn: ``peaks`` (the loudest sample of each
    1/``PEAKS_PER_SECOND`` s, the loudest of all scaled to 1) of a clip ``samples`` long,
    or None while the narration has not been spoken; valid while the slide's ``narration_key``
    is ``key``."""

    key: tuple
    peaks: np.ndarray | None
    samples: int = 0


@dataclass(frozen=True)
class SlideBlock:
    """Where one visible slide is drawn (viewport pixels) and what its block shows."""

    slide_id: str
    number: int  # its number in the slide list (hidden slides keep theirs)
    title: str
    rect: QRectF
    timing: SlideTiming
    seconds: float
    fixed: bool
    number_shown: bool  # the number fits in the block; otherwise the tooltip gives it


def narration_peaks(
    samples: np.ndarray, sample_rate: int = SAMPLE_RATE, per_second: int = PEAKS_PER_SECOND
) -> np.ndarray:
    """The loudest |sample| in each 1/``per_second`` s of a clip, scaled so the loudest is 1
    (narration is normalized for loudness anyway; the shape is what the timeline shows)."""
    step = max(1, sample_rate // per_second)
    count = -(-len(samples) // step)
    padded = np.zeros(count * step, np.float32)
    padded[: len(samples)] = np.abs(np.asarray(samples, np.float32))
    peaks = padded.reshape(count, step).max(axis=1) if count else padded
    top = float(peaks.max()) if count else 0.0
    return peaks / top if top > 0 else peaks


def cached_waveforms(
    project: Project,
    keys: dict[str, tuple],
    voices: VoiceCatalog,
    cancel: CancelToken,
) -> dict[str, SlideWaveform]:
    """Slide id -> waveform of the narration the export would use, for each slide in ``keys``
    (its ``narration_key``), read from recordings and the narration cache only: a script
    never spoken yet gets ``peaks=None``. A core job: run it on a worker."""
    from ..narration.lecture import spoken_clip

    out = {}
    for slide_id, key in keys.items():
        cancel.check()
        slide = project.lecture.slide(slide_id)
        try:
            clip = spoken_clip(project, project.lecture, slide, None, voices, cached_only=True)
        except LectureStudioError:  # a missing recording: the export names it, here no waves
            clip = None
        if clip is None:
            out[slide_id] = SlideWaveform(key, None)
        else:
            peaks = narration_peaks(clip.samples, clip.sample_rate)
            out[slide_id] = SlideWaveform(key, peaks, len(clip.samples))
    return out


@dataclass
class _EdgeDrag:
    """A press on a slide's end; once it moved, the fixed duration asked for."""

    slide_id: str
    start_x: float  # where the press was (viewport)
    start_sample: int  # where the slide starts (it does not move)
    seconds: float | None = None  # None until the mouse moved


class TimelineStrip(QAbstractScrollArea):
    """The lecture's timeline (estimated until narration is spoken) under the editor.

    Clicking a slide emits ``slide_clicked(slide_id)``; dragging a slide's end sets its fixed
    duration through the document (undoable). The wheel zooms around the pointer (with Shift
    it scrolls); the buttons beside the scroll bar and the keys +, - and 0 zoom too.
    """

    slide_clicked = Signal(str)

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.current_slide = ""
        self.playhead_seconds: float | None = None
        self.timeline: Timeline | None = None
        self.pixels_per_second = 1.0
        self.is_fit = True
        self.waveforms: dict[str, SlideWaveform] = {}
        self.waveform_worker: Worker | None = None
        self._keys: dict[str, tuple] = {}  # visible slide id -> its narration key now
        self._waveforms_wanted = False
        self._look_again = True  # also look for narrations not spoken when last looked for
        self._thumbnails: dict[str, tuple[int, QPixmap]] = {}  # id -> (image key, pixmap)
        self._drag: _EdgeDrag | None = None
        self._hover = ""
        self.setObjectName("timelineStrip")
        self.setAccessibleName(self.tr("Timeline"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        # (each button added goes left of those added before)
        self.fit_button = self._zoom_button(
            self.tr("Fit"), self.tr("Show the whole lecture (0)"), "zoomFit"
        )
        self.zoom_in_button = self._zoom_button("+", self.tr("Zoom in (+)"), "zoomIn")
        self.zoom_out_button = self._zoom_button("\u2212", self.tr("Zoom out (-)"), "zoomOut")
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button.clicked.connect(self.fit_all)
        self._waveform_timer = QTimer(self)
        self._waveform_timer.setSingleShot(True)
        self._waveform_timer.setInterval(150)
        self._waveform_timer.timeout.connect(self.load_waveforms)
        self.setFixedHeight(self.sizeHint().height())
        document.reset.connect(self._on_reset)
        document.edited.connect(self.refresh)
        document.durations_changed.connect(self._on_durations)
        document.voices_changed.connect(self._on_durations)
        document.images_changed.connect(self.viewport().update)
        self.refresh()

    def _zoom_button(self, text: str, tip: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setFixedHeight(self.horizontalScrollBar().sizeHint().height())
        self.addScrollBarWidget(button, Qt.AlignmentFlag.AlignRight)
        return button

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        frame = 2 * self.frameWidth()
        bar = max(self.horizontalScrollBar().sizeHint().height(), 16)
        return QSize(800, _LANE_TOP + LANE_HEIGHT + 2 + bar + frame)

    # --- what is shown ------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Lay the slides out again (after an edit, or when a real narration length arrived)."""
        self.timeline = self.document.timeline()
        lecture, voices = self.document.lecture, self.document.voices
        self._keys = {s.id: narration_key(s, lecture, voices) for s in lecture.visible_slides()}
        self._update_zoom_range()
        self._want_waveforms()
        self.viewport().update()

    def _on_durations(self) -> None:
        """A narration was spoken (Listen, Preview, export) or the voices were listed: look
        again for the waveforms not found before."""
        self._look_again = True
        self.refresh()

    def look_for_waveforms(self) -> Worker | None:
        """Look again, now, for narrations spoken since (None: nothing to look for)."""
        self._look_again = True
        self._waveform_timer.stop()
        return self.load_waveforms()

    def _on_reset(self) -> None:
        self.waveforms = {}
        self._thumbnails = {}
        self._drag = None
        self.playhead_seconds = None
        self.is_fit = True
        self._look_again = True
        self.refresh()

    def set_current_slide(self, slide_id: str) -> None:
        """Highlight the current slide, scrolling it into view when zoomed in."""
        self.current_slide = slide_id
        for block in self.blocks():
            if block.slide_id == slide_id:
                self._scroll_into_view(block.rect.left(), block.rect.right())
        self.viewport().update()

    def set_playhead(self, seconds: float | None) -> None:
        """Where playback is (seconds into the lecture; None: not playing); the view follows
        it a page at a time when zoomed in."""
        self.playhead_seconds = seconds
        if seconds is not None and self._drag is None:
            x = self._x_of_seconds(seconds)
            width = self.viewport().width()
            if x < 0 or x > width - MARGIN:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + round(x - width * 0.1))
        self.viewport().update()

    def _shown(self) -> Timeline | None:
        """The timeline drawn; made again when it names a slide the lecture no longer has
        (another project opened, or slides deleted, before this strip's refresh)."""
        known = {slide.id for slide in self.document.lecture.slides}
        if self.timeline is None or any(t.slide_id not in known for t in self.timeline.slides):
            self.timeline = self.document.timeline()
        return self.timeline

    def blocks(self) -> list[SlideBlock]:
        """Every visible slide's block, in order, in viewport pixels."""
        timeline = self._shown()
        if timeline is None:
            return []
        lecture = self.document.lecture
        metrics = QFontMetricsF(self._number_font())
        blocks = []
        for timing in timeline.slides:
            slide = lecture.slide(timing.slide_id)
            left = self._x_of_sample(timing.start_sample)
            right = self._x_of_sample(timing.end_sample)
            rect = QRectF(left, _LANE_TOP, right - left, LANE_HEIGHT)
            number = timing.index + 1
            blocks.append(
                SlideBlock(
                    slide_id=slide.id,
                    number=number,
                    title=" ".join(slide.title.split()),
                    rect=rect,
                    timing=timing,
                    seconds=(timing.end_sample - timing.start_sample) / timeline.sample_rate,
                    fixed=slide.duration.mode == "fixed",
                    number_shown=_badge_width(metrics, number) <= rect.width() - 2,
                )
            )
        return blocks

    def blocks_at(self, x: float) -> list[SlideBlock]:
        """The slides drawn in the pixel column at ``x`` (more than one where slides are
        narrower than a pixel)."""
        column = math.floor(x)
        return [b for b in self.blocks() if b.rect.left() < column + 1 and b.rect.right() > column]

    def slide_at(self, x: float) -> str:
        """The slide under ``x`` (the nearest one to it where several share the pixel)."""
        found = self.blocks_at(x)
        if not found:
            return ""
        return min(found, key=lambda b: abs(b.rect.center().x() - x)).slide_id

    def tooltip_at(self, x: float) -> str:
        """Each slide under ``x``: its number, title, length and how it is timed."""
        found = self.blocks_at(x)
        if not found:
            if self._shown() is None:
                return ""
            length = format_duration(self._shown().duration)
            return self.tr("Lecture length: {0}").format(length)
        lines = []
        lecture = self.document.lecture
        for block in found:
            timing = self.tr("follows its narration")
            if block.fixed:
                timing = self.tr("fixed")
                asked = lecture.slide(block.slide_id).duration.seconds
                if block.seconds > asked + 0.05:
                    timing = self.tr("fixed at {0} but kept longer for its narration").format(
                        format_slide_length(asked)
                    )
            head = self.tr("Slide {0}").format(block.number)
            if block.title:
                head = f"{head}: {block.title}"
            lines.append(f"{head}\n{format_slide_length(block.seconds)}, {timing}")
        if self._edge_at(x) is not None:
            lines.append(self.tr("Drag the end of the slide to give it a fixed duration."))
        return "\n".join(lines)

    # --- zoom and scrolling ---------------------------------------------------------------
    def _duration(self) -> float:
        timeline = self._shown()
        return timeline.duration if timeline is not None else 0.0

    def fit_pixels_per_second(self) -> float:
        """The zoom at which the whole lecture fills the width."""
        duration = self._duration()
        if duration <= 0:
            return MAX_PIXELS_PER_SECOND
        return min(MAX_PIXELS_PER_SECOND, max(1, self.viewport().width() - 2 * MARGIN) / duration)

    def fit_all(self) -> None:
        """Show the whole lecture (and keep showing it as the window or lecture changes)."""
        self.is_fit = True
        self._update_zoom_range()
        self.viewport().update()

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor``, keeping the moment under ``anchor_x`` (default: the middle)
        where it is; never further out than fit-all."""
        width = self.viewport().width()
        anchor = width / 2 if anchor_x is None else anchor_x
        seconds = self._seconds_of_x(anchor)
        fit = self.fit_pixels_per_second()
        wanted = min(MAX_PIXELS_PER_SECOND, self.pixels_per_second * factor)
        if wanted <= fit * 1.0001:
            self.fit_all()
            return
        self.is_fit = False
        self.pixels_per_second = wanted
        self._update_zoom_range()
        bar = self.horizontalScrollBar()
        bar.setValue(round(MARGIN + seconds * wanted - anchor))
        self.viewport().update()

    def _update_zoom_range(self) -> None:
        if self.is_fit:
            self.pixels_per_second = self.fit_pixels_per_second()
        else:
            self.pixels_per_second = max(self.pixels_per_second, self.fit_pixels_per_second())
        width = self.viewport().width()
        content = self._duration() * self.pixels_per_second + 2 * MARGIN
        bar = self.horizontalScrollBar()
        bar.setRange(0, max(0, math.ceil(content - width)))
        bar.setPageStep(max(1, width))
        bar.setSingleStep(max(1, width // 20))
        self.zoom_out_button.setEnabled(not self.is_fit)
        self.zoom_in_button.setEnabled(self.pixels_per_second < MAX_PIXELS_PER_SECOND)

    def _x_of_seconds(self, seconds: float) -> float:
        return MARGIN + seconds * self.pixels_per_second - self.horizontalScrollBar().value()

    def _x_of_sample(self, sample: int) -> float:
        return self._x_of_seconds(sample / SAMPLE_RATE)

    def _seconds_of_x(self, x: float) -> float:
        scroll = self.horizontalScrollBar().value()
        return max(0.0, (x + scroll - MARGIN) / self.pixels_per_second)

    def _scroll_into_view(self, left: float, right: float) -> None:
        width = self.viewport().width()
        if right - left > width or (left >= 0 and right <= width):
            return
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(left - MARGIN if left < 0 else right - width + MARGIN))

    # --- waveforms ------------------------------------------------------------------------
    def _want_waveforms(self) -> None:
        self._waveforms_wanted = True
        if self.waveform_worker is None:
            self._waveform_timer.start()

    def _stale_waveforms(self) -> dict[str, tuple]:
        """Slide id -> narration key, for the visible slides whose waveform is missing or out
        of date (and those not spoken when last looked for, after a narration was spoken)."""
        stale = {}
        for slide_id, key in self._keys.items():
            known = self.waveforms.get(slide_id)
            if known is None or known.key != key or (known.peaks is None and self._look_again):
                stale[slide_id] = key
        return stale

    def load_waveforms(self) -> Worker | None:
        """Read the narrations already spoken (cache, recordings) for the slides that need a
        waveform, on a worker; None when there is nothing to read or no voice list yet."""
        voices = self.document.voices
        if voices is None:  # voices_changed brings it back here
            return None
        if self.waveform_worker is not None:  # again once it is done
            self._waveforms_wanted = True
            return self.waveform_worker
        self._waveforms_wanted = False
        keys = self._stale_waveforms()
        self._look_again = False
        if not keys:
            return None
        project = snapshot(self.document.project)

        def job(progress, cancel) -> dict[str, SlideWaveform]:
            return cached_waveforms(project, keys, voices, cancel)

        worker = Worker(job)
        worker.succeeded.connect(self._on_waveforms)
        worker.finished.connect(self._on_waveforms_finished)
        self.waveform_worker = worker
        return worker.start()

    def _on_waveforms(self, found: dict[str, SlideWaveform]) -> None:
        lecture = self.document.lecture
        current = {s.id for s in lecture.slides}
        self.waveforms.update({sid: wave for sid, wave in found.items() if sid in current})
        known = self.document.narration_lengths()
        spoken = {
            slide_id: (wave.key, wave.samples)
            for slide_id, wave in found.items()
            if wave.peaks is not None
            and wave.key == self._keys.get(slide_id)
            and known.get(slide_id) != wave.samples
        }
        if spoken:  # a spoken length beats the estimate (and is what the export will find)
            self.document.remember_narration_lengths(spoken)
        self.viewport().update()

    def _on_waveforms_finished(self) -> None:
        self.waveform_worker = None
        if self._waveforms_wanted:
            self._waveform_timer.start()

    # --- painting ---------------------------------------------------------------------------
    def _number_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return font

    def _thumbnail(self, slide_id: str) -> QPixmap | None:
        image = self.document.images.get(slide_id)
        if image is None or image.isNull():
            return None
        cached = self._thumbnails.get(slide_id)
        if cached is not None and cached[0] == image.cacheKey():
            return cached[1]
        pixmap = QPixmap.fromImage(
            image.scaledToHeight(THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        )
        self._thumbnails[slide_id] = (image.cacheKey(), pixmap)
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self.viewport())
        palette = self.palette()
        roles = palette.ColorRole
        width = self.viewport().width()
        painter.fillRect(self.viewport().rect(), palette.color(roles.Base))
        self._paint_ruler(painter, width)
        for block in self.blocks():
            if block.rect.right() < 0 or block.rect.left() > width:
                continue
            self._paint_block(painter, block)
        if self._drag is not None and self._drag.seconds is not None:
            self._paint_drag(painter)
        if self.playhead_seconds is not None and self._duration() > 0:
            seconds = min(self.playhead_seconds, self._duration())
            x = self._x_of_seconds(seconds)
            color = palette.color(roles.Accent)
            painter.setPen(QPen(color, 2))
            painter.drawLine(QLineF(x, 0, x, self.viewport().height()))
            painter.setBrush(color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 7)]))

    def _paint_ruler(self, painter: QPainter, width: int) -> None:
        palette = self.palette()
        painter.setPen(palette.color(palette.ColorRole.PlaceholderText))
        metrics = painter.fontMetrics()
        spacing = metrics.horizontalAdvance("00:00") + 24
        step = next((s for s in _TICK_STEPS if s * self.pixels_per_second >= spacing), 7200)
        first = math.floor(self._seconds_of_x(0) / step) * step
        seconds = first
        end = min(self._duration(), self._seconds_of_x(width))
        while seconds <= end:
            x = self._x_of_seconds(seconds)
            painter.drawLine(QLineF(x, RULER_HEIGHT - 5, x, RULER_HEIGHT))
            painter.drawText(QPointF(x + 3, RULER_HEIGHT - 4), format_duration(seconds))
            seconds += step

    def _paint_block(self, painter: QPainter, block: SlideBlock) -> None:
        palette = self.palette()
        roles = palette.ColorRole
        rect = block.rect
        current = block.slide_id == self.current_slide
        if current:
            fill = palette.color(roles.Highlight)
        else:
            fill = palette.color(roles.Button if block.number % 2 else roles.AlternateBase)
            if block.slide_id == self._hover:
                fill = fill.darker(108)
        painter.save()
        painter.setClipRect(rect)
        painter.fillRect(rect, fill)
        pad = 2 if rect.width() >= 8 else 0
        inner = rect.adjusted(pad, 2, -pad, -2)
        thumb = self._thumbnail(block.slide_id)
        if thumb is not None:
            offset = max(0.0, (thumb.width() - inner.width()) / 2)  # narrow: show its middle
            painter.save()
            painter.setClipRect(inner.adjusted(0, 0, 0, 1))
            painter.drawPixmap(QPointF(inner.left() - offset, inner.top()), thumb)
            painter.restore()
        text_pen = palette.color(roles.HighlightedText if current else roles.ButtonText)
        if thumb is not None:
            text_left = inner.left() + thumb.width() + 4
        else:  # beside the number
            number_width = _badge_width(QFontMetricsF(self._number_font()), block.number)
            text_left = rect.left() + number_width + 5
        text_rect = QRectF(text_left, inner.top(), inner.right() - text_left, 14)
        metrics = painter.fontMetrics()
        if text_rect.width() > metrics.horizontalAdvance("0.0 s"):
            painter.setPen(text_pen)
            length = format_slide_length(block.seconds)
            if block.fixed:
                length = self.tr("{0} fixed").format(length)
            label = metrics.elidedText(
                length, Qt.TextElideMode.ElideRight, round(text_rect.width())
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft, label)
            title_rect = text_rect.translated(0, 14)
            title = metrics.elidedText(
                block.title, Qt.TextElideMode.ElideRight, round(title_rect.width())
            )
            painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft, title)
        self._paint_waveform(painter, block, text_pen)
        if block.number_shown:
            self._paint_number(painter, block)
        if block.fixed:
            accent = palette.color(roles.Accent)
            corner = QPolygonF(
                [
                    QPointF(rect.right(), rect.bottom() - 8),
                    QPointF(rect.right(), rect.bottom()),
                    QPointF(rect.right() - 8, rect.bottom()),
                ]
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawPolygon(corner)
        painter.restore()
        painter.setPen(QPen(palette.color(roles.Dark), 1))
        painter.drawLine(QLineF(rect.right(), rect.top(), rect.right(), rect.bottom()))
        if current:
            painter.setPen(QPen(palette.color(roles.Highlight).darker(140), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))

    def _paint_number(self, painter: QPainter, block: SlideBlock) -> None:
        palette = self.palette()
        font = self._number_font()
        metrics = QFontMetricsF(font)
        badge = QRectF(
            block.rect.left() + 1,
            block.rect.top() + 1,
            _badge_width(metrics, block.number),
            metrics.height() + 2,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        background = QColor(palette.color(palette.ColorRole.Window))
        background.setAlpha(225)
        painter.setBrush(background)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setFont(font)
        painter.setPen(palette.color(palette.ColorRole.WindowText))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(block.number))
        painter.setFont(self.font())

    def _paint_waveform(self, painter: QPainter, block: SlideBlock, color: QColor) -> None:
        timing = block.timing
        if not timing.narration_samples:
            return
        top = block.rect.bottom() - WAVE_HEIGHT - 2
        middle = top + WAVE_HEIGHT / 2
        start = self._x_of_sample(timing.narration_start)
        wave = self.waveforms.get(block.slide_id)
        key = self._keys.get(block.slide_id)
        if wave is None or wave.peaks is None or wave.key != key or not len(wave.peaks):
            # not spoken yet: where the estimated narration goes, as a faint band
            end = self._x_of_sample(timing.narration_start + timing.narration_samples)
            band = QColor(color)
            band.setAlpha(40)
            painter.fillRect(QRectF(start, middle - 3, end - start, 6), band)
            return
        peaks = wave.peaks
        seconds = wave.samples / SAMPLE_RATE
        end = start + seconds * self.pixels_per_second
        first = max(math.floor(start), math.floor(block.rect.left()), 0)
        last = min(math.ceil(end), math.ceil(block.rect.right()), self.viewport().width())
        if last <= first:
            return
        columns = np.arange(first, last, dtype=np.float64)
        scale = PEAKS_PER_SECOND / self.pixels_per_second  # peaks per pixel
        begin = np.clip(((columns - start) * scale).astype(np.int64), 0, len(peaks) - 1)
        heights = np.maximum.reduceat(peaks, begin)
        if len(begin) > 1:  # reduceat gives the single value where the next index is not ahead
            heights = np.where(np.diff(begin, append=len(peaks)) > 0, heights, peaks[begin])
        half = WAVE_HEIGHT / 2 - 1
        lines = [
            QLineF(x + 0.5, middle - h * half - 0.5, x + 0.5, middle + h * half + 0.5)
            for x, h in zip(columns.tolist(), heights.tolist(), strict=True)
        ]
        wave_color = QColor(color)
        wave_color.setAlpha(170)
        painter.setPen(QPen(wave_color, 1))
        painter.drawLines(lines)

    def _paint_drag(self, painter: QPainter) -> None:
        drag = self._drag
        assert drag is not None and drag.seconds is not None
        block = next((b for b in self.blocks() if b.slide_id == drag.slide_id), None)
        if block is None:
            return
        palette = self.palette()
        accent = palette.color(palette.ColorRole.Accent)
        x = self._x_of_sample(drag.start_sample) + drag.seconds * self.pixels_per_second
        span = QColor(accent)
        span.setAlpha(60)
        left = block.rect.left()
        painter.fillRect(QRectF(left, block.rect.top(), x - left, block.rect.height()), span)
        painter.setPen(QPen(accent, 3))
        painter.drawLine(QLineF(x, block.rect.top(), x, block.rect.bottom()))
        text = self.tr("Fixed: {0}").format(format_slide_length(drag.seconds))
        metrics = painter.fontMetrics()
        label = QRectF(0, 1, metrics.horizontalAdvance(text) + 10, RULER_HEIGHT)
        label.moveLeft(
            min(max(0.0, x - label.width() / 2), self.viewport().width() - label.width())
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(label, 3, 3)
        painter.setPen(palette.color(palette.ColorRole.HighlightedText))
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)

    # --- mouse, wheel, keys -------------------------------------------------------------------
    def _edge_at(self, x: float) -> SlideBlock | None:
        """The slide whose end is within reach of ``x`` (slides too narrow to hold and click
        apart are left to a click; zoom in to drag them)."""
        best = None
        for block in self.blocks():
            distance = abs(block.rect.right() - x)
            if distance <= EDGE_GRAB and block.rect.width() >= 3 * EDGE_GRAB:
                if best is None or distance < abs(best.rect.right() - x):
                    best = block
        return best

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(event.pos().x())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or abs(delta.x()) > abs(delta.y()):
            steps = (delta.x() or delta.y()) / 120
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - round(steps * bar.singleStep() * 3))
        elif delta.y():
            self.zoom_by(ZOOM_STEP ** (delta.y() / 120), event.position().x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        x = event.position().x()
        edge = self._edge_at(x)
        if edge is not None:
            self._drag = _EdgeDrag(edge.slide_id, x, edge.timing.start_sample)
            return
        slide_id = self.slide_at(x)
        if slide_id:
            self.slide_clicked.emit(slide_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        x = event.position().x()
        drag = self._drag
        if drag is None:
            hover = self.slide_at(x)
            grab = self._edge_at(x) is not None
            shape = Qt.CursorShape.SizeHorCursor if grab else Qt.CursorShape.ArrowCursor
            self.viewport().setCursor(shape)
            if hover != self._hover:
                self._hover = hover
                self.viewport().update()
            return
        if drag.seconds is None and abs(x - drag.start_x) < DRAG_THRESHOLD:
            return
        seconds = (x - self._x_of_sample(drag.start_sample)) / self.pixels_per_second
        seconds = round(min(MAX_FIXED_SECONDS, max(MIN_FIXED_SECONDS, seconds)), 1)
        if seconds != drag.seconds:
            drag.seconds = seconds
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if drag.seconds is None:  # a click on the edge: it selects, as anywhere else
            self.slide_clicked.emit(drag.slide_id)
            return
        self.set_fixed_duration(drag.slide_id, drag.seconds)
        self.viewport().update()

    def set_fixed_duration(self, slide_id: str, seconds: float) -> None:
        """Give the slide a fixed duration of ``seconds`` (kept longer if its narration needs
        it), as one undo step; nothing happens when it already has exactly that."""
        current = self.document.lecture.slide(slide_id).duration
        policy = dataclasses.replace(current, mode="fixed", seconds=seconds)
        if policy != current:
            label = self.tr("Set fixed duration")
            self.document.do(SetProperty(slide_id, "duration", policy, label=label))

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if self._hover:
            self._hover = ""
            self.viewport().update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit_all()
        elif key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().update()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            ids = [b.slide_id for b in self.blocks()]
            if ids:
                step = -1 if key == Qt.Key.Key_Left else 1
                index = ids.index(self.current_slide) + step if self.current_slide in ids else 0
                self.slide_clicked.emit(ids[max(0, min(index, len(ids) - 1))])
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._update_zoom_range()


def _badge_width(metrics: QFontMetricsF, number: int) -> float:
    return metrics.horizontalAdvance(str(number)) + 6

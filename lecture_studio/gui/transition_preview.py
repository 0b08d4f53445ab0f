"""A thumbnail-sized live preview of a slide's transition into the next slide (numpy frames)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import QLabel

from ..app import app_registry
from ..errors import LectureStudioError
from ..model.timeline import transition_after
from ..slides.framing import parse_color
from ..transitions import Crossfade, Transition, make_transition
from .document import LectureDocument

PREVIEW_FPS = 30
PREVIEW_WIDTH = 192
HOLD_MS = 700  # the last frame stays this long before the slide itself shows again
GENERATIVE = {"latent-morph"}  # needs a model: previewed as the crossfade it falls back to


def image_to_array(image: QImage, size: QSize) -> np.ndarray:
    """``image`` scaled to ``size`` as an HxWx3 uint8 array (an independent copy)."""
    scaled = image.convertToFormat(QImage.Format.Format_RGB888).scaled(
        size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    width, height, stride = scaled.width(), scaled.height(), scaled.bytesPerLine()
    raw = np.frombuffer(scaled.constBits(), np.uint8, count=stride * height)
    return raw.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def array_to_image(frame: np.ndarray) -> QImage:
    """An independent RGB888 QImage of an HxWx3 uint8 array."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    return QImage(frame.data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


class TransitionPreview(QLabel):
    """Plays one slide's transition into the next visible slide at ~30 fps on a QTimer.

    Frames come from the same ``transition.frame(a, b, progress)`` the export uses, on the
    slides' preview pictures scaled to thumbnail size. Click to play again.
    """

    frame_shown = Signal(int)  # index of the frame just drawn

    def __init__(self, document: LectureDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("transitionPreview")
        self.setAccessibleName(self.tr("Transition preview"))
        self.setToolTip(self.tr("Click to play the transition again"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slide_id = ""
        self.transition: Transition | None = None
        self.note = ""
        self.frames: list[np.ndarray] = []  # the frames of the last play, in order
        self._a = self._b = np.zeros((1, 1, 3), np.uint8)
        self._count = 0
        self._index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 / PREVIEW_FPS))
        self.timer.timeout.connect(self._tick)
        self._rest = QTimer(self)
        self._rest.setSingleShot(True)
        self._rest.setInterval(HOLD_MS)
        self._rest.timeout.connect(self.show_still)
        self.setFixedSize(self.frame_size())
        document.images_changed.connect(self._on_images_changed)

    def _on_images_changed(self) -> None:
        if not self.playing and not self._rest.isActive():
            self.show_still()

    def frame_size(self) -> QSize:
        output = self.document.lecture.output
        height = max(2, round(PREVIEW_WIDTH * output.height / max(output.width, 1)))
        return QSize(PREVIEW_WIDTH, height)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_slide(self, slide_id: str) -> None:
        self.stop()
        self.slide_id = slide_id
        self.show_still()

    def stop(self) -> None:
        self.timer.stop()
        self._rest.stop()

    # --- pictures ------------------------------------------------------------------------
    def _picture(self, slide_id: str | None) -> np.ndarray:
        size = self.frame_size()
        image = self.document.images.get(slide_id) if slide_id else None
        if image is not None and not image.isNull():
            return image_to_array(image, size)
        if slide_id:  # not drawn yet: a neutral card
            colour = self.palette().color(self.palette().ColorRole.Mid)
            rgb = (colour.red(), colour.green(), colour.blue())
        else:  # after the last slide the video ends on its background colour
            rgb = parse_color(self.document.lecture.output.background)
        return np.full((size.height(), size.width(), 3), rgb, np.uint8)

    def _next_slide_id(self) -> str | None:
        slides = self.document.lecture.slides
        ids = [s.id for s in slides]
        if self.slide_id not in ids:
            return None
        later = slides[ids.index(self.slide_id) + 1 :]
        return next((s.id for s in later if not s.hidden), None)

    def show_still(self) -> None:
        """Show the slide itself (between plays)."""
        if self.slide_id:
            self.setPixmap(QPixmap.fromImage(array_to_image(self._picture(self.slide_id))))
        else:
            self.setPixmap(QPixmap())
        self.setFixedSize(self.frame_size())

    # --- playing -------------------------------------------------------------------------
    def play(self, kind: str, seconds: float) -> None:
        """Play the transition ``kind`` lasting ``seconds`` from this slide into the next."""
        self.stop()
        if not self.slide_id:
            return
        self.setFixedSize(self.frame_size())
        self.note = ""
        if kind in GENERATIVE:
            self.transition = Crossfade(duration=seconds)
            self.note = self.tr("Shown as a crossfade here; the morph is drawn at export.")
        else:
            try:
                self.transition = make_transition(kind, seconds, registry=app_registry())
            except (LectureStudioError, ValueError) as error:  # a plugin's, broken or gone
                self.transition = None
                self.note = getattr(error, "message", str(error))
                self.setToolTip(self.note)
                self.show_still()
                return
        replay = self.tr("Click to play the transition again")
        self.setToolTip(f"{self.note}\n{replay}" if self.note else replay)
        self._a = self._picture(self.slide_id)
        self._b = self._picture(self._next_slide_id())
        self._count = max(2, round(seconds * PREVIEW_FPS) + 1)
        self._index = 0
        self.frames = []
        self._tick()
        self.timer.start()

    def _tick(self) -> None:
        if self.transition is None or self._index >= self._count:
            self.timer.stop()
            self._rest.start()
            return
        progress = self._index / (self._count - 1)
        frame = self.transition.frame(self._a, self._b, progress)
        self.frames.append(frame)
        self.setPixmap(QPixmap.fromImage(array_to_image(frame)))
        self.frame_shown.emit(self._index)
        self._index += 1

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        slide = self._slide()
        if slide is None:
            return
        spec = transition_after(self.document.lecture, slide)
        self.play(spec.kind, spec.duration)
        event.accept()

    def _slide(self):
        try:
            return self.document.lecture.slide(self.slide_id) if self.slide_id else None
        except KeyError:
            return None

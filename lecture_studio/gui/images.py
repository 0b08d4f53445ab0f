"""Turning the core's PIL images into QImages (safe to do on a worker thread)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def to_qimage(image: Image.Image) -> QImage:
    """An independent RGB888 QImage copy of a PIL image."""
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    width, height = rgb.size
    return QImage(data, width, height, width * 3, QImage.Format.Format_RGB888).copy()

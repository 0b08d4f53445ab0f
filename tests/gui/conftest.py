"""The editor window the GUI tests drive, and a meter of event-loop stalls."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

from lecture_studio.gui.main_window import MainWindow
from lecture_studio.gui.settings import EditorSettings
from lecture_studio.gui.workers import Worker

WAIT_MS = 60_000


@pytest.fixture
def window(qtbot, tmp_path: Path):
    settings = EditorSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, recovery_dir=tmp_path / "recovery")
    win.ask_to_save = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    yield win
    for worker in list(win.workers):
        worker.cancel()
    qtbot.waitUntil(lambda: Worker.active_count() == 0, timeout=WAIT_MS)


@pytest.fixture
def event_loop_gaps():
    """A context manager measuring the event loop's longest pauses (see ``_gaps``)."""
    return _gaps


@contextmanager
def _gaps() -> Iterator[list[float]]:
    """The gaps between ticks of a 10 ms timer while the block runs, in seconds."""
    gc.collect()  # what earlier tests left behind is not the measured code's pause
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    try:
        yield gaps
    finally:
        timer.stop()

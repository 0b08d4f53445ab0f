"""The editor window the GUI tests drive, and a recorder of heavy code the GUI thread runs
(long work belongs on a worker; ``benchmarks/gui_stalls.py`` measures the stalls themselves)."""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
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


# Code that may take long and must never run on the GUI thread: the encoder, narration engines
# and loudness, deck conversion and parsing, image generation, cutting a one-take recording,
# speech recognition and the libraries behind them.
HEAVY_CODE = tuple(
    str(Path(p))
    for p in (
        "lecture_studio/render/encoder.py",
        "lecture_studio/render/aac.py",
        "lecture_studio/render/packets.py",
        "lecture_studio/narration/loudness.py",
        "lecture_studio/narration/espeak.py",
        "lecture_studio/narration/openjtalk.py",
        "lecture_studio/narration/piper.py",
        "lecture_studio/narration/kokoro.py",
        "lecture_studio/narration/one_take.py",
        "lecture_studio/narration/transcribe.py",
        "lecture_studio/slides/libreoffice.py",
        "lecture_studio/soffice.py",
        "lecture_studio/importers/convert.py",
        "lecture_studio/importers/pptx.py",
        "lecture_studio/imagery/procedural.py",
        "lecture_studio/imagery/diffusers_generator.py",
        "/torch/",
        "/diffusers/",
        "/pptx/",
        "/pymupdf/",
        "/fitz/",
        "/faster_whisper/",
        "/ctranslate2/",
    )
)


@pytest.fixture
def gui_thread_heavy_calls():
    """A context manager listing the heavy functions (see ``HEAVY_CODE``) that the GUI thread
    entered while the block ran: long work on a worker leaves the list empty, whatever the
    machine's speed."""
    return _heavy_calls


@contextmanager
def _heavy_calls() -> Iterator[list[str]]:
    assert threading.current_thread() is threading.main_thread()
    calls: list[str] = []

    def profile(frame, event, arg):  # noqa: ANN001 - sys.setprofile's signature
        code = frame.f_code
        # functions only: importing a module runs its body and class bodies, which is quick
        if event == "call" and code.co_flags & inspect.CO_OPTIMIZED:
            if any(part in code.co_filename for part in HEAVY_CODE):
                calls.append(f"{code.co_filename}:{code.co_name}")

    previous = sys.getprofile()
    sys.setprofile(profile)  # this thread only: workers are not watched
    try:
        yield calls
    finally:
        sys.setprofile(previous)

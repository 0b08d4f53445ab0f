"""The Export Video dialog's word-highlight captions box: off by default, passed to the core's
export options when ticked, and remembered for the next export."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from lecture_studio.errors import ExportError  # noqa: E402
from lecture_studio.render import export as export_module  # noqa: E402

WAIT_MS = 60_000


def test_word_captions_box_reaches_the_export_and_is_remembered(
    qtbot, window, tmp_path, monkeypatch
):
    seen = []

    def fake_export(project, destination, options, progress=None, cancel=None):
        seen.append(options.word_captions)
        raise ExportError("Stopped by the test.")

    monkeypatch.setattr(export_module, "export_lecture", fake_export)
    dialog = window.export_video(size=(64, 36))
    box = dialog.word_captions
    assert box.isVisible() and not box.isChecked()  # off until the teacher asks for it
    box.setChecked(True)
    dialog.destination.setText(str(tmp_path / "talk.mp4"))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS) as finished:
        dialog.export_button.click()
    assert finished.args == [False] and dialog.status.text() == "Stopped by the test."
    assert seen == [True]
    dialog.close()
    assert window.export_video(size=(64, 36)).word_captions.isChecked()

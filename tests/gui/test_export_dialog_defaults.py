"""What the Export Video dialog proposes: a folder that can be written (the lecture's, else the
last export's, else the Videos folder), the presets of ``render.presets`` by their labels, and
every format the registry exports (the built-in MP4 and plugin exporters, by suffix) through
the same lookup as the CLI's ``export``."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from lecture_studio.app import register_builtins  # noqa: E402
from lecture_studio.gui.export_dialog import ExportDialog  # noqa: E402
from lecture_studio.gui.settings import folder_is_writable, videos_folder  # noqa: E402
from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.plugins import PluginRegistry  # noqa: E402
from lecture_studio.project import Project  # noqa: E402
from lecture_studio.render.formats import export_formats, exporter_for  # noqa: E402
from lecture_studio.render.presets import PRESETS  # noqa: E402

WAIT_MS = 60_000


def saved_lecture(window, folder: Path) -> Path:
    lecture = Lecture(title="Cells", slides=[Slide(id="a", title="Cells", script="Cells.")])
    path = Project(lecture).save(folder / "cells.lecture")
    window.document.set_project(Project(lecture, path))
    return path


def dialog_with(window, writable) -> ExportDialog:
    return ExportDialog(window.document, window.settings, window, writable=writable)


# --- the folder proposed ---------------------------------------------------------------------
def test_the_lectures_own_folder_is_proposed_when_it_can_be_written(window, tmp_path):
    saved_lecture(window, tmp_path / "course")
    dialog = ExportDialog(window.document, window.settings, window)  # the real check
    assert Path(dialog.destination.text()) == tmp_path / "course" / "cells.mp4"


def test_an_unwritable_lecture_folder_gives_the_last_export_folder(window, tmp_path):
    course, exports = tmp_path / "course", tmp_path / "exports"
    exports.mkdir()
    saved_lecture(window, course)
    window.settings.last_export_folder = exports
    checked = []

    def writable(folder: Path) -> bool:  # the course folder is on a read-only share
        checked.append(folder)
        return folder != course

    dialog = dialog_with(window, writable)
    assert Path(dialog.destination.text()) == exports / "cells.mp4"
    assert checked == [course, exports]


def test_without_a_writable_last_export_folder_the_videos_folder_is_proposed(window, tmp_path):
    saved_lecture(window, tmp_path / "course")
    window.settings.last_export_folder = tmp_path / "gone"  # deleted since
    dialog = dialog_with(
        window, lambda folder: folder_is_writable(folder) and "course" not in str(folder)
    )
    assert Path(dialog.destination.text()) == videos_folder() / "cells.mp4"


def test_the_last_export_folder_is_remembered(qtbot, window, tmp_path, monkeypatch):
    from lecture_studio.errors import ExportError
    from lecture_studio.render import export as export_module

    def refused(project, destination, options, progress=None, cancel=None):
        raise ExportError("Stopped by the test.")

    monkeypatch.setattr(export_module, "export_lecture", refused)
    saved_lecture(window, tmp_path / "course")
    dialog = ExportDialog(window.document, window.settings, window)
    dialog.destination.setText(str(tmp_path / "elsewhere" / "cells.mp4"))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS):
        dialog.export_button.click()
    assert window.settings.last_export_folder == tmp_path / "elsewhere"


def test_the_writability_check_tries_a_real_file_and_leaves_nothing(tmp_path):
    assert folder_is_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert not folder_is_writable(tmp_path / "missing")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.geteuid() != 0:  # root writes through permission bits: the probe says so
            assert not folder_is_writable(locked)
        else:
            assert folder_is_writable(locked)
    finally:
        locked.chmod(0o755)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_not_even_root_can_write_is_found_out():
    assert not folder_is_writable(Path("/proc"))


# --- presets ---------------------------------------------------------------------------------
def test_the_presets_are_those_of_the_core_with_their_labels(window):
    dialog = ExportDialog(window.document, window.settings, window)
    shown = [
        (dialog.preset.itemData(i), dialog.preset.itemText(i)) for i in range(dialog.preset.count())
    ]
    assert shown == [(p.name, p.title) for p in PRESETS.values()]
    assert ("2160p", "4K (3840x2160)") in shown
    assert dialog.preset.currentData() == "1080p"


# --- formats ---------------------------------------------------------------------------------
TITLES_EXPORTER = """\
from pathlib import Path


def export_titles(project, destination, progress, cancel):
    progress(0.5, "Writing titles")
    Path(destination).write_text("\\n".join(s.title for s in project.lecture.slides))
    return [Path(destination)]


def register(registrar):
    registrar.add_exporter("titles", ["titles.txt"], export_titles, "Slide titles")
"""


@pytest.fixture
def titles_registry(tmp_path):
    folder = tmp_path / "plugins"
    package = folder / "titles_plugin"
    package.mkdir(parents=True)
    (package / "plugin.toml").write_text(
        '[plugin]\nname = "titles"\nversion = "1.0"\napi_version = 1\nkinds = ["exporter"]\n'
    )
    (package / "__init__.py").write_text(textwrap.dedent(TITLES_EXPORTER))
    yield PluginRegistry(folders=[folder], entry_points=False, builtins=register_builtins)
    for name in [m for m in sys.modules if m.startswith("lecture_studio_plugin_")]:
        del sys.modules[name]


def test_the_core_lookup_finds_each_exporter_by_suffix(titles_registry):
    formats = export_formats(titles_registry)
    assert [f.suffix for f in formats] == [".mp4", ".titles.txt"]
    assert formats[0].builtin and not formats[1].builtin
    assert exporter_for("talk.MP4", titles_registry).builtin
    assert exporter_for("talk.titles.txt", titles_registry).exporter.name == "titles"
    assert [f.suffix for f in export_formats()] == [".mp4"]  # no registry: the built-in MP4
    with pytest.raises(Exception, match=r"talk\.avi does not end in \.mp4 or a suffix"):
        exporter_for("talk.avi", titles_registry)


def test_a_plugin_format_is_offered_and_exports_through_its_plugin(
    qtbot, window, tmp_path, titles_registry
):
    saved_lecture(window, tmp_path / "course")
    dialog = ExportDialog(window.document, window.settings, window, registry=titles_registry)
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == [
        ".mp4",
        ".titles.txt",
    ]
    assert dialog.format.itemText(1) == "Slide titles (.titles.txt)"
    dialog.format.setCurrentIndex(1)
    assert dialog.destination.text().endswith("cells.titles.txt")
    assert not dialog.preset.isEnabled() and not dialog.captions.isEnabled()  # MP4's own
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS) as finished:
        dialog.export_button.click()
    assert finished.args == [True]
    assert (tmp_path / "course" / "cells.titles.txt").read_text() == "Cells"
    assert dialog.status.text() == "Exported cells.titles.txt."

    dialog.destination.setText(str(tmp_path / "course" / "cells.mp4"))  # typing picks the MP4
    assert dialog.format.currentData() == ".mp4" and dialog.preset.isEnabled()
    dialog.destination.setText(str(tmp_path / "course" / "cells.avi"))
    with qtbot.waitSignal(dialog.export_finished, timeout=WAIT_MS) as finished:
        dialog.export_button.click()
    assert finished.args == [False]
    assert dialog.status.text().startswith("cells.avi does not end in .mp4 or a suffix")

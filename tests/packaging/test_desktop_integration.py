"""Desktop integration files and the About dialog: versions agree, licenses are reachable."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lecture_studio import __version__

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
APP_ID = "org.lecturestudio.LectureStudio"


def test_the_desktop_file_launches_the_editor_with_our_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "lecture-studio-gui %f"
    assert desktop["Icon"] == APP_ID
    assert (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        in (desktop["MimeType"])
    )
    assert (REPO / "packaging" / "icons" / "lecture-studio-256.png").is_file()


def test_the_appstream_metadata_names_this_version_and_license():
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert root.find("releases/release").get("version") == __version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_appstreamcli_accepts_the_metadata():
    finished = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_the_license_and_notices_say_what_redistributing_means():
    assert "GNU GENERAL PUBLIC LICENSE" in (REPO / "LICENSE").read_text(encoding="utf-8")
    notices = (REPO / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8")
    for needed in ("x264", "GPL-2.0-or-later", "PyMuPDF", "AGPL-3.0", "LGPL-3.0", "source code"):
        assert needed in notices


def test_the_about_dialog_shows_the_version_and_both_license_texts(qtbot):
    from lecture_studio.gui.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert f"Lecture Studio {__version__}" in dialog.versions.text()
    tabs = {dialog.tabs.tabText(i): dialog.tabs.widget(i) for i in range(dialog.tabs.count())}
    assert set(tabs) == {"License", "Third-party notices"}
    assert "GNU GENERAL PUBLIC LICENSE" in tabs["License"].toPlainText()
    assert "x264" in tabs["Third-party notices"].toPlainText()

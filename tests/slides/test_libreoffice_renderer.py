import os
import stat
import threading
import time
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches

from lecture_studio.errors import Cancelled, RenderError
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture, Slide, SlideSource
from lecture_studio.project import Project
from lecture_studio.slides import libreoffice, render_slide_images

SOFFICE = libreoffice.find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
SLIDE_COLOURS = [(200, 30, 30), (30, 160, 40), (40, 60, 210), (230, 200, 20)]


def coloured_deck(path: Path, hidden: tuple[int, ...] = ()) -> Path:
    """A 4:3 deck whose slide i is filled with SLIDE_COLOURS[i]; ``hidden`` are 1-based."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(10), Inches(7.5)
    for number, colour in enumerate(SLIDE_COLOURS, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor(*colour)
        if number in hidden:
            slide._element.set("show", "0")
    deck.save(path)
    return path


def deck_project(deck: Path, count: int, width: float = 10.0, height: float = 7.5) -> Project:
    project = Project(Lecture(slide_width=width, slide_height=height))
    project.lecture.source_asset = project.add_asset(deck.read_bytes(), deck.suffix)
    project.lecture.slides = [
        Slide(source=SlideSource("pptx", str(deck), i)) for i in range(1, count + 1)
    ]
    return project


def put_on_path(monkeypatch, folder: Path, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return exe


def close_to(pixel, colour, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@needs_soffice
def test_hidden_slides_map_to_their_own_page_and_a_second_call_uses_the_cache(
    tmp_path, monkeypatch
):
    log = tmp_path / "soffice-calls.log"
    put_on_path(monkeypatch, tmp_path / "bin", f'echo run >> "{log}"\nexec "{SOFFICE}" "$@"\n')
    deck = coloured_deck(tmp_path / "colours.pptx", hidden=(2,))
    project = deck_project(deck, 4)

    first = render_slide_images(project, size=(640, 360), cache_dir=tmp_path / "cache")
    for slide, colour in zip(project.lecture.slides, SLIDE_COLOURS, strict=True):
        image = first[slide.id]
        assert image.size == (640, 360)
        assert close_to(image.getpixel((320, 180)), colour), slide.source.index
        assert image.getpixel((20, 180)) == (0, 0, 0)  # 4:3 deck: pillarbox bars
    assert first.warnings == []
    assert {d.renderer for d in first.drawn.values()} == {"libreoffice"}

    second = render_slide_images(project, size=(320, 180), cache_dir=tmp_path / "cache")
    assert close_to(second[project.lecture.slides[3].id].getpixel((160, 90)), SLIDE_COLOURS[3])
    assert log.read_text().count("run") == 1


def test_pages_of_an_export_without_hidden_slides_map_to_the_visible_ones(tmp_path):
    deck = coloured_deck(tmp_path / "colours.pptx", hidden=(2,))
    visibility = libreoffice.deck_slide_visibility(deck)
    assert visibility == [True, False, True, True]
    assert libreoffice.page_of_slides(4, visibility, "d.pptx") == {1: 0, 2: 1, 3: 2, 4: 3}
    assert libreoffice.page_of_slides(3, visibility, "d.pptx") == {1: 0, 3: 1, 4: 2}
    with pytest.raises(RenderError, match="cannot be matched"):
        libreoffice.page_of_slides(2, visibility, "d.pptx")


def test_a_failing_libreoffice_gives_a_clear_render_error(tmp_path, monkeypatch):
    put_on_path(
        monkeypatch, tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2\nexit 1\n"
    )
    deck = coloured_deck(tmp_path / "lesson.pptx")
    with pytest.raises(RenderError) as caught:
        render_slide_images(deck_project(deck, 1), cache_dir=tmp_path / "cache")
    message = caught.value.message
    assert "LibreOffice could not convert lesson.pptx" in message
    assert "source file could not be loaded" in message
    assert "\n" not in message


def test_libreoffice_that_writes_nothing_is_an_error_too(tmp_path, monkeypatch):
    put_on_path(monkeypatch, tmp_path / "bin", "exit 0\n")
    deck = coloured_deck(tmp_path / "lesson.pptx")
    with pytest.raises(RenderError, match="wrote no file"):
        render_slide_images(deck_project(deck, 1), cache_dir=tmp_path / "cache")


def test_a_hung_libreoffice_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    pid_file, finished = tmp_path / "child.pid", tmp_path / "finished"
    script = f'sleep 60 &\necho $! > "{pid_file}"\nwait\ntouch "{finished}"\n'
    exe = put_on_path(monkeypatch, tmp_path / "bin", script)
    deck = coloured_deck(tmp_path / "lesson.pptx")
    with pytest.raises(RenderError, match="took more than 1 s to convert lesson.pptx"):
        libreoffice.deck_pdf(deck, tmp_path / "cache", str(exe), timeout=1.0)
    assert not finished.exists()  # stopped, not waited for
    child = int(pid_file.read_text())
    time.sleep(0.2)
    assert (
        not Path(f"/proc/{child}").exists()
        or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    )


def test_cancel_stops_the_conversion(tmp_path, monkeypatch):
    finished = tmp_path / "finished"
    exe = put_on_path(monkeypatch, tmp_path / "bin", f'sleep 60\ntouch "{finished}"\n')
    deck = coloured_deck(tmp_path / "lesson.pptx")
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(Cancelled):
        libreoffice.deck_pdf(deck, tmp_path / "cache", str(exe), cancel=token)
    assert not finished.exists()  # stopped, not waited for

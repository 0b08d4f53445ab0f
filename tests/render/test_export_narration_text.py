"""What is spoken: slides with nothing to narrate are named in the export's notes, and
``--narrate-slide-text`` reads a slide's own title and bullets when it has no script."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lecture_studio.cli import main
from lecture_studio.importers import import_path
from lecture_studio.render.captions import parse_srt
from lecture_studio.render.export import ExportOptions, export_lecture

OUTLINE = """# Photosynthesis

- Plants turn light into sugar
- See https://example.org/leaf

# Respiration

- Cells burn sugar for energy
"""


def outline(tmp_path: Path) -> Path:
    path = tmp_path / "biology.md"
    path.write_text(OUTLINE, encoding="utf-8")
    return path


def options(tmp_path: Path) -> ExportOptions:
    return ExportOptions(size=(64, 36), thumbnail=False, cache_dir=tmp_path / "cache")


def test_a_deck_without_notes_says_plainly_that_it_is_silent_and_what_to_do(tmp_path):
    project = import_path(outline(tmp_path))
    assert not any(slide.script.strip() for slide in project.lecture.slides)
    result = export_lecture(project, tmp_path / "silent.mp4", options(tmp_path))
    (note,) = [n for n in result.notes if "narrate" in n]
    assert note.startswith("No slide has anything to narrate, so the video is silent")
    assert "--narrate-slide-text" in note and "speaker notes" in note
    assert not any(n.startswith("No captions were written") for n in result.notes)
    assert not (tmp_path / "silent.srt").exists()


def test_the_silent_slides_are_named_by_their_numbers_in_the_editor(tmp_path):
    """A hidden slide keeps its number; a recorded slide is not silent."""
    from lecture_studio.model import Slide

    project = import_path(outline(tmp_path))
    lecture = project.lecture
    lecture.slides.insert(0, Slide(title="Cover", hidden=True))
    lecture.slides.append(Slide(title="Thanks"))
    recorded = lecture.slides[2].narration
    recorded.source, recorded.recording = "recording", project.add_asset(wav(), ".wav")
    result = export_lecture(project, tmp_path / "part.mp4", options(tmp_path))
    (note,) = [n for n in result.notes if "nothing to narrate" in n]
    assert note.startswith("Slides 2, 4 have nothing to narrate and stay silent: write a script")
    assert "--narrate-slide-text" in note


def test_with_slide_text_narrated_the_note_names_what_else_gives_a_slide_a_voice():
    from lecture_studio.render.export import silent_slides_note

    note = silent_slides_note([3], 5, narrating_slide_text=True)
    assert note == (
        "Slide 3 has nothing to narrate and stays silent: write a script for it, or put text "
        "on it to read aloud."
    )


def wav() -> bytes:
    """One second of a 220 Hz tone as a WAV file."""
    import io
    import wave

    import numpy as np

    tone = 0.3 * np.sin(2 * np.pi * 220 * np.arange(48_000) / 48_000)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes((tone * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_cli_narrate_slide_text_speaks_and_captions_titles_and_bullets(tmp_path, capsys):
    dest = tmp_path / "spoken.mp4"
    code = main(
        [
            "export",
            str(outline(tmp_path)),
            "-o",
            str(dest),
            "--size",
            "64x36",
            "--narrate-slide-text",
            "--no-thumbnail",
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = " ".join(
        " ".join(cue.lines) for cue in parse_srt(dest.with_suffix(".srt").read_text("utf-8"))
    )
    assert "Photosynthesis." in text and "Cells burn sugar for energy" in text
    assert "example.org" not in text  # cleaned for speech like any script
    assert capsys.readouterr().err == ""  # nothing left silent to warn about

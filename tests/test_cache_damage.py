"""Damaged cache entries are found by their checksum, dropped with a warning and made again:
the export after the damage is the export a clean cache gives, frame for frame and sample for
sample."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from pptx import Presentation
from pptx.util import Inches

from lecture_studio.cachefile import TRAILER_SIZE, read_entry, sealed, unsealed, write_entry
from lecture_studio.importers import import_path
from lecture_studio.render.export import ExportOptions, export_lecture


def damaged(data: bytes, how: str) -> bytes:
    """``data`` truncated, with bytes flipped in its middle, or with its first bytes flipped;
    the length stays the same except when truncated."""
    if how == "truncate":
        return data[: len(data) // 2]
    middle = len(data) // 2 if how == "middle" else 0
    flipped = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    return data[:middle] + flipped + data[middle + len(flipped) :]


@pytest.mark.parametrize("how", ["truncate", "middle", "header"])
def test_a_damaged_entry_is_refused_removed_and_named(tmp_path: Path, how: str, caplog) -> None:
    content = bytes(range(256)) * 40
    assert unsealed(sealed(content)) == content
    path = tmp_path / "entry.bin"
    write_entry(path, content)
    assert path.stat().st_size == len(content) + TRAILER_SIZE
    assert read_entry(path) == content
    path.write_bytes(damaged(path.read_bytes(), how))
    with caplog.at_level(logging.WARNING):
        assert read_entry(path, "test entry") is None
    assert not path.exists()
    assert "damaged test entry" in caplog.text
    assert read_entry(path) is None  # missing now: no second warning needed


def test_an_entry_written_with_the_earlier_blake2b_trailer_is_still_read(tmp_path: Path) -> None:
    content = bytes(range(256)) * 40
    earlier = content + b"\nLSCK1" + hashlib.blake2b(content, digest_size=16).digest()
    path = tmp_path / "entry.bin"
    path.write_bytes(earlier)
    assert read_entry(path) == content
    path.write_bytes(damaged(earlier, "middle"))
    assert read_entry(path) is None


def two_slide_deck(path: Path) -> Path:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(10), Inches(5.625)
    for number in (1, 2):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Part {number}"
        slide.placeholders[1].text = f"Point {number}a\nPoint {number}b"
        slide.notes_slide.notes_text_frame.text = f"This is part {number}."
    deck.save(path)
    return path


def decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return frames, sound


def export(deck: Path, cache: Path, video: Path) -> Path:
    options = ExportOptions(size=(320, 180), cache_dir=cache, captions=False)
    return export_lecture(import_path(deck), video, options).video


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory) -> tuple[Path, Path, tuple[list[np.ndarray], np.ndarray]]:
    """A two-slide deck exported once with a cold cache: the deck, that cache (each test
    damages a copy of it) and the video's decoded frames and samples."""
    folder = tmp_path_factory.mktemp("clean")
    deck = two_slide_deck(folder / "deck.pptx")
    return deck, folder / "cache", decoded(export(deck, folder / "cache", folder / "clean.mp4"))


@pytest.mark.slow
@pytest.mark.parametrize("how", ["truncate", "middle", "header"])
def test_an_export_over_damaged_entries_equals_a_clean_export(
    tmp_path: Path, how: str, clean_export
) -> None:
    """Every entry of every kind (encoded pieces, spoken clips, normalized narration, the
    converted deck) damaged at once; the re-export decodes to the clean export's frames and
    samples, and leaves a cache that is whole again."""
    deck, clean_cache, clean = clean_export
    cache = shutil.copytree(clean_cache, tmp_path / "cache")
    entries = [p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".")]
    kinds = {p.suffix if p.suffix != ".pdf" else ".checked.pdf" for p in entries}
    assert {".pkc", ".npz", ".npy", ".checked.pdf"} <= kinds, kinds
    for path in entries:
        path.write_bytes(damaged(path.read_bytes(), how))

    again = decoded(export(deck, cache, tmp_path / "again.mp4"))
    assert len(again[0]) == len(clean[0])
    for first, second in zip(clean[0], again[0], strict=True):
        np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(clean[1], again[1])
    for path in entries:
        assert read_entry(path) is not None, f"{path.name} was not made again"


def test_a_damaged_generated_image_is_named_at_export_and_drawn_again(tmp_path, capsys) -> None:
    """Generated images live in the project, named by what made them; their PNG checksums are
    their content check. A damaged one is left out of the video with a note, never shown
    broken, and `lecture-studio imagery` draws it again (the same picture)."""
    from lecture_studio.cli import main

    outline = tmp_path / "light.md"
    outline.write_text("# Light\n\n- Plants\n- Sugar\n\nNote: Plants make sugar.\n")
    project = tmp_path / "light.lecture"
    assert main(["import", str(outline), "-o", str(project), "--quiet"]) == 0
    assert main(["imagery", str(project), "--generator", "procedural"]) == 0
    (image,) = (project / "assets").glob("img-*.png")
    original = image.read_bytes()
    image.write_bytes(damaged(original, "middle"))
    capsys.readouterr()

    assert main(["export", str(project), "-o", str(tmp_path / "v.mp4"), "--size", "320x180"]) == 0
    said = capsys.readouterr()
    assert "image of slide 1 is missing or damaged" in " ".join((said.out + said.err).split())
    assert main(["imagery", str(project), "--generator", "procedural"]) == 0
    assert "Drew 1 image" in capsys.readouterr().out
    assert image.read_bytes() == original

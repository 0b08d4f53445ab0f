"""Legacy PowerPoint, Impress and Keynote files are converted by LibreOffice, not refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from lecture_studio.errors import UnsupportedFormatError
from lecture_studio.importers import convert, import_path, importable_suffixes
from lecture_studio.soffice import find_soffice

SOFFICE = find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed, so nothing can be converted"
)
SLIDES = [
    ("Photosynthesis", "Plants turn light into sugar."),
    ("光合成の仕組み", "葉緑体で光のエネルギーを使います。"),
    ("What comes out", "Glucose and oxygen.\nSix molecules of each."),
]


def saved_by_libreoffice(source: Path, target: str, folder: Path) -> Path:
    """``source`` converted by LibreOffice, as a teacher's own copy of LibreOffice saves it."""
    out = folder / "converted"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    made = out / f"{source.stem}.{target.split(':')[0]}"
    assert made.is_file(), f"LibreOffice made no {made.name}"
    return made


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """The same three-slide lecture as .odp and .ppt, made by LibreOffice from a .pptx."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed, so nothing can be converted")
    folder = tmp_path_factory.mktemp("formats")
    presentation = Presentation()
    for title, notes in SLIDES:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = f"A point about {title}"
        slide.notes_slide.notes_text_frame.text = notes
    pptx = folder / "photosynthesis.pptx"
    presentation.save(pptx)
    return {
        ".odp": saved_by_libreoffice(pptx, "odp", folder),
        ".ppt": saved_by_libreoffice(pptx, "ppt:MS PowerPoint 97", folder),
    }


@needs_soffice
@pytest.mark.parametrize("suffix", [".odp", ".ppt"])
def test_titles_and_speaker_notes_survive_the_conversion(decks, suffix):
    source = decks[suffix]
    assert source.suffix == suffix
    lecture = import_path(source).lecture
    assert [s.title for s in lecture.slides] == [title for title, _ in SLIDES]
    assert [s.notes.strip() for s in lecture.slides] == [notes for _, notes in SLIDES]
    assert [s.source.index for s in lecture.slides] == [1, 2, 3]
    # The slides name the teacher's file; the deck kept for drawing them is the .pptx.
    assert {s.source.path for s in lecture.slides} == {str(source)}
    assert lecture.source_asset.endswith(".pptx")


@needs_soffice
def test_content_decides_not_the_name(decks, tmp_path):
    renamed = tmp_path / "lecture.pptx"  # an Impress file someone named .pptx
    renamed.write_bytes(decks[".odp"].read_bytes())
    assert convert.needs_conversion(renamed)
    lecture = import_path(renamed).lecture
    assert lecture.slides[0].title == "Photosynthesis"


@needs_soffice
def test_the_legacy_deck_of_the_corpus_imports_with_its_notes(corpus):
    lecture = import_path(corpus / "poi__SampleShow.ppt").lecture
    assert [s.title for s in lecture.slides] == [
        "Title of the first slide",
        "This is the second slide",
    ]
    assert lecture.slides[0].notes == "I am the notes of the first slide"


@needs_soffice
@pytest.mark.parametrize("name", ["talk.key", "talk.odp"])
def test_a_file_libreoffice_cannot_read_says_which_formats_work(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"These bytes are no presentation at all.\n" * 20)
    with pytest.raises(UnsupportedFormatError) as caught:
        import_path(path)
    message = caught.value.message
    assert message.startswith(f"{name} is a") and "LibreOffice could not read" in message
    for works in (".pptx", ".ppt", ".odp", ".key", ".md", ".txt"):
        assert works in message
    assert "\n" not in message


def test_without_libreoffice_the_message_says_to_install_it_or_save_as_pptx(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    path = tmp_path / "old.ppt"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + "PowerPoint Document".encode("utf-16-le"))
    with pytest.raises(UnsupportedFormatError) as caught:
        import_path(path)
    message = caught.value.message
    assert message.startswith("old.ppt is a PowerPoint 97-2003 file")
    assert "apt-get install" in message and "save it as .pptx" in message


def test_a_keynote_package_folder_is_told_how_to_export_one_file(tmp_path):
    package = tmp_path / "talk.key"
    (package / "Index").mkdir(parents=True)
    with pytest.raises(UnsupportedFormatError, match="Export To > PowerPoint"):
        import_path(package)


def test_an_opendocument_text_is_not_called_a_presentation(tmp_path):
    import zipfile

    path = tmp_path / "essay.odp"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(UnsupportedFormatError, match="not a presentation"):
        import_path(path)


def test_the_editor_and_the_cli_accept_the_converted_formats():
    suffixes = importable_suffixes()
    assert {".ppt", ".pps", ".pot", ".odp", ".otp", ".fodp", ".key"} <= set(suffixes)
    assert {".pptx", ".md", ".txt"} <= set(suffixes)

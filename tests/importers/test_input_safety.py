"""Files that are not usable decks are refused before parsing, with one actionable sentence."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from lecture_studio.errors import (
    CorruptFileError,
    EmptyDeckError,
    EncryptedFileError,
    InputError,
    LectureStudioError,
    UnsupportedFormatError,
)
from lecture_studio.importers import import_path
from lecture_studio.importers.safety import OLE2_SIGNATURE


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def refuse(path: Path, error: type[LectureStudioError]) -> str:
    """Import ``path`` expecting ``error``; checks nothing was written next to it."""
    before = files_under(path.parent)
    with pytest.raises(error) as caught:
        import_path(path)
    assert files_under(path.parent) == before
    message = caught.value.message
    assert "\n" not in message and "Traceback" not in message
    return message


def small_deck(slides: int = 1) -> bytes:
    deck = Presentation()
    for number in range(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Slide {number + 1}"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def ole2_file(*stream_names: str) -> bytes:
    """A compound-file header followed by a directory sector naming the given streams."""
    header = OLE2_SIGNATURE + bytes(504)
    directory = bytearray()
    for name in ("Root Entry", *stream_names):
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry = encoded.ljust(64, b"\0") + struct.pack("<H", len(encoded)) + bytes(62)
        directory += entry
    return header + bytes(directory).ljust(512, b"\0")


def test_encrypted_deck_asks_to_remove_the_password(tmp_path: Path) -> None:
    path = tmp_path / "exam review.pptx"
    path.write_bytes(ole2_file("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    message = refuse(path, EncryptedFileError)
    assert "exam review.pptx" in message
    assert "password" in message


def test_legacy_powerpoint_is_told_to_save_as_pptx(tmp_path: Path) -> None:
    path = tmp_path / "old deck.pptx"  # a renamed .ppt: the content decides
    path.write_bytes(ole2_file("PowerPoint Document", "Current User"))
    message = refuse(path, UnsupportedFormatError)
    assert "old deck.pptx is a PowerPoint 97-2003 file" in message
    assert "save it as .pptx" in message


def test_other_office_97_file_is_not_called_a_presentation(tmp_path: Path) -> None:
    path = tmp_path / "letter.pptx"
    path.write_bytes(ole2_file("WordDocument", "1Table"))
    message = refuse(path, UnsupportedFormatError)
    assert "letter.pptx" in message and "not a presentation" in message


def test_truncated_deck_is_reported_damaged(tmp_path: Path, corpus: Path) -> None:
    data = (corpus / "poi__SampleShow.pptx").read_bytes()
    path = tmp_path / "half.pptx"
    path.write_bytes(data[: len(data) // 2])
    message = refuse(path, CorruptFileError)
    assert "half.pptx" in message and "download it again" in message


def test_damaged_part_inside_the_zip_is_reported(tmp_path: Path) -> None:
    data = bytearray(small_deck())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("ppt/slides/slide1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 8] = bytes(8)  # zeroes inside the deflated slide XML
    path = tmp_path / "scratched.pptx"
    path.write_bytes(bytes(data))
    message = refuse(path, CorruptFileError)
    assert "scratched.pptx is damaged" in message and "slide1.xml" in message


def test_lock_file_points_to_the_real_deck(tmp_path: Path) -> None:
    path = tmp_path / "~$Genetics.pptx"
    path.write_bytes(b"\x05Alice" + bytes(159))  # what PowerPoint leaves while a deck is open
    message = refuse(path, UnsupportedFormatError)
    assert "lock file" in message
    assert "import Genetics.pptx instead" in message


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["notes.docx", "notes.pptx"])
def test_word_document_is_named_as_such(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(word_document())
    message = refuse(path, UnsupportedFormatError)
    assert f"{name} is a Word document, not a presentation" in message


def test_zip_without_a_presentation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.pptx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a deck")
    message = refuse(path, UnsupportedFormatError)
    assert "photos.pptx is not a PowerPoint presentation" in message


def test_random_bytes_are_not_a_presentation(tmp_path: Path) -> None:
    path = tmp_path / "noise.pptx"
    path.write_bytes(os.urandom(4096).replace(b"PK", b"QK").replace(OLE2_SIGNATURE[:2], b"xx"))
    message = refuse(path, UnsupportedFormatError)
    assert "noise.pptx is not a PowerPoint presentation" in message


def test_empty_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "zero.pptx"
    path.write_bytes(b"")
    assert "zero.pptx is empty" in refuse(path, CorruptFileError)


def test_deck_with_no_slides_says_to_add_one(tmp_path: Path) -> None:
    path = tmp_path / "blank.pptx"
    path.write_bytes(small_deck(slides=0))
    message = refuse(path, EmptyDeckError)
    assert "blank.pptx has no slides" in message


def test_highly_compressed_member_is_refused_as_a_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pptx"
    path.write_bytes(small_deck())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ppt/media/filler.bin", bytes(50 * 1024**2))  # ~50 KB compressed
    message = refuse(path, CorruptFileError)
    assert "bomb.pptx" in message and "ppt/media/filler.bin" in message
    assert "unsafe" in message


def test_absurd_declared_size_is_refused_without_extracting(tmp_path: Path) -> None:
    data = bytearray(small_deck())
    directory = data.index(b"PK\x01\x02")  # first central-directory entry
    struct.pack_into("<I", data, directory + 24, 3 * 1024**3)  # claims 3 GiB uncompressed
    path = tmp_path / "huge.pptx"
    path.write_bytes(bytes(data))
    message = refuse(path, CorruptFileError)
    assert "huge.pptx would unpack to 3.0 GiB" in message


def test_missing_file_and_folder_and_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="absent.pptx does not exist"):
        import_path(tmp_path / "absent.pptx")
    folder = tmp_path / "decks"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        import_path(folder)
    pdf = tmp_path / "slides.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    message = refuse(pdf, UnsupportedFormatError)
    assert "slides.pdf is not a file Lecture Studio can import" in message


def test_a_good_deck_still_imports_after_all_checks(tmp_path: Path) -> None:
    path = tmp_path / "fine.pptx"
    path.write_bytes(small_deck(slides=3))
    before = files_under(tmp_path)
    project = import_path(path)
    assert [s.title for s in project.lecture.slides] == ["Slide 1", "Slide 2", "Slide 3"]
    assert files_under(tmp_path) == before  # importing writes nothing


def test_zip_level_password_is_reported_as_encrypted(tmp_path: Path) -> None:
    data = bytearray(small_deck())
    directory = data.index(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, directory + 8)[0]
    struct.pack_into("<H", data, directory + 8, flags | 0x1)  # "this member is encrypted"
    path = tmp_path / "locked.pptx"
    path.write_bytes(bytes(data))
    message = refuse(path, EncryptedFileError)
    assert "locked.pptx is a password-protected zip" in message

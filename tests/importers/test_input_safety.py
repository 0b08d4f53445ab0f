"""Files that are not usable decks are refused before parsing, with one actionable sentence."""

from __future__ import annotations

import io
import math
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from lecture_studio.errors import (
    CorruptFileError,
    EmptyDeckError,
    EncryptedFileError,
    InputError,
    LectureStudioError,
    MissingAssetError,
    PictureError,
    UnsupportedFormatError,
)
from lecture_studio.importers import import_path
from lecture_studio.importers.safety import OLE2_SIGNATURE
from lecture_studio.model import Lecture, Picture, Slide
from lecture_studio.pictures import MAX_PICTURE_PIXELS
from lecture_studio.project import Project
from lecture_studio.slides.builtin import draw_slide
from lecture_studio.slides.theme import load_theme


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


# --- issue 16: pictures must be pictures, sizes and names must not crash the import ----------

DATA = Path(__file__).resolve().parents[1] / "data"


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels but carries almost none: only the header
    is read at import, so the claim alone must decide."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def real_png(size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def outline_with_picture(folder: Path, target: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "talk.md"
    path.write_text(f"# Leaves\n\n![a leaf]({target})\n- green\n", encoding="utf-8")
    return path


def copy_of(name: str, folder: Path) -> Path:
    """A data file copied into ``folder`` (pictures it names are copied along by the caller)."""
    target = folder / name
    target.write_bytes((DATA / name).read_bytes())
    return target


def test_a_system_file_named_as_a_picture_is_refused(tmp_path: Path) -> None:
    message = refuse(copy_of("picture-etc-passwd.md", tmp_path), PictureError)
    assert message.startswith("The picture /etc/passwd on slide 1 of picture-etc-passwd.md")
    assert "is not a PNG, JPEG, GIF, WebP, BMP or TIFF picture" in message


def test_a_non_picture_from_a_parent_folder_or_behind_a_symlink_is_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "x.png").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    outline = outline_with_picture(tmp_path / "course" / "week1", "../../x.png")
    assert "../../x.png on slide 1 of talk.md is not a PNG" in refuse(outline, PictureError)

    link = tmp_path / "course" / "host.png"
    link.symlink_to("/etc/hostname")
    outline = outline_with_picture(tmp_path / "course", "host.png")
    assert "host.png on slide 1 of talk.md is not a PNG" in refuse(outline, PictureError)


def test_a_real_picture_from_outside_the_folder_is_kept_and_named(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "leaf.png"
    shared.parent.mkdir()
    shared.write_bytes(real_png())
    outline = outline_with_picture(tmp_path / "course", "../shared/leaf.png")
    (tmp_path / "course" / "here.png").write_bytes(real_png((4, 4)))
    outline.write_text(
        outline.read_text(encoding="utf-8") + "\n# Inside\n\n![](here.png)\n", encoding="utf-8"
    )
    project = import_path(outline)
    assert [len(s.pictures) for s in project.lecture.slides] == [1, 1]
    assert project.asset_bytes(project.lecture.slides[0].pictures[0].asset) == real_png()
    assert project.warnings == [
        "Slide 1: the picture ../shared/leaf.png comes from outside the folder of talk.md "
        f"({shared.resolve()}); check that you meant to include it."
    ]


def test_a_picture_bomb_is_refused_at_import(tmp_path: Path) -> None:
    outline = copy_of("picture-bomb.md", tmp_path)
    copy_of("bomb-30000x30000.png", tmp_path)
    message = refuse(outline, PictureError)
    assert (
        "bomb-30000x30000.png on slide 1 of picture-bomb.md is larger than the 50 megapixels"
        in (message)
    )


def test_the_pixel_limit_is_judged_from_the_header_alone(tmp_path: Path) -> None:
    side = math.isqrt(MAX_PICTURE_PIXELS)  # 7071 x 7071: just under the limit
    outline = outline_with_picture(tmp_path, "big.png")
    (tmp_path / "big.png").write_bytes(png_header(side, side))
    assert len(import_path(outline).lecture.slides[0].pictures) == 1

    (tmp_path / "big.png").write_bytes(png_header(side + 1, side + 1))
    message = refuse(outline, PictureError)
    assert f"big.png on slide 1 of talk.md is {side + 1}x{side + 1} pixels, more than the 50" in (
        message
    )
    assert MAX_PICTURE_PIXELS < Image.MAX_IMAGE_PIXELS  # refused before Pillow would warn


@pytest.mark.parametrize(
    "target", ["~nosuchuser/x.png", "a" * 5000 + ".png", "%00.png"], ids=["user", "long", "nul"]
)
def test_unusable_picture_names_are_reported_missing(tmp_path: Path, target: str) -> None:
    message = refuse(outline_with_picture(tmp_path, target), MissingAssetError)
    assert message.startswith(f"The image {target[:40]}")
    assert "correct its path in the outline" in message


def test_control_characters_are_stripped_from_an_outline() -> None:
    project = import_path(DATA / "control-characters.md")
    slide = project.lecture.slides[0]
    assert project.lecture.title == slide.title == "Title[31m red"
    assert [p.text for p in slide.body[0].paragraphs] == ["one two three"]
    assert slide.script == "Say hello."


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("slide-size-not-a-number.pptx", "cannot be read"),
        (
            "slide-size-negative.pptx",
            "(-5 x -5 EMU) is outside PowerPoint's limits of 1 to 56 inches",
        ),
    ],
)
def test_a_slide_size_outside_powerpoints_limits_falls_back_to_16_9(name: str, what: str) -> None:
    project = import_path(DATA / name)
    lecture = project.lecture
    assert (lecture.slide_width, lecture.slide_height) == (13.333, 7.5)
    assert [s.title for s in lecture.slides] == ["Sizes"]
    assert project.warnings == [
        f"The slide size of {name} {what}, so its slides are shown at 16:9 (13.333 x 7.5 in); "
        "set the size in PowerPoint (Design > Slide Size) if the slides look wrong."
    ]


@pytest.mark.parametrize("inches", [1, 56])
def test_slide_sizes_at_powerpoints_limits_are_kept(tmp_path: Path, inches: int) -> None:
    deck = Presentation()
    deck.slide_width = deck.slide_height = Emu(inches * 914_400)
    deck.slides.add_slide(deck.slide_layouts[6])
    path = tmp_path / "edge.pptx"
    deck.save(str(path))
    project = import_path(path)
    assert (project.lecture.slide_width, project.lecture.slide_height) == (inches, inches)
    assert project.warnings == []


def deck_with_picture(picture: bytes) -> bytes:
    """A one-slide deck whose picture's bytes are ``picture`` (python-pptx would not add a bomb
    itself: it opens pictures with Pillow)."""
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_picture(io.BytesIO(real_png()), 0, 0)
    buffer = io.BytesIO()
    deck.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, picture if info.filename.startswith("ppt/media/") else data)
    return out.getvalue()


def test_a_deck_picture_bomb_is_left_out_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pptx"
    path.write_bytes(deck_with_picture(png_header(30000, 30000)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even Pillow's DecompressionBombWarning
        project = import_path(path)
    assert project.lecture.slides[0].pictures == []
    assert project.warnings == [
        "Slide 1: left out a picture: it is larger than the 50 megapixels a slide picture may "
        "have; scale it down (4000 pixels across is plenty) and use that copy."
    ]


def test_a_picture_bomb_in_a_project_is_not_drawn(tmp_path: Path) -> None:
    """A shared project may hold a bomb that no importer checked: the renderer checks again."""
    project = Project(Lecture())
    slide = Slide(title="Big")
    slide.pictures.append(Picture(asset=project.add_asset(png_header(30000, 30000), ".png")))
    project.lecture.slides.append(slide)
    found: list[str] = []
    image = draw_slide(slide, project, (320, 180), load_theme(), found, number=1)
    assert image.size == (320, 180)
    assert found == [
        "A picture on slide 1 (" + slide.pictures[0].asset + ") was left out: it is larger than "
        "the 50 megapixels a slide picture may have; scale it down (4000 pixels across is "
        "plenty) and use that copy."
    ]


def test_a_deck_whose_xml_error_spans_lines_is_refused_in_one_line(tmp_path: Path) -> None:
    """Found by benchmarks/fuzz_importers.py: lxml's message ends in a newline."""
    message = refuse(copy_of("deck-xml-error-message.pptx", tmp_path), CorruptFileError)
    assert message.startswith(
        "deck-xml-error-message.pptx could not be read as a presentation (XMLSyntaxError: "
        "Invalid character: Char 0x0 out of allowed range, line 2"
    )
    assert message.endswith("save it again as .pptx and import that copy.")


def test_a_damaged_deflate_stream_is_reported_not_raised(tmp_path: Path) -> None:
    """Found by benchmarks/fuzz_importers.py: zlib.error escaped from [Content_Types].xml."""
    message = refuse(copy_of("deck-damaged-deflate.pptx", tmp_path), CorruptFileError)
    assert message == (
        "deck-damaged-deflate.pptx is damaged ([Content_Types].xml: Error -3 while decompressing "
        "data: invalid block type); copy or download it again, or re-save it from PowerPoint."
    )

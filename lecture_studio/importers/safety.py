"""Checks on an input file before it is parsed: wrong kind, damaged, encrypted, zip bombs.

Each check raises the matching error from ``lecture_studio.errors`` with one sentence naming the
file and what to do, so that no parser ever sees a file it would fail on with a traceback.
Everything here reads bytes already in memory or a zip's central directory; nothing is extracted.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import (
    CorruptFileError,
    EncryptedFileError,
    InputError,
    UnsupportedFormatError,
)

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty archive

# An OOXML file protected by a password is an OLE2 compound file holding these streams;
# the directory stores stream names in UTF-16LE.
ENCRYPTED_STREAM_NAMES = tuple(
    name.encode("utf-16-le") for name in ("EncryptedPackage", "EncryptionInfo")
)
POWERPOINT_STREAM_NAME = "PowerPoint Document".encode("utf-16-le")

LOCK_FILE_PREFIX = "~$"

# Zip-bomb limits, read from the central directory without extracting anything.
MAX_TOTAL_UNCOMPRESSED = 2 * 1024**3
MAX_MEMBERS = 20_000
MAX_COMPRESSION_RATIO = 200
LARGE_MEMBER = 8 * 1024**2  # ratios are judged only above this size: tiny XML parts compress well

OFFICE_DOCUMENT_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STRICT_OFFICE_DOCUMENT_REL = (
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
)
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class PresentationPackage:
    """A zip that passed the checks: the archive, its main part and that part's content type."""

    archive: zipfile.ZipFile
    main_part: str
    main_content_type: str


def read_input(path: Path) -> bytes:
    """The bytes of ``path``, or an InputError saying why the file cannot be read."""
    if not path.exists():
        raise InputError(f"{path} does not exist; check the file name and folder.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; choose a presentation or outline file inside it.")
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"Could not read {path} ({reason}); check that you may open it.") from exc


def check_not_lock_file(path: Path) -> None:
    """Refuse Office's ``~$NAME.pptx`` lock files, naming the deck the user meant."""
    if path.name.startswith(LOCK_FILE_PREFIX):
        real_name = path.name[len(LOCK_FILE_PREFIX) :]
        raise UnsupportedFormatError(
            f"{path.name} is PowerPoint's lock file, not a presentation; "
            f"import {real_name} instead."
        )


def check_not_ole2(path: Path, data: bytes) -> None:
    """Refuse OLE2 compound files: password-protected decks and PowerPoint 97-2003 files
    (which ``importers.convert`` imports through LibreOffice; python-pptx cannot read them).
    """
    if not data.startswith(OLE2_SIGNATURE):
        return
    check_ole2_presentation(path, data)
    raise UnsupportedFormatError(
        f"{path.name} is a PowerPoint 97-2003 file; open it in PowerPoint or LibreOffice "
        "and save it as .pptx, then import the .pptx."
    )


def check_ole2_presentation(path: Path, data: bytes) -> None:
    """Refuse an OLE2 compound file unless it is an unencrypted PowerPoint 97-2003 deck.

    Encryption is checked first: an encrypted .pptx is also an OLE2 file, and telling its owner
    to "save as .pptx" would not help.
    """
    if any(name in data for name in ENCRYPTED_STREAM_NAMES):
        raise EncryptedFileError(
            f"{path.name} is protected by a password; open it in PowerPoint, remove the password "
            "(File > Info > Protect Presentation > Encrypt with Password), "
            "save it and import it again."
        )
    if POWERPOINT_STREAM_NAME in data or path.suffix.lower() in {".ppt", ".pps", ".pot"}:
        return
    raise UnsupportedFormatError(
        f"{path.name} is an Office 97-2003 document, not a presentation; "
        "import a PowerPoint deck (.pptx) or a Markdown/text outline instead."
    )


def open_presentation_zip(path: Path, data: bytes) -> PresentationPackage:
    """Open ``data`` as a zip and check it is a sane PowerPoint package before any parsing."""
    if not data:
        raise CorruptFileError(f"{path.name} is empty (0 bytes); copy or download the deck again.")
    if not data.startswith(ZIP_SIGNATURES):
        raise UnsupportedFormatError(
            f"{path.name} is not a PowerPoint presentation; "
            "import a .pptx deck or a Markdown/text outline instead."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise CorruptFileError(
            f"{path.name} is damaged or incomplete ({error_text(exc)}); "
            "copy or download it again, or re-save it from PowerPoint."
        ) from exc
    check_zip_sizes(path, archive)
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        raise EncryptedFileError(
            f"{path.name} is a password-protected zip; unzip it with its password, "
            "then import the presentation inside."
        )
    main_part, content_type = _main_part(path, archive)
    kind = _document_kind(content_type)
    if kind != "presentation":
        raise UnsupportedFormatError(
            f"{path.name} is {kind}, not a presentation; "
            "import a PowerPoint deck (.pptx) or a Markdown/text outline instead."
        )
    return PresentationPackage(archive, main_part, content_type)


def check_zip_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs, judged from the sizes the central directory declares."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise CorruptFileError(
            f"{path.name} holds {len(members)} files, far more than any presentation; "
            "it was refused as unsafe; re-save it from PowerPoint if you trust it."
        )
    total = sum(info.file_size for info in members)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise CorruptFileError(
            f"{path.name} would unpack to {total / 1024**3:.1f} GiB, "
            "far more than any presentation; it was refused as unsafe; "
            "re-save it from PowerPoint if you trust it."
        )
    for info in members:
        if info.file_size > LARGE_MEMBER and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise CorruptFileError(
                f"{path.name} contains {info.filename}, compressed {ratio:.0f} to 1, which is how "
                "zip bombs look; it was refused as unsafe; "
                "re-save it from PowerPoint if you trust it."
            )


def _read_xml(path: Path, archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(member))
    except KeyError as exc:
        raise UnsupportedFormatError(
            f"{path.name} is not a PowerPoint presentation (it has no {member}); "
            "import a .pptx deck or a Markdown/text outline instead."
        ) from exc
    except (
        zipfile.BadZipFile,
        zlib.error,  # a damaged deflate stream inside the member
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise CorruptFileError(
            f"{path.name} is damaged ({member}: {error_text(exc)}); copy or download it again, "
            "or re-save it from PowerPoint."
        ) from exc
    except ElementTree.ParseError as exc:
        raise CorruptFileError(
            f"{path.name} is damaged ({member} is not valid XML); re-save it from PowerPoint."
        ) from exc


def _main_part(path: Path, archive: zipfile.ZipFile) -> tuple[str, str]:
    """The package's main document part (from ``_rels/.rels``) and its content type."""
    rels = _read_xml(path, archive, "_rels/.rels")
    target = None
    for rel in rels.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type") in (OFFICE_DOCUMENT_REL, STRICT_OFFICE_DOCUMENT_REL):
            target = rel.get("Target", "")
            break
    if not target:
        raise UnsupportedFormatError(
            f"{path.name} is not a PowerPoint presentation (it names no main document); "
            "import a .pptx deck or a Markdown/text outline instead."
        )
    part = posixpath.normpath(target.lstrip("/"))
    types = _read_xml(path, archive, "[Content_Types].xml")
    content_type = ""
    for override in types.iter(f"{_CT_NS}Override"):
        if override.get("PartName", "").lstrip("/") == part:
            content_type = override.get("ContentType", "")
            break
    else:
        extension = posixpath.splitext(part)[1].lstrip(".").lower()
        for default in types.iter(f"{_CT_NS}Default"):
            if default.get("Extension", "").lower() == extension:
                content_type = default.get("ContentType", "")
    if part not in archive.NameToInfo:
        raise CorruptFileError(
            f"{path.name} is damaged (its main part {part} is missing); re-save it from PowerPoint."
        )
    return part, content_type


def _document_kind(content_type: str) -> str:
    """'presentation', or a phrase naming what else the package is."""
    if "presentationml" in content_type or "ms-powerpoint" in content_type:
        return "presentation"
    if "wordprocessingml" in content_type or "ms-word" in content_type:
        return "a Word document"
    if "spreadsheetml" in content_type or "ms-excel" in content_type:
        return "an Excel workbook"
    return "a zip archive of another kind"


def error_text(error: BaseException) -> str:
    """An error's text on one line, to quote in a message: lxml's messages hold a newline
    (``range\n, line 2``), zip member names may, and a teacher's message is one sentence."""
    return " ".join(str(error).split()).replace(" ,", ",")

"""Presentations in other formats, imported through LibreOffice: .ppt, .odp, Keynote .key.

LibreOffice reads PowerPoint 97-2003 decks (.ppt, .pps, .pot), OpenDocument presentations (.odp,
.otp, .fodp) and Keynote presentations where its Keynote filter reads them. Each is converted to
.pptx by the same headless, private-profile run that draws deck slides (``lecture_studio.soffice``),
speaker notes included, and that .pptx is imported as any deck: it becomes the lecture's deck
asset, so its slides are drawn from it later without the original file.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from ..errors import CorruptFileError, InputError, UnsupportedFormatError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..project import Project
from ..soffice import INSTALL_HINT, find_soffice, run_soffice
from . import safety
from .pptx import import_deck

LEGACY_SUFFIXES = frozenset({".ppt", ".pps", ".pot"})
OPENDOCUMENT_SUFFIXES = frozenset({".odp", ".otp", ".fodp"})
KEYNOTE_SUFFIXES = frozenset({".key"})
CONVERTED_SUFFIXES = LEGACY_SUFFIXES | OPENDOCUMENT_SUFFIXES | KEYNOTE_SUFFIXES

# The .pptx export filter, named so LibreOffice never guesses another (.pptm, .potx).
PPTX_FILTER = "pptx:Impress MS PowerPoint 2007 XML"
CONVERT_TIMEOUT_S = 180.0
WHAT_WORKS = (
    "PowerPoint decks (.pptx, .ppt), Impress presentations (.odp), Keynote presentations that "
    "LibreOffice can open (.key), and Markdown (.md) or plain-text (.txt) outlines"
)
_ODF_PRESENTATION = b"application/vnd.oasis.opendocument.presentation"
# A Keynote zip: Keynote 6 and later keep IWA streams under Index/, older ones index.apxl.
_KEYNOTE_MEMBERS = ("Index/Document.iwa", "Index.zip", "index.apxl", "index.apxl.gz")


def needs_conversion(path: Path) -> bool:
    """Whether ``path`` is, by its content, a presentation only LibreOffice reads: an
    unencrypted PowerPoint 97-2003 file, an OpenDocument presentation or a Keynote zip."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(safety.OLE2_SIGNATURE):
                data = head + handle.read()
                return safety.POWERPOINT_STREAM_NAME in data and not any(
                    name in data for name in safety.ENCRYPTED_STREAM_NAMES
                )
        if head.startswith(safety.ZIP_SIGNATURES):
            with zipfile.ZipFile(path) as archive:
                return _zip_kind(archive) is not None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        pass  # the deck importer says what is wrong with it
    return False


def import_converted(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """A .ppt, .odp or .key presentation converted to .pptx by LibreOffice and imported as a
    deck (slides, speaker notes, pictures). Nothing is written beside the file."""
    path = Path(path)
    safety.check_not_lock_file(path)
    check_not_keynote_package(path)
    data = safety.read_input(path)
    kind = _kind(path, data)
    if kind is None:  # an Office Open XML presentation under another name
        return import_deck(path, progress, cancel)
    soffice = find_soffice()
    if soffice is None:
        raise UnsupportedFormatError(
            f"{path.name} is {kind}, which Lecture Studio opens through LibreOffice, and "
            f"LibreOffice is not installed; {INSTALL_HINT}, or save it as .pptx and "
            "import that."
        )
    progress(0.0, f"Converting {path.name} to .pptx with LibreOffice")
    with tempfile.TemporaryDirectory(prefix="lecture-studio-import-") as tmp:
        work = Path(tmp)
        # The file keeps its name (LibreOffice names the output after it; a deck without a
        # title is named after its file) under a suffix that LibreOffice recognises.
        source = work / f"{path.stem or 'presentation'}{_source_suffix(path, data)}"
        source.write_bytes(data)
        run = run_soffice(
            soffice,
            source,
            work / "out",
            PPTX_FILTER,
            what=f"convert {path.name}",
            error=InputError,
            timeout=CONVERT_TIMEOUT_S,
            cancel=cancel,
        )
        converted = work / "out" / f"{source.stem}.pptx"
        if not converted.is_file() or converted.stat().st_size == 0:
            detail = run.detail or f"exit code {run.returncode}"
            raise UnsupportedFormatError(
                f"{path.name} is {kind} that LibreOffice could not read ({detail}); open it "
                "where it was made, save it as .pptx and import that: Lecture Studio imports "
                f"{WHAT_WORKS}."
            )
        project = import_deck(converted, lambda f, m: progress(0.2 + 0.8 * f, m), cancel)
    for slide in project.lecture.slides:
        slide.source.path = str(path)  # the teacher's file, not the converted copy
    project.warnings[:] = [w.replace(converted.name, path.name) for w in project.warnings]
    return project


def _kind(path: Path, data: bytes) -> str | None:
    """What the file is, as a phrase ("a PowerPoint 97-2003 file"), None for an Office Open XML
    presentation (the deck importer reads it); raises for a file of another kind, a
    password-protected one, or a damaged zip."""
    if not data:
        raise CorruptFileError(f"{path.name} is empty (0 bytes); copy or download it again.")
    if data.startswith(safety.OLE2_SIGNATURE):
        safety.check_ole2_presentation(path, data)
        return "a PowerPoint 97-2003 file"
    if data.startswith(safety.ZIP_SIGNATURES):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise CorruptFileError(
                f"{path.name} is damaged or incomplete ({safety.error_text(exc)}); "
                "copy or download it again."
            ) from exc
        with archive:
            safety.check_zip_sizes(path, archive)
            kind = _zip_kind(archive)
            office_open_xml = "[Content_Types].xml" in archive.NameToInfo
            mimetype = archive.read("mimetype") if "mimetype" in archive.NameToInfo else b""
        if kind is not None:
            return kind
        if office_open_xml:
            safety.open_presentation_zip(path, data)  # a Word or Excel file is refused here
            return None
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise UnsupportedFormatError(
                f"{path.name} is an OpenDocument file but not a presentation; import {WHAT_WORKS}."
            )
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        return "a PowerPoint 97-2003 file"
    if suffix in KEYNOTE_SUFFIXES:
        return "a Keynote presentation"
    return "an Impress presentation"


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype").startswith(_ODF_PRESENTATION):
        return "an Impress presentation"
    if any(member in names for member in _KEYNOTE_MEMBERS):
        return "a Keynote presentation"
    return None


def _source_suffix(path: Path, data: bytes) -> str:
    """The suffix LibreOffice should see: the file's own, unless its content says otherwise
    (a PowerPoint 97-2003 file or an Impress zip renamed .pptx)."""
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SUFFIXES:
        return suffix
    if data.startswith(safety.OLE2_SIGNATURE):
        return ".ppt"
    return ".key" if b"Index/" in data[:4096] or b"index.apxl" in data[:4096] else ".odp"


def check_not_keynote_package(path: Path) -> None:
    """A Keynote presentation saved as a package is a folder: say how to get one file."""
    if path.suffix.lower() in KEYNOTE_SUFFIXES and path.is_dir():
        raise UnsupportedFormatError(
            f"{path.name} is a Keynote package (a folder), which LibreOffice cannot open; in "
            "Keynote choose File > Export To > PowerPoint and import the .pptx."
        )

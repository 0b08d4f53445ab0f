"""Deck slides drawn by LibreOffice: one pptx -> PDF conversion per deck (cached), then PyMuPDF.

LibreOffice runs headless with a private, throw-away user profile (so it works while the user has
LibreOffice open) and our fontconfig aliases (so Calibri comes out in Carlito with its line
breaks, Meiryo, Yu Gothic... in Noto CJK, not boxes): see ``lecture_studio.soffice``. Hidden
slides are exported too, so PDF page i is deck slide i + 1; with a LibreOffice too old to honour
that option the pages are mapped onto the deck's visible slides instead.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pymupdf
from PIL import Image

from .. import cache
from ..cachefile import read_entry, write_entry
from ..errors import RenderError
from ..jobs import CancelToken
from ..soffice import INSTALL_HINT as INSTALL_HINT  # re-exported: slides name them from here
from ..soffice import find_soffice as find_soffice
from ..soffice import fontconfig_file, run_soffice
from .deck_fonts import font_resolution

# MuPDF prints what it cannot draw to stdout (the Screen annotation LibreOffice writes for a
# video on a slide, once per page); the poster is drawn all the same, and the export's own
# warnings say what matters.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

CONVERT_TIMEOUT_S = 180.0
# The PDF export filter with its options (LibreOffice 7.4+ reads the JSON form): keep hidden
# slides so pages map 1:1 to slides, and keep pictures lossless.
PDF_FILTER = (
    'pdf:impress_pdf_Export:{"ExportHiddenSlides":{"type":"boolean","value":"true"},'
    '"UseLosslessCompression":{"type":"boolean","value":"true"},'
    '"ReduceImageResolution":{"type":"boolean","value":"false"}}'
)
_NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def deck_cache_key(deck: Path) -> str:
    """The deck's sha256, plus a short hash of what else changes the PDF: the options, our
    font aliases, and the face each of the deck's fonts is drawn with (so that installing
    Carlito converts a Calibri deck again)."""
    digest = hashlib.sha256()
    with deck.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    extra = hashlib.sha256(PDF_FILTER.encode())
    fonts = fontconfig_file()
    if fonts is not None:
        extra.update(fonts.read_bytes())
    extra.update(repr(sorted(font_resolution(deck).items())).encode())
    return f"{digest.hexdigest()}-{extra.hexdigest()[:8]}"


def deck_pdf(
    deck: Path,
    cache_dir: Path | None,
    soffice: str,
    timeout: float = CONVERT_TIMEOUT_S,
    cancel: CancelToken | None = None,
    name: str | None = None,
) -> Path:
    """The deck converted to PDF by LibreOffice, from the ``decks`` folder of the cache root
    ``cache_dir`` (None: the user's cache folder) when converted before.

    ``name`` is the deck as the teacher knows it (for messages); by default the file's name.
    """
    name = name or deck.name
    # The PDF followed by a checksum trailer (``cachefile``; PDF readers look for the end of
    # the document only in its last kilobyte, so they skip it): a damaged entry is converted
    # again. Entries of older versions, without it, are named ``.pdf`` and never read.
    cached = cache.folder("decks", cache_dir) / f"{deck_cache_key(deck)}.checked.pdf"
    if read_entry(cached, "converted deck in the slide cache") is not None:
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lecture-studio-soffice-") as tmp:
        work = Path(tmp)
        # A plain name and a .pptx suffix: LibreOffice names its output after the input, and
        # .ppsx/.potx packages convert the same once named .pptx.
        source = work / "deck.pptx"
        shutil.copyfile(deck, source)
        _run_soffice(soffice, source, work, name, timeout, cancel)
        produced = work / "out" / "deck.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise RenderError(
                f"LibreOffice could not convert {name} to PDF (it wrote no file); check "
                "that the deck opens in PowerPoint or LibreOffice and save it again as .pptx."
            )
        write_entry(cached, produced.read_bytes())
    return cached


def _run_soffice(
    soffice: str,
    source: Path,
    work: Path,
    deck_name: str,
    timeout: float,
    cancel: CancelToken | None,
) -> None:
    run = run_soffice(
        soffice,
        source,
        work / "out",
        PDF_FILTER,
        what=f"convert {deck_name}",
        error=RenderError,
        timeout=timeout,
        cancel=cancel,
    )
    if run.returncode != 0:
        detail = run.detail or f"exit code {run.returncode}"
        raise RenderError(
            f"LibreOffice could not convert {deck_name} to PDF ({detail}); check that the deck "
            "opens in PowerPoint or LibreOffice and save it again as .pptx."
        )


def deck_slide_visibility(deck: Path) -> list[bool]:
    """For each slide of the deck in order, whether it is shown (False: a hidden slide).

    Empty when the deck's structure cannot be read (the caller then trusts the page count).
    """
    try:
        with zipfile.ZipFile(deck) as package:
            presentation = ElementTree.fromstring(package.read("ppt/presentation.xml"))
            rels = ElementTree.fromstring(package.read("ppt/_rels/presentation.xml.rels"))
            targets = {
                rel.get("Id"): rel.get("Target", "")
                for rel in rels.findall("rel:Relationship", _NS)
            }
            shown: list[bool] = []
            for slide_id in presentation.findall("p:sldIdLst/p:sldId", _NS):
                target = targets.get(slide_id.get(f"{{{_NS['r']}}}id"), "")
                part = part_name("ppt", target)
                root = ElementTree.fromstring(package.read(part))
                shown.append(root.get("show", "1") not in ("0", "false"))
            return shown
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []


def part_name(base: str, target: str) -> str:
    """The package part a relationship ``target`` names, seen from the folder ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in PurePosixPath(base, target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def page_of_slides(page_count: int, visibility: list[bool], deck_name: str) -> dict[int, int]:
    """Deck slide number (1-based) -> PDF page index (0-based), for the slides the PDF holds."""
    if not visibility or page_count == len(visibility):
        return {number: number - 1 for number in range(1, page_count + 1)}
    shown = [number for number, visible in enumerate(visibility, start=1) if visible]
    if page_count == len(shown):
        return {number: page for page, number in enumerate(shown)}
    raise RenderError(
        f"LibreOffice made {page_count} pages from the {len(visibility)} slides of {deck_name}, "
        "so pages cannot be matched to slides; open the deck in LibreOffice Impress, save it "
        "again as .pptx and re-import it."
    )


def rasterize_page(
    document: pymupdf.Document, page_index: int, size: tuple[int, int]
) -> Image.Image:
    """Page ``page_index`` drawn at exactly ``size`` pixels (x and y scaled separately)."""
    page = document[page_index]
    rect = page.rect
    matrix = pymupdf.Matrix(size[0] / rect.width, size[1] / rect.height)
    pixmap = page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)
    image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    if image.size != tuple(size):
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def page_aspect(document: pymupdf.Document, page_index: int) -> float:
    rect = document[page_index].rect
    return rect.width / rect.height if rect.height else 16 / 9


def open_pdf(pdf: Path, deck_name: str) -> pymupdf.Document:
    """The converted deck, opened; a damaged cache file is removed so the next call redoes it."""
    try:
        document = pymupdf.open(pdf)
    except (RuntimeError, ValueError) as exc:
        pdf.unlink(missing_ok=True)
        raise RenderError(
            f"The PDF LibreOffice made from {deck_name} cannot be read ({exc}); try again."
        ) from exc
    if document.page_count == 0:
        document.close()
        pdf.unlink(missing_ok=True)
        raise RenderError(
            f"LibreOffice made an empty PDF from {deck_name}; check that the deck has slides "
            "and opens in LibreOffice Impress."
        )
    return document

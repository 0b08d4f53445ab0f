"""Deck slides drawn by LibreOffice: one pptx -> PDF conversion per deck (cached), then PyMuPDF.

LibreOffice runs headless with a private, throw-away user profile (so it works while the user has
LibreOffice open) and our fontconfig aliases (so Meiryo, Yu Gothic... come out in Noto CJK, not
boxes). Hidden slides are exported too, so PDF page i is deck slide i + 1; with a LibreOffice
too old to honour that option the pages are mapped onto the deck's visible slides instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pymupdf
from PIL import Image

from .. import cache
from ..cachefile import read_entry, write_entry
from ..errors import RenderError
from ..jobs import CancelToken
from ..resources import resource_path

INSTALL_HINT = "install it with: apt-get install --no-install-recommends libreoffice-impress"
CONVERT_TIMEOUT_S = 180.0
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
# The PDF export filter with its options (LibreOffice 7.4+ reads the JSON form): keep hidden
# slides so pages map 1:1 to slides, and keep pictures lossless.
PDF_FILTER = (
    'pdf:impress_pdf_Export:{"ExportHiddenSlides":{"type":"boolean","value":"true"},'
    '"UseLosslessCompression":{"type":"boolean","value":"true"},'
    '"ReduceImageResolution":{"type":"boolean","value":"false"}}'
)
_KNOWN_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)
_NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def find_soffice() -> str | None:
    """The LibreOffice executable (``soffice`` on PATH or in a usual place), or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in _KNOWN_PLACES:
        if Path(place).is_file():
            return place
    for place in sorted(Path("/opt").glob("libreoffice*/program/soffice")):
        return str(place)
    return None


def fontconfig_file() -> Path | None:
    """Our fontconfig (system config + Japanese font aliases), where the system has fontconfig."""
    ours = resource_path("fontconfig", "fonts.conf")
    return ours if ours.is_file() and SYSTEM_FONTCONFIG.is_file() else None


def deck_cache_key(deck: Path) -> str:
    """The deck's sha256, plus a short hash of what else changes the PDF (options, fonts)."""
    digest = hashlib.sha256()
    with deck.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    extra = hashlib.sha256(PDF_FILTER.encode())
    fonts = fontconfig_file()
    if fonts is not None:
        extra.update(fonts.read_bytes())
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
    profile = work / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        PDF_FILTER,
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    env = dict(os.environ)
    fonts = fontconfig_file()
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fonts)
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise RenderError(
            f"LibreOffice ({soffice}) could not be started ({exc.strerror or exc}); reinstall it "
            f"or {INSTALL_HINT}."
        ) from exc
    started = time.monotonic()
    while True:
        try:
            _out, err = process.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.cancelled:
                _kill_group(process)
                cancel.check()
            if time.monotonic() - started > timeout:
                _kill_group(process)
                raise RenderError(
                    f"LibreOffice took more than {timeout:.0f} s to convert {deck_name} and was "
                    "stopped; close other programs and try again, or split the deck."
                ) from None
    if process.returncode != 0:
        detail = _last_line(err.decode("utf-8", "replace")) or f"exit code {process.returncode}"
        raise RenderError(
            f"LibreOffice could not convert {deck_name} to PDF ({detail}); check that the deck "
            "opens in PowerPoint or LibreOffice and save it again as .pptx."
        )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stops soffice and the helpers it started (it runs in its own process group)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if "javaldx" not in line]
    return lines[-1].rstrip(".") if lines else ""


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
                part = _part_name("ppt", target)
                root = ElementTree.fromstring(package.read(part))
                shown.append(root.get("show", "1") not in ("0", "false"))
            return shown
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []


def _part_name(base: str, target: str) -> str:
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

"""Checking that bytes are a picture of a sane size by reading only its header, before decoding.

Pictures come from outlines and decks that are meant to be shared, so a "picture" may be any file
(``![](/etc/passwd)``) or a decompression bomb (a 30000x30000 PNG of 875 KB decodes to 3.6 GB).
Pillow's ``Image.open`` reads the format and size from the header without decoding the pixels;
only the formats below are tried (never EPS, which would start Ghostscript), and anything over
``MAX_PICTURE_PIXELS`` is refused well under Pillow's own bomb limit (89 megapixels), so no
decoder ever sees such a file.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from .errors import PictureError

# Far more than any slide needs (a 4K frame is 8.3 megapixels); 200 MB as RGBA once decoded.
MAX_PICTURE_PIXELS = 50_000_000
# Pillow's format names, tried in this order; JPEG covers MPO (phone cameras' JPEGs).
PICTURE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
_FORMAT_LIST = "PNG, JPEG, GIF, WebP, BMP or TIFF"


@dataclass(frozen=True)
class PictureHeader:
    """What a picture's header says: Pillow's format name and the size in pixels."""

    format: str
    width: int
    height: int


def read_picture_header(source: bytes | Path | BinaryIO, name: str) -> PictureHeader:
    """The format and size of the picture in ``source``, read without decoding its pixels.

    Raises PictureError, whose one sentence starts with ``name`` (say "The picture x.png on
    slide 2 of talk.md"), when ``source`` is not a picture of a known format or is larger than
    ``MAX_PICTURE_PIXELS``.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        # Pillow warns of bombs between its limit and twice it; ours refuses them below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream, formats=PICTURE_FORMATS) as image:
                header = PictureHeader(str(image.format), *image.size)
    except Image.DecompressionBombError as exc:
        raise _too_large(name, None) from exc
    except OSError as exc:
        if isinstance(source, Path) and not isinstance(exc, Image.UnidentifiedImageError):
            raise PictureError(
                f"{name} could not be read ({exc.strerror or exc}); check that you may open it."
            ) from exc
        raise _not_a_picture(name) from exc
    except Exception as exc:  # a damaged header can fail in any of Pillow's plugins
        raise _not_a_picture(name) from exc
    if header.width <= 0 or header.height <= 0:
        raise _not_a_picture(name)
    if header.width * header.height > MAX_PICTURE_PIXELS:
        raise _too_large(name, header)
    return header


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_damaged(data: bytes) -> bool:
    """Whether ``data`` is a PNG file whose chunks do not match their CRC-32 (a flipped bit on
    disk): Pillow does not check them while decoding, and would show the damage. Other
    formats answer False."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, position)
        end = position + 8 + length
        if end + 4 > len(data):
            return True  # cut short
        (crc,) = struct.unpack_from(">I", data, end)
        if zlib.crc32(data[position + 4 : end]) != crc:
            return True
        if data[position + 4 : position + 8] == b"IEND":
            return False
        position = end + 4
    return True  # no end chunk


def open_picture(data: bytes, name: str) -> Image.Image:
    """``data`` opened as a picture whose header passed ``read_picture_header`` (not yet decoded:
    the caller decodes it, e.g. with ``convert``, and closes it); a PNG whose checksums do not
    match is refused as damaged."""
    read_picture_header(data, name)
    if png_damaged(data):
        raise PictureError(f"The picture {name} is damaged (its PNG checksums do not match).")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=PICTURE_FORMATS)


def _not_a_picture(name: str) -> PictureError:
    return PictureError(
        f"{name} is not a {_FORMAT_LIST} picture; save it as PNG or JPEG and use that file."
    )


def _too_large(name: str, header: PictureHeader | None) -> PictureError:
    limit = f"{MAX_PICTURE_PIXELS // 1_000_000} megapixels"
    size = (
        f"is {header.width}x{header.height} pixels, more than the {limit} a slide picture may have"
        if header is not None
        else f"is larger than the {limit} a slide picture may have"
    )
    return PictureError(
        f"{name} {size}; scale it down (4000 pixels across is plenty) and use that copy."
    )

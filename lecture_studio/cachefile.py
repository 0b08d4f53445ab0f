"""Cache entries that carry a checksum of their content, verified on every read.

A cache file can be damaged without changing its length (a flipped bit on disk, a bad copy):
a check of its structure does not see that, and an export would then put broken pictures or
sound into a video and keep doing so. So every entry is its bytes followed by a trailer, a
magic string and a digest of those bytes (SHA-256, cut to 16 bytes: twice as fast as BLAKE2b
where the CPU has SHA instructions, as x86 CPUs of the last years do; entries written with the
BLAKE2b trailer of earlier versions stay readable). A read that finds the trailer missing or
the digest wrong removes the entry, warns once, and answers "not cached": the caller makes the
entry again, and the output is what a clean export gives.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from .fileio import atomic_write

log = logging.getLogger(__name__)

_MAGIC = b"\nLSCK2"
_DIGEST_SIZE = 16
TRAILER_SIZE = len(_MAGIC) + _DIGEST_SIZE


def _digest(data: bytes | memoryview) -> bytes:
    return hashlib.sha256(data).digest()[:_DIGEST_SIZE]


def _blake2b_digest(data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


# The digest each trailer's magic string stands for (LSCK1: versions before 2026-12-06).
_DIGESTS = {_MAGIC: _digest, b"\nLSCK1": _blake2b_digest}


def sealed(data: bytes) -> bytes:
    """``data`` with its checksum trailer."""
    return data + _MAGIC + _digest(data)


def unsealed(blob: bytes) -> bytes | None:
    """The content of a sealed ``blob``, or None when its trailer or checksum is wrong."""
    if len(blob) < TRAILER_SIZE:
        return None
    content = memoryview(blob)[:-TRAILER_SIZE]
    trailer = blob[-TRAILER_SIZE:]
    digest = _DIGESTS.get(trailer[: len(_MAGIC)])
    if digest is None or trailer[len(_MAGIC) :] != digest(content):
        return None
    return bytes(content)


def read_entry(path: Path, what: str = "cache entry") -> bytes | None:
    """The verified content of the entry at ``path``; None when it is missing or unreadable,
    and when it is damaged (then it is removed, with one warning naming ``what``). A good
    entry's modification time becomes now: that is its last use (``lecture_studio.cache``)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    content = unsealed(blob)
    if content is None:
        log.warning("A damaged %s was removed and will be made again: %s", what, path)
        path.unlink(missing_ok=True)
        return None
    try:
        os.utime(path)  # its last use: the cache's pruning removes the longest unused first
    except OSError:
        pass
    return content


def write_entry(path: Path, data: bytes) -> None:
    """Store ``data`` sealed at ``path`` through a temporary file in its folder, so a reader
    never sees half an entry; raises OSError (the caller decides what a failed save costs)
    and leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, sealed(data), durable=False)

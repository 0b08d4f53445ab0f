"""An on-disk cache of encoded packets, so a re-export encodes only what changed.

An entry is what one encoder produced for one piece of the lecture (a still picture's closed
GOP, a crossfade, a stretch of narration), keyed by a digest of everything that shaped it: the
picture or sound, the encoder settings and the library versions. Entries are written through a
temporary file and renamed, so a reader never sees half of one, and carry a checksum of their
content (``cachefile``): a damaged entry is removed and is a miss. The folder is kept under
its size limit (``lecture_studio.cache``, the ``encoded`` kind), least recently used first.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_kind, prune_folder
from ..cachefile import read_entry, write_entry

log = logging.getLogger(__name__)

FORMAT = b"LSPK2\n"
_HEADER = struct.Struct("<I")  # packet count
_ENTRY = struct.Struct("<IiB")  # size, index (frame in GOP or packet offset), key frame flag
_KIND = cache_kind("encoded")
DEFAULT_LIMIT_BYTES: int = _KIND.limit_bytes or 0
# Entries with a checksum (".pkc"); those of older versions (".pk") are never read, only pruned.
_SUFFIX = ".pkc"


@dataclass(frozen=True)
class StoredPacket:
    data: bytes
    index: int
    keyframe: bool


def digest(*parts: bytes | str) -> str:
    """A hex key from ``parts``, each length-prefixed so that parts never run together."""
    hasher = hashlib.blake2b(digest_size=24)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


class PacketCache:
    """Encoded packets by key in ``folder``; with ``folder`` None, nothing is kept."""

    def __init__(self, folder: Path | None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.folder = folder
        self.limit_bytes = limit_bytes

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str | None) -> list[StoredPacket] | None:
        if self.folder is None or key is None:
            return None
        path = self._path(key)
        data = read_entry(path, "piece of the export cache")
        if data is None:
            return None
        packets = _parse(data)
        if packets is None:
            log.warning("Ignoring a damaged entry of the export cache: %s", path)
            return None
        return packets  # (read_entry marked it used: pruned last)

    def put(self, key: str | None, packets: Sequence[StoredPacket]) -> None:
        """Store ``packets``; a folder that cannot be written only costs the saving."""
        if self.folder is None or key is None:
            return
        try:
            write_entry(self._path(key), _serialize(packets))
        except OSError as error:
            log.warning("Could not save to the export cache %s: %s", self.folder, error)

    def prune(self) -> None:
        """Delete the least recently used entries until the folder is under its limit."""
        if self.folder is not None:
            prune_folder(self.folder, _KIND.pattern, self.limit_bytes)


def _serialize(packets: Sequence[StoredPacket]) -> bytes:
    parts = [FORMAT, _HEADER.pack(len(packets))]
    parts += [_ENTRY.pack(len(p.data), p.index, p.keyframe) for p in packets]
    parts += [p.data for p in packets]
    return b"".join(parts)


def _parse(data: bytes) -> list[StoredPacket] | None:
    if not data.startswith(FORMAT):
        return None
    offset = len(FORMAT)
    try:
        (count,) = _HEADER.unpack_from(data, offset)
        offset += _HEADER.size
        entries = [_ENTRY.unpack_from(data, offset + i * _ENTRY.size) for i in range(count)]
    except struct.error:
        return None
    offset += count * _ENTRY.size
    if offset + sum(size for size, _, _ in entries) != len(data):
        return None
    packets = []
    for size, index, keyframe in entries:
        packets.append(StoredPacket(data[offset : offset + size], index, bool(keyframe)))
        offset += size
    return packets

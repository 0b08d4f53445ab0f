"""The app's cache: its root folder, the named folder of each kind of entry, their size limits,
and pruning, least recently used first.

Every cache user asks here for its folder (``folder("narration", cache_dir)``) instead of
building a path of its own, so the layout, what ``lecture-studio cache info`` shows and what
``cache clear`` removes cannot drift apart. The root is the user's cache folder
(``platformdirs``, e.g. ~/.cache/lecture-studio) or the ``cache_dir`` a job was given. Entries
are written through ``cachefile`` (checksummed, renamed into place); a read of an entry
refreshes its modification time, so that time is its last use and pruning removes the
entries unused the longest. Nothing here reaches outside the root: a kind's folder is a fixed
name under it, and symbolic links are removed as links, never followed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "lecture-studio"
_MIB = 1 << 20


@dataclass(frozen=True)
class CacheKind:
    """One kind of cache entry: its name (``cache clear --kind NAME``), its folder under the
    root, which files in that folder are its entries, and its size limit (None: not pruned)."""

    name: str
    subfolder: str
    description: str
    pattern: str
    limit_bytes: int | None


KINDS: tuple[CacheKind, ...] = (
    CacheKind("decks", "slide-pdfs", "decks converted to PDF by LibreOffice", "*.pdf", 512 * _MIB),
    CacheKind("narration", "narration", "spoken narration clips", "*.npz", 1024 * _MIB),
    CacheKind(
        "loudness", "narration/loudness", "loudness-normalized narration", "*.npy", 1024 * _MIB
    ),
    CacheKind("encoded", "encoded", "encoded pieces of exports", "*/*.pk*", 2048 * _MIB),
    # Slide images a batch drew (``imagery.course``): a deck imported again gets them back.
    CacheKind("images", "images", "slide images drawn by batch --imagery", "*.png", 1024 * _MIB),
    # The rebuilt voice model: one entry that is used whole, so it is never pruned (only cleared).
    CacheKind("kokoro", "kokoro", "the rebuilt Kokoro voice model", "*", None),
)
KIND_NAMES: tuple[str, ...] = tuple(kind.name for kind in KINDS)


@dataclass(frozen=True)
class FolderUsage:
    """What one kind's folder holds now."""

    kind: CacheKind
    path: Path
    entries: int
    size_bytes: int


@dataclass(frozen=True)
class Removed:
    """What a prune or clear removed, and how many entries it could not remove."""

    entries: int = 0
    size_bytes: int = 0
    failed: int = 0

    def __add__(self, other: Removed) -> Removed:
        return Removed(
            self.entries + other.entries,
            self.size_bytes + other.size_bytes,
            self.failed + other.failed,
        )


def default_cache_dir() -> Path:
    """The user's cache folder for Lecture Studio (e.g. ~/.cache/lecture-studio), read from the
    environment now, so that XDG_CACHE_HOME set after start-up counts."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def cache_root(cache_dir: str | Path | None = None) -> Path:
    """``cache_dir`` when a job was given one, else the user's cache folder."""
    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


def cache_kind(name: str) -> CacheKind:
    """The kind called ``name``; ValueError names the known ones otherwise."""
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown cache kind {name!r}; the kinds are {', '.join(KIND_NAMES)}")


def folder(name: str, cache_dir: str | Path | None = None) -> Path:
    """The folder that holds entries of kind ``name`` under the cache root (not created)."""
    return cache_root(cache_dir) / cache_kind(name).subfolder


def _entries(base: Path, pattern: str) -> Iterator[tuple[Path, float, int]]:
    """(path, last use, size) of each entry in ``base`` matching ``pattern``: temporaries of
    writes in progress (names starting with a dot) are not entries, nor is anything in a
    linked folder; a folder entry's size is all it holds."""
    if base.is_symlink() or not base.is_dir():
        return
    inside = base.resolve()
    for path in base.glob(pattern):
        if path.name.startswith(".") or not path.parent.resolve().is_relative_to(inside):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        size = _tree_size(path) if path.is_dir() and not path.is_symlink() else info.st_size
        yield path, info.st_mtime, size


def _tree_size(path: Path) -> int:
    total = 0
    for item in path.rglob("*"):
        try:
            if not item.is_symlink() and item.is_file():
                total += item.stat().st_size
        except OSError:
            continue
    return total


def _remove(path: Path) -> bool:
    """Remove one entry (a folder with all it holds; a link as a link); False when it could
    not be (in use elsewhere, no permission): a cache that cannot shrink only costs space."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def usage(cache_dir: str | Path | None = None) -> list[FolderUsage]:
    """Each kind's folder under the root, with how many entries it holds and their size."""
    root = cache_root(cache_dir)
    out = []
    for kind in KINDS:
        found = list(_entries(root / kind.subfolder, kind.pattern))
        out.append(
            FolderUsage(kind, root / kind.subfolder, len(found), sum(s for _, _, s in found))
        )
    return out


def prune_folder(base: Path, pattern: str, limit_bytes: int) -> Removed:
    """Remove the least recently used entries (files of ``base`` matching ``pattern``) until
    the rest fit in ``limit_bytes``."""
    entries = sorted(_entries(base, pattern), key=lambda entry: entry[1])
    total = sum(size for _, _, size in entries)
    removed = Removed()
    for path, _, size in entries:
        if total <= limit_bytes:
            break
        if _remove(path):
            total -= size
            removed += Removed(1, size)
        else:
            removed += Removed(failed=1)
    return removed


def prune(name: str, cache_dir: str | Path | None = None) -> Removed:
    """Bring kind ``name``'s folder under its limit, least recently used entries first."""
    kind = cache_kind(name)
    if kind.limit_bytes is None:
        return Removed()
    return prune_folder(cache_root(cache_dir) / kind.subfolder, kind.pattern, kind.limit_bytes)


def prune_all(cache_dir: str | Path | None = None) -> Removed:
    """Bring every kind with a limit under it (called after an export)."""
    removed = Removed()
    for kind in KINDS:
        removed += prune(kind.name, cache_dir)
    return removed


def clear(name: str | None = None, cache_dir: str | Path | None = None) -> Removed:
    """Remove every entry of kind ``name`` (every kind when None) from the cache root; what
    is not an entry of a kind (other files someone put there) is left alone."""
    root = cache_root(cache_dir)
    removed = Removed()
    for kind in KINDS if name is None else (cache_kind(name),):
        for path, _, size in list(_entries(root / kind.subfolder, kind.pattern)):
            removed += Removed(1, size) if _remove(path) else Removed(failed=1)
    return removed

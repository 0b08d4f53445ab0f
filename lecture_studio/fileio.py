"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.

A reader never sees a half-written file, and a failure leaves the earlier file intact. A long
write (an export) claims its temporary file, so that a later write to the same destination can
remove the temporaries of writers that were killed (``kill -9``, a power cut) without touching
those of writers still at work.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: a file another process holds open cannot be deleted there
    fcntl = None  # type: ignore[assignment]

# What ``tempfile.mkstemp`` puts between prefix and suffix: 8 of [a-z0-9_].
_MKSTEMP_NAME = "[a-z0-9_]{8}"


def new_file_mode(destination: Path) -> int:
    """The mode a plainly created file would get: the replaced file's, or 0666 less the umask."""
    try:
        return destination.stat().st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def temporary_beside(destination: Path, suffix: str = ".tmp") -> Path:
    """An empty temporary file next to ``destination``, with the mode the final file should have."""
    fd, name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=suffix, dir=destination.parent
    )
    os.close(fd)
    os.chmod(name, new_file_mode(destination))  # mkstemp makes files private (0600)
    return Path(name)


@dataclass
class ClaimedTemporary:
    """A temporary file beside a destination, claimed by this process until ``release()``.

    The claim is an exclusive ``flock`` on an open descriptor of the file: the kernel drops it
    when the process ends in any way, ``kill -9`` included, so a claim is held exactly as long
    as its writer lives, whatever its process id or host (flock works over NFS). On Windows
    there is no flock; there the writer's own open handle keeps the file from being deleted.
    """

    path: Path
    _descriptor: int | None = None

    def release(self) -> None:
        """Give up the claim (after the file was renamed or deleted)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def claim_temporary_beside(destination: Path, suffix: str = ".tmp") -> ClaimedTemporary:
    """Like ``temporary_beside``, but the file stays claimed by this process until released."""
    descriptor, name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=suffix, dir=destination.parent
    )
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.chmod(name, new_file_mode(destination))  # mkstemp makes files private (0600)
    except BaseException:
        os.close(descriptor)
        os.unlink(name)
        raise
    if fcntl is None:
        os.close(descriptor)
        return ClaimedTemporary(Path(name))
    return ClaimedTemporary(Path(name), descriptor)


def remove_abandoned_temporaries(destination: Path, suffix: str) -> list[Path]:
    """Delete the temporaries that ``claim_temporary_beside(destination, suffix)`` made for
    writers that have died: only files named exactly as it names them, and only those that no
    live process claims. Returns the files removed; a file that cannot be judged is kept."""
    pattern = re.compile(re.escape(f".{destination.name}.") + _MKSTEMP_NAME + re.escape(suffix))
    try:
        entries = list(os.scandir(destination.parent))
    except OSError:
        return []
    removed = []
    for entry in entries:
        try:
            candidate = pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
        except OSError:
            continue
        if candidate and _remove_if_unclaimed(Path(entry.path)):
            removed.append(Path(entry.path))
    return removed


def _remove_if_unclaimed(path: Path) -> bool:
    if fcntl is None:
        try:
            path.unlink()  # refused while its writer has it open
        except OSError:
            return False
        return True
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer lives
        # The name must still be the file locked: a writer that finished renamed it away.
        if not os.path.samestat(os.fstat(descriptor), os.stat(path, follow_symlinks=False)):
            return False
        path.unlink()
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


@contextlib.contextmanager
def atomic_stream(
    destination: str | os.PathLike[str], suffix: str = ".tmp", durable: bool = True
) -> Iterator[BinaryIO]:
    """Write ``destination`` through a stream into a temporary file beside it, renamed over
    it when the block ends; on any error (OSError, a cancel, Ctrl-C) the temporary is removed
    and the earlier file stays as it was. ``durable``: flushed to the disk before the rename
    (a cache entry, checked by its checksum when read, need not be)."""
    destination = Path(destination)
    temporary = temporary_beside(destination, suffix)
    try:
        with open(temporary, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def atomic_write(destination: str | os.PathLike[str], data: bytes, durable: bool = True) -> Path:
    """Write ``data`` to ``destination`` atomically; raises OSError and leaves nothing behind."""
    with atomic_stream(destination, durable=durable) as handle:
        handle.write(data)
    return Path(destination)

"""Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.

A reader never sees a half-written file, and a failure leaves the earlier file intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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


def atomic_write(destination: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``destination`` atomically; raises OSError and leaves nothing behind."""
    destination = Path(destination)
    temporary = temporary_beside(destination)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return destination

"""Temporary files beside a destination: claimed while their writer lives, removed once it died."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lecture_studio.fileio import (
    atomic_stream,
    claim_temporary_beside,
    remove_abandoned_temporaries,
)

SUFFIX = ".partial.mp4"


def test_a_claimed_temporary_survives_a_sweep_until_released(tmp_path: Path) -> None:
    destination = tmp_path / "lecture.mp4"
    claim = claim_temporary_beside(destination, SUFFIX)
    claim.path.write_bytes(b"half a video")  # the writer reopens it by name, as PyAV does
    assert claim.path.name.startswith(".lecture.mp4.") and claim.path.name.endswith(SUFFIX)
    assert remove_abandoned_temporaries(destination, SUFFIX) == []
    assert claim.path.read_bytes() == b"half a video"
    claim.release()
    assert remove_abandoned_temporaries(destination, SUFFIX) == [claim.path]
    assert not claim.path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a killed writer is judged by flock")
def test_the_temporary_of_a_killed_writer_is_removed_and_only_that(tmp_path: Path) -> None:
    destination = tmp_path / "lecture.mp4"
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from lecture_studio.fileio import claim_temporary_beside\n"
        "claim = claim_temporary_beside(Path(sys.argv[1]), '.partial.mp4')\n"
        "print(claim.path, flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(destination)], capture_output=True, text=True
    )
    assert killed.returncode == -9
    abandoned = Path(killed.stdout.strip())
    assert abandoned.is_file()
    keep = [
        tmp_path / ".lecture.mp4.abcd1234.partial.mp4.bak",  # not our pattern
        tmp_path / ".other.mp4.abcd1234.partial.mp4",  # another destination's
        tmp_path / ".lecture.mp4.abcd1234.tmp",  # another suffix
        tmp_path / "lecture.mp4",
    ]
    for path in keep:
        path.write_bytes(b"x")
    (tmp_path / ".lecture.mp4.zzzz9999.partial.mp4").symlink_to(tmp_path / "lecture.mp4")
    live = claim_temporary_beside(destination, SUFFIX)
    try:
        assert remove_abandoned_temporaries(destination, SUFFIX) == [abandoned]
        assert live.path.is_file() and all(path.exists() for path in keep)
        assert (tmp_path / ".lecture.mp4.zzzz9999.partial.mp4").is_symlink()
    finally:
        live.release()


def test_a_claimed_temporary_has_the_mode_a_new_file_would_get(tmp_path: Path) -> None:
    claim = claim_temporary_beside(tmp_path / "lecture.mp4", SUFFIX)
    umask = os.umask(0)
    os.umask(umask)
    assert claim.path.stat().st_mode & 0o777 == 0o666 & ~umask
    claim.release()


def test_a_stream_that_fails_leaves_the_earlier_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "voice.onnx"
    target.write_bytes(b"earlier")
    with pytest.raises(KeyboardInterrupt), atomic_stream(target, ".part") as handle:
        handle.write(b"half of the new")
        raise KeyboardInterrupt  # Ctrl-C in the middle of a download
    assert target.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voice.onnx"]
    with atomic_stream(target, ".part", durable=False) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voice.onnx"]

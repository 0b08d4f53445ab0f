"""Code run by a fresh interpreter, to see what it imports or does from a cold start."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def imported_by(code: str, packages: Iterable[str], env: dict[str, str] | None = None) -> str:
    """What a fresh interpreter prints running ``code`` (from the repository root, with
    ``env`` added to this environment), then, on the last line, which modules of
    ``packages`` it imported: "[]" for none."""
    tops = tuple(packages)
    report = f"\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {tops!r}))\n"
    done = subprocess.run(
        [sys.executable, "-c", code + report],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )
    return done.stdout.strip()

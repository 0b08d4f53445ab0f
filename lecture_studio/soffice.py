"""Running LibreOffice headless for one conversion: the one place that starts ``soffice``.

Both the slide renderer (deck -> PDF) and the importer (.ppt, .odp, .key -> .pptx) convert this
way: a private, throw-away user profile (so it works while the user has LibreOffice open), our
fontconfig (Office fonts drawn with metric-compatible faces, Japanese fonts with Noto CJK), its
own process group (so a cancel or a time-out stops every helper it started).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import LectureStudioError
from .jobs import CancelToken
from .resources import resource_path

INSTALL_HINT = "install it with: apt-get install --no-install-recommends libreoffice-impress"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
_KNOWN_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)


@dataclass(frozen=True)
class SofficeRun:
    """How a finished conversion ended: its exit code and the last line it printed."""

    returncode: int
    detail: str


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
    """Our fontconfig (system config + font aliases), where the system has fontconfig."""
    ours = resource_path("fontconfig", "fonts.conf")
    return ours if ours.is_file() and SYSTEM_FONTCONFIG.is_file() else None


def fontconfig_env() -> dict[str, str]:
    """The environment for a program that should see fonts as LibreOffice sees them here."""
    env = dict(os.environ)
    fonts = fontconfig_file()
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fonts.resolve())
    return env


def run_soffice(
    soffice: str,
    source: Path,
    outdir: Path,
    target: str,
    *,
    what: str,
    error: type[LectureStudioError],
    timeout: float,
    cancel: CancelToken | None = None,
) -> SofficeRun:
    """Converts ``source`` into ``outdir`` with ``--convert-to target``, in a profile of its own
    beside ``outdir``. ``what`` completes "LibreOffice took too long to ..." and ``error`` is the
    kind raised when it cannot start or runs past ``timeout`` seconds; Cancelled on cancel.
    A finished run is returned: LibreOffice exits 0 even when it could not read the file, so
    the caller looks for the file it expects."""
    profile = outdir.parent / f"{outdir.name}-profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=fontconfig_env(),
            start_new_session=True,
        )
    except OSError as exc:
        raise error(
            f"LibreOffice ({soffice}) could not be started ({exc.strerror or exc}); reinstall it "
            f"or {INSTALL_HINT}."
        ) from exc
    started = time.monotonic()
    while True:
        try:
            out, err = process.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.cancelled:
                _kill_group(process)
                cancel.check()
            if time.monotonic() - started > timeout:
                _kill_group(process)
                raise error(
                    f"LibreOffice took more than {timeout:.0f} s to {what} and was stopped; "
                    "close other programs and try again, or split the deck."
                ) from None
    text = err.decode("utf-8", "replace") + "\n" + out.decode("utf-8", "replace")
    return SofficeRun(process.returncode, _last_line(text))


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
    lines = [line for line in lines if "javaldx" not in line and not line.startswith("convert ")]
    return lines[-1].rstrip(".") if lines else ""

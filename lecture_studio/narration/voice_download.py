"""The app's voice folder, and fetching Piper voices into it from the public Piper voices
repository on Hugging Face (https://huggingface.co/rhasspy/piper-voices)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..fileio import atomic_stream
from ..jobs import CancelToken, ProgressCallback, no_progress
from .engine import NarrationError

PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
# Where a person finds the voices by hand (the same files, one folder per voice).
PIPER_VOICES_PAGE = "https://huggingface.co/rhasspy/piper-voices/tree/main"
# A Piper voice name: language_REGION-speaker-quality, e.g. "de_DE-thorsten-medium".
VOICE_NAME = re.compile(
    r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Z]{2})-(?P<speaker>[A-Za-z0-9_]+)"
    r"-(?P<quality>x_low|low|medium|high)$"
)
# Seconds a connection or a read may stall before the download gives up (never a hang).
TIMEOUT_SECONDS = 20.0
_CHUNK = 1 << 16


class VoiceDownloadError(NarrationError):
    """A voice could not be downloaded (offline, unknown name, server or disk failure)."""


def voice_folder() -> Path:
    """The folder where Lecture Studio looks for voices the user added or downloaded, e.g.
    ~/.local/share/lecture-studio/voices (one ``NAME.onnx`` + ``NAME.onnx.json`` per Piper
    voice)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("lecture-studio")) / "voices"


def voice_path(name: str) -> str:
    """The voice's folder in the Piper voices repository, e.g. "de/de_DE/thorsten/medium";
    a VoiceDownloadError for a name that is not a Piper voice name."""
    match = VOICE_NAME.match(name)
    if match is None:
        raise VoiceDownloadError(
            f"'{name}' is not a Piper voice name; Piper voices are named like "
            f"'de_DE-thorsten-medium' (see {PIPER_VOICES_PAGE})."
        )
    family, region = match["family"], match["region"]
    return f"{family}/{family}_{region}/{match['speaker']}/{match['quality']}"


def download_voice(
    name: str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    folder: Path | None = None,
    base_url: str = PIPER_VOICES_URL,
) -> Path:
    """Download the Piper voice ``name`` (``NAME.onnx`` and ``NAME.onnx.json``) into
    ``folder`` (the voice folder by default) and return the model's path.

    Each file is written under a temporary name and renamed when complete, the small
    configuration last, so a voice is never found half-downloaded. Offline, on an unknown
    name or a stalled server (``TIMEOUT_SECONDS``), a VoiceDownloadError says how to get the
    voice by hand; a cancel removes what was partly written.
    """
    path = voice_path(name)
    folder = Path(folder) if folder is not None else voice_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise VoiceDownloadError(
            f"The voice folder {folder} could not be created ({error.strerror or error}); "
            "check that the disk is writable."
        ) from error
    by_hand = (
        f"download {name}.onnx and {name}.onnx.json by hand from "
        f"{PIPER_VOICES_PAGE}/{path} into {folder}"
    )
    model = folder / f"{name}.onnx"
    config = folder / f"{name}.onnx.json"
    _fetch(f"{base_url}/{path}/{name}.onnx", model, name, by_hand, progress, cancel, 0.0, 0.98)
    _fetch(f"{base_url}/{path}/{name}.onnx.json", config, name, by_hand, progress, cancel, 0.98, 1)
    try:
        json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        model.unlink(missing_ok=True)
        config.unlink(missing_ok=True)
        raise VoiceDownloadError(
            f"The Piper voice '{name}' was downloaded damaged; try again, or {by_hand}."
        ) from error
    progress(1.0, f"Downloaded the voice {name}")
    return model


def _fetch(
    url: str,
    destination: Path,
    name: str,
    by_hand: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    low: float,
    high: float,
) -> None:
    """Stream ``url`` into ``destination`` atomically, reporting progress in [low, high]."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "lecture-studio"})
        with (
            urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response,
            atomic_stream(destination, ".part") as handle,
        ):
            total = int(response.headers.get("Content-Length") or 0)
            received = 0
            while True:
                if cancel is not None:
                    cancel.check()
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                handle.write(chunk)
                received += len(chunk)
                share = received / total if total else 0.0
                progress(
                    low + (high - low) * min(1.0, share),
                    f"Downloading {destination.name} ({received / 1e6:.1f} MB)",
                )
            if total and received < total:
                raise VoiceDownloadError(
                    f"The download of the Piper voice '{name}' stopped early; "
                    f"try again, or {by_hand}."
                )
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise VoiceDownloadError(
                f"There is no Piper voice named '{name}' in the Piper voices repository; "
                f"check the name at {PIPER_VOICES_PAGE}."
            ) from error
        raise VoiceDownloadError(
            f"The Piper voices server refused the download of '{name}' (HTTP {error.code}); "
            f"try again later, or {by_hand}."
        ) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        host = urllib.parse.urlsplit(url).hostname or url
        raise VoiceDownloadError(
            f"The Piper voice '{name}' could not be downloaded (the connection to {host} "
            f"failed or stalled); connect to the internet and try again, or {by_hand}."
        ) from error
    except OSError as error:
        raise VoiceDownloadError(
            f"The Piper voice '{name}' could not be saved in {destination.parent} "
            f"({error.strerror or error}); free some disk space, or {by_hand}."
        ) from error

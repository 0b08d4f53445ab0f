"""The system voice through pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSS on macOS)."""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from .cleanup import split_sentences
from .clip import SAMPLE_RATE, NarrationClip
from .engine import NarrationError, VoiceInfo, check_rate, language_tag, speak_sentences
from .recorded import decode_audio

# pyttsx3 keeps one engine per driver for the whole process and espeak-ng itself is a
# process-wide library: every use of them goes through this lock, whatever the thread.
_PYTTSX3_LOCK = threading.Lock()

# A sentence shorter than this share of its expected length (words at the engine's words per
# minute) is taken as a truncated file rather than fast speech.
_PLAUSIBLE_SHARE = 0.35
_FILE_WAIT_SECONDS = 10.0
_ATTEMPTS = 2
_WORD = re.compile(r"\w+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# espeak-ng's normal speaking rate in words per minute (espeakRATE_NORMAL).
_ESPEAK_NORMAL_RATE = 175


@dataclass(frozen=True)
class _SystemVoice:
    """The process's pyttsx3 engine and the settings it started with."""

    tts: Any
    default_voice: str | None
    default_rate: int
    version: str
    espeak: bool  # the espeak-ng driver (Linux): rate set in the text, Synchronize() to wait


_system_voice: _SystemVoice | None = None


@atexit.register
def _release_system_voice() -> None:
    """Let pyttsx3 clean up while the interpreter is whole (its __del__ fails at teardown)."""
    global _system_voice
    _system_voice = None


def _start_system_voice() -> _SystemVoice:
    """The pyttsx3 engine, started on first use and then shared; call with the lock held.

    pyttsx3 hands out one engine per driver and espeak-ng is one library per process, so the
    engine and its starting voice and rate are kept once for the process: an engine object
    created later still knows what rate 1.0 means after another one changed the rate.
    """
    global _system_voice
    if _system_voice is not None:
        return _system_voice
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import pyttsx3

            tts = pyttsx3.init()
            # A fresh engine queues property changes until its first run loop.
            tts.runAndWait()
            _wait_for_driver(tts)
    except ImportError as error:
        raise NarrationError(
            "The pyttsx3 voice engine is not installed; install it with "
            "'pip install pyttsx3' or record the narration instead."
        ) from error
    except (RuntimeError, OSError) as error:
        raise NarrationError(
            "No system voice could be started; on Linux install espeak-ng "
            "(sudo apt install espeak-ng), or record the narration instead."
        ) from error
    espeak = _is_espeak(tts)
    _system_voice = _SystemVoice(
        tts=tts,
        default_voice=tts.getProperty("voice"),
        # espeak-ng's rate read-back races with its settings thread: use its documented normal.
        default_rate=_ESPEAK_NORMAL_RATE if espeak else int(tts.getProperty("rate") or 200),
        version=f"pyttsx3 {metadata.version('pyttsx3')}; {_driver_version(tts)}",
        espeak=espeak,
    )
    return _system_voice


class Pyttsx3Engine:
    """Speaks with the operating system's voices through pyttsx3, one sentence at a time.

    With espeak-ng (Linux) and its ``espeak-ng`` program, each sentence is spoken by a fresh
    espeak-ng process, so that the same text always gives the same samples (see
    ``_speak_in_new_process``); pyttsx3 lists the voices. Otherwise pyttsx3's
    ``save_to_file`` + ``runAndWait`` speak, which may return while the driver is still
    writing (pyttsx3 issues #149, #219, #259): after each sentence this engine waits for the
    driver, then for a complete file whose length is plausible for its words, retries once,
    and raises NarrationError rather than return short audio. With espeak-ng the rate travels
    inside the text (a rate set through pyttsx3 is often lost, see ``synthesize``).
    pyttsx3's "Audio saved to ..." lines are kept off stdout. Safe to use from any thread
    (calls are serialized).
    """

    name = "pyttsx3"

    def available(self) -> bool:
        """Whether pyttsx3 and a system voice (espeak-ng on Linux) can be started."""
        try:
            with _PYTTSX3_LOCK:
                _start_system_voice()
        except NarrationError:
            return False
        return True

    @property
    def version(self) -> str:
        """pyttsx3's version and the driver's (e.g. espeak-ng 1.51)."""
        with _PYTTSX3_LOCK:
            return _start_system_voice().version

    def voices(self) -> list[str]:
        """The voice identifiers of the system, e.g. "gmw/en-us" with espeak-ng."""
        with _PYTTSX3_LOCK:
            return [v.id for v in _start_system_voice().tts.getProperty("voices")]

    def describe_voices(self) -> list[VoiceInfo]:
        """The system voices by name ("German", "English (America)") with their languages
        as BCP-47 codes ("de", "en-US"); "" where the system does not say."""
        with _PYTTSX3_LOCK:
            known = list(_start_system_voice().tts.getProperty("voices"))
        return [
            VoiceInfo(self.name, str(v.id), _voice_language(v), str(v.name or v.id)) for v in known
        ]

    # -- speaking -----------------------------------------------------------------------------

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        """Speak ``text`` sentence by sentence; each sentence gets an exact cue."""
        rate = check_rate(rate)
        sentences = [s for s in split_sentences(text) if any(c.isalnum() for c in s)]
        if not sentences:
            return NarrationClip(np.zeros(0, dtype=np.float32))
        with _PYTTSX3_LOCK, tempfile.TemporaryDirectory(prefix="lecture-studio-tts-") as tmp:
            system = _start_system_voice()
            tts = system.tts
            words_per_minute = max(1, round(system.default_rate * rate))
            _apply_voice(tts, system.default_voice if voice is None else voice)
            program = shutil.which("espeak-ng") if system.espeak else None
            if program:
                voice_id = str(tts.getProperty("voice"))

                def speak_alone(sentence: str) -> np.ndarray:
                    text = _CONTROL_CHARACTERS.sub(" ", sentence)
                    return _speak_in_new_process(
                        program, text, voice_id, words_per_minute, Path(tmp) / "sentence.wav"
                    )

                return speak_sentences(sentences, speak_alone, rate)
            if system.espeak:
                # espeak-ng applies a rate set through pyttsx3 on its own thread, and pyttsx3's
                # run loop cancels what that thread has not done yet (the rate got lost in
                # about half of the tries here): an embedded speed command in the text
                # itself is applied with the sentence, every time.
                prefix = f"\x01{words_per_minute}S "
            else:
                tts.setProperty("rate", words_per_minute)
                prefix = ""
            counter = itertools.count()

            def speak_one(sentence: str) -> np.ndarray:
                return _speak_to_file(
                    tts,
                    sentence,
                    prefix + _CONTROL_CHARACTERS.sub(" ", sentence),
                    Path(tmp),
                    counter,
                    words_per_minute,
                    voice or "default",
                )

            return speak_sentences(sentences, speak_one, rate)


def _voice_language(voice: Any) -> str:
    """A pyttsx3 voice's first language as BCP-47 ("en-us" and b"\\x05en-us" give "en-US")."""
    for language in getattr(voice, "languages", None) or ():
        if isinstance(language, bytes):
            language = language.decode("ascii", errors="ignore").lstrip("\x00\x01\x02\x03\x04\x05")
        if not isinstance(language, str) or not language.strip():
            continue
        return language_tag(language)
    return ""


def _apply_voice(tts: Any, voice: str | None) -> None:
    """Select ``voice`` (an id or a display name) and check that it took."""
    if voice is None:
        return
    wanted = _resolve_voice(tts, voice)
    tts.setProperty("voice", wanted)
    if tts.getProperty("voice") != wanted:
        raise NarrationError(
            f"The system voice could not switch to '{voice}'; choose another voice."
        )


def _resolve_voice(tts: Any, voice: str) -> str:
    """The id of ``voice`` given as an id or a display name (any case)."""
    known = tts.getProperty("voices")
    for candidate in known:
        if voice == candidate.id:
            return str(candidate.id)
    for candidate in known:
        if voice.lower() in (str(candidate.id).lower(), str(candidate.name).lower()):
            return str(candidate.id)
    examples = ", ".join(str(v.id) for v in known[:5])
    raise NarrationError(
        f"The voice '{voice}' is not installed on this computer; choose one of the "
        f"installed voices (e.g. {examples})."
    )


def _is_espeak(tts: Any) -> bool:
    """Whether pyttsx3 drives espeak-ng (its Linux driver)."""
    return str(tts.proxy._module.__name__).endswith(".espeak")


def _driver_version(tts: Any) -> str:
    """The speech driver and, for espeak-ng, its version (cache key material)."""
    module = tts.proxy._module.__name__
    if _is_espeak(tts):
        from pyttsx3.drivers import _espeak

        return f"espeak-ng {_espeak.Info(None).decode(errors='replace')}"
    return module.rsplit(".", 1)[-1]


def _wait_for_driver(tts: Any) -> None:
    """Block until the driver has finished writing (espeak-ng synthesizes on its own thread)."""
    if _is_espeak(tts):
        from pyttsx3.drivers import _espeak

        _espeak.Synchronize()


def _file_complete(path: Path) -> bool:
    """Whether ``path`` exists and, for a RIFF/WAVE file, holds all the data its header says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(44)
    except OSError:
        return False
    if len(header) < 12:
        return False
    if header[:4] == b"RIFF" and header[8:12] == b"WAVE":
        riff_size = int.from_bytes(header[4:8], "little")
        return size >= riff_size + 8
    return True


def _speak_in_new_process(
    program: str, sentence: str, voice_id: str, words_per_minute: int, path: Path
) -> np.ndarray:
    """One sentence spoken by a fresh espeak-ng process; 48 kHz mono samples.

    The espeak-ng library carries its pitch flutter and glottal phase from one utterance to
    the next, so the same sentence spoken twice in one process comes out different; a new
    process (about 10 ms) speaks it the same every time, as the library's first utterance.
    """
    # "[[" would start espeak-ng's phoneme input
    text = sentence.replace("[[", "[ [")
    try:
        finished = subprocess.run(
            [program, "-v", voice_id, "-s", str(words_per_minute), "-w", str(path)],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=_FILE_WAIT_SECONDS + 0.05 * len(text),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NarrationError(
            f"espeak-ng could not be run ({error}); reinstall it (sudo apt install espeak-ng)."
        ) from error
    if finished.returncode != 0:
        said = finished.stderr.decode(errors="replace").strip() or f"exit {finished.returncode}"
        raise NarrationError(
            f"espeak-ng could not speak with the voice '{voice_id}' ({said}); choose another voice."
        )
    try:
        return decode_audio(path)
    except InputError as error:
        raise NarrationError(f"espeak-ng wrote no sound for the voice '{voice_id}'.") from error


def _wait_for_file(path: Path) -> bool:
    """Wait (a bounded time) for a complete file whose size has stopped changing."""
    deadline = time.monotonic() + _FILE_WAIT_SECONDS
    last_size = -1
    while time.monotonic() < deadline:
        if _file_complete(path):
            size = path.stat().st_size
            if size == last_size:
                return True
            last_size = size
        time.sleep(0.01)
    return False


def _speak_to_file(
    tts: Any,
    sentence: str,
    engine_text: str,
    folder: Path,
    counter: Iterator[int],
    words_per_minute: int,
    voice_label: str,
) -> np.ndarray:
    """One sentence through ``save_to_file``, checked to be complete; 48 kHz mono samples."""
    words = max(1, len(_WORD.findall(sentence)))
    plausible_seconds = _PLAUSIBLE_SHARE * words * 60.0 / words_per_minute
    got_seconds = 0.0
    for _ in range(_ATTEMPTS):
        path = folder / f"sentence-{next(counter)}.wav"
        with contextlib.redirect_stdout(io.StringIO()):
            tts.save_to_file(engine_text, str(path))
            tts.runAndWait()
            _wait_for_driver(tts)
            written = _wait_for_file(path)
        if not written:
            continue
        try:
            samples = decode_audio(path)
        except InputError:
            continue
        got_seconds = len(samples) / SAMPLE_RATE
        if got_seconds >= plausible_seconds:
            return samples
    preview = sentence if len(sentence) <= 60 else sentence[:57] + "..."
    raise NarrationError(
        f"The system voice ({voice_label}) gave {got_seconds:.1f} s of audio for the "
        f'{words}-word sentence "{preview}"; try again, or shorten the sentence.'
    )

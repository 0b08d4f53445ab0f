"""Recorded narration: any audio file PyAV reads, decoded to a 48 kHz mono NarrationClip."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np

from ..errors import CorruptFileError, MissingAssetError, UnsupportedFormatError
from .clip import SAMPLE_RATE, NarrationClip, TimedText


def _mono(frame: av.AudioFrame) -> np.ndarray:
    """The average of a planar float frame's channels."""
    planes = frame.to_ndarray()
    return planes.mean(axis=0, dtype=np.float32) if planes.shape[0] > 1 else planes[0]


def decode_audio(path: str | Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The first audio stream of ``path`` mixed down to mono float32 at ``sample_rate``.

    Reads whatever FFmpeg reads (wav, mp3, m4a/aac, flac, ogg/vorbis/opus, the sound of a
    video...). Raises an InputError naming the file when it is missing, damaged or silent-less.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingAssetError(
            f"The recording {path} does not exist; record it again or choose another file."
        )
    pcm = _pcm_wav(path, sample_rate)
    return pcm if pcm is not None else _decode_with_ffmpeg(path, sample_rate)


def _pcm_wav(path: Path, sample_rate: int) -> np.ndarray | None:
    """A 16-bit PCM WAV file at ``sample_rate`` read directly (a tenth of FFmpeg's time), with
    the very samples FFmpeg gives: each over 32768 as float32, channels averaged alike. None
    for any other file."""
    try:
        with wave.open(str(path), "rb") as recording:
            channels, width = recording.getnchannels(), recording.getsampwidth()
            if recording.getframerate() != sample_rate or width != 2 or not channels:
                return None
            data = recording.readframes(recording.getnframes())
    except (OSError, EOFError, wave.Error):
        return None
    if not data or len(data) % (2 * channels):
        return None
    planes = np.frombuffer(data, "<i2").reshape(-1, channels).T.astype(np.float32)
    planes /= np.float32(32768)
    return planes.mean(axis=0, dtype=np.float32) if channels > 1 else planes[0]


def _decode_with_ffmpeg(path: Path, sample_rate: int) -> np.ndarray:
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise UnsupportedFormatError(
                    f"The file {path.name} has no sound in it; choose an audio recording "
                    "(wav, mp3, m4a, flac or ogg)."
                )
            stream = container.streams.audio[0]
            # Planar float in the file's own channel layout; the mix-down is a plain average of
            # the channels, so a full-scale stereo file stays within [-1, 1].
            resampler = av.AudioResampler(format="fltp", rate=sample_rate)
            chunks: list[np.ndarray] = []
            for frame in container.decode(stream):
                frame.pts = None  # let the resampler count samples, not trust timestamps
                chunks.extend(_mono(out) for out in resampler.resample(frame))
            chunks.extend(_mono(out) for out in resampler.resample(None))
    except av.FFmpegError as error:
        raise CorruptFileError(
            f"The recording {path.name} could not be read ({error.strerror or error}); "
            "it may be damaged or in a format we do not read, so export it again as WAV or MP3."
        ) from error
    except UnicodeDecodeError as error:
        raise CorruptFileError(
            f"The recording {path.name} could not be read; export it again as WAV or MP3."
        ) from error
    if not chunks:
        raise CorruptFileError(
            f"The recording {path.name} holds no audio samples; record it again."
        )
    return np.concatenate(chunks).astype(np.float32, copy=False)


def recording_length(path: str | Path, sample_rate: int = SAMPLE_RATE) -> int | None:
    """How many samples ``decode_audio`` gives for ``path``, read from its header when it is a
    PCM WAV file at ``sample_rate`` (no resampling); None when only decoding can tell."""
    try:
        with wave.open(str(path), "rb") as recording:
            if recording.getframerate() != sample_rate or recording.getnframes() == 0:
                return None
            return recording.getnframes()
    except (OSError, EOFError, wave.Error):
        return None


def load_recording(path: str | Path, script: str = "") -> NarrationClip:
    """A recorded narration as a clip; with ``script``, one caption cue spans the whole clip."""
    samples = decode_audio(path)
    clip_seconds = len(samples) / SAMPLE_RATE
    script = " ".join(script.split())
    cues = (TimedText(0.0, clip_seconds, script),) if script else ()
    return NarrationClip(samples, SAMPLE_RATE, cues)

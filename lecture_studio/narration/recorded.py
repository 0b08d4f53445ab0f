"""Recorded narration: any audio file PyAV reads, decoded to a 48 kHz mono NarrationClip."""

from __future__ import annotations

import functools
import wave
from dataclasses import dataclass
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


# --- the sound of a recording: levels, clipping, hum and noise ---------------------------------
#
# A microphone recording is judged against its own noise floor, not a fixed level: a quiet
# room's recording has its pauses near -70 dBFS, a laptop's near -45. ``one_take`` cuts and
# trims on these levels; ``clean_recording`` is what every recording goes through before its
# loudness is set (the teacher's file in the project stays as recorded).

RECORDING_CLEANUP = "high-pass 80 Hz (single precision), gate 12 dB"  # changes with clean_recording
FRAME_SECONDS = 0.01  # the level of speech is read in 10 ms frames
SILENCE_DB = -90.0  # frames quieter than this (digital silence) count as this level
_SOUND_OVER_FLOOR_DB = 10.0  # a frame this far over the noise floor holds sound
_SOUND_UNDER_SPEECH_DB = 45.0  # ... and one this far under the loud frames does not
_QUIET_UNDER_SPEECH_DB = 20.0  # a frame this far under the loud frames is quiet, whatever the floor
_CLIP_LEVEL = 0.99  # a sample at or over this (full scale 1.0) may be clipped
_CLIP_RUN = 3  # this many samples in a row at the clip level: the input clipped
_HIGH_PASS_HZ = 80.0  # below the lowest voices' fundamental, above mains hum (50/60 Hz)
_HIGH_PASS_TAPS = 8191  # linear-phase FIR: 60 Hz down by more than 30 dB at 48 kHz
_GATE_RANGE_DB = 12.0  # gentle: the pauses' noise is turned down by this much at most
_GATE_OVER_FLOOR_DB = 8.0  # the gate is fully open this far over the noise floor
_GATE_KNEE_DB = 6.0  # and closes gradually over this many dB below that
_GATE_MIN_SNR_DB = 15.0  # with speech less far over the noise than this, no gate at all
_GATE_LOOKAHEAD_SECONDS = 0.03  # opens this much before a word (soft onsets stay whole)
_GATE_HOLD_SECONDS = 0.15  # and stays open this long after it (word endings decay)


def frame_levels(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """The RMS level in dBFS of each ``FRAME_SECONDS`` frame of ``samples`` (a last short
    frame included), never under ``SILENCE_DB``."""
    data = np.asarray(samples, dtype=np.float32)
    size = max(1, round(FRAME_SECONDS * sample_rate))
    count = -(-data.size // size)
    padded = np.zeros(count * size, dtype=np.float64)
    padded[: data.size] = data
    frames = padded.reshape(count, size)
    lengths = np.full(count, size, dtype=np.float64)
    if count and data.size % size:
        lengths[-1] = data.size % size
    power = np.einsum("ij,ij->i", frames, frames) / lengths
    with np.errstate(divide="ignore"):
        return np.maximum(10 * np.log10(power), SILENCE_DB)


def noise_floor(levels: np.ndarray) -> float:
    """The level of the quiet between words, in dBFS: the 10th percentile of the frames'
    levels (a take is never all speech); ``SILENCE_DB`` for digital silence."""
    return float(np.percentile(levels, 10)) if levels.size else SILENCE_DB


def sound_threshold(levels: np.ndarray) -> float:
    """The level over which a frame holds sound (speech, a breath, a click), in dBFS: well
    over the noise floor, and not far under the recording's loud frames (a recording that
    is sound from end to end has its floor at the level of its speech)."""
    if not levels.size:
        return SILENCE_DB
    loud = float(np.percentile(levels, 95))
    over_floor = max(noise_floor(levels) + _SOUND_OVER_FLOOR_DB, loud - _SOUND_UNDER_SPEECH_DB)
    return min(over_floor, loud - _QUIET_UNDER_SPEECH_DB)


@dataclass(frozen=True)
class Clipping:
    """Where a recording's input clipped: the start (seconds) of each run of samples stuck at
    full scale, in order."""

    times: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.times)


def find_clipping(samples: np.ndarray, sample_rate: int) -> Clipping | None:
    """Where ``samples`` clipped when they were recorded (``_CLIP_RUN`` or more samples in a
    row at full scale, one sign), or None when they did not. Runs closer than 0.1 s count
    as one place."""
    data = np.asarray(samples, dtype=np.float32)
    if data.size < _CLIP_RUN:
        return None
    at_top = np.where(data >= _CLIP_LEVEL, 1, np.where(data <= -_CLIP_LEVEL, -1, 0)).astype(np.int8)
    # a run of _CLIP_RUN equal non-zero values starts at i when i .. i+_CLIP_RUN-1 all agree
    run = at_top[: data.size - _CLIP_RUN + 1] != 0
    for offset in range(1, _CLIP_RUN):
        run &= at_top[offset : data.size - _CLIP_RUN + 1 + offset] == at_top[: run.size]
    starts = np.flatnonzero(run)
    if starts.size == 0:
        return None
    apart = np.concatenate(([True], np.diff(starts) > 0.1 * sample_rate))
    return Clipping(tuple(float(s) / sample_rate for s in starts[apart]))


def clipping_note(slide_number: int, clipping: Clipping) -> str:
    """One sentence saying where slide ``slide_number``'s recording clipped and what to do."""
    minutes, seconds = divmod(int(clipping.times[0]), 60)
    places = "in 1 place" if clipping.count == 1 else f"in {clipping.count} places, first"
    return (
        f"Slide {slide_number}'s recording is distorted (the input clipped) {places} at "
        f"{minutes}:{seconds:02d}; record it again with the microphone level turned down or "
        "a little further from your mouth."
    )


@functools.lru_cache(maxsize=4)
def _high_pass_kernel(sample_rate: int) -> np.ndarray:
    """A linear-phase high-pass at ``_HIGH_PASS_HZ``: a unit impulse minus a Blackman-windowed
    sinc low-pass of the same length (odd, so the delay is a whole number of samples)."""
    taps = _HIGH_PASS_TAPS * sample_rate // 48000 // 2 * 2 + 1
    cutoff = _HIGH_PASS_HZ / sample_rate
    offsets = np.arange(taps) - taps // 2
    low = 2 * cutoff * np.sinc(2 * cutoff * offsets) * np.blackman(taps)
    low /= low.sum()
    kernel = -low
    kernel[taps // 2] += 1.0
    return kernel


@functools.lru_cache(maxsize=4)
def _high_pass_spectrum(sample_rate: int, size: int) -> np.ndarray:
    """The high-pass kernel's spectrum for blocks of ``size`` samples, in single precision."""
    return np.fft.rfft(_high_pass_kernel(sample_rate), size).astype(np.complex64)


def high_pass(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """``samples`` without what lies under ``_HIGH_PASS_HZ``: mains hum at 50/60 Hz, rumble
    and DC offset. Linear phase (no smearing of the voice), same length, float32; filtered
    in blocks by FFT in single precision (within 1e-6 of the double-precision result, half
    the time), so that a long recording needs no clip-sized temporaries."""
    data = np.asarray(samples, dtype=np.float32)
    taps = _high_pass_kernel(sample_rate).size
    if data.size == 0:
        return data.copy()
    size = 1 << 16  # the fastest block here for the 48 kHz kernel (8191 taps)
    while size < 4 * taps:
        size <<= 1
    step = size - taps + 1
    spectrum = _high_pass_spectrum(sample_rate, size)
    delay = taps // 2
    out = np.empty(data.size, dtype=np.float32)
    block = np.empty(size, dtype=np.float32)
    # output sample j needs input j - delay .. j + delay; block k yields outputs from k*step
    for first in range(0, data.size, step):
        lo = first - delay
        src_lo, src_hi = max(0, lo), min(data.size, lo + size)
        block[:] = 0.0
        block[src_lo - lo : src_hi - lo] = data[src_lo:src_hi]
        product = np.fft.rfft(block)
        product *= spectrum
        filtered = np.fft.irfft(product, size)
        count = min(step, data.size - first)
        out[first : first + count] = filtered[taps - 1 : taps - 1 + count]
    return out


def gate_gains(samples: np.ndarray, sample_rate: int) -> np.ndarray | None:
    """Per-sample gain of the noise gate (1 where there is sound, down to ``_GATE_RANGE_DB``
    under 1 in the pauses' noise), or None where no gate is needed (digital silence between
    words) or none is safe (speech too close to the noise for the two to be told apart)."""
    levels = frame_levels(samples, sample_rate)
    if levels.size < 2:
        return None
    floor = noise_floor(levels)
    loud = float(np.percentile(levels, 95))
    if floor <= SILENCE_DB + 10 or loud - floor < _GATE_MIN_SNR_DB:
        return None
    open_at = floor + _GATE_OVER_FLOOR_DB
    closed = np.clip((open_at - levels) / _GATE_KNEE_DB, 0.0, 1.0)
    frame_gain = 10 ** (-_GATE_RANGE_DB * closed / 20)
    # open early for a word's onset and hold open after it: the largest gain nearby
    ahead = max(1, round(_GATE_LOOKAHEAD_SECONDS / FRAME_SECONDS))
    behind = max(1, round(_GATE_HOLD_SECONDS / FRAME_SECONDS))
    padded = np.concatenate((np.zeros(behind), frame_gain, np.zeros(ahead)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, behind + ahead + 1)
    held = windows.max(axis=1)
    smooth = np.convolve(np.pad(held, 2, mode="edge"), np.ones(5) / 5, mode="valid")
    size = round(FRAME_SECONDS * sample_rate)
    centres = (np.arange(smooth.size) + 0.5) * size
    return np.interp(np.arange(len(samples)), centres, smooth).astype(np.float32)


def clean_recording(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """A recording as the lecture plays it: hum and rumble filtered out (``high_pass``), and
    the noise in its pauses turned down a little by a gentle gate (``gate_gains``) that never
    touches the words. Same length; loudness is set afterwards (``normalize_loudness``)."""
    filtered = high_pass(samples, sample_rate)
    gains = gate_gains(filtered, sample_rate)
    return filtered if gains is None else filtered * gains

"""Recording narration from the microphone (QtMultimedia's QAudioSource): one slide's take as a
WAV, or a whole lecture's take as samples (``gui/record_lecture.py``)."""

from __future__ import annotations

import io
import wave

import numpy as np
from PySide6.QtCore import QObject, Signal

RECORDING_RATE = 48_000


def microphone_available() -> bool:
    from PySide6.QtMultimedia import QMediaDevices

    return bool(QMediaDevices.audioInputs())


def wav_bytes(pcm: bytes, sample_rate: int, channels: int = 1) -> bytes:
    """A 16-bit PCM WAV file holding ``pcm``."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm)
    return buffer.getvalue()


def pcm_samples(pcm: bytes) -> np.ndarray:
    """16-bit PCM as float32 samples in -1..1 (what the core's audio functions take)."""
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32)
    samples /= np.float32(32768)
    return samples


def float_wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit PCM WAV file holding float samples in -1..1 (clipped beyond)."""
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    return wav_bytes(pcm.tobytes(), sample_rate)


def peak_level(pcm: bytes) -> float:
    """The loudest sample of 16-bit PCM, 0..1, for the level meter."""
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2")
    return float(np.abs(samples.astype(np.int32)).max()) / 32768.0 if len(samples) else 0.0


class MicrophoneRecorder(QObject):
    """Records 48 kHz mono 16-bit audio from the default input until ``stop()``."""

    level_changed = Signal(float)  # 0..1, several times a second while recording
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = None
        self._device_io = None
        self._pcm = bytearray()
        self._rate = RECORDING_RATE

    @property
    def is_recording(self) -> bool:
        return self._source is not None

    @property
    def seconds(self) -> float:
        return len(self._pcm) / 2 / self._rate

    @property
    def sample_rate(self) -> int:
        return self._rate

    def position(self) -> float:
        """Seconds recorded up to now, counting what the device has ready: the time of a slide
        change, measured in the take itself rather than by the wall clock."""
        self._read()
        return self.seconds

    def start(self) -> bool:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices

        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            self.failed.emit(self.tr("No microphone was found; connect one and try again."))
            return False
        wanted = QAudioFormat()
        wanted.setSampleRate(RECORDING_RATE)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(wanted):
            wanted = device.preferredFormat()
            wanted.setChannelCount(1)
            wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._rate = wanted.sampleRate()
        self._pcm = bytearray()
        self._source = QAudioSource(device, wanted, self)
        self._device_io = self._source.start()
        if self._device_io is None:
            self._source = None
            self.failed.emit(self.tr("The microphone could not be opened; check its settings."))
            return False
        self._device_io.readyRead.connect(self._read)
        return True

    def _read(self) -> None:
        if self._device_io is None:
            return
        chunk = bytes(self._device_io.readAll().data())
        self._pcm.extend(chunk)
        self.level_changed.emit(peak_level(chunk))

    def stop(self) -> bytes:
        """Stop and return the take as WAV bytes (empty when nothing was recorded)."""
        pcm = self._stop()
        return wav_bytes(pcm, self._rate) if pcm else b""

    def stop_samples(self) -> np.ndarray:
        """Stop and return the take as float32 samples at ``sample_rate`` (empty when nothing
        was recorded)."""
        return pcm_samples(self._stop())

    def _stop(self) -> bytes:
        if self._source is None:
            return b""
        self._read()
        self._source.stop()
        self._source = None
        self._device_io = None
        self.level_changed.emit(0.0)
        return bytes(self._pcm)

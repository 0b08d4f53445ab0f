"""Recording a slide's narration from the microphone (QtMultimedia's QAudioSource) as a WAV."""

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
        if self._source is None:
            return b""
        self._read()
        self._source.stop()
        self._source = None
        self._device_io = None
        self.level_changed.emit(0.0)
        return wav_bytes(bytes(self._pcm), self._rate) if self._pcm else b""

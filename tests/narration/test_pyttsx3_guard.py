"""A system voice that writes late or short never gives short narration without saying so."""

from __future__ import annotations

import threading
import wave
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
import pytest

import lecture_studio.narration.espeak as espeak_module
from lecture_studio.narration import NarrationError, Pyttsx3Engine


class UnreliableVoice:
    """Mimics a pyttsx3 engine whose run loop returns before the file is (fully) written.

    ``plan`` says, call after call, how the file turns up: "late" (written 0.3 s after
    ``runAndWait`` returns), "short" (a tenth of the speech) or "never".
    """

    proxy = SimpleNamespace(_module=SimpleNamespace(__name__="pyttsx3.drivers.fake"))

    def __init__(self, plan: list[str]) -> None:
        self.plan = plan
        self.calls = 0
        self._pending: tuple[str, str] | None = None
        self.properties: dict[str, object] = {}

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 - pyttsx3's API
        self.properties[name] = value

    def getProperty(self, name: str) -> object:  # noqa: N802 - pyttsx3's API
        return self.properties.get(name)

    def save_to_file(self, text: str, path: str) -> None:
        self._pending = (text, path)

    def runAndWait(self) -> None:  # noqa: N802 - pyttsx3's API
        assert self._pending is not None
        text, path = self._pending
        how = self.plan[min(self.calls, len(self.plan) - 1)]
        self.calls += 1
        seconds = 0.3 * len(text.split()) * (0.1 if how == "short" else 1.0)
        if how == "late":
            threading.Timer(0.3, write_tone, (path, seconds)).start()
        elif how != "never":
            write_tone(path, seconds)


def write_tone(path: str, seconds: float) -> None:
    t = np.arange(round(22050 * seconds)) / 22050
    pcm = (0.5 * np.sin(2 * np.pi * 200 * t) * 32767).astype("<i2")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(pcm.tobytes())


Install = Callable[[list[str]], UnreliableVoice]


@pytest.fixture
def unreliable(monkeypatch: pytest.MonkeyPatch) -> Install:
    """Installs an UnreliableVoice in place of the process's pyttsx3 engine."""

    def install(plan: list[str]) -> UnreliableVoice:
        voice = UnreliableVoice(plan)
        system = espeak_module._SystemVoice(voice, None, 200, "fake 1", espeak=False)
        monkeypatch.setattr(espeak_module, "_system_voice", system)
        monkeypatch.setattr(espeak_module, "_FILE_WAIT_SECONDS", 1.0)
        return voice

    return install


SENTENCE = "Plants turn light, water and carbon dioxide into sugar and oxygen."


def test_a_file_written_after_the_run_loop_returned_is_waited_for(unreliable: Install) -> None:
    voice = unreliable(["late"])
    clip = Pyttsx3Engine().synthesize(SENTENCE, None, 1.0)
    assert clip.duration == pytest.approx(0.3 * 11, abs=0.1)
    assert voice.calls == 1


def test_a_short_file_is_spoken_again(unreliable: Install) -> None:
    voice = unreliable(["short", "ok"])
    clip = Pyttsx3Engine().synthesize(SENTENCE, None, 1.0)
    assert clip.duration == pytest.approx(0.3 * 11, abs=0.1)
    assert voice.calls == 2


def test_audio_that_stays_short_is_an_error_not_a_short_clip(unreliable: Install) -> None:
    unreliable(["short"])
    with pytest.raises(NarrationError, match="11-word sentence"):
        Pyttsx3Engine().synthesize(SENTENCE, None, 1.0)


def test_a_file_that_never_comes_is_an_error(unreliable: Install) -> None:
    unreliable(["never"])
    with pytest.raises(NarrationError, match="gave 0.0 s of audio"):
        Pyttsx3Engine().synthesize(SENTENCE, None, 1.0)

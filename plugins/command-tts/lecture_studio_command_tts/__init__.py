"""An example Lecture Studio plugin: a narration engine that runs a command-line text-to-speech
program (espeak-ng, piper, say, ...) given in the plugin's settings."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lecture_studio.errors import LectureStudioError
from lecture_studio.narration import NarrationClip, NarrationError, decode_audio, split_sentences
from lecture_studio.narration.engine import check_rate, speak_sentences

__version__ = "1.0.0"
ENGINE_NAME = "command-tts"
SETTINGS_HINT = "~/.config/lecture-studio/plugins/command-tts.toml"
PLACEHOLDERS = ("text_file", "text", "output", "voice", "rate", "words_per_minute")


class CommandEngine:
    """Speaks each sentence by running ``command`` (a list: program and arguments)."""

    name = ENGINE_NAME

    def __init__(
        self,
        command: Sequence[str],
        default_voice: str = "",
        voices: Sequence[str] = (),
        timeout_seconds: float = 60,
    ) -> None:
        if isinstance(command, str) or not command or not all(isinstance(a, str) for a in command):
            raise NarrationError(
                f"The command-tts plugin's command must be a list of strings; fix it in "
                f"{SETTINGS_HINT}."
            )
        self.command = list(command)
        self.default_voice = default_voice
        self._voices = list(voices)
        self.timeout_seconds = float(timeout_seconds)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> CommandEngine:
        return cls(
            settings.get("command", []),
            str(settings.get("default_voice", "")),
            list(settings.get("voices", [])),
            float(settings.get("timeout_seconds", 60)),
        )

    @property
    def version(self) -> str:
        """Changes with the command line, so a new command does not reuse cached speech."""
        digest = hashlib.sha256(json.dumps(self.command).encode()).hexdigest()[:12]
        return f"{__version__}-{digest}"

    def voices(self) -> list[str]:
        return list(self._voices)

    def available(self) -> bool:
        return shutil.which(self.command[0]) is not None

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        rate = check_rate(rate)
        program = shutil.which(self.command[0])
        if program is None:
            raise NarrationError(
                f"The program {self.command[0]!r} that the command-tts plugin runs is not "
                f"installed; install it or set another command in {SETTINGS_HINT}."
            )
        voice = voice or self.default_voice
        with tempfile.TemporaryDirectory(prefix="lecture-studio-command-tts-") as scratch:
            folder = Path(scratch)

            def speak_one(sentence: str) -> np.ndarray:
                return self._run(program, folder, sentence, voice, rate)

            return speak_sentences(split_sentences(text), speak_one, rate)

    def _run(
        self, program: str, folder: Path, sentence: str, voice: str, rate: float
    ) -> np.ndarray:
        text_file, output = folder / "sentence.txt", folder / "sentence.wav"
        text_file.write_text(sentence, encoding="utf-8")
        output.unlink(missing_ok=True)
        values = {
            "text_file": str(text_file),
            "text": sentence,
            "output": str(output),
            "voice": voice,
            "rate": f"{rate:g}",
            "words_per_minute": str(round(175 * rate)),
        }
        try:
            arguments = [argument.format(**values) for argument in self.command[1:]]
        except (KeyError, IndexError, ValueError) as error:
            raise NarrationError(
                f"The command-tts plugin's command has an unknown placeholder ({error}); use "
                f"only {', '.join('{' + p + '}' for p in PLACEHOLDERS)} in {SETTINGS_HINT}."
            ) from None
        try:
            finished = subprocess.run(
                [program, *arguments],
                capture_output=True,
                timeout=self.timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise NarrationError(
                f"The program {self.command[0]!r} took more than {self.timeout_seconds:g} s for "
                f"one sentence; raise timeout_seconds in {SETTINGS_HINT} or check the program."
            ) from None
        if finished.returncode != 0 or not output.is_file():
            said = finished.stderr.decode("utf-8", "replace").strip().splitlines()
            why = said[-1] if said else f"exit status {finished.returncode}, no sound file"
            raise NarrationError(
                f"The program {self.command[0]!r} could not speak {sentence[:40]!r} ({why}); "
                f"check its voice and arguments in {SETTINGS_HINT}."
            )
        try:
            return decode_audio(output)
        except LectureStudioError as error:
            raise NarrationError(
                f"The program {self.command[0]!r} wrote a sound file Lecture Studio cannot read "
                f"({error.message.rstrip('.')}); make it write WAV, see {SETTINGS_HINT}."
            ) from None


def register(registrar) -> None:  # noqa: ANN001 - the PluginRegistrar Lecture Studio passes
    """Called by Lecture Studio when a narration engine is first needed."""
    settings = dict(registrar.settings)
    registrar.add_narration_engine(
        ENGINE_NAME,
        lambda: CommandEngine.from_settings(settings),
        "Any command-line text-to-speech program",
    )

"""The command-line TTS example plugin, loaded through Lecture Studio's registry."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.app import register_builtins, set_app_registry
from lecture_studio.narration import NarrationError, choose_engine, synthesize_cached
from lecture_studio.plugins import NARRATION_ENGINE, PluginRegistry

PLUGINS_FOLDER = Path(__file__).resolve().parents[2]

# A stand-in TTS program: a tone lasting 0.04 s per character at rate 1 (shorter when faster),
# 880 Hz for the voice "high", 220 Hz otherwise; exit status 3 for text containing "FAIL".
FAKE_TTS = """\
import math, struct, sys, wave
output, text_file, voice, rate = sys.argv[1:5]
text = open(text_file, encoding="utf-8").read()
if "FAIL" in text:
    print("fake-tts: cannot say that", file=sys.stderr)
    sys.exit(3)
rate_hz = 16000
count = int(len(text) * 0.04 / float(rate) * rate_hz)
pitch = 880 if voice == "high" else 220
with wave.open(output, "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(rate_hz)
    out.writeframes(b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * pitch * i / rate_hz)))
        for i in range(count)
    ))
"""


def _registry(tmp_path: Path, command: list[str] | None = None) -> PluginRegistry:
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    if command is None:
        script = tmp_path / "fake_tts.py"
        script.write_text(FAKE_TTS)
        command = [sys.executable, str(script), "{output}", "{text_file}", "{voice}", "{rate}"]
    (settings_dir / "command-tts.toml").write_text(
        "command = [" + ", ".join(f"'{a}'" for a in command) + "]\ndefault_voice = 'low'\n",
        encoding="utf-8",
    )
    return PluginRegistry(
        folders=[PLUGINS_FOLDER],
        entry_points=False,
        settings_dir=settings_dir,
        builtins=register_builtins,
    )


@pytest.fixture
def fake_registry(tmp_path):
    registry = _registry(tmp_path)
    set_app_registry(registry)
    yield registry
    set_app_registry(None)


def _pitch(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate / len(samples))


def test_each_sentence_is_spoken_by_the_program_and_timed(fake_registry):
    engine = fake_registry.create(NARRATION_ENGINE, "command-tts")
    clip = engine.synthesize("One sentence here. And a second, longer sentence.", None, 1.0)
    assert [cue.text for cue in clip.sentences] == [
        "One sentence here.",
        "And a second, longer sentence.",
    ]
    first, second = clip.sentences
    assert first.end - first.start == pytest.approx(18 * 0.04, abs=0.02)
    assert second.end - second.start == pytest.approx(30 * 0.04, abs=0.02)
    assert clip.sample_rate == 48000
    assert _pitch(clip.samples, clip.sample_rate) == pytest.approx(220, abs=5)


def test_a_faster_rate_reaches_the_program(fake_registry):
    engine = fake_registry.create(NARRATION_ENGINE, "command-tts")
    normal = engine.synthesize("Twenty characters ok.", None, 1.0).duration
    fast = engine.synthesize("Twenty characters ok.", None, 2.0).duration
    assert fast == pytest.approx(normal / 2, rel=0.05)


def test_a_voice_written_engine_colon_voice_selects_the_plugin(fake_registry, tmp_path):
    engine = choose_engine("Hello there.", "en", "command-tts:high", fake_registry)
    assert engine.name == "command-tts"
    clip = synthesize_cached(engine, "Hello there.", "command-tts:high", 1.0, tmp_path / "cache")
    assert _pitch(clip.samples, clip.sample_rate) == pytest.approx(880, abs=5)
    assert "command-tts:en-gb" in engine.voices()  # listed as the editor must write them
    # Without a voice named, English goes to the best built-in voice (Piper's).
    assert choose_engine("Hello there.", "en", None, fake_registry).name == "piper"


def test_a_failing_program_gives_a_sentence_naming_it(fake_registry):
    engine = fake_registry.create(NARRATION_ENGINE, "command-tts")
    with pytest.raises(NarrationError, match=r"could not speak .*cannot say that.*command-tts"):
        engine.synthesize("Please FAIL now.", None, 1.0)


def test_a_missing_program_says_what_to_install_or_change(tmp_path):
    registry = _registry(tmp_path, ["no-such-tts-program-here", "{output}"])
    engine = registry.create(NARRATION_ENGINE, "command-tts")
    assert not engine.available()
    with pytest.raises(NarrationError, match="'no-such-tts-program-here'.*not installed"):
        engine.synthesize("Hello.", None, 1.0)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_default_settings_speak_with_espeak_ng(tmp_path):
    registry = PluginRegistry(
        folders=[PLUGINS_FOLDER],
        entry_points=False,
        settings_dir=tmp_path,  # no settings file: the plugin.toml defaults
        builtins=register_builtins,
    )
    engine = registry.create(NARRATION_ENGINE, "command-tts")
    clip = engine.synthesize("The leaf makes sugar from light.", None, 1.0)
    assert 0.8 < clip.duration < 5.0
    assert float(np.sqrt(np.mean(clip.samples**2))) > 0.01  # speech, not silence

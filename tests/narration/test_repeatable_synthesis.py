"""Synthesis is repeatable (issue 16): the same text, voice and rate give the same samples in
two separate runs of the program, for each built-in engine. Each run is its own interpreter
with its own hash seed, so nothing that varies from one process to the next (set order, a
process-wide engine's state, thread timing) can hide behind the narration cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Prints the SHA-256 of the samples, their count and rate: enough to compare them exactly.
SPEAK = """\
import hashlib, sys
from lecture_studio.app import register_builtins
from lecture_studio.plugins import NARRATION_ENGINE, PluginRegistry
registry = PluginRegistry(plugins_enabled=False, builtins=register_builtins)
engine = registry.create(NARRATION_ENGINE, sys.argv[1])
if not engine.available():
    print("unavailable")
    raise SystemExit(0)
clip = engine.synthesize(sys.argv[2], sys.argv[3] or None, 1.0)
samples = clip.samples
print(hashlib.sha256(samples.tobytes()).hexdigest(), samples.dtype, len(samples), clip.sample_rate)
"""

CASES = {
    "pyttsx3": ("Plants use the energy of sunlight, 42 times over. Is that so?", ""),
    "openjtalk": ("植物は光のエネルギーで糖を作ります。数字は42と3.5です。", ""),
    "piper": ("Plants use the energy of sunlight, 42 times over. Is that so?", ""),
    "kokoro": ("植物は光のエネルギーで糖を作ります。", ""),
}


def speak(engine: str, text: str, voice: str, seed: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", SPEAK, engine, text, voice],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO)),
        cwd=REPO,
        timeout=300,  # stops a hung engine; not a speed target
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("engine", sorted(CASES))
def test_two_runs_speak_the_same_samples(engine: str) -> None:
    text, voice = CASES[engine]
    first = speak(engine, text, voice, "1")
    if first == "unavailable":
        pytest.skip(f"the {engine} engine cannot run here")
    digest, dtype, count, rate = first.split()
    assert int(count) > int(rate) // 2  # at least half a second of speech
    assert speak(engine, text, voice, "2") == first

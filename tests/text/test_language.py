"""Language detection: script rules, py3langid on slide-length texts, the lecture's fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecture_studio.importers import import_path
from lecture_studio.text import detect_language, detected_language, normalize_language

SENTENCES = Path(__file__).with_name("short_sentences.tsv")


def short_sentences() -> list[tuple[str, str]]:
    """(language, text) of every slide-length sentence written for these tests."""
    rows = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            language, text = line.split("\t", 1)
            rows.append((language, text))
    return rows


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Photosynthesis turns light into sugar.", "en"),
        ("光合成は光のエネルギーを使って糖をつくるしくみです。", "ja"),
        ("スライド１", "ja"),
        # Mostly Han, but the kana show it is Japanese.
        ("東京大学の講義", "ja"),
        ("光合作用把光能转化为化学能。", "zh"),
        ("광합성은 빛 에너지를 이용합니다.", "ko"),
        # One Japanese word in an English lecture does not make it Japanese.
        (
            "Today we discuss the word kaizen, written 改善 or カイゼン, in depth across the "
            "manufacturing industry and in management theory as a whole.",
            "en",
        ),
        ("Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen.", "de"),
        ("", "en"),
        ("1234 — ★ ☆ !!!", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_every_short_sentence_is_told_apart_from_the_lecture_language() -> None:
    """A slide in another language than its lecture's: the fallback is always wrong here, so
    only a real detection passes."""
    wrong = []
    for language, text in short_sentences():
        lecture = "fr" if language == "en" else "en"
        if detect_language(text, lecture) != language:
            wrong.append((language, text, detect_language(text, lecture)))
    assert not wrong
    assert {language for language, _ in short_sentences()} >= {
        "de", "fr", "es", "he", "zh", "ko", "ru", "ar", "it", "pt", "nl", "en", "ja",
    }  # fmt: skip


@pytest.mark.parametrize("lecture", ["en", "de", "ja", "he"])
def test_text_too_short_to_judge_takes_the_lecture_language(lecture: str) -> None:
    for text in ("Overview", "Quelle:", "Fazit", "Q&A", "1.", "   "):
        assert detected_language(text, lecture) is None
        assert detect_language(text, lecture) == lecture


def test_kana_mean_japanese_and_kanji_alone_follow_the_lecture() -> None:
    # kana: Japanese in any lecture
    assert detect_language("まとめ", "zh") == "ja"
    assert detect_language("スライド", "en") == "ja"
    # a short kanji-only title: Japanese in a Japanese lecture, Chinese elsewhere
    assert detect_language("光合成", "ja") == "ja"
    assert detect_language("光合成", "en") == "zh"
    assert detect_language("主要結果總結", "zh") == "zh"
    # a long Han-only text is Chinese even in a Japanese lecture (Japanese prose has kana)
    assert detect_language("今天我们学习法国大革命的原因和它对欧洲历史的影响。", "ja") == "zh"
    # Hangul: Korean even when short
    assert detect_language("요약", "en") == "ko"


def test_language_tags_are_normalized() -> None:
    assert normalize_language("de-AT") == "de"
    assert normalize_language(" zh_Hant ") == "zh"
    assert detect_language("Overview", "EN-us") == "en"


@pytest.mark.parametrize(
    ("deck", "language"),
    [
        ("poi__aes_Maloney.pptx", "en"),
        ("pandoc__speaker-notes_output.pptx", "en"),
        ("poi__SampleShow.pptx", "en"),
        ("furaga__sample_ja-notes.pptx", "ja"),
    ],
)
def test_corpus_decks_and_their_notes_are_detected(corpus: Path, deck: str, language: str) -> None:
    lecture = import_path(corpus / deck).lecture
    assert lecture.language == language
    notes = [slide.notes for slide in lecture.slides if slide.notes.strip()]
    # each note judged on its own (against a wrong lecture language) where it is long enough
    found = [detected_language(text, "fr" if language == "en" else "en") for text in notes]
    assert language in found
    assert set(found) <= {language, None}, list(zip(notes, found, strict=True))
    assert all(detect_language(text, language) == language for text in notes)


def test_a_lecture_s_language_is_that_of_most_of_its_slides_judged_one_by_one():
    from lecture_studio.text import main_language

    german = "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen."
    english = "Plants use the energy of sunlight to make sugar from water and air."
    french = "Les plantes utilisent la lumière du soleil pour fabriquer du sucre."
    assert main_language([german, english, german]) == "de"
    assert main_language([english, french, english, "植物は光を使って糖を作ります。"]) == "en"
    assert main_language(["", "OK"], fallback="fr") == "fr"  # nothing to judge

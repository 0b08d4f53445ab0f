"""Japanese speaker notes are read by Open JTalk, chosen automatically, at a natural pace."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.narration import (
    NarrationError,
    OpenJTalkEngine,
    Pyttsx3Engine,
    choose_engine,
    speakable_text,
)

ENGINE = OpenJTalkEngine()
pytestmark = pytest.mark.skipif(
    not ENGINE.available(), reason="Open JTalk (pyopenjtalk-plus) is not installed"
)
DECK = "furaga__sample_ja-notes.pptx"


def deck_notes(corpus: Path) -> list[str]:
    from pptx import Presentation

    deck = Presentation(str(corpus / DECK))
    return [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]


def morae(text: str) -> int:
    """How many kana the text is read as (Open JTalk's own reading)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import pyopenjtalk
    reading = pyopenjtalk.g2p(text, kana=True)
    return sum(1 for ch in reading if "\u30a0" <= ch <= "\u30ff" and ch not in "ャュョァィゥェォ")


def test_japanese_notes_of_the_corpus_deck_are_spoken_by_open_jtalk(corpus: Path) -> None:
    notes = deck_notes(corpus)
    reference = corpus / "reference" / "furaga__sample_ja-notes"
    assert notes == [
        (reference / f"slide-{i}-notes.txt").read_text(encoding="utf-8-sig").strip()
        for i in range(1, 4)
    ]
    for note in notes:
        text = speakable_text(note)
        engine = choose_engine(text, "en", None)
        assert isinstance(engine, OpenJTalkEngine)
        clip = engine.synthesize(text, None, 1.0)
        # Two lines per note, each a sentence with its own cue, in order.
        assert [c.text for c in clip.sentences] == [line + "。" for line in note.splitlines()]
        assert clip.sentences[0].end <= clip.sentences[1].start
        # Natural Japanese speech runs at about 5 to 12 morae a second.
        spoken = sum(c.end - c.start for c in clip.sentences)
        count = morae(text)
        assert count / 12 <= spoken <= count / 5, (text, spoken, count)
        assert clip.sample_rate == 48000 and clip.samples.dtype == np.float32
        assert 0.05 < np.max(np.abs(clip.samples)) <= 1.0


def test_japanese_is_chosen_by_language_or_by_text_unless_a_system_voice_is_set() -> None:
    assert isinstance(choose_engine("これはスライドです", None, None), OpenJTalkEngine)
    assert isinstance(choose_engine("Slide one", "ja-JP", None), OpenJTalkEngine)
    assert choose_engine("Slide one", "en", None).name == "piper"  # English: Piper's joe
    assert isinstance(choose_engine("これはスライドです", "ja", "gmw/en"), Pyttsx3Engine)
    assert isinstance(choose_engine("Slide one", "en", "mei_normal"), OpenJTalkEngine)


def test_faster_speech_is_shorter() -> None:
    text = "光合成は葉緑体で行われます。二酸化炭素から糖を作ります。"
    normal = ENGINE.synthesize(text, None, 1.0)
    fast = ENGINE.synthesize(text, None, 1.5)
    assert len(normal.sentences) == 2
    assert fast.duration < 0.8 * normal.duration


def test_unknown_voice_is_refused_with_the_voice_to_use() -> None:
    with pytest.raises(NarrationError, match="mei_normal"):
        ENGINE.synthesize("こんにちは。", "tohoku-f01", 1.0)


def test_importing_open_jtalk_keeps_stdout_clean(capfd: pytest.CaptureFixture[str]) -> None:
    ENGINE.synthesize("こんにちは。", None, 1.0)
    assert capfd.readouterr().out == ""

"""Guessing the lecture language from the scripts its letters use."""

from __future__ import annotations

import pytest

from lecture_studio.importers.language import detect_language


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
        ("", "en"),
        ("1234 — ★ ☆ !!!", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language

"""Guessing a lecture's language from its text by the scripts its letters are written in."""

from __future__ import annotations

# A text is Japanese when at least this share of its letters is kana: Japanese prose is
# usually 30-60 % kana, while an English deck quoting one Japanese word stays far below.
KANA_SHARE_FOR_JAPANESE = 0.10
# Han characters without kana mean Chinese once they are this share of the letters.
HAN_SHARE_FOR_CHINESE = 0.30
HANGUL_SHARE_FOR_KOREAN = 0.30


def _is_kana(code: int) -> bool:
    return (
        0x3040 <= code <= 0x30FF  # Hiragana, Katakana
        or 0x31F0 <= code <= 0x31FF  # Katakana phonetic extensions
        or 0xFF66 <= code <= 0xFF9D  # half-width Katakana
    )


def _is_han(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


def _is_hangul(code: int) -> bool:
    return 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def detect_language(text: str) -> str:
    """The language code ("ja", "zh", "ko" or "en") that the letters of ``text`` suggest.

    Japanese needs a fair share of Hiragana/Katakana; Han characters without kana read as
    Chinese; anything else (including no letters at all) is taken as English.
    """
    letters = kana = han = hangul = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        code = ord(char)
        if _is_kana(code):
            kana += 1
        elif _is_han(code):
            han += 1
        elif _is_hangul(code):
            hangul += 1
    if not letters:
        return "en"
    if kana / letters >= KANA_SHARE_FOR_JAPANESE:
        return "ja"
    if han / letters >= HAN_SHARE_FOR_CHINESE:
        return "zh"
    if hangul / letters >= HANGUL_SHARE_FOR_KOREAN:
        return "ko"
    return "en"

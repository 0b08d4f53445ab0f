"""Which script a character is written in (kana, Han, Hangul...); the one "is it Japanese" rule.

Every Unicode range the app tests is written once here, as code point ranges; the predicates
and the regular-expression character classes are both made from them, so that a caption, a
line break, a speech estimate and a language guess agree on what a kanji is.
"""

from __future__ import annotations

import re

CodeRanges = tuple[tuple[int, int], ...]

HIRAGANA: CodeRanges = ((0x3040, 0x309F),)
KATAKANA: CodeRanges = (
    (0x30A1, 0x30FA),  # katakana (not the middle dot ・, a punctuation mark)
    (0x30FC, 0x30FF),  # the prolonged sound mark ー and iteration marks
    (0x31F0, 0x31FF),  # katakana phonetic extensions (small ㇰ...)
    (0xFF66, 0xFF9F),  # half-width katakana
)
KANA: CodeRanges = HIRAGANA + KATAKANA
# Unicode's Script=Han: ideographs, radicals, and the marks 々 〆 〇 〻 used inside kanji words.
HAN: CodeRanges = (
    (0x2E80, 0x2FD5),  # radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),  # 〸 〹 〺 〻
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3FFFF),  # extensions B and later
)
HANGUL: CodeRanges = (
    (0x1100, 0x11FF),  # jamo
    (0x3130, 0x318F),  # compatibility jamo
    (0xAC00, 0xD7AF),  # syllables
)
# Characters between which a line may break with no space: Han, kana and bopomofo, with CJK
# punctuation, enclosed and compatibility forms, and full- and half-width forms.
BREAKS_ANYWHERE: CodeRanges = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3100, 0x31FF),  # bopomofo, kana extensions
    (0x3200, 0x4DBF),  # enclosed CJK, compatibility, extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)

# A text is Japanese when it has kana and kana and kanji make up at least this share of its
# letters: Japanese prose is written in them, with a few Latin words ("Python の使い方"), while
# an English sentence quoting one Japanese word stays far below.
JAPANESE_SHARE = 0.3


def char_class(ranges: CodeRanges) -> str:
    """The ranges as the inside of a regular-expression character class (``[...]``)."""
    return "".join(f"{_escape(low)}-{_escape(high)}" for low, high in ranges)


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _in(ranges: CodeRanges, char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def is_hiragana(char: str) -> bool:
    return _in(HIRAGANA, char)


def is_kana(char: str) -> bool:
    """Hiragana or katakana (full- or half-width), the scripts only Japanese is written in."""
    return _in(KANA, char)


def is_han(char: str) -> bool:
    """A Chinese character (kanji, hanzi, hanja) or a mark used inside such words (々)."""
    return _in(HAN, char)


def is_hangul(char: str) -> bool:
    return _in(HANGUL, char)


def is_cjk(char: str) -> bool:
    """Kana or Han: the characters of Chinese and Japanese text, written without spaces, about
    one syllable each (captions, speech estimates and word matching count them one by one)."""
    return is_kana(char) or is_han(char)


def breaks_anywhere(char: str) -> bool:
    """Whether a line may break before or after ``char`` with no space (CJK text and marks)."""
    return _in(BREAKS_ANYWHERE, char)


def contains_cjk(text: str) -> bool:
    """Whether ``text`` has kana or Han characters."""
    return any(is_cjk(char) for char in text)


def has_kana(text: str) -> bool:
    return any(is_kana(char) for char in text)


def is_japanese(text: str) -> bool:
    """Whether ``text`` reads as Japanese: it has kana, and kana and kanji are at least
    ``JAPANESE_SHARE`` of its letters. Kanji alone do not count (that may be Chinese)."""
    kana = sum(1 for char in text if is_kana(char))
    if not kana:
        return False
    letters = sum(1 for char in text if char.isalpha() or is_kana(char))
    han = sum(1 for char in text if is_han(char))
    return kana + han >= JAPANESE_SHARE * letters


KANA_CLASS = char_class(KANA)
HIRAGANA_CLASS = char_class(HIRAGANA)
CJK_CLASS = char_class(KANA + HAN)
"""Kana and Han as a regular-expression class body: ``re.compile(f"[{CJK_CLASS}]+")``."""

CJK_RUN = re.compile(f"[{CJK_CLASS}]+")

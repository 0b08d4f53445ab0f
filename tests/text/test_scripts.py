"""Script classes, the one "is it Japanese" rule, kinsoku glue and Markdown inline syntax."""

from __future__ import annotations

import re

import pytest

from lecture_studio.text import (
    breaks_anywhere,
    glue_kinsoku,
    is_cjk,
    is_han,
    is_hangul,
    is_japanese,
    is_kana,
    plain_inline,
    strip_emphasis,
)
from lecture_studio.text.scripts import CJK_CLASS, HAN, KANA, KANA_CLASS, char_class


def test_japanese_is_told_from_english_and_from_kanji_only_text() -> None:
    assert is_japanese("これはスライド１です")
    assert is_japanese("Python の使い方")
    assert is_japanese("ｶﾀｶﾅ")  # half-width katakana
    assert not is_japanese("This is slide one")
    assert not is_japanese("中文句子")  # kanji without kana may be Chinese
    assert not is_japanese("The word すし means sushi in Japanese.")
    assert not is_japanese("Tom・Jerry")  # the middle dot is punctuation, not kana


@pytest.mark.parametrize(
    ("char", "kana", "han", "hangul", "anywhere"),
    [
        ("あ", True, False, False, True),
        ("ア", True, False, False, True),
        ("ー", True, False, False, True),
        ("ｱ", True, False, False, True),
        ("漢", False, True, False, True),
        ("々", False, True, False, True),
        ("𠀋", False, True, False, True),  # extension B
        ("한", False, False, True, False),
        ("、", False, False, False, True),
        ("・", False, False, False, True),
        ("Ａ", False, False, False, True),  # full-width Latin breaks anywhere, but is no CJK
        ("a", False, False, False, False),
        ("é", False, False, False, False),
    ],
)
def test_character_classes(char: str, kana: bool, han: bool, hangul: bool, anywhere: bool) -> None:
    assert is_kana(char) is kana
    assert is_han(char) is han
    assert is_hangul(char) is hangul
    assert is_cjk(char) is (kana or han)
    assert breaks_anywhere(char) is anywhere


def test_regular_expression_classes_match_the_predicates_code_point_for_code_point() -> None:
    kana_class = re.compile(f"[{KANA_CLASS}]")
    cjk_class = re.compile(f"[{CJK_CLASS}]")
    for code in range(0x2E00, 0x10000):
        char = chr(code)
        assert bool(kana_class.match(char)) is is_kana(char), hex(code)
        assert bool(cjk_class.match(char)) is is_cjk(char), hex(code)
    assert re.fullmatch(f"[{char_class(KANA + HAN)}]+", "漢字かなカナ𠀋")


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() -> None:
    pieces = ["「", "光", "合", "成", "」", "。", "次"]
    assert glue_kinsoku(pieces) == ["「光", "合", "成」。", "次"]
    assert glue_kinsoku(["ちょ", "っと"]) == ["ちょっと"]
    # whitespace never glues, and a mark after a space starts its own piece
    assert glue_kinsoku(["word", " ", ")"]) == ["word", " ", ")"]
    assert glue_kinsoku(["", "a", "、"]) == ["a、"]


def test_markdown_inline_syntax_becomes_plain_text() -> None:
    marked = "**Bold**, *em*, _em_, ~~gone~~ and `code`"
    assert plain_inline(marked) == "Bold, em, em, gone and code"
    assert plain_inline("See [the guide](https://example.org) now") == "See the guide now"
    assert plain_inline("![a leaf](leaf.png)  Leaves") == "Leaves"
    assert strip_emphasis("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"

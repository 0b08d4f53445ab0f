from lecture_studio.slides.linebreak import break_units, wrap_text


def test_latin_text_wraps_between_words():
    assert wrap_text("The quick brown fox jumps over", len, 10) == [
        "The quick",
        "brown fox",
        "jumps over",
    ]


def test_a_word_longer_than_the_line_is_split():
    assert wrap_text("Supercalifragilistic", len, 8) == ["Supercal", "ifragili", "stic"]


def test_japanese_breaks_between_characters():
    assert wrap_text("機械学習入門講座", len, 3) == ["機械学", "習入門", "講座"]


def test_no_line_starts_with_closing_punctuation_or_small_kana():
    for width in range(3, 12):  # the longest unbreakable piece, ちょっ, is 3 wide
        lines = wrap_text("これは「テスト」です。ちょっと、待ってください。", len, width)
        assert "".join(lines) == "これは「テスト」です。ちょっと、待ってください。"
        for line in lines[1:]:
            assert line[0] not in "、。」ょっ", (width, lines)
        for line in lines[:-1]:
            assert line[-1] != "「", (width, lines)


def test_opening_bracket_stays_with_what_follows():
    assert "「テ" in break_units("これは「テスト」")


def test_newlines_and_vertical_tabs_always_break():
    assert wrap_text("one\ntwo\x0bthree", len, 80) == ["one", "two", "three"]

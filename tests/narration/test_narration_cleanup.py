"""What the voice is given to read: tags, URLs, bullets and Markdown gone, sentences cut right."""

from __future__ import annotations

from lecture_studio.narration import speakable_text, split_sentences


def test_tags_urls_and_bullets_are_not_read_aloud() -> None:
    script = "<speaker:speed=2>Hello https://x.org • world <video:x.mkv>"
    assert speakable_text(script) == "Hello world."


def test_list_items_become_separate_sentences_without_their_markers() -> None:
    script = "• First point\n▪ Second point\n1. Third point\n2) Fourth point\n- Fifth\n* Sixth"
    assert speakable_text(script) == (
        "First point. Second point. Third point. Fourth point. Fifth. Sixth."
    )


def test_a_wrapped_line_carries_its_sentence_on() -> None:
    assert (
        speakable_text("- the cell wall\n  protects the cell") == "the cell wall protects the cell."
    )


def test_markup_for_other_tools_is_removed_but_words_stay() -> None:
    script = (
        "# Photosynthesis\n"
        "Plants make **sugar** from *light* with `chlorophyll`. [[slide:3]] "
        '<b>Really</b> <a href="https://x.org">see this</a>.<br/>'
        "Read [the paper](https://doi.org/10.1/x) or www.example.com/page, then stop."
    )
    assert speakable_text(script) == (
        "Photosynthesis. Plants make sugar from light with chlorophyll. Really see this. "
        "Read the paper or, then stop."
    )


def test_sentence_punctuation_survives_a_url_at_the_end() -> None:
    assert speakable_text("The data is at https://example.org/data.csv. Look at it!") == (
        "The data is at. Look at it!"
    )


def test_hyphens_numbers_and_comparisons_inside_text_are_kept() -> None:
    text = "A well-known 3.5 percent rise, when a < b and c > d, in snake_case_names."
    assert speakable_text(text) == text


def test_japanese_lines_end_with_a_japanese_full_stop_and_no_spaces() -> None:
    assert (
        speakable_text("・これはスライド１です\n・あいうえお")
        == "これはスライド１です。あいうえお。"
    )
    assert speakable_text("東京・大阪の話です。") == "東京・大阪の話です。"


def test_latin_sentences_split_but_not_after_abbreviations_or_initials() -> None:
    text = (
        "Dr. Smith met J. Doe at 3.14 p.m. on Monday, e.g. in the lab. Was it fun? Yes! "
        'He said "Stop." Then i.e. nothing'
    )
    assert split_sentences(text, "en") == [
        "Dr. Smith met J. Doe at 3.14 p.m. on Monday, e.g. in the lab.",
        "Was it fun?",
        "Yes!",
        'He said "Stop."',
        "Then i.e. nothing",
    ]


def test_blank_lines_end_latin_sentences() -> None:
    assert split_sentences("Title without stop\n\nBody line one\nstill one.") == [
        "Title without stop",
        "Body line one still one.",
    ]


def test_japanese_sentences_split_on_japanese_stops_and_line_breaks() -> None:
    text = "これはスライド１です。あいうえお！本当？\nかきくけこ「引用。」次"
    assert split_sentences(text, "ja") == [
        "これはスライド１です。",
        "あいうえお！",
        "本当？",
        "かきくけこ「引用。」",
        "次",
    ]


def test_powerpoint_soft_line_breaks_and_control_characters_are_handled() -> None:
    """python-pptx gives a soft line break as a vertical tab."""
    assert speakable_text("Welcome\vToday: cells\x01 and tissues") == (
        "Welcome. Today: cells and tissues."
    )
    assert split_sentences("これは一行目\vこれは二行目", "ja") == ["これは一行目", "これは二行目"]

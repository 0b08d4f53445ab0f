"""Caption cues and SRT/WebVTT files: line rules, timing rules, files that read back exactly."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from instruments.mp4inspect import subtitle_spans

from lecture_studio.errors import ExportError
from lecture_studio.render.captions import (
    CJK_LINE_WIDTH,
    LATIN_LINE_CHARS,
    CaptionSource,
    Cue,
    build_cues,
    clean_caption_text,
    parse_srt,
    parse_vtt,
    write_srt,
    write_vtt,
)

LONG_ENGLISH = (
    "Photosynthesis is the process by which green plants, algae and some bacteria turn the "
    "energy of sunlight into chemical energy, storing it in sugar molecules and releasing the "
    "oxygen that almost every animal on Earth depends on to breathe."
)
LONG_JAPANESE = (
    "光合成は、植物が光のエネルギーを使って二酸化炭素と水から糖を作り、"
    "その過程で私たちが呼吸に使う酸素を放出する、とても大切な仕組みです。"
)
PHRASES_JAPANESE = (
    "明反応では光の力で水が分解されて酸素が出され、カルビン回路ではそのエネルギーを使って"
    "二酸化炭素から糖がつくられます。"
)
NO_LINE_START = set("、。，．・：；？！ー」』）】〕ぁぃぅぇぉっゃゅょァィゥェォッャュョ")


def _width(line: str) -> float:
    """Full-width characters count 1, half-width ones 0.5 (how Japanese lines are measured)."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.5 for c in line)


def _assert_timeline_rules(cues: list[Cue]) -> None:
    for cue in cues:
        assert cue.end > cue.start
        assert 1 <= len(cue.lines) <= 2
        assert all(line == line.strip() and line for line in cue.lines)
    for earlier, later in zip(cues, cues[1:], strict=False):
        assert earlier.end <= later.start, f"{earlier} overlaps {later}"


def test_long_english_sentence_is_split_into_cues_of_two_short_lines() -> None:
    cues = build_cues([CaptionSource(2.0, 14.0, LONG_ENGLISH, 20.0, "en")])

    _assert_timeline_rules(cues)
    assert len(cues) >= 3
    assert all(len(line) <= LATIN_LINE_CHARS for cue in cues for line in cue.lines)
    # every word survives whole and in order: no line breaks inside a word
    words = [word for cue in cues for line in cue.lines for word in line.split(" ")]
    assert words == LONG_ENGLISH.split()
    assert cues[0].start == 2.0 and cues[-1].end == 14.0
    # the sentence's time is shared in proportion to each cue's characters
    total_chars = sum(len("".join(cue.lines).replace(" ", "")) for cue in cues)
    for cue in cues:
        share = len("".join(cue.lines).replace(" ", "")) / total_chars
        assert cue.end - cue.start == pytest.approx(12.0 * share, abs=0.002)


def test_two_lines_are_balanced_and_one_short_sentence_stays_on_one_line() -> None:
    sentence = "Chlorophyll absorbs red and blue light but reflects green light back."
    (cue,) = build_cues([CaptionSource(0.0, 4.0, sentence, 4.0, "en")])
    assert len(cue.lines) == 2
    assert abs(len(cue.lines[0]) - len(cue.lines[1])) <= 10, cue.lines
    assert " ".join(cue.lines) == sentence

    (short,) = build_cues([CaptionSource(0.0, 2.0, "Plants make sugar.", 2.0, "en")])
    assert short.lines == ["Plants make sugar."]


def test_a_word_longer_than_a_line_is_the_only_thing_broken_inside() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis-like"  # 50 characters
    cues = build_cues([CaptionSource(0.0, 3.0, f"The {word} case.", 3.0, "en")])
    lines = [line for cue in cues for line in cue.lines]
    assert all(len(line) <= LATIN_LINE_CHARS for line in lines)
    assert "".join(lines).replace(" ", "") == f"The{word}case."


def test_text_is_cleaned_of_newlines_and_extra_spaces() -> None:
    assert clean_caption_text("  Light\n reactions\t\tmake   ATP. \r\n") == (
        "Light reactions make ATP."
    )
    (cue,) = build_cues([CaptionSource(0.0, 2.0, "Light\nreactions   make\tATP.", 2.0, "en")])
    assert cue.lines == ["Light reactions make ATP."]
    assert build_cues([CaptionSource(0.0, 2.0, " \n\t ", 2.0, "en")]) == []


def _japanese_word_boundaries(text: str) -> set[int]:
    """Where a Japanese line may start: between two words, and not before a particle, an
    auxiliary verb, a suffix or a dependent word (が, ます, the れ of され... belong to the word
    before them)."""
    pyopenjtalk = pytest.importorskip("pyopenjtalk")
    boundaries, position = {0}, 0
    for entry in pyopenjtalk.run_frontend(text):
        if entry["pos"] in ("助詞", "助動詞") or entry["pos_group1"] in ("接尾", "非自立"):
            boundaries.discard(position)
        position += len(entry["string"])
        boundaries.add(position)
    assert position == len(text)  # the test sentence has no digits or Latin letters
    return boundaries


@pytest.mark.parametrize("text", [LONG_JAPANESE, PHRASES_JAPANESE], ids=["long", "phrases"])
def test_japanese_lines_are_short_break_between_phrases_and_follow_kinsoku(text: str) -> None:
    cues = build_cues([CaptionSource(0.0, 12.0, text, 12.0, "ja")])

    _assert_timeline_rules(cues)
    lines = [line for cue in cues for line in cue.lines]
    assert "".join(lines) == text
    assert all(_width(line) <= CJK_LINE_WIDTH for line in lines), lines
    assert all(line[0] not in NO_LINE_START for line in lines), lines
    assert all(line[-1] not in "「『（【" for line in lines), lines
    boundaries = _japanese_word_boundaries(text)
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, f"line break inside a word after {line!r}"


def test_japanese_with_latin_words_and_brackets_keeps_them_whole() -> None:
    text = "明反応では「チラコイド膜」でATPとNADPHが作られ、カルビン回路で使われます。"
    cues = build_cues([(0.0, 6.0, text, 6.0)], "ja")  # the tuple form the exporter passes
    lines = [line for cue in cues for line in cue.lines]
    assert "".join(lines) == text
    assert all(_width(line) <= CJK_LINE_WIDTH for line in lines), lines
    assert any("ATP" in line for line in lines) and any("NADPH" in line for line in lines)
    assert not any(line.startswith(("が", "で", "と")) for line in lines), lines
    assert all(line[0] not in NO_LINE_START for line in lines), lines
    assert all(not line.endswith("「") for line in lines), lines


def test_a_japanese_word_across_the_middle_of_a_line_is_not_cut() -> None:
    text = "今日私たちはフォトシンセシスについて学びます"  # 22 characters: two lines
    (cue,) = build_cues([CaptionSource(0.0, 3.0, text, 3.0, "ja")])
    assert len(cue.lines) == 2 and "".join(cue.lines) == text
    assert any("フォトシンセシス" in line for line in cue.lines), cue.lines


def test_a_japanese_slide_in_an_english_lecture_still_breaks_between_words() -> None:
    # the exporter passes the lecture's language, "en" for a mostly English deck
    text = (
        "光合成は、植物が光のエネルギーを使って、二酸化炭素と水から糖と酸素をつくるはたらきで、"
        "葉の細胞の中にある葉緑体で行われます。"
    )
    cues = build_cues([(0.0, 12.0, text, 12.0)], "en")
    lines = [line for cue in cues for line in cue.lines]
    assert "".join(lines) == text
    boundaries = _japanese_word_boundaries(text)
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, f"line break inside a word after {line!r}"


def test_chinese_breaks_between_characters_but_never_before_an_ellipsis() -> None:
    text = "一二三四五六七八九十……一二三四五六七八九十"  # 22 characters: two lines
    (cue,) = build_cues([CaptionSource(0.0, 3.0, text, 3.0, "zh")])
    assert len(cue.lines) == 2 and "".join(cue.lines) == text
    assert all(_width(line) <= CJK_LINE_WIDTH for line in cue.lines)
    assert not cue.lines[1].startswith("…"), cue.lines


def test_a_cue_never_runs_past_its_slide() -> None:
    # the narration overruns its slide (ends at 7.5 s, the slide at 6 s): all the text is still
    # shown, squeezed before the slide changes; the next slide's sentence starts at 6 s
    sources = [
        CaptionSource(1.0, 7.5, LONG_ENGLISH, 6.0, "en"),
        CaptionSource(6.0, 8.0, "Next slide.", 9.0, "en"),
    ]
    cues = build_cues(sources)
    _assert_timeline_rules(cues)
    first_slide = [cue for cue in cues if cue.start < 6.0]
    assert all(cue.end <= 6.0 for cue in first_slide)
    words = [w for cue in first_slide for line in cue.lines for w in line.split()]
    assert words == LONG_ENGLISH.split()
    assert cues[-1].lines == ["Next slide."] and cues[-1].start == 6.0


def test_overlapping_sentences_give_cues_that_do_not_overlap() -> None:
    sources = [
        CaptionSource(0.0, 3.0, "The first sentence runs long.", 10.0, "en"),
        CaptionSource(2.5, 5.0, "The second one starts too early.", 10.0, "en"),
        CaptionSource(1.0, 2.0, "Given out of order.", 10.0, "en"),
    ]
    cues = build_cues(sources)
    _assert_timeline_rules(cues)
    assert [cue.lines[0] for cue in cues][0] == "The first sentence runs long."


def test_short_cues_last_at_least_0_7_s_where_there_is_room() -> None:
    sources = [
        CaptionSource(0.0, 0.3, "Yes.", 10.0, "en"),  # silence follows: lengthened
        CaptionSource(2.0, 2.2, "No.", 10.0, "en"),  # next sentence at 2.5 s: up to it only
        CaptionSource(2.5, 4.0, "Maybe later.", 10.0, "en"),
        CaptionSource(9.8, 9.9, "End.", 10.0, "en"),  # the slide ends at 10 s
    ]
    cues = build_cues(sources)
    _assert_timeline_rules(cues)
    assert (cues[0].start, cues[0].end) == (0.0, 0.7)
    assert (cues[1].start, cues[1].end) == (2.0, 2.5)
    assert (cues[3].start, cues[3].end) == (9.8, 10.0)


def test_a_split_sentence_gives_each_cue_at_least_0_7_s_when_it_is_long_enough() -> None:
    sentence = "A" + " b" * 40 + " end"  # the last cue has very few characters
    cues = build_cues([CaptionSource(0.0, 3.0, sentence, 3.0, "en")])
    assert len(cues) >= 2
    assert all(cue.end - cue.start >= 0.7 for cue in cues)
    assert cues[-1].end == 3.0


def test_a_sentence_too_fast_for_the_minimum_still_shows_all_its_words() -> None:
    cues = build_cues([CaptionSource(5.0, 6.0, LONG_ENGLISH, 6.0, "en")])
    _assert_timeline_rules(cues)
    assert [w for cue in cues for line in cue.lines for w in line.split()] == LONG_ENGLISH.split()
    assert cues[0].start == 5.0 and cues[-1].end == 6.0


def test_srt_and_vtt_files_read_back_with_the_same_times_and_text(tmp_path: Path) -> None:
    sources = [
        CaptionSource(0.0, 9.1234, LONG_ENGLISH, 10.0, "en"),
        CaptionSource(10.0, 12.0, "Use <b> & --> carefully.", 12.0, "en"),
        CaptionSource(3601.5, 3608.25, LONG_JAPANESE, 3610.0, "ja"),
    ]
    cues = build_cues(sources)
    srt, vtt = write_srt(cues, tmp_path / "talk.srt"), write_vtt(cues, tmp_path / "talk.vtt")

    srt_bytes, vtt_bytes = srt.read_bytes(), vtt.read_bytes()
    assert not srt_bytes.startswith(b"\xef\xbb\xbf") and not vtt_bytes.startswith(b"\xef\xbb\xbf")
    srt_text, vtt_text = srt_bytes.decode("utf-8"), vtt_bytes.decode("utf-8")
    assert vtt_text.startswith("WEBVTT\n\n")
    assert re.search(r"^1\n00:00:00,000 --> 00:00:\d\d,\d{3}$", srt_text, re.MULTILINE)
    assert re.search(r"^01:00:01\.500 --> 01:00:0\d\.\d{3}$", vtt_text, re.MULTILINE)
    assert "&lt;b&gt; &amp; --&gt;" in vtt_text and "<b> & -->" in srt_text
    numbers = re.findall(r"^(\d+)\n\d\d:", srt_text, re.MULTILINE)
    assert numbers == [str(n) for n in range(1, len(cues) + 1)]

    for parsed in (parse_srt(srt_text), parse_vtt(vtt_text)):
        assert [(c.start, c.end, c.lines) for c in parsed] == [
            (c.start, c.end, c.lines) for c in cues
        ]


def test_ffmpeg_reads_the_caption_files_with_the_same_cue_times(tmp_path: Path) -> None:
    cues = build_cues(
        [
            CaptionSource(0.25, 6.0, LONG_ENGLISH, 6.0, "en"),
            CaptionSource(6.0, 9.0, LONG_JAPANESE, 9.0, "ja"),
        ]
    )
    for path in (write_srt(cues, tmp_path / "a.srt"), write_vtt(cues, tmp_path / "a.vtt")):
        assert subtitle_spans(path) == [(c.start, c.end) for c in cues]


def test_writing_is_atomic_and_failures_are_one_clear_error(tmp_path: Path) -> None:
    cues = build_cues([CaptionSource(0.0, 2.0, "Plants make sugar.", 2.0, "en")])
    target = tmp_path / "talk.srt"
    target.write_text("old captions", encoding="utf-8")
    write_srt(cues, target)
    assert "Plants make sugar." in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["talk.srt"]  # no temporary left

    missing = tmp_path / "no such folder" / "talk.vtt"
    with pytest.raises(ExportError, match="talk.vtt"):
        write_vtt(cues, missing)
    assert not missing.parent.exists()


def test_caption_files_get_ordinary_permissions(tmp_path: Path) -> None:
    cues = build_cues([CaptionSource(0.0, 2.0, "Plants make sugar.", 2.0, "en")])
    previous = os.umask(0o022)
    try:
        new = write_srt(cues, tmp_path / "new.srt")
    finally:
        os.umask(previous)
    assert new.stat().st_mode & 0o777 == 0o644  # readable by others, as any new file
    kept = tmp_path / "kept.vtt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    assert write_vtt(cues, kept).stat().st_mode & 0o777 == 0o640


def test_parse_vtt_rejects_text_without_header() -> None:
    with pytest.raises(ValueError, match="WEBVTT"):
        parse_vtt("00:00:00.000 --> 00:00:01.000\nHello\n")


# --- cut on word times ------------------------------------------------------------------------


def spoken_words(
    text: str, start: float, slide_end: float, pause_after: dict[int, float] | None = None
) -> list[tuple[float, float, str, float]]:
    """Synthetic word timings for ``text`` (split at spaces) from ``start``: longer words last
    longer, a comma adds a pause, ``pause_after[i]`` seconds follow word i."""
    pause_after = pause_after or {}
    words, moment = [], start
    for index, word in enumerate(text.split()):
        length = 0.12 + 0.045 * len(word)
        words.append((moment, moment + length, word, slide_end))
        moment += length + (0.3 if word.endswith(",") else 0.06) + pause_after.get(index, 0.0)
    return words


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _cue_word_ranges(cues: list[Cue], words: list) -> list[tuple[int, int]]:
    """For each cue, the indices of its first and last word in ``words`` (texts in order)."""
    ranges, index = [], 0
    for cue in cues:
        count = len(" ".join(cue.lines).split())
        assert [w[2] for w in words[index : index + count]] == " ".join(cue.lines).split()
        ranges.append((index, index + count - 1))
        index += count
    assert index == len(words)
    return ranges


def test_with_word_timings_each_cue_starts_at_its_first_word_and_ends_at_its_last():
    words = spoken_words(LONG_ENGLISH, 2.0, 30.0)
    source = CaptionSource(2.0, words[-1][1], LONG_ENGLISH, 30.0, "en")
    cues = build_cues([source], words=words)
    _assert_timeline_rules(cues)
    assert len(cues) >= 3
    assert all(len(line) <= LATIN_LINE_CHARS for cue in cues for line in cue.lines)
    ranges = _cue_word_ranges(cues, words)
    for number, (cue, (first, last)) in enumerate(zip(cues, ranges, strict=True)):
        assert _ms(cue.start) == _ms(words[first][0])
        if number + 1 < len(cues):  # a short pause before the next cue is bridged
            assert _ms(cue.end) == _ms(words[last + 1][0])
        else:
            assert _ms(cue.end) == _ms(words[last][1])
    # the same layout as without timings; only the times differ
    plain = build_cues([source])
    assert [c.lines for c in plain] == [c.lines for c in cues]
    assert [c.start for c in plain[1:]] != [c.start for c in cues[1:]]


def test_a_long_pause_between_two_cues_is_not_bridged():
    first_try = build_cues(
        [CaptionSource(0.0, 20.0, LONG_ENGLISH, 30.0, "en")],
        words=spoken_words(LONG_ENGLISH, 0.0, 30.0),
    )
    breaks_after = len(" ".join(first_try[0].lines).split()) - 1
    words = spoken_words(LONG_ENGLISH, 0.0, 30.0, {breaks_after: 1.5})
    cues = build_cues([CaptionSource(0.0, words[-1][1], LONG_ENGLISH, 30.0, "en")], words=words)
    assert _ms(cues[0].end) == _ms(words[breaks_after][1])
    assert _ms(cues[1].start) == _ms(words[breaks_after + 1][0])
    assert cues[1].start - cues[0].end > 1.4


def test_engine_words_without_punctuation_or_case_still_place_the_cues():
    words = spoken_words(LONG_ENGLISH, 1.0, 30.0)
    bare = [(a, b, text.strip(",.").lower(), end) for a, b, text, end in words]
    source = CaptionSource(1.0, words[-1][1], LONG_ENGLISH, 30.0, "en")
    with_words = build_cues([source], words=words)
    assert with_words != build_cues([source])  # the words were found and used
    assert build_cues([source], words=bare) == with_words


def test_japanese_cues_cut_on_character_timings():
    text = PHRASES_JAPANESE
    words, moment = [], 1.0
    for char in text:
        if char in "、。":
            moment += 0.25
            continue
        words.append((moment, moment + 0.11, char, 40.0))
        moment += 0.13
    cues = build_cues([CaptionSource(1.0, moment, text, 40.0, "ja")], words=words)
    _assert_timeline_rules(cues)
    assert len(cues) >= 2
    assert all(_width(line) <= CJK_LINE_WIDTH for cue in cues for line in cue.lines)
    starts = {_ms(start) for start, _, _, _ in words}
    position = 0
    for cue in cues:
        shown = "".join(cue.lines)
        assert text[position : position + len(shown)] == shown
        first_char = next(c for c in shown if c not in "、。")
        first_word = next(w for w in words if w[2] == first_char and _ms(w[0]) >= _ms(cue.start))
        assert _ms(cue.start) == _ms(first_word[0]) and _ms(cue.start) in starts
        position += len(shown)


def test_words_go_to_the_sentences_of_their_own_slide_and_others_keep_sentence_timing():
    recorded = CaptionSource(0.0, 9.0, LONG_ENGLISH, 10.0, "en")  # no word timings
    spoken_text = "Respiration releases the energy that plants stored in sugar, step by step."
    words = spoken_words(spoken_text, 12.0, 20.0)
    spoken = CaptionSource(11.9, words[-1][1] + 0.05, spoken_text, 20.0, "en")
    cues = build_cues([recorded, spoken], words=words)
    assert cues[: len(build_cues([recorded]))] == build_cues([recorded])
    last = cues[-1]
    assert _ms(last.start) == _ms(words[0][0])
    assert _ms(last.end) == _ms(words[-1][1])


def test_word_times_past_the_slide_end_never_put_a_cue_past_it():
    words = spoken_words(LONG_ENGLISH, 0.0, 5.0)  # spoken far longer than the slide lasts
    cues = build_cues([CaptionSource(0.0, 12.0, LONG_ENGLISH, 5.0, "en")], words=words)
    _assert_timeline_rules(cues)
    assert cues and all(cue.end <= 5.0 for cue in cues)
    assert " ".join(" ".join(c.lines) for c in cues) == LONG_ENGLISH

"""One take cut into per-slide clips: cuts move into pauses so no word is cut, silence is trimmed.

The takes are synthetic: "words" are 250 ms voiced bursts (harmonics of 140 Hz under a smooth
envelope) with short gaps between words and longer pauses between slides, over room noise.
Each test knows where every word lies, so it can check which clip holds it, and whole.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.narration.one_take import (
    LEAD_SECONDS,
    SNAP_SECONDS,
    TAIL_SECONDS,
    TakeError,
    parse_changes,
    split_take,
)

RATE = 48000
WORD = 0.25
WORD_GAP = 0.08
SLIDE_GAP = 0.8


def word_sound(seconds: float = WORD, loudness: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6))
    return (loudness * voiced * np.hanning(t.size) ** 0.5).astype(np.float32)


def synthetic_take(
    words_per_slide: list[int], noise_db: float = -60.0, lead: float = 1.0, seed: int = 0
) -> tuple[np.ndarray, list[list[tuple[int, int]]], list[float]]:
    """A take, each slide's words as (first, stop) sample ranges, and the start of each
    slide's first word (seconds)."""
    pieces: list[np.ndarray] = [np.zeros(round(lead * RATE), np.float32)]
    position = pieces[0].size
    words: list[list[tuple[int, int]]] = []
    starts: list[float] = []
    for slide, count in enumerate(words_per_slide):
        if slide:
            gap = np.zeros(round(SLIDE_GAP * RATE), np.float32)
            pieces.append(gap)
            position += gap.size
        starts.append(position / RATE)
        slide_words = []
        for number in range(count):
            if number:
                gap = np.zeros(round(WORD_GAP * RATE), np.float32)
                pieces.append(gap)
                position += gap.size
            sound = word_sound()
            slide_words.append((position, position + sound.size))
            pieces.append(sound)
            position += sound.size
        words.append(slide_words)
    pieces.append(np.zeros(round(1.0 * RATE), np.float32))
    take = np.concatenate(pieces)
    if noise_db is not None:
        rng = np.random.default_rng(seed)
        take += (rng.standard_normal(take.size) * 10 ** (noise_db / 20)).astype(np.float32)
    return take, words, starts


def clip_of_word(clips, first: int, stop: int) -> list[int]:
    """The clips that hold any part of the samples first:stop of the take."""
    return [
        clip.index
        for clip in clips
        if round(clip.start * RATE) < stop and round(clip.end * RATE) > first
    ]


def assert_whole_words(clips, words) -> None:
    for slide, slide_words in enumerate(words):
        for first, stop in slide_words:
            holders = clip_of_word(clips, first, stop)
            assert holders == [slide], f"a word of slide {slide + 1} lies in clips {holders}"
            clip = clips[slide]
            assert round(clip.start * RATE) <= first and stop <= round(clip.end * RATE)


@pytest.mark.parametrize("noise_db", [-60.0, -40.0, None])
def test_changes_pressed_during_a_word_move_into_the_pause(noise_db: float | None) -> None:
    take, words, starts = synthetic_take([4, 3, 5], noise_db=noise_db)
    # the teacher pressed the key while still saying slide 1's last word, and just after
    # starting slide 3's first
    last_of_first = words[0][-1]
    changes = [0.0, (last_of_first[0] + 0.4 * (last_of_first[1] - last_of_first[0])) / RATE]
    changes.append(starts[2] + 0.1)
    clips = split_take(take, RATE, changes)
    assert [clip.index for clip in clips] == [0, 1, 2]
    assert_whole_words(clips, words)
    for clip, change in zip(clips[1:], changes[1:], strict=True):
        assert abs(clip.cut - change) <= SNAP_SECONDS + 1e-9
        assert clip.change == change


def test_silence_before_and_after_each_slide_is_trimmed() -> None:
    take, words, starts = synthetic_take([3, 2, 3])
    changes = [0.0, starts[1] - 0.4, starts[2] - 0.4]
    clips = split_take(take, RATE, changes)
    assert_whole_words(clips, words)
    for clip, slide_words in zip(clips, words, strict=True):
        first_sound = slide_words[0][0] / RATE
        last_sound = slide_words[-1][1] / RATE
        # the bursts fade in and out, so their audible part starts a little after them
        assert first_sound - LEAD_SECONDS - 0.03 <= clip.start <= first_sound
        assert last_sound <= clip.end <= last_sound + TAIL_SECONDS + 0.03
        assert clip.duration == pytest.approx(clip.end - clip.start, abs=1 / RATE)
    # the second before the first word is gone: the first clip starts with its speech
    assert clips[0].start > 0.8


def test_clip_samples_are_the_take_itself_with_short_fades() -> None:
    take, words, starts = synthetic_take([2, 2], noise_db=None)
    clips = split_take(take, RATE, [0.0, starts[1] - 0.3])
    for clip in clips:
        first = round(clip.start * RATE)
        inner = slice(480, clip.samples.size - 480)  # past the 5 ms fades
        np.testing.assert_array_equal(clip.samples[inner], take[first:][inner])
        assert clip.samples.dtype == np.float32 and clip.sample_rate == RATE


def test_a_change_inside_a_long_pause_stays_where_it_was() -> None:
    take, words, starts = synthetic_take([2, 2])
    change = starts[1] - SLIDE_GAP / 2
    clips = split_take(take, RATE, [0.0, change])
    assert clips[1].cut == pytest.approx(change, abs=0.011)


def test_a_long_pause_is_preferred_to_the_gap_inside_a_phrase() -> None:
    take, words, starts = synthetic_take([3, 3])
    # 100 ms after slide 2's first word ends there is a short gap between words; the long
    # pause before slide 2 starts 0.27 s before the change: the cut goes there
    change = starts[1] + 0.02
    clips = split_take(take, RATE, [0.0, change])
    assert clips[1].cut < starts[1]
    assert_whole_words(clips, words)


def test_without_a_pause_the_cut_takes_the_quietest_moment() -> None:
    # continuous sound whose level dips for 20 ms 200 ms after the change: too short for a
    # pause, but the quietest moment within reach
    t = np.arange(4 * RATE) / RATE
    take = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    dip = slice(round(2.19 * RATE), round(2.21 * RATE))
    take[dip] *= 0.05
    clips = split_take(take, RATE, [0.0, 2.0])
    assert clips[1].cut == pytest.approx(2.2, abs=0.011)
    # nothing is trimmed where nothing is quiet
    assert clips[0].start == 0.0 and clips[1].end == pytest.approx(4.0)


def test_cuts_never_move_further_than_the_snap_reach() -> None:
    take, words, starts = synthetic_take([6])  # one long stretch of words, gaps of 80 ms
    middle_of_a_word = (words[0][2][0] + words[0][2][1]) / 2 / RATE
    clips = split_take(take, RATE, [0.0, middle_of_a_word])
    assert abs(clips[1].cut - middle_of_a_word) <= SNAP_SECONDS
    # it went to one of the gaps next to the word, leaving the word whole in one clip
    first, stop = words[0][2]
    assert len(clip_of_word(clips, first, stop)) == 1


def test_a_slide_passed_in_silence_gives_an_empty_clip() -> None:
    take, words, starts = synthetic_take([2, 2])
    silent_from = words[0][-1][1] / RATE + 0.3
    clips = split_take(take, RATE, [0.0, silent_from, silent_from + 0.2])
    assert [clip.has_speech for clip in clips] == [True, False, True]
    assert clips[1].duration == 0.0


def test_a_key_click_in_the_silence_is_not_kept_as_speech() -> None:
    take, words, starts = synthetic_take([2, 2])
    click_at = round((starts[1] - 0.5) * RATE)
    take[click_at : click_at + 240] += np.float32(0.5)  # 5 ms: a key press picked up
    clips = split_take(take, RATE, [0.0, starts[1] - 0.6])
    assert clips[1].start >= starts[1] - LEAD_SECONDS - 0.03


@pytest.mark.parametrize(
    "changes, message",
    [
        ([], "No slide change times"),
        ([0.0, 5.0, 3.0], "must increase, but 3 s comes after 5 s"),
        ([0.0, 99.0], "past the end of the take"),
        ([-1.0, 2.0], "not a time in the take"),
    ],
)
def test_changes_that_do_not_fit_the_take_are_refused(changes, message) -> None:
    take, _, _ = synthetic_take([2, 2])
    with pytest.raises(TakeError, match=message):
        split_take(take, RATE, changes)


def test_change_times_are_read_from_text() -> None:
    assert parse_changes("0, 12.5,30.1") == [0.0, 12.5, 30.1]
    with pytest.raises(TakeError, match="'12.5s' is not a time"):
        parse_changes("0,12.5s")

"""Progressive reveal: bullets appear as the sentence introducing each starts, region by region."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from lecture_studio.narration.clip import TimedText
from lecture_studio.transitions.reveal import (
    TimedSentence,
    match_bullets,
    paragraph_regions,
    reveal_frames,
    reveal_schedule,
    reveal_states,
)

FPS = 30
BULLETS = [
    "Photosynthesis makes sugar",
    "Respiration releases energy",
    "Fermentation needs no oxygen",
]
SENTENCES = [
    TimedText(0.0, 2.9, "Today: photosynthesis, respiration and fermentation, in order."),
    TimedText(3.1, 5.8, "First, photosynthesis: plants make sugar from light."),
    TimedText(6.0, 8.1, "That takes a lot of chemistry."),
    TimedText(8.27, 11.9, "Second, respiration releases the energy stored in that sugar."),
    TimedText(12.04, 15.0, "Finally, fermentation works with no oxygen at all."),
]


def test_each_bullet_appears_within_a_frame_of_its_sentence_start():
    lead_in = 0.5
    starts = reveal_schedule(BULLETS, SENTENCES, FPS, offset=lead_in)
    for frame, sentence in zip(starts, [SENTENCES[1], SENTENCES[3], SENTENCES[4]], strict=True):
        moment = lead_in + sentence.start
        assert frame == math.floor(moment * FPS + 1e-6)
        assert 0 <= moment - frame / FPS < 1 / FPS  # shown during the frame the sentence starts


def test_an_overview_sentence_naming_every_bullet_introduces_none_of_them():
    assert match_bullets(BULLETS, [s.text for s in SENTENCES]) == [1, 3, 4]


def test_bullets_appear_in_order_even_when_the_narration_jumps_back():
    bullets = ["Mitochondria", "Chloroplasts"]
    sentences = [
        TimedSentence(0.0, "Chloroplasts capture light."),
        TimedSentence(2.0, "Mitochondria burn sugar."),
        TimedSentence(4.0, "Back to chloroplasts: they hold chlorophyll."),
    ]
    assert reveal_schedule(bullets, sentences, FPS) == [60, 120]


def test_a_bullet_no_sentence_mentions_appears_with_the_bullet_above():
    bullets = ["Photosynthesis makes sugar", "See also: chapter 4", "Respiration releases energy"]
    starts = reveal_schedule(bullets, SENTENCES, FPS)
    assert starts[1] == starts[0] and starts[2] > starts[1]
    assert reveal_schedule(["Unrelated words"], SENTENCES, FPS) == [0]


def test_japanese_bullets_match_japanese_sentences():
    bullets = ["光合成", "呼吸の仕組み", "発酵"]
    sentences = [
        TimedSentence(0.0, "まず光合成について説明します。"),
        TimedSentence(2.5, "次に呼吸です。"),
        TimedSentence(4.25, "最後に発酵を見てみましょう。"),
    ]
    assert reveal_schedule(bullets, sentences, FPS, offset=0.5) == [15, 90, 142]


def test_no_narration_shows_every_bullet_from_the_start():
    assert reveal_schedule(BULLETS, [], FPS) == [0, 0, 0]


def bars_slide() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    image = np.full((90, 160, 3), 255, dtype=np.uint8)
    regions = [(10, 10, 150, 30), (10, 35, 150, 55), (10, 60, 150, 80)]
    for left, top, right, bottom in regions:
        image[top + 5 : bottom - 5, left + 5 : right - 20] = (20, 20, 120)
    return image, regions


def test_frames_hide_each_bullet_until_its_start_frame():
    image, regions = bars_slide()
    frame = reveal_frames(image, regions, [10, 40, 70], (255, 255, 255))
    for k, shown in [(0, 0), (9, 0), (10, 1), (39, 1), (40, 2), (70, 3), (500, 3)]:
        picture = frame(k)
        for i, (left, top, right, bottom) in enumerate(regions):
            part = picture[top:bottom, left:right]
            if i < shown:
                assert np.array_equal(part, image[top:bottom, left:right]), (k, i)
            else:
                assert (part == 255).all(), (k, i)


def test_a_picture_of_the_bare_slide_can_stand_in_for_a_flat_background():
    image, regions = bars_slide()
    bare = np.zeros_like(image)
    bare[..., 1] = np.arange(160, dtype=np.uint8)[None, :]  # a gradient, not one colour
    states = reveal_states(image, regions, [0, 30, 30], bare)
    assert [moment for moment, _ in states] == [0, 30]  # one still picture per change
    left, top, right, bottom = regions[1]
    assert np.array_equal(states[0][1][top:bottom, left:right], bare[top:bottom, left:right])
    assert np.array_equal(states[1][1], image)


def drawn_bullets(paragraphs: list[list[str]], background=(250, 250, 245)) -> np.ndarray:
    """Paragraphs of lines drawn like a renderer does: line gap 8 px, paragraph gap 26 px."""
    image = Image.new("RGB", (400, 300), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    y = 20
    for lines in paragraphs:
        for line in lines:
            draw.text((30, y), line, font=font, fill=(20, 20, 20))
            y += 26
        y += 18
    return np.asarray(image).copy()


def test_paragraph_regions_are_found_from_the_ink_of_a_rendered_slide():
    image = drawn_bullets([["First point"], ["Second point that", "wraps to two lines"], ["Third"]])
    found = paragraph_regions(image, (10, 10, 390, 290), 3)
    assert not found.problem
    assert found.background == (250, 250, 245)
    tops = [r[1] for r in found.regions]
    bottoms = [r[3] for r in found.regions]
    assert tops == sorted(tops) and all(b <= t for b, t in zip(bottoms, tops[1:], strict=False))
    # The wrapped paragraph's region holds both of its lines (y 64..116), the others one each.
    assert found.regions[1][1] <= 66 and found.regions[1][3] >= 112
    hidden = reveal_frames(image, found.regions, [0, 100, 200], found.background)(50)
    ink = (np.abs(hidden.astype(int) - (250, 250, 245)).sum(axis=2) > 48).any(axis=1)
    assert ink[20:45].any() and not ink[60:].any()


@pytest.mark.parametrize(
    ("paragraphs", "count", "why"),
    [
        ([["One line only"]], 3, "1 line of text for 3 bullets"),
        ([["Line one", "Line two", "Line three"]], 2, "cannot be told"),
    ],
)
def test_paragraph_regions_say_why_when_the_bullets_cannot_be_told_apart(paragraphs, count, why):
    found = paragraph_regions(drawn_bullets(paragraphs), (10, 10, 390, 290), count)
    assert not found.regions and why in found.problem


def test_paragraph_regions_refuse_text_on_a_gradient():
    image = drawn_bullets([["First"], ["Second"]])
    image[..., 2] = np.linspace(0, 255, 400, dtype=np.uint8)[None, :]
    found = paragraph_regions(image, (10, 10, 390, 290), 2)
    assert not found.regions and "gradient" in found.problem


# --- with word timings ------------------------------------------------------------------------


def timed_words(sentence: TimedText, seconds_per_word: float = 0.3) -> list[TimedText]:
    """Synthetic word timings: the sentence's words one after another from its start."""
    return [
        TimedText(
            sentence.start + i * seconds_per_word, sentence.start + (i + 0.9) * seconds_per_word, w
        )
        for i, w in enumerate(sentence.text.split())
    ]


def test_with_word_timings_a_bullet_appears_at_the_first_word_it_says():
    words = [w for sentence in SENTENCES for w in timed_words(sentence)]
    starts = reveal_schedule(BULLETS, SENTENCES, FPS, offset=0.5, words=words)
    # "First, photosynthesis: ...", "Second, respiration ...", "Finally, fermentation ...":
    # each bullet shows at the sentence's 2nd word, not at the sentence's start
    introducing = [timed_words(SENTENCES[i])[1] for i in (1, 3, 4)]
    assert [w.text for w in introducing] == ["photosynthesis:", "respiration", "fermentation"]
    assert starts == [math.floor((0.5 + w.start) * FPS + 1e-6) for w in introducing]
    sentence_starts = reveal_schedule(BULLETS, SENTENCES, FPS, offset=0.5)
    assert all(a > b for a, b in zip(starts, sentence_starts, strict=True))


def test_japanese_bullets_appear_at_their_first_character_with_per_character_timings():
    sentence = TimedSentence(2.0, "まず光合成について説明します。")
    words = [
        TimedText(2.0 + 0.1 * i, 2.0 + 0.1 * i + 0.08, ch) for i, ch in enumerate(sentence.text)
    ]
    assert reveal_schedule(["光合成"], [sentence], FPS, words=words) == [
        math.floor(words[2].start * FPS + 1e-6)  # 光, after まず
    ]


def test_words_that_do_not_match_the_text_fall_back_to_the_sentence_start():
    words = [TimedText(3.3, 3.5, "something"), TimedText(3.6, 3.9, "else")]
    with_words = reveal_schedule(BULLETS, SENTENCES, FPS, words=words)
    assert with_words == reveal_schedule(BULLETS, SENTENCES, FPS)

"""Prompts from slides plus the lecture's style; per-slide seeds stable across runs."""

from __future__ import annotations

import subprocess
import sys

from lecture_studio.imagery import (
    build_prompt,
    needs_english_hint,
    negative_prompt,
    slide_prompt,
    slide_seed,
    style_preset,
)
from lecture_studio.model import Lecture, Paragraph, Slide, TextBlock


def make_slide(title: str, bullets: list[str]) -> Slide:
    return Slide(title=title, body=[TextBlock([Paragraph(b) for b in bullets])])


def test_prompt_holds_title_key_points_and_style():
    slide = make_slide("Photosynthesis", ["Light reactions", "**Calvin** cycle", "ATP", "NADPH"])
    prompt = build_prompt(slide, "watercolor")
    assert prompt.startswith("Photosynthesis, Light reactions, Calvin cycle")
    assert "NADPH" not in prompt  # at most three key points
    assert "watercolor" in prompt and "**" not in prompt


def test_an_edited_prompt_wins_and_the_style_is_lecture_wide():
    lecture = Lecture(slides=[make_slide("Cells", ["Membrane"]), make_slide("Atoms", [])])
    lecture.style.imagery_style = "chalkboard"
    lecture.slides[1].imagery.prompt = "a glowing atom model"
    assert "chalk" in slide_prompt(lecture, lecture.slides[0])
    assert slide_prompt(lecture, lecture.slides[1]) == "a glowing atom model"


def test_negative_prompt_adds_the_lectures_own_words():
    lecture = Lecture()
    lecture.style.negative_prompt = "people"
    negative = negative_prompt(lecture)
    assert negative.startswith(style_preset("flat illustration").negative)
    assert negative.endswith(", people")


def test_unknown_style_words_are_used_as_given():
    assert style_preset("ukiyo-e woodblock print").positive == "ukiyo-e woodblock print"


def test_non_english_slides_get_the_english_hint():
    assert needs_english_hint("光合成の仕組み、明反応と暗反応")
    assert not needs_english_hint("Photosynthesis, light reactions")
    assert not needs_english_hint("Énergie et matière")


def test_seed_depends_on_lecture_seed_slide_and_variation():
    base = slide_seed(0, "slide-a")
    assert base == slide_seed(0, "slide-a", 0)
    assert len({base, slide_seed(0, "slide-b"), slide_seed(1, "slide-a")}) == 3
    assert slide_seed(0, "slide-a", 1) != base
    assert 0 <= base < 2**63


def test_seed_is_the_same_in_another_python_process():
    code = "from lecture_studio.imagery.seeds import slide_seed; print(slide_seed(42, 'abc', 2))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(hash_seed)},
        ).stdout.strip()
        for hash_seed in (1, 2)
    }
    assert outputs == {str(slide_seed(42, "abc", 2))}

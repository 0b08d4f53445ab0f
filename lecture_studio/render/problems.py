"""What is wrong with each slide, one sentence per problem: the export's notes, listed per slide.

The export words its notes with the functions here and in the modules they name (the
importer's warnings, ``RenderedSlide.warnings``, ``narration.choose.voice_notes``,
``flashing_note``); the editor's badges and Problems panel list the same sentences for one
slide at a time (``slide_problems``), so what the editor shows and what the export says
cannot drift apart.

Nothing here renders, speaks or converts: the drawing problems are the warnings a renderer
already gave (the editor gets them from its background renders), and everything else is read
from the lecture, its timeline and its voices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..model import Lecture
from ..model.timeline import SlideTiming, Timeline
from ..narration.choose import VoiceCatalog, slide_voices, voice_notes
from ..narration.engine import VoiceInfo
from ..narration.voices import SlideVoice
from ..project import Project

#: Where a problem was found: the import (a picture without image data...), the drawing
#: (a picture left out, text no installed font can show), the voice (no installed voice
#: speaks the slide's language, or the chosen one is missing), the timing (it flashes by).
ProblemKind = Literal["import", "drawing", "voice", "timing"]
PROBLEM_KINDS: tuple[ProblemKind, ...] = ("import", "drawing", "voice", "timing")

#: A slide on screen for less than this is gone before a viewer has found their way on it.
#: (A slide timed by its narration or with nothing to say stays at least READING_BASE_SECONDS,
#: 2 s, so only a short fixed length goes below this.)
FLASH_SECONDS = 1.5

# How the importers name the slide a warning is about (``importers.pptx``, ``.outline``).
_IMPORTED_SLIDE = re.compile(r"^Slide (\d+): (.+)$", re.DOTALL)


@dataclass(frozen=True)
class SlideProblem:
    """One problem of one slide: ``number`` is its place among all the lecture's slides (as
    the slide list numbers them), ``sentence`` says what is wrong and what to do."""

    slide_id: str
    number: int
    kind: ProblemKind
    sentence: str


def import_problems(project: Project) -> list[SlideProblem]:
    """The importer's warnings about one slide ("Slide 3: skipped a picture without image
    data."), each on the slide it names, numbered as that slide is now. Warnings about the
    whole file (its slide size) are about no slide and are left out."""
    lecture = project.lecture
    problems: list[SlideProblem] = []
    for warning in project.warnings:
        found = _IMPORTED_SLIDE.match(warning)
        if found is None:
            continue
        imported, what = int(found.group(1)), found.group(2)
        for number, slide in enumerate(lecture.slides, start=1):
            # An imported slide keeps its place in the deck or outline (``source.index``),
            # wherever it is moved to later; a duplicate of it has the same problem.
            if slide.source.kind in ("pptx", "outline") and slide.source.index == imported:
                sentence = f"Slide {number}: {what}"
                problems.append(SlideProblem(slide.id, number, "import", sentence))
    return problems


def drawing_problems(lecture: Lecture, warnings: Mapping[str, Sequence[str]]) -> list[SlideProblem]:
    """Slide id -> the warnings drawing it gave (``RenderedSlide.warnings``: a picture left
    out, Chinese or Japanese text with no CJK font installed), as problems of the slides still
    in ``lecture``."""
    numbers = _numbers(lecture)
    return [
        SlideProblem(slide_id, numbers[slide_id], "drawing", sentence)
        for slide_id, sentences in warnings.items()
        if slide_id in numbers
        for sentence in sentences
    ]


def voice_problems(
    lecture: Lecture, choices: Mapping[str, SlideVoice], voices: Sequence[VoiceInfo]
) -> list[SlideProblem]:
    """The export's voice notes (``voice_notes``) for one slide at a time: a slide in a
    language no installed voice speaks, a slide whose chosen voice is not installed here."""
    numbers = _numbers(lecture)
    return [
        SlideProblem(slide_id, numbers[slide_id], "voice", sentence)
        for slide_id, choice in choices.items()
        if slide_id in numbers
        for sentence in voice_notes(lecture, {slide_id: choice}, voices)
    ]


def flashing_slides(timeline: Timeline) -> list[SlideTiming]:
    """The slides on ``timeline`` that stay up for less than ``FLASH_SECONDS``."""
    shortest = FLASH_SECONDS * timeline.sample_rate
    return [t for t in timeline.slides if t.end_sample - t.start_sample < shortest]


def flashing_note(timeline: Timeline, timings: Sequence[SlideTiming]) -> str:
    """Says which slides flash by (by number, with how long each stays) and how to keep them
    up longer; ``timings`` come from ``flashing_slides(timeline)``."""
    rate = timeline.sample_rate
    shown = [(t.index + 1, (t.end_sample - t.start_sample) / rate) for t in timings]
    if len(shown) == 1:
        number, seconds = shown[0]
        what = f"Slide {number} is on screen for only {seconds:.1f} s"
        them, it = "it", "its"
    else:
        listed = ", ".join(f"{number} ({seconds:.1f} s)" for number, seconds in shown)
        what = f"Slides {listed} are on screen for under {FLASH_SECONDS:g} s each"
        them, it = "them", "their"
    return (
        f"{what}, too short to take in; give {them} a longer fixed length (Duration and "
        f"Seconds in the editor's slide properties), or a script so that {it} narration "
        "times the slide."
    )


def timing_problems(timeline: Timeline) -> list[SlideProblem]:
    """``flashing_note`` for each slide that flashes by."""
    return [
        SlideProblem(t.slide_id, t.index + 1, "timing", flashing_note(timeline, [t]))
        for t in flashing_slides(timeline)
    ]


def slide_problems(
    project: Project,
    timeline: Timeline,
    voices: VoiceCatalog | None,
    drawn: Mapping[str, Sequence[str]] | None = None,
) -> list[SlideProblem]:
    """Every problem of every slide, in slide order: the import's, the drawing's (``drawn``:
    slide id -> ``RenderedSlide.warnings``, for the slides drawn so far), the voices' (among
    ``voices``, listed from the caller's plugin registry; None: not listed yet, so not
    judged) and the timing's (on ``timeline``, the lecture's visible slides)."""
    lecture = project.lecture
    problems = import_problems(project) + drawing_problems(lecture, drawn or {})
    if voices is not None:
        choices = slide_voices(lecture, lecture.visible_slides(), voices)
        problems += voice_problems(lecture, choices, voices.voices)
    problems += timing_problems(timeline)
    order = {kind: i for i, kind in enumerate(PROBLEM_KINDS)}
    return sorted(problems, key=lambda p: (p.number, order[p.kind]))


def _numbers(lecture: Lecture) -> dict[str, int]:
    return {slide.id: number for number, slide in enumerate(lecture.slides, start=1)}

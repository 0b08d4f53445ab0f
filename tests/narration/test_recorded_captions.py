"""Captions of recorded narration follow its transcript's words and times; without a transcript
of that very recording they follow the slide's script, and the export says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_studio.model import Lecture, Slide, Transcript, TranscriptWord
from lecture_studio.narration.recordings import wav_bytes
from lecture_studio.narration.transcript import (
    WORD_TIMING_TRANSCRIPT,
    recording_timings,
    transcript_sentences,
)
from lecture_studio.project import Project
from lecture_studio.render.captions import parse_srt, parse_vtt
from lecture_studio.render.export import ExportOptions, export_lecture

RATE = 48000
WORDS = [
    TranscriptWord(0.30, 0.62, " Plants"),
    TranscriptWord(0.62, 0.80, " make"),
    TranscriptWord(0.80, 1.40, " food."),
    TranscriptWord(1.90, 2.20, " Leaves"),
    TranscriptWord(2.20, 2.75, " breathe!"),
]


def recorded_slide(project: Project, script: str, transcript_words=None) -> Slide:
    t = np.arange(3 * RATE) / RATE
    asset = project.add_asset(
        wav_bytes((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)), ".wav"
    )
    slide = Slide(title="Leaves", script=script)
    slide.narration.source = "recording"
    slide.narration.recording = asset
    if transcript_words is not None:
        slide.narration.transcript = Transcript(asset, "whisper base", "en", list(transcript_words))
    return slide


def test_sentences_end_at_the_words_that_end_them() -> None:
    sentences = transcript_sentences(WORDS)
    assert [(s.start, s.end, s.text) for s in sentences] == [
        (0.30, 1.40, "Plants make food."),
        (1.90, 2.75, "Leaves breathe!"),
    ]


def test_a_transcript_of_this_recording_times_the_captions() -> None:
    project = Project(Lecture())
    slide = recorded_slide(project, "Something else entirely.", WORDS)
    sentences, words, timing = recording_timings(project.lecture, slide, 3.0)
    assert timing == WORD_TIMING_TRANSCRIPT
    assert [w.text for w in words] == ["Plants", "make", "food.", "Leaves", "breathe!"]
    assert [w.start for w in words] == [0.30, 0.62, 0.80, 1.90, 2.20]
    assert [s.text for s in sentences] == ["Plants make food.", "Leaves breathe!"]


def test_a_transcript_of_an_earlier_take_is_not_used() -> None:
    project = Project(Lecture())
    slide = recorded_slide(project, "Roots drink water. Stems carry it up.", WORDS)
    assert slide.narration.transcript is not None
    slide.narration.transcript.recording = "an-earlier-take.wav"
    sentences, words, timing = recording_timings(project.lecture, slide, 3.0)
    assert (words, timing) == ((), "")
    # the script's sentences share the recording by their length
    assert [s.text for s in sentences] == ["Roots drink water.", "Stems carry it up."]
    assert sentences[0].start == 0.0 and sentences[-1].end == pytest.approx(3.0)
    assert sentences[0].end == pytest.approx(3.0 * 18 / (18 + 18))


def export(project: Project, tmp_path: Path, **options):
    return export_lecture(
        project,
        tmp_path / "out.mp4",
        ExportOptions(
            size=(160, 90), chapters=False, thumbnail=False, cache_dir=tmp_path / "c", **options
        ),
    )


def test_the_export_captions_a_transcribed_recording_word_by_word(tmp_path: Path) -> None:
    project = Project(Lecture())
    project.lecture.slides.append(recorded_slide(project, "A typed script nobody said.", WORDS))
    result = export(project, tmp_path, word_captions=True)
    start = result.timeline.slides[0].narration_start / RATE
    cues = parse_srt((tmp_path / "out.srt").read_text(encoding="utf-8"))
    assert [" ".join(c.lines) for c in cues] == ["Plants make food.", "Leaves breathe!"]
    assert cues[0].start == pytest.approx(start + 0.30, abs=0.0011)
    word_cues = parse_vtt((tmp_path / "out.words.vtt").read_text(encoding="utf-8"))
    assert [c.start for c in word_cues] == pytest.approx(
        [start + w.start for w in WORDS], abs=0.0011
    )
    assert not any("not transcribed" in note for note in result.notes)


def test_the_export_captions_an_untranscribed_recording_from_its_script(tmp_path: Path) -> None:
    project = Project(Lecture())
    project.lecture.slides.append(recorded_slide(project, "Roots drink water."))
    result = export(project, tmp_path)
    cues = parse_srt((tmp_path / "out.srt").read_text(encoding="utf-8"))
    assert [" ".join(c.lines) for c in cues] == ["Roots drink water."]
    assert any(
        note.startswith("Slide 1 is recorded but not transcribed, so its captions follow the")
        and "lecture-studio narrate PROJECT.lecture --transcribe" in note
        for note in result.notes
    )

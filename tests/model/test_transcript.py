"""Transcripts of recordings are kept in the project file and read back; older files load."""

from __future__ import annotations

import json
from pathlib import Path

from lecture_studio.model import Lecture, Slide, Transcript, TranscriptWord
from lecture_studio.project import PROJECT_FILE, Project


def transcribed_lecture() -> Lecture:
    slide = Slide(title="Leaves", script="Plants make food.")
    slide.narration.source = "recording"
    slide.narration.recording = "0123456789abcdef.wav"
    slide.narration.transcript = Transcript(
        "0123456789abcdef.wav",
        "whisper base",
        "en",
        [
            TranscriptWord(0.12, 0.5, " Plants"),
            TranscriptWord(0.5, 0.71, " make"),
            TranscriptWord(0.71, 1.2, " food."),
        ],
    )
    return Lecture(title="Biology", slides=[slide, Slide(title="Roots")])


def test_a_transcript_survives_saving_and_loading(tmp_path: Path) -> None:
    lecture = transcribed_lecture()
    Project(lecture).save(tmp_path / "bio.lecture")
    loaded = Project.load(tmp_path / "bio.lecture").lecture
    assert loaded.slides[0].narration.transcript == lecture.slides[0].narration.transcript
    assert loaded.slides[1].narration.transcript is None
    assert loaded == lecture


def test_a_project_saved_before_transcripts_existed_loads_without_one(tmp_path: Path) -> None:
    folder = tmp_path / "old.lecture"
    Project(transcribed_lecture()).save(folder)
    data = json.loads((folder / PROJECT_FILE).read_text(encoding="utf-8"))
    for slide in data["lecture"]["slides"]:
        del slide["narration"]["transcript"]
    (folder / PROJECT_FILE).write_text(json.dumps(data), encoding="utf-8")
    loaded = Project.load(folder).lecture
    assert loaded.slides[0].narration.transcript is None
    assert loaded.slides[0].narration.recording == "0123456789abcdef.wav"


def test_the_transcript_reads_as_text_in_any_language() -> None:
    transcript = transcribed_lecture().slides[0].narration.transcript
    assert transcript is not None
    assert transcript.text == "Plants make food."
    japanese = Transcript(
        "a.wav",
        "whisper base",
        "ja",
        [TranscriptWord(0, 1, "光合成"), TranscriptWord(1, 2, "です。")],
    )
    assert japanese.text == "光合成です。"


def test_a_transcript_belongs_only_to_the_recording_it_was_made_from() -> None:
    transcript = transcribed_lecture().slides[0].narration.transcript
    assert transcript is not None
    assert transcript.belongs_to("0123456789abcdef.wav")
    assert not transcript.belongs_to("fedcba9876543210.wav")
    assert not transcript.belongs_to(None)

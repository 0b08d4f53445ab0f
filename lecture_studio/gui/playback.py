"""Listen and Preview: speak a slide, or play the lecture from a slide with its playhead moving;
try a voice on the first sentences of a slide before choosing it.

The sound comes from the core (the export's narration and audio track), written to a WAV file
and played with QtMultimedia. Without an audio output the preview still runs on a silent clock,
so the slides and playhead move and the window says that there is no sound.
"""

from __future__ import annotations

import copy
import dataclasses
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, QUrl, Signal

from ..errors import InputError
from ..model import Lecture, Slide, narration_script, slide_language
from ..model.timeline import SAMPLE_RATE, Timeline, build_timeline
from ..narration.choose import VoiceCatalog, spoken_by_voice
from ..narration.cleanup import split_sentences
from .document import LectureDocument, narration_key, snapshot
from .workers import Worker


def audio_output_available() -> bool:
    from PySide6.QtMultimedia import QMediaDevices

    return bool(QMediaDevices.audioOutputs())


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """16-bit PCM WAV of float samples (mono 1-D or frames x channels)."""
    data = np.asarray(samples, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = (np.clip(data, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())


SAMPLE_SENTENCES = 2
"""Trying a voice speaks this many sentences of the slide's script."""


@dataclass(frozen=True)
class PlayableAudio:
    """A WAV to play, the timeline it follows, and measured narration lengths to remember."""

    wav: Path
    timeline: Timeline
    lengths: dict[str, tuple[tuple, int]]  # slide id -> (narration key, samples)
    clip_samples: int = 0  # Listen: the clip alone, this long (no lead-in or tail)
    follows_timeline: bool = True  # False for a voice sample: no playhead, no slide change


def voice_sample(lecture: Lecture, slide: Slide) -> Slide:
    """A copy of ``slide`` whose script is its first ``SAMPLE_SENTENCES`` sentences, in the
    language the whole script is spoken in (a short sample could be judged another)."""
    language = slide_language(lecture, slide)
    sentences = split_sentences(narration_script(slide, lecture), language)
    sample = copy.deepcopy(slide)
    sample.script = " ".join(sentences[:SAMPLE_SENTENCES])
    sample.language = language
    sample.narration = dataclasses.replace(slide.narration, source="tts")
    return sample


class LecturePlayer(QObject):
    """Plays one slide's narration (Listen) or the lecture from a slide (Preview)."""

    preparing = Signal(str)  # what is being prepared, for the status bar
    position_changed = Signal(float, str)  # seconds into the lecture, slide id playing
    playing_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, document: LectureDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.worker: Worker | None = None
        self.audio: PlayableAudio | None = None
        self.offset_seconds = 0.0
        self.silent = False
        self._player = None
        self._output = None
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(40)
        self._ticker.timeout.connect(self._tick)
        self._folder = Path(tempfile.mkdtemp(prefix="lecture-studio-play-"))

    @property
    def is_busy(self) -> bool:
        return self.worker is not None or self._ticker.isActive()

    def listen(self, slide_id: str) -> Worker:
        """Speak the slide's narration (synthesized in the background, then played)."""
        return self._prepare([slide_id], self.tr("Preparing the narration..."))

    def listen_slide_voice(self, slide_id: str, voice: str | None) -> Worker:
        """Speak the first sentences of the slide's script with ``voice`` (a stored voice id;
        None: the voice the slide gets without one of its own), as a try before choosing it."""

        def sample(lecture: Lecture, voices: VoiceCatalog) -> Slide:
            slide = voice_sample(lecture, lecture.slide(slide_id))
            slide.narration.voice = voice
            return slide

        return self._prepare_sample(sample)

    def listen_lecture_voice(self, slide_id: str, voice: str | None, language: str) -> Worker:
        """Speak the first sentences of a slide as the lecture would with ``voice`` as its voice
        and ``language`` as its language (not applied yet): the first slide from ``slide_id``
        on that this voice would speak; where it would speak none (or is None, automatic),
        ``slide_id`` itself, spoken by ``voice`` all the same."""

        def sample(lecture: Lecture, voices: VoiceCatalog) -> Slide:
            lecture.style.voice = voice
            lecture.language = language
            start = lecture.index_of(slide_id) if slide_id else 0
            ordered = lecture.slides[start:] + lecture.slides[:start]
            if voice:
                for slide in ordered:
                    if spoken_by_voice(lecture, slide):
                        if voices.slide_voice(lecture, slide).reason == "lecture":
                            return voice_sample(lecture, slide)
            spoken = [s for s in ordered if spoken_by_voice(lecture, s)]
            chosen = voice_sample(lecture, spoken[0] if spoken else ordered[0])
            chosen.narration.voice = voice or None
            return chosen

        return self._prepare_sample(sample)

    def preview_from(self, slide_id: str) -> Worker:
        """Play the visible slides from ``slide_id`` to the end, with sound."""
        lecture = self.document.lecture
        start = lecture.index_of(slide_id) if slide_id else 0
        ids = [s.id for s in lecture.slides[start:] if not s.hidden]
        return self._prepare(ids, self.tr("Preparing the preview..."))

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        self._ticker.stop()
        if self._player is not None:
            self._player.stop()
        self.playing_changed.emit(False)

    # --- preparing --------------------------------------------------------------------
    def _voices(self) -> Callable[[], VoiceCatalog]:
        """The editor's voice list, or (before it is ready) one listed by the job itself."""
        listed = self.document.voices

        def voices() -> VoiceCatalog:
            if listed is not None:
                return listed
            from ..narration.choose import voice_catalog
            from ..plugins import default_registry

            return voice_catalog(default_registry())  # plugin voices included

        return voices

    def _prepare_sample(self, sample: Callable[[Lecture, VoiceCatalog], Slide]) -> Worker:
        """Speak the slide ``sample(lecture, voices)`` makes from a copy of the lecture (on the
        worker), alone, and play it; its length is not remembered: it is not the slide's."""
        self.stop()
        project = snapshot(self.document.project)
        wav = self._folder / f"sample-{id(project)}.wav"
        voices_of = self._voices()
        nothing_to_say = self.tr(
            "This slide has no script to try the voice on; write a script for it first."
        )

        def job(progress, cancel) -> PlayableAudio:
            from ..narration.lecture import narrate_slides

            voices = voices_of()
            lecture = project.lecture
            slide = sample(lecture, voices)
            if not slide.script.strip():
                raise InputError(nothing_to_say)
            clip = narrate_slides(project, [slide], None, progress, cancel, voices)[slide.id]
            if clip is None:
                choice = voices.slide_voice(lecture, slide)
                if choice.voice is None:  # "No installed voice speaks Hebrew."
                    raise InputError(f"{choice.explanation[:1].upper()}{choice.explanation[1:]}.")
                raise InputError(nothing_to_say)
            cancel.check()
            write_wav(wav, clip.samples, SAMPLE_RATE)
            part = copy.copy(lecture)
            part.slides = [slide]
            timeline = build_timeline(part, {slide.id: len(clip.samples)}, SAMPLE_RATE)
            return PlayableAudio(wav, timeline, {}, len(clip.samples), follows_timeline=False)

        self.offset_seconds = 0.0
        self.preparing.emit(self.tr("Preparing the voice..."))
        worker = Worker(job)
        worker.succeeded.connect(self._play)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        return worker.start()

    def _prepare(self, slide_ids: list[str], message: str) -> Worker:
        self.stop()
        project = snapshot(self.document.project)
        lecture = project.lecture
        offset = self._start_seconds(slide_ids[0]) if slide_ids else 0.0
        voices_of = self._voices()
        wav = self._folder / f"play-{id(project)}.wav"
        nothing_to_say = self.tr(
            "This slide has no narration to play; write a script or record one first."
        )

        def job(progress, cancel) -> PlayableAudio:
            from ..narration.lecture import narrate_slides
            from ..render.plan import audio_track

            slides = [lecture.slide(sid) for sid in slide_ids]
            voices = voices_of()
            keys = {slide.id: narration_key(slide, lecture, voices) for slide in slides}
            clips = narrate_slides(project, slides, None, progress, cancel, voices)
            part = copy.copy(lecture)
            part.slides = slides
            lengths = {sid: len(c.samples) for sid, c in clips.items() if c is not None}
            timeline = build_timeline(part, lengths, SAMPLE_RATE)
            clip_samples = 0
            if len(slide_ids) == 1:  # Listen: the voice alone, no lead-in or tail
                clip = clips.get(slide_ids[0])
                if clip is None:
                    raise InputError(nothing_to_say)
                samples = clip.samples
                clip_samples = len(samples)
            else:
                samples = audio_track(timeline, clips)
            cancel.check()
            write_wav(wav, samples, SAMPLE_RATE)
            measured = {sid: (keys[sid], n) for sid, n in lengths.items()}
            return PlayableAudio(wav, timeline, measured, clip_samples)

        self.offset_seconds = offset
        self.preparing.emit(message)
        worker = Worker(job)
        worker.succeeded.connect(self._play)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        return worker.start()

    def _start_seconds(self, slide_id: str) -> float:
        for timing in self.document.timeline().slides:
            if timing.slide_id == slide_id:
                return timing.start_sample / SAMPLE_RATE
        return 0.0

    def _on_failed(self, message: str) -> None:
        self.worker = None
        self.failed.emit(message)
        self.playing_changed.emit(False)

    # --- playing ----------------------------------------------------------------------
    def _play(self, audio: PlayableAudio) -> None:
        self.worker = None
        self.audio = audio
        for slide_id, (key, samples) in audio.lengths.items():
            self.document.remember_narration_length(slide_id, key, samples)
        self.offset_seconds = (
            self._start_seconds(audio.timeline.slides[0].slide_id)
            if audio.timeline.slides and audio.follows_timeline
            else 0.0
        )
        self.silent = not audio_output_available()
        if not self.silent:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            if self._player is None:
                self._player = QMediaPlayer(self)
                self._output = QAudioOutput(self)
                self._player.setAudioOutput(self._output)
            self._player.setSource(QUrl.fromLocalFile(str(audio.wav)))
            self._player.play()
        self._clock.start()
        self._ticker.start()
        self.playing_changed.emit(True)

    def elapsed_seconds(self) -> float:
        if self._player is not None and not self.silent:
            return self._player.position() / 1000.0
        return self._clock.elapsed() / 1000.0

    def _tick(self) -> None:
        audio = self.audio
        if audio is None:
            return
        seconds = self.elapsed_seconds()
        total = audio.timeline.duration
        if audio.clip_samples:  # Listen: the clip's length
            total = audio.clip_samples / SAMPLE_RATE
        if seconds >= total:
            self.stop()
            return
        if not audio.follows_timeline:
            return
        sample = seconds * SAMPLE_RATE
        playing = next(
            (t.slide_id for t in audio.timeline.slides if t.start_sample <= sample < t.end_sample),
            "",
        )
        self.position_changed.emit(self.offset_seconds + seconds, playing)

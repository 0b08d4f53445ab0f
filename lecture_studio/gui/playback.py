"""Listen and Preview: speak a slide, or play the lecture from a slide as the export will show
it (its transitions, bullet reveals and narration, at the export's timing) with its playhead
moving; try a voice on the first sentences of a slide before choosing it.

The sound comes from the core (the export's narration and audio track), written to a WAV file
and played with QtMultimedia. The pictures are the export's own frames (``LectureFrames`` on the
export's ``lecture_timeline``), made on a worker a little ahead of the playhead and shown when
their time comes. Without an audio output, or when it fails, the preview runs on a silent clock,
so the frames and playhead still move, and the window says that there is no sound.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QImage

from ..errors import InputError
from ..model import Lecture, Slide, narration_script, slide_language
from ..model.timeline import SAMPLE_RATE, SlideTiming, Timeline, build_timeline
from ..narration.choose import VoiceCatalog, spoken_by_voice
from ..narration.cleanup import split_sentences
from .document import LectureDocument, narration_key, snapshot
from .preview import preview_size
from .transition_preview import array_to_image
from .workers import Worker

if TYPE_CHECKING:  # the render modules load PyAV: imported by the jobs that use them
    from ..narration import NarrationClip
    from ..project import Project
    from ..render.plan import LectureFrames, SlideVisual

FRAMES_AHEAD_SECONDS = 0.5
"""The preview's frames are made this far ahead of the playhead (at most: moving frames are
kept one picture each; a still is one picture however long it shows)."""

FRAME_BATCH_SECONDS = 0.25
"""One worker job makes this much of the preview's frames."""


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
    """A WAV to play, the timeline it follows, and measured narration lengths to remember.

    A preview's WAV starts at ``start_sample`` of its timeline (the whole lecture's, laid out
    as the export lays it out), and ``frames`` gives the pictures to show with it."""

    wav: Path
    timeline: Timeline
    lengths: dict[str, tuple[tuple, int]]  # slide id -> (narration key, samples)
    clip_samples: int = 0  # Listen: the clip alone, this long (no lead-in or tail)
    follows_timeline: bool = True  # False for a voice sample: no playhead, no slide change
    start_sample: int = 0
    frames: LectureFrames | None = None

    @property
    def seconds(self) -> float:
        """How long the WAV plays."""
        if self.clip_samples:
            return self.clip_samples / SAMPLE_RATE
        return (self.timeline.total_samples - self.start_sample) / self.timeline.sample_rate


def drawn_visuals(
    project: Project,
    timeline: Timeline,
    clips: dict[str, NarrationClip | None],
    size: tuple[int, int],
) -> Callable[[SlideTiming], SlideVisual]:
    """What each slide shows as the export shows it (``slide_visual``: its generated image,
    bullet reveal and motion), drawn at ``size`` when it is first asked for (on a worker)."""

    def visual_of(timing: SlideTiming) -> SlideVisual:
        from ..render.visual import slide_visual
        from ..slides import SlideRenderer

        slide = project.lecture.slide(timing.slide_id)
        with SlideRenderer(project, size, [slide]) as renderer:
            drawn = renderer.draw(slide)
        narration = clips.get(slide.id)
        return slide_visual(project, slide, timing, timeline, drawn, narration).visual

    return visual_of


class FrameFeed(QObject):
    """The pictures of a playing preview: ``LectureFrames`` made on a worker (transitions and
    camera moves are drawn frame by frame, which the GUI thread must not wait for), at most
    ``FRAMES_AHEAD_SECONDS`` ahead of the playhead, kept as runs of frames showing one picture.
    """

    arrived = Signal()  # more frames are ready
    failed = Signal(str)

    def __init__(self, frames: LectureFrames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.frames = frames
        self.runs: list[tuple[int, int, QImage]] = []  # (first frame, end, picture), in order
        self.worker: Worker | None = None
        self._wanted = 0
        self._stopped = False

    def image_at(self, k: int) -> QImage | None:
        """Frame ``k``'s picture when it has been made."""
        return next((image for first, end, image in self.runs if first <= k < end), None)

    def want(self, k: int) -> None:
        """The playhead is at frame ``k``: forget the frames before it, have those from it on
        made."""
        self._wanted = k
        self.runs = [run for run in self.runs if run[1] > k]
        ready = k
        for first, end, _ in self.runs:
            if first > ready:
                break
            ready = max(ready, end)
        fps = self.frames.timeline.fps
        total = self.frames.timeline.total_frames
        if self.worker is not None or self._stopped:
            return
        if ready >= min(total, k + max(1, round(FRAMES_AHEAD_SECONDS * fps))):
            return
        self._make(ready, min(total, ready + max(1, round(FRAME_BATCH_SECONDS * fps))))

    def stop(self) -> None:
        self._stopped = True
        if self.worker is not None:
            self.worker.cancel()
        self.runs = []

    def _make(self, begin: int, end: int) -> None:
        frames = self.frames

        def job(progress, cancel) -> list[tuple[int, int, QImage]]:
            runs = []
            k = begin
            while k < end:
                cancel.check()
                picture, until = frames.frame_run(k)
                runs.append((k, until, array_to_image(picture)))
                k = until
            return runs

        worker = Worker(job)
        worker.succeeded.connect(self._add)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self.worker = worker.start()

    def _add(self, runs: list[tuple[int, int, QImage]]) -> None:
        if self._stopped:
            return
        made = [run for run in runs if run[1] > self._wanted]
        self.runs = sorted(self.runs + made, key=lambda run: run[0])
        self.arrived.emit()

    def _on_failed(self, message: str) -> None:
        if not self._stopped:
            self.failed.emit(message)

    def _on_finished(self) -> None:
        self.worker = None
        if not self._stopped:
            self.want(self._wanted)


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
    """Plays one slide's narration (Listen) or the lecture from a slide (Preview), which can
    be paused, resumed and moved in (``toggle``, ``seek``, ``step``)."""

    preparing = Signal(str)  # what is being prepared, for the status bar
    notice = Signal(str)  # one sentence for the status bar (sound lost while playing)
    position_changed = Signal(float, str)  # seconds into the lecture, slide id playing
    playing_changed = Signal(bool)  # started, or stopped (not on pause)
    paused_changed = Signal(bool)
    frame_changed = Signal(object)  # the preview's frame on show (QImage); None once it ends
    failed = Signal(str)

    def __init__(self, document: LectureDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.worker: Worker | None = None
        self.audio: PlayableAudio | None = None
        self.offset_seconds = 0.0
        self.silent = False
        self.feed: FrameFeed | None = None
        self.shown_index = -1  # the preview's frame on show (-1: none)
        self.paused = False
        self._base_seconds = 0.0  # into the WAV, when the silent clock last (re)started
        self._player = None
        self._output = None
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(40)
        self._ticker.timeout.connect(self._tick)
        self._folder = Path(tempfile.mkdtemp(prefix="lecture-studio-play-"))

    @property
    def is_busy(self) -> bool:
        return self.worker is not None or self._ticker.isActive() or self.paused

    @property
    def is_previewing(self) -> bool:
        """A preview plays or is paused (not a Listen)."""
        playing = self._ticker.isActive() or self.paused
        return playing and self.audio is not None and self.audio.frames is not None

    def listen(self, slide_id: str) -> Worker:
        """Speak the slide's narration (synthesized in the background, then played)."""
        return self._prepare_listen(slide_id)

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
        """Play the lecture from ``slide_id`` (from the first visible slide at or after it) to
        the end as the export will show it: its frames and sound, on the export's timeline.

        The slides played are narrated on the worker, so their timing is exact; the slides
        before them count with the lengths the editor knows (measured, or estimated where
        never spoken): an estimate that is off can move where a played slide's narration
        starts by up to an AAC frame (21 ms), and its end by a video frame."""
        self.stop()
        project = snapshot(self.document.project)
        lecture = project.lecture
        visible = lecture.visible_slides()
        start = lecture.index_of(slide_id) if slide_id else 0
        played = [s for s in visible if lecture.index_of(s.id) >= start]
        known = self.document.narration_lengths()
        voices_of = self._voices()
        size = preview_size(lecture.output)
        wav = self._folder / f"preview-{id(project)}.wav"
        nothing_to_play = self.tr(
            "Every slide from here on is hidden, so there is nothing to preview; show one first."
        )

        def job(progress, cancel) -> PlayableAudio:
            from ..app import app_registry
            from ..narration.lecture import narrate_slides
            from ..render.media import media_sounds
            from ..render.media_timing import fitted_timeline
            from ..render.plan import LectureFrames, audio_pieces

            if not played:
                raise InputError(nothing_to_play)
            voices = voices_of()
            keys = {slide.id: narration_key(slide, lecture, voices) for slide in played}
            clips = narrate_slides(project, played, None, progress, cancel, voices)
            played_ids = {slide.id for slide in played}
            spoken = {sid: len(c.samples) for sid, c in clips.items() if c is not None}
            lengths = {s.id: known.get(s.id, 0) for s in visible if s.id not in played_ids}
            timeline = fitted_timeline(lecture, {**lengths, **spoken}, clips)
            first = timeline.slides[len(visible) - len(played)]
            sounds = media_sounds(project, timeline, clips)
            track = sounds.mixed(audio_pieces(timeline, clips), timeline)
            samples = track.read(first.start_sample, timeline.total_samples - first.start_sample)
            cancel.check()
            write_wav(wav, samples, SAMPLE_RATE)
            visuals = drawn_visuals(project, timeline, clips, size)
            frames = LectureFrames(timeline, visuals, app_registry())
            frames.frame_run(first.start_frame)  # the first slide is drawn before it plays
            measured = {sid: (keys[sid], n) for sid, n in spoken.items()}
            return PlayableAudio(
                wav, timeline, measured, start_sample=first.start_sample, frames=frames
            )

        self.offset_seconds = 0.0
        self.preparing.emit(self.tr("Preparing the preview..."))
        worker = Worker(job)
        worker.succeeded.connect(self._play)
        worker.failed.connect(self._on_failed)
        self.worker = worker
        return worker.start()

    def toggle(self, slide_id: str) -> Worker | None:
        """Space: play the lecture from ``slide_id``, or pause or resume what plays; while a
        preview is being prepared, give it up."""
        if self.worker is not None:
            self.stop()
        elif self.paused:
            self.resume()
        elif self._ticker.isActive():
            self.pause()
        else:
            return self.preview_from(slide_id)
        return None

    def pause(self) -> None:
        """Hold the sound and the frame on show; ``resume`` goes on from there."""
        if not self._ticker.isActive():
            return
        self._base_seconds = self.elapsed_seconds()
        self._ticker.stop()
        if self._player is not None and not self.silent:
            self._player.pause()
        self.paused = True
        self.paused_changed.emit(True)

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        if self._player is not None and not self.silent:
            self._player.play()
        self._clock.start()
        self._ticker.start()
        self.paused_changed.emit(False)
        self._tick()

    def seek(self, seconds: float) -> None:
        """Go to ``seconds`` into the lecture (within what the preview plays), playing or
        paused; the frame of that moment shows as soon as it is made."""
        audio = self.audio
        if audio is None or audio.frames is None or not self.is_previewing:
            return
        into = seconds - audio.start_sample / SAMPLE_RATE
        into = min(max(into, 0.0), audio.seconds)
        self._base_seconds = into
        self._clock.start()
        if self._player is not None and not self.silent:
            self._player.setPosition(math.ceil(into * 1000))
        self._update_position()

    def step(self, delta: int, slide_id: str) -> str | None:
        """The arrow keys: while a preview plays or is paused, go to the start of the slide
        ``delta`` slides from the one playing (playing it again from there when it comes
        before the part prepared); else the slide ``delta`` slides from ``slide_id``, for the
        window to select. Returns the slide moved to, None at either end."""
        audio = self.audio
        if audio is not None and audio.frames is not None and self.is_previewing:
            slides = audio.timeline.slides
            k = audio.frames.index_at(self.lecture_seconds())
            index = next(i for i, timing in enumerate(slides) if k < timing.end_frame)
            if not 0 <= index + delta < len(slides):
                return None
            target = slides[index + delta]
            if target.start_sample < audio.start_sample:
                self.preview_from(target.slide_id)
            else:
                self.seek(target.start_sample / SAMPLE_RATE)
            return target.slide_id
        ids = [slide.id for slide in self.document.lecture.slides]
        if slide_id not in ids:
            return ids[0] if ids else None
        index = ids.index(slide_id) + delta
        return ids[index] if 0 <= index < len(ids) else None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        self._ticker.stop()
        self.paused = False
        if self._player is not None:
            self._player.stop()
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        if self.audio is not None and self.audio.frames is not None:  # its pictures go
            self.audio = dataclasses.replace(self.audio, frames=None)
        if self.shown_index != -1:
            self.shown_index = -1
            self.frame_changed.emit(None)
        self.playing_changed.emit(False)

    # --- preparing --------------------------------------------------------------------
    def _voices(self) -> Callable[[], VoiceCatalog]:
        """The editor's voice list, or (before it is ready) one listed by the job itself."""
        listed = self.document.voices

        def voices() -> VoiceCatalog:
            if listed is not None:
                return listed
            from ..app import app_registry
            from ..narration.choose import voice_catalog

            return voice_catalog(app_registry())  # plugin voices included

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

    def _prepare_listen(self, slide_id: str) -> Worker:
        """Speak the slide's narration alone (no lead-in or tail), its playhead on the
        editor's timeline; its length is remembered."""
        self.stop()
        project = snapshot(self.document.project)
        lecture = project.lecture
        offset = self._start_seconds(slide_id)
        voices_of = self._voices()
        wav = self._folder / f"play-{id(project)}.wav"
        nothing_to_say = self.tr(
            "This slide has no narration to play; write a script or record one first."
        )

        def job(progress, cancel) -> PlayableAudio:
            from ..narration.lecture import narrate_slides

            slide = lecture.slide(slide_id)
            voices = voices_of()
            key = narration_key(slide, lecture, voices)
            clip = narrate_slides(project, [slide], None, progress, cancel, voices)[slide.id]
            if clip is None:
                raise InputError(nothing_to_say)
            part = copy.copy(lecture)
            part.slides = [slide]
            samples = len(clip.samples)
            timeline = build_timeline(part, {slide.id: samples}, SAMPLE_RATE)
            cancel.check()
            write_wav(wav, clip.samples, SAMPLE_RATE)
            return PlayableAudio(wav, timeline, {slide.id: (key, samples)}, samples)

        self.offset_seconds = offset
        self.preparing.emit(self.tr("Preparing the narration..."))
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
            if audio.timeline.slides and audio.follows_timeline and audio.frames is None
            else 0.0
        )
        if audio.frames is not None:
            self.feed = FrameFeed(audio.frames, self)
            self.feed.arrived.connect(self._show_frame)
            self.feed.failed.connect(self._on_frames_failed)
        self.silent = not audio_output_available()
        if not self.silent:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            if self._player is None:
                self._player = QMediaPlayer(self)
                self._output = QAudioOutput(self)
                self._player.setAudioOutput(self._output)
                self._player.errorOccurred.connect(self._on_sound_failed)
            self._player.setSource(QUrl.fromLocalFile(str(audio.wav)))
            self._player.play()
        self.paused = False
        self._base_seconds = 0.0
        self._clock.start()
        self._ticker.start()
        self.playing_changed.emit(True)
        self._tick()

    def _on_sound_failed(self, _error: object, reason: str) -> None:
        """The sound cannot be played after all: go on silently from where it was."""
        if self.silent or not self._ticker.isActive():
            return
        self._base_seconds = self._player.position() / 1000.0
        self._clock.start()
        self.silent = True
        self.notice.emit(
            self.tr(
                "The sound could not be played ({0}), so the preview goes on without it."
            ).format(reason or self.tr("no reason given"))
        )

    def elapsed_seconds(self) -> float:
        """Seconds into the WAV."""
        if self._player is not None and not self.silent:
            return self._player.position() / 1000.0
        if self.paused or not self._ticker.isActive():
            return self._base_seconds
        return self._base_seconds + self._clock.elapsed() / 1000.0

    def lecture_seconds(self) -> float:
        """Where the preview is, in seconds on its lecture timeline."""
        audio = self.audio
        start = audio.start_sample / SAMPLE_RATE if audio is not None else 0.0
        return start + self.elapsed_seconds()

    def _tick(self) -> None:
        audio = self.audio
        if audio is None:
            return
        seconds = self.elapsed_seconds()
        if seconds >= audio.seconds:
            self.stop()
            return
        if audio.follows_timeline:
            self._update_position()

    def _update_position(self) -> None:
        audio = self.audio
        if audio.frames is None:  # Listen: its own timeline, placed on the editor's
            seconds = self.elapsed_seconds()
            sample = seconds * SAMPLE_RATE
            seconds += self.offset_seconds
        else:
            seconds = self.lecture_seconds()
            sample = seconds * SAMPLE_RATE
        playing = next(
            (t.slide_id for t in audio.timeline.slides if t.start_sample <= sample < t.end_sample),
            "",
        )
        self.position_changed.emit(seconds, playing)
        self._show_frame()

    def _show_frame(self) -> None:
        """Show the frame of this moment when it is made (else the last one stays)."""
        audio, feed = self.audio, self.feed
        if audio is None or audio.frames is None or feed is None:
            return
        k = audio.frames.index_at(self.lecture_seconds())
        feed.want(k)
        image = feed.image_at(k)
        if image is not None and k != self.shown_index:
            self.shown_index = k
            self.frame_changed.emit(image)

    def _on_frames_failed(self, message: str) -> None:
        self.stop()
        self.failed.emit(message)

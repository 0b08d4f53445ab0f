"""Videos and sounds placed on slides, on the timeline: a video plays inside its box on the
slide's picture, and every clip's sound is mixed under the narration at the lecture's loudness.

A clip starts where its deck's main sequence starts it (``media_timing.clip_times``: at the
frame of the build step that plays it, on a click cue or by itself after its delay), else when
its slide is fully shown (the transition into the slide has ended), and plays once, a number
of times, or over and over until the slide ends; the timeline keeps the slide up until it has
played (``media_timing.fitted_timeline``). A video shows its poster frame (the slide's
picture) before it starts and holds its last picture after; it shows the part of its picture
that its crop keeps, flipped as its shape is. Its pictures are decoded as the encoder asks for
them (``mediafile.VideoFrames``), scaled into the box, so memory stays at a few pictures
however long the clip; where the file cannot be decoded the slide keeps the poster frame that
LibreOffice drew in the box, and the export says so.

A clip's sound is brought to the lecture's programme loudness on its own at the volume
PowerPoint gives a clip (``DECK_VOLUME``, 80%), and to its own volume in the deck relative to
that (50% is 6 dB under 100%), its true peaks kept under the ceiling; while the slide's
narration speaks, it is turned down under it by ``DUCK_DB``; the slide's narration and its
clips' sound then make one piece of the audio track.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from ..errors import LectureStudioError
from ..mediafile import VideoFrames, decode_sound, probe_media
from ..model import Slide
from ..model.lecture import DECK_VOLUME, SlideMedia
from ..model.timeline import SlideTiming, Timeline
from ..narration import NarrationClip
from ..narration.lecture import LOUDNESS, PROGRAMME_LOUDNESS
from ..narration.loudness import integrated_loudness, true_peak_dbtp
from ..project import Project
from .aac import AudioPiece, AudioTrack
from .compose import canvas_of
from .media_timing import ClipTime, clip_times
from .plan import Narration

DUCK_DB = 12.0  # a clip's sound under the narration, below its own loudness
_DUCK_RAMP_SECONDS = 0.25  # the sound goes down before the voice starts, up after it ends
_HELD_KEPT = 8  # pictures with a video's first or last picture pasted, kept for reuse
# Bump when the way a slide's narration and clips' sound are mixed changes: cached sound misses.
_MIX_FORMAT = "2"
_SMALLEST_CROP = 0.02  # a crop keeping less of a picture than this is taken as no crop


def _undecodable_video(number: int, media: SlideMedia, reason: str) -> str:
    return (
        f"Slide {number} shows only the poster frame of the video “{media.name}”, which cannot "
        f"be decoded ({reason}); convert it to MP4 (H.264), insert it again in PowerPoint and "
        "import the deck again."
    )


@dataclass
class _Video:
    frames: VideoFrames
    # The whole picture's left, top, width, height in the frame (past the shape's box where a
    # crop cuts it), and the shape's box (left, top, right, bottom), maybe past the frame's edges
    box: tuple[int, int, int, int]
    shown: tuple[int, int, int, int]
    time: ClipTime
    until: int  # the slide frame after its last play
    seconds: float
    number: int  # its slide's
    name: str
    flip_h: bool = False
    flip_v: bool = False

    def clock(self, k: int, fps: int) -> float:
        """Seconds into the clip shown at slide frame ``k``."""
        i = k - self.time.first
        if i < 0:
            return 0.0
        if i >= self.until - self.time.first:
            return self.seconds - 1e-6
        return min((i % self.time.count) / fps, self.seconds - 1e-6)


class PlayingVideos:
    """The videos playing on one slide, each from its own frame and inside its box: together
    from slide frame ``first`` until ``end`` (the ``render.plan.Playing`` a ``SlideVisual``
    takes)."""

    def __init__(self, videos: list[_Video], fps: int) -> None:
        self._videos = videos
        self._fps = fps
        self.first = min(video.time.first for video in videos)
        self.end = max(video.until for video in videos)
        self._held: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def onto(self, picture: np.ndarray, k: int) -> np.ndarray:
        if self.first <= k < self.end:
            return self._pasted(picture, k)
        key = (id(picture), k >= self.end)
        with self._lock:
            known = self._held.get(key)
            if known is not None and known[0] is picture:
                return known[1]
        held = self._pasted(picture, k)
        with self._lock:
            self._held[key] = (picture, held)
            while len(self._held) > _HELD_KEPT:
                del self._held[next(iter(self._held))]
        return held

    def _pasted(self, picture: np.ndarray, k: int) -> np.ndarray:
        out = picture.copy()
        height, width = out.shape[:2]
        for video in self._videos:
            if k < video.time.first:
                continue  # not started: the slide shows its poster frame, as PowerPoint does
            seconds = video.clock(k, self._fps)
            try:
                shown = video.frames.at(max(seconds, 0.0))
            except (av.FFmpegError, OSError, ValueError) as exc:  # keep the poster
                video.frames.problem = video.frames.problem or str(exc)
                continue
            if video.flip_h:
                shown = shown[:, ::-1]
            if video.flip_v:
                shown = shown[::-1]
            left, top, _, _ = video.box
            x0, y0 = max(video.shown[0], 0), max(video.shown[1], 0)
            x1, y1 = min(video.shown[2], width), min(video.shown[3], height)
            if x1 > x0 and y1 > y0:
                out[y0:y1, x0:x1] = shown[y0 - top : y1 - top, x0 - left : x1 - left]
        return out

    def problems(self) -> list[str]:
        """One sentence for each video that stopped before its end (once it has played)."""
        return [
            f"Slide {video.number} holds the last picture of the video “{video.name}” that "
            f"decoded, as the rest cannot be decoded ({video.frames.problem}); convert it to "
            "MP4 (H.264), insert it again in PowerPoint and import the deck again."
            for video in self._videos
            if video.frames.problem
        ]

    def close(self) -> None:
        for video in self._videos:
            video.frames.close()


def playing_videos(
    project: Project,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    frame: np.ndarray,
    narration: NarrationClip | Narration | None = None,
) -> tuple[PlayingVideos | None, list[str]]:
    """The videos that play on ``slide``, placed on its rendered ``frame`` (HxWx3 at the
    output size), each from when its deck starts it (by ``narration``'s cues and sentences),
    or None when none can; and one sentence for each that cannot."""
    videos: list[_Video] = []
    notes: list[str] = []
    number = timing.index + 1
    canvas = canvas_of(project.lecture, frame)
    times = clip_times(project.lecture, slide, timing, timeline, narration)
    for media, time in zip(slide.media, times, strict=True):
        if media.kind != "video" or media.seconds <= 0 or media.box is None:
            continue
        left = canvas.left + round(media.box.left * canvas.width)
        top = canvas.top + round(media.box.top * canvas.height)
        width = round(media.box.width * canvas.width)
        height = round(media.box.height * canvas.height)
        if width < 1 or height < 1:
            continue
        shown = (left, top, left + width, top + height)
        crop = media.crop
        if crop is not None and min(crop.width, crop.height) >= _SMALLEST_CROP:
            whole_w, whole_h = round(width / crop.width), round(height / crop.height)
            left -= round(crop.left * whole_w)
            top -= round(crop.top * whole_h)
            width, height = max(whole_w, 1), max(whole_h, 1)
        try:
            path = project.asset_path(media.asset)
        except (LectureStudioError, OSError) as exc:  # a missing asset: the project names it
            notes.append(_undecodable_video(number, media, str(exc).rstrip(".")))
            continue
        probe = probe_media(path)
        if not probe.video:
            notes.append(_undecodable_video(number, media, probe.video_problem))
            continue
        frames = VideoFrames(path, (width, height), media.start)
        box = (left, top, width, height)
        until = time.end if time.plays else max(timing.frames, time.end)
        videos.append(
            _Video(
                frames,
                box,
                shown,
                time,
                until,
                media.seconds,
                number,
                media.name,
                media.flip_h,
                media.flip_v,
            )
        )
    if not videos:
        return None, notes
    return PlayingVideos(videos, timeline.fps), notes


@dataclass(frozen=True)
class _Sound:
    path: Path
    start: float  # seconds into the file
    seconds: float  # one play
    at: int  # track sample where it starts
    length: int  # samples it plays, its plays one after another
    volume: float
    key: str  # what it is, for the sound cache
    name: str
    number: int  # its slide's


@dataclass(frozen=True)
class MediaSounds:
    """The sound of the clips on each slide of a timeline, to mix with the narration
    (``mixed``), and one sentence for each clip whose sound cannot be played: ``notes``
    before the export, ``problems`` for those found only while mixing."""

    sounds: dict[str, tuple[_Sound, ...]]
    notes: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)

    def mixed(self, track: AudioTrack, timeline: Timeline) -> AudioTrack:
        """``track`` (the narration, ``plan.audio_pieces``) with each slide's clips mixed in:
        one piece per slide that has sound, narration and clips together."""
        if not self.sounds:
            return track
        pieces: list[AudioPiece] = []
        remaining = list(track.pieces)
        for timing in timeline.slides:
            inside = [p for p in remaining if timing.start_sample <= p.start < timing.end_sample]
            sounds = self.sounds.get(timing.slide_id)
            if not sounds:
                pieces += inside
                continue
            voice = inside[0] if inside else None
            pieces += inside[1:]
            pieces.append(_mixed_piece(voice, sounds, timing, timeline.sample_rate, self.problems))
        pieces += [p for p in remaining if p.start >= timeline.total_samples]
        return AudioTrack(track.n_samples, tuple(sorted(pieces, key=lambda p: p.start)))


def media_sounds(
    project: Project,
    timeline: Timeline,
    narrations: Mapping[str, NarrationClip | Narration | None] | None = None,
) -> MediaSounds:
    """The sound of every clip on the slides of ``timeline`` that has sound to play, each
    from when its deck starts it (by the ``narrations``' cues and sentences)."""
    sounds: dict[str, tuple[_Sound, ...]] = {}
    notes: list[str] = []
    per_frame = timeline.samples_per_frame
    rate = timeline.sample_rate
    for timing in timeline.slides:
        slide = project.lecture.slide(timing.slide_id)
        found: list[_Sound] = []
        voice = narrations.get(slide.id) if narrations else None
        times = clip_times(project.lecture, slide, timing, timeline, voice)
        for media, time in zip(slide.media, times, strict=True):
            if media.seconds <= 0:
                continue
            at = timing.start_sample + time.first * per_frame
            one = round(media.seconds * rate)
            length = one * time.plays if time.plays else max(timing.end_sample - at, one)
            try:
                path = project.asset_path(media.asset)
            except (LectureStudioError, OSError) as exc:  # a missing asset: the project names it
                probe_problem, has_stream = str(exc).rstrip("."), True
                probe = None
            else:
                probe = probe_media(path)
                probe_problem, has_stream = probe.sound_problem, probe.sound_stream
            if probe is not None and probe.sound:
                key = f"{media.asset}:{media.start!r}:{media.seconds!r}:{length}:{media.volume!r}"
                number = timing.index + 1
                found.append(
                    _Sound(
                        path,
                        media.start,
                        media.seconds,
                        at,
                        length,
                        max(media.volume, 0.0),
                        key,
                        media.name,
                        number,
                    )
                )
            elif media.kind == "sound":
                notes.append(
                    f"Slide {timing.index + 1} plays without the sound “{media.name}”, which "
                    f"cannot be decoded ({probe_problem}); convert it to M4A or WAV, insert it "
                    "again in PowerPoint and import the deck again."
                )
            elif has_stream and probe is not None and probe.video:
                notes.append(
                    f"Slide {timing.index + 1} plays the video “{media.name}” without its "
                    f"sound, which cannot be decoded ({probe_problem}); convert the video to "
                    "MP4 (H.264 with AAC sound), insert it again in PowerPoint and import the "
                    "deck again."
                )
        if found:
            sounds[timing.slide_id] = tuple(found)
    return MediaSounds(sounds, tuple(notes))


def _mixed_piece(
    voice: AudioPiece | None,
    sounds: tuple[_Sound, ...],
    timing: SlideTiming,
    rate: int,
    problems: list[str],
) -> AudioPiece:
    """One piece holding the slide's narration (``voice``) and its clips' sound, which plays
    at the programme loudness and ``DUCK_DB`` under the voice while it speaks; cut at the
    slide's end. A clip whose sound fails to decode is left out, said in ``problems``."""
    starts = [sound.at for sound in sounds] + ([voice.start] if voice else [])
    ends = [sound.at + sound.length for sound in sounds]
    ends += [voice.end] if voice else []
    start, end = min(starts), min(max(ends), timing.end_sample)
    length = end - start
    key: str | None = None
    if voice is None or voice.key is not None:
        parts = [f"mix{_MIX_FORMAT}:{DUCK_DB}:{_DUCK_RAMP_SECONDS}:{LOUDNESS}:{length}"]
        if voice is not None:
            parts.append(f"voice:{voice.key}@{voice.start - start}+{voice.length}")
        parts += [f"sound:{sound.key}@{sound.at - start}" for sound in sounds]
        key = "|".join(parts)

    def load() -> np.ndarray:
        bed = np.zeros((length, 2), dtype=np.float32)
        for sound in sounds:
            offset = sound.at - start
            if offset >= length:
                continue
            try:
                decoded = decode_sound(sound.path, sound.start, sound.seconds, rate)
            except (av.FFmpegError, OSError, ValueError) as exc:
                problems.append(
                    f"Slide {sound.number} plays without the sound of “{sound.name}”, which "
                    f"cannot be decoded ({exc}); convert it to MP4 (H.264 with AAC sound) or "
                    "M4A, insert it again in PowerPoint and import the deck again."
                )
                continue
            samples = _at_loudness(decoded, rate, sound.volume / DECK_VOLUME)
            if len(samples) and sound.length > len(samples):  # it plays again and again
                samples = np.tile(samples, (-(-sound.length // len(samples)), 1))
            samples = samples[: sound.length]
            keep = min(len(samples), length - offset)
            bed[offset : offset + keep] += samples[:keep]
        if voice is None:
            return bed
        spoken = np.asarray(voice.load(), dtype=np.float32)
        if spoken.ndim == 1:
            spoken = np.repeat(spoken[:, None], 2, axis=1)
        lo = voice.start - start
        gain = _duck_gain(length, lo, lo + voice.length, rate)
        bed *= gain[:, None]
        mixed = bed.copy()
        hi = lo + voice.length
        mixed[lo:hi] += spoken
        _keep_under_ceiling(mixed[lo:hi], bed[lo:hi], spoken)
        return mixed

    return AudioPiece(start, length, load, key)


def _at_loudness(samples: np.ndarray, rate: int, volume: float = 1.0) -> np.ndarray:
    """``samples`` (n, 2) brought to the programme loudness, ``volume`` times that (an
    amplitude: 0.5 is 6 dB down), true peaks under the ceiling (a clip too peaky for both is
    kept under the ceiling, a little quieter)."""
    if volume <= 0:
        return np.zeros_like(samples)
    loudness = integrated_loudness(samples, rate)
    if not np.isfinite(loudness):
        return samples * np.float32(min(volume, 1.0))
    gain = 10 ** ((PROGRAMME_LOUDNESS - loudness) / 20) * volume
    peak_db = max(true_peak_dbtp(samples[:, 0]), true_peak_dbtp(samples[:, 1]))
    ceiling_db = LOUDNESS[1]
    if np.isfinite(peak_db) and 20 * math.log10(gain) + peak_db > ceiling_db:
        gain = 10 ** ((ceiling_db - peak_db) / 20)
    return samples * np.float32(gain)


def _duck_gain(length: int, voice_start: int, voice_end: int, rate: int) -> np.ndarray:
    """Per sample gain of the clips' sound: ``DUCK_DB`` down from ``voice_start`` to
    ``voice_end``, reached over ``_DUCK_RAMP_SECONDS`` before and left as long after."""
    low = np.float32(10 ** (-DUCK_DB / 20))
    ramp = max(1, round(_DUCK_RAMP_SECONDS * rate))
    positions = np.arange(length, dtype=np.float32)
    before = np.clip((voice_start - positions) / ramp, 0, 1)
    after = np.clip((positions - voice_end) / ramp, 0, 1)
    away = np.maximum(before, after)
    return (low + (1 - low) * away).astype(np.float32)


def _keep_under_ceiling(mixed: np.ndarray, under: np.ndarray, spoken: np.ndarray) -> None:
    """Where the voice (``spoken``) and the clips' sound (``under``) together (``mixed``, in
    place) would pass the ceiling, turn the clips' sound down (the voice is never changed)."""
    ceiling = np.float32(10 ** (LOUDNESS[1] / 20))
    if not len(mixed) or float(np.abs(mixed).max()) <= ceiling:
        return
    room = np.maximum(ceiling - np.abs(spoken), 0)
    size = np.abs(under)
    factor = float(np.min(np.where(size > 0, room / np.maximum(size, 1e-12), 1.0)))
    mixed -= under * np.float32(1 - min(factor, 1.0))


def late_media_notes(playing: list[PlayingVideos], sounds: MediaSounds) -> list[str]:
    """After an export, one sentence for each clip that could not be played to its end, and
    the videos' files closed."""
    notes = list(sounds.problems)
    for videos in playing:
        notes += videos.problems()
        videos.close()
    return notes

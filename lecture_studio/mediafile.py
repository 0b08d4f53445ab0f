"""Reading a video or sound file with PyAV: what it holds and how long it plays, its pictures
by time, scaled to a size, and its sound at the lecture's sample rate.

Used by the deck importer (to learn a clip's length) and by the export (to play it on its
slide). Any container and codec the FFmpeg inside PyAV reads will do. Pictures are decoded
forward, one at a time, by a few independent readers (the encoder asks for a clip's frames
from several threads, each in order from its own starting point), so memory stays at a few
pictures however long the clip is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

# Readers kept open per clip: one per encoder thread working on it, and a spare.
_READERS = 4
# A reader this far behind the time asked for is left for a new one that seeks there.
_FORWARD_LIMIT_SECONDS = 8.0
_PROBE_PACKETS = 400  # packets read at most to find a first decodable picture or sound


@dataclass(frozen=True)
class MediaProbe:
    """What a media file holds: its length in seconds (0 when unknown), whether it has a
    video and a sound stream, whether a picture and sound decode from them, and why not, in
    the decoder's words."""

    seconds: float = 0.0
    video: bool = False
    sound: bool = False
    video_problem: str = ""
    sound_problem: str = ""
    video_stream: bool = False
    sound_stream: bool = False


def probe_media(source: str | Path | BinaryIO) -> MediaProbe:
    """Open ``source`` (a file, or its bytes in a file object) and decode its first picture
    and its first sound; never raises for one that is not media (the problems say why)."""
    try:
        container = av.open(str(source) if isinstance(source, str | Path) else source)
    except (av.FFmpegError, OSError, ValueError) as exc:
        problem = _reason(exc)
        return MediaProbe(video_problem=problem, sound_problem=problem)
    with container:
        seconds = _length(container)
        video, video_problem = _first_decodes(container, "video")
        sound, sound_problem = _first_decodes(container, "audio")
        streams = bool(container.streams.video), bool(container.streams.audio)
    return MediaProbe(seconds, video, sound, video_problem, sound_problem, *streams)


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split()).rstrip(".")


def _length(container: av.container.InputContainer) -> float:
    """The longest stream's length: from the header, else from the last packet's time."""
    if container.duration:
        return max(container.duration / av.time_base, 0.0)
    longest = 0.0
    for stream in (*container.streams.video, *container.streams.audio):
        if stream.duration and stream.time_base:
            longest = max(longest, float(stream.duration * stream.time_base))
    if longest:
        return longest
    try:
        for packet in container.demux(*container.streams.video, *container.streams.audio):
            if packet.pts is not None and packet.time_base:
                end = packet.pts + (packet.duration or 0)
                longest = max(longest, float(end * packet.time_base))
        container.seek(0)
    except (av.FFmpegError, OSError, ValueError):
        pass
    return longest


def _first_decodes(container: av.container.InputContainer, kind: str) -> tuple[bool, str]:
    streams = container.streams.video if kind == "video" else container.streams.audio
    if not streams:
        return False, f"it has no {'pictures' if kind == 'video' else 'sound'}"
    stream = streams[0]
    try:
        container.seek(0)
        for count, packet in enumerate(container.demux(stream)):
            for _ in packet.decode():
                return True, ""
            if count >= _PROBE_PACKETS:
                break
    except (av.FFmpegError, OSError, ValueError) as exc:
        return False, _reason(exc)
    return False, "no picture decodes from it" if kind == "video" else "no sound decodes from it"


class VideoFrames:
    """A video's pictures by time, scaled to ``size`` (width, height) as HxWx3 uint8 RGB.

    ``at(t)`` gives the picture on screen ``t`` seconds after ``start`` seconds into the file
    (the first picture before it, the last one after the end). Safe to call from several
    threads; each keeps a reader going forward from where it left off. The same picture comes
    back as the same array for as long as it shows.
    """

    def __init__(self, path: str | Path, size: tuple[int, int], start: float = 0.0) -> None:
        if size[0] < 1 or size[1] < 1:
            raise ValueError(f"a video needs a size of at least 1x1 pixels, got {size}")
        self.path = str(path)
        self.size = size
        self.start = max(start, 0.0)
        self.problem = ""  # why the pictures stopped early, in the decoder's words
        self._lock = threading.Lock()
        self._idle: list[_Reader] = []
        self._uses = 0

    def at(self, t: float) -> np.ndarray:
        reader = self._reader_for(t)
        try:
            return reader.picture_at(t)
        finally:
            if reader.problem and not self.problem:
                self.problem = reader.problem
            with self._lock:
                self._uses += 1
                reader.last_use = self._uses
                self._idle.append(reader)
                while len(self._idle) > _READERS:
                    oldest = min(self._idle, key=lambda r: r.last_use)
                    self._idle.remove(oldest)
                    oldest.close()

    def close(self) -> None:
        with self._lock:
            readers, self._idle = self._idle, []
        for reader in readers:
            reader.close()

    def _reader_for(self, t: float) -> _Reader:
        with self._lock:
            usable = [
                r for r in self._idle if r.position <= t <= r.position + _FORWARD_LIMIT_SECONDS
            ]
            if usable:
                reader = max(usable, key=lambda r: r.position)
                self._idle.remove(reader)
                return reader
        return _Reader(self.path, self.size, self.start, t)


class _Reader:
    """One decoder going forward through a video from a point it sought to."""

    def __init__(self, path: str, size: tuple[int, int], start: float, t: float) -> None:
        self.size = size
        self.last_use = 0
        self.problem = ""
        self.position = -1.0  # clip time of the picture held (-1: none yet)
        self._container = av.open(path)
        self._stream = self._container.streams.video[0]
        base = self._stream.start_time
        time_base = self._stream.time_base or Fraction(1, 1)
        self._origin = float(base * time_base) if base is not None else 0.0
        self._origin += start
        self._count = 0
        self._rate = float(self._stream.average_rate or 25)
        if t > 0.5 or start > 0:
            target = int((self._origin + max(t, 0.0)) / time_base)
            try:
                self._container.seek(target, stream=self._stream, backward=True)
            except av.FFmpegError:
                self._container.seek(0)
        self._frames = self._container.decode(self._stream)
        self._held: av.VideoFrame | None = None
        self._held_picture: np.ndarray | None = None
        self._next = self._decoded()

    def _decoded(self) -> av.VideoFrame | None:
        try:
            frame = next(self._frames, None)
        except (av.FFmpegError, OSError, ValueError) as exc:
            self.problem = _reason(exc)
            return None
        if frame is not None:
            self._count += 1
        return frame

    def _time(self, frame: av.VideoFrame) -> float:
        seconds = frame.time
        if seconds is None:
            seconds = self._count / self._rate
        return seconds - self._origin

    def picture_at(self, t: float) -> np.ndarray:
        while self._next is not None and (self._held is None or self._time(self._next) <= t):
            self._held, self._held_picture = self._next, None
            self.position = self._time(self._held)
            self._next = self._decoded()
        if self._held is None:
            raise av.InvalidDataError(0, "no picture decodes from the video")
        if self._held_picture is None:
            width, height = self.size
            scaled = self._held.reformat(width=width, height=height, format="rgb24")
            self._held_picture = scaled.to_ndarray()
        self.position = max(self.position, min(t, self._time(self._held)))
        return self._held_picture

    def close(self) -> None:
        self._frames.close()
        self._container.close()


def decode_sound(path: str | Path, start: float, seconds: float, rate: int) -> np.ndarray:
    """``seconds`` of the file's sound from ``start`` seconds in, as (n, 2) float32 stereo at
    ``rate`` (silence where the file has none); raises ``av.FFmpegError`` when it cannot be
    read."""
    count = max(0, round(seconds * rate))
    out = np.zeros((count, 2), dtype=np.float32)
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return out
        stream = container.streams.audio[0]
        base = stream.start_time
        origin = float(base * stream.time_base) if base is not None and stream.time_base else 0.0
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        skip = round(start * rate)  # samples of the file before the part that plays
        position: int | None = None  # file sample of the next resampled sample
        for frame in container.decode(stream):
            if position is None:
                first = frame.time if frame.time is not None else origin
                position = round((first - origin) * rate)
            for piece in resampler.resample(frame):
                position = _place(out, piece.to_ndarray(), position, skip)
            if position - skip >= count:
                break
        else:
            for piece in resampler.resample(None):
                position = _place(out, piece.to_ndarray(), position or 0, skip)
    return out


def _place(out: np.ndarray, planar: np.ndarray, position: int, skip: int) -> int:
    """Copy ``planar`` (2, n), which starts at file sample ``position``, into ``out`` (which
    starts at file sample ``skip``); returns the position after it."""
    length = planar.shape[1]
    lo = max(position, skip)
    hi = min(position + length, skip + out.shape[0])
    if lo < hi:
        out[lo - skip : hi - skip] = planar[:, lo - position : hi - position].T
    return position + length

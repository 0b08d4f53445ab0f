"""Reads back what an MP4 really contains (box layout, codec settings, GOPs) to check exports.

The box tree is parsed here in pure Python (``struct``) because PyAV does not say where the
``moov`` box sits or whether an edit list exists; everything about the streams comes from PyAV
by demuxing packets, plus one decoded picture for the colour tags and scan type. Nothing here
decodes the whole video, so it stays fast on a long lecture.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc

# Boxes whose payload is a list of boxes (the ones on the way to every box we look for).
_CONTAINER_BOXES = {
    b"moov",
    b"trak",
    b"edts",
    b"mdia",
    b"minf",
    b"stbl",
    b"dinf",
    b"mvex",
    b"moof",
    b"traf",
    b"udta",
}


@dataclass(frozen=True)
class Mp4Box:
    """One box: its four-character type, where it starts in the file, its size, its children."""

    kind: str
    offset: int
    size: int
    children: tuple[Mp4Box, ...] = ()

    def find_all(self, kind: str) -> list[Mp4Box]:
        """Every box of ``kind`` below this one (depth first)."""
        found = []
        for child in self.children:
            if child.kind == kind:
                found.append(child)
            found.extend(child.find_all(kind))
        return found


@dataclass(frozen=True)
class VideoReport:
    """The video stream as a player sees it."""

    codec: str
    profile: str | None
    pix_fmt: str | None
    width: int
    height: int
    average_rate: Fraction | None
    base_rate: Fraction | None
    frame_count: int
    start_time: float
    duration: float
    frame_times: tuple[float, ...]  # presentation times in display order, seconds
    keyframe_indices: tuple[int, ...]  # display-order indices of key frames
    closed_gops: bool  # no picture after a key frame (decoding order) is shown before it
    b_frame_count: int  # packets shown before an earlier-decoded packet
    max_consecutive_b_frames: int
    interlaced: bool | None
    color_primaries: str | None
    color_trc: str | None
    colorspace: str | None
    color_range: str | None
    bit_rate: int | None

    @property
    def gop_lengths(self) -> tuple[int, ...]:
        """Frames from each key frame to the next (the last one to the end)."""
        bounds = [*self.keyframe_indices, self.frame_count]
        return tuple(b - a for a, b in zip(bounds, bounds[1:], strict=False))

    @property
    def frame_intervals(self) -> tuple[float, ...]:
        return tuple(b - a for a, b in zip(self.frame_times, self.frame_times[1:], strict=False))

    @property
    def is_constant_frame_rate(self) -> bool:
        """Every frame lasts the same time (to a microsecond) as 1 / average rate."""
        if not self.average_rate or not self.frame_times:
            return False
        step = 1 / float(self.average_rate)
        return all(abs(interval - step) < 1e-6 for interval in self.frame_intervals)


@dataclass(frozen=True)
class AudioReport:
    """The audio stream as a player sees it."""

    codec: str
    profile: str | None
    sample_rate: int
    channels: int
    bit_rate: int | None
    start_time: float
    duration: float
    packet_count: int


@dataclass(frozen=True)
class Mp4Report:
    """What an MP4 file holds: layout facts from its boxes and one report per stream kind."""

    path: Path
    top_level_boxes: tuple[str, ...]
    moov_before_mdat: bool
    edit_list_count: int
    duration: float
    video: VideoReport | None
    audio: AudioReport | None
    boxes: tuple[Mp4Box, ...] = field(repr=False, default=())

    @property
    def has_edit_list(self) -> bool:
        return self.edit_list_count > 0


def read_boxes(path: Path) -> tuple[Mp4Box, ...]:
    """The box tree of an MP4 file; media data boxes are skipped, not read."""
    with open(path, "rb") as file:
        file.seek(0, 2)
        end = file.tell()
        return tuple(_read_box_list(file, 0, end))


def _read_box_list(file, start: int, end: int) -> list[Mp4Box]:
    boxes = []
    offset = start
    while offset + 8 <= end:
        file.seek(offset)
        size, kind = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", file.read(8))
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise ValueError(f"{file.name}: box {kind!r} at byte {offset} has a bad size {size}")
        children: tuple[Mp4Box, ...] = ()
        if kind in _CONTAINER_BOXES:
            children = tuple(_read_box_list(file, offset + header, offset + size))
        boxes.append(Mp4Box(kind.decode("latin-1"), offset, size, children))
        offset += size
    return boxes


def inspect_mp4(path: Path) -> Mp4Report:
    """Report the layout and stream settings of the MP4 at ``path``."""
    path = Path(path)
    boxes = read_boxes(path)
    top = tuple(box.kind for box in boxes)
    edit_lists = sum(len(box.find_all("elst")) for box in boxes)
    moov_before_mdat = "moov" in top and "mdat" in top and top.index("moov") < top.index("mdat")

    with av.open(str(path)) as container:
        duration = (container.duration or 0) / av.time_base
        video = (
            _video_report(container, container.streams.video[0])
            if container.streams.video
            else None
        )
    with av.open(str(path)) as container:
        audio = (
            _audio_report(container, container.streams.audio[0])
            if container.streams.audio
            else None
        )

    return Mp4Report(
        path=path,
        top_level_boxes=top,
        moov_before_mdat=moov_before_mdat,
        edit_list_count=edit_lists,
        duration=duration,
        video=video,
        audio=audio,
        boxes=boxes,
    )


def decoded_rgb(path: Path) -> Iterator[np.ndarray]:
    """Each picture of the file's video in turn, decoded as BT.709 limited range to full-range
    RGB (one at a time: an hour of pictures never sits in memory)."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.reformat(
                format="rgb24",
                src_colorspace=Colorspace.ITU709,
                src_color_range=ColorRange.MPEG,
                dst_color_range=ColorRange.JPEG,
            ).to_ndarray()


def _seconds(value: int | None, time_base: Fraction | None) -> float:
    if value is None or time_base is None:
        return 0.0
    return float(value * time_base)


def _video_report(container: av.container.InputContainer, stream: av.VideoStream) -> VideoReport:
    time_base = stream.time_base
    decode_order: list[tuple[int, bool]] = []  # (pts, is key frame)
    end_pts = None
    for packet in container.demux(stream):
        if packet.size == 0 or packet.pts is None:
            continue
        decode_order.append((packet.pts, packet.is_keyframe))
        packet_end = packet.pts + (packet.duration or 0)
        end_pts = packet_end if end_pts is None else max(end_pts, packet_end)

    # B-frames: shown before a picture that was decoded earlier.
    b_flags = []
    latest_shown = None
    for pts, _key in decode_order:
        b_flags.append(latest_shown is not None and pts < latest_shown)
        latest_shown = pts if latest_shown is None else max(latest_shown, pts)
    longest = run = 0
    for is_b in b_flags:
        run = run + 1 if is_b else 0
        longest = max(longest, run)

    # Closed GOP: nothing decoded after a key frame is shown before it.
    closed = True
    key_pts = None
    for pts, key in decode_order:
        if key:
            key_pts = pts
        elif key_pts is not None and pts < key_pts:
            closed = False

    display = sorted(decode_order)
    start_pts = display[0][0] if display else 0
    keyframes = tuple(i for i, (_pts, key) in enumerate(display) if key)
    frame_times = tuple(_seconds(pts, time_base) for pts, _key in display)
    start_time = (
        _seconds(stream.start_time, time_base)
        if stream.start_time is not None
        else (_seconds(start_pts, time_base))
    )
    duration = _seconds(end_pts - start_pts, time_base) if end_pts is not None else 0.0

    first = _first_frame(container, stream)
    codec = stream.codec_context
    return VideoReport(
        codec=codec.name,
        profile=codec.profile,
        pix_fmt=codec.pix_fmt,
        width=codec.width,
        height=codec.height,
        average_rate=stream.average_rate,
        base_rate=stream.base_rate,
        frame_count=len(decode_order),
        start_time=start_time,
        duration=duration,
        frame_times=frame_times,
        keyframe_indices=keyframes,
        closed_gops=closed,
        b_frame_count=sum(b_flags),
        max_consecutive_b_frames=longest,
        interlaced=None if first is None else bool(first.interlaced_frame),
        color_primaries=_enum_name(ColorPrimaries, _tag(first, codec, "color_primaries")),
        color_trc=_enum_name(ColorTrc, _tag(first, codec, "color_trc")),
        colorspace=_enum_name(Colorspace, _tag(first, codec, "colorspace")),
        color_range={1: "tv", 2: "pc"}.get(_tag(first, codec, "color_range")),
        bit_rate=stream.bit_rate or codec.bit_rate or None,
    )


def _first_frame(container: av.container.InputContainer, stream: av.VideoStream):
    container.seek(0, stream=stream)
    for frame in container.decode(stream):
        return frame
    return None


def _tag(frame, codec, name: str) -> int:
    """A colour tag as the decoder reports it on a picture, else as the stream header says."""
    value = getattr(frame, name, 0) if frame is not None else 0
    return value or getattr(codec, name, 0) or 0


def _enum_name(enum_type, value: int) -> str | None:
    if not value or value == 2:  # 0 reserved / 2 unspecified in every ITU-T H.273 table
        return None
    try:
        name = enum_type(value).name.lower()
    except ValueError:
        return str(value)
    return {"itu709": "bt709", "itu601": "bt601"}.get(name, name)


def _audio_report(container: av.container.InputContainer, stream: av.AudioStream) -> AudioReport:
    time_base = stream.time_base
    count = 0
    first_pts = end_pts = None
    for packet in container.demux(stream):
        if packet.size == 0 or packet.pts is None:
            continue
        count += 1
        first_pts = packet.pts if first_pts is None else min(first_pts, packet.pts)
        packet_end = packet.pts + (packet.duration or 0)
        end_pts = packet_end if end_pts is None else max(end_pts, packet_end)
    codec = stream.codec_context
    start_time = _seconds(
        stream.start_time if stream.start_time is not None else first_pts, time_base
    )
    duration = _seconds(end_pts - first_pts, time_base) if end_pts is not None else 0.0
    return AudioReport(
        codec=codec.name,
        profile=codec.profile,
        sample_rate=codec.sample_rate,
        channels=codec.channels,
        bit_rate=stream.bit_rate or codec.bit_rate or None,
        start_time=start_time,
        duration=duration,
        packet_count=count,
    )


def subtitle_spans(path: Path) -> list[tuple[float, float]]:
    """(start, end) in seconds of every cue of a subtitle file (.srt, .vtt) as FFmpeg reads it."""
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        return [
            (float(p.pts * p.time_base), float((p.pts + p.duration) * p.time_base))
            for p in container.demux(stream)
            if p.pts is not None
        ]

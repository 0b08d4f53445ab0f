"""The MP4 writer: H.264 High + AAC-LC in YouTube's recommended upload settings, fast on stills.

A lecture is mostly still pictures. Re-encoding the same picture 30 times a second wastes almost
all of the export time, so a still segment is encoded as ONE closed GOP of its picture, and that
GOP's packets are muxed again and again with new timestamps. This is valid H.264 because every
GOP starts with an IDR picture, references nothing outside itself, and every encoder we open has
the same settings, so the sequence and picture parameter sets (the stream's extradata) are the
same for all of them (checked for each encoder). A still segment's last, shorter GOP is cut from
the full one where its first frames decode on their own (x264's fixed B-frame pattern makes
that every third length), and the segment's GOP lengths are chosen so that it can be.

Everything else is encoded in closed GOPs too, so the work is split into independent pieces
(a still picture's GOP, a crossfade, a few GOPs of motion), each with an encoder of its own on
one thread, run side by side on a pool of worker threads (x264's own threads gain nothing on
15-frame GOPs) while the main thread muxes the results in order. Crossfades between stills are
blended in YUV from pictures converted once. A piece is a plain value and ``encode_piece`` a
function of it and the stream's settings alone, so the pool may be another process's: a batch
on Ray (``lecture_studio.cluster``) runs the same function on its workers.

Pieces are kept in an on-disk packet cache under a key of the picture(s) and the settings, so a
re-export encodes only the pictures and crossfades that changed, wherever they now fall in the
lecture; the sound is cached the same way, island by island (``aac``).

Decode timestamps are stamped here rather than taken from each encoder: the whole stream is one
sequence of packets in decoding order, so packet ``k`` gets ``dts = k - B_FRAMES``, which is
continuous across GOPs of any length and never after its presentation time. The file has no edit
list: the MP4 muxer runs with ``use_editlist=0`` and ``negative_cts_offsets``, which keeps the
first picture at t=0 despite the B-frame delay.
"""

from __future__ import annotations

import collections
import errno
import functools
import hashlib
import math
import os
import stat
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.codec.context import Flags as CodecFlags
from av.video.frame import PictureType
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc, Interpolation

from ..errors import ExportError
from ..jobs import CancelToken, ProgressCallback, no_progress
from .aac import (
    AAC_PRIMING,
    AUDIO_CHANNELS,
    SAMPLE_RATE,
    AudioEncoder,
    AudioPiece,
    AudioTrack,
    configure_aac,
)
from .packets import PacketCache, StoredPacket, digest
from .presets import PRESETS

__all__ = [
    "AAC_PRIMING",
    "AUDIO_CHANNELS",
    "SAMPLE_RATE",
    "AudioPiece",
    "AudioTrack",
    "BlendSegment",
    "EncodeStats",
    "MotionSegment",
    "Segment",
    "StillSegment",
    "VideoSettings",
    "encode_mp4",
    "gop_lengths",
    "still_gop_lengths",
    "total_frames",
]

FRAME_RATES = (24, 25, 30, 50, 60)
B_FRAMES = 2
# x264 presets that still give High profile (ultrafast turns off CABAC and 8x8dct).
X264_PRESETS = (
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)
# The muxer interleaves within 10 s (max_interleave_delta); the video waits for audio beyond this.
_AUDIO_MAX_LAG_SECONDS = 4.0
# A repeated still GOP over the bitrate cap is encoded again with x264's qpmin at this value,
# then 4 higher on each new try.
_FIRST_MIN_QP_OVER_CAP = 24
# Pictures whose YUV planes and encoded GOPs are kept in memory for reuse while they are in use
# (a slide's still and the crossfades on either side of it).
_PICTURES_KEPT = 8
# Motion is cut into pieces of this many GOPs, encoded side by side.
_MOTION_GOPS_PER_PIECE = 4
# Pieces in flight per worker thread: enough to keep the workers busy while the main thread
# muxes, few enough to bound memory.
_PIECES_AHEAD_PER_WORKER = 3
# Bump when what the video encoders produce changes: cached GOPs then miss.
_VIDEO_FORMAT = "2"
# A crossfade has no motion to search for: full-pixel search only, and no deblocking (at crf 18
# it smooths nothing visible). 20% faster, as close to the source (47.9 dB against 47.7 dB).
# Nor adaptive quantization or sub-partitions: 8% faster again, none of them change the stream
# headers, and the blend is as close (67 dB against 63 dB on the Y/U/V planes of a test fade).
_CROSSFADE_TUNING = "subme=0:me=dia:no-deblock=1:aq-mode=0:partitions=none"
# And at a constant quantizer, the crf's (x264 then writes the same stream headers): no rate
# control analysis of each frame, 11% fewer instructions for a crossfade (callgrind), as close
# to the source. A crossfade whose frames would overflow the bitrate cap's buffer is encoded
# again with the crf and the cap, as everything else is.
_CROSSFADE_RATE = "constant quantizer unless over the cap"


def default_workers() -> int:
    """Encoder threads: one per core (each x264 encoder runs single threaded), at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class VideoSettings:
    """How the MP4 is encoded. ``preset`` names the YouTube size class whose bitrate cap applies."""

    width: int
    height: int
    fps: int = 30
    preset: str = "1080p"
    crf: float = 18.0
    audio_bitrate: int = 384_000
    # superfast gives the same SPS/PPS as veryfast (High profile, CABAC, 8x8 transform, one
    # reference) at about half the time per motion frame; checked for every encoder.
    x264_preset: str = "superfast"

    def __post_init__(self) -> None:
        if self.fps not in FRAME_RATES:
            raise ValueError(f"frame rate {self.fps} is not one of {FRAME_RATES}")
        if self.preset not in PRESETS:
            raise ValueError(f"size preset {self.preset!r} is not one of {list(PRESETS)}")
        if self.x264_preset not in X264_PRESETS:
            raise ValueError(
                f"x264 preset {self.x264_preset!r} is not one of {X264_PRESETS} "
                "(ultrafast cannot give High profile)"
            )
        if self.width < 16 or self.height < 16 or self.width % 2 or self.height % 2:
            raise ValueError(f"video size {self.width}x{self.height} must be even and >= 16")
        if not 0 <= self.crf <= 51:
            raise ValueError(f"crf {self.crf} is outside 0..51")
        if self.audio_bitrate <= 0:
            raise ValueError(f"audio bitrate {self.audio_bitrate} must be positive")

    @classmethod
    def from_preset(cls, name: str = "1080p", fps: int = 30, **overrides: object) -> VideoSettings:
        """Settings for a YouTube size class: "720p", "1080p", "1440p" or "2160p"."""
        if name not in PRESETS:
            raise ValueError(f"size preset {name!r} is not one of {list(PRESETS)}")
        size = PRESETS[name]
        return cls(width=size.width, height=size.height, fps=fps, preset=name, **overrides)

    @property
    def gop_frames(self) -> int:
        """Frames per closed GOP: half the frame rate (YouTube's recommendation)."""
        return self.fps // 2

    @property
    def max_bitrate(self) -> int:
        """The VBV cap in bits per second."""
        return PRESETS[self.preset].max_bitrate

    @property
    def frame_time_base(self) -> Fraction:
        return Fraction(1, self.fps)


@dataclass(frozen=True)
class StillSegment:
    """The same picture for ``frames`` frames (HxWx3 uint8 RGB at the output size)."""

    image: np.ndarray
    frames: int


@dataclass(frozen=True)
class MotionSegment:
    """Frames computed on the fly: ``render(i)`` gives frame ``i`` of the segment as HxWx3 RGB."""

    frames: int
    render: Callable[[int], np.ndarray]


@dataclass(frozen=True)
class BlendSegment:
    """A crossfade between two pictures: frame ``i`` is ``first`` blended toward ``second`` by
    ``weights[i]`` (0 = first, 1 = second), to 1/256.

    Blended in YUV: each picture is converted once and the frames are mixed plane by plane,
    half the work of an RGB blend and no per-frame colour conversion. The result matches
    blending in RGB and converting to within rounding (the conversion is linear).
    """

    first: np.ndarray
    second: np.ndarray
    weights: tuple[float, ...]

    @property
    def frames(self) -> int:
        return len(self.weights)


Segment = StillSegment | MotionSegment | BlendSegment


def total_frames(segments: Iterable[Segment]) -> int:
    """How many video frames the segments make."""
    return sum(segment.frames for segment in segments)


def gop_lengths(frames: int, gop: int) -> list[int]:
    """How a segment of ``frames`` frames is cut into closed GOPs of at most ``gop`` frames.

    Full GOPs, then the rest; a rest of one frame would put two IDR pictures back to back,
    which separate encoders would give the same ``idr_pic_id`` (H.264 7.4.3 forbids that), so
    the last full GOP and that frame become two halves instead.
    """
    full, rest = divmod(frames, gop)
    if rest == 1 and full >= 1:
        return [gop] * (full - 1) + [(gop + 2) // 2, (gop + 1) // 2]
    return [gop] * full + ([rest] if rest else [])


def still_gop_lengths(frames: int, gop: int, whole: Iterable[int]) -> list[int] | None:
    """GOP lengths for a still segment of ``frames`` frames using only lengths in ``whole``
    (the prefixes of a full GOP that decode on their own, the full length among them), with
    at most one GOP more than ``gop_lengths`` gives; None when there is no such cut.

    Full GOPs first, the shorter ones last; the fewest GOPs (each starts with an IDR picture).
    """
    allowed = sorted({n for n in whole if 2 <= n <= gop} | ({frames} if frames == 1 else set()))
    limit = len(gop_lengths(frames, gop)) + 1
    best: list[int] | None = None
    for extra_full in range(3):  # the rest, plus up to two full GOPs, cut differently
        rest = frames % gop + extra_full * gop
        full = frames // gop - extra_full
        if full < 0:
            break
        cut = _fewest_parts(rest, allowed)
        if cut is not None and (best is None or full + len(cut) < len(best)):
            best = [gop] * full + sorted(cut, reverse=True)
    return best if best is not None and len(best) <= limit else None


def _fewest_parts(total: int, parts: list[int]) -> list[int] | None:
    """``total`` as a sum of the fewest ``parts`` (repeats allowed); [] for 0, None if none."""
    fewest: list[list[int] | None] = [[]] + [None] * total
    for amount in range(1, total + 1):
        for part in parts:
            before = fewest[amount - part] if part <= amount else None
            if before is not None and (
                fewest[amount] is None or len(before) + 1 < len(fewest[amount])
            ):
                fewest[amount] = [*before, part]
    return fewest[total]


@dataclass
class EncodeStats:
    """What an encode did and what it took from the cache, in frames and audio samples."""

    frames_encoded: int = 0  # frames that went through x264
    frames_from_cache: int = 0  # frames whose GOP came from the on-disk cache
    frames_repeated: int = 0  # frames muxed again from a GOP encoded or read once
    audio_samples_encoded: int = 0
    audio_samples_from_cache: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def __getstate__(self) -> dict[str, object]:  # pickled without its lock (``cluster``)
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _lock=threading.Lock())


def encode_mp4(
    path: Path,
    segments: Iterable[Segment],
    audio: np.ndarray | AudioTrack,
    settings: VideoSettings,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    *,
    frames: int | None = None,
    cache: PacketCache | None = None,
    workers: int | None = None,
    pool: Executor | None = None,
    island_pool: Executor | None = None,
) -> EncodeStats:
    """Write ``segments`` and ``audio`` as an MP4 at ``path``; say what was encoded.

    ``segments`` may be produced lazily (a generator), so only the pictures in use are in
    memory; then ``frames``, their total, must be given. ``audio`` is float32 of shape (n, 2)
    at 48 kHz, or an ``AudioTrack`` of pieces loaded when their turn comes. ``cache`` keeps
    encoded pieces for the next export (none by default). ``workers``: encoder threads.
    ``pool``: encoder threads shared with other encodes running at the same time (a batch of
    lectures keeps every core busy with one pool, ``workers`` then being its size); None: a
    pool of ``workers`` threads of this encode's own. Which thread encodes a piece does not
    change the file. ``island_pool``: where the sound's AAC islands are encoded
    (``encode_island``; a batch on Ray passes one whose islands are Ray tasks); None: on two
    threads of this encode's own. Nor does where an island is encoded change the file.

    Raises ValueError for inputs that break the contract (sizes, lengths), ExportError when the
    file cannot be written, Cancelled when ``cancel`` fires. On any failure the partial file is
    closed and deleted.
    """
    path = Path(path)
    if frames is None:
        if not isinstance(segments, Sequence):
            raise ValueError("give the total frame count when the segments come one by one")
        frames = total_frames(segments)
    if frames < 1:
        raise ValueError("there are no segments to encode")
    track = _checked_audio(audio, frames, settings.fps)

    try:
        container = av.open(
            str(path),
            mode="w",
            format="mp4",
            container_options={
                "movflags": "+faststart+negative_cts_offsets",
                "use_editlist": "0",
            },
        )
    except OSError as error:
        raise _export_error(path, error) from error

    writer = None
    try:
        writer = _Mp4Writer(
            container,
            settings,
            track,
            cache or PacketCache(None),
            workers or default_workers(),
            pool,
            island_pool,
        )
        writer.write(segments, frames, progress, cancel)
        container.close()
    except BaseException as error:
        _close_quietly(container)
        _remove_partial(path)
        if isinstance(error, OSError):
            raise _export_error(path, error) from error
        raise
    progress(1.0, "Video written")
    return writer.stats


def _check_segment(segment: object, index: int, settings: VideoSettings) -> None:
    if not isinstance(segment, StillSegment | MotionSegment | BlendSegment):
        raise ValueError(f"segment {index} is a {type(segment).__name__}, not a segment")
    if segment.frames < 1:
        raise ValueError(f"segment {index} has {segment.frames} frames; it needs at least 1")
    if isinstance(segment, StillSegment):
        _check_picture(segment.image, settings, f"segment {index}")
    if isinstance(segment, BlendSegment):
        _check_picture(segment.first, settings, f"segment {index}, first picture")
        _check_picture(segment.second, settings, f"segment {index}, second picture")
        if not all(0.0 <= weight <= 1.0 for weight in segment.weights):
            raise ValueError(f"segment {index} has blend weights outside 0..1")


def _check_picture(image: np.ndarray, settings: VideoSettings, where: str) -> None:
    expected = (settings.height, settings.width, 3)
    if not isinstance(image, np.ndarray) or image.shape != expected or image.dtype != np.uint8:
        shape = getattr(image, "shape", None)
        dtype = getattr(image, "dtype", None)
        raise ValueError(
            f"{where}: picture is {shape} {dtype}, expected {expected} uint8 RGB at the output size"
        )


def _checked_audio(audio: np.ndarray | AudioTrack, n_frames: int, fps: int) -> AudioTrack:
    if isinstance(audio, np.ndarray):
        audio = AudioTrack.from_array(audio)
    elif not isinstance(audio, AudioTrack):
        raise ValueError(f"audio is a {type(audio).__name__}, expected an array or AudioTrack")
    audio_frames = audio.n_samples * fps / SAMPLE_RATE
    if abs(audio_frames - n_frames) > 1:
        raise ValueError(
            f"the video has {n_frames} frames but the audio lasts {audio_frames:.2f} frames "
            f"({audio.n_samples} samples at {SAMPLE_RATE} Hz, {fps} fps)"
        )
    return audio


def _export_error(path: Path, error: OSError) -> ExportError:
    folder = path.parent if str(path.parent) else Path(".")
    if error.errno == errno.ENOSPC:
        return ExportError(
            f"The video could not be written because the disk holding {folder} is full; "
            "free some space or choose another folder."
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"The video could not be written because the folder {folder} is not writable; "
            "choose another folder."
        )
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return ExportError(
            f"The video could not be written because the folder {folder} does not exist; "
            "choose an existing folder."
        )
    reason = error.strerror or str(error)
    return ExportError(
        f"The video could not be written to the folder {folder} ({reason}); "
        "check the folder and try again."
    )


def _close_quietly(container: av.container.OutputContainer) -> None:
    try:
        container.close()
    except Exception:  # noqa: BLE001 - already failing; the partial file is deleted next
        pass


def _remove_partial(path: Path) -> None:
    """Delete what we wrote at ``path``, but never a device or anything that is not a file."""
    try:
        if stat.S_ISREG(path.lstat().st_mode):
            path.unlink()
    except OSError:
        pass


def _open_h264(
    settings: VideoSettings,
    codec: av.CodecContext | None = None,
    min_qp: int | None = None,
    tuning: str = "",
) -> av.CodecContext:
    """Configure (and open, when we create it) an x264 encoder; every one is set up alike.

    ``min_qp`` coarsens the quality without touching the stream headers (a different crf would
    change the picture parameter set, which must stay the same for every encoder); ``tuning``
    adds x264 options that leave the headers alone too (checked for every encoder).
    """
    own = codec is None
    if codec is None:
        codec = av.CodecContext.create("libx264", "w")
    gop = settings.gop_frames
    cap_kbit = settings.max_bitrate // 1000
    codec.width = settings.width
    codec.height = settings.height
    codec.pix_fmt = "yuv420p"
    codec.time_base = settings.frame_time_base
    codec.framerate = Fraction(settings.fps)
    codec.gop_size = gop
    codec.max_b_frames = B_FRAMES
    codec.thread_count = 1  # encoders run side by side, one thread each
    codec.color_range = ColorRange.MPEG
    codec.color_primaries = ColorPrimaries.BT709
    codec.color_trc = ColorTrc.BT709
    codec.colorspace = Colorspace.ITU709
    codec.flags |= CodecFlags.global_header | CodecFlags.closed_gop
    codec.options = {
        "preset": settings.x264_preset,
        "profile": "high",
        "forced-idr": "1",  # a picture we mark as I starts a new closed GOP
        "crf": f"{settings.crf:g}",
        "x264-params": (
            f"keyint={gop}:min-keyint={gop}:scenecut=0:open-gop=0:"
            f"bframes={B_FRAMES}:b-adapt=0:"
            f"vbv-maxrate={cap_kbit}:vbv-bufsize={cap_kbit}"
            + ("" if min_qp is None else f":qpmin={min_qp}")
            + (f":{tuning}" if tuning else "")
        ),
    }
    if own:
        codec.open()
    return codec


def _tagged(frame: av.VideoFrame) -> av.VideoFrame:
    frame.colorspace = Colorspace.ITU709
    frame.color_range = ColorRange.MPEG
    frame.color_primaries = ColorPrimaries.BT709
    frame.color_trc = ColorTrc.BT709
    return frame


class _PlaneBlend:
    """The frames of a crossfade between two pictures' yuv420p plane arrays, one at a time.

    ``frame(weight)`` is ``first + ((change * w + 64) >> 7)`` with ``w = round(128 * weight)``
    and ``change = second - first``: the blend in 128 steps, rounded to nearest. 16-bit
    arithmetic is exact here (|change * w| <= 255 * 128) and the result lies between the two
    pictures, so within 0..255.

    Only the boxes where the two pictures differ are mixed (on a slide, its text: about a
    third of the frame); elsewhere the buffer every frame is mixed into keeps the first
    picture. x264 copies a picture as it takes it, so one buffer serves the whole crossfade:
    no frame-sized temporaries (each a fresh allocation whose pages the kernel zeroes) and no
    copy into a new frame, 15% less time for a crossfade, the same packets. So a frame is
    valid until the next one is asked for.
    """

    _ROW_GAP = 8  # rows of difference this close share one box: fewer, larger boxes

    def __init__(self, first: np.ndarray, second: np.ndarray) -> None:
        self._mix = np.array(first, dtype=np.uint8, order="C")
        self._boxes: list[tuple[tuple[slice, slice], np.ndarray, np.ndarray]] = []
        differs = first != second
        rows = np.flatnonzero(differs.any(axis=1))
        if not rows.size:
            return
        for run in np.split(rows, np.flatnonzero(np.diff(rows) > self._ROW_GAP) + 1):
            top, bottom = int(run[0]), int(run[-1]) + 1
            columns = np.flatnonzero(differs[top:bottom].any(axis=0))
            box = (slice(top, bottom), slice(int(columns[0]), int(columns[-1]) + 1))
            base = first[box].astype(np.int16)
            change = second[box].astype(np.int16)
            change -= base
            self._boxes.append((box, base, change))

    def frame(self, weight: float) -> av.VideoFrame:
        """The picture ``weight`` of the way (0: first, 1: second) as a yuv420p frame."""
        w = np.int16(min(max(round(weight * 128), 0), 128))
        for box, base, change in self._boxes:
            total = change * w
            total += 64
            total >>= 7
            total += base
            self._mix[box] = total
        return _frame_over(self._mix)


def _frame_over(planes: np.ndarray) -> av.VideoFrame:
    """A tagged yuv420p frame over ``planes`` (one C-contiguous array, as ``to_ndarray`` gives)
    sharing its memory; a copy where PyAV cannot wrap it (a height not a multiple of 4)."""
    if planes.shape[0] % 6 == 0:
        return _tagged(av.VideoFrame.from_numpy_buffer(planes, format="yuv420p"))
    return _tagged(av.VideoFrame.from_ndarray(planes, format="yuv420p"))


def _rgb_to_yuv(image: np.ndarray) -> av.VideoFrame:
    """One RGB picture as a BT.709 limited-range yuv420p frame, tagged as such."""
    frame = av.VideoFrame.from_numpy_buffer(np.ascontiguousarray(image), format="rgb24").reformat(
        format="yuv420p",
        src_colorspace=Colorspace.ITU709,
        dst_colorspace=Colorspace.ITU709,
        src_color_range=ColorRange.JPEG,
        dst_color_range=ColorRange.MPEG,
        # swscale's default (bilinear) blurs chroma edges: 40 dB against 47.6 dB for coloured
        # shapes on a slide after RGB -> yuv420p -> RGB.
        interpolation=Interpolation.AREA,
    )
    return _tagged(frame)


@dataclass(frozen=True)
class _Gop:
    """One encoded closed GOP: its packets in decoding order and their frame index in the GOP."""

    packets: tuple[av.Packet, ...]
    frame_indices: tuple[int, ...]

    @property
    def length(self) -> int:
        return len(self.packets)

    @property
    def size_bits(self) -> int:
        return 8 * sum(packet.size for packet in self.packets)

    def prefix(self, length: int) -> _Gop | None:
        """The first ``length`` frames as a GOP of their own, when they decode without the rest.

        That holds when the first ``length`` packets in decoding order are exactly frames
        0..length-1: a picture only references pictures decoded before it.
        """
        if sorted(self.frame_indices[:length]) != list(range(length)):
            return None
        return _Gop(self.packets[:length], self.frame_indices[:length])

    def whole_prefixes(self) -> list[int]:
        """Every length whose prefix decodes on its own (the full length included)."""
        seen, out = -1, []
        for count, index in enumerate(self.frame_indices, start=1):
            seen = max(seen, index)
            if seen == count - 1:
                out.append(count)
        return out

    def stored(self) -> list[StoredPacket]:
        return [
            StoredPacket(bytes(p), i, bool(p.is_keyframe))
            for p, i in zip(self.packets, self.frame_indices, strict=True)
        ]

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return _gop_from_stored, (self.stored(),)

    @classmethod
    def from_stored(cls, stored: list[StoredPacket]) -> _Gop:
        packets = []
        for entry in stored:
            packet = av.Packet(entry.data)
            packet.is_keyframe = entry.keyframe
            packets.append(packet)
        return cls(tuple(packets), tuple(entry.index for entry in stored))


def _gop_from_stored(stored: list[StoredPacket]) -> _Gop:
    return _Gop.from_stored(stored)


def _decode(extradata: bytes, gop: _Gop) -> list[np.ndarray]:
    """The GOP's pictures decoded, in presentation order, as yuv420p plane arrays."""
    decoder = av.CodecContext.create("h264", "r")
    decoder.extradata = extradata
    frames = []
    for decode_index, (packet, index) in enumerate(
        zip(gop.packets, gop.frame_indices, strict=True)
    ):
        copy = av.Packet(bytes(packet))
        copy.pts, copy.dts = index, decode_index - B_FRAMES
        frames += decoder.decode(copy)
    frames += decoder.decode(None)
    return [frame.to_ndarray() for frame in frames]


class _Shared:
    """Values made once by whichever thread first asks, kept for the most recent ``size`` keys.

    A second thread asking for a key being made waits for it instead of making it again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._values: collections.OrderedDict[object, Future] = collections.OrderedDict()

    def get(self, key: object, make: Callable[[], object]) -> object:
        with self._lock:
            future = self._values.get(key)
            mine = future is None
            if mine:
                future = self._values[key] = Future()
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
            else:
                self._values.move_to_end(key)
        if mine:
            try:
                future.set_result(make())
            except BaseException as error:
                with self._lock:
                    if self._values.get(key) is future:
                        del self._values[key]
                future.set_exception(error)
        return future.result()


class _Mp4Writer:
    """Muxes GOPs and audio into one container in time order; encodes on a pool of threads."""

    def __init__(
        self,
        container: av.container.OutputContainer,
        settings: VideoSettings,
        audio: AudioTrack,
        cache: PacketCache,
        workers: int,
        pool: Executor | None = None,
        island_pool: Executor | None = None,
    ) -> None:
        self.container = container
        self.shared_pool = pool
        self.settings = settings
        self.time_base = settings.frame_time_base
        self.cache = cache
        self.workers = workers
        self.stats = EncodeStats()

        self.video_stream = container.add_stream("libx264", rate=settings.fps)
        _open_h264(settings, self.video_stream.codec_context)
        self.video_stream.time_base = self.time_base

        self.audio_stream = container.add_stream("aac", rate=SAMPLE_RATE)
        configure_aac(self.audio_stream.codec_context, settings.audio_bitrate)
        self.audio_stream.time_base = Fraction(1, SAMPLE_RATE)

        container.start_encoding()  # opens the stream codecs: extradata is now known
        self.extradata = bytes(self.video_stream.codec_context.extradata or b"")
        self.video_key = digest(
            "video",
            _VIDEO_FORMAT,
            repr(settings),
            av.__version__,
            repr(av.library_versions.get("libavcodec")),
            self.extradata,
        )
        self.frames_written = 0  # presentation index of the next frame
        self.packets_written = 0  # decoding index of the next video packet
        self.audio = AudioEncoder(
            audio,
            settings.audio_bitrate,
            bytes(self.audio_stream.codec_context.extradata or b""),
            cache,
            island_pool,
        )
        self.pieces = PieceEncoder(settings, self.extradata, self.video_key, cache)

    # -- whole job -------------------------------------------------------------------------

    def write(
        self,
        segments: Iterable[Segment],
        n_frames: int,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        self.audio.start()
        ahead = self.workers * _PIECES_AHEAD_PER_WORKER
        pending: collections.deque[Future[EncodedPiece]] = collections.deque()
        pool = self.shared_pool or ThreadPoolExecutor(self.workers, thread_name_prefix="x264")
        try:
            for index, segment in enumerate(segments):
                _check_segment(segment, index, self.settings)
                for piece in self._pieces(segment, index):
                    pending.append(pool.submit(encode_piece, self.pieces, piece))
                    while len(pending) >= ahead:
                        self._mux_gops(pending.popleft().result(), progress, cancel, n_frames)
            while pending:
                self._mux_gops(pending.popleft().result(), progress, cancel, n_frames)
            if self.frames_written != n_frames:
                raise ValueError(
                    f"the segments make {self.frames_written} frames, not the {n_frames} announced"
                )
            progress(0.99, "Encoding audio")
            self._mux_audio_until(None)
            self.stats.add(
                audio_samples_encoded=self.audio.encoded_samples,
                audio_samples_from_cache=self.audio.cached_samples,
            )
        finally:
            for future in pending:
                future.cancel()
            if pool is self.shared_pool:  # others' pieces go on; ours end before we return
                wait_for(pending)
            else:
                pool.shutdown(wait=True, cancel_futures=True)
            self.audio.stop()

    def _mux_gops(
        self,
        piece: EncodedPiece,
        progress: ProgressCallback,
        cancel: CancelToken | None,
        n_frames: int,
    ) -> None:
        self.stats.add(
            frames_encoded=piece.frames_encoded,
            frames_from_cache=piece.frames_from_cache,
            frames_repeated=piece.frames_repeated,
        )
        for gop in piece.gops:
            if cancel is not None:
                cancel.check()
            self._mux_gop(gop)
        progress(0.99 * self.frames_written / n_frames, "Encoding video")

    def _pieces(self, segment: Segment, index: int) -> list[Piece]:
        """The segment as independent pieces of work (``encode_piece``), in order."""
        if isinstance(segment, StillSegment):
            return [StillPiece(self.pieces.picture(segment.image), segment.frames)]
        if isinstance(segment, BlendSegment):
            first, second = self.pieces.picture(segment.first), self.pieces.picture(segment.second)
            return [BlendPiece(first, second, segment.weights)]
        lengths = gop_lengths(segment.frames, self.settings.gop_frames)
        pieces: list[Piece] = []
        first = 0
        for start in range(0, len(lengths), _MOTION_GOPS_PER_PIECE):
            part = tuple(lengths[start : start + _MOTION_GOPS_PER_PIECE])
            pieces.append(MotionPiece(segment, index, first, part))
            first += sum(part)
        return pieces

    def _mux_gop(self, gop: _Gop) -> None:
        start = self.frames_written
        stream = self.video_stream
        for packet, frame_index in zip(gop.packets, gop.frame_indices, strict=True):
            packet.stream = stream
            packet.time_base = self.time_base
            packet.pts = start + frame_index
            packet.dts = self.packets_written - B_FRAMES
            packet.duration = 1
            self.container.mux_one(packet)
            self.packets_written += 1
        self.frames_written += gop.length
        # Mux the audio up to the same time so the muxer can interleave the two closely.
        self._mux_audio_until(math.ceil(self.frames_written * SAMPLE_RATE / self.settings.fps))

    def _mux_audio_until(self, end_sample: int | None) -> None:
        """Mux the AAC packets encoded so far; wait only when the audio falls far behind."""
        lag = int(_AUDIO_MAX_LAG_SECONDS * SAMPLE_RATE)
        for packet in self.audio.take(end_sample, lag):
            packet.stream = self.audio_stream
            self.container.mux_one(packet)


class Picture:
    """A still picture as the pieces take it: a digest of its RGB pixels (which keys the
    packet cache) and its yuv420p planes (one array), converted when first asked for and then
    kept, so a slide's still and the crossfades beside it share one conversion.

    Pickled (a piece sent to another process) it travels as its key and planes, half the size
    of the RGB picture and not converted again there; a batch on Ray puts each picture in the
    object store once for all its pieces (``lecture_studio.cluster``)."""

    def __init__(
        self, key: bytes, image: np.ndarray | None = None, planes: np.ndarray | None = None
    ) -> None:
        if (image is None) == (planes is None):
            raise ValueError("a picture is made from its RGB pixels or from its planes")
        self.key = key
        self._image = image
        self._planes = planes
        self._lock = threading.Lock()

    @property
    def planes(self) -> np.ndarray:
        with self._lock:
            if self._planes is None:
                self._planes = _rgb_to_yuv(self._image).to_ndarray()
                self._image = None
            return self._planes

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return _picture_of_planes, (self.key, self.planes)


def _picture_of_planes(key: bytes, planes: np.ndarray) -> Picture:
    return Picture(key, planes=planes)


@dataclass(frozen=True)
class StillPiece:
    """``frames`` frames of one picture, as repeated GOPs: one piece of work."""

    picture: Picture
    frames: int


@dataclass(frozen=True)
class BlendPiece:
    """A crossfade's GOPs (``BlendSegment``): one piece of work."""

    first: Picture
    second: Picture
    weights: tuple[float, ...]

    @property
    def frames(self) -> int:
        return len(self.weights)


@dataclass(frozen=True)
class MotionPiece:
    """Frames ``first ..`` of a motion segment (segment ``index`` of the stream) as closed GOPs
    of ``lengths``: one piece of work, a few GOPs long."""

    segment: MotionSegment
    index: int
    first: int
    lengths: tuple[int, ...]


Piece = StillPiece | BlendPiece | MotionPiece


@dataclass(frozen=True)
class EncodedPiece:
    """What a piece gives the muxer: its closed GOPs in order, and the work it took."""

    gops: tuple[_Gop, ...]
    frames_encoded: int = 0
    frames_from_cache: int = 0
    frames_repeated: int = 0


def encode_piece(encoder: PieceEncoder, piece: Piece) -> EncodedPiece:
    """Encode one piece of a stream's video: inputs to packets, nothing else shared.

    This is the function every pool runs, the export's threads here and Ray's workers in a
    batch on a cluster (``lecture_studio.cluster``), so the file is the same either way.
    """
    stats = EncodeStats()
    gops = encoder.encode(piece, stats)
    return EncodedPiece(
        tuple(gops), stats.frames_encoded, stats.frames_from_cache, stats.frames_repeated
    )


class PieceEncoder:
    """Encodes the pieces of one stream's video (still GOPs, crossfades, motion) with the
    stream's settings and headers, reading and filling the packet cache.

    What it keeps in memory (a picture's YUV planes and GOPs while in use, the copies that
    follow a still GOP's IDR picture) is shared by the threads of its process. Pickled, to run
    pieces in another process, it travels as its settings and its cache's folder, and each
    process keeps one per stream setting (``_shared_piece_encoder``): a worker that encodes
    many pieces probes x264's copies once.
    """

    def __init__(
        self, settings: VideoSettings, extradata: bytes, video_key: str, cache: PacketCache
    ) -> None:
        self.settings = settings
        self.extradata = extradata
        self.video_key = video_key
        self.cache = cache
        self.digests: dict[int, tuple[weakref.ref, bytes]] = {}
        self.digest_lock = threading.RLock()  # _forget may run inside _digest's lock
        self.pictures = _Shared(_PICTURES_KEPT)
        self.gops = _Shared(2 * _PICTURES_KEPT)
        self.copies = _Shared(4)  # by GOP length

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return _shared_piece_encoder, (
            self.settings,
            self.extradata,
            self.video_key,
            self.cache.folder,
            self.cache.limit_bytes,
        )

    def encode(self, piece: Piece, stats: EncodeStats) -> list[_Gop]:
        """The piece's GOPs in order; what was encoded or read is counted in ``stats``."""
        if isinstance(piece, StillPiece):
            return self._still(piece, stats)
        if isinstance(piece, BlendPiece):
            return self._blend(piece, stats)
        return self._motion(piece, stats)

    # -- pictures ------------------------------------------------------------------------------

    def _digest(self, image: np.ndarray) -> bytes:
        """A digest of the picture's pixels, once per array (segments share their arrays).

        Known arrays are held weakly: a picture is forgotten when its slide is done with it.
        """
        with self.digest_lock:
            known = self.digests.get(id(image))
            if known is not None and known[0]() is image:
                return known[1]
        # SHA-256: twice BLAKE2b's speed where the CPU has SHA instructions
        value = hashlib.sha256(memoryview(np.ascontiguousarray(image)).cast("B")).digest()
        with self.digest_lock:
            self.digests[id(image)] = (weakref.ref(image, self._forget), value)
        return value

    def _forget(self, gone: weakref.ref) -> None:
        with self.digest_lock:
            for key in [k for k, (ref, _) in self.digests.items() if ref is gone]:
                del self.digests[key]

    def picture(self, image: np.ndarray) -> Picture:
        """The RGB picture as the pieces take it; one ``Picture`` (one conversion) for each
        picture while it is in use, so that a still and the crossfades beside it share it."""
        key = self._digest(image)
        return self.pictures.get(key, lambda: Picture(key, image=image))

    # -- still pictures ------------------------------------------------------------------------

    def _still(self, piece: StillPiece, stats: EncodeStats) -> list[_Gop]:
        picture = piece.picture
        gop = self.settings.gop_frames
        full = self._still_gop(picture, gop, stats)
        lengths = still_gop_lengths(piece.frames, gop, full.whole_prefixes())
        if lengths is None:
            lengths = gop_lengths(piece.frames, gop)
        made = {gop: full}
        for length in set(lengths) - {gop}:
            made[length] = full.prefix(length) or self._still_gop(picture, length, stats)
        stats.add(frames_repeated=piece.frames)
        return [made[length] for length in lengths]

    def _still_gop(self, picture: Picture, length: int, stats: EncodeStats) -> _Gop:
        def make() -> _Gop:
            cache_key = digest(self.video_key, "still", picture.key, str(length))
            stored = self.cache.get(cache_key)
            if stored is not None:
                stats.add(frames_from_cache=length)
                return _Gop.from_stored(stored)
            encoded = self._encode_still_gop(picture.planes, length, stats)
            self.cache.put(cache_key, encoded.stored())
            return encoded

        return self.gops.get((picture.key, length), make)

    def _encode_still_gop(self, planes: np.ndarray, length: int, stats: EncodeStats) -> _Gop:
        """Encode ``length`` frames of the picture as one closed GOP: its IDR picture, then
        pictures that copy it (``_copies``), or, when x264's copies turn out not to be pure
        copies, all ``length`` frames.

        A full GOP is repeated back to back, so its own bitrate is the stream's bitrate for the
        whole segment; x264's VBV cannot see that (each encoder starts with a fresh buffer), so
        a GOP over the cap is encoded again at a lower quality until it fits.
        """
        copies = self._copies(length, stats) if length > 1 else ((), ())
        min_qp = None
        while True:
            picture = _tagged(av.VideoFrame.from_ndarray(planes, format="yuv420p"))
            if copies is None:
                [gop] = self._encode_frames(lambda _, frame=picture: frame, [length], stats, min_qp)
            else:
                [idr] = self._encode_frames(lambda _, frame=picture: frame, [1], stats, min_qp)
                gop = _Gop(idr.packets + copies[0], (0, *copies[1]))
            budget = self.settings.max_bitrate * length / self.settings.fps
            if length < self.settings.gop_frames or gop.size_bits <= budget or min_qp == 51:
                return gop
            min_qp = _FIRST_MIN_QP_OVER_CAP if min_qp is None else min(51, min_qp + 4)

    def _copies(
        self, length: int, stats: EncodeStats
    ) -> tuple[tuple[av.Packet, ...], tuple[int, ...]] | None:
        """The P and B pictures of a still GOP of ``length`` frames after its IDR picture.

        x264 codes a picture that repeats its reference as all skipped macroblocks, a copy
        that does not depend on what is copied: so they are encoded once, from a flat grey
        picture, and follow any picture's IDR (the headers are the stream's, the frame numbers
        and picture order the same in every GOP). That they are pure copies is checked by
        decoding them after the IDR of a busy picture; None if they are not.
        """

        def make() -> tuple[tuple[av.Packet, ...], tuple[int, ...]] | None:
            height, width = self.settings.height, self.settings.width
            grey = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
            frame = _tagged(av.VideoFrame.from_ndarray(grey, format="yuv420p"))
            [gop] = self._encode_frames(lambda _: frame, [length], stats)
            copies = (gop.packets[1:], gop.frame_indices[1:])
            rng = np.random.default_rng(0)
            busy = rng.integers(16, 236, (height * 3 // 2, width), dtype=np.uint8)
            probe = _tagged(av.VideoFrame.from_ndarray(busy, format="yuv420p"))
            [idr] = self._encode_frames(lambda _: probe, [1], stats)
            decoded = _decode(self.extradata, _Gop(idr.packets + copies[0], (0, *copies[1])))
            if len(decoded) != length or any(not np.array_equal(f, decoded[0]) for f in decoded):
                return None
            return copies

        return self.copies.get(length, make)

    # -- crossfades and motion ---------------------------------------------------------------

    def _blend(self, piece: BlendPiece, stats: EncodeStats) -> list[_Gop]:
        weights = "w128:" + ",".join(f"{round(w * 128)}" for w in piece.weights)
        cache_key = digest(
            self.video_key,
            "blend",
            _CROSSFADE_TUNING,
            _CROSSFADE_RATE,
            piece.first.key,
            piece.second.key,
            weights,
        )
        stored = self.cache.get(cache_key)
        if stored is not None:
            stats.add(frames_from_cache=piece.frames)
            return self._split_gops(_Gop.from_stored(stored))
        blend = _PlaneBlend(piece.first.planes, piece.second.planes)
        lengths = gop_lengths(piece.frames, self.settings.gop_frames)

        def encode(tuning: str) -> list[_Gop]:
            return self._encode_frames(
                lambda i: blend.frame(piece.weights[i]), lengths, stats, tuning=tuning
            )

        constant = self._constant_quantizer
        gops = encode(f"{_CROSSFADE_TUNING}:{constant}") if constant else None
        if gops is None or not all(self._within_cap(gop) for gop in gops):
            gops = encode(_CROSSFADE_TUNING)
        self.cache.put(cache_key, [entry for gop in gops for entry in gop.stored()])
        return gops

    @functools.cached_property
    def _constant_quantizer(self) -> str | None:
        """x264's option for a constant quantizer at the crf's, when the stream headers stay
        the same with it (x264 writes the crf's integer part as the initial quantizer). The
        buffer is checked afterwards (``_within_cap``): x264 has none at a constant quantizer."""
        option = f"qp={int(self.settings.crf)}:vbv-maxrate=0:vbv-bufsize=0"
        try:
            codec = _open_h264(self.settings, tuning=option)
        except av.error.FFmpegError:  # qp=0 is lossless, which High profile cannot carry
            return None
        return option if bytes(codec.extradata or b"") == self.extradata else None

    def _within_cap(self, gop: _Gop) -> bool:
        """Whether the GOP's frames, in decoding order, keep a decoder's buffer from running
        dry under the bitrate cap, as x264's VBV does: a buffer of one second at the cap,
        filled at the cap, 90% full at the start (x264's default)."""
        rate = self.settings.max_bitrate
        level, per_frame = 0.9 * rate, rate / self.settings.fps
        for packet in gop.packets:
            level -= 8 * packet.size
            if level < 0:
                return False
            level = min(rate, level + per_frame)
        return True

    def _motion(self, piece: MotionPiece, stats: EncodeStats) -> list[_Gop]:
        def prepare(i: int) -> av.VideoFrame:
            image = piece.segment.render(piece.first + i)
            where = f"segment {piece.index}, frame {piece.first + i}"
            _check_picture(image, self.settings, where)
            return _rgb_to_yuv(image)

        return self._encode_frames(prepare, list(piece.lengths), stats)

    @staticmethod
    def _split_gops(whole: _Gop) -> list[_Gop]:
        """GOPs stored one after another (each indexed from 0) as separate GOPs."""
        starts = [i for i, p in enumerate(whole.packets) if p.is_keyframe] + [whole.length]
        return [
            _Gop(whole.packets[begin:end], whole.frame_indices[begin:end])
            for begin, end in zip(starts, starts[1:], strict=False)
        ]

    def _encode_frames(
        self,
        prepare: Callable[[int], av.VideoFrame],
        lengths: list[int],
        stats: EncodeStats,
        min_qp: int | None = None,
        tuning: str = "",
    ) -> list[_Gop]:
        """Encode ``sum(lengths)`` frames, ``prepare(i)`` each, as closed GOPs of ``lengths``."""
        codec = self._new_encoder(min_qp, tuning)
        starts = set(np.cumsum([0, *lengths[:-1]]).tolist())
        packets: list[av.Packet] = []
        total = sum(lengths)
        for index in range(total):
            frame = prepare(index)
            frame.pts = index
            frame.pict_type = PictureType.I if index in starts else PictureType.NONE
            packets.extend(codec.encode(frame))
        packets.extend(codec.encode(None))
        stats.add(frames_encoded=total)
        cuts = [i for i, packet in enumerate(packets) if packet.is_keyframe] + [len(packets)]
        gops = [
            self._gop_from_packets(packets[begin:end], length)
            for begin, end, length in zip(cuts, cuts[1:], lengths, strict=False)
        ]
        if len(gops) != len(lengths):
            raise RuntimeError(f"x264 gave {len(cuts) - 1} GOPs where {len(lengths)} were asked")
        return gops

    # -- shared ------------------------------------------------------------------------------

    def _new_encoder(self, min_qp: int | None = None, tuning: str = "") -> av.CodecContext:
        codec = _open_h264(self.settings, min_qp=min_qp, tuning=tuning)
        if bytes(codec.extradata or b"") != self.extradata:
            raise RuntimeError("x264 gave different stream headers for identical settings")
        return codec

    def _gop_from_packets(self, packets: list[av.Packet], expected_length: int | None) -> _Gop:
        """Check that ``packets`` form one closed GOP in decoding order; index them from 0."""
        if not packets or not packets[0].is_keyframe:
            raise RuntimeError("an encoded GOP does not start with a key frame")
        first = packets[0].pts
        indices = tuple(packet.pts - first for packet in packets)
        length = len(packets)
        if sorted(indices) != list(range(length)) or (
            expected_length is not None and length != expected_length
        ):
            raise RuntimeError(f"an encoded GOP has frames {sorted(indices)}")
        for decode_index, frame_index in enumerate(indices):
            if frame_index < decode_index - B_FRAMES:
                raise RuntimeError("an encoded GOP reorders frames more than the stream allows")
        return _Gop(tuple(packets), indices)


@functools.lru_cache(maxsize=4)
def _shared_piece_encoder(
    settings: VideoSettings,
    extradata: bytes,
    video_key: str,
    cache_folder: Path | None,
    cache_limit: int,
) -> PieceEncoder:
    """This process's encoder for one stream setting, made when a pickled one arrives."""
    return PieceEncoder(settings, extradata, video_key, PacketCache(cache_folder, cache_limit))

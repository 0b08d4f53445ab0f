"""The MP4 writer: H.264 High + AAC-LC in YouTube's recommended upload settings, fast on stills.

A lecture is mostly still pictures. Re-encoding the same picture 30 times a second wastes almost
all of the export time, so a still segment is encoded as ONE closed GOP of its picture, and that
GOP's packets are muxed again and again with new timestamps. This is valid H.264 because every
GOP starts with an IDR picture, references nothing outside itself, and every encoder we open has
the same settings, so the sequence and picture parameter sets (the stream's extradata) are the
same for all of them (checked for each encoder). Motion segments (transitions, animation) are
encoded frame by frame by one encoder per segment, in the same closed GOPs.

Audio comes either as one array or as an ``AudioStream`` read in half-second pieces, so a long
lecture's sound never has to be in memory at once. FFmpeg's AAC encoder runs on its own thread
with mid/side stereo search off (that search made it 13x real time on the dual-mono narration
track; without it, 90x) and the "fast" coder.

Decode timestamps are stamped here rather than taken from each encoder: the whole stream is one
sequence of packets in decoding order, so packet ``k`` gets ``dts = k - B_FRAMES``, which is
continuous across GOPs of any length and never after its presentation time. The file has no edit
list: the MP4 muxer runs with ``use_editlist=0`` and ``negative_cts_offsets``, which keeps the
first picture at t=0 despite the B-frame delay.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import math
import stat
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.codec.context import Flags as CodecFlags
from av.video.frame import PictureType
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc, Interpolation

from ..errors import ExportError
from ..jobs import CancelToken, ProgressCallback, no_progress
from .presets import PRESETS

AUDIO_SAMPLE_RATE = 48_000
AUDIO_CHANNELS = 2
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
# FFmpeg AAC encoder options: "fast" quantizer search and no per-band mid/side decision.
_AAC_OPTIONS = {"aac_coder": "fast", "aac_ms": "0"}
# Audio is read and fed to the AAC encoder in pieces of this length.
_AUDIO_CHUNK_SECONDS = 0.5
# The muxer interleaves within 10 s (max_interleave_delta); the video waits for audio beyond this.
_AUDIO_MAX_LAG_SECONDS = 4.0
# A repeated still GOP over the bitrate cap is encoded again with x264's qpmin at this value,
# then 4 higher on each new try.
_FIRST_MIN_QP_OVER_CAP = 24
# Converted pictures kept for reuse (a slide's still and the crossfades on either side of it).
_YUV_PICTURES_KEPT = 4


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


@dataclass(frozen=True)
class AudioStream:
    """A sound track read on demand: ``read(start, count)`` gives samples ``start`` to
    ``start + count`` as float32 of shape (count, 2) at 48 kHz; ``n_samples`` is its length.

    Reads come in increasing order, half a second at a time, from the AAC encoder's thread.
    """

    n_samples: int
    read: Callable[[int, int], np.ndarray]

    @classmethod
    def from_array(cls, samples: np.ndarray) -> AudioStream:
        """A whole track held in memory, shape (n, 2)."""
        return cls(samples.shape[0], lambda start, count: samples[start : start + count])


def total_frames(segments: Sequence[Segment]) -> int:
    """How many video frames the segments make."""
    return sum(segment.frames for segment in segments)


def frames_for_samples(n_samples: int, fps: int) -> int:
    """The video length in frames that an audio track of ``n_samples`` at 48 kHz defines."""
    return round(n_samples * fps / AUDIO_SAMPLE_RATE)


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


def encode_mp4(
    path: Path,
    segments: Sequence[Segment],
    audio: np.ndarray | AudioStream,
    settings: VideoSettings,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    """Write ``segments`` and ``audio`` as an MP4 at ``path``.

    ``audio`` is float32 of shape (n, 2) at 48 kHz, or an ``AudioStream`` that reads such
    samples piece by piece (memory then stays the same however long the lecture is).

    Raises ValueError for inputs that break the contract (sizes, lengths), ExportError when the
    file cannot be written, Cancelled when ``cancel`` fires. On any failure the partial file is
    closed and deleted.
    """
    path = Path(path)
    _check_segments(segments, settings)
    audio = _checked_audio(audio, total_frames(segments), settings.fps)

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

    try:
        writer = _Mp4Writer(container, settings, audio)
        writer.write(segments, progress, cancel)
        container.close()
    except BaseException as error:
        _close_quietly(container)
        _remove_partial(path)
        if isinstance(error, OSError):
            raise _export_error(path, error) from error
        raise
    progress(1.0, "Video written")


def _check_segments(segments: Sequence[Segment], settings: VideoSettings) -> None:
    if not segments:
        raise ValueError("there are no segments to encode")
    for index, segment in enumerate(segments):
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


def _checked_audio(audio: np.ndarray | AudioStream, n_frames: int, fps: int) -> AudioStream:
    if isinstance(audio, np.ndarray):
        if audio.ndim != 2 or audio.shape[1] != AUDIO_CHANNELS:
            raise ValueError(f"audio is {audio.shape}, expected shape (samples, 2) at 48 kHz")
        audio = AudioStream.from_array(audio)
    elif not isinstance(audio, AudioStream):
        raise ValueError(f"audio is a {type(audio).__name__}, expected an array or AudioStream")
    audio_frames = audio.n_samples * fps / AUDIO_SAMPLE_RATE
    if abs(audio_frames - n_frames) > 1:
        raise ValueError(
            f"the video has {n_frames} frames but the audio lasts {audio_frames:.2f} frames "
            f"({audio.n_samples} samples at {AUDIO_SAMPLE_RATE} Hz, {fps} fps)"
        )
    return audio


def _planar_piece(audio: AudioStream, start: int, count: int) -> np.ndarray:
    """Samples ``start .. start + count`` as planar (2, count) float32, clipped, NaN as 0."""
    piece = np.asarray(audio.read(start, count))
    if piece.shape != (count, AUDIO_CHANNELS):
        raise ValueError(
            f"the audio read at sample {start} gave shape {piece.shape}, "
            f"expected ({count}, {AUDIO_CHANNELS})"
        )
    # Planar (channels, samples), contiguous per channel, as the AAC encoder takes it.
    planar = np.array(piece.T, dtype=np.float32, order="C", copy=True)
    np.clip(planar, -1.0, 1.0, out=planar)  # also turns +-inf into +-1
    planar[np.isnan(planar)] = 0.0
    return planar


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
    settings: VideoSettings, codec: av.CodecContext | None = None, min_qp: int | None = None
) -> av.CodecContext:
    """Configure (and open, when we create it) an x264 encoder; every one is set up alike.

    ``min_qp`` coarsens the quality without touching the stream headers (a different crf would
    change the picture parameter set, which must stay the same for every encoder).
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


def _blend_planes(first: np.ndarray, second: np.ndarray, weight: float) -> av.VideoFrame:
    """``first + (second - first) * weight`` (to 1/256, rounded) of two yuv420p plane arrays."""
    w = round(weight * 256)
    if w <= 0 or w >= 256:
        mix = first if w <= 0 else second
    else:
        difference = np.subtract(second, first, dtype=np.int32)
        difference *= w
        difference += 128
        difference >>= 8
        mix = np.add(first, difference, dtype=np.int32).astype(np.uint8)
    return _tagged(av.VideoFrame.from_ndarray(mix, format="yuv420p"))


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


class _Mp4Writer:
    """Muxes GOPs and audio into one container in time order; owns the encoders it opens."""

    def __init__(
        self, container: av.container.OutputContainer, settings: VideoSettings, audio: AudioStream
    ) -> None:
        self.container = container
        self.settings = settings
        self.time_base = settings.frame_time_base

        self.video_stream = container.add_stream("libx264", rate=settings.fps)
        _open_h264(settings, self.video_stream.codec_context)
        self.video_stream.time_base = self.time_base

        self.audio_stream = container.add_stream("aac", rate=AUDIO_SAMPLE_RATE)
        audio_codec = self.audio_stream.codec_context
        audio_codec.layout = "stereo"
        audio_codec.format = "fltp"
        audio_codec.bit_rate = settings.audio_bitrate
        audio_codec.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
        audio_codec.options = dict(_AAC_OPTIONS)
        self.audio_stream.time_base = Fraction(1, AUDIO_SAMPLE_RATE)

        container.start_encoding()  # opens the stream codecs: extradata is now known
        self.extradata = bytes(self.video_stream.codec_context.extradata or b"")
        self.frames_written = 0  # presentation index of the next frame
        self.packets_written = 0  # decoding index of the next video packet
        self.audio = _AudioEncoder(audio_codec, audio)
        self.still_gops: dict[tuple[bytes, int], _Gop] = {}
        # Each picture is hashed once (by identity: segments share their picture arrays) and
        # converted to YUV once while it is in use.
        self.picture_keys: dict[int, tuple[np.ndarray, bytes]] = {}
        self.yuv_pictures: dict[bytes, av.VideoFrame] = {}

    # -- whole job -------------------------------------------------------------------------

    def write(
        self, segments: Sequence[Segment], progress: ProgressCallback, cancel: CancelToken | None
    ) -> None:
        n_frames = total_frames(segments)
        self.audio.start()
        try:
            for index, segment in enumerate(segments):
                what = f"Encoding video: segment {index + 1} of {len(segments)}"
                if isinstance(segment, StillSegment):
                    self._write_still(segment, progress, cancel, n_frames, what)
                else:
                    self._write_motion(segment, index, progress, cancel, n_frames, what)
            progress(0.99, "Encoding audio")
            self._mux_audio_until(None)
        finally:
            self.audio.stop()

    def _report(
        self, progress: ProgressCallback, cancel: CancelToken | None, n_frames: int, what: str
    ) -> None:
        if cancel is not None:
            cancel.check()
        progress(0.99 * self.frames_written / n_frames, what)

    # -- still pictures ----------------------------------------------------------------------

    def _write_still(
        self,
        segment: StillSegment,
        progress: ProgressCallback,
        cancel: CancelToken | None,
        n_frames: int,
        what: str,
    ) -> None:
        picture_key = self._picture_key(segment.image)
        for length in gop_lengths(segment.frames, self.settings.gop_frames):
            self._report(progress, cancel, n_frames, what)
            self._mux_gop(self._still_gop(segment.image, picture_key, length))

    def _picture_key(self, image: np.ndarray) -> bytes:
        known = self.picture_keys.get(id(image))
        if known is not None and known[0] is image:
            return known[1]
        key = hashlib.blake2b(memoryview(np.ascontiguousarray(image)).cast("B")).digest()
        self.picture_keys[id(image)] = (image, key)
        return key

    def _yuv_picture(self, image: np.ndarray, key: bytes) -> av.VideoFrame:
        frame = self.yuv_pictures.get(key)
        if frame is None:
            if len(self.yuv_pictures) >= _YUV_PICTURES_KEPT:  # a lecture moves forward
                oldest = next(iter(self.yuv_pictures))
                del self.yuv_pictures[oldest]
                # ...and its encoded GOPs go too, so memory does not grow with the length.
                for gop_key in [k for k in self.still_gops if k[0] == oldest]:
                    del self.still_gops[gop_key]
            frame = self.yuv_pictures[key] = _rgb_to_yuv(image)
        return frame

    def _still_gop(self, image: np.ndarray, key: bytes, length: int) -> _Gop:
        cached = self.still_gops.get((key, length))
        if cached is not None:
            return cached
        full = self.still_gops.get((key, self.settings.gop_frames))
        encoded = full.prefix(length) if full is not None else None
        if encoded is None:
            encoded = self._encode_still_gop(self._yuv_picture(image, key), length)
        self.still_gops[(key, length)] = encoded
        return encoded

    def _encode_still_gop(self, picture: av.VideoFrame, length: int) -> _Gop:
        """Encode ``length`` frames of ``picture`` as one closed GOP.

        A full GOP is repeated back to back, so its own bitrate is the stream's bitrate for the
        whole segment; x264's VBV cannot see that (each encoder starts with a fresh buffer), so
        a GOP over the cap is encoded again at a lower quality until it fits.
        """
        min_qp = None
        while True:
            codec = self._new_encoder(min_qp)
            packets: list[av.Packet] = []
            for index in range(length):
                picture.pts = index
                packets.extend(codec.encode(picture))
            packets.extend(codec.encode(None))
            gop = self._gop_from_packets(packets, length)
            budget = self.settings.max_bitrate * length / self.settings.fps
            if length < self.settings.gop_frames or gop.size_bits <= budget or min_qp == 51:
                return gop
            min_qp = _FIRST_MIN_QP_OVER_CAP if min_qp is None else min(51, min_qp + 4)

    # -- motion ------------------------------------------------------------------------------

    def _write_motion(
        self,
        segment: MotionSegment | BlendSegment,
        segment_index: int,
        progress: ProgressCallback,
        cancel: CancelToken | None,
        n_frames: int,
        what: str,
    ) -> None:
        lengths = gop_lengths(segment.frames, self.settings.gop_frames)
        gop_starts = set(itertools.accumulate(lengths[:-1], initial=0))
        codec = self._new_encoder()
        pending: list[av.Packet] = []

        if isinstance(segment, BlendSegment):
            first = self._yuv_picture(segment.first, self._picture_key(segment.first))
            second = self._yuv_picture(segment.second, self._picture_key(segment.second))
            first_planes, second_planes = first.to_ndarray(), second.to_ndarray()

            def prepare(index: int) -> av.VideoFrame:
                return _blend_planes(first_planes, second_planes, segment.weights[index])

        else:

            def prepare(index: int) -> av.VideoFrame:
                image = segment.render(index)
                _check_picture(image, self.settings, f"segment {segment_index}, frame {index}")
                return _rgb_to_yuv(image)

        # The next frame is drawn and converted on a worker thread while x264 encodes this one.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="motion-frames") as pool:
            upcoming = pool.submit(prepare, 0)
            for index in range(segment.frames):
                if index in gop_starts:
                    self._report(progress, cancel, n_frames, what)
                frame = upcoming.result()
                if index + 1 < segment.frames:
                    upcoming = pool.submit(prepare, index + 1)
                frame.pts = index
                frame.pict_type = PictureType.I if index in gop_starts else PictureType.NONE
                pending.extend(codec.encode(frame))
                # An IDR packet starts a new GOP: everything before it is a complete GOP.
                pending = self._mux_complete_gops(pending)
        pending.extend(codec.encode(None))
        if pending:
            self._mux_gop(self._gop_from_packets(pending, None))

    def _mux_complete_gops(self, pending: list[av.Packet]) -> list[av.Packet]:
        starts = [i for i, packet in enumerate(pending) if packet.is_keyframe and i > 0]
        if not starts:
            return pending
        cut = starts[-1]
        begin = 0
        for start in starts:
            self._mux_gop(self._gop_from_packets(pending[begin:start], None))
            begin = start
        return pending[cut:]

    # -- shared ------------------------------------------------------------------------------

    def _new_encoder(self, min_qp: int | None = None) -> av.CodecContext:
        codec = _open_h264(self.settings, min_qp=min_qp)
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
        self._mux_audio_until(
            math.ceil(self.frames_written * AUDIO_SAMPLE_RATE / self.settings.fps)
        )

    def _mux_audio_until(self, end_sample: int | None) -> None:
        """Mux the AAC packets encoded so far; wait only when the audio falls far behind."""
        for packet in self.audio.take(end_sample):
            packet.stream = self.audio_stream
            self.container.mux_one(packet)


AAC_PRIMING = 1024  # FFmpeg's AAC encoder delay (initial padding), one frame


class _AudioEncoder:
    """Reads and encodes the whole track to AAC on a worker thread, ahead of the video.

    FFmpeg's AAC encoder is single threaded, so it runs beside x264 instead of after it.
    Only the main thread muxes.
    """

    def __init__(self, codec: av.CodecContext, audio: AudioStream) -> None:
        self.codec = codec
        # The AAC encoder puts AAC_PRIMING samples of delay before the sound, and without an edit
        # list players play them: feeding the track from sample AAC_PRIMING on keeps every later
        # sample at its own time (the first 21 ms, the lead-in silence, are the ones dropped).
        self.audio = audio
        self.encoded_until = 0  # input samples handed to the encoder
        self.finished = False
        self.error: BaseException | None = None
        self._ready: list[av.Packet] = []
        self._stop = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="aac-encoder", daemon=True)

    @property
    def n_samples(self) -> int:
        return max(0, self.audio.n_samples - AAC_PRIMING)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop early (cancel, failure) and wait until the encoder is no longer in use."""
        self._stop = True
        if self._thread.is_alive():
            self._thread.join()

    def take(self, end_sample: int | None) -> list[av.Packet]:
        """The packets ready now; first waits until the audio is encoded to within
        ``_AUDIO_MAX_LAG_SECONDS`` of ``end_sample`` (or to the end when it is None)."""
        lag = int(_AUDIO_MAX_LAG_SECONDS * AUDIO_SAMPLE_RATE)
        with self._changed:
            if end_sample is None:
                self._changed.wait_for(lambda: self.finished)
            else:
                wanted = min(end_sample, self.n_samples) - lag
                self._changed.wait_for(lambda: self.finished or self.encoded_until >= wanted)
            if self.error is not None:
                raise self.error
            ready, self._ready = self._ready, []
        return ready

    def _run(self) -> None:
        chunk = int(_AUDIO_CHUNK_SECONDS * AUDIO_SAMPLE_RATE)
        try:
            for start in range(0, self.n_samples, chunk):
                if self._stop:
                    return
                stop = min(self.n_samples, start + chunk)
                frame = av.AudioFrame.from_ndarray(
                    _planar_piece(self.audio, AAC_PRIMING + start, stop - start),
                    format="fltp",
                    layout="stereo",
                )
                frame.sample_rate = AUDIO_SAMPLE_RATE
                frame.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
                frame.pts = start
                packets = self.codec.encode(frame)
                with self._changed:
                    self._ready.extend(packets)
                    self.encoded_until = stop
                    self._changed.notify_all()
            packets = self.codec.encode(None)
            with self._changed:
                self._ready.extend(packets)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread in take()
            with self._changed:
                self.error = error
        finally:
            with self._changed:
                self.finished = True
                self._changed.notify_all()

"""The lecture's sound as AAC-LC: narration pieces on a silent track, encoded island by island.

A lecture's track is narration clips with digital silence between them (lead-ins, tails). An
AAC-LC frame depends on its neighbours only through the MDCT overlap of one frame (1024
samples): there is no long-term prediction and no bit reservoir a decoder needs. So a stretch of
sound with enough silence on both sides (an *island*) can be encoded by an encoder of its own,
its packets put in their place among silent packets, and the stream decodes as one encode of the
whole track would, with the seams in exact silence.

Islands make a re-export cheap: each is keyed by what it holds (its pieces' content keys and
where they lie in it), so an island that did not change is read from the packet cache instead of
encoded, wherever it now lies in the lecture. For that the timeline starts narration on multiples
of ``AAC_FRAME``: a clip's island is then the same whatever shifted before it.

The AAC encoder puts ``AAC_PRIMING`` samples of delay before the sound, and without an edit list
players play them. Encoding the track from sample ``AAC_PRIMING`` on keeps every later sample at
its own time; the timeline never places narration in those first 21 ms.

FFmpeg's AAC encoder is single threaded: one worker thread reads, encodes and caches the islands
in order, ahead of the video, while the main thread muxes what it has produced. An island's
encoding is a function of a plain value (``encode_island`` of an ``IslandSound``: its samples
and the settings), so it may run in another process: by default on two threads of the encode's
own, handing over its packets as they come; a batch on Ray passes an executor whose islands run
as Ray tasks (``lecture_studio.cluster``), each handing back its packets whole.

Narration is mono, played on both channels. A stereo AAC-LC frame is a channel pair element
(CPE); with ``common_window`` off it holds two complete individual channel streams (ICS), each
written exactly as the single channel element (SCE) of a mono frame. So an island whose pieces
are all mono is encoded once as mono, at half the bit rate, and each mono frame is rewritten
into a stereo frame holding its ICS twice (``stereo_from_mono``): the same decoded sound on both
channels, bit for bit the mono encode's, for half the encoding work.
"""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np

from ..model.timeline import SAMPLE_RATE
from .packets import PacketCache, StoredPacket, digest

AUDIO_CHANNELS = 2
AAC_FRAME = 1024  # samples per AAC-LC frame
AAC_PRIMING = 1024  # FFmpeg's AAC encoder delay (initial padding), one frame
# Silence an island keeps on either side of its sound, inside it, and needs outside it.
_MARGIN = 2 * AAC_FRAME
# FFmpeg AAC encoder options: the "fast" quantizer search, no per-band mid/side decision (13x
# real time with it on the dual-mono narration track; without it, 140x), no perceptual noise
# substitution or intensity stereo (nothing to gain on speech at 384 kbps; 20% faster). Sound
# up to 20 kHz, the limit of hearing (FFmpeg's default at this bit rate is 22 kHz): 19% fewer
# instructions on the benchmark's narration (callgrind), as the bands over 20 kHz are not coded.
_AAC_OPTIONS = {
    "aac_coder": "fast",
    "aac_ms": "0",
    "aac_pns": "0",
    "aac_is": "0",
    "cutoff": "20000",
}
_CHUNK = SAMPLE_RATE // 2  # samples fed to an encoder at once
_TIME_BASE = Fraction(1, SAMPLE_RATE)  # (made once: a packet's stamps ask for it every time)
# Islands encoded side by side (FFmpeg's AAC encoder is single threaded), and how many may be
# encoded ahead of the one whose packets are being handed over.
_ISLAND_WORKERS = 2
_ISLANDS_AHEAD = 4
# Packets handed over but not yet taken by the muxer, at most (30 s of sound, about 1.4 MB):
# the encoder is faster than the video, and without a bound a long lecture's whole sound
# would wait in memory for its pictures.
_READY_LIMIT = 30 * SAMPLE_RATE // AAC_FRAME
# Bump when the way islands are encoded changes: cached islands then miss.
_ISLAND_FORMAT = "2"
# Syntactic element ids of an AAC raw data block (ISO/IEC 14496-3, table 4.85).
_ID_SCE, _ID_CPE, _ID_END = 0, 1, 7


@dataclass(frozen=True)
class AudioPiece:
    """``length`` samples of sound starting at track sample ``start``.

    ``load()`` gives them as float32, mono (length,) or stereo (length, 2); it is called on the
    audio thread when the piece's island is encoded, so the samples are in memory only then.
    ``key`` identifies what ``load()`` gives (the island is cached under it); None: never cached.
    """

    start: int
    length: int
    load: Callable[[], np.ndarray]
    key: str | None = None

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class AudioTrack:
    """A sound track of ``n_samples`` at 48 kHz: ``pieces`` on silence, in time order."""

    n_samples: int
    pieces: tuple[AudioPiece, ...] = ()

    def __post_init__(self) -> None:
        previous_end = 0
        for piece in self.pieces:
            if piece.start < previous_end or piece.length < 0:
                raise ValueError("audio pieces must be in time order and must not overlap")
            previous_end = piece.end

    @classmethod
    def from_array(cls, samples: np.ndarray) -> AudioTrack:
        """A whole track held in memory, shape (n, 2)."""
        samples = np.asarray(samples)
        if samples.ndim != 2 or samples.shape[1] != AUDIO_CHANNELS:
            raise ValueError(f"audio is {samples.shape}, expected shape (samples, 2) at 48 kHz")
        n = samples.shape[0]
        return cls(n, (AudioPiece(0, n, lambda: samples),) if n else ())

    def read(self, start: int, count: int) -> np.ndarray:
        """Samples ``start .. start + count`` as (count, 2) float32, clipped to [-1, 1]."""
        planar = np.zeros((AUDIO_CHANNELS, count), dtype=np.float32)
        overlapping = [p for p in self.pieces if p.start < start + count and p.end > start]
        _mix_into(planar, start, [(p.start, _loaded(p)) for p in overlapping])
        return planar.T.copy()


def _loaded(piece: AudioPiece) -> np.ndarray:
    samples = np.asarray(piece.load(), dtype=np.float32)
    expected = {(piece.length,), (piece.length, AUDIO_CHANNELS)}
    if samples.shape not in expected:
        raise ValueError(
            f"the sound placed at sample {piece.start} is {samples.shape}, "
            f"expected ({piece.length},) or ({piece.length}, {AUDIO_CHANNELS})"
        )
    return samples


def _mix_into(planar: np.ndarray, start: int, loaded: Sequence[tuple[int, np.ndarray]]) -> None:
    """Put the overlapping part of each loaded piece (where it starts, its samples) into
    ``planar`` (2, n) that starts at ``start``; clip to [-1, 1] and silence NaN."""
    count = planar.shape[1]
    for begin, samples in loaded:
        lo, hi = max(start, begin), min(start + count, begin + len(samples))
        if lo >= hi:
            continue
        part = samples[lo - begin : hi - begin]
        planar[:, lo - start : hi - start] = part if part.ndim == 1 else part.T
    np.clip(planar, -1.0, 1.0, out=planar)  # also turns +-inf into +-1
    planar[np.isnan(planar)] = 0.0


# --- islands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Island:
    """Track samples ``begin .. end`` (multiples of AAC_FRAME) encoded by one encoder.

    Its packets are packets ``first_packet ..`` of the whole stream, where packet ``k`` covers
    track samples ``1024 (k - 1) .. 1024 (k + 1)``; the track is silent for ``_MARGIN`` samples
    before ``begin`` and before ``end``, so the seams with the silent packets are exact.
    """

    begin: int
    end: int
    pieces: tuple[AudioPiece, ...]

    @property
    def first_packet(self) -> int:
        return self.begin // AAC_FRAME - 1

    @property
    def packet_count(self) -> int:
        return (self.end - self.begin) // AAC_FRAME + 1

    def key(self, settings: str) -> str | None:
        if any(piece.key is None for piece in self.pieces):
            return None
        placed = [f"{p.start - self.begin}:{p.length}:{p.key}" for p in self.pieces]
        return digest("aac-island", _ISLAND_FORMAT, settings, str(self.end - self.begin), *placed)


def plan_islands(track: AudioTrack) -> list[Island]:
    """The islands that cover every piece of ``track``; pieces too close share one."""
    islands: list[Island] = []
    for piece in track.pieces:
        if piece.length == 0:
            continue
        begin = max(AAC_PRIMING, piece.start // AAC_FRAME * AAC_FRAME - _MARGIN)
        end = -(-piece.end // AAC_FRAME) * AAC_FRAME + _MARGIN
        if islands and begin < islands[-1].end + AAC_FRAME:
            last = islands.pop()
            begin, end = last.begin, max(end, last.end)
            pieces = (*last.pieces, piece)
        else:
            pieces = (piece,)
        islands.append(Island(begin, end, pieces))
    return islands


def packet_count(n_samples: int) -> int:
    """AAC packets in a stream of a track of ``n_samples`` (the encoder gets all but the
    first AAC_PRIMING of them): one per frame begun, and the encoder's one frame of delay."""
    fed = max(0, n_samples - AAC_PRIMING)
    return -(-fed // AAC_FRAME) + 1


# --- the encoder --------------------------------------------------------------------------------


def new_aac_encoder(bit_rate: int, layout: str = "stereo") -> av.CodecContext:
    """An AAC-LC encoder, 48 kHz stereo, as every island and the stream itself are set up
    (or mono, for islands rewritten to stereo by ``stereo_from_mono``)."""
    codec = av.CodecContext.create("aac", "w")
    configure_aac(codec, bit_rate, layout)
    if layout == "mono":
        # no "Lavc" fill element in the first frame: a mono frame must be one SCE and END
        codec.flags |= av.codec.context.Flags.bitexact
    codec.open()
    return codec


def configure_aac(codec: av.CodecContext, bit_rate: int, layout: str = "stereo") -> None:
    codec.sample_rate = SAMPLE_RATE
    codec.layout = layout
    codec.format = "fltp"
    codec.bit_rate = bit_rate
    codec.time_base = _TIME_BASE
    codec.options = dict(_AAC_OPTIONS)


def stereo_from_mono(frame: bytes) -> bytes:
    """The stereo AAC-LC frame that decodes to ``frame``'s mono sound on both channels.

    ``frame`` is one mono raw data block: an SCE (3-bit id, 4-bit tag, then its ICS) and END
    (3 bits ``111``), zero-padded to a byte. END's last bit is the frame's last set bit, so the
    ICS is everything between the SCE header and END. The stereo frame is a CPE with the same
    tag, ``common_window`` 0 and that ICS twice, then END, padded. Raises ValueError on a frame
    of any other shape.
    """
    bits = len(frame) * 8
    value = int.from_bytes(frame, "big")
    if value == 0 or value >> (bits - 3) != _ID_SCE:
        raise ValueError("not a mono AAC frame of one channel element")
    end = bits - ((value & -value).bit_length() - 1)  # just past END's last bit
    ics_bits = end - 3 - 7
    if ics_bits <= 0 or (value >> (bits - end)) & 0b111 != _ID_END:
        raise ValueError("not a mono AAC frame of one channel element")
    tag = (value >> (bits - 7)) & 0b1111
    ics = (value >> (bits - end + 3)) & ((1 << ics_bits) - 1)
    out = (_ID_CPE << 4 | tag) << 1  # id, tag, common_window = 0
    out = (((out << ics_bits | ics) << ics_bits | ics) << 3) | _ID_END
    length = 8 + 2 * ics_bits + 3
    padding = -length % 8
    return (out << padding).to_bytes((length + padding) // 8, "big")


@functools.cache
def mono_islands_work(bit_rate: int, stereo_extradata: bytes) -> bool:
    """Whether this FFmpeg's mono frames, rewritten by ``stereo_from_mono``, decode under the
    stream's stereo headers to exactly the mono decode on both channels (checked once per
    process on a second of noise; if not, islands are encoded as stereo)."""
    noise = np.random.default_rng(7).standard_normal(SAMPLE_RATE).astype(np.float32) * 0.1
    try:
        mono = _encode_all(new_aac_encoder(bit_rate // 2, "mono"), noise[None, :], "mono")
        stereo = [stereo_from_mono(p) for p in mono]
        expected = _decode_all(mono, "mono", None)
        got = _decode_all(stereo, "stereo", stereo_extradata)
    except (ValueError, av.FFmpegError):
        return False
    return got.shape == (2, expected.shape[1]) and bool(
        np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[0])
    )


def _encode_all(codec: av.CodecContext, planar: np.ndarray, layout: str) -> list[bytes]:
    frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout=layout)
    frame.sample_rate = SAMPLE_RATE
    frame.pts = 0
    return [bytes(p) for p in codec.encode(frame)] + [bytes(p) for p in codec.encode(None)]


def _decode_all(packets: list[bytes], layout: str, extradata: bytes | None) -> np.ndarray:
    decoder = av.CodecContext.create("aac", "r")
    decoder.sample_rate = SAMPLE_RATE
    decoder.layout = layout
    if extradata:
        decoder.extradata = extradata
    frames = [f.to_ndarray() for p in packets for f in decoder.decode(av.Packet(p))]
    return np.concatenate(frames, axis=1)


def settings_key(bit_rate: int, extradata: bytes) -> str:
    """What, besides the sound, decides an island's packets."""
    return digest(
        str(bit_rate),
        repr(sorted(_AAC_OPTIONS.items())),
        av.__version__,
        repr(av.library_versions.get("libavcodec")),
        extradata,
    )


def _silent_packet(bit_rate: int) -> bytes:
    """The packet the encoder gives for a frame of digital silence in silence."""
    silence = np.zeros((AUDIO_CHANNELS, 8 * AAC_FRAME), dtype=np.float32)
    packets = _encode_all(new_aac_encoder(bit_rate), silence, "stereo")
    middle = packets[2:-2]
    if not middle or len(set(middle)) != 1:
        raise RuntimeError("the AAC encoder gave different packets for silence")
    return middle[0]


@dataclass(frozen=True)
class IslandSound:
    """What encoding an island takes, as a plain value (it may travel to another process): its
    ``length`` samples as parts on silence (where each starts in the island, and its float32
    samples, mono (n,) or stereo (n, 2)), the stream's bit rate and headers, and whether it is
    encoded as mono and rewritten to stereo (``stereo_from_mono``)."""

    length: int
    parts: tuple[tuple[int, np.ndarray], ...]
    bit_rate: int
    extradata: bytes
    mono: bool

    @property
    def packet_count(self) -> int:
        return self.length // AAC_FRAME + 1


def encode_island(
    sound: IslandSound,
    put: Callable[[list[tuple[bytes, bool]]], None] | None = None,
    stopped: Callable[[], bool] | None = None,
) -> list[tuple[bytes, bool]] | None:
    """The island's AAC packets (data, keyframe), ``sound.packet_count`` of them, from an
    encoder of its own. ``put`` is handed the packets of each chunk as they are made, so the
    muxer need not wait for the whole island; None when ``stopped()`` said so before the end.
    Without ``put`` and ``stopped`` a function of its argument alone: a batch on Ray runs it
    as a task (``lecture_studio.cluster``)."""
    if sound.mono:
        codec = new_aac_encoder(sound.bit_rate // 2, "mono")
    else:
        codec = new_aac_encoder(sound.bit_rate)
        if bytes(codec.extradata or b"") != sound.extradata:
            raise RuntimeError("the AAC encoder gave different headers for one setting")
    channels, layout = (1, "mono") if sound.mono else (AUDIO_CHANNELS, "stereo")

    def packets(frame: av.AudioFrame | None) -> list[tuple[bytes, bool]]:
        encoded = [(bytes(p), bool(p.is_keyframe)) for p in codec.encode(frame)]
        return [(stereo_from_mono(d), k) for d, k in encoded] if sound.mono else encoded

    produced: list[tuple[bytes, bool]] = []
    for start in range(0, sound.length, _CHUNK):
        if stopped is not None and stopped():
            return None
        count = min(_CHUNK, sound.length - start)
        planar = np.zeros((AUDIO_CHANNELS, count), dtype=np.float32)
        _mix_into(planar, start, sound.parts)
        frame = av.AudioFrame.from_ndarray(planar[:channels], format="fltp", layout=layout)
        frame.sample_rate = SAMPLE_RATE
        frame.time_base = _TIME_BASE
        frame.pts = start
        fresh = packets(frame)
        produced += fresh
        if put is not None:
            put(fresh)
    fresh = packets(None)
    produced += fresh
    if len(produced) != sound.packet_count:
        raise RuntimeError(
            f"an AAC island gave {len(produced)} packets, expected {sound.packet_count}"
        )
    if put is not None:
        put(fresh)
    return produced


class AudioEncoder:
    """Encodes ``track`` to AAC on a worker thread, island by island, ahead of the video.

    ``take`` hands the main thread the packets of the whole stream in order, stamped with
    their time; only the main thread muxes. Islands found in ``cache`` are not encoded.
    ``pool``: where islands are encoded (``encode_island``; a batch on Ray passes its tasks),
    each read and loaded here first; None: on two threads of this encoder's own, as they come.
    """

    def __init__(
        self,
        track: AudioTrack,
        bit_rate: int,
        extradata: bytes,
        cache: PacketCache,
        pool: Executor | None = None,
    ) -> None:
        self.track = track
        self.bit_rate = bit_rate
        self.extradata = extradata
        self.cache = cache
        self.pool = pool
        self.settings = settings_key(bit_rate, extradata)
        self.total_packets = packet_count(track.n_samples)
        self.islands = plan_islands(track)
        self.encoded_samples = 0  # island samples encoded (not read from the cache)
        self.cached_samples = 0  # island samples read from the cache
        self.produced = 0  # packets of the stream ready so far
        self.finished = False
        self.error: BaseException | None = None
        self._ready: list[av.Packet] = []
        self._stop = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="aac-encoder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop early (cancel, failure) and wait until the encoder is no longer in use."""
        with self._changed:
            self._stop = True
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def take(self, end_sample: int | None, lag_samples: int = 0) -> list[av.Packet]:
        """The packets ready now; first waits until the stream is ready to within
        ``lag_samples`` of track sample ``end_sample`` (or to its end when None)."""
        if end_sample is None:
            wanted = None
        else:
            wanted = min(self.total_packets, (end_sample - lag_samples) // AAC_FRAME)

        def done() -> bool:
            return self.finished or (wanted is not None and self.produced >= wanted)

        ready: list[av.Packet] = []
        with self._changed:
            while True:  # drained while waiting: the encoder hands over at most _READY_LIMIT
                self._changed.wait_for(lambda: done() or bool(self._ready))
                ready += self._ready
                self._ready = []
                self._changed.notify_all()
                if done():
                    break
            if self.error is not None:
                raise self.error
            ready += self._ready
            self._ready = []
        return ready

    # -- the worker thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            silence = _silent_packet(self.bit_rate)
            islands = [i for i in self.islands if i.first_packet < self.total_packets]
            # with a pool of another's, these threads only load islands and wait for them
            workers = _ISLAND_WORKERS if self.pool is None else _ISLANDS_AHEAD + 1
            with ThreadPoolExecutor(workers, thread_name_prefix="aac-island") as pool:
                outputs: collections.deque[tuple[Island, _IslandOutput]] = collections.deque()
                upcoming = iter(islands)
                try:
                    for island in upcoming:  # a few islands ahead of the one being emitted
                        outputs.append((island, self._start(pool, island)))
                        if len(outputs) > _ISLANDS_AHEAD:
                            break
                    while outputs and not self._stop:
                        island, output = outputs.popleft()
                        self._emit_silence(silence, island.first_packet)
                        for packets in output.pieces():
                            self._emit(packets)
                        following = next(upcoming, None)
                        if following is not None:
                            outputs.append((following, self._start(pool, following)))
                finally:
                    for _, output in outputs:
                        output.cancel()
            if not self._stop:
                self._emit_silence(silence, self.total_packets)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread in take()
            with self._changed:
                self.error = error
        finally:
            with self._changed:
                self.finished = True
                self._changed.notify_all()

    def _start(self, pool: ThreadPoolExecutor, island: Island) -> _IslandOutput:
        output = _IslandOutput()
        pool.submit(self._island, island, output)
        return output

    def _emit(self, packets: list[tuple[bytes, bool]]) -> None:
        """Stamp the next packets of the stream and hand them over (none past its end)."""
        stamped = []
        for data, keyframe in packets[: self.total_packets - self.produced]:
            index = self.produced + len(stamped)
            packet = av.Packet(data)
            packet.time_base = _TIME_BASE
            packet.pts = packet.dts = AAC_FRAME * (index - 1)
            packet.duration = self._duration(index)
            packet.is_keyframe = keyframe
            stamped.append(packet)
        with self._changed:
            self._changed.wait_for(lambda: self._stop or len(self._ready) < _READY_LIMIT)
            self._ready.extend(stamped)
            self.produced += len(stamped)
            self._changed.notify_all()

    def _duration(self, index: int) -> int:
        if index < self.total_packets - 1:
            return AAC_FRAME
        fed = max(0, self.track.n_samples - AAC_PRIMING)
        return fed - AAC_FRAME * (self.total_packets - 2) if self.total_packets > 1 else AAC_FRAME

    def _emit_silence(self, silence: bytes, until: int) -> None:
        while self.produced < until and not self._stop:
            self._emit([(silence, True)] * min(until - self.produced, 256))

    def _island(self, island: Island, output: _IslandOutput) -> None:
        """Encode ``island`` (or read it from the cache) into ``output``: here, piece by piece,
        or as a whole on ``pool``."""
        try:
            key = island.key(self.settings)
            length = island.end - island.begin
            stored = self.cache.get(key)
            if stored is not None and len(stored) == island.packet_count:
                output.put([(p.data, p.keyframe) for p in stored])
                with self._changed:
                    self.cached_samples += length
                return
            loaded = [(piece.start - island.begin, _loaded(piece)) for piece in island.pieces]
            mono = all(samples.ndim == 1 for _, samples in loaded) and mono_islands_work(
                self.bit_rate, self.extradata
            )
            sound = IslandSound(length, tuple(loaded), self.bit_rate, self.extradata, mono)
            if self.pool is None:
                produced = encode_island(sound, output.put, lambda: output.cancelled or self._stop)
                if produced is None:
                    return
            else:
                produced = self.pool.submit(encode_island, sound).result()
                output.put(produced)
            with self._changed:
                self.encoded_samples += length
            self.cache.put(key, [StoredPacket(d, i, k) for i, (d, k) in enumerate(produced)])
        except BaseException as error:  # noqa: BLE001 - raised where the island is emitted
            output.fail(error)
        finally:
            output.close()


class _IslandOutput:
    """Packets of one island as its worker produces them, read in order by the emitter."""

    def __init__(self) -> None:
        self._pieces: list[list[tuple[bytes, bool]]] = []
        self._done = False
        self._error: BaseException | None = None
        self.cancelled = False
        self._changed = threading.Condition()

    def put(self, packets: list[tuple[bytes, bool]]) -> None:
        with self._changed:
            self._pieces.append(packets)
            self._changed.notify_all()

    def fail(self, error: BaseException) -> None:
        with self._changed:
            self._error = error

    def close(self) -> None:
        with self._changed:
            self._done = True
            self._changed.notify_all()

    def cancel(self) -> None:
        self.cancelled = True

    def pieces(self) -> Iterator[list[tuple[bytes, bool]]]:
        """Each list of packets put, as it comes; raises the worker's error at its place."""
        taken = 0
        while True:
            with self._changed:
                self._changed.wait_for(lambda n=taken: self._done or len(self._pieces) > n)
                ready = self._pieces[taken:]
                taken = len(self._pieces)
                done, error = self._done, self._error
            yield from ready
            if done and taken == len(self._pieces):
                if error is not None:
                    raise error
                return

"""AAC islands: mono narration encoded once and written as stereo frames, the stereo path for
pieces whose channels differ, and the frame rewrite itself."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from lecture_studio.render.aac import (
    AAC_PRIMING,
    SAMPLE_RATE,
    AudioPiece,
    AudioTrack,
    mono_islands_work,
    new_aac_encoder,
    stereo_from_mono,
)
from lecture_studio.render.encoder import StillSegment, VideoSettings, encode_mp4

BIT_RATE = 384_000
WIDTH, HEIGHT, FPS = 160, 90, 30


def speech(seconds: float, seed: int) -> np.ndarray:
    """Noise in a voice's band (up to 16 kHz; the encoder codes up to 20 kHz), pulsing."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    spectrum = np.fft.rfft(rng.standard_normal(t.size))
    spectrum[np.fft.rfftfreq(t.size, 1 / SAMPLE_RATE) > 16_000] = 0
    noise = np.fft.irfft(spectrum, t.size)
    return (0.2 * noise * (0.5 + 0.5 * np.sin(8 * np.pi * t))).astype(np.float32)


def encode(codec: av.CodecContext, planar: np.ndarray, layout: str) -> list[bytes]:
    frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout=layout)
    frame.sample_rate = SAMPLE_RATE
    frame.pts = 0
    return [bytes(p) for p in codec.encode(frame)] + [bytes(p) for p in codec.encode(None)]


def decode(packets: list[bytes], layout: str, extradata: bytes | None = None) -> np.ndarray:
    decoder = av.CodecContext.create("aac", "r")
    decoder.sample_rate = SAMPLE_RATE
    decoder.layout = layout
    if extradata:
        decoder.extradata = extradata
    return np.concatenate(
        [f.to_ndarray() for p in packets for f in decoder.decode(av.Packet(p))], 1
    )


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


def test_rewritten_mono_frames_decode_to_the_mono_sound_on_both_channels() -> None:
    stereo_headers = bytes(new_aac_encoder(BIT_RATE).extradata)
    mono = encode(new_aac_encoder(BIT_RATE // 2, "mono"), speech(2.0, 1)[None, :], "mono")
    rewritten = [stereo_from_mono(p) for p in mono]
    expected = decode(mono, "mono")[0]
    got = decode(rewritten, "stereo", stereo_headers)
    assert got.shape == (2, expected.size)
    np.testing.assert_array_equal(got[0], expected)
    np.testing.assert_array_equal(got[1], expected)
    assert mono_islands_work(BIT_RATE, stereo_headers)


def test_a_stereo_frame_or_garbage_is_not_rewritten() -> None:
    stereo = encode(new_aac_encoder(BIT_RATE), np.tile(speech(0.2, 2), (2, 1)), "stereo")
    with pytest.raises(ValueError, match="mono AAC frame"):
        stereo_from_mono(stereo[3])
    with pytest.raises(ValueError, match="mono AAC frame"):
        stereo_from_mono(b"\x00\x00")


def test_mono_and_stereo_pieces_keep_their_channels(tmp_path: Path, monkeypatch) -> None:
    """Dual-mono narration plays the same on both channels, encoded once as mono; a piece with
    two different channels (taken the stereo way) keeps them apart. Both match their source."""
    from lecture_studio.render import aac

    rewritten: list[int] = []

    def counting(frame: bytes) -> bytes:
        rewritten.append(len(frame))
        return stereo_from_mono(frame)

    monkeypatch.setattr(aac, "stereo_from_mono", counting)
    voice = speech(1.0, 3)
    left, right = speech(1.0, 4), speech(1.0, 5) * 0.5
    duo = np.stack([left, right], axis=1)
    far = 3 * SAMPLE_RATE  # far enough apart to be separate islands
    n = 5 * SAMPLE_RATE
    track = AudioTrack(
        n,
        (
            AudioPiece(AAC_PRIMING + 4096, voice.size, lambda: voice),
            AudioPiece(far, duo.shape[0], lambda: duo),
        ),
    )
    out = tmp_path / "two.mp4"
    picture = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    encode_mp4(out, [StillSegment(picture, 5 * FPS)], track, VideoSettings(WIDTH, HEIGHT, FPS))
    sound = decoded_audio(out)
    # the mono island's packets only: 1 s of sound and its margins, and the encoder's delay
    assert 40 < len(rewritten) < 60
    first = slice(AAC_PRIMING + 4096, AAC_PRIMING + 4096 + voice.size)
    np.testing.assert_array_equal(sound[0, first], sound[1, first])
    second = slice(far, far + duo.shape[0])
    for channel, source in ((0, left), (1, right)):
        error = sound[channel, second] - source
        assert np.sqrt(np.mean(error**2)) < 0.1 * np.sqrt(np.mean(source**2))
    error = sound[0, first] - voice
    assert np.sqrt(np.mean(error**2)) < 0.1 * np.sqrt(np.mean(voice**2))

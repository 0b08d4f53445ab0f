"""Recorded narration in common formats decodes to 48 kHz mono of the right length and pitch."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from lecture_studio.errors import CorruptFileError, InputError, MissingAssetError
from lecture_studio.narration import NarrationClip, load_recording
from lecture_studio.narration.recorded import recording_length

SECONDS = 2.0
HZ = 440.0


def write_stereo_sine(path: Path, codec: str, rate: int, options: dict[str, str]) -> None:
    """Encode SECONDS of a 440 Hz sine (0.3 full scale) in both channels with PyAV."""
    t = np.arange(round(rate * SECONDS)) / rate
    wave = (0.3 * np.sin(2 * np.pi * HZ * t)).astype(np.float32)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout="stereo")
        stream.options = options
        context = stream.codec_context
        frame = av.AudioFrame.from_ndarray(np.stack([wave, wave]), format="fltp", layout="stereo")
        frame.sample_rate = rate
        to_encoder = av.AudioResampler(
            format=context.codec.audio_formats[0].name,
            layout="stereo",
            rate=rate,
            frame_size=context.frame_size or 1024,
        )
        for chunk in [*to_encoder.resample(frame), *to_encoder.resample(None)]:
            container.mux(stream.encode(chunk))
        container.mux(stream.encode(None))


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[np.argmax(spectrum)])


# (file name, codec, sample rate, options, allowed duration error in seconds): lossy codecs
# add encoder padding that their containers do not always trim.
FORMATS = [
    ("tone.wav", "pcm_s16le", 44100, {}, 0.0),
    ("tone.flac", "flac", 44100, {}, 0.0),
    ("tone.ogg", "vorbis", 44100, {"strict": "experimental"}, 0.05),
    ("tone.opus.ogg", "libopus", 48000, {}, 0.05),
    ("tone.mp3", "libmp3lame", 44100, {}, 0.05),
    ("tone.m4a", "aac", 44100, {}, 0.05),
]


@pytest.mark.parametrize("name, codec, rate, options, tolerance", FORMATS)
def test_recording_decodes_to_48k_mono_of_the_right_duration(
    tmp_path: Path, name: str, codec: str, rate: int, options: dict[str, str], tolerance: float
) -> None:
    path = tmp_path / name
    write_stereo_sine(path, codec, rate, options)
    clip = load_recording(path)
    assert isinstance(clip, NarrationClip)
    assert clip.sample_rate == 48000
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    if tolerance == 0.0:
        assert len(clip.samples) == round(SECONDS * 48000)
    else:
        assert clip.duration == pytest.approx(SECONDS, abs=tolerance)
    middle = clip.samples[24000:72000]
    assert dominant_frequency(middle, 48000) == pytest.approx(HZ, abs=2.0)
    # Both channels carry the same tone: averaging them keeps its level.
    assert np.max(np.abs(middle)) == pytest.approx(0.3, abs=0.03)
    assert clip.sentences == ()


def test_script_becomes_one_cue_over_the_whole_recording(tmp_path: Path) -> None:
    path = tmp_path / "voice.wav"
    write_stereo_sine(path, "pcm_s16le", 22050, {})
    clip = load_recording(path, script="  Welcome to\nthe course. ")
    assert [(c.start, c.end, c.text) for c in clip.sentences] == [
        (0.0, clip.duration, "Welcome to the course.")
    ]


def test_missing_recording_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(MissingAssetError, match="intro.wav"):
        load_recording(tmp_path / "intro.wav")


def test_damaged_recording_gives_a_clear_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.mp3"
    path.write_bytes(b"ID3\x03\x00\x00\x00" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="broken.mp3") as caught:
        load_recording(path)
    assert isinstance(caught.value, CorruptFileError)
    assert "\n" not in caught.value.message


def test_text_file_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("these are my notes, not audio\n" * 20)
    with pytest.raises(InputError, match="notes.wav"):
        load_recording(path)


@pytest.mark.parametrize(
    "name, codec, rate, known",
    [
        ("a.wav", "pcm_s16le", 48000, True),
        ("b.wav", "pcm_s24le", 48000, None),  # WAVE_FORMAT_EXTENSIBLE: read by 3.12's wave
        ("c.wav", "pcm_s16le", 44100, False),  # resampled: only decoding tells
        ("d.flac", "flac", 48000, False),
    ],
)
def test_a_48k_wav_gives_its_length_from_its_header(
    tmp_path: Path, name: str, codec: str, rate: int, known: bool | None
) -> None:
    path = tmp_path / name
    write_stereo_sine(path, codec, rate, {})
    length = recording_length(path)
    if known is not None:
        assert (length is not None) == known
    if length is not None:  # when the header tells, it tells what decoding gives
        assert length == len(load_recording(path).samples)


@pytest.mark.parametrize("channels", [1, 2, 3])
def test_a_48k_pcm_wav_read_directly_gives_ffmpegs_very_samples(tmp_path: Path, channels) -> None:
    """The direct path for 16-bit WAV at 48 kHz (a tenth of FFmpeg's time) is not a second
    decoder with its own rounding: sample for sample what FFmpeg gives."""
    import wave

    from lecture_studio.narration.recorded import _decode_with_ffmpeg, _pcm_wav, decode_audio

    rng = np.random.default_rng(channels)
    pcm = rng.integers(-32768, 32768, (48_000, channels), dtype=np.int16)
    path = tmp_path / "take.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(pcm.tobytes())
    direct = _pcm_wav(path, 48_000)
    assert direct is not None
    np.testing.assert_array_equal(direct, _decode_with_ffmpeg(path, 48_000))
    np.testing.assert_array_equal(decode_audio(path), direct)
    assert _pcm_wav(path, 44_100) is None  # another rate goes through FFmpeg's resampler

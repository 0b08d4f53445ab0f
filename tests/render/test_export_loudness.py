"""The exported stereo programme measures -16 LUFS integrated over both channels (BS.1770), with
true peaks at or under -1 dBTP: measured on the decoded MP4, not on the mono narration."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.model import Lecture, Slide
from lecture_studio.narration import integrated_loudness, true_peak_dbtp
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture

RATE = 48_000


def speech_like(seconds: float, level: float, seed: int) -> np.ndarray:
    """A buzz at a voice's pitch with breathy noise, both mostly under 4 kHz like speech (AAC
    keeps that band intact), shaped into 4 Hz syllables, at ``level`` peak amplitude: a crest
    factor like a voice's, so the true-peak ceiling matters when it is loud."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    syllables = 0.1 + np.clip(np.sin(2 * np.pi * 4 * t + rng.uniform(0, 6)), 0, None) ** 2
    voiced = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    breath = np.convolve(rng.standard_normal(t.size), np.ones(12) / 12, mode="same")
    signal = syllables * (voiced + 2.0 * breath)
    return (level * signal / np.abs(signal).max()).astype(np.float32)


def wav_bytes(samples: np.ndarray) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            (samples * 32767).astype(np.int16)[None], format="s16", layout="mono"
        )
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return buffer.getvalue()


def decoded_stereo(path: Path) -> np.ndarray:
    """The MP4's sound as float samples, one column per channel."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.channels == 2 and stream.rate == RATE
        planes = [frame.to_ndarray() for frame in container.decode(stream)]
    return np.concatenate(planes, axis=1).T.astype(np.float64)


def test_exported_stereo_track_measures_minus_16_lufs_with_peaks_under_minus_1_dbtp(
    tmp_path: Path,
) -> None:
    lecture = Lecture(title="Loudness")
    project = Project(lecture)
    # a whisper, an ordinary voice and one shouting into the microphone
    for i, level in enumerate((0.02, 0.3, 1.0)):
        slide = Slide(title=f"Part {i + 1}")
        slide.narration.source = "recording"
        voice = speech_like(12.0, level, seed=i)
        slide.narration.recording = project.add_asset(wav_bytes(voice), ".wav")
        lecture.slides.append(slide)
    dest = tmp_path / "loudness.mp4"
    options = ExportOptions(
        size=(64, 36), captions=False, chapters=False, thumbnail=False, cache_dir=tmp_path
    )
    export_lecture(project, dest, options)

    stereo = decoded_stereo(dest)
    assert np.array_equal(stereo[:, 0], stereo[:, 1])  # the mono narration, on both sides
    # BS.1770 over both channels: the programme is at the target, each channel 3 LU under it
    assert integrated_loudness(stereo, RATE) == pytest.approx(-16.0, abs=0.15)
    assert integrated_loudness(stereo[:, 0], RATE) == pytest.approx(-19.0, abs=0.15)
    for channel in stereo.T:
        assert true_peak_dbtp(channel.astype(np.float32)) <= -1.0


def test_the_loudness_cache_key_follows_the_programme_target() -> None:
    """Narration normalized for the old mono target (-16 LUFS per channel) is not reused."""
    from lecture_studio.narration import NarrationClip
    from lecture_studio.narration.cache import loudness_key

    clip = NarrationClip(speech_like(1.0, 0.3, seed=5), RATE)
    from lecture_studio.narration.lecture import LOUDNESS

    target, ceiling, pause = LOUDNESS
    assert target == pytest.approx(-16.0 - 10 * np.log10(2)) and ceiling <= -1.0
    assert loudness_key(clip, target, ceiling, pause) != loudness_key(clip, -16.0, -1.0)
    assert loudness_key(clip, target, ceiling, pause) != loudness_key(clip, target, ceiling)

"""End to end: decks with notes -> MP4 in YouTube's settings with captions, chapters, thumbnail."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from instruments.engines import StandInEngine
from instruments.mp4inspect import inspect_mp4
from PIL import Image

from lecture_studio.cli import main
from lecture_studio.errors import Cancelled, ExportError
from lecture_studio.importers import import_path
from lecture_studio.jobs import CancelToken
from lecture_studio.narration.choose import voice_catalog
from lecture_studio.narration.cleanup import split_sentences
from lecture_studio.narration.clip import SAMPLE_RATE, NarrationClip
from lecture_studio.narration.engine import speak_sentences
from lecture_studio.plugins import PluginRegistry
from lecture_studio.render.captions import parse_srt, parse_vtt
from lecture_studio.render.export import ExportOptions, export_lecture

SMALL = (320, 180)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make test installs it)"
)


def export_small(project, dest, cache, **kw):
    return export_lecture(project, dest, ExportOptions(size=SMALL, cache_dir=cache, **kw))


def check_youtube_settings(path, expected_seconds: float, fps: int = 30) -> None:
    report = inspect_mp4(path)
    video, audio = report.video, report.audio
    assert report.moov_before_mdat and not report.has_edit_list
    assert video.codec == "h264" and video.profile == "High" and video.pix_fmt == "yuv420p"
    assert (video.width, video.height) == SMALL
    assert video.is_constant_frame_rate and video.average_rate == fps
    assert max(video.gop_lengths) <= fps // 2 and video.closed_gops
    assert video.max_consecutive_b_frames == 2 and not video.interlaced
    assert (video.color_primaries, video.colorspace) == ("bt709", "bt709")
    assert audio.codec == "aac" and audio.profile == "LC"
    assert audio.sample_rate == 48_000 and audio.channels == 2
    assert video.start_time == 0 and audio.start_time == 0
    assert abs(video.frame_count / fps - expected_seconds) <= 1 / fps


@needs_espeak
@pytest.mark.parametrize(
    "deck",
    ["pandoc__speaker-notes_output.pptx", "poi__SampleShow.pptx", "furaga__sample_ja-notes.pptx"],
)
def test_corpus_decks_with_notes_export(deck, corpus, tmp_path):
    project = import_path(corpus / deck)
    dest = tmp_path / "out" / "lecture.mp4"
    result = export_small(project, dest, tmp_path / "cache")
    assert result.video == dest and dest.is_file()
    check_youtube_settings(dest, result.duration)

    srt = parse_srt(dest.with_suffix(".srt").read_text(encoding="utf-8"))
    vtt = parse_vtt(dest.with_suffix(".vtt").read_text(encoding="utf-8"))
    assert srt and [(c.start, c.end) for c in srt] == [(c.start, c.end) for c in vtt]
    for cue in srt:
        assert 0 <= cue.start < cue.end <= result.duration + 1e-3
        assert 1 <= len(cue.lines) <= 2
    thumb = Image.open(tmp_path / "out" / "lecture.thumbnail.png")
    assert thumb.size == (1280, 720)
    # no temporary files left beside the video
    assert not [p for p in dest.parent.iterdir() if p.name.startswith(".")]


class BilingualToneEngine(StandInEngine):
    """A registry's only engine, with a US English and a Japanese voice: each sentence is half
    a second of tone. (The wheel's test exports the sample lecture with the real voices.)"""

    name = "bilingual-tone"
    version = "1"
    VOICES = (("anna", "en-US", "Anna"), ("hana", "ja", "Hana"))

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        t = np.arange(SAMPLE_RATE // 2, dtype=np.float32) / SAMPLE_RATE
        tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        return speak_sentences(split_sentences(text), lambda sentence: tone, rate)


def test_sample_lecture_gets_chapters_and_japanese_captions(tmp_path):
    from lecture_studio.resources import resource_path

    project = import_path(resource_path("sample-lecture", "sample-lecture.pptx"))
    dest = tmp_path / "sample.mp4"
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("bilingual-tone", BilingualToneEngine),
    )
    result = export_small(project, dest, tmp_path / "cache", voices=voice_catalog(registry))
    assert {v.voice.voice for v in result.voices.values() if v.voice} == {"anna", "hana"}
    chapters = (tmp_path / "sample.chapters.txt").read_text(encoding="utf-8").splitlines()
    assert chapters[0].startswith("0:00 ") and len(chapters) >= 3
    captions = dest.with_suffix(".srt").read_text(encoding="utf-8")
    assert any("\u3040" <= ch <= "\u30ff" for ch in captions)  # the Japanese slide is captioned
    check_youtube_settings(dest, result.duration)


def test_cancel_leaves_earlier_export_intact(corpus, tmp_path):
    project = import_path(corpus / "poi__SampleShow.pptx")
    for slide in project.lecture.slides:
        slide.script = ""  # no TTS needed: default durations
    dest = tmp_path / "lecture.mp4"
    dest.write_bytes(b"earlier export")
    cancel = CancelToken()

    def progress(fraction, message):
        if fraction > 0.5:
            cancel.cancel()

    with pytest.raises(Cancelled):
        export_lecture(project, dest, ExportOptions(size=SMALL), progress=progress, cancel=cancel)
    assert dest.read_bytes() == b"earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lecture.mp4"]


def test_unwritable_destination_is_a_clear_error(corpus, tmp_path):
    project = import_path(corpus / "poi__SampleShow.pptx")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="folder"):
        export_lecture(project, blocker / "lecture.mp4", ExportOptions(size=SMALL))


def test_cli_bad_input_exit_2_and_nothing_written(corpus, tmp_path, capsys):
    dest = tmp_path / "x.mp4"
    broken = corpus / "poi__clusterfuzz-5463285576892416_corrupt.pptx"
    code = main(["export", str(broken), "-o", str(dest), "--quiet"])
    assert code == 2
    assert "download it again" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    import io

    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=rate, layout="mono")
        pcm = (samples * 32767).astype(np.int16)[None]
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return buffer.getvalue()


def luma(frame) -> np.ndarray:
    """The luma plane of a decoded yuv420p frame, without its row padding."""
    plane = frame.planes[0]
    rows = np.frombuffer(plane, np.uint8).reshape(frame.height, plane.line_size)
    return rows[:, : frame.width]


def test_sync_over_an_hour(tmp_path):
    """A 61-minute lecture of recorded narration, each slide's recording starting with a tone
    burst: every slide change in the decoded picture falls within half a frame of its burst in
    the decoded sound, from the first slide to the last."""
    import av

    from lecture_studio.model import Lecture, Slide, TransitionSpec
    from lecture_studio.project import Project

    rate, fps, n = 48_000, 30, 122
    # seven recordings of different lengths, in turn: few assets in memory, and no two
    # neighbours of the same length, so every rounding of a slide's length adds up
    lengths = np.resize(np.random.default_rng(1).uniform(28.0, 32.0, 7), n)
    assert lengths.sum() > 3660
    lecture = Lecture(title="Long")
    lecture.style.transition = TransitionSpec("cut", 0.0)  # a change is one frame
    project = Project(lecture)
    burst = 0.5 * np.sin(np.arange(480) * 2 * np.pi * 1000 / rate)
    for i, seconds in enumerate(lengths):
        samples = np.zeros(int(seconds * rate), np.float32)
        samples[: len(burst)] = burst
        slide = Slide(title=f"Part {i}" if i % 2 else "")  # neighbours always look different
        slide.narration.source = "recording"
        slide.narration.recording = project.add_asset(_wav_bytes(samples, rate), ".wav")
        slide.duration.lead_in = 0.0
        lecture.slides.append(slide)
    dest = tmp_path / "long.mp4"
    options = ExportOptions(size=(64, 36), captions=False, chapters=False, thumbnail=False)
    result = export_lecture(project, dest, options, cancel=CancelToken())

    loud_parts, n_samples = [], 0  # where the sound is loud, without keeping an hour of it
    with av.open(str(dest)) as container:
        for frame in container.decode(audio=0):
            left = frame.to_ndarray()[0]
            loud_parts.append(np.flatnonzero(np.abs(left) > 0.1) + n_samples)
            n_samples += left.size
    with av.open(str(dest)) as container:
        # the mean of each picture's luma plane, read in place (half the time of to_ndarray)
        means = np.array([luma(f).mean() for f in container.decode(video=0)])
    loud = np.concatenate(loud_parts)
    bursts = [loud[0], *(b for a, b in zip(loud, loud[1:], strict=False) if b - a > rate)]
    changes = [0, *np.flatnonzero(np.abs(np.diff(means)) > 0.5) + 1]
    timeline = result.timeline
    assert len(bursts) == len(changes) == len(timeline.slides) == n
    for timing, burst_sample, change_frame in zip(timeline.slides, bursts, changes, strict=True):
        assert change_frame == timing.start_frame  # the picture changes where the slide starts
        # ...and its narration sounds where the timeline put it, within half a frame
        assert abs(burst_sample - timing.narration_start) / rate <= 0.5 / fps
        assert timing.narration_start - timing.start_sample < rate // fps or timing.index == 0
    assert len(means) == timeline.total_frames
    assert n_samples / rate == pytest.approx(result.duration, abs=1 / fps)


def test_a_reexport_after_one_narration_edit_encodes_only_that_narration(tmp_path):
    """Editing slide 2's recording moves every later slide; the second export still finds every
    picture, crossfade and other slide's sound in the export cache, and encodes only the new
    recording's sound."""
    from lecture_studio.model import Lecture, Slide, TransitionSpec
    from lecture_studio.project import Project

    rate = 48_000
    lecture = Lecture(title="Edit")
    lecture.style.transition = TransitionSpec("crossfade", 0.5)
    project = Project(lecture)
    rng = np.random.default_rng(3)
    for i in range(4):
        slide = Slide(title=f"Part {i + 1}")
        slide.narration.source = "recording"
        voice = (0.2 * rng.standard_normal(int((2.0 + i / 3) * rate))).astype(np.float32)
        slide.narration.recording = project.add_asset(_wav_bytes(voice, rate), ".wav")
        lecture.slides.append(slide)
    options = ExportOptions(size=SMALL, cache_dir=tmp_path / "cache", captions=False)
    first = export_lecture(project, tmp_path / "first.mp4", options)
    assert first.stats.frames_encoded > 0 and first.stats.audio_samples_from_cache == 0

    shorter = (0.2 * rng.standard_normal(int(1.5 * rate))).astype(np.float32)
    lecture.slides[1].narration.recording = project.add_asset(_wav_bytes(shorter, rate), ".wav")
    again = export_lecture(project, tmp_path / "again.mp4", options)
    assert again.timeline.total_frames < first.timeline.total_frames
    assert again.stats.frames_encoded == 0  # no picture or crossfade changed
    # the new recording's island: the clip and the silence kept on either side, nothing else
    assert len(shorter) <= again.stats.audio_samples_encoded <= len(shorter) + 6 * 1024
    assert again.stats.audio_samples_from_cache > 3 * 2 * rate
    check_youtube_settings(tmp_path / "again.mp4", again.duration)

"""Narration recorded in PowerPoint (Slide Show > Record) imported as the slides' recordings.

The deck is built as PowerPoint saves a recorded show: each recorded slide holds its sound as
a media part (an .m4a from PowerPoint 2016 on, a .wav from older ones) on a small loudspeaker
picture, played by ``<p:audio isNarration="1">``, and the slide's "advance after" time is the
recorded timing. The export must play each recording on its slide, keep that timing, and caption
the speaker notes."""

from __future__ import annotations

import io
import shutil
import wave

import av
import numpy as np
import pytest
from instruments.mp4inspect import inspect_mp4
from instruments.pptx_parts import add_recorded_narration, m4a_tone, set_transition, textured_slide
from pptx import Presentation

from lecture_studio.cli import main
from lecture_studio.importers import import_path
from lecture_studio.project import Project
from lecture_studio.render.captions import parse_srt
from lecture_studio.render.export import ExportOptions, export_lecture

RATE = 48_000
FPS = 30
NOTES = "Photosynthesis turns light into sugar."

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)"
)


def wav_tone(seconds: float, frequency: float, rate: int = 44_100) -> bytes:
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.4 * 32767 * np.sin(2 * np.pi * frequency * t)).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def build_recorded_deck(path):
    """Slide 1 silent for 1.5 s; slide 2 recorded (440 Hz m4a, 2.0 s) and timed at 2.6 s;
    slide 3 recorded (660 Hz wav, 1.5 s) with no timing."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = 12192000, 6858000
    first = textured_slide(deck, (220, 40, 40))
    set_transition(first, "", adv_ms=1500)
    second = textured_slide(deck, (40, 70, 220))
    set_transition(second, "<p:fade/>", p14_dur=500, spd="fast", adv_ms=2600)
    add_recorded_narration(second, m4a_tone(2.0, 440.0), "m4a", 1)
    second.notes_slide.notes_text_frame.text = NOTES
    third = textured_slide(deck, (40, 180, 60))
    add_recorded_narration(third, wav_tone(1.5, 660.0), "wav", 2)
    deck.save(path)
    return path


def test_recordings_become_the_slides_narration(tmp_path):
    project = import_path(build_recorded_deck(tmp_path / "recorded.pptx"))
    first, second, third = project.lecture.slides
    assert first.narration.source == "tts" and first.narration.recording is None
    assert second.narration.source == "recording"
    assert second.narration.recording.endswith(".m4a")
    assert third.narration.recording.endswith(".wav")
    assert project.asset_bytes(second.narration.recording) == m4a_tone(2.0, 440.0)
    # the recorded timing kept; the notes stay the caption text; the loudspeaker is no content
    assert (second.duration.mode, second.duration.seconds) == ("fixed", 2.6)
    assert second.duration.lead_in == 0.0 and second.script == NOTES
    assert second.pictures == [] and third.pictures == []
    assert not project.warnings

    project.save(tmp_path / "saved.lecture")
    loaded = Project.load(tmp_path / "saved.lecture")
    again = loaded.lecture.slides[1]
    assert again.narration.source == "recording"
    assert loaded.asset_bytes(again.narration.recording) == m4a_tone(2.0, 440.0)


def test_a_sound_that_is_not_narration_is_left_alone(tmp_path):
    deck = Presentation()
    slide = textured_slide(deck, (220, 40, 40))
    add_recorded_narration(slide, m4a_tone(0.5, 440.0))
    audio = slide._element.find(
        ".//{http://schemas.openxmlformats.org/presentationml/2006/main}audio"
    )
    del audio.attrib["isNarration"]  # a sound placed on the slide, played on a click
    deck.save(tmp_path / "sound.pptx")
    project = import_path(tmp_path / "sound.pptx")
    assert project.lecture.slides[0].narration.source == "tts"


def _tone_level(samples: np.ndarray, frequency: float) -> float:
    """The amplitude of ``frequency`` in ``samples`` (a windowed DFT bin)."""
    if samples.size == 0:
        return 0.0
    t = np.arange(samples.size) / RATE
    window = np.hanning(samples.size)
    return 2 * abs(np.sum(samples * window * np.exp(-2j * np.pi * frequency * t))) / window.sum()


def _decoded_audio(path) -> np.ndarray:
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=RATE)
        chunks = [
            out.to_ndarray()[0]
            for frame in container.decode(audio=0)
            for out in resampler.resample(frame)
        ]
    return np.concatenate(chunks)


@needs_libreoffice
def test_export_plays_each_recording_on_its_slide_with_the_recorded_timing(tmp_path):
    project = import_path(build_recorded_deck(tmp_path / "recorded.pptx"))
    dest = tmp_path / "out.mp4"
    result = export_lecture(project, dest, ExportOptions(size=(320, 180), cache_dir=tmp_path / "c"))
    first, second, third = result.timeline.slides
    assert first.frames == round(1.5 * FPS)  # silent: its "advance after" time
    assert second.frames == round(2.6 * FPS)  # recorded: the recorded timing
    # no timing: the recording from the slide's start, then the lecture's tail
    assert third.narration_start - third.start_sample < 0.03 * RATE
    assert third.end_sample - third.narration_start == pytest.approx(
        (1.5 + project.lecture.timing.tail) * RATE, abs=RATE / FPS
    )
    report = inspect_mp4(dest)
    assert report.video.frame_count == first.frames + second.frames + third.frames

    sound = _decoded_audio(dest)

    def span(start: float, end: float) -> np.ndarray:
        return sound[round(start * RATE) : round(end * RATE)]

    s2, s3 = second.start_sample / RATE, third.start_sample / RATE
    assert np.abs(span(0.1, 1.4)).max() < 1e-3  # the silent slide is silent
    inside2, inside3 = span(s2 + 0.2, s2 + 1.8), span(s3 + 0.2, s3 + 1.3)
    assert _tone_level(inside2, 440) > 0.05 and _tone_level(inside2, 660) < 0.01
    assert _tone_level(inside3, 660) > 0.05 and _tone_level(inside3, 440) < 0.01
    # the 2 s recording ends 0.6 s before its slide does, as recorded
    assert np.abs(span(s2 + 2.15, s3 - 0.05)).max() < 1e-2

    cues = parse_srt(dest.with_suffix(".srt").read_text(encoding="utf-8"))
    assert [" ".join(cue.lines) for cue in cues] == [NOTES]
    assert s2 - 0.05 <= cues[0].start and cues[0].end <= s2 + 2.1


def test_info_says_which_slides_carry_a_recording(tmp_path, capsys):
    deck = build_recorded_deck(tmp_path / "recorded.pptx")
    assert main(["info", str(deck)]) == 0
    out = capsys.readouterr().out
    voices = [line.split("voice:")[1].strip() for line in out.splitlines() if "voice:" in line]
    assert voices[0] != "recorded" and voices[1:] == ["recorded", "recorded"]
    assert "Recorded:  slides 2, 3" in out
    assert "deck: transition in: fade (as crossfade, 0.5 s); advances after 2.6 s" in out

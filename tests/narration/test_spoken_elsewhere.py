"""Narration spoken in another process (a batch on Ray): what is left to speak, spoken where
the voice is (``synthesize``), kept where the lecture is exported (``keep_spoken``), gives the
clip speaking it there would have given, and the export speaks nothing itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from instruments.engines import StandInEngine

from lecture_studio.model import Lecture, Slide
from lecture_studio.narration import NarrationClip
from lecture_studio.narration.choose import voice_catalog
from lecture_studio.narration.clip import TimedText
from lecture_studio.narration.lecture import (
    keep_spoken,
    narrated_clip,
    speech_to_speak,
    speech_to_synthesize,
    synthesize,
)
from lecture_studio.plugins import PluginRegistry
from lecture_studio.project import Project


class LoudEngine(StandInEngine):
    """A fake engine: a tone over full scale (the cache stores it scaled) as long as the text,
    one timed sentence; counts what it was asked to speak."""

    name = "loud"
    version = "1"
    spoken: list[str] = []

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        LoudEngine.spoken.append(text)
        seconds = 0.04 * len(text)
        t = np.arange(round(48000 * seconds)) / 48000
        samples = (1.7 * np.sin(2 * np.pi * 220 * t) * np.sin(np.pi * t / seconds)).astype(
            np.float32
        )
        return NarrationClip(samples, 48000, (TimedText(0.0, seconds, text),))


class LoudEngineV2(LoudEngine):
    version = "2"


def catalog(engine: type[LoudEngine]):
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("loud", engine),
    )
    return voice_catalog(registry)


def lecture() -> Project:
    slides = [
        Slide(script="Plants turn light into sugar.", language="en"),
        Slide(script="", language="en"),  # nothing to say
        Slide(script="Leaves are green.", language="en"),
    ]
    return Project(Lecture(slides=slides))


def test_speech_spoken_elsewhere_and_kept_is_what_the_export_would_have_spoken(
    tmp_path: Path,
) -> None:
    project = lecture()
    slides = project.lecture.slides
    voices = catalog(LoudEngine)
    LoudEngine.spoken = []
    left = speech_to_synthesize(project, slides, tmp_path / "there", voices)
    assert [s.slide_id for s in left] == [slides[0].id, slides[2].id]
    assert speech_to_speak(project, slides, tmp_path / "there", voices) == {
        slides[0].id: left[0].seconds,
        slides[1].id: 0.0,
        slides[2].id: left[1].seconds,
    }

    # spoken "elsewhere" (another engine object, as a worker has its own), kept here
    for speech in left:
        key, clip = synthesize(speech, LoudEngine())
        assert keep_spoken(speech, key, clip, tmp_path / "there", voices)
    assert len(LoudEngine.spoken) == 2
    assert speech_to_synthesize(project, slides, tmp_path / "there", voices) == []

    for slide in (slides[0], slides[2]):
        kept = narrated_clip(project, project.lecture, slide, tmp_path / "there", voices)
        local = narrated_clip(project, project.lecture, slide, tmp_path / "here", voices)
        assert kept is not None and local is not None
        assert np.array_equal(kept.samples, local.samples)
        assert kept.sentences == local.sentences
    # the export "there" spoke nothing itself; the one "here" spoke both slides
    assert len(LoudEngine.spoken) == 4


def test_a_clip_from_another_version_of_the_voice_is_not_kept(tmp_path: Path) -> None:
    project = lecture()
    slides = project.lecture.slides
    voices = catalog(LoudEngine)
    [first, _] = speech_to_synthesize(project, slides, tmp_path, voices)
    key, clip = synthesize(first, LoudEngineV2())
    assert not keep_spoken(first, key, clip, tmp_path, voices)
    assert [s.slide_id for s in speech_to_synthesize(project, slides, tmp_path, voices)] == [
        slides[0].id,
        slides[2].id,
    ]

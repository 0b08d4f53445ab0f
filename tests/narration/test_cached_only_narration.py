"""Reading narration that was spoken before without speaking anything (the editor's timeline
draws waveforms this way): the stored clip, or None, and never a call to the engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from instruments.engines import StandInEngine

from lecture_studio.model import Lecture, Slide
from lecture_studio.narration import NarrationClip
from lecture_studio.narration.cache import cached_synthesis, synthesize_cached
from lecture_studio.narration.choose import voice_catalog
from lecture_studio.narration.lecture import spoken_clip
from lecture_studio.plugins import PluginRegistry
from lecture_studio.project import Project


class CountingEngine(StandInEngine):
    """A fake engine: a tone as long as the text; counts what it was asked to speak."""

    name = "counting"
    version = "1"
    spoken: list[str] = []

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        CountingEngine.spoken.append(text)
        t = np.arange(round(48000 * 0.05 * len(text))) / 48000
        return NarrationClip((0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 48000)


def test_cached_synthesis_finds_only_what_was_spoken_and_never_speaks(tmp_path: Path) -> None:
    engine = CountingEngine()
    CountingEngine.spoken = []
    assert cached_synthesis(engine, "Welcome to the course.", "anna", 1.0, tmp_path) is None
    assert cached_synthesis(engine, "   ", "anna", 1.0, tmp_path) is None
    assert CountingEngine.spoken == []

    spoken = synthesize_cached(engine, "Welcome to the course.", "anna", 1.0, tmp_path)
    found = cached_synthesis(engine, "Welcome to the course.", "anna", 1.0, tmp_path)
    assert found is not None and np.array_equal(found.samples, spoken.samples)
    assert cached_synthesis(engine, "Welcome to the course.", "anna", 1.5, tmp_path) is None
    assert CountingEngine.spoken == ["Welcome to the course."]  # the one synthesize_cached


def test_cached_only_spoken_clip_is_none_until_the_slide_is_spoken(tmp_path: Path) -> None:
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("counting", CountingEngine),
    )
    voices = voice_catalog(registry)
    slide = Slide(script="Plants turn light into sugar.", language="en")
    project = Project(Lecture(slides=[slide]))
    CountingEngine.spoken = []
    assert spoken_clip(project, project.lecture, slide, tmp_path, voices, cached_only=True) is None
    assert CountingEngine.spoken == []

    said = spoken_clip(project, project.lecture, slide, tmp_path, voices)
    found = spoken_clip(project, project.lecture, slide, tmp_path, voices, cached_only=True)
    assert said is not None and found is not None
    assert np.array_equal(found.samples, said.samples)
    assert len(CountingEngine.spoken) == 1

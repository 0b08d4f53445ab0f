"""NarrationClip keeps exact sample counts, so the timeline can place clips to the sample."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.narration import NarrationClip, TimedText, silence


def test_silence_lasts_exactly_what_was_asked() -> None:
    pause = silence(1.25)
    assert len(pause.samples) == 60000
    assert pause.duration == 1.25
    assert not pause.samples.any()
    assert pause.sentences == ()


def test_clip_samples_are_float32_mono_and_read_only() -> None:
    clip = NarrationClip(np.ones(480, dtype=np.float64) * 0.5, 48000, [TimedText(0, 0.01, "Hi.")])
    assert clip.samples.dtype == np.float32
    assert clip.duration == pytest.approx(0.01)
    assert clip.sentences == (TimedText(0, 0.01, "Hi."),)
    assert clip.text == "Hi."
    with pytest.raises(ValueError):
        clip.samples[0] = 1.0


def test_stereo_samples_are_refused() -> None:
    with pytest.raises(ValueError, match="mono"):
        NarrationClip(np.zeros((2, 480), dtype=np.float32))

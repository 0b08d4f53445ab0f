"""The system voice (pyttsx3 + espeak-ng) speaks whole scripts, with exact sentence cues."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.narration import NarrationClip, NarrationError, Pyttsx3Engine, split_sentences
from lecture_studio.narration.clip import trim_silence
from lecture_studio.narration.recorded import decode_audio

ENGINE = Pyttsx3Engine()
pytestmark = pytest.mark.skipif(
    not ENGINE.available(), reason="no system voice: pyttsx3 or espeak-ng is not installed"
)

LESSON = (
    "Today we look at how plants turn light into food. Photosynthesis happens in the "
    "chloroplasts of leaf cells. Chlorophyll absorbs red and blue light and reflects green, "
    "which is why leaves look green to us. The light reactions split water and release oxygen "
    "as a by-product. The energy they capture is stored in two carrier molecules, ATP and "
    "NADPH. In the Calvin cycle, the plant uses that energy to fix carbon dioxide from the air "
    "into sugar. "
)


def script_of(words: int) -> str:
    """A lecture script of exactly ``words`` words, ending with a full stop."""
    text = " ".join((LESSON.split() * (words // len(LESSON.split()) + 1))[:words])
    return text.rstrip(".,") + "."


@pytest.fixture(scope="module")
def lecture_clip() -> NarrationClip:
    """A 300-word script spoken once for the tests of this module."""
    return ENGINE.synthesize(script_of(300), None, 1.0)


def test_a_300_word_script_is_spoken_in_full(lecture_clip: NarrationClip) -> None:
    """Regression test for pyttsx3's early return that silently dropped long texts."""
    script = script_of(300)
    clip = lecture_clip
    # 300 words at a normal speaking pace (120-220 words a minute) with pauses.
    assert 60.0 <= clip.duration <= 180.0
    assert [c.text for c in clip.sentences] == split_sentences(script)
    # Every sentence has sound: none came back as a truncated or empty file.
    for cue in clip.sentences:
        words = len(cue.text.split())
        assert cue.end - cue.start >= 0.15 * words, cue.text


def test_nothing_is_printed_on_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    """pyttsx3 prints "Audio saved to ..." for every file: our CLI output stays clean."""
    ENGINE.synthesize("One sentence. And another one.", None, 1.0)
    assert capfd.readouterr().out == ""


def test_one_very_long_sentence_is_spoken_in_full() -> None:
    """A 150-word sentence: long enough that pyttsx3 returns before espeak-ng has written."""
    sentence = script_of(150).replace(".", ",").rstrip(",") + "."
    clip = ENGINE.synthesize(sentence, None, 1.0)
    assert len(clip.sentences) == 1
    assert 35.0 <= clip.duration <= 90.0


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="the espeak-ng command is absent")
def test_each_sentence_cue_holds_that_whole_sentence(
    tmp_path: Path, lecture_clip: NarrationClip
) -> None:
    """Every cue lasts as long as espeak-ng's own command takes to say that sentence.

    A run loop that returns before espeak-ng has written can drop a sentence or hand one
    sentence's audio to the next; lengths measured with the espeak-ng command expose both.
    """
    clip = lecture_clip
    if "espeak-ng" not in ENGINE.version:
        pytest.skip("the system voice is not espeak-ng")
    reference: dict[str, float] = {}
    for cue in clip.sentences:
        if cue.text not in reference:
            wav = tmp_path / f"{len(reference)}.wav"
            subprocess.run(["espeak-ng", "-w", str(wav), cue.text], check=True)
            reference[cue.text] = len(trim_silence(decode_audio(wav))) / 48000
        assert cue.end - cue.start == pytest.approx(reference[cue.text], abs=0.06), cue.text


def test_sentence_cues_are_in_order_inside_the_clip_and_on_the_voice() -> None:
    clip = ENGINE.synthesize("First sentence here. Then a second one! And a third?", None, 1.0)
    cues = clip.sentences
    assert [c.text for c in cues] == ["First sentence here.", "Then a second one!", "And a third?"]
    assert cues[0].start >= 0.0 and cues[-1].end <= clip.duration + 1e-9
    for cue, following in zip(cues, cues[1:], strict=False):
        assert cue.start < cue.end <= following.start
    rms = [
        float(np.sqrt(np.mean(clip.samples[round(c.start * 48000) : round(c.end * 48000)] ** 2)))
        for c in cues
    ]
    gap = clip.samples[round(cues[0].end * 48000) + 960 : round(cues[1].start * 48000) - 960]
    assert min(rms) > 0.02
    assert np.max(np.abs(gap)) < 0.01  # the pause between sentences is silent


def test_clip_is_48k_mono_float32() -> None:
    clip = ENGINE.synthesize("Hello students.", None, 1.0)
    assert clip.sample_rate == 48000
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert 0.3 < clip.duration < 3.0
    assert 0.05 < np.max(np.abs(clip.samples)) <= 1.0


def test_faster_rate_gives_shorter_audio() -> None:
    text = "The Calvin cycle fixes carbon dioxide into sugar. It runs in the stroma."
    normal = ENGINE.synthesize(text, None, 1.0)
    fast = ENGINE.synthesize(text, None, 1.5)
    slow = ENGINE.synthesize(text, None, 0.75)
    assert fast.duration < 0.8 * normal.duration
    assert slow.duration > 1.2 * normal.duration


def test_a_chosen_voice_is_used_and_an_unknown_one_is_refused() -> None:
    voices = ENGINE.voices()
    assert voices
    other = next((v for v in voices if v.endswith("/en-us")), voices[0])
    assert ENGINE.synthesize("Hello.", other, 1.0).duration > 0.2
    with pytest.raises(NarrationError, match="no-such-voice"):
        ENGINE.synthesize("Hello.", "no-such-voice", 1.0)


def test_text_without_words_gives_an_empty_clip() -> None:
    assert ENGINE.synthesize(" ... !? ", None, 1.0).duration == 0.0

"""What every recording goes through: hum filtered out, pauses' noise gently gated, words left
alone; clipping in the source found and reported with the slide's number."""

from __future__ import annotations

import numpy as np
import pytest

from lecture_studio.narration.recorded import (
    clean_recording,
    clipping_note,
    find_clipping,
    gate_gains,
    high_pass,
)

RATE = 48000


def tone(hz: float, seconds: float, level: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


@pytest.mark.parametrize("hum_hz", [50.0, 60.0])
def test_mains_hum_is_removed_and_the_voice_band_kept(hum_hz: float) -> None:
    middle = slice(RATE, 2 * RATE)  # away from the edges
    hum = high_pass(tone(hum_hz, 3, 0.1), RATE)
    assert rms_db(hum[middle]) < rms_db(tone(hum_hz, 3, 0.1)[middle]) - 30
    for voice_hz in (120.0, 400.0, 3000.0):
        voice = tone(voice_hz, 3, 0.1)
        assert rms_db(high_pass(voice, RATE)[middle]) == pytest.approx(
            rms_db(voice[middle]), abs=0.5
        )


def test_a_dc_offset_is_removed_and_the_length_kept() -> None:
    samples = tone(300.0, 2.5, 0.2) + np.float32(0.2)
    filtered = high_pass(samples, RATE)
    assert filtered.size == samples.size and filtered.dtype == np.float32
    assert abs(float(np.mean(filtered[RATE // 2 : -RATE // 2]))) < 1e-3


def speech_with_noise(noise_db: float) -> tuple[np.ndarray, slice, slice]:
    """1 s of noise, 1 s of a loud "word", 1 s of noise; the word's and a pause's samples."""
    rng = np.random.default_rng(3)
    samples = (rng.standard_normal(3 * RATE) * 10 ** (noise_db / 20)).astype(np.float32)
    word = slice(RATE, 2 * RATE)
    samples[word] += tone(200.0, 1, 0.3)
    return samples, word, slice(round(0.2 * RATE), round(0.7 * RATE))


def test_the_gate_turns_the_pauses_noise_down_gently_and_leaves_the_word() -> None:
    samples, word, pause = speech_with_noise(-55.0)
    cleaned = clean_recording(samples, RATE)
    assert cleaned.size == samples.size
    lowered = rms_db(samples[pause]) - rms_db(cleaned[pause])
    assert 8.0 < lowered <= 12.5  # gentle: at most 12 dB
    assert rms_db(cleaned[word]) == pytest.approx(rms_db(samples[word]), abs=0.2)
    # the gate opens before the word starts (its onset stays whole)
    gains = gate_gains(high_pass(samples, RATE), RATE)
    assert gains is not None
    assert gains[word.start] == pytest.approx(1.0, abs=0.01)
    assert gains[word.start - round(0.01 * RATE)] > 0.9


def test_no_gate_where_noise_is_too_close_to_the_voice_or_absent() -> None:
    noisy, _, _ = speech_with_noise(-22.0)
    assert gate_gains(noisy, RATE) is None
    clean = np.concatenate([np.zeros(RATE, np.float32), tone(200.0, 1, 0.3)])
    assert gate_gains(clean, RATE) is None


def test_clipping_is_found_where_the_input_stuck_at_full_scale() -> None:
    samples = tone(200.0, 4, 0.5)
    assert find_clipping(samples, RATE) is None
    loud = np.clip(tone(200.0, 0.2, 2.0), -1, 1)
    samples[round(1.5 * RATE) : round(1.7 * RATE)] = loud
    samples[round(3.0 * RATE) : round(3.2 * RATE)] = loud
    clipping = find_clipping(samples, RATE)
    assert clipping is not None
    assert clipping.count == 2
    assert clipping.times[0] == pytest.approx(1.5, abs=0.01)
    assert clipping.times[1] == pytest.approx(3.0, abs=0.01)


def test_a_peak_that_touches_full_scale_once_is_not_clipping() -> None:
    samples = tone(200.0, 1, 0.5)
    samples[1000] = 1.0
    samples[2000:2002] = -1.0
    assert find_clipping(samples, RATE) is None


def test_the_clipping_note_names_the_slide_and_says_what_to_do() -> None:
    samples = np.zeros(80 * RATE, np.float32)
    samples[round(72.4 * RATE) : round(72.4 * RATE) + 10] = 1.0
    clipping = find_clipping(samples, RATE)
    assert clipping is not None
    note = clipping_note(3, clipping)
    assert note.startswith("Slide 3's recording is distorted")
    assert "in 1 place at 1:12" in note and "turned down" in note
    assert note.count(".") == 1 and note.endswith(".")

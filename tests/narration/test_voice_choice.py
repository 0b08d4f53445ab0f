"""Which voice speaks a slide: the best installed voice for its language (real engines), the
slide's and the lecture's own choices, stored ids old and new, and a language no voice speaks
(the slide stays silent and the export says so, never an English voice reading it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from instruments.engines import StandInEngine

from lecture_studio.cache import folder as cache_folder
from lecture_studio.importers import import_path
from lecture_studio.model import Lecture, Slide
from lecture_studio.narration import NarrationClip, speakable_text
from lecture_studio.narration.cache import cache_key
from lecture_studio.narration.choose import (
    builtin_registry,
    choose_engine,
    voice_catalog,
)
from lecture_studio.narration.espeak import Pyttsx3Engine
from lecture_studio.narration.voices import (
    JAPANESE_DEFAULT_VOICE,
    VoiceInfo,
    best_voice,
    find_voice,
    language_name,
    parse_voice_id,
    slide_voice,
    speaks_language,
    voice_id,
    voice_label,
)
from lecture_studio.plugins import PluginRegistry
from lecture_studio.render.export import ExportOptions, export_lecture


@pytest.fixture(scope="module")
def catalog():
    """The built-in engines' voices on this machine (espeak-ng, Open JTalk, Kokoro, Piper)."""
    return voice_catalog(builtin_registry())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "pyttsx3:gmw/de"),
        ("fr", "pyttsx3:roa/fr"),
        ("he", "pyttsx3:sem/he"),
        ("zh", "pyttsx3:sit/cmn"),  # Mandarin, not Cantonese
        ("en", "piper:en_US-joe-medium"),  # the neural voice before espeak-ng's
        ("ja", JAPANESE_DEFAULT_VOICE),
    ],
)
def test_each_language_gets_its_own_most_natural_installed_voice(catalog, language, expected):
    voice = best_voice(language, catalog.voices)
    assert voice is not None and voice_id(voice) == expected
    assert voice.installed and speaks_language(voice, language)


def test_a_region_tag_and_the_bare_code_find_the_same_voice(catalog):
    assert best_voice("en-GB", catalog.voices) == best_voice("en", catalog.voices)
    assert best_voice("zh-TW", catalog.voices) == best_voice("zh", catalog.voices)


def test_espeak_ng_japanese_is_never_chosen_on_its_own():
    """It reads kanji as "Chinese letter": without a Japanese engine, Japanese has no voice."""
    espeak_ja = VoiceInfo("pyttsx3", "jpx/ja", "ja", "Japanese")
    assert best_voice("ja", [espeak_ja]) is None
    lecture = Lecture(language="ja", slides=[Slide(script="光合成は葉緑体で行われます。")])
    lecture.slides[0].narration.voice = "jpx/ja"  # a teacher may still choose it
    assert slide_voice(lecture, lecture.slides[0], [espeak_ja]).voice == espeak_ja


def test_stored_ids_round_trip_and_old_raw_ids_still_resolve(catalog):
    voices = catalog.voices
    for voice in [v for v in voices if v.installed][:40]:
        engine, name = parse_voice_id(voice_id(voice), {v.engine for v in voices})
        assert (engine, name) == (voice.engine, voice.voice)
        assert find_voice(voice_id(voice), voices) == voice
    assert voice_id(find_voice("gmw/de", voices)) == "pyttsx3:gmw/de"
    assert voice_id(find_voice("mei_normal", voices)) == "openjtalk:mei_normal"
    assert voice_id(find_voice("German", voices)) == "pyttsx3:gmw/de"  # a display name
    assert find_voice("gmw/en-us:x", voices) is None  # only looks like ENGINE:VOICE
    assert parse_voice_id(r"C:\voices\x.onnx", {"piper"}) == (None, r"C:\voices\x.onnx")
    assert parse_voice_id(r"piper:C:\voices\x.onnx", {"piper"}) == ("piper", r"C:\voices\x.onnx")
    downloadable = find_voice("piper:de_DE-thorsten-medium", voices)
    assert downloadable is not None and not downloadable.installed


def test_language_names_and_labels():
    assert [language_name(c) for c in ("de", "de-AT", "ja", "zh", "he", "")] == [
        "German",
        "German",
        "Japanese",
        "Chinese",
        "Hebrew",
        "Unknown language",
    ]
    thorsten = VoiceInfo("piper", "de_DE-thorsten-medium", "de-DE", "thorsten", neural=True)
    assert voice_label(thorsten) == "German — thorsten (neural)"
    assert voice_label(VoiceInfo("pyttsx3", "gmw/de", "de", "German")) == "German — system voice"
    assert voice_label(VoiceInfo("openjtalk", "mei_normal", "ja", "Mei")) == (
        "Japanese — Mei (Open JTalk)"
    )


# --- the rule, on a made-up list of voices ----------------------------------------------------

JOE = VoiceInfo("piper", "en_US-joe-medium", "en-US", "joe", neural=True)
GERMAN = VoiceInfo("pyttsx3", "gmw/de", "de", "German")
FRENCH = VoiceInfo("pyttsx3", "roa/fr", "fr-FR", "French (France)")
THORSTEN = VoiceInfo("piper", "de_DE-thorsten-medium", "de-DE", "thorsten", True, False)
PLUGIN = VoiceInfo("command-tts", "x", "", "x")
VOICES = [JOE, GERMAN, FRENCH, THORSTEN, PLUGIN]
GERMAN_SCRIPT = "Pflanzen nutzen die Energie des Sonnenlichts, um Zucker herzustellen."
ENGLISH_SCRIPT = "Plants use the energy of sunlight to make sugar from water."


def lecture_of(*scripts: str, voice: str | None = None) -> Lecture:
    lecture = Lecture(language="en", slides=[Slide(script=s) for s in scripts])
    lecture.style.voice = voice
    return lecture


def test_the_lecture_voice_speaks_only_the_slides_in_its_language():
    lecture = lecture_of(ENGLISH_SCRIPT, GERMAN_SCRIPT, voice="pyttsx3:roa/fr")
    english, german = (slide_voice(lecture, s, VOICES) for s in lecture.slides)
    assert (english.voice, english.reason, english.language) == (JOE, "best", "en")
    assert (german.voice, german.reason, german.language) == (GERMAN, "best", "de")
    lecture.style.voice = "piper:en_US-joe-medium"
    assert slide_voice(lecture, lecture.slides[0], VOICES).reason == "lecture"
    assert slide_voice(lecture, lecture.slides[1], VOICES).voice == GERMAN


def test_the_slides_own_voice_wins_whatever_its_language():
    lecture = lecture_of(GERMAN_SCRIPT, voice="piper:en_US-joe-medium")
    lecture.slides[0].narration.voice = "roa/fr"  # an old raw id
    lecture.slides[0].narration.rate = 1.25
    choice = slide_voice(lecture, lecture.slides[0], VOICES)
    assert (choice.voice, choice.reason, choice.rate) == (FRENCH, "slide", 1.25)


def test_a_plugin_voice_of_unknown_language_speaks_the_lectures_language():
    lecture = lecture_of(ENGLISH_SCRIPT, GERMAN_SCRIPT, voice="command-tts:x")
    english, german = (slide_voice(lecture, s, VOICES) for s in lecture.slides)
    assert (english.voice, english.reason) == (PLUGIN, "lecture")
    assert (german.voice, german.reason) == (GERMAN, "best")


def test_a_chosen_voice_not_installed_here_is_named_and_replaced_by_the_best():
    lecture = lecture_of(GERMAN_SCRIPT)
    lecture.slides[0].narration.voice = "piper:de_DE-thorsten-medium"
    choice = slide_voice(lecture, lecture.slides[0], VOICES)
    assert (choice.voice, choice.reason) == (GERMAN, "best")
    assert choice.requested == "piper:de_DE-thorsten-medium"
    assert "not installed" in choice.explanation


def test_no_installed_voice_for_the_language_means_no_voice():
    lecture = lecture_of("שלום לכולם, היום נלמד על פוטוסינתזה בצמחים ירוקים.")
    choice = slide_voice(lecture, lecture.slides[0], VOICES)
    assert (choice.voice, choice.reason, choice.language) == (None, "none", "he")


def test_choose_engine_for_a_lone_text():
    assert choose_engine("これはスライドです", None, None).name == "openjtalk"
    assert choose_engine("Slide one", "ja-JP", None).name == "openjtalk"
    assert choose_engine(GERMAN_SCRIPT, "en", None).name == "pyttsx3"
    assert choose_engine("Slide one", "en", None).name == "piper"
    assert choose_engine("これはスライドです", "ja", "gmw/en").name == "pyttsx3"


# --- exports ----------------------------------------------------------------------------------


class EnglishOnlyEngine(StandInEngine):
    """A registry's only engine: one English voice that records what it was asked to say."""

    name = "english-only"
    version = "1"
    spoken: list[str] = []

    def synthesize(self, text: str, voice: str | None, rate: float) -> NarrationClip:
        self.spoken.append(text)
        t = np.arange(48000, dtype=np.float32) / 48000
        samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        return NarrationClip(samples, 48000)


def write_outline(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lecture.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_slide_no_voice_speaks_stays_silent_and_the_export_says_how_to_get_one(tmp_path):
    registry = PluginRegistry(
        entry_points=False,
        plugins_enabled=False,
        builtins=lambda r: r.add_narration_engine("english-only", EnglishOnlyEngine),
    )
    EnglishOnlyEngine.spoken = []
    source = write_outline(
        tmp_path,
        f"# Plants\n\nNote: {ENGLISH_SCRIPT}\n\n---\n\n# Pflanzen\n\nNote: {GERMAN_SCRIPT}\n",
    )
    project = import_path(source)
    english, german = project.lecture.slides
    options = ExportOptions(
        size=(64, 36), thumbnail=False, cache_dir=tmp_path / "cache", voices=voice_catalog(registry)
    )
    result = export_lecture(project, tmp_path / "out.mp4", options)
    assert EnglishOnlyEngine.spoken == [speakable_text(ENGLISH_SCRIPT)]  # never the German
    assert result.voices[english.id].voice.voice == "anna"
    assert result.voices[german.id].voice is None
    assert result.voices[german.id].language == "de"
    (note,) = [n for n in result.notes if "no installed voice speaks" in n]
    assert note.startswith("Slide 2 is in German, which no installed voice speaks, so it stays")
    assert "install a voice that speaks German" in note
    assert not any("nothing to narrate" in n for n in result.notes)
    timing = {t.slide_id: t for t in result.timeline.slides}[german.id]
    assert timing.narration_samples == 0  # silent, but up for its reading time
    assert timing.end_sample - timing.start_sample >= 2 * 48000


def test_a_german_outline_is_spoken_by_the_german_voice(tmp_path):
    source = write_outline(tmp_path, f"# Photosynthese\n\nNote: {GERMAN_SCRIPT}\n")
    project = import_path(source)
    (slide,) = project.lecture.slides
    cache = tmp_path / "cache"
    options = ExportOptions(size=(64, 36), thumbnail=False, captions=False, cache_dir=cache)
    result = export_lecture(project, tmp_path / "de.mp4", options)
    choice = result.voices[slide.id]
    assert choice.language == "de" and voice_id(choice.voice) == "pyttsx3:gmw/de"
    (timing,) = result.timeline.slides
    assert timing.narration_samples > 3 * 48000  # 9 German words were spoken
    # The cached clip is keyed by the engine and the voice actually used.
    key = cache_key(Pyttsx3Engine(), speakable_text(GERMAN_SCRIPT), "gmw/de", 1.0)
    assert (cache_folder("narration", cache) / f"{key}.npz").is_file()


LANGUAGE_SLIDES = [
    ("en", "piper:en_US-joe-medium", "Light", "Plants turn sunlight, water and air into sugar."),
    ("de", "pyttsx3:gmw/de", "Licht", "Pflanzen nutzen die Energie des Sonnenlichts."),
    ("fr", "pyttsx3:roa/fr", "Lumière", "Les plantes utilisent la lumière du soleil."),
    ("ja", JAPANESE_DEFAULT_VOICE, "光合成", "植物は光を使って糖を作ります。"),
    ("zh", "pyttsx3:sit/cmn", "光合作用", "植物利用阳光把水和二氧化碳变成糖。"),
    ("he", "pyttsx3:sem/he", "אור", "צמחים משתמשים באור השמש כדי ליצור סוכר."),
]


@pytest.mark.slow
def test_a_lecture_in_six_languages_speaks_each_slide_in_its_own(tmp_path):
    """One outline, a slide per language: the export speaks each with its language's voice
    (never the English one), and every slide has narration."""
    outline = "\n\n---\n\n".join(
        f"# {title}\n\nNote: {text}" for _, _, title, text in LANGUAGE_SLIDES
    )
    project = import_path(write_outline(tmp_path, outline + "\n"))
    # the language most of its text is in, not what a mixture of six reads like (Wu Chinese)
    assert project.lecture.language in {language for language, *_ in LANGUAGE_SLIDES}
    options = ExportOptions(size=(64, 36), thumbnail=False, cache_dir=tmp_path / "cache")
    result = export_lecture(project, tmp_path / "six.mp4", options)
    timings = {t.slide_id: t for t in result.timeline.slides}
    for slide, (language, expected, _, _) in zip(
        project.lecture.slides, LANGUAGE_SLIDES, strict=True
    ):
        choice = result.voices[slide.id]
        assert (choice.language, voice_id(choice.voice)) == (language, expected), slide.title
        assert timings[slide.id].narration_samples > 48000 // 2, slide.title

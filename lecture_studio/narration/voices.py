"""Every voice of every narration engine (plugins' included), and the one rule for which voice
speaks a slide: its own, else the lecture's when that speaks the slide's language, else the most
natural installed voice for the slide's language, else none.

Both faces ask this module: the export speaks each slide with ``slide_voice(...)``, the editor
fills its voice boxes from ``installed_voices(...)`` and shows ``voice_label(...)``, and the
CLI's ``voices list`` prints ``all_voices(...)``. A voice is stored in a project as
``ENGINE:VOICE`` (``voice_id``); older projects hold an engine's raw voice id (``gmw/de``,
``mei_normal``), which ``find_voice`` still resolves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import LectureStudioError
from ..model import Lecture, Slide, lecture_language, slide_language
from ..model.estimates import slide_speech_rate
from ..plugins import NARRATION_ENGINE, PluginRegistry
from ..text import normalize_language
from .engine import VoiceInfo, describe_engine_voices
from .openjtalk import DEFAULT_VOICE as OPENJTALK_VOICE
from .piper import DEFAULT_VOICE as PIPER_VOICE

__all__ = [
    "JAPANESE_DEFAULT_VOICE",
    "PREFERRED_VOICES",
    "SlideVoice",
    "VoiceInfo",
    "all_voices",
    "best_voice",
    "find_voice",
    "how_to_get_voice",
    "installed_voices",
    "known_languages",
    "language_family",
    "language_name",
    "parse_voice_id",
    "slide_voice",
    "speaks_language",
    "spoken_languages",
    "voice_id",
    "voice_label",
    "voices_by_language",
    "voices_for_language",
]

JAPANESE_DEFAULT_VOICE = f"openjtalk:{OPENJTALK_VOICE}"
"""Japanese is spoken by Open JTalk unless the teacher chooses otherwise: it reads counters and
numbers right (2人, 10分, 50%) and runs far faster than real time on 2 cores, where Kokoro reads
them wrong and takes about twice real time (FINDINGS.md, ``benchmarks/narration_quality.py``)."""

PREFERRED_VOICES: dict[str, tuple[str, ...]] = {
    "en": (f"piper:{PIPER_VOICE}",),
    "ja": (JAPANESE_DEFAULT_VOICE,),
}
"""Per language, the voices (``ENGINE:VOICE``) chosen before any other when installed."""

# Languages whose voices carry another code: a voice of the key speaks the value's slides.
_MACROLANGUAGES = {
    "cmn": "zh",  # Mandarin
    "yue": "zh",  # Cantonese
    "hak": "zh",  # Hakka
    "nan": "zh",
    "wuu": "zh",
    "nb": "no",
    "nn": "no",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "zsm": "ms",
    "fil": "tl",
}

# When a language has several voices of the same kind, these tags (lower case) come first, in
# order; a voice tagged with the bare language ("de", "es") ranks right after the first one;
# Mandarin before the other Chinese languages, American English before British.
_REGION_DEFAULTS: dict[str, tuple[str, ...]] = {
    "en": ("en-us", "en-gb"),
    "zh": ("zh-cn", "cmn", "zh"),
    "fr": ("fr-fr",),
    "de": ("de-de",),
    "es": ("es-es", "es-419", "es-mx"),
    "pt": ("pt-br", "pt-pt"),
    "nl": ("nl-nl",),
    "it": ("it-it",),
    "ar": ("ar", "ar-eg"),
}

# Voices never chosen on their own, however well they match: espeak-ng's Japanese voice reads
# every kanji as "Chinese letter" (a teacher may still choose it by hand).
_NOT_CHOSEN_ALONE = frozenset({("pyttsx3", "jpx/ja")})

ENGINE_TITLES = {
    "pyttsx3": "system voice",
    "openjtalk": "Open JTalk",
    "kokoro": "Kokoro",
    "piper": "Piper",
}

LANGUAGE_NAMES = {
    "af": "Afrikaans",
    "am": "Amharic",
    "an": "Aragonese",
    "ar": "Arabic",
    "as": "Assamese",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "chr": "Cherokee",
    "cmn": "Chinese (Mandarin)",
    "cs": "Czech",
    "cv": "Chuvash",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dz": "Dzongkha",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fo": "Faroese",
    "fr": "French",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gn": "Guarani",
    "grc": "Ancient Greek",
    "gu": "Gujarati",
    "hak": "Chinese (Hakka)",
    "haw": "Hawaiian",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian Creole",
    "hu": "Hungarian",
    "hy": "Armenian",
    "hyw": "Western Armenian",
    "ia": "Interlingua",
    "id": "Indonesian",
    "io": "Ido",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "jbo": "Lojban",
    "jv": "Javanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "kl": "Greenlandic",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "kok": "Konkani",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lo": "Lao",
    "lt": "Lithuanian",
    "ltg": "Latgalian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mi": "Māori",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "nb": "Norwegian Bokmål",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "oc": "Occitan",
    "om": "Oromo",
    "or": "Odia",
    "pa": "Punjabi",
    "pap": "Papiamento",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sd": "Sindhi",
    "se": "Northern Sami",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "smj": "Lule Sami",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
    "tk": "Turkmen",
    "tl": "Tagalog",
    "tn": "Tswana",
    "tr": "Turkish",
    "tt": "Tatar",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "vo": "Volapük",
    "wa": "Walloon",
    "xh": "Xhosa",
    "yi": "Yiddish",
    "yo": "Yoruba",
    "yue": "Chinese (Cantonese)",
    "zh": "Chinese",
    "zu": "Zulu",
}
"""English names of languages by ISO 639 code: those espeak-ng speaks and py3langid detects."""

UNKNOWN_LANGUAGE = "Unknown language"

VoiceReason = Literal["slide", "lecture", "best", "none"]
"""Why a slide gets its voice: its own choice, the lecture's voice, the best installed voice
for its language, or none (no installed voice speaks its language)."""


@dataclass(frozen=True)
class SlideVoice:
    """Who speaks a slide, in which language and at what rate, and why (``slide_voice``)."""

    voice: VoiceInfo | None  #: None: no installed voice speaks ``language``; the slide is silent
    language: str  #: ISO 639-1 code of the slide's language ("de")
    rate: float  #: the slide's speaking rate (1.0 normal)
    reason: VoiceReason
    #: a voice the slide or lecture asks for that is not installed here (stored id), if any
    requested: str | None = None

    @property
    def explanation(self) -> str:
        """Why this voice, as the editor and ``info`` show it (one phrase)."""
        name = language_name(self.language)
        if self.reason == "slide":
            why = "the slide's own voice"
        elif self.reason == "lecture":
            why = "the lecture's voice"
        elif self.reason == "best":
            why = f"the most natural installed voice for {name}"
        else:
            why = f"no installed voice speaks {name}"
        if self.requested:
            why += f" ('{self.requested}' is not installed)"
        return why


# --- listing ----------------------------------------------------------------------------------


def all_voices(registry: PluginRegistry) -> list[VoiceInfo]:
    """Every voice of every narration engine ``registry`` knows, built-ins first, with those
    that can be downloaded (``installed=False``). The voices of an engine that cannot run here
    (library or voice data missing) are listed as not installed; a plugin engine that fails
    while listing is reported to the registry (disabled, shown by ``plugins list``) and left out.
    """
    voices: list[VoiceInfo] = []
    for contribution in registry.contributions(NARRATION_ENGINE):
        try:
            engine = registry.call(contribution)
        except LectureStudioError:
            continue
        try:
            listed = describe_engine_voices(engine)
            runs = bool(engine.available())
        except LectureStudioError:
            continue
        except Exception as error:  # a plugin's bug must not take the voice list down
            if contribution.builtin:
                raise
            registry.report_failure(contribution.plugin, error)
            continue
        for info in listed:
            if info.engine != contribution.name:  # voice ids are stored as NAME:VOICE
                info = dataclasses.replace(info, engine=contribution.name)
            if info.installed and not runs:
                info = dataclasses.replace(info, installed=False)
            voices.append(info)
    return voices


def installed_voices(registry: PluginRegistry) -> list[VoiceInfo]:
    """The voices that can speak now (``all_voices`` without the downloadable ones)."""
    return [info for info in all_voices(registry) if info.installed]


# --- stored ids -------------------------------------------------------------------------------


def voice_id(voice: VoiceInfo) -> str:
    """The id a project stores for ``voice``: ``ENGINE:VOICE`` ("piper:en_US-joe-medium")."""
    return f"{voice.engine}:{voice.voice}"


def parse_voice_id(stored: str, engines: Iterable[str]) -> tuple[str | None, str]:
    """``(engine, voice)`` from a stored id: ``ENGINE:VOICE`` when ENGINE is one of ``engines``,
    else ``(None, stored)`` for an old raw id ("gmw/de", "mei_normal", or a Windows path that
    merely contains a colon)."""
    engine, colon, voice = stored.partition(":")
    if colon and engine in set(engines):
        return engine, voice
    return None, stored


def find_voice(stored: str, voices: Sequence[VoiceInfo]) -> VoiceInfo | None:
    """The voice a stored id names among ``voices`` (an installed one before a downloadable
    one of the same id), or None when no engine here has it.

    An old raw id is looked up in every engine (the system voice first, as old projects stored
    its ids), by id, then by id or name in any case ("German"). A file path given to an engine
    (``piper:/voices/x.onnx``) is that engine's voice when the file exists, in an unknown language.
    """
    engine, name = parse_voice_id(stored, {info.engine for info in voices})
    if not name:
        return None
    candidates = [v for v in voices if engine is None or v.engine == engine]
    candidates.sort(key=lambda v: (not v.installed, v.engine != "pyttsx3"))
    for matches in (
        lambda v: v.voice == name,
        lambda v: name.casefold() in (v.voice.casefold(), v.label.casefold()),
    ):
        for info in candidates:
            if matches(info):
                return info
    if engine is not None and ("/" in name or "\\" in name or name.endswith(".onnx")):
        path = Path(name).expanduser()
        if path.is_file():
            return VoiceInfo(engine, name, "", path.stem)
    return None


# --- languages --------------------------------------------------------------------------------


def language_family(tag: str) -> str:
    """The language a voice of ``tag`` speaks, as slides are tagged (ISO 639-1 where there is
    one): "cmn" and "zh-CN" give "zh", "nb" gives "no", "de-AT" gives "de"."""
    primary = normalize_language(tag)
    return _MACROLANGUAGES.get(primary, primary)


def language_name(code: str) -> str:
    """The English name of a language code: "de" and "de-AT" give "German", "zh" "Chinese",
    "cmn" "Chinese (Mandarin)"; an unknown code comes back as it is, "" as "Unknown language"."""
    primary = normalize_language(code)
    if not primary:
        return UNKNOWN_LANGUAGE
    return LANGUAGE_NAMES.get(primary, code.strip())


def speaks_language(voice: VoiceInfo, language: str) -> bool:
    """Whether ``voice`` speaks ``language`` ("en" is spoken by "en-US" and "en-GB" voices,
    "zh" by "cmn"); a voice of unknown language speaks none."""
    family = language_family(voice.language)
    return bool(family) and family == language_family(language)


def voice_label(voice: VoiceInfo) -> str:
    """How a voice box shows ``voice``: its language's name first, then who speaks,
    e.g. "German — thorsten (neural)", "German — system voice", "Japanese — Mei (Open JTalk)",
    "French — French (Belgium), system voice"."""
    name = language_name(voice.language)
    kind = "neural" if voice.neural else ENGINE_TITLES.get(voice.engine, voice.engine)
    label = voice.label.strip() or voice.voice
    if normalize_language(voice.language) not in LANGUAGE_NAMES and voice.language:
        name = label  # a language this table lacks (K'iche', Quenya): the voice's own name
    if label.casefold() == name.casefold():
        return f"{name} — {kind}"
    if "(" in label:
        return f"{name} — {label}, {kind}"
    return f"{name} — {label} ({kind})"


# --- choosing ---------------------------------------------------------------------------------


def _closeness(tag: str, language: str) -> tuple[int, int]:
    """How plainly ``tag`` is the usual form of ``language`` (lower is plainer): a region
    default or the bare language first, then tags with more subtags (dialects, private uses)."""
    tag = tag.lower()
    defaults = _REGION_DEFAULTS.get(language, ())
    if tag in defaults:
        return (0, 2 * defaults.index(tag))
    if tag == language:  # right after the first region default ("es" before "es-419")
        return (0, 1)
    return (1, tag.count("-"))


def voices_for_language(language: str, voices: Sequence[VoiceInfo]) -> list[VoiceInfo]:
    """The installed voices that speak ``language``, most natural first: the language's
    ``PREFERRED_VOICES``, then neural voices, then the others, each by how plainly their tag
    is the language's usual form ("de" before "de-CH", "en-US" before "en-GB-x-rp"), then in
    the order listed. Voices in ``_NOT_CHOSEN_ALONE`` are left out."""
    language = language_family(language)
    preferred = PREFERRED_VOICES.get(language, ())
    fit = [
        (position, info)
        for position, info in enumerate(voices)
        if info.installed
        and speaks_language(info, language)
        and (info.engine, info.voice) not in _NOT_CHOSEN_ALONE
    ]

    def rank(item: tuple[int, VoiceInfo]) -> tuple[int, bool, tuple[int, int], int]:
        position, info = item
        stored = voice_id(info)
        first = preferred.index(stored) if stored in preferred else len(preferred)
        return (first, not info.neural, _closeness(info.language, language), position)

    return [info for _, info in sorted(fit, key=rank)]


def voices_by_language(language: str, voices: Sequence[VoiceInfo]) -> list[VoiceInfo]:
    """The installed voices in the order a voice box lists them: those that speak ``language``
    first, then every other language by its name, voices of unknown language last. Within a
    language the most natural voice comes first (``voices_for_language``); voices never chosen
    on their own follow, since a teacher may still choose them."""
    by_family: dict[str, list[VoiceInfo]] = {}
    for info in voices:
        if info.installed:
            by_family.setdefault(language_family(info.language), []).append(info)
    first = language_family(language)

    def order(family: str) -> tuple[int, str]:
        rank = 0 if family == first else 2 if not family else 1
        return (rank, (language_name(family) if family else "").casefold())

    listed: list[VoiceInfo] = []
    for family in sorted(by_family, key=order):
        group = by_family[family]
        ranked = voices_for_language(family, group) if family else []
        listed += ranked + [info for info in group if info not in ranked]
    return listed


def spoken_languages(voices: Sequence[VoiceInfo]) -> list[str]:
    """The languages installed voices speak, as slides are tagged ("de", "zh"), by name."""
    codes = {language_family(info.language) for info in voices if info.installed}
    return sorted((c for c in codes if c), key=lambda c: language_name(c).casefold())


def known_languages() -> list[str]:
    """Every language this module has a name for, as slides are tagged (one code per language:
    "zh" stands for Mandarin and Cantonese, "no" for Bokmål and Nynorsk), by name."""
    codes = {language_family(code) for code in LANGUAGE_NAMES}
    return sorted(codes, key=lambda c: language_name(c).casefold())


def best_voice(language: str, voices: Sequence[VoiceInfo]) -> VoiceInfo | None:
    """The most natural installed voice for ``language`` (ISO 639-1 or a BCP-47 tag), or None
    when no installed voice speaks it. See ``voices_for_language`` for the order."""
    ranked = voices_for_language(language, voices)
    return ranked[0] if ranked else None


def slide_voice(lecture: Lecture, slide: Slide, voices: Sequence[VoiceInfo]) -> SlideVoice:
    """The voice that speaks ``slide``, the one rule both the export and the editor follow.

    In order: the slide's own voice (``slide.narration.voice``), whatever its language; else
    the lecture's voice (``lecture.style.voice``) when it speaks the slide's language
    (``slide_language``; a voice of unknown language, e.g. a plugin's, is taken to speak the
    lecture's language); else the most natural installed voice for the slide's language; else
    none, and the slide stays silent. A chosen voice that is not installed here is passed over
    and named in ``requested``. ``voices`` is ``all_voices(...)`` (or any list: only installed
    voices are chosen). The rate is the slide's own, else the lecture's.
    """
    language = slide_language(lecture, slide)
    rate = slide_speech_rate(slide, lecture)
    requested: str | None = None
    own = slide.narration.voice
    if own:
        found = find_voice(own, voices)
        if found is not None and found.installed:
            return SlideVoice(found, language, rate, "slide")
        requested = own
    chosen = lecture.style.voice
    if chosen:
        found = find_voice(chosen, voices)
        if found is None or not found.language:
            speaks = language == lecture_language(lecture)
        else:
            speaks = speaks_language(found, language)
        if speaks and found is not None and found.installed:
            return SlideVoice(found, language, rate, "lecture", requested)
        if speaks and requested is None:
            requested = chosen
    best = best_voice(language, voices)
    return SlideVoice(best, language, rate, "best" if best else "none", requested)


def how_to_get_voice(language: str, voices: Sequence[VoiceInfo]) -> str:
    """What a teacher can do to hear ``language`` (a clause to end a sentence with), e.g.
    "download one with `lecture-studio voices download de_DE-thorsten-medium`"."""
    name = language_name(language)
    downloadable = [
        v
        for v in voices
        if not v.installed and v.engine == "piper" and speaks_language(v, language)
    ]
    if downloadable:
        return f"download one with `lecture-studio voices download {downloadable[0].voice}`"
    if language_family(language) == "ja":
        return "install Open JTalk's voice with `pip install pyopenjtalk-plus`"
    if any(v.installed and v.engine == "pyttsx3" for v in voices):
        return (
            f"install a voice that speaks {name} (the system voices here do not): a language "
            "pack for the system voices, or a voice plugin"
        )
    return (
        f"install a voice that speaks {name}: a system voice (on Linux espeak-ng, "
        "`sudo apt install espeak-ng`, speaks over 100 languages), or a voice plugin"
    )

"""Which engine and voice speak a text: the voices of a plugin registry, listed once
(``VoiceCatalog``), the engine that speaks a chosen voice, and ``choose_engine`` for a lone text.

The rule itself (a slide's own voice, the lecture's, the best for the language) is
``voices.slide_voice``; this module only turns its answer into an engine that can speak.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ..model import Lecture, Slide, narration_script
from ..plugins import NARRATION_ENGINE, PluginRegistrar, PluginRegistry
from ..text import detected_language, normalize_language
from .cleanup import speakable_text
from .engine import NarrationEngine, NarrationError, VoiceInfo
from .guarded import GuardedNarrationEngine
from .voices import (
    SlideVoice,
    all_voices,
    best_voice,
    find_voice,
    how_to_get_voice,
    language_name,
    parse_voice_id,
    slide_voice,
    voice_label,
)


def register_engines(registrar: PluginRegistrar) -> None:
    """Add Lecture Studio's own narration engines, as a plugin's ``register()`` adds its own;
    each engine's libraries load when it is first created."""
    registrar.add_narration_engine("pyttsx3", _pyttsx3_engine, "The system voice (pyttsx3)")
    registrar.add_narration_engine("openjtalk", _openjtalk_engine, "Open JTalk (Japanese)")
    registrar.add_narration_engine("kokoro", _kokoro_engine, "Kokoro neural voices (Japanese)")
    registrar.add_narration_engine("piper", _piper_engine, "Piper neural voices")


def _pyttsx3_engine() -> NarrationEngine:
    from .espeak import Pyttsx3Engine

    return Pyttsx3Engine()


def _openjtalk_engine() -> NarrationEngine:
    from .openjtalk import OpenJTalkEngine

    return OpenJTalkEngine()


def _piper_engine() -> NarrationEngine:
    from .piper import PiperEngine

    return PiperEngine()


def _kokoro_engine() -> NarrationEngine:
    from .kokoro import KokoroEngine

    return KokoroEngine()


def builtin_registry() -> PluginRegistry:
    """A registry of Lecture Studio's own engines only: what a job uses when its caller passes
    no registry (the CLI and the editor pass the app's, plugins included)."""
    return PluginRegistry.builtin_only(register_engines)


def engine_for_voice(voice: VoiceInfo, registry: PluginRegistry) -> NarrationEngine:
    """The engine that speaks ``voice``: a built-in one as it is, a plugin's watched by a
    guard (a plugin that fails is named in one sentence and disabled). A NarrationError when
    ``registry`` has no engine of that name (its plugin is gone or turned off)."""
    contribution = registry.find(NARRATION_ENGINE, voice.engine)
    if contribution is None:
        raise NarrationError(
            f"The voice '{voice.engine}:{voice.voice}' belongs to the engine '{voice.engine}', "
            "which is not installed (or its plugin is turned off); choose another voice."
        )
    engine = registry.call(contribution)
    if contribution.builtin:
        return engine
    return GuardedNarrationEngine(engine, contribution, registry, voice.engine + ":")


class VoiceCatalog:
    """The voices of one registry, listed once for a job (an export, the editor's voice boxes),
    and the engines that speak them.

    The list is made when first asked for: listing creates every engine (Piper's loads ONNX,
    about 1.5 s), which an export of recorded narration never needs.
    """

    def __init__(self, registry: PluginRegistry) -> None:
        self.registry = registry

    @functools.cached_property
    def voices(self) -> tuple[VoiceInfo, ...]:
        """``all_voices(registry)``: installed and downloadable."""
        return tuple(all_voices(self.registry))

    @property
    def installed(self) -> list[VoiceInfo]:
        """The voices that can speak now, in the order listed."""
        return [info for info in self.voices if info.installed]

    def slide_voice(self, lecture: Lecture, slide: Slide) -> SlideVoice:
        """Who speaks ``slide`` and why (``voices.slide_voice``)."""
        return slide_voice(lecture, slide, self.voices)

    def find(self, stored: str) -> VoiceInfo | None:
        """The voice a stored id names (``voices.find_voice``)."""
        return find_voice(stored, self.voices)

    def engine(self, voice: VoiceInfo) -> NarrationEngine:
        """The engine that speaks ``voice``."""
        return engine_for_voice(voice, self.registry)


def voice_catalog(registry: PluginRegistry | None = None) -> VoiceCatalog:
    """Every voice of ``registry`` (None: the built-in engines only), listed when first used."""
    registry = registry if registry is not None else builtin_registry()
    return VoiceCatalog(registry)


def choose_voice(
    text: str, language: str | None, voice: str | None, voices: Sequence[VoiceInfo]
) -> VoiceInfo:
    """The voice for a lone ``text``: ``voice`` (a stored id) when given, even if it is not
    installed (its engine then says how to get it); else the best installed voice for the
    language ``text`` is written in, judged with ``language`` (the lecture's) as fallback.
    A NarrationError when no installed voice speaks that language."""
    if voice:
        found = find_voice(voice, voices)
        if found is not None:
            return found
        engine, name = parse_voice_id(voice, {info.engine for info in voices})
        if engine is not None:  # a voice its engine takes without listing it
            return VoiceInfo(engine, name, "", name)
        # An id no engine here lists: old projects stored raw system voice ids, and the
        # system engine names the installed voices when it cannot switch to this one.
        return VoiceInfo("pyttsx3", voice, "", voice, installed=False)
    fallback = normalize_language(language or "")
    spoken = detected_language(text, fallback) or fallback or "en"
    best = best_voice(spoken, voices)
    if best is None:
        raise NarrationError(
            f"No installed voice speaks {language_name(spoken)}; "
            f"{how_to_get_voice(spoken, voices)}."
        )
    return best


def choose_engine(
    text: str,
    language: str | None,
    voice: str | None,
    registry: PluginRegistry | None = None,
) -> NarrationEngine:
    """The engine that speaks ``text`` with ``choose_voice``'s voice (for a lone text; a
    slide of a lecture goes through ``VoiceCatalog.slide_voice``)."""
    catalog = voice_catalog(registry)
    return catalog.engine(choose_voice(text, language, voice, catalog.voices))


def spoken_by_voice(lecture: Lecture, slide: Slide) -> bool:
    """Whether ``slide`` is narrated by a voice (it has a script to speak, or its own text when
    the lecture says so) rather than a recording or nothing."""
    settings = slide.narration
    if settings.source == "recording" and settings.recording:
        return False
    return bool(speakable_text(narration_script(slide, lecture)))


def slide_voices(
    lecture: Lecture, slides: Sequence[Slide], catalog: VoiceCatalog
) -> dict[str, SlideVoice]:
    """Slide id -> who speaks it, for each of ``slides`` that a voice narrates."""
    return {
        slide.id: catalog.slide_voice(lecture, slide)
        for slide in slides
        if spoken_by_voice(lecture, slide)
    }


def voice_notes(
    lecture: Lecture, choices: dict[str, SlideVoice], voices: Sequence[VoiceInfo]
) -> list[str]:
    """The export's notes about voices, one sentence each: slides that stay silent because no
    installed voice speaks their language (by language, with how to get one), and slides whose
    chosen voice is not installed here (by voice, with who spoke them instead)."""
    unvoiced: dict[str, list[int]] = {}
    replaced: dict[str, list[tuple[int, SlideVoice]]] = {}
    for slide_id, choice in choices.items():
        number = lecture.index_of(slide_id) + 1
        if choice.voice is None:
            unvoiced.setdefault(choice.language, []).append(number)
        elif choice.requested:
            replaced.setdefault(choice.requested, []).append((number, choice))
    notes = []
    for language, numbers in unvoiced.items():
        many = len(numbers) > 1
        notes.append(
            f"{_slides(numbers)} {'are' if many else 'is'} in {language_name(language)}, which "
            f"no installed voice speaks, so {'they stay' if many else 'it stays'} silent for "
            f"{'their' if many else 'its'} reading time; to hear {'them' if many else 'it'}, "
            f"{how_to_get_voice(language, voices)}."
        )
    for stored, spoken in replaced.items():
        numbers = [number for number, _ in spoken]
        many = len(numbers) > 1
        speakers = sorted({voice_label(c.voice) for _, c in spoken if c.voice is not None})
        found = find_voice(stored, voices)
        if found is not None and found.engine == "piper":
            how = f"download it with `lecture-studio voices download {found.voice}`"
        else:
            how = "install it, or choose another voice (`lecture-studio voices list`)"
        notes.append(
            f"{_slides(numbers)} {'ask' if many else 'asks'} for the voice '{stored}', which "
            f"is not installed here, so {'they were' if many else 'it was'} spoken by "
            f"{', '.join(speakers)} instead; to use it, {how}."
        )
    return notes


def _slides(numbers: list[int]) -> str:
    """ "Slide 3" or "Slides 2, 5"."""
    if len(numbers) == 1:
        return f"Slide {numbers[0]}"
    return "Slides " + ", ".join(str(n) for n in sorted(numbers))

"""Narration of a lecture: each slide's recording, or its script spoken by the voice
``slide_voice`` picks, normalized so that the exported stereo programme has the loudness
YouTube expects. The export and the editor's Listen both use it; a batch on Ray speaks the
slides' scripts on its workers (``synthesize``) and keeps the clips where the lecture is
exported (``keep_spoken``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture, Slide, narration_script
from ..model.estimates import estimate_speech_seconds
from ..project import Project
from .cache import (
    cache_key,
    cached_synthesis,
    is_cached,
    normalize_cached,
    store_spoken,
    synthesize_cached,
)
from .choose import VoiceCatalog, voice_catalog
from .cleanup import speakable_text
from .clip import NarrationClip
from .engine import NarrationEngine, VoiceInfo
from .loudness import channel_loudness_target
from .recorded import clean_recording, load_recording
from .transcript import recording_timings

T = TypeVar("T")
PROGRAMME_CHANNELS = 2  # the exported track is stereo: each slide's mono voice on both
PROGRAMME_LOUDNESS = -16.0  # LUFS integrated over both channels of the exported track
TRUE_PEAK_CEILING = -1.0  # dBTP, every channel of the exported track
# AAC moves true peaks: a voice limited to -1.1 dBTP came out of the encoder at -1.0 (384 kb/s).
_CODEC_HEADROOM_DB = 0.5
_BLOCK_SECONDS = 0.4  # a BS.1770 gating block
# Each slide's mono narration, normalized on its own, goes to both channels alike. Normalized
# to (target, ceiling, pause) the stereo programme measures PROGRAMME_LOUDNESS: BS.1770 adds
# the channels' power (+3 LU), and each clip is measured between pauses of one block, so the
# blocks overlapping its edges count as they do in the programme (without, a lecture of 12 s
# clips measured 0.1 LU under its clips).
LOUDNESS = (
    channel_loudness_target(PROGRAMME_LOUDNESS, PROGRAMME_CHANNELS),
    TRUE_PEAK_CEILING - _CODEC_HEADROOM_DB,
    _BLOCK_SECONDS,
)


def narrate_slides(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    voices: VoiceCatalog | None = None,
) -> dict[str, NarrationClip | None]:
    """Each visible slide's voice: its recording, or its script spoken by the voice
    ``voices.slide_voice`` chooses (None: the built-in engines' voices), normalized for
    loudness. Slides with nothing to say, or in a language no installed voice speaks, get None."""
    catalog = voices if voices is not None else voice_catalog()
    return per_slide(project, slides, cache_dir, catalog, narrated_clip, progress, cancel)


def per_slide(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    voices: VoiceCatalog,
    make: Callable[[Project, Lecture, Slide, Path | None, VoiceCatalog], T],
    progress: ProgressCallback,
    cancel: CancelToken | None,
    work: Mapping[str, float] | None = None,
) -> dict[str, T]:
    """``make(project, lecture, slide, cache_dir, voices)`` for each slide, saying how far
    it got: by slides, or by ``work`` (slide id -> how much each costs, e.g. ``speech_to_
    speak``) so that slides found in the cache move the progress by almost nothing."""
    weights = [1e-3 + (work or {}).get(slide.id, 0.0 if work else 1.0) for slide in slides]
    total, done = sum(weights), 0.0
    out: dict[str, T] = {}
    for number, (slide, weight) in enumerate(zip(slides, weights, strict=True)):
        if cancel:
            cancel.check()
        progress(done / total, f"Narrating slide {number + 1} of {len(slides)}")
        out[slide.id] = make(project, project.lecture, slide, cache_dir, voices)
        done += weight
    return out


@dataclass(frozen=True)
class Speech:
    """A slide's script that its voice has yet to speak (no clip in the narration cache holds
    it): ``synthesize_cached``'s arguments, and about how many seconds of speech it makes."""

    slide_id: str
    text: str  #: the script, cleaned by ``speakable_text``
    voice: VoiceInfo
    rate: float
    seconds: float


def speech_to_synthesize(
    project: Project, slides: list[Slide], cache_dir: Path | None, voices: VoiceCatalog
) -> list[Speech]:
    """What the voices have yet to speak for ``slides``, in slide order: each slide whose
    script is not in the cache (not the recorded ones, nor those no voice speaks)."""
    lecture = project.lecture
    left: list[Speech] = []
    for slide in slides:
        if slide.narration.source == "recording" and slide.narration.recording:
            continue
        text = speakable_text(narration_script(slide, lecture))
        choice = voices.slide_voice(lecture, slide) if text else None
        if choice is None or choice.voice is None:
            continue
        engine = voices.engine(choice.voice)
        if not is_cached(engine, text, choice.voice.voice, choice.rate, cache_dir):
            seconds = estimate_speech_seconds(text, choice.rate)
            left.append(Speech(slide.id, text, choice.voice, choice.rate, seconds))
    return left


def speech_to_speak(
    project: Project, slides: list[Slide], cache_dir: Path | None, voices: VoiceCatalog
) -> dict[str, float]:
    """Slide id -> about how many seconds of speech a voice has yet to synthesize for it (0
    when its clip is in the cache, it is recorded, or no voice speaks it): the narration's
    share of an export's work, known before any of it is done."""
    left = dict.fromkeys((slide.id for slide in slides), 0.0)
    for speech in speech_to_synthesize(project, slides, cache_dir, voices):
        left[speech.slide_id] = speech.seconds
    return left


def synthesize(speech: Speech, engine: NarrationEngine) -> tuple[str, NarrationClip]:
    """``speech`` spoken by ``engine`` (its voice's), as the engine gives it, and the key the
    narration cache keeps it under: for speaking in another process or on another node
    (a batch on Ray), then ``keep_spoken`` where the lecture is exported."""
    spoken = speakable_text(speech.text)
    key = cache_key(engine, spoken, speech.voice.voice, speech.rate)
    return key, engine.synthesize(spoken, speech.voice.voice, speech.rate)


def keep_spoken(
    speech: Speech, key: str, clip: NarrationClip, cache_dir: Path | None, voices: VoiceCatalog
) -> bool:
    """Put ``clip`` (``synthesize``'s, spoken elsewhere) into the narration cache as
    ``synthesize_cached`` stores what it speaks, so that an export here finds it there and
    gives the same sound as if it had spoken it. False, keeping nothing, when this process's
    engine keys the speech differently (another version of the engine or its voice): the
    export then speaks it with that engine. (A cache folder that cannot be written keeps
    nothing all the same; it is logged, and the export speaks it again.)"""
    engine = voices.engine(speech.voice)
    if cache_key(engine, speakable_text(speech.text), speech.voice.voice, speech.rate) != key:
        return False
    store_spoken(key, clip, cache_dir)
    return True


def narrated_clip(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None, voices: VoiceCatalog
) -> NarrationClip | None:
    clip = spoken_clip(project, lecture, slide, cache_dir, voices)
    return None if clip is None else normalize_cached(clip, cache_dir, *LOUDNESS)


def spoken_clip(
    project: Project,
    lecture: Lecture,
    slide: Slide,
    cache_dir: Path | None,
    voices: VoiceCatalog,
    cached_only: bool = False,
) -> NarrationClip | None:
    """The slide's voice before loudness normalization: its recording or its spoken script
    (``narration_script``: the slide's own text when it has none and the lecture says so),
    spoken by the voice ``slide_voice`` chooses; None when no installed voice speaks the
    slide's language (never another language's voice; the export's notes say so).

    With ``cached_only`` a script is never spoken: its clip comes from the narration cache
    (spoken earlier by a Listen, a Preview or an export), or it is None."""
    settings = slide.narration
    if settings.source == "recording" and settings.recording:
        clip = recorded_clip(project, lecture, slide)
    else:
        text = speakable_text(narration_script(slide, lecture))
        if not text:
            return None
        choice = voices.slide_voice(lecture, slide)
        if choice.voice is None:
            return None
        engine = voices.engine(choice.voice)
        # The cache key holds the engine and the voice actually used, never "the default".
        speak = cached_synthesis if cached_only else synthesize_cached
        clip = speak(engine, text, choice.voice.voice, choice.rate, cache_dir)
    return clip if clip is not None and len(clip.samples) else None


def recorded_clip(project: Project, lecture: Lecture, slide: Slide) -> NarrationClip:
    """The slide's recording as the lecture plays it: hum filtered out and the noise between
    words turned down (``clean_recording``; the file in the project stays as recorded), its
    captions timed by its transcript, else its script (``recording_timings``)."""
    assert slide.narration.recording is not None
    recording = load_recording(project.asset_path(slide.narration.recording))
    samples = clean_recording(recording.samples, recording.sample_rate)
    sentences, words, timing = recording_timings(lecture, slide, recording.duration)
    return NarrationClip(samples, recording.sample_rate, sentences, words, timing)

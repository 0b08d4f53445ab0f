"""The export job: project -> slide pictures + narration -> timeline -> MP4 and the files beside it.

Each slide's narration comes from ``narration.lecture`` and what each slide shows (its picture
with imagery, reveal states and motion) from ``render.visual``; this module runs the job.

The MP4 is written to a temporary file beside the destination and renamed at the end, so a
cancel or a failure leaves any earlier export intact and nothing half-written behind.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from ..cache import folder as cache_folder
from ..cache import prune_all as prune_caches
from ..errors import ExportError
from ..fileio import atomic_write, claim_temporary_beside, remove_abandoned_temporaries
from ..jobs import CancelToken, ProgressCallback, no_progress, progress_span
from ..model import Lecture, Slide
from ..model.estimates import estimated_narration_samples
from ..model.timeline import SAMPLE_RATE, SlideTiming, Timeline
from ..narration import lecture as narration_of
from ..narration.cache import LOUDNESS_FORMAT, loudness_key
from ..narration.choose import VoiceCatalog, slide_voices, voice_catalog, voice_notes
from ..narration.recorded import RECORDING_CLEANUP, recording_length
from ..narration.transcript import recording_timings, untranscribed_note, untranscribed_slides
from ..narration.voices import SlideVoice
from ..plugins import PluginRegistrar, PluginRegistry
from ..project import Project
from ..transitions.deck import transition_notes
from .encoder import EncodeStats, VideoSettings, encode_mp4
from .media import PlayingVideos, late_media_notes, media_sounds
from .media_timing import fitted_timeline
from .packets import PacketCache
from .plan import (
    Narration,
    SlideVisual,
    audio_pieces,
    lecture_timeline,
    sentence_times,
    video_segments,
    word_times,
)
from .problems import flashing_note, flashing_slides
from .visual import missing_imagery_note, slide_visual

THUMBNAIL_SIZE = (1280, 720)
# What a second of each costs, for the progress (and so the time left) to follow the work: a
# Piper voice speaks at about 0.18x real time on our 2 cores (FINDINGS.md), the encoder makes
# video at about 85x (benchmarks/export_speed.py). Only their ratio matters.
SPEAK_COST = 0.18
ENCODE_COST = 1 / 85
PARTIAL_SUFFIX = ".partial.mp4"  # the video being written: .NAME.mp4.XXXXXXXX.partial.mp4


@dataclass
class ExportOptions:
    preset: str = "1080p"
    fps: int | None = None  # None: the lecture's frame rate
    size: tuple[int, int] | None = None  # overrides the preset's size (small test exports)
    captions: bool = True
    chapters: bool = True
    thumbnail: bool = True
    cache_dir: Path | None = None  # root of lecture_studio.cache; None: the user's cache folder
    word_captions: bool = False  # NAME.words.vtt marking each word as it is spoken
    # Plugins' transitions and voices (None: the built-in ones only); the CLI and the editor
    # pass the app's registry.
    registry: PluginRegistry | None = None
    # The voices slides are spoken with (``slide_voice`` picks), listed once; None: those of
    # ``registry``. The editor passes the catalog its voice boxes already listed.
    voices: VoiceCatalog | None = None
    # Encoder threads shared with other exports running at the same time (``batch``); None:
    # the export's own pool. The file is the same either way.
    encoder_pool: Executor | None = None
    # Where the sound's AAC islands are encoded (a batch on Ray passes one of Ray tasks); None:
    # two threads of the export's own. The file is the same either way.
    island_pool: Executor | None = None


@dataclass
class ExportResult:
    video: Path
    duration: float
    timeline: Timeline
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: EncodeStats = field(default_factory=EncodeStats)
    #: slide id -> the voice that spoke it (None: no installed voice speaks its language)
    voices: dict[str, SlideVoice] = field(default_factory=dict)


def slide_narrations(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    voices: VoiceCatalog | None = None,
    work: Mapping[str, float] | None = None,
) -> dict[str, Narration | None]:
    """Each visible slide's voice, known by its length and timings; its samples are spoken or
    decoded again and normalized (or read from the cache) only when the encoder gets to them,
    so a lecture's narration is never all in memory. Slides with nothing to say, or in a
    language no installed voice in ``voices`` (None: the built-in engines') speaks, get None.
    ``work``: what each slide costs, for the progress (``narration.lecture.speech_to_speak``)."""
    catalog = voices if voices is not None else voice_catalog()
    return narration_of.per_slide(
        project, slides, cache_dir, catalog, _slide_narration, progress, cancel, work
    )


def _slide_narration(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None, voices: VoiceCatalog
) -> Narration | None:
    settings = slide.narration
    known = None
    if settings.source == "recording" and settings.recording:
        # A WAV's header gives its length; recordings are named by a hash of their bytes.
        known = recording_length(project.asset_path(settings.recording))
    if known is not None:
        n = known
        sentences, words, _ = recording_timings(lecture, slide, n / SAMPLE_RATE)
        key = f"recording:{settings.recording}:{RECORDING_CLEANUP}:{LOUDNESS_FORMAT}"
        key += f":{narration_of.LOUDNESS}"
    else:
        clip = narration_of.spoken_clip(project, lecture, slide, cache_dir, voices)
        if clip is None:
            return None
        n, sentences, words = len(clip.samples), clip.sentences, clip.words
        key = loudness_key(clip, *narration_of.LOUDNESS)
    if n == 0:
        return None

    def load() -> np.ndarray:
        clip = narration_of.narrated_clip(project, lecture, slide, cache_dir, voices)
        samples = clip.samples if clip is not None else np.zeros(0, np.float32)
        if len(samples) != n:  # a decoder that disagrees with the header by a few samples
            samples = np.pad(samples[:n], (0, max(0, n - len(samples))))
        return samples

    return Narration(n, sentences, load, key, words)


def speaking_share(lecture: Lecture, speech: Mapping[str, float]) -> float:
    """The share of an export's work that speaking ``speech`` (slide id -> seconds a voice
    has yet to speak, ``narration.lecture.speech_to_speak``) takes, the rest being the
    encoding: where the progress stands when the slides are spoken."""
    video = lecture_timeline(
        lecture, estimated_narration_samples(lecture, SAMPLE_RATE, {})
    ).duration
    speaking = SPEAK_COST * sum(speech.values())
    return min(0.95, max(0.02, speaking / (speaking + ENCODE_COST * video + 1e-9)))


def encoded_cache_dir(cache_dir: Path | None) -> Path:
    """Where encoded pieces of exports are kept: the cache root's ``encoded`` folder."""
    return cache_folder("encoded", cache_dir)


def export_lecture(
    project: Project,
    destination: str | Path,
    options: ExportOptions | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write the lecture's MP4 (and captions, chapters, thumbnail beside it).

    Slides are drawn and narration is loaded as the encoder reaches them, so memory stays the
    same however long the lecture is; pieces encoded before (in the cache) are not encoded
    again. Each slide is spoken by the voice ``slide_voice`` picks among ``options.voices``; a
    slide in a language no installed voice speaks stays silent for its reading time, and the
    result's notes say which slides and how to get a voice.
    """
    from ..slides import SlideRenderer

    options = options or ExportOptions()
    cancel = cancel or CancelToken()
    destination = Path(destination)
    lecture = project.lecture
    fps = options.fps or lecture.output.fps
    settings = VideoSettings.from_preset(options.preset, fps)
    if options.size:
        settings = replace(settings, width=options.size[0], height=options.size[1])
    slides = lecture.visible_slides()
    if not slides:
        raise ExportError("Every slide is hidden; show at least one slide before exporting.")
    _check_destination(destination)

    voices = options.voices if options.voices is not None else voice_catalog(options.registry)
    # Progress by work, not by step: speaking the slides not in the cache costs far more per
    # second than encoding (a first export spends most of its time there, a re-export none).
    speech = narration_of.speech_to_speak(project, slides, options.cache_dir, voices)
    narrated = speaking_share(lecture, speech)
    narrations = slide_narrations(
        project,
        slides,
        options.cache_dir,
        progress_span(progress, 0.0, narrated),
        cancel,
        voices,
        speech,
    )
    timeline = fitted_timeline(  # each slide up until its clips have played
        lecture,
        {sid: n.n_samples for sid, n in narrations.items() if n is not None},
        narrations,
        fps,
    )
    spoken_by = slide_voices(lecture, slides, voices)
    notes = voice_notes(lecture, spoken_by, voices.voices) if spoken_by else []
    unvoiced = {sid for sid, choice in spoken_by.items() if choice.voice is None}
    sounds = media_sounds(project, timeline, narrations)  # of the videos and sounds on slides
    silent = [
        lecture.index_of(s.id) + 1
        for s in slides
        if narrations.get(s.id) is None and s.id not in unvoiced and s.id not in sounds.sounds
    ]
    if silent:
        notes.append(silent_slides_note(silent, len(slides), lecture.style.narrate_slide_text))
    untranscribed = untranscribed_slides(lecture, slides) if options.captions else []
    if untranscribed:
        notes.append(untranscribed_note(untranscribed))
    notes.extend(transition_notes(lecture, timeline, options.registry))
    notes.extend(sounds.notes)
    playing: list[PlayingVideos] = []
    flashing = flashing_slides(timeline)  # the editor badges the same slides (render.problems)
    if flashing:
        notes.append(flashing_note(timeline, flashing))
    missing_imagery: list[int] = []
    remove_abandoned_temporaries(destination, PARTIAL_SUFFIX)  # left by killed exports
    claim = claim_temporary_beside(destination, suffix=PARTIAL_SUFFIX)
    partial = claim.path
    cache = PacketCache(encoded_cache_dir(options.cache_dir))
    written: list[Path] = []
    try:
        with SlideRenderer(
            project,
            (settings.width, settings.height),
            slides,
            cancel=cancel,
            cache_dir=options.cache_dir,  # one cache root for converted decks and the rest
        ) as renderer:
            title: list[np.ndarray] = []

            def visual_of(timing: SlideTiming) -> SlideVisual:
                slide = lecture.slide(timing.slide_id)
                view = slide_visual(
                    project, slide, timing, timeline, renderer.draw(slide), narrations.get(slide.id)
                )
                notes.extend(view.notes)
                if view.visual.playing is not None:
                    playing.append(view.visual.playing)
                if view.missing_image:
                    missing_imagery.append(timing.index + 1)
                if not title:
                    title.append(view.visual.picture)
                return view.visual

            stats = encode_mp4(
                partial,
                video_segments(timeline, visual_of, options.registry),
                sounds.mixed(audio_pieces(timeline, narrations), timeline),
                settings,
                progress_span(progress, narrated, 0.97),
                cancel,
                frames=timeline.total_frames,
                cache=cache,
                pool=options.encoder_pool,
                island_pool=options.island_pool,
            )
            notes[:0] = renderer.warnings
            notes.extend(late_media_notes(playing, sounds))
        cancel.check()
        os.replace(partial, destination)
        written.append(destination)
        progress(0.97, "Writing captions, chapters and thumbnail")
        if missing_imagery:
            notes.append(missing_imagery_note(project, missing_imagery))
        written += _write_sidecars(
            destination, lecture, timeline, narrations, title[0], options, notes
        )
    except OSError as exc:
        raise ExportError(
            f"Could not write the video to {destination.parent}: {exc.strerror or exc}."
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
        claim.release()
    prune_caches(options.cache_dir)  # every kind: decks, narration, encoded pieces
    progress(1.0, f"Exported {destination.name}")
    return ExportResult(destination, timeline.duration, timeline, written, notes, stats, spoken_by)


def silent_slides_note(numbers: list[int], visible: int, narrating_slide_text: bool) -> str:
    """Says which slides have nothing to narrate (by number), and how to give them a voice."""
    many = len(numbers) > 1
    them = "them" if many else "it"
    if len(numbers) == visible:
        what = "No slide has anything to narrate, so the video is silent and has no captions"
        them = "them"
    elif many:
        what = (
            f"Slides {', '.join(str(n) for n in numbers)} have nothing to narrate and stay silent"
        )
    else:
        what = f"Slide {numbers[0]} has nothing to narrate and stays silent"
    if narrating_slide_text:
        how = f"write a script for {them}, or put text on {them} to read aloud"
    else:
        how = (
            f"write a script for {them} (speaker notes in the deck, or the editor's narration "
            "panel), or export with --narrate-slide-text (in the editor's Export Video dialog: "
            '"Read the slide\'s title and bullets aloud when it has no script")'
        )
    return f"{what}: {how}."


def chapter_title_of(slide: Slide, timing: SlideTiming) -> str:
    """The name a slide gives its chapter: its title, or its first bullet when the title is
    empty or only a URL, else "Slide N"."""
    from .chapters import chapter_title

    cells = [cell for table in slide.tables for row in table.rows for cell in row]
    return chapter_title(slide.title, [*slide.bullet_texts(), *cells], timing.index + 1)


def _check_destination(destination: Path) -> None:
    folder = destination.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from exc
    if not os.access(folder, os.W_OK):
        raise ExportError(f"The folder {folder} is not writable; choose another destination.")
    if destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name ending in .mp4.")


def _write_sidecars(
    destination: Path,
    lecture: Lecture,
    timeline: Timeline,
    clips: dict[str, Narration | None],
    title_picture: np.ndarray,
    options: ExportOptions,
    notes: list[str],
) -> list[Path]:
    from .captions import build_cues, build_word_cues, write_srt, write_vtt, write_word_vtt
    from .chapters import build_chapters, write_chapters

    stem = destination.with_suffix("")
    written: list[Path] = []
    if options.captions:
        cues = build_cues(
            sentence_times(timeline, clips), lecture.language, word_times(timeline, clips)
        )
        if cues:
            for path, writer in (
                (stem.with_suffix(".srt"), write_srt),
                (stem.with_suffix(".vtt"), write_vtt),
            ):
                writer(cues, path)
                written.append(path)
        elif any(clip is not None for clip in clips.values()):  # else the silence was noted
            notes.append(
                "No captions were written: the recordings have no transcript and their slides "
                "no script to caption."
            )
    if options.word_captions:
        word_cues = build_word_cues(
            sentence_times(timeline, clips), lecture.language, word_times(timeline, clips)
        )
        path = Path(f"{stem}.words.vtt")
        if word_cues:
            write_word_vtt(word_cues, path)
            written.append(path)
        else:
            path.unlink(missing_ok=True)  # an earlier export's word track no longer fits
            notes.append(
                "No word-highlight captions were written: no narration has word timings "
                "(a recording has them once it is transcribed: lecture-studio narrate "
                "PROJECT.lecture --transcribe)."
            )
    if options.chapters:
        entries = [
            (t.start_sample / timeline.sample_rate, chapter_title_of(lecture.slide(t.slide_id), t))
            for t in timeline.slides
        ]
        result = build_chapters(entries, timeline.duration)
        path = Path(f"{stem}.chapters.txt")
        if result.chapters:
            write_chapters(result, path)
            written.append(path)
        else:
            path.unlink(missing_ok=True)  # an earlier export's chapters no longer fit
            notes.append(f"No chapters file: {result.reason}")
    if options.thumbnail:
        thumb = Image.fromarray(title_picture).resize(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        path = Path(f"{stem}.thumbnail.png")
        buffer = io.BytesIO()
        thumb.save(buffer, format="PNG")
        atomic_write(path, buffer.getvalue())
        written.append(path)
    return written


def register_exporters(registrar: PluginRegistrar) -> None:
    """Add Lecture Studio's own exporter, as a plugin's ``register()`` adds its own."""
    registrar.add_exporter("mp4", [".mp4"], export_mp4, "MP4 for YouTube, captions, chapters")


def export_mp4(
    project: Project,
    destination: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    **options: object,
) -> list[Path]:
    """The built-in exporter: the MP4 with captions, chapters and thumbnail beside it;
    ``options`` are ``ExportOptions`` fields."""
    result = export_lecture(project, destination, ExportOptions(**options), progress, cancel)  # type: ignore[arg-type]
    return list(result.files)

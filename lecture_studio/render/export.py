"""The export job: project -> slide pictures + narration -> timeline -> MP4 and the files beside it.

Before encoding, each slide's picture gets what the project asks for on top of it: its chosen
generated image (placed as ``slide.imagery.placement`` says; the export never draws images), a
progressive reveal of its bullets timed by the narration (at the words that introduce them
where the narration has word timings, else at its sentences), and a Ken Burns move.

The MP4 is written to a temporary file beside the destination and renamed at the end, so a
cancel or a failure leaves any earlier export intact and nothing half-written behind.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
from PIL import Image

from ..errors import ExportError
from ..fileio import atomic_write, claim_temporary_beside, remove_abandoned_temporaries
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture, Slide, narration_script
from ..model.timeline import SAMPLE_RATE, SlideTiming, Timeline, build_timeline
from ..narration import (
    NarrationClip,
    load_recording,
    normalize_cached,
    speakable_text,
    synthesize_cached,
)
from ..narration.cache import LOUDNESS_FORMAT, loudness_key
from ..narration.choose import VoiceCatalog, slide_voices, voice_catalog, voice_notes
from ..narration.loudness import channel_loudness_target
from ..narration.recorded import recording_length
from ..narration.voices import SlideVoice
from ..project import Project
from ..transitions.reveal import reveal_schedule, reveal_states
from .aac import AAC_FRAME, AUDIO_CHANNELS
from .compose import compose_slide, in_frame
from .encoder import AAC_PRIMING, EncodeStats, VideoSettings, encode_mp4
from .packets import PacketCache
from .plan import (
    Narration,
    SlideVisual,
    audio_pieces,
    sentence_times,
    video_segments,
    word_times,
)

THUMBNAIL_SIZE = (1280, 720)
PARTIAL_SUFFIX = ".partial.mp4"  # the video being written: .NAME.mp4.XXXXXXXX.partial.mp4
T = TypeVar("T")
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
_LOUDNESS = (
    channel_loudness_target(PROGRAMME_LOUDNESS, AUDIO_CHANNELS),
    TRUE_PEAK_CEILING - _CODEC_HEADROOM_DB,
    _BLOCK_SECONDS,
)


@dataclass
class ExportOptions:
    preset: str = "1080p"
    fps: int | None = None  # None: the lecture's frame rate
    size: tuple[int, int] | None = None  # overrides the preset's size (small test exports)
    captions: bool = True
    chapters: bool = True
    thumbnail: bool = True
    cache_dir: Path | None = None  # narration and encoded pieces; None: the user's cache folder
    word_captions: bool = False  # NAME.words.vtt marking each word as it is spoken
    # The voices slides are spoken with (``slide_voice`` picks); None: the built-in engines'.
    # The CLI and the editor pass the app's catalog, plugin voices included.
    voices: VoiceCatalog | None = None


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
    return _per_slide(project, slides, cache_dir, catalog, _narrate, progress, cancel)


def _per_slide(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    voices: VoiceCatalog,
    make: Callable[[Project, Lecture, Slide, Path | None, VoiceCatalog], T],
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> dict[str, T]:
    """``make(project, lecture, slide, cache_dir, voices)`` for each slide, saying how far
    it got."""
    out: dict[str, T] = {}
    for number, slide in enumerate(slides):
        if cancel:
            cancel.check()
        progress(number / max(1, len(slides)), f"Narrating slide {number + 1} of {len(slides)}")
        out[slide.id] = make(project, project.lecture, slide, cache_dir, voices)
    return out


def _narrate(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None, voices: VoiceCatalog
) -> NarrationClip | None:
    clip = _spoken(project, lecture, slide, cache_dir, voices)
    return None if clip is None else normalize_cached(clip, cache_dir, *_LOUDNESS)


def _spoken(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None, voices: VoiceCatalog
) -> NarrationClip | None:
    """The slide's voice before loudness normalization: its recording or its spoken script
    (``narration_script``: the slide's own text when it has none and the lecture says so),
    spoken by the voice ``slide_voice`` chooses; None when no installed voice speaks the
    slide's language (never another language's voice; the export's notes say so)."""
    settings = slide.narration
    if settings.source == "recording" and settings.recording:
        clip = load_recording(project.asset_path(settings.recording))
    else:
        text = speakable_text(narration_script(slide, lecture))
        if not text:
            return None
        choice = voices.slide_voice(lecture, slide)
        if choice.voice is None:
            return None
        engine = voices.engine(choice.voice)
        # The cache key holds the engine and the voice actually used, never "the default".
        clip = synthesize_cached(engine, text, choice.voice.voice, choice.rate, cache_dir)
    return clip if len(clip.samples) else None


def slide_narrations(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    voices: VoiceCatalog | None = None,
) -> dict[str, Narration | None]:
    """Each visible slide's voice, known by its length and timings; its samples are spoken or
    decoded again and normalized (or read from the cache) only when the encoder gets to them,
    so a lecture's narration is never all in memory. Slides with nothing to say, or in a
    language no installed voice in ``voices`` (None: the built-in engines') speaks, get None."""
    catalog = voices if voices is not None else voice_catalog()
    return _per_slide(project, slides, cache_dir, catalog, _slide_narration, progress, cancel)


def _slide_narration(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None, voices: VoiceCatalog
) -> Narration | None:
    settings = slide.narration
    known = None
    if settings.source == "recording" and settings.recording:
        # A WAV's header gives its length; recordings are named by a hash of their bytes.
        known = recording_length(project.asset_path(settings.recording))
    if known is not None:
        n, sentences, words = known, (), ()
        key = f"recording:{settings.recording}:{LOUDNESS_FORMAT}:{_LOUDNESS}"
    else:
        clip = _spoken(project, lecture, slide, cache_dir, voices)
        if clip is None:
            return None
        n, sentences, words = len(clip.samples), clip.sentences, clip.words
        key = loudness_key(clip, *_LOUDNESS)
    if n == 0:
        return None

    def load() -> np.ndarray:
        clip = _narrate(project, lecture, slide, cache_dir, voices)
        samples = clip.samples if clip is not None else np.zeros(0, np.float32)
        if len(samples) != n:  # a decoder that disagrees with the header by a few samples
            samples = np.pad(samples[:n], (0, max(0, n - len(samples))))
        return samples

    return Narration(n, sentences, load, key, words)


def encoded_cache_dir(cache_dir: Path | None) -> Path:
    """Where encoded pieces of exports are kept (beside the narration cache)."""
    from ..slides import default_cache_dir

    return (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "encoded"


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

    def stage(start: float, end: float) -> ProgressCallback:
        return lambda f, m: progress(start + (end - start) * f, m)

    voices = options.voices if options.voices is not None else voice_catalog()
    narrations = slide_narrations(
        project, slides, options.cache_dir, stage(0.0, 0.1), cancel, voices
    )
    timeline = build_timeline(
        lecture,
        {sid: n.n_samples for sid, n in narrations.items() if n is not None},
        SAMPLE_RATE,
        fps,
        first_narration_at=AAC_PRIMING,
        narration_grid=AAC_FRAME,
    )
    spoken_by = slide_voices(lecture, slides, voices)
    notes = voice_notes(lecture, spoken_by, voices.voices) if spoken_by else []
    unvoiced = {sid for sid, choice in spoken_by.items() if choice.voice is None}
    silent = [
        lecture.index_of(s.id) + 1
        for s in slides
        if narrations.get(s.id) is None and s.id not in unvoiced
    ]
    if silent:
        notes.append(silent_slides_note(silent, len(slides), lecture.style.narrate_slide_text))
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
                picture = renderer.draw(slide)
                visual = slide_visual(
                    project,
                    slide,
                    timing,
                    timeline,
                    picture,
                    renderer.renderer_of.get(slide.id, "builtin"),
                    narrations.get(slide.id),
                    notes,
                    missing_imagery,
                )
                if not title:
                    title.append(visual.picture)
                return visual

            stats = encode_mp4(
                partial,
                video_segments(timeline, visual_of),
                audio_pieces(timeline, narrations),
                settings,
                stage(0.1, 0.97),
                cancel,
                frames=timeline.total_frames,
                cache=cache,
            )
            notes[:0] = renderer.warnings
        cancel.check()
        os.replace(partial, destination)
        written.append(destination)
        progress(0.97, "Writing captions, chapters and thumbnail")
        if missing_imagery:
            notes.append(_missing_imagery_note(project, missing_imagery))
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
    cache.prune()
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
            notes.append("No captions were written: recorded narration has no text to caption.")
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
                "(recorded narration is timed by sentence only)."
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


# --- what each slide shows: imagery, progressive reveal, motion ---------------------------------


def slide_motion_of(lecture: Lecture, slide: Slide) -> str:
    """The camera move a slide gets: its own setting ("none" turns motion off even when the
    lecture moves every slide), or the lecture's default when it has none."""
    return slide.motion if slide.motion is not None else lecture.style.motion


def slide_visual(
    project: Project,
    slide: Slide,
    timing: SlideTiming,
    timeline: Timeline,
    picture: Image.Image,
    renderer: str,
    narration: NarrationClip | Narration | None,
    notes: list[str],
    missing_imagery: list[int],
) -> SlideVisual:
    """What ``slide`` shows on ``timeline``: its rendered ``picture`` with its chosen generated
    image placed on it (``compose_slide``), in reveal states when the lecture reveals bullets,
    moving when its motion is on. Anything asked for that cannot be done is said in ``notes``;
    the slide's number goes into ``missing_imagery`` when its image has not been drawn."""
    lecture = project.lecture
    number = timing.index + 1
    frame = np.asarray(picture.convert("RGB"))
    motion = slide_motion_of(lecture, slide)
    sentences = narration.sentences if narration is not None else ()
    words = narration.words if narration is not None else ()
    reveal = lecture.style.reveal and bool(sentences) and bool(slide.bullet_texts())
    composed = compose_slide(project, slide, frame, renderer, number, reveal)
    notes += composed.notes
    if composed.missing_image:
        missing_imagery.append(number)
    canvas, layout = composed.canvas, composed.layout
    if canvas is None:
        return SlideVisual.still(frame, motion)
    starts: list[int] = []
    if reveal and not layout.problem and layout.paragraphs:
        offset = (timing.narration_start - timing.start_sample) / timeline.sample_rate
        texts = [text for text, _, _ in layout.paragraphs]
        starts = reveal_schedule(texts, sentences, timeline.fps, offset, words)
    area = canvas.crop(composed.picture)
    states = [(0, area)]
    if any(starts):
        bare = canvas.crop(frame).copy()
        for _, (left, top, right, bottom), paper in layout.paragraphs:
            bare[top:bottom, left:right] = paper
        regions = [box for _, box, _ in layout.paragraphs]
        states = reveal_states(area, regions, starts, composed.place_on(bare))
    return SlideVisual(
        tuple((first, in_frame(frame, canvas, state)) for first, state in states), motion
    )


def slide_visuals(
    project: Project,
    pictures: dict[str, Image.Image],
    renderer_of: dict[str, str],
    clips: dict[str, NarrationClip | Narration | None],
    timeline: Timeline,
    notes: list[str],
    cancel: CancelToken | None = None,
) -> dict[str, SlideVisual]:
    """``slide_visual`` of every slide on ``timeline`` at once (for previews and tests)."""
    missing_imagery: list[int] = []
    visuals: dict[str, SlideVisual] = {}
    for timing in timeline.slides:
        if cancel is not None:
            cancel.check()
        slide = project.lecture.slide(timing.slide_id)
        visuals[slide.id] = slide_visual(
            project,
            slide,
            timing,
            timeline,
            pictures[slide.id],
            renderer_of.get(slide.id, "builtin"),
            clips.get(slide.id),
            notes,
            missing_imagery,
        )
    if missing_imagery:
        notes.append(_missing_imagery_note(project, missing_imagery))
    return visuals


def _missing_imagery_note(project: Project, numbers: list[int]) -> str:
    where = f" {project.path}" if project.path else ""
    listed = ", ".join(str(n) for n in numbers)
    many = len(numbers) > 1
    return (
        f"Slide{'s' * many} {listed} ask{'s' * (not many)} for a generated image but none has "
        f"been drawn yet; run `lecture-studio imagery{where}` to draw "
        f"{'them' if many else 'it'}, then export again."
    )

"""The export job: project -> slide pictures + narration -> timeline -> MP4 and the files beside it.

Before encoding, each slide's picture gets what the project asks for on top of it: its chosen
generated image (placed as ``slide.imagery.placement`` says; the export never draws images), a
progressive reveal of its bullets timed by the narration's sentences, and a Ken Burns move.

The MP4 is written to a temporary file beside the destination and renamed at the end, so a
cancel or a failure leaves any earlier export intact and nothing half-written behind.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import ExportError
from ..fileio import atomic_write, temporary_beside
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..model import Lecture, Slide
from ..model.timeline import SAMPLE_RATE, Timeline, build_timeline
from ..narration import (
    NarrationClip,
    choose_engine,
    load_recording,
    normalize_cached,
    speakable_text,
    synthesize_cached,
)
from ..project import Project
from ..transitions.reveal import reveal_schedule, reveal_states
from .compose import compose_slide, in_frame
from .encoder import AAC_PRIMING, VideoSettings, encode_mp4
from .plan import SlideVisual, audio_stream, sentence_times, video_segments

THUMBNAIL_SIZE = (1280, 720)


@dataclass
class ExportOptions:
    preset: str = "1080p"
    fps: int | None = None  # None: the lecture's frame rate
    size: tuple[int, int] | None = None  # overrides the preset's size (small test exports)
    captions: bool = True
    chapters: bool = True
    thumbnail: bool = True
    cache_dir: Path | None = None


@dataclass
class ExportResult:
    video: Path
    duration: float
    timeline: Timeline
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def narrate_slides(
    project: Project,
    slides: list[Slide],
    cache_dir: Path | None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, NarrationClip | None]:
    """Each visible slide's voice: its recording, or its script spoken by the right engine,
    normalized for loudness. Slides with nothing to say get None."""
    lecture = project.lecture
    clips: dict[str, NarrationClip | None] = {}
    for number, slide in enumerate(slides):
        if cancel:
            cancel.check()
        progress(number / max(1, len(slides)), f"Narrating slide {number + 1} of {len(slides)}")
        clips[slide.id] = _narrate(project, lecture, slide, cache_dir)
    return clips


def _narrate(
    project: Project, lecture: Lecture, slide: Slide, cache_dir: Path | None
) -> NarrationClip | None:
    settings = slide.narration
    if settings.source == "recording" and settings.recording:
        clip = load_recording(project.asset_path(settings.recording))
    else:
        text = speakable_text(slide.script)
        if not text:
            return None
        voice = settings.voice or lecture.style.voice
        rate = settings.rate or lecture.style.rate
        engine = choose_engine(text, lecture.language, voice)
        clip = synthesize_cached(engine, text, voice, rate, cache_dir)
    if not len(clip.samples):
        return None
    return normalize_cached(clip, cache_dir)


def export_lecture(
    project: Project,
    destination: str | Path,
    options: ExportOptions | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write the lecture's MP4 (and captions, chapters, thumbnail beside it)."""
    from ..slides import render_slide_images

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

    rendered = render_slide_images(
        project,
        size=(settings.width, settings.height),
        slide_ids=[s.id for s in slides],
        progress=stage(0.0, 0.2),
        cancel=cancel,
    )
    notes = list(rendered.warnings)
    clips = narrate_slides(project, slides, options.cache_dir, stage(0.2, 0.4), cancel)
    timeline = build_timeline(
        lecture,
        {sid: len(c.samples) for sid, c in clips.items() if c is not None},
        SAMPLE_RATE,
        fps,
        first_narration_at=AAC_PRIMING,
    )
    progress(0.4, "Placing images and timing bullets")
    visuals = slide_visuals(project, rendered, rendered.renderer_of, clips, timeline, notes, cancel)
    del rendered  # the visuals hold what is needed; don't keep every slide twice
    title_picture = visuals[timeline.slides[0].slide_id].picture
    audio = audio_stream(timeline, clips)
    segments = video_segments(timeline, visuals)

    partial = temporary_beside(destination, suffix=".partial.mp4")
    written: list[Path] = []
    try:
        encode_mp4(partial, segments, audio, settings, stage(0.4, 0.97), cancel)
        cancel.check()
        os.replace(partial, destination)
        written.append(destination)
        progress(0.97, "Writing captions, chapters and thumbnail")
        written += _write_sidecars(
            destination, lecture, timeline, clips, title_picture, options, notes
        )
    except OSError as exc:
        raise ExportError(
            f"Could not write the video to {destination.parent}: {exc.strerror or exc}."
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    progress(1.0, f"Exported {destination.name}")
    return ExportResult(destination, timeline.duration, timeline, written, notes)


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
    clips: dict[str, NarrationClip | None],
    title_picture: np.ndarray,
    options: ExportOptions,
    notes: list[str],
) -> list[Path]:
    from .captions import build_cues, write_srt, write_vtt
    from .chapters import build_chapters, write_chapters

    stem = destination.with_suffix("")
    written: list[Path] = []
    if options.captions:
        cues = build_cues(sentence_times(timeline, clips), lecture.language)
        if cues:
            for path, writer in (
                (stem.with_suffix(".srt"), write_srt),
                (stem.with_suffix(".vtt"), write_vtt),
            ):
                writer(cues, path)
                written.append(path)
        else:
            notes.append("No captions were written: no slide has narration.")
    if options.chapters:
        entries = [
            (t.start_sample / timeline.sample_rate, lecture.slide(t.slide_id).title)
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


def slide_visuals(
    project: Project,
    pictures: dict[str, Image.Image],
    renderer_of: dict[str, str],
    clips: dict[str, NarrationClip | None],
    timeline: Timeline,
    notes: list[str],
    cancel: CancelToken | None = None,
) -> dict[str, SlideVisual]:
    """What each slide on ``timeline`` shows: its rendered picture with its chosen generated
    image placed on it (``compose_slide``), in reveal states when the lecture reveals bullets,
    moving when its motion is on. Anything asked for that cannot be done is said in ``notes``."""
    lecture = project.lecture
    missing_imagery: list[int] = []
    visuals: dict[str, SlideVisual] = {}
    for timing in timeline.slides:
        if cancel is not None:
            cancel.check()
        slide = lecture.slide(timing.slide_id)
        number = timing.index + 1
        frame = np.asarray(pictures[slide.id].convert("RGB"))
        motion = slide_motion_of(lecture, slide)
        clip = clips.get(slide.id)
        sentences = clip.sentences if clip is not None else ()
        reveal = lecture.style.reveal and bool(sentences) and bool(slide.bullet_texts())
        renderer = renderer_of.get(slide.id, "builtin")
        composed = compose_slide(project, slide, frame, renderer, number, reveal)
        notes += composed.notes
        if composed.missing_image:
            missing_imagery.append(number)
        canvas, layout = composed.canvas, composed.layout
        if canvas is None:
            visuals[slide.id] = SlideVisual.still(frame, motion)
            continue
        starts: list[int] = []
        if reveal and not layout.problem and layout.paragraphs:
            offset = (timing.narration_start - timing.start_sample) / timeline.sample_rate
            texts = [text for text, _, _ in layout.paragraphs]
            starts = reveal_schedule(texts, sentences, timeline.fps, offset)
        area = canvas.crop(composed.picture)
        states = [(0, area)]
        if any(starts):
            bare = canvas.crop(frame).copy()
            for _, (left, top, right, bottom), paper in layout.paragraphs:
                bare[top:bottom, left:right] = paper
            regions = [box for _, box, _ in layout.paragraphs]
            states = reveal_states(area, regions, starts, composed.place_on(bare))
        visuals[slide.id] = SlideVisual(
            tuple((first, in_frame(frame, canvas, state)) for first, state in states), motion
        )
    if missing_imagery:
        where = f" {project.path}" if project.path else ""
        listed = ", ".join(str(n) for n in missing_imagery)
        notes.append(
            f"Slide{'s' * (len(missing_imagery) > 1)} {listed} ask"
            f"{'s' * (len(missing_imagery) == 1)} for a generated image but none has been "
            f"drawn yet; run `lecture-studio imagery{where}` to draw "
            f"{'them' if len(missing_imagery) > 1 else 'it'}, then export again."
        )
    return visuals

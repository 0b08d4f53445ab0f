"""The CLI's subcommands; each is a thin call into the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..app import app_registry
from ..errors import ExportError, InputError
from ..jobs import CancelToken
from ..loading import open_path
from ..model import Slide
from ..model.estimates import count_words
from ..narration.voices import language_name
from ..project import BUNDLE_SUFFIX
from .arguments import add_subcommand, parse_size
from .batch_commands import add_batch_command
from .cache_commands import add_cache_commands
from .export_options import add_export_options, apply_export_options, export_options
from .imagery_commands import add_imagery_commands
from .narrate_commands import add_narrate_commands
from .plugin_commands import add_plugin_commands, export_with_plugin
from .progress import TerminalProgress
from .voice_commands import (
    add_voice_commands,
    add_voice_options,
    app_voices,
    apply_voice_options,
    describe_slide_voice,
)

if TYPE_CHECKING:
    pass


def add_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return add_subcommand(sub, name, help_text, epilog)

    p = command(
        "import", "Import a .pptx deck or a Markdown/text outline into a NAME.lecture project."
    )
    p.add_argument("path", type=Path, help="a .pptx/.pptm/.ppsx/.potx deck, or a .md/.txt outline")
    p.add_argument(
        "-o", "--output", type=Path, required=True, help="the project to write (NAME.lecture)"
    )
    add_voice_options(p)
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_import)

    p = command("info", "Show a deck's, outline's or project's slides, narration and warnings.")
    p.add_argument("path", type=Path, help="a deck, an outline or a NAME.lecture project")
    p.set_defaults(run=cmd_info)

    p = command("render-slides", "Write every slide as a PNG image at the video's size.")
    p.add_argument("path", type=Path, help="a deck, an outline or a NAME.lecture project")
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for slide-NN.png files")
    p.add_argument(
        "--size", type=parse_size, help="WIDTHxHEIGHT, default the project's (1920x1080)"
    )
    p.add_argument(
        "--renderer",
        choices=["auto", "libreoffice", "builtin"],
        default="auto",
        help="auto: LibreOffice for decks when installed, else the built-in renderer",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_render_slides)

    p = command(
        "export",
        "Export a narrated MP4 in YouTube's recommended upload settings, with captions"
        " (.srt, .vtt), chapters (.chapters.txt) and a thumbnail (.thumbnail.png) beside it.",
    )
    p.add_argument("path", type=Path, help="a deck, an outline or a NAME.lecture project")
    p.add_argument("-o", "--output", type=Path, required=True, help="the video to write (NAME.mp4)")
    add_export_options(p)
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_export)

    add_batch_command(sub, epilog)
    add_imagery_commands(sub, epilog)
    add_plugin_commands(sub, epilog)
    add_voice_commands(sub, epilog)
    add_cache_commands(sub, epilog)
    add_narrate_commands(sub, epilog)


def _warn(messages: list[str], quiet: bool = False) -> None:
    if not quiet:
        for message in messages:
            print(f"warning: {message}", file=sys.stderr)


def cmd_import(args: argparse.Namespace, cancel: CancelToken) -> int:
    output: Path = args.output
    if output.suffix != BUNDLE_SUFFIX:
        output = output.with_name(output.name + BUNDLE_SUFFIX)
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} exists and is not a project folder; choose another name.")
    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, progress=progress, cancel=cancel, registry=app_registry())
    progress.done()
    _warn(project.warnings, args.quiet)
    if args.voice or args.language:
        _warn(apply_voice_options(args, project.lecture, app_voices()), args.quiet)
    project.save(output)
    if not args.quiet:
        slides = len(project.lecture.slides)
        print(f"Imported {slides} slide{'s' * (slides != 1)} into {output}")
    return 0


def cmd_info(args: argparse.Namespace, cancel: CancelToken) -> int:
    project = open_path(args.path, cancel=cancel, registry=app_registry())
    lecture = project.lecture
    visible = lecture.visible_slides()
    print(f"Title:     {lecture.title}")
    print(f"Language:  {language_name(lecture.language)} ({lecture.language})")
    print(
        f"Slide size: {lecture.slide_width:.2f} x {lecture.slide_height:.2f} in "
        f"(aspect {lecture.aspect:.3f}); video {lecture.output.width}x{lecture.output.height}"
        f" at {lecture.output.fps} fps"
    )
    hidden = len(lecture.slides) - len(visible)
    print(f"Slides:    {len(lecture.slides)}" + (f" ({hidden} hidden)" if hidden else ""))
    total_words = 0
    voices = app_voices()
    for number, slide in enumerate(lecture.slides, start=1):
        words = count_words(slide.script)
        total_words += words
        flags = " [hidden]" if slide.hidden else ""
        title = slide.title.replace("\n", " ").strip() or "(no title)"
        print(f"  {number:3d}. {title[:60]}{flags}  - narration: {words} words")
        print(f"       voice: {describe_slide_voice(lecture, slide, voices)}")
        timing = _deck_timing(slide)
        if timing:
            print(f"       deck: {timing}")
        for line in _media_and_builds(slide):
            print(f"       {line}")
    print(f"Narration: {total_words} words in all")
    recorded = [
        str(number)
        for number, slide in enumerate(lecture.slides, start=1)
        if slide.narration.source == "recording" and slide.narration.recording
    ]
    if recorded:
        print(f"Recorded:  slide{'s' * (len(recorded) > 1)} {', '.join(recorded)}")
    if project.warnings:
        print("Warnings:")
        for warning in project.warnings:
            print(f"  - {warning}")
    return 0


def _deck_timing(slide: Slide) -> str:
    """What ``info`` says of a slide's transition and timing from its deck ("" for none)."""
    parts = []
    deck = slide.deck_transition
    if deck is not None:
        spec = deck.transition
        drawn = spec.kind if spec.kind == "cut" else f"{spec.kind}, {spec.duration:g} s"
        nearest = ", the nearest we have" if deck.approximate else ""
        parts.append(f"transition in: {deck.effect} (as {drawn}{nearest})")
    if slide.duration.advance_after is not None:
        parts.append(f"advances after {slide.duration.advance_after:g} s")
    return "; ".join(parts)


def _media_and_builds(slide: Slide) -> list[str]:
    """What ``info`` says of a slide's videos and sounds (kind, length, trim, how they play)
    and of its build animation (how many steps, how many on a click)."""
    lines = []
    for media in slide.media:
        parts = [f"{media.kind} “{media.name}”, {media.seconds:.1f} s"]
        if media.start > 0:
            parts.append(f"trimmed to {media.start:.1f}-{media.start + media.seconds:.1f} s")
        if abs(media.volume - 0.8) > 1e-6:  # PowerPoint's default: not worth a word
            parts.append(f"volume {round(media.volume * 100)}%")
        if media.plays != 1:
            parts.append("loops" if media.plays == 0 else f"plays {media.plays} times")
        started = [i for i, step in enumerate(slide.builds, 1) if media.shape_id in step.plays]
        if started and media.shape_id:
            parts.append(f"starts at build step {started[0]}")
        lines.append("media: " + ", ".join(parts))
    if slide.builds:
        count = len(slide.builds)
        clicks = sum(step.trigger == "click" for step in slide.builds)
        lines.append(
            f"build steps: {count} ({clicks} on click{'s' * (clicks != 1)}, "
            f"{count - clicks} by themselves)"
        )
    return lines


def cmd_render_slides(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..slides import render_slide_images

    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel, registry=app_registry())
    _warn(project.warnings, args.quiet)
    result = render_slide_images(
        project, size=args.size, renderer=args.renderer, progress=progress, cancel=cancel
    )
    progress.done()
    _warn(result.warnings, args.quiet)
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        for number, slide in enumerate(project.lecture.slides, start=1):
            image = result.images.get(slide.id)
            if image is not None:
                image.save(args.output / f"slide-{number:02d}.png")
    except OSError as exc:
        raise ExportError(f"Could not write PNGs to {args.output}: {exc.strerror or exc}.") from exc
    if not args.quiet:
        print(f"Wrote {len(result.images)} PNGs to {args.output}")
    return 0


def cmd_export(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..render.export import export_lecture
    from ..render.formats import exporter_for

    if not exporter_for(args.output, app_registry()).builtin:  # the editor's lookup too
        return export_with_plugin(args, cancel)
    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel, registry=app_registry())
    _warn(project.warnings, args.quiet)
    voices = app_voices()
    _warn(apply_export_options(args, project.lecture, voices), args.quiet)
    options = export_options(args, voices)
    result = export_lecture(project, args.output, options, progress=progress, cancel=cancel)
    progress.done()
    _warn(result.notes, args.quiet)
    if not args.quiet:
        minutes, seconds = divmod(round(result.duration), 60)
        print(f"Wrote {result.video} ({minutes}:{seconds:02d})")
        for path in result.files[1:]:
            print(f"  and {path.name}")
    return 0

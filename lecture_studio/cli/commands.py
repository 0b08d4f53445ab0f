"""The CLI's subcommands; each is a thin call into the core."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import ExportError, InputError
from ..jobs import CancelToken
from ..loading import open_path
from ..model import TransitionSpec
from ..model.estimates import count_words
from ..model.timeline import FRAME_RATES
from ..narration.voices import language_name
from ..project import BUNDLE_SUFFIX
from ..render.presets import PRESETS
from ..transitions import TRANSITIONS, make_transition
from ..transitions.motion import MOTIONS
from .cache_commands import add_cache_commands
from .imagery_commands import add_imagery_commands
from .plugin_commands import add_plugin_commands, export_with_plugin
from .progress import TerminalProgress
from .voice_commands import (
    add_voice_commands,
    add_voice_options,
    app_voices,
    apply_voice_options,
    describe_slide_voice,
)


def add_subcommand(
    sub: argparse._SubParsersAction, name: str, help_text: str, epilog: str
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows its purpose and the exit statuses."""
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


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
    p.add_argument(
        "--preset", choices=list(PRESETS), default="1080p", help="video size (default 1080p)"
    )
    p.add_argument(
        "--fps", type=int, choices=FRAME_RATES, help="frame rate (default the project's, 30)"
    )
    p.add_argument("--size", type=parse_size, help="WIDTHxHEIGHT instead of the preset's size")
    p.add_argument(
        "--transition",
        metavar="KIND",
        help="the transition between slides that do not set their own (default: cut): "
        + ", ".join(sorted(TRANSITIONS))
        + ", or one from a plugin",
    )
    p.add_argument(
        "--transition-duration", type=float, default=0.6, metavar="SECONDS", help="default 0.6"
    )
    p.add_argument(
        "--motion",
        choices=list(MOTIONS),
        help="ken-burns: a slow pan and zoom on every slide; none: only on slides whose own "
        "motion is on (default: the project's setting, none)",
    )
    p.add_argument(
        "--reveal",
        action=argparse.BooleanOptionalAction,
        help="bullets appear one by one as the narration introduces each (at the word that "
        "introduces it where word timings are known) (default: the project's setting, off)",
    )
    p.add_argument(
        "--narrate-slide-text",
        action=argparse.BooleanOptionalAction,
        help="a slide without a script speaks its own title and bullets, and its captions show "
        "them (default: the project's setting, off)",
    )
    p.add_argument("--no-captions", action="store_true", help="do not write .srt/.vtt captions")
    p.add_argument(
        "--word-captions",
        action="store_true",
        help="also write NAME.words.vtt, captions that underline each word as it is spoken "
        "(needs narration with word timings; recorded narration has none)",
    )
    p.add_argument("--no-chapters", action="store_true", help="do not write the chapters file")
    p.add_argument("--no-thumbnail", action="store_true", help="do not write the thumbnail")
    add_voice_options(p)
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_export)

    add_imagery_commands(sub, epilog)
    add_plugin_commands(sub, epilog)
    add_voice_commands(sub, epilog)
    add_cache_commands(sub, epilog)


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX]\s*(\d{2,5})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1920x1080")
    width, height = int(match[1]), int(match[2])
    if width % 2 or height % 2:
        raise argparse.ArgumentTypeError("width and height must be even numbers for H.264 video")
    return width, height


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
    project = open_path(args.path, progress=progress, cancel=cancel)
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
    project = open_path(args.path, cancel=cancel)
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
    print(f"Narration: {total_words} words in all")
    if project.warnings:
        print("Warnings:")
        for warning in project.warnings:
            print(f"  - {warning}")
    return 0


def cmd_render_slides(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..slides import render_slide_images

    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel)
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
    from ..render.export import ExportOptions, export_lecture

    if args.output.suffix.lower() != ".mp4":
        return export_with_plugin(args, cancel)
    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel)
    _warn(project.warnings, args.quiet)
    if args.transition:
        try:
            make_transition(args.transition, args.transition_duration)
        except ValueError as exc:
            raise InputError(f"{exc}.") from exc
        project.lecture.style.transition = TransitionSpec(args.transition, args.transition_duration)
    if args.motion:
        project.lecture.style.motion = args.motion
    if args.reveal is not None:
        project.lecture.style.reveal = args.reveal
    if args.narrate_slide_text is not None:
        project.lecture.style.narrate_slide_text = args.narrate_slide_text
    voices = app_voices()
    _warn(apply_voice_options(args, project.lecture, voices), args.quiet)
    options = ExportOptions(
        preset=args.preset,
        fps=args.fps,
        size=args.size,
        captions=not args.no_captions,
        chapters=not args.no_chapters,
        thumbnail=not args.no_thumbnail,
        word_captions=args.word_captions,
        voices=voices,
    )
    result = export_lecture(project, args.output, options, progress=progress, cancel=cancel)
    progress.done()
    _warn(result.notes, args.quiet)
    if not args.quiet:
        minutes, seconds = divmod(round(result.duration), 60)
        print(f"Wrote {result.video} ({minutes}:{seconds:02d})")
        for path in result.files[1:]:
            print(f"  and {path.name}")
    return 0

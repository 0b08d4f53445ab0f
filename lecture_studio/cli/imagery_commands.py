"""The ``imagery`` and ``models`` subcommands: per-slide images and the models they come from."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..app import app_registry
from ..errors import InputError
from ..jobs import CancelToken
from ..loading import is_project_path, open_path
from ..project import BUNDLE_SUFFIX
from .arguments import add_subcommand, parse_size
from .progress import TerminalProgress

if TYPE_CHECKING:
    from ..imagery.settings import ImagerySettings


def parse_slide_numbers(text: str) -> list[int]:
    """'3,5-7' -> [3, 5, 6, 7] (1-based slide numbers, in the order given, no repeats)."""
    numbers: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise argparse.ArgumentTypeError(f"{text!r} is not a list of slides like 3,5-7")
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise argparse.ArgumentTypeError(f"{part.strip()!r} is not a range of slides like 5-7")
        numbers += [n for n in range(first, last + 1) if n not in numbers]
    return numbers


def _steps(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("steps must be between 1 and 200")
    return value


def add_drawing_options(p: argparse._ActionsContainer, size_option: str) -> None:
    """How images are drawn: the options ``imagery`` and ``batch --imagery`` share (the
    image size is ``size_option``: ``--size`` for ``imagery``, ``--image-size`` for ``batch``,
    whose ``--size`` is the video's); ``imagery_settings`` reads them."""
    from ..imagery.prompts import STYLE_PRESETS

    p.add_argument(
        "--style",
        help=f"the lecture's image style: {', '.join(STYLE_PRESETS)}, or any words",
    )
    p.add_argument(
        "--generator",
        choices=["diffusers", "procedural"],
        help="diffusers: a local AI model; procedural: abstract shapes, no model (default: the"
        " project's, diffusers)",
    )
    p.add_argument(
        "--model",
        help="Hugging Face id, diffusers folder or .safetensors file"
        " (default: the project's, stabilityai/sd-turbo)",
    )
    p.add_argument("--steps", type=_steps, help="denoising steps (default: the model's own)")
    p.add_argument("--guidance", type=float, help="guidance scale (default: the model's own)")
    p.add_argument("--seed", type=int, help="the lecture's seed; each slide's derives from it")
    p.add_argument(
        "--placement",
        choices=["background", "beside", "placeholder"],
        help="where the image goes on slides that have none yet (default: background for"
        " outline slides, beside the text for deck slides)",
    )
    p.add_argument(
        size_option,
        dest="image_size",
        type=parse_size,
        metavar="WIDTHxHEIGHT",
        help="image size (default 1024 wide, at the slides' shape)",
    )
    p.add_argument("--device", help="auto (default), cuda, cuda:N, mps or cpu")


def imagery_settings(args: argparse.Namespace) -> ImagerySettings:
    """The choices of ``add_drawing_options``."""
    from ..imagery.settings import ImagerySettings

    return ImagerySettings(
        style=args.style,
        generator=args.generator,
        model=args.model,
        steps=args.steps,
        guidance=args.guidance,
        seed=args.seed,
        placement=args.placement,
        size=args.image_size,
        device=args.device,
    )


def add_imagery_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return add_subcommand(sub, name, help_text, epilog)

    p = command(
        "imagery",
        "Draw an illustration for each slide with a local image model (or abstract shapes) and"
        " keep it in the project; unchanged images are not drawn again.",
    )
    p.add_argument("path", type=Path, help="a NAME.lecture project, or a deck/outline with -o")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the project to write (NAME.lecture); default: save into PATH when it is a project",
    )
    p.add_argument("--slides", type=parse_slide_numbers, help="slide numbers like 3,5-7")
    p.add_argument(
        "--new-variant",
        action="store_true",
        help="draw another variant of the chosen slides, keeping the earlier ones",
    )
    add_drawing_options(p, "--size")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_imagery)

    p = command(
        "models",
        "List the image and speech recognition (Whisper) models on this computer, or download one.",
    )
    models = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    listing = models.add_parser(
        "list",
        help="what the Hugging Face cache and the app's models folder hold",
        description="List the image models and the Whisper models (speech recognition) in the"
        " Hugging Face cache, the app's models folder and installed Python packages.",
    )
    listing.set_defaults(run=cmd_models_list)
    download = models.add_parser(
        "download",
        help="download a model's safetensors files from Hugging Face (needs internet)",
        description="Download a model's safetensors files into the Hugging Face cache.",
    )
    download.add_argument(
        "model_id",
        metavar="ID",
        help="e.g. stabilityai/sd-turbo, or whisper-base (whisper-NAME: a Whisper model for"
        " transcribing recorded narration: tiny, base, small, medium, large-v3, and .en forms)",
    )
    download.add_argument("--quiet", action="store_true", help="print nothing but errors")
    download.set_defaults(run=cmd_models_download)


def _output_path(args: argparse.Namespace) -> Path:
    if args.output is not None:
        output: Path = args.output
        if output.suffix != BUNDLE_SUFFIX:
            output = output.with_name(output.name + BUNDLE_SUFFIX)
        if output.exists() and not output.is_dir():
            raise InputError(f"{output} exists and is not a project folder; choose another name.")
        return output
    if is_project_path(args.path):
        return args.path
    raise InputError(
        f"{args.path} is not a project; add -o NAME.lecture to import it and keep the images."
    )


def cmd_imagery(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..imagery import generate_slide_images, generator_for_lecture
    from ..imagery.prompts import english_hint_note

    output = _output_path(args)
    progress = TerminalProgress(args.quiet)
    project = open_path(args.path, cancel=cancel, registry=app_registry())
    lecture = project.lecture
    if args.slides:
        missing = [n for n in args.slides if n > len(lecture.slides)]
        if missing:
            raise InputError(
                f"The lecture has {len(lecture.slides)} slides, so there is no slide "
                f"{missing[0]}; choose slides from 1 to {len(lecture.slides)}."
            )
        slides = [lecture.slides[n - 1] for n in args.slides]
    else:
        slides = lecture.visible_slides()
    imagery_settings(args).apply(lecture, slides)
    generator = generator_for_lecture(lecture, device=args.device, registry=app_registry())
    if not args.quiet:
        print(f"Drawing with: {generator.name} ({generator.identity})", file=sys.stderr)
        note = english_hint_note(lecture, slides)
        if note:
            print(f"note: {note}", file=sys.stderr)
    result = generate_slide_images(
        project,
        [s.id for s in slides],
        generator,
        progress=progress,
        cancel=cancel,
        size=args.image_size,
        new_variant=args.new_variant,
    )
    progress.done()
    for note in getattr(generator, "notes", []):
        print(f"warning: {note}", file=sys.stderr)
    project.save(output)
    if not args.quiet:
        drawn, kept = len(result.generated), len(result.reused)
        print(f"Drew {drawn} image{'s' * (drawn != 1)}, {kept} unchanged; saved {output}")
    return 0


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def cmd_models_list(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..imagery.models import hf_cache_dir, list_models, models_dir
    from ..narration.transcribe import list_whisper_models

    whisper = list_whisper_models()
    whisper_paths = {w.path for w in whisper}
    entries = [e for e in list_models() if e.path not in whisper_paths]
    print(f"Hugging Face cache: {hf_cache_dir()}")
    print(f"Models folder:      {models_dir()}")
    print("Image models:")
    if not entries:
        print("  none yet; run `lecture-studio models download stabilityai/sd-turbo`.")
    width = max([len(e.name) for e in entries] + [len(f"whisper-{w.name}") for w in whisper] + [1])
    for entry in entries:
        print(
            f"  {entry.name:<{width}}  {_human_size(entry.size_bytes):>9}  {entry.kind}"
            f"  ({entry.where})"
        )
    print("Whisper models (transcribing recorded narration):")
    if not whisper:
        print("  none yet; run `lecture-studio models download whisper-base`.")
    for model in whisper:
        name = f"whisper-{model.name}"
        print(f"  {name:<{width}}  {_human_size(model.size_bytes):>9}  ({model.where})")
    return 0


def cmd_models_download(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..imagery.models import download_model
    from ..narration.transcribe import download_whisper_model

    progress = TerminalProgress(getattr(args, "quiet", False))
    if args.model_id.startswith("whisper-"):
        name = args.model_id.removeprefix("whisper-")
        path = download_whisper_model(name, progress=progress, cancel=cancel)
    else:
        path = download_model(args.model_id, progress=progress, cancel=cancel)
    progress.done()
    if not getattr(args, "quiet", False):
        print(f"Downloaded {args.model_id} to {path}")
    return 0

"""``lecture-studio voices list|download``, and the ``--voice``/``--language`` options that
``import`` and ``export`` share: thin calls into ``narration.voices`` and ``narration.choose``."""

from __future__ import annotations

import argparse
import re

from ..app import app_registry
from ..errors import InputError
from ..jobs import CancelToken
from ..model import Lecture, Slide
from ..narration.choose import VoiceCatalog, spoken_by_voice, voice_catalog
from ..narration.voice_download import download_voice
from ..narration.voices import (
    SlideVoice,
    VoiceInfo,
    how_to_get_voice,
    language_family,
    language_name,
    speaks_language,
    voice_id,
    voice_label,
    voices_for_language,
)
from ..text import normalize_language
from .arguments import add_subcommand
from .progress import TerminalProgress

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def add_voice_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``voices list`` and ``voices download`` to the CLI's subcommands."""

    parser = add_subcommand(
        sub, "voices", "List the voices that can narrate, or download a Piper voice.", epilog
    )
    actions = parser.add_subparsers(dest="voices_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="every voice of every engine (plugins' included): id, language, name, and whether "
        "it is installed or can be downloaded; * marks the voice chosen for its language",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument(
        "--language", metavar="CODE", type=language_code, help="only voices of this language (de)"
    )
    listing.set_defaults(run=cmd_voices_list)
    download = actions.add_parser(
        "download",
        help="download a Piper voice (NAME.onnx and NAME.onnx.json) into the voice folder",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    download.add_argument("name", help="a Piper voice name, e.g. de_DE-thorsten-medium")
    download.add_argument("--quiet", action="store_true", help="print nothing but errors")
    download.set_defaults(run=cmd_voices_download)


def add_voice_options(parser: argparse.ArgumentParser) -> None:
    """``--voice`` and ``--language``, as ``import`` and ``export`` take them."""
    parser.add_argument(
        "--voice",
        metavar="ID",
        help="the lecture's voice, an id from `lecture-studio voices list` (e.g. "
        "piper:en_US-joe-medium); it speaks the slides in its language, and each other slide "
        "gets the most natural installed voice for its own (default: the project's setting)",
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        type=language_code,
        help="the lecture's language (ISO 639-1, e.g. de): slides too short to tell their "
        "language are spoken in it (default: the project's, detected from its text)",
    )


def language_code(text: str) -> str:
    """``--language``'s value as an ISO 639 code ("de-AT" gives "de")."""
    code = normalize_language(text)
    if not _LANGUAGE_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"{text!r} is not a language code like de, fr or ja")
    return code


def app_voices() -> VoiceCatalog:
    """The voices of the app's registry (built-ins and plugins unless --no-plugins)."""
    return voice_catalog(app_registry())


def apply_voice_options(
    args: argparse.Namespace, lecture: Lecture, voices: VoiceCatalog
) -> list[str]:
    """Put ``--language`` and ``--voice`` into ``lecture``; warnings for a voice that speaks no
    slide. An InputError for a voice that is not installed here."""
    if getattr(args, "language", None):
        lecture.language = args.language
    wanted = getattr(args, "voice", None)
    if not wanted:
        return []
    found = voices.find(wanted)
    if found is None or not found.installed:
        if found is not None and found.engine == "piper":
            how = f"download it with `lecture-studio voices download {found.voice}`"
        else:
            how = "see `lecture-studio voices list` for the installed voices"
        raise InputError(f"The voice '{wanted}' is not installed; {how}.")
    lecture.style.voice = voice_id(found)
    spoken = [s for s in lecture.visible_slides() if spoken_by_voice(lecture, s)]
    if spoken and not any(voices.slide_voice(lecture, s).reason == "lecture" for s in spoken):
        return [
            f"The voice {voice_id(found)} speaks {language_name(found.language)}, which no "
            "slide is in, so it speaks none of them; set --language, or choose a voice of the "
            "lecture's language."
        ]
    return []


def describe_slide_voice(lecture: Lecture, slide: Slide, voices: VoiceCatalog) -> str:
    """What ``info`` says about who speaks ``slide``: language, voice and why."""
    settings = slide.narration
    if settings.source == "recording" and settings.recording:
        return "recorded"
    if not spoken_by_voice(lecture, slide):
        return "silent"
    choice: SlideVoice = voices.slide_voice(lecture, slide)
    if choice.voice is None:
        return f"{choice.language}, silent: {choice.explanation}"
    return f"{choice.language}, {voice_id(choice.voice)} ({choice.explanation})"


def _listed_order(voices: list[VoiceInfo]) -> list[tuple[VoiceInfo, bool]]:
    """Voices by language name (unknown languages last), in each language the installed ones
    in the order they are chosen (``voices_for_language``), then the others; each with whether
    it is the one chosen for its language."""
    ranked: dict[str, list[VoiceInfo]] = {}
    for info in voices:
        family = language_family(info.language)
        if family and family not in ranked:
            ranked[family] = voices_for_language(family, voices)

    def key(item: tuple[int, VoiceInfo]) -> tuple[bool, str, bool, int, int]:
        position, info = item
        family = language_family(info.language)
        order = ranked.get(family, [])
        rank = order.index(info) if info in order else len(order)
        return (not family, language_name(family), not info.installed, rank, position)

    ordered = [info for _, info in sorted(enumerate(voices), key=key)]
    chosen = {order[0] for order in ranked.values() if order}
    return [(info, info in chosen) for info in ordered]


def cmd_voices_list(args: argparse.Namespace, cancel: CancelToken) -> int:
    voices = list(app_voices().voices)
    if args.language:
        voices = [v for v in voices if speaks_language(v, args.language)]
        if not any(v.installed for v in voices):
            print(
                f"No installed voice speaks {language_name(args.language)}; "
                f"{how_to_get_voice(args.language, voices)}."
            )
            if not voices:
                return 0
    rows = [("", "VOICE ID", "LANGUAGE", "NAME", "STATUS")]
    for info, is_chosen in _listed_order(voices):
        if info.installed:
            status = "installed"
        elif info.engine == "piper":
            status = "downloadable"
        else:
            status = "not installed"
        rows.append(
            (
                "*" if is_chosen else "",
                voice_id(info),
                info.language or "?",
                voice_label(info),
                status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join([*cells, row[-1]]))
    print(
        "\n* the voice chosen for its language when a slide names none; "
        "`lecture-studio voices download NAME` fetches a downloadable Piper voice."
    )
    return 0


def cmd_voices_download(args: argparse.Namespace, cancel: CancelToken) -> int:
    name = args.name.removeprefix("piper:")
    progress = TerminalProgress(args.quiet)
    model = download_voice(name, progress, cancel)
    progress.done()
    if not args.quiet:
        print(f"Downloaded {name} to {model.parent}; use it with --voice piper:{name}")
    return 0

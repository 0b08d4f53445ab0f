"""The export options ``export`` and ``batch`` share: how they are given on the command line,
what of them goes into the lecture, and what into the export's own options."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..app import app_registry
from ..errors import InputError
from ..model import Lecture, TransitionSpec
from ..model.timeline import FRAME_RATES
from ..narration.choose import VoiceCatalog
from ..render.presets import PRESETS
from ..transitions import TRANSITIONS, make_transition
from ..transitions.motion import MOTIONS
from .arguments import parse_size
from .voice_commands import add_voice_options, apply_voice_options

if TYPE_CHECKING:
    from ..render.export import ExportOptions


def add_export_options(p: argparse.ArgumentParser) -> None:
    """How the video is made: the options ``export`` and ``batch`` share (all but the paths)."""
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
        help="the transition between slides that do not set their own, nor take one from "
        "their deck (default: a 0.5-second crossfade): "
        + ", ".join(sorted(TRANSITIONS))
        + ", or one from a plugin",
    )
    p.add_argument(
        "--transition-duration", type=float, default=0.6, metavar="SECONDS", help="default 0.6"
    )
    p.add_argument(
        "--deck-transitions",
        action=argparse.BooleanOptionalAction,
        help="slides change with the transitions their PowerPoint deck sets (with "
        "--no-deck-transitions, the lecture's transition everywhere) (default: the project's "
        "setting, on)",
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
        "(needs narration with word timings: a voice's, or a recording's transcript)",
    )
    p.add_argument("--no-chapters", action="store_true", help="do not write the chapters file")
    p.add_argument("--no-thumbnail", action="store_true", help="do not write the thumbnail")
    add_voice_options(p)


def apply_export_options(
    args: argparse.Namespace, lecture: Lecture, voices: VoiceCatalog
) -> list[str]:
    """Put the options of ``add_export_options`` that live in the lecture (transition, deck
    transitions, motion, reveal, narrating slide text, voice, language) into ``lecture``;
    returns warnings. An InputError for a transition or a voice that does not exist here."""
    if args.transition:
        try:
            make_transition(args.transition, args.transition_duration, registry=app_registry())
        except ValueError as exc:
            raise InputError(f"{exc}.") from exc
        lecture.style.transition = TransitionSpec(args.transition, args.transition_duration)
    if args.deck_transitions is not None:
        lecture.style.deck_transitions = args.deck_transitions
    if args.motion:
        lecture.style.motion = args.motion
    if args.reveal is not None:
        lecture.style.reveal = args.reveal
    if args.narrate_slide_text is not None:
        lecture.style.narrate_slide_text = args.narrate_slide_text
    return apply_voice_options(args, lecture, voices)


def export_options(args: argparse.Namespace, voices: VoiceCatalog) -> ExportOptions:
    """The options of ``add_export_options`` that say how the files are written."""
    from ..render.export import ExportOptions

    return ExportOptions(
        preset=args.preset,
        fps=args.fps,
        size=args.size,
        captions=not args.no_captions,
        chapters=not args.no_chapters,
        thumbnail=not args.no_thumbnail,
        word_captions=args.word_captions,
        registry=app_registry(),
        voices=voices,
    )

"""``lecture-studio narrate``: a project's recorded narration from the command line (a one-take
lecture cut at its slide changes, one slide's recording, back to the voice, transcription):
thin calls into ``narration.one_take``, ``narration.recordings`` and ``narration.transcribe``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..jobs import CancelToken
from ..loading import is_project_path
from ..project import Project
from .arguments import add_subcommand
from .progress import TerminalProgress


def add_narrate_commands(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``narrate`` to the CLI's subcommands."""
    p = add_subcommand(
        sub,
        "narrate",
        "Narrate a project with your own voice: cut a one-take recording of the whole lecture "
        "into its slides, give one slide a recording or its text-to-speech voice back, and "
        "transcribe recordings so that captions show what was said.",
        epilog,
    )
    p.add_argument("path", type=Path, help="the NAME.lecture project (saved in place)")
    p.add_argument(
        "--one-take",
        type=Path,
        metavar="TAKE",
        help="a recording of the whole lecture (any audio file FFmpeg reads); each visible "
        "slide gets its part, cut at the nearest pause to its change and trimmed of silence",
    )
    p.add_argument(
        "--changes",
        metavar="SECONDS,...",
        help="with --one-take: when each visible slide came up in the take, one time per "
        "slide from the first (e.g. 0,12.5,30.1)",
    )
    p.add_argument("--slide", type=int, metavar="N", help="the slide (1-based) to narrate")
    p.add_argument(
        "--recording",
        type=Path,
        metavar="FILE",
        help="with --slide: its narration is this recording (wav, mp3, m4a, flac, ogg...)",
    )
    p.add_argument(
        "--tts",
        action="store_true",
        help="with --slide: its script is spoken by the voice again (the recording is kept)",
    )
    p.add_argument(
        "--transcribe",
        action="store_true",
        help="transcribe every recorded slide that has no transcript yet",
    )
    p.add_argument(
        "--no-transcribe",
        action="store_true",
        help="do not transcribe the new recordings (their captions follow the scripts)",
    )
    p.add_argument(
        "--model",
        metavar="NAME",
        help="the Whisper model: a name such as base or small, or a faster-whisper folder "
        "(default base; `lecture-studio models list` shows those installed)",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(run=cmd_narrate)


def _check_arguments(args: argparse.Namespace) -> None:
    actions = [bool(args.one_take), args.slide is not None, args.transcribe]
    if not any(actions):
        raise InputError(
            "Say what to narrate: --one-take TAKE --changes ..., --slide N with --recording "
            "FILE or --tts, or --transcribe."
        )
    if args.one_take and args.slide is not None:
        raise InputError("Give either --one-take or --slide, not both.")
    if args.one_take and not args.changes:
        raise InputError(
            "--one-take needs --changes: when each slide came up in the take (e.g. 0,12.5,30.1)."
        )
    if args.changes and not args.one_take:
        raise InputError("--changes goes with --one-take TAKE.")
    if args.slide is not None and bool(args.recording) == bool(args.tts):
        raise InputError("With --slide, give either --recording FILE or --tts.")
    if (args.recording or args.tts) and args.slide is None:
        raise InputError("--recording and --tts need --slide N.")
    if args.transcribe and args.no_transcribe:
        raise InputError("Give either --transcribe or --no-transcribe, not both.")


def cmd_narrate(args: argparse.Namespace, cancel: CancelToken) -> int:
    from ..narration.clip import SAMPLE_RATE
    from ..narration.one_take import parse_changes, split_take
    from ..narration.recorded import decode_audio
    from ..narration.recordings import (
        RecordingChange,
        transcript_edits,
        use_recording,
        use_take,
        use_voice,
    )
    from ..narration.transcribe import (
        TranscriptionError,
        TranscriptionResult,
        find_whisper_model,
        require_whisper_model,
        slides_to_transcribe,
        transcribe_slides,
    )

    _check_arguments(args)
    if not is_project_path(args.path):
        raise InputError(
            f"{args.path} is not a Lecture Studio project; import it first with "
            "`lecture-studio import DECK -o NAME.lecture`."
        )
    project = Project.load(args.path)
    lecture = project.lecture
    progress = TerminalProgress(args.quiet)
    wants_transcripts = args.transcribe or not (args.no_transcribe or args.tts)
    # a Whisper model named on the command line must exist before anything changes
    model = require_whisper_model(args.model) if args.model else None

    report: list[str] = []
    change = RecordingChange()
    if args.one_take:
        changes = parse_changes(args.changes)
        samples = decode_audio(args.one_take)
        clips = split_take(samples, SAMPLE_RATE, changes)
        change = use_take(project, clips)
        for clip, slide in zip(clips, lecture.visible_slides(), strict=True):
            number = lecture.index_of(slide.id) + 1
            if clip.has_speech:
                report.append(
                    f"Slide {number}: {clip.duration:.1f} s from {clip.start:.2f} s of the take "
                    f"(cut at {clip.cut:.2f} s, change at {clip.change:.2f} s)"
                )
    elif args.slide is not None:
        if not 1 <= args.slide <= len(lecture.slides):
            raise InputError(
                f"The lecture has {len(lecture.slides)} slides, so there is no slide "
                f"{args.slide}; choose one from 1 to {len(lecture.slides)}."
            )
        slide = lecture.slides[args.slide - 1]
        if args.tts:
            change = use_voice(slide)
            report.append(f"Slide {args.slide}: spoken by the voice again")
        else:
            change = use_recording(project, slide, args.recording)
            report.append(f"Slide {args.slide}: narrated by {args.recording.name}")
    change.apply(lecture)
    notes = list(change.notes)

    if wants_transcripts:
        if args.transcribe:
            targets = slides_to_transcribe(project)
        else:
            targets = slides_to_transcribe(project, [lecture.slide(i) for i in change.slides])
        if targets:
            model = model or find_whisper_model()
            try:
                result = transcribe_slides(project, targets, model, progress, cancel)
            except TranscriptionError as exc:  # the recordings are kept all the same
                result = TranscriptionResult(notes=[exc.message])
            progress.done()
            for edit in transcript_edits(result):
                edit.apply(lecture)
            notes += result.notes
            for slide_id, transcript in result.transcripts.items():
                number = lecture.index_of(slide_id) + 1
                words = len(transcript.words)
                report.append(
                    f"Slide {number}: transcribed, {words} word{'s' * (words != 1)} "
                    f"({transcript.model})"
                )
        elif args.transcribe:
            recorded = any(s.narration.source == "recording" for s in lecture.slides)
            report.append(
                "Every recorded slide already has a transcript."
                if recorded
                else "No slide is narrated by a recording, so there is nothing to transcribe."
            )
    cancel.check()
    project.save(args.path)
    if not args.quiet:
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
        for line in report:
            print(line)
        print(f"Saved {project.path}")
    return 0

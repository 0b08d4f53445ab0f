"""``lecture-studio narrate``: a lecture recorded in one take is cut into its slides with no word
cut, captioned from what was said in time with the video's sound, and one slide re-recorded
replaces only its own clip. Bad input gets one sentence and exit status 2.

The take is three slides' scripts spoken by the Piper voice into one WAV with pauses between
them, over faint room noise; Whisper base (from the PyPI packages ``make test`` installs) hears
each clip and, as the reference, the exported MP4's sound.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.cli import main
from lecture_studio.model import Lecture, Slide
from lecture_studio.narration import transcribe
from lecture_studio.narration.recorded import decode_audio
from lecture_studio.narration.recordings import wav_bytes
from lecture_studio.narration.transcribe import find_whisper_model, resample, transcribe_samples
from lecture_studio.project import Project
from lecture_studio.render.captions import parse_vtt

RATE = 48000
SCRIPTS = [
    "Plants make their own food from sunlight.",
    "Water moves up from the roots to the leaves.",
    "Oxygen leaves the plant through tiny pores.",
]
NEW_SCRIPT = "Roots drink water from the soil."
CAPTION_TOLERANCE = 0.1  # seconds between a caption word and Whisper's time for it


def normalized(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def make_project(tmp_path: Path, scripts: list[str]) -> Path:
    lecture = Lecture(title="Leaves", slides=[Slide(title=f"Part {i}") for i in range(1, 4)])
    for slide, script in zip(lecture.slides, scripts, strict=True):
        slide.script = script
    path = tmp_path / "leaves.lecture"
    Project(lecture).save(path)
    return path


@pytest.fixture(scope="module")
def piper():
    from lecture_studio.narration.piper import PiperEngine

    engine = PiperEngine()
    if not engine.available():
        pytest.skip("the Piper voice is not installed")
    return engine


@pytest.fixture(scope="module")
def whisper():
    pytest.importorskip("faster_whisper")
    model = find_whisper_model()
    if model is None:
        pytest.skip("no Whisper model (make test installs Whisper base from PyPI)")
    return model


def speak(piper, text: str):
    clip = piper.synthesize(text, None, 1.0)
    return clip.samples * np.float32(0.5), clip.words  # a microphone's level, well under full scale


def one_take(piper, tmp_path: Path) -> tuple[Path, list[float]]:
    """The three scripts read with pauses, and the slide changes a teacher pressed: slide 2's
    while slide 1's last word was still being said, slide 3's after its first word began."""
    rng = np.random.default_rng(7)
    pieces, starts, ends, position = [np.zeros(round(0.6 * RATE), np.float32)], [], [], 0.6
    for number, script in enumerate(SCRIPTS):
        if number:
            pieces.append(np.zeros(RATE, np.float32))
            position += 1.0
        samples, words = speak(piper, script)
        starts.append(position + words[0].start)
        ends.append(position + words[-1].end)
        pieces.append(samples)
        position += samples.size / RATE
    pieces.append(np.zeros(round(0.6 * RATE), np.float32))
    take = np.concatenate(pieces)
    take += (rng.standard_normal(take.size) * 10 ** (-65 / 20)).astype(np.float32)
    path = tmp_path / "take.wav"
    path.write_bytes(wav_bytes(take))
    return path, [0.0, ends[0] - 0.12, starts[2] + 0.1]


def export(project: Path, video: Path) -> None:
    code = main(
        ["export", str(project), "-o", str(video), "--size", "160x90", "--word-captions"]
        + ["--no-chapters", "--no-thumbnail", "--quiet"]
    )
    assert code == 0


def caption_words(vtt: Path) -> list[tuple[float, str]]:
    """(start, word) of each marked word of the word-highlight track."""
    found = []
    for cue in parse_vtt(vtt.read_text(encoding="utf-8")):
        text = "\n".join(cue.lines)
        marked = re.search(r"<u>(.*?)</u>", text)
        if marked:
            found.append((cue.start, marked.group(1)))
    return found


@pytest.mark.slow
def test_a_one_take_lecture_is_cut_captioned_and_one_slide_re_recorded(
    tmp_path: Path, piper, whisper, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = make_project(tmp_path, SCRIPTS)
    take, changes = one_take(piper, tmp_path)
    code = main(
        ["narrate", str(project_path), "--one-take", str(take)]
        + ["--changes", ",".join(f"{c:.3f}" for c in changes)]
    )
    out = capsys.readouterr().out
    assert code == 0 and "Slide 3: transcribed" in out

    # no word cut: what Whisper heard in each slide's clip is that slide's script
    lecture = Project.load(project_path).lecture
    for slide, script in zip(lecture.slides, SCRIPTS, strict=True):
        assert slide.narration.source == "recording"
        transcript = slide.narration.transcript
        assert transcript is not None and transcript.belongs_to(slide.narration.recording)
        assert normalized(transcript.text) == normalized(script)

    # captions in time with the video's sound: every word of the word-highlight track
    # starts within 100 ms of when Whisper hears that word in the exported MP4
    video = tmp_path / "leaves.mp4"
    export(project_path, video)
    shown = caption_words(video.with_suffix(".words.vtt"))
    assert [normalized(word)[0] for _, word in shown] == normalized(" ".join(SCRIPTS))
    heard = transcribe_samples(decode_audio(video, 16000), 16000, "en", whisper)
    assert [normalized(w.text)[0] for w in heard] == normalized(" ".join(SCRIPTS))
    for (start, word), reference in zip(shown, heard, strict=True):
        assert abs(start - reference.start) <= CAPTION_TOLERANCE, (word, start, reference.start)

    # slide 2 again, from a 24 kHz file: only its clip and transcript change
    before = [(s.narration.recording, s.narration.transcript) for s in lecture.slides]
    samples, _ = speak(piper, NEW_SCRIPT)
    again = tmp_path / "slide2-again.wav"
    again.write_bytes(wav_bytes(resample(samples, RATE, 24000), 24000))
    assert main(["narrate", str(project_path), "--slide", "2", "--recording", str(again)]) == 0
    lecture = Project.load(project_path).lecture
    after = [(s.narration.recording, s.narration.transcript) for s in lecture.slides]
    assert after[0] == before[0] and after[2] == before[2]
    assert after[1][0] != before[1][0]
    assert after[1][1] is not None and normalized(after[1][1].text) == normalized(NEW_SCRIPT)
    first_words = shown[: len(normalized(SCRIPTS[0]))]
    export(project_path, video)
    shown_again = caption_words(video.with_suffix(".words.vtt"))
    assert shown_again[: len(first_words)] == first_words
    expected = normalized(" ".join([SCRIPTS[0], NEW_SCRIPT, SCRIPTS[2]]))
    assert [normalized(word)[0] for _, word in shown_again] == expected

    # and back to the voice: the recording stays in the project for later
    assert main(["narrate", str(project_path), "--slide", "2", "--tts", "--quiet"]) == 0
    slide = Project.load(project_path).lecture.slides[1]
    assert slide.narration.source == "tts" and slide.narration.recording == after[1][0]


def test_without_a_whisper_model_the_recording_is_kept_and_a_note_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(transcribe, "find_whisper_model", lambda spec=None: None)
    project_path = make_project(tmp_path, SCRIPTS)
    t = np.arange(RATE) / RATE
    recording = tmp_path / "hello.wav"
    recording.write_bytes(wav_bytes((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)))
    assert main(["narrate", str(project_path), "--slide", "1", "--recording", str(recording)]) == 0
    err = capsys.readouterr().err
    assert "warning: No speech recognition model is installed, so the captions of slide 1" in err
    slide = Project.load(project_path).lecture.slides[0]
    assert slide.narration.source == "recording" and slide.narration.transcript is None


def test_a_clipped_recording_is_reported_with_its_slide_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = make_project(tmp_path, SCRIPTS)
    t = np.arange(2 * RATE) / RATE
    loud = np.clip(1.5 * np.sin(2 * np.pi * 220 * t), -1, 1).astype(np.float32)
    recording = tmp_path / "loud.wav"
    recording.write_bytes(wav_bytes(loud))
    code = main(
        ["narrate", str(project_path), "--slide", "3", "--recording", str(recording)]
        + ["--no-transcribe"]
    )
    assert code == 0
    assert (
        "warning: Slide 3's recording is distorted (the input clipped)" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--one-take", "TAKE"], "--one-take needs --changes"),
        (["--one-take", "TAKE", "--changes", "0,2"], "the lecture shows 3 slides"),
        (["--one-take", "TAKE", "--changes", "0,2,99"], "past the end of the take"),
        (["--one-take", "TAKE", "--changes", "0,x,3"], "'x' is not a time in seconds"),
        (["--slide", "4", "--tts"], "there is no slide 4"),
        (["--slide", "2"], "give either --recording FILE or --tts"),
        (["--slide", "2", "--recording", "missing.wav"], "does not exist"),
        (["--slide", "2", "--recording", "PROJECT"], "could not be read"),
        ([], "Say what to narrate"),
    ],
)
def test_bad_input_gets_one_sentence_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    project_path = make_project(tmp_path, SCRIPTS)
    saved = (project_path / "project.json").read_bytes()
    take = tmp_path / "take.wav"
    t = np.arange(5 * RATE) / RATE
    take.write_bytes(wav_bytes((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)))
    arguments = [
        str(take)
        if a == "TAKE"
        else str(tmp_path / a)
        if a == "missing.wav"
        else str(project_path / "project.json")
        if a == "PROJECT"
        else a
        for a in arguments
    ]
    code = main(["narrate", str(project_path), *arguments, "--no-transcribe"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.startswith("lecture-studio: ") and err.count("\n") == 1
    assert (project_path / "project.json").read_bytes() == saved


def test_a_deck_is_not_narrated_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outline = tmp_path / "leaves.md"
    outline.write_text("# Leaves\n\nNote: Plants make food.\n", encoding="utf-8")
    code = main(["narrate", str(outline), "--slide", "1", "--tts"])
    assert code == 2
    assert "is not a Lecture Studio project; import it first" in capsys.readouterr().err


def test_transcribe_says_when_there_is_nothing_to_transcribe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_path = make_project(tmp_path, SCRIPTS)
    assert main(["narrate", str(project_path), "--transcribe"]) == 0
    assert "No slide is narrated by a recording" in capsys.readouterr().out

"""Word timings put to use: carried from the clip into the export's plan, captions cut on them,
the word-highlight WebVTT track, bullets revealed at the word introducing them, and today's
sentence timing wherever a narration has no word timings (recordings)."""

from __future__ import annotations

import io
import math
import re
import wave

import numpy as np
import pytest
from instruments.mp4inspect import subtitle_spans

from lecture_studio.cli import main
from lecture_studio.model import Lecture, Paragraph, Slide, SlideSource, TextBlock
from lecture_studio.model.timeline import build_timeline
from lecture_studio.narration import lecture as narration_of
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.project import Project
from lecture_studio.render import export as export_module
from lecture_studio.render.captions import (
    CaptionSource,
    build_cues,
    build_word_cues,
    parse_vtt,
    write_word_vtt,
)
from lecture_studio.render.export import ExportOptions, export_lecture, slide_narrations
from lecture_studio.render.plan import sentence_times, word_times
from lecture_studio.render.visual import slide_visuals
from lecture_studio.slides import render_slide_images

RATE = 48_000
FPS = 30
SIZE = (320, 180)


def timed(text: str, start: float, seconds_per_char: float = 0.06) -> list[TimedText]:
    """Synthetic word timings for ``text`` split at spaces, one after another from ``start``."""
    words, moment = [], start
    for word in text.split():
        length = 0.1 + seconds_per_char * len(word)
        words.append(TimedText(moment, moment + length, word))
        moment += length + 0.07
    return words


def clip_of(sentences: list[str], with_words: bool = True, pause: float = 0.4) -> NarrationClip:
    """A clip saying ``sentences`` (quiet noise for sound) with sentence and word timings."""
    cues, words, moment = [], [], 0.05
    for text in sentences:
        its_words = timed(text, moment)
        cues.append(TimedText(moment, its_words[-1].end, text))
        words += its_words
        moment = its_words[-1].end + pause
    samples = 0.05 * np.random.default_rng(7).standard_normal(round((moment + 0.1) * RATE))
    kept = tuple(words) if with_words else ()
    return NarrationClip(samples.astype(np.float32), RATE, tuple(cues), kept)


def outline_slide(title: str, bullets: list[str], script: str = "") -> Slide:
    paragraphs = [Paragraph(text) for text in bullets]
    return Slide(
        source=SlideSource("outline"), title=title, body=[TextBlock(paragraphs)], script=script
    )


def ms(seconds: float) -> int:
    return round(seconds * 1000)


# --- a strict reader of the word-highlight track ----------------------------------------------

_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
_MARK = re.compile(r"<c\.current><u>([^<>]+)</u></c>")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def read_word_track(text: str) -> list[tuple[int, int, list[str], list[str]]]:
    """(start ms, end ms, plain lines, marked words) of each cue; fails on anything that is not
    the header, blank-line-separated cues of one timing line and text, and the mark tags."""
    assert text.startswith("WEBVTT\n\n") and text.endswith("\n") and "\r" not in text
    cues = []
    for block in text[len("WEBVTT\n\n") :].rstrip("\n").split("\n\n"):
        timing, *lines = block.split("\n")
        match = _TIMING.match(timing)
        assert match, timing
        h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + f1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + f2
        assert lines and all(lines) and end > start
        marked = [_unescape(word) for line in lines for word in _MARK.findall(line)]
        plain = [_MARK.sub(r"\1", line) for line in lines]
        assert not any(c in line for line in plain for c in "<>"), plain  # no other tags
        assert not re.search(r"&(?!amp;|lt;|gt;)", " ".join(plain))  # entities all escaped
        cues.append((start, end, [_unescape(line) for line in plain], marked))
    return cues


# --- the plan ---------------------------------------------------------------------------------


def test_word_times_place_each_slides_words_on_the_lecture_timeline():
    first, second = outline_slide("One", []), outline_slide("Two", [])
    lecture = Lecture(slides=[first, second])
    clips = {
        first.id: clip_of(["Plants make sugar.", "They need light."]),
        second.id: clip_of(["Cells burn sugar."], with_words=False),  # a recording, say
    }
    timeline = build_timeline(lecture, {k: len(c.samples) for k, c in clips.items()}, RATE, FPS)
    placed = word_times(timeline, clips)
    timing = timeline.slides[0]
    offset, slide_end = timing.narration_start / RATE, timing.end_sample / RATE
    assert placed == [
        (offset + w.start, offset + w.end, w.text, slide_end) for w in clips[first.id].words
    ]
    assert [text for _, _, text, _ in placed] == "Plants make sugar. They need light.".split()
    assert len(sentence_times(timeline, clips)) == 3  # the sentences of both slides


def _wav(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def test_the_exports_narrations_carry_the_clips_words_and_recordings_none(tmp_path, monkeypatch):
    spoken, recorded = outline_slide("One", [], "Plants make sugar."), outline_slide("Two", [])
    project = Project(Lecture(slides=[spoken, recorded]))
    recorded.narration.source = "recording"
    recorded.narration.recording = project.add_asset(_wav(np.zeros(RATE, np.float32)), ".wav")
    clip = clip_of(["Plants make sugar."])
    monkeypatch.setattr(narration_of, "spoken_clip", lambda *args: clip)
    narrations = slide_narrations(project, project.lecture.slides, tmp_path / "cache")
    assert narrations[spoken.id].words == clip.words and narrations[spoken.id].words
    assert narrations[recorded.id].words == () and narrations[recorded.id].n_samples == RATE


# --- the word-highlight track -----------------------------------------------------------------

SENTENCE_A = (
    "Photosynthesis turns the energy of sunlight into chemical energy, storing it in sugar "
    "molecules and releasing the oxygen that we breathe."
)
SENTENCE_B = "Respiration & fermentation <both> release it again."


def two_sentences() -> tuple[list[CaptionSource], list[tuple[float, float, str, float]]]:
    words_a, words_b = timed(SENTENCE_A, 1.0), timed(SENTENCE_B, 12.0)
    sources = [
        CaptionSource(1.0, words_a[-1].end, SENTENCE_A, 11.5, "en"),
        CaptionSource(12.0, words_b[-1].end, SENTENCE_B, 20.0, "en"),
    ]
    words = [(w.start, w.end, w.text, 11.5) for w in words_a]
    words += [(w.start, w.end, w.text, 20.0) for w in words_b]
    return sources, words


def test_the_word_track_marks_each_word_from_its_start_to_the_next(tmp_path):
    sources, words = two_sentences()
    path = write_word_vtt(build_word_cues(sources, words=words), tmp_path / "talk.words.vtt")
    cues = read_word_track(path.read_text(encoding="utf-8"))
    captions = build_cues(sources, words=words)

    assert [marked for _, _, _, marked in cues] == [[text] for _, _, text, _ in words]
    assert [start for start, _, _, _ in cues] == [ms(start) for start, _, _, _ in words]
    for caption in captions:  # each caption's words follow each other without a gap
        inside = [c for c in cues if ms(caption.start) <= c[0] < ms(caption.end)]
        assert inside[0][0] == ms(caption.start) and inside[-1][1] == ms(caption.end)
        assert all(a[1] == b[0] for a, b in zip(inside, inside[1:], strict=False))
        assert all(lines == caption.lines for _, _, lines, _ in inside)
    assert sum(len(" ".join(c.lines).split()) for c in captions) == len(cues)


def test_ffmpeg_reads_the_word_track_with_the_underlined_word(tmp_path):
    av = pytest.importorskip("av")
    sources, words = two_sentences()
    cues = build_word_cues(sources, words=words)
    path = write_word_vtt(cues, tmp_path / "talk.words.vtt")
    assert subtitle_spans(path) == [(cue.start, cue.end) for cue in cues]
    with av.open(str(path)) as container:
        dialogue = [sub.ass.decode("utf-8") for sub in container.decode(subtitles=0)]
    underlined = [re.findall(r"\{\\u1\}(.*?)\{\\u0\}", line) for line in dialogue]
    assert underlined == [[text] for _, _, text, _ in words]
    assert "Respiration & fermentation" in dialogue[-1] and "<both>" in dialogue[-1]  # decoded


def test_text_before_the_first_known_word_shows_unmarked():
    text = "Dr. Smith grows plants in the dark."
    said = timed("Doctor Smith grows plants in the dark.", 2.0)  # the engine read "Dr." aloud
    source = CaptionSource(2.0, said[-1].end, text, 9.0, "en")
    cues = build_word_cues([source], words=[(w.start, w.end, w.text, 9.0) for w in said])
    assert cues[0].marks == () and ms(cues[0].start) == 2000
    assert ms(cues[0].end) == ms(said[1].start) == ms(cues[1].start)  # "Smith" is marked next
    line, first, stop = cues[1].marks[0]
    assert cues[1].lines[line][first:stop] == "Smith"
    assert len(cues) == len(said)  # "Doctor" has no cue of its own


def test_without_word_timings_there_is_no_word_track_and_captions_keep_sentence_timing():
    sources, _ = two_sentences()
    assert build_word_cues(sources) == []
    assert build_cues(sources, words=()) == build_cues(sources)


# --- bullets ----------------------------------------------------------------------------------


def test_a_bullet_appears_in_the_frame_of_the_word_introducing_it():
    bullets = ["Photosynthesis makes sugar", "Respiration releases energy"]
    slide = outline_slide("Cells", bullets)
    lecture = Lecture(slides=[slide])
    lecture.style.reveal = True
    project = Project(lecture)
    clip = clip_of(
        [
            "Cells stay alive in two ways.",
            "The first way, photosynthesis, makes sugar from light.",
            "The second way, respiration, releases that energy again.",
        ]
    )
    timeline = build_timeline(lecture, {slide.id: len(clip.samples)}, RATE, FPS)
    rendered = render_slide_images(project, size=SIZE, renderer="builtin")
    visuals, notes = slide_visuals(project, rendered.drawn, {slide.id: clip}, timeline)
    assert not notes
    lead_in = (timeline.slides[0].narration_start - timeline.slides[0].start_sample) / RATE
    introducing = [w for w in clip.words if w.text in ("photosynthesis,", "respiration,")]
    expected = [math.floor((lead_in + w.start) * FPS + 1e-6) for w in introducing]
    sentence_frames = [math.floor((lead_in + s.start) * FPS + 1e-6) for s in clip.sentences[1:]]
    firsts = [first for first, _ in visuals[slide.id].states]
    assert firsts == [0, *expected]
    assert all(a > b for a, b in zip(expected, sentence_frames, strict=True))


# --- end to end -------------------------------------------------------------------------------


def test_export_writes_a_word_track_and_leaves_it_out_without_word_timings(tmp_path, monkeypatch):
    slides = [
        outline_slide("Light", [], "Plants make sugar."),
        outline_slide("Dark", [], "Cells burn it."),
    ]
    project = Project(Lecture(slides=slides))
    texts = {
        slides[0].id: ["Plants make sugar from light, water and the air around them."],
        slides[1].id: ["Cells burn that sugar.", "That gives them energy."],
    }
    clips = {sid: clip_of(sentences) for sid, sentences in texts.items()}
    monkeypatch.setattr(narration_of, "spoken_clip", lambda p, lec, slide, *rest: clips[slide.id])
    destination = tmp_path / "talk.mp4"
    options = ExportOptions(
        size=(64, 36), chapters=False, thumbnail=False, word_captions=True, cache_dir=tmp_path
    )
    result = export_lecture(project, destination, options)
    track = tmp_path / "talk.words.vtt"
    assert track in result.files and (tmp_path / "talk.vtt") in result.files
    cues = read_word_track(track.read_text(encoding="utf-8"))
    expected = []
    for timing in result.timeline.slides:
        offset = timing.narration_start / RATE
        expected += [(ms(offset + w.start), w.text) for w in clips[timing.slide_id].words]
    assert [(start, marked[0]) for start, _, _, marked in cues] == expected
    captions = parse_vtt((tmp_path / "talk.vtt").read_text(encoding="utf-8"))
    assert {ms(c.start) for c in captions} <= {start for start, _ in expected}

    # the same lecture read from recordings (no word timings): no word track, and it says so
    clips = {sid: clip_of(sentences, with_words=False) for sid, sentences in texts.items()}
    result = export_lecture(project, destination, options)
    assert not track.exists() and track not in result.files
    assert any(note.startswith("No word-highlight captions were written") for note in result.notes)
    assert (tmp_path / "talk.vtt") in result.files


def test_the_export_command_takes_word_captions(tmp_path, monkeypatch):
    outline = tmp_path / "talk.md"
    outline.write_text("# One\n\n- Alpha\n", encoding="utf-8")
    seen = []

    def fake_export(project, destination, options, progress=None, cancel=None):
        seen.append(options.word_captions)
        raise SystemExit(0)

    monkeypatch.setattr(export_module, "export_lecture", fake_export)
    for extra in ([], ["--word-captions"]):
        with pytest.raises(SystemExit):
            main(["export", str(outline), "-o", str(tmp_path / "x.mp4"), "--quiet", *extra])
    assert seen == [False, True]

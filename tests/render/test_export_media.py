"""Videos and sounds placed on slides: read from the deck, played in their frame at their time,
their sound mixed under the narration at the lecture's loudness, and the poster frame with a
note where a file cannot be decoded."""

from __future__ import annotations

import io
import threading
from fractions import Fraction

import av
import numpy as np
import pyloudnorm
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.util import Emu, Inches

from lecture_studio.importers.pptx import import_deck
from lecture_studio.mediafile import VideoFrames, probe_media
from lecture_studio.model import Lecture, Slide, SlideMedia, TransitionSpec
from lecture_studio.model.timeline import slide_length_seconds
from lecture_studio.narration import lecture as narration_of
from lecture_studio.narration.clip import NarrationClip, TimedText
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture

SIZE = (320, 180)
FPS = 30
RATE = 48_000
CLIP_FPS = 10
CLIP_SECONDS = 3.0
CLIP_TONE = 660.0
SOUND_TONE = 880.0
SOUND_SECONDS = 2.0
VOICE_TONE = 220.0
POSTER = (0, 0, 255)
# The video's box on the slide, in fractions of it.
BOX = (0.30, 0.25, 0.375, 0.40)
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
REL_AUDIO = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/audio"
REL_MEDIA = "http://schemas.microsoft.com/office/2007/relationships/media"
REL_VIDEO = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/video"


def clip_colour(index: int) -> tuple[int, int, int]:
    """The colour of the test video's picture ``index``: red rises, green falls."""
    step = index * 255 // round(CLIP_SECONDS * CLIP_FPS)
    return step, 255 - step, 128


def tone(seconds: float, frequency: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def encoded_audio(container, stream, samples: np.ndarray) -> None:
    for start in range(0, len(samples), 1024):
        chunk = np.ascontiguousarray(np.stack([samples[start : start + 1024]] * 2))
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def mp4_clip(pictures: list[np.ndarray], samples: np.ndarray) -> bytes:
    """An H.264 + AAC MP4 at ``CLIP_FPS`` of ``pictures`` (96x160 RGB) and mono ``samples``
    played on both channels."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=CLIP_FPS)
        video.width, video.height, video.pix_fmt = 160, 96, "yuv420p"
        sound = container.add_stream("aac", rate=RATE, layout="stereo")
        for index, picture in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        encoded_audio(container, sound, samples)
    return buffer.getvalue()


def video_file() -> bytes:
    """A 3-second H.264 + AAC MP4: each picture one colour (``clip_colour``), and a tone."""
    pictures = []
    for index in range(round(CLIP_SECONDS * CLIP_FPS)):
        picture = np.empty((96, 160, 3), np.uint8)
        picture[:] = clip_colour(index)
        pictures.append(picture)
    return mp4_clip(pictures, tone(CLIP_SECONDS, CLIP_TONE))


def m4a(samples: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=RATE, layout="stereo")
        encoded_audio(container, stream, samples)
    return buffer.getvalue()


def png(colour: tuple[int, int, int]) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 96), colour).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def add_sound(slide, data: bytes, name: str = "bell.m4a") -> None:
    """A sound on ``slide`` as PowerPoint's Insert > Audio saves it: the media part, and a
    loudspeaker picture whose ``a:audioFile`` and ``p14:media`` name it."""
    part = slide.part
    media = Part(PackURI("/ppt/media/sound1.m4a"), "audio/mp4", part.package, data)
    audio_rid = part.relate_to(media, REL_AUDIO)
    media_rid = part.relate_to(media, REL_MEDIA)
    picture = slide.shapes.add_picture(png((90, 90, 90)), Inches(0.2), Inches(0.2))
    picture.name = name
    holder = picture._element.find(f"{{{NS_P}}}nvPicPr/{{{NS_P}}}nvPr")
    holder.append(
        etree.fromstring(f'<a:audioFile xmlns:a="{NS_A}" xmlns:r="{NS_R}" r:link="{audio_rid}"/>')
    )
    holder.append(
        etree.fromstring(
            f'<p:extLst xmlns:p="{NS_P}"><p:ext uri="{{DAA4B4D4-6D71-4841-9C94-3DE7FCFB9230}}">'
            f'<p14:media xmlns:p14="{NS_P14}" xmlns:r="{NS_R}" r:embed="{media_rid}"/>'
            "</p:ext></p:extLst>"
        )
    )


def media_deck(path, video: bytes, trim_ms: tuple[int, int] | None = None) -> None:
    """Slide 1: a video in ``BOX`` (poster blue) with notes to narrate; slide 2: a sound."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    first = deck.slides.add_slide(deck.slide_layouts[6])
    w, h = deck.slide_width, deck.slide_height
    movie = first.shapes.add_movie(
        io.BytesIO(video),
        Emu(int(BOX[0] * w)),
        Emu(int(BOX[1] * h)),
        Emu(int(BOX[2] * w)),
        Emu(int(BOX[3] * h)),
        poster_frame_image=png(POSTER),
        mime_type="video/mp4",
    )
    movie.name = "experiment.mp4"
    if trim_ms is not None:
        media = movie._element.find(f".//{{{NS_P14}}}media")
        media.append(
            etree.fromstring(
                f'<p14:trim xmlns:p14="{NS_P14}" st="{trim_ms[0]}" end="{trim_ms[1]}"/>'
            )
        )
    first.notes_slide.notes_text_frame.text = "A short word over the clip."
    second = deck.slides.add_slide(deck.slide_layouts[6])
    add_sound(second, m4a(tone(SOUND_SECONDS, SOUND_TONE)))
    deck.save(str(path))


@pytest.fixture(scope="module")
def video() -> bytes:
    return video_file()


def voice_clip() -> NarrationClip:
    """One second of "voice": a low tone, told apart from the clips' tones by its pitch."""
    return NarrationClip(tone(1.0, VOICE_TONE), RATE, (TimedText(0.0, 1.0, "A short word."),))


def narrate_slide_one(monkeypatch) -> None:
    def spoken(project, lecture, slide, *args, **kwargs):
        return voice_clip() if slide.script else None

    monkeypatch.setattr(narration_of, "spoken_clip", spoken)


def export(project, tmp_path, name="media.mp4"):
    destination = tmp_path / name
    options = ExportOptions(
        size=SIZE, captions=False, chapters=False, thumbnail=False, cache_dir=tmp_path / "cache"
    )
    result = export_lecture(project, destination, options)
    with av.open(str(destination)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(destination)) as container:
        sound = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return result, frames, sound.T


def box_centre(frame: np.ndarray) -> np.ndarray:
    """The mean colour of the middle of the video's box (away from its edges)."""
    height, width = frame.shape[:2]
    left, top = BOX[0] * width, BOX[1] * height
    cx, cy = int(left + BOX[2] * width / 2), int(top + BOX[3] * height / 2)
    return frame[cy - 8 : cy + 8, cx - 12 : cx + 12].reshape(-1, 3).mean(axis=0)


def amplitude(sound: np.ndarray, start: float, end: float, frequency: float) -> float:
    """The amplitude of ``frequency`` in the left channel between ``start`` and ``end`` s."""
    part = sound[round(start * RATE) : round(end * RATE), 0].astype(np.float64)
    t = np.arange(len(part)) / RATE
    return float(2 * abs(np.sum(part * np.exp(-2j * np.pi * frequency * t))) / len(part))


def test_a_deck_video_plays_in_its_frame_and_its_sound_under_the_narration(
    tmp_path, monkeypatch, video
):
    deck = tmp_path / "media.pptx"
    media_deck(deck, video)
    project = import_deck(deck)
    assert not project.warnings
    first, second = project.lecture.slides
    (clip,) = first.media
    assert (clip.kind, clip.name, clip.start) == ("video", "experiment.mp4", 0.0)
    assert clip.seconds == pytest.approx(CLIP_SECONDS, abs=0.05)
    assert [round(v, 3) for v in (clip.box.left, clip.box.top, clip.box.width)] == list(BOX[:3])
    (sound,) = second.media
    assert sound.kind == "sound" and sound.seconds == pytest.approx(SOUND_SECONDS, abs=0.05)
    project.lecture.timing.default_duration = 1.0  # the clips, not the default, set the length
    narrate_slide_one(monkeypatch)

    result, frames, mixed = export(project, tmp_path)

    one, two = result.timeline.slides
    assert one.frames / FPS >= CLIP_SECONDS and two.frames / FPS >= SOUND_SECONDS
    assert len(frames) == result.timeline.total_frames
    # Picture k of the video shows from lecture frame 3k (10 fps in 30 fps), in its box.
    outgoing = one.transition_frames // 2
    for k in range(0, one.frames - outgoing):
        expected = clip_colour(min(k // (FPS // CLIP_FPS), 29))
        assert np.abs(box_centre(frames[k]) - expected).max() < 10, k
        assert (frames[k][4, 4] > 245).all()  # the slide around the box is untouched
    # The sound: the clip's tone alone at the programme loudness, 12 dB under the voice.
    voice_start = one.narration_start / RATE
    alone = amplitude(mixed, 0.05, voice_start - 0.3, CLIP_TONE)
    under = amplitude(mixed, voice_start + 0.3, voice_start + 0.8, CLIP_TONE)
    assert 20 * np.log10(alone / under) == pytest.approx(12.0, abs=1.0)
    assert amplitude(mixed, voice_start + 0.3, voice_start + 0.8, VOICE_TONE) > 2 * under
    after_voice = slice(round((voice_start + 1.35) * RATE), round(2.95 * RATE))
    loudness = pyloudnorm.Meter(RATE).integrated_loudness(mixed[after_voice].astype(np.float64))
    assert loudness == pytest.approx(-16.0, abs=1.0)
    assert amplitude(mixed, voice_start + 1.35, 2.95, CLIP_TONE) == pytest.approx(alone, rel=0.1)
    # The sound on slide 2 plays once the transition into it has ended, at the same loudness.
    begin = two.start_sample / RATE + (one.transition_frames - outgoing) / FPS
    assert amplitude(mixed, begin - 0.2, begin - 0.05, SOUND_TONE) < 0.01
    heard = slice(round((begin + 0.1) * RATE), round((begin + SOUND_SECONDS - 0.1) * RATE))
    loudness = pyloudnorm.Meter(RATE).integrated_loudness(mixed[heard].astype(np.float64))
    assert loudness == pytest.approx(-16.0, abs=1.0)
    assert amplitude(mixed, begin + SOUND_SECONDS + 0.1, two.end_sample / RATE, SOUND_TONE) < 0.01
    assert not [n for n in result.notes if "Slide 2" in n and "silent" in n]


def test_a_trimmed_video_plays_its_trim(tmp_path, video):
    deck = tmp_path / "trimmed.pptx"
    media_deck(deck, video, trim_ms=(1000, 500))
    project = import_deck(deck)
    (clip,) = project.lecture.slides[0].media
    assert clip.start == pytest.approx(1.0) and clip.seconds == pytest.approx(1.5, abs=0.05)
    project.lecture.slides[0].script = ""
    project.lecture.timing.default_duration = 1.0
    result, frames, _ = export(project, tmp_path)
    one = result.timeline.slides[0]
    assert one.frames / FPS >= 1.5
    for k in (0, 12, 30, 42):  # picture 10 (one second in) first, then on from there
        expected = clip_colour(10 + k // (FPS // CLIP_FPS))
        assert np.abs(box_centre(frames[k]) - expected).max() < 10, k


def test_a_video_that_cannot_be_decoded_shows_its_poster_with_a_warning(tmp_path):
    deck = tmp_path / "broken.pptx"
    media_deck(deck, b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    project = import_deck(deck)
    (warning,) = [w for w in project.warnings if "experiment.mp4" in w]
    assert warning.startswith("Slide 1: shows only the poster frame of the video “experiment.mp4”")
    assert "cannot be decoded" in warning and not project.lecture.slides[0].media
    _, frames, _ = export(project, tmp_path)
    assert np.abs(box_centre(frames[10]) - POSTER).max() < 10


def test_a_video_damaged_after_import_shows_its_poster_and_the_export_says_so(
    tmp_path, monkeypatch, video
):
    deck = tmp_path / "media.pptx"
    media_deck(deck, video)
    project = import_deck(deck)
    project.lecture.timing.default_duration = 1.0
    bundle = project.save(tmp_path / "media.lecture")
    (clip,) = project.lecture.slides[0].media
    (bundle / "assets" / clip.asset).write_bytes(b"damaged" * 100)
    project = Project.load(bundle)
    narrate_slide_one(monkeypatch)
    result, frames, _ = export(project, tmp_path)
    (note,) = [n for n in result.notes if "experiment.mp4" in n]
    assert note.startswith("Slide 1 shows only the poster frame of the video “experiment.mp4”")
    assert result.timeline.slides[0].frames / FPS >= CLIP_SECONDS  # as long as the deck says
    assert np.abs(box_centre(frames[30]) - POSTER).max() < 10


def test_video_frames_come_out_the_same_from_threads_asking_out_of_order(tmp_path, video):
    path = tmp_path / "clip.mp4"
    path.write_bytes(video)
    assert probe_media(path).seconds == pytest.approx(CLIP_SECONDS, abs=0.05)
    times = [i / FPS for i in range(round(CLIP_SECONDS * FPS))]
    in_order = VideoFrames(path, (40, 24))
    expected = [in_order.at(t)[12, 20].copy() for t in times]
    shared = VideoFrames(path, (40, 24))
    got: dict[int, np.ndarray] = {}

    def read(indices: range) -> None:
        for i in indices:
            got[i] = shared.at(times[i])[12, 20].copy()

    threads = [threading.Thread(target=read, args=(range(s, s + 30),)) for s in (60, 30, 0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.array_equal(got[i], expected[i]) for i in range(len(times)))
    assert np.abs(expected[45].astype(int) - clip_colour(15)).max() < 10
    in_order.close()
    shared.close()


def test_a_clip_keeps_its_slide_up_between_the_transitions():
    slide = Slide(media=[SlideMedia("clip.mp4", seconds=7.5)])
    lecture = Lecture(slides=[slide])
    assert slide_length_seconds(slide, lecture, 2.0) == pytest.approx(7.5)
    assert slide_length_seconds(slide, lecture, 2.0, transitions=0.5) == pytest.approx(8.0)
    assert slide_length_seconds(slide, lecture, 9.0) > 9.0  # a longer narration still wins
    lecture.style.transition = TransitionSpec("crossfade", 1.0)
    other = Slide()
    lecture.slides.append(other)
    from lecture_studio.model.timeline import build_timeline

    timeline = build_timeline(lecture, {}, RATE, FPS)
    one = timeline.slides[0]
    assert one.frames / FPS >= 7.5 + 0.5  # the clip plays whole before the fade out begins


def test_a_linked_video_keeps_its_poster_and_the_import_says_how_to_embed_it(tmp_path, video):
    deck = tmp_path / "linked.pptx"
    media_deck(deck, video)
    presentation = Presentation(str(deck))
    slide = presentation.slides[0]
    movie = next(shape for shape in slide.shapes if shape.name == "experiment.mp4")
    holder = movie._element.find(f"{{{NS_P}}}nvPicPr/{{{NS_P}}}nvPr")
    holder.remove(holder.find(f"{{{NS_P}}}extLst"))
    rid = slide.part.relate_to("file:///C:/Lectures/experiment.mp4", REL_VIDEO, is_external=True)
    holder.find(f"{{{NS_A}}}videoFile").set(f"{{{NS_R}}}link", rid)
    presentation.save(str(deck))
    project = import_deck(deck)
    (warning,) = [w for w in project.warnings if "experiment.mp4" in w]
    assert warning.startswith("Slide 1: shows only the poster frame of the video")
    assert "file:///C:/Lectures/experiment.mp4" in warning and "embed it" in warning
    assert not project.lecture.slides[0].media

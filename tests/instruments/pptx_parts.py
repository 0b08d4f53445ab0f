"""Deck parts written the way PowerPoint writes them, for import tests: slide transitions in
``mc:AlternateContent`` (``p14:dur``, ``p159:morph``), and narration recorded with Slide Show >
Record (an embedded sound on a ``p:pic``, played by ``<p:audio isNarration="1">``)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np
from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.util import Emu

NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
NS_P159 = "http://schemas.microsoft.com/office/powerpoint/2015/09/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_AUDIO = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/audio"
REL_MEDIA = "http://schemas.microsoft.com/office/2007/relationships/media"
BLANK = 6
# Bars at uneven places, so that a picture moved sideways or up never lines up with itself.
BARS_X = (0.10, 0.25, 0.45, 0.70)
BARS_Y = (0.15, 0.40, 0.75)
BAR = 0.03


def textured_slide(deck, color: tuple[int, int, int]):
    """A blank slide filled with ``color`` and crossed by black bars at ``BARS_X``/``BARS_Y``."""
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(*color)
    width, height = deck.slide_width, deck.slide_height
    bars = [(x * width, 0, BAR * width, height) for x in BARS_X]
    bars += [(0, y * height, width, BAR * height) for y in BARS_Y]
    for left, top, w, h in bars:
        shape = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Emu(int(left)), Emu(int(top)), Emu(int(w)), Emu(int(h))
        )
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(0, 0, 0)
        shape.line.fill.background()
    return slide


def _insert_after_colour_map(slide, element) -> None:
    root = slide._element
    anchor = root.find(qn("p:clrMapOvr"))
    position = list(root).index(anchor) + 1 if anchor is not None else len(root)
    root.insert(position, element)


def set_transition(
    slide,
    effect: str,
    *,
    p14_dur: int | None = None,
    spd: str | None = None,
    adv_ms: int | None = None,
    fallback: str = "<p:fade/>",
) -> None:
    """Give ``slide`` a transition as PowerPoint 2010+ saves it: inside mc:AlternateContent,
    the effect (``effect``, XML with p:/p14:/p159: prefixes) with ``p14:dur`` in the choice
    and ``fallback`` for older readers; with ``p14_dur`` None, a bare ``<p:transition>``."""
    attributes = ""
    if spd:
        attributes += f' spd="{spd}"'
    if adv_ms is not None:
        attributes += f' advClick="0" advTm="{adv_ms}"'
    declarations = f'xmlns:p="{NS_P}" xmlns:p14="{NS_P14}" xmlns:p159="{NS_P159}"'
    if p14_dur is None:
        xml = f"<p:transition {declarations}{attributes}>{effect}</p:transition>"
    else:
        requires = "p159" if effect.startswith("<p159:") else "p14"
        fallback_effect = fallback if requires == "p159" or effect.startswith("<p14:") else effect
        xml = (
            f'<mc:AlternateContent xmlns:mc="{NS_MC}" {declarations}>'
            f'<mc:Choice Requires="{requires}">'
            f'<p:transition{attributes} p14:dur="{p14_dur}">{effect}</p:transition>'
            "</mc:Choice><mc:Fallback>"
            f"<p:transition{attributes}>{fallback_effect}</p:transition>"
            "</mc:Fallback></mc:AlternateContent>"
        )
    _insert_after_colour_map(slide, etree.fromstring(xml))


def m4a_tone(seconds: float, frequency: float = 440.0, rate: int = 48_000) -> bytes:
    """An AAC tone in an MP4 (.m4a) container, as PowerPoint records narration, made with PyAV."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate, layout="mono")
        t = np.arange(round(seconds * rate)) / rate
        samples = (0.4 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)
        for start in range(0, len(samples), 1024):
            chunk = samples[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def add_recorded_narration(slide, data: bytes, ext: str = "m4a", number: int = 1) -> int:
    """Attach ``data`` to ``slide`` as PowerPoint's Record does: the sound as a media part,
    a small loudspeaker picture off to the corner whose ``a:audioFile`` and ``p14:media``
    name it, and a timing that plays it as the slide's narration when the slide starts.
    Returns the picture's shape id."""
    part = slide.part
    media = Part(
        PackURI(f"/ppt/media/narration{number}.{ext}"),
        "audio/mp4" if ext == "m4a" else "audio/wav",
        part.package,
        data,
    )
    audio_rid = part.relate_to(media, REL_AUDIO)
    media_rid = part.relate_to(media, REL_MEDIA)
    icon = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4), "gray").save(icon, "PNG")
    picture = slide.shapes.add_picture(icon, 0, 0, Emu(91440), Emu(91440))
    picture.name = "Audio Recording"
    nv_pr = picture._element.find(f"{{{NS_P}}}nvPicPr/{{{NS_P}}}nvPr")
    nv_pr.append(
        etree.fromstring(f'<a:audioFile xmlns:a="{NS_A}" xmlns:r="{NS_R}" r:link="{audio_rid}"/>')
    )
    nv_pr.append(
        etree.fromstring(
            f'<p:extLst xmlns:p="{NS_P}"><p:ext uri="{{DAA4B4D4-6D71-4841-9C94-3DA1E4B6E1C7}}">'
            f'<p14:media xmlns:p14="{NS_P14}" xmlns:r="{NS_R}" r:embed="{media_rid}"/>'
            "</p:ext></p:extLst>"
        )
    )
    spid = picture.shape_id
    timing = etree.fromstring(
        f'<p:timing xmlns:p="{NS_P}"><p:tnLst><p:par>'
        '<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>'
        '<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
        "<p:childTnLst/></p:cTn></p:seq>"
        '<p:audio isNarration="1"><p:cMediaNode vol="80000" showWhenStopped="0">'
        '<p:cTn id="3" fill="hold" display="0"><p:stCondLst><p:cond delay="indefinite"/>'
        f'</p:stCondLst></p:cTn><p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cMediaNode>'
        "</p:audio></p:childTnLst></p:cTn></p:par></p:tnLst></p:timing>"
    )
    root = slide._element
    transition = root.find(qn("p:transition"))
    if transition is None:
        transition = root.find(f"{{{NS_MC}}}AlternateContent")
    position = list(root).index(transition) + 1 if transition is not None else len(root)
    root.insert(position, timing)
    return spid

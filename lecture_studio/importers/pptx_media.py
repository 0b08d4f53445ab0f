"""Videos and sounds placed on a slide of a deck (PowerPoint's Insert > Video / Audio).

PowerPoint keeps each as a media part of the package (``ppt/media/media1.mp4``) attached to a
picture on the slide, whose image is the poster frame: a ``p:pic`` whose ``p:nvPr`` holds
``a:videoFile`` (or ``a:quickTimeFile``) or ``a:audioFile`` (or ``a:wavAudioFile``) and, from
PowerPoint 2010 on, a ``p14:media r:embed`` in an extension that names the embedded part and
may trim it (``p14:trim st="..." end="..."``, milliseconds cut from the start and the end);
its ``a:srcRect`` crops the picture and its ``a:xfrm`` may flip it.
Narration recorded with Slide Show > Record is such a sound too; ``pptx_narration`` reads it
and the caller leaves its shape out here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from ..mediafile import probe_media
from ..model import Box, SlideMedia
from ..project import asset_name
from .pptx_narration import NS_A, NS_P, NS_P14, NS_R

_VIDEO_TAGS = (f"{{{NS_A}}}videoFile", f"{{{NS_A}}}quickTimeFile")
_SOUND_TAGS = (f"{{{NS_A}}}audioFile", f"{{{NS_A}}}wavAudioFile")
_LINK = f"{{{NS_R}}}link"
_EMBED = f"{{{NS_R}}}embed"


@dataclass(frozen=True)
class FoundMedia:
    """A video or sound on a slide: its shape's id and name, its kind ("video" or "sound"),
    the media part's bytes and file suffix, and the seconds trimmed from its start and end."""

    shape_id: str
    name: str
    kind: str
    data: bytes
    suffix: str
    trim_start: float = 0.0
    trim_end: float = 0.0
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # cut from l, t, r, b
    flip_h: bool = False
    flip_v: bool = False


@dataclass(frozen=True)
class MediaLookup:
    """The media a slide carries that can be played, and one sentence (to follow "Slide N: ")
    for each that cannot."""

    media: tuple[FoundMedia, ...] = ()
    problems: tuple[str, ...] = ()


def find_slide_media(pptx_slide, skip: frozenset[str] = frozenset()) -> MediaLookup:
    """The videos and sounds on ``pptx_slide`` (a python-pptx slide), in document order,
    leaving out the shapes whose ids are in ``skip``."""
    tree = pptx_slide._element.find(f"{{{NS_P}}}cSld/{{{NS_P}}}spTree")
    if tree is None:
        return MediaLookup()
    found: list[FoundMedia] = []
    problems: list[str] = []
    for picture in tree.iter(f"{{{NS_P}}}pic"):
        properties = picture.find(f"{{{NS_P}}}nvPicPr/{{{NS_P}}}cNvPr")
        holder = picture.find(f"{{{NS_P}}}nvPicPr/{{{NS_P}}}nvPr")
        if properties is None or holder is None or properties.get("id", "") in skip:
            continue
        kind = _kind(holder)
        if kind is None:
            continue
        name = properties.get("name", "") or kind
        item, problem = _read_media(pptx_slide, holder, properties.get("id", ""), name, kind)
        if item is not None:
            found.append(_placed(item, picture))
        elif problem:
            problems.append(problem)
    return MediaLookup(tuple(found), tuple(problems))


def _placed(item: FoundMedia, picture) -> FoundMedia:
    """``item`` with its picture's crop (``a:srcRect``, thousandths of a percent cut from each
    side) and its shape's flips (``a:xfrm flipH`` / ``flipV``)."""
    cut = [0.0, 0.0, 0.0, 0.0]
    rect = picture.find(f"{{{NS_P}}}blipFill/{{{NS_A}}}srcRect")
    if rect is not None:
        for i, side in enumerate("ltrb"):
            try:
                cut[i] = min(max(int(rect.get(side, "0")) / 100_000, -1.0), 1.0)
            except ValueError:
                continue
    if cut[0] + cut[2] >= 1.0 or cut[1] + cut[3] >= 1.0:
        cut = [0.0, 0.0, 0.0, 0.0]  # a crop that keeps nothing: PowerPoint shows it whole
    xfrm = picture.find(f"{{{NS_P}}}spPr/{{{NS_A}}}xfrm")
    flips = [xfrm is not None and xfrm.get(name) in ("1", "true") for name in ("flipH", "flipV")]
    return replace(item, crop=(cut[0], cut[1], cut[2], cut[3]), flip_h=flips[0], flip_v=flips[1])


def _kind(holder) -> str | None:
    for child in holder:
        if child.tag in _VIDEO_TAGS:
            return "video"
        if child.tag in _SOUND_TAGS:
            return "sound"
    return None


def _read_media(
    pptx_slide, holder, shape_id: str, name: str, kind: str
) -> tuple[FoundMedia | None, str]:
    what = _what(kind, name)
    embedded = holder.find(f".//{{{NS_P14}}}media")
    references = [embedded.get(_EMBED)] if embedded is not None else []
    for child in holder:
        if child.tag in _VIDEO_TAGS + _SOUND_TAGS:
            references += [child.get(_LINK), child.get(_EMBED)]
    external = ""
    for rid in filter(None, references):
        relationship = pptx_slide.part.rels.get(rid)
        if relationship is None:
            continue
        if relationship.is_external:
            external = external or relationship.target_ref
            continue
        part = relationship.target_part
        suffix = f".{part.partname.ext}".lower() if part.partname.ext else ".mp4"
        start, end = _trim(embedded)
        return FoundMedia(shape_id, name, kind, part.blob, suffix, start, end), ""
    if external:
        return None, (
            f"{what} is linked to the outside file {external}, which a deck does not carry; "
            "embed it in PowerPoint (File > Info > Optimize Media Compatibility) and import "
            "the deck again."
        )
    return None, (
        f"{what} names a media file that is not in the deck; insert it again in PowerPoint "
        "and import the deck again."
    )


def _what(kind: str, name: str) -> str:
    """How a warning names the media and what the slide does without it."""
    if kind == "video":
        return f"shows only the poster frame of the video “{name}”, which"
    return f"plays without the sound “{name}”, which"


def _trim(embedded) -> tuple[float, float]:
    trim = embedded.find(f"{{{NS_P14}}}trim") if embedded is not None else None
    if trim is None:
        return 0.0, 0.0
    return _milliseconds(trim.get("st")), _milliseconds(trim.get("end"))


def _milliseconds(value: str | None) -> float:
    try:
        seconds = float(value) / 1000 if value else 0.0
    except ValueError:
        return 0.0
    return seconds if seconds > 0 and seconds < 1e7 else 0.0


def slide_media(item: FoundMedia, box: Box | None) -> tuple[SlideMedia | None, str]:
    """``item`` as the slide's media (named as the project names the asset of its bytes),
    once its file is known to play: its length is the file's less the trim, its picture
    cropped and flipped as its shape is. Else None and one sentence (to follow "Slide N: ")
    saying why it cannot play and what to do."""
    probe = probe_media(io.BytesIO(item.data))
    what = _what(item.kind, item.name)
    playable = probe.video if item.kind == "video" else probe.sound
    if not playable:
        reason = probe.video_problem if item.kind == "video" else probe.sound_problem
        return None, (
            f"{what} cannot be decoded ({reason}); convert it to "
            f"{'MP4 (H.264)' if item.kind == 'video' else 'M4A or WAV'}, insert it again in "
            "PowerPoint and import the deck again."
        )
    seconds = probe.seconds - item.trim_start - item.trim_end
    if seconds <= 0:
        return None, (
            f"{what} plays for no time at all (its trim cuts all of it, or its length is "
            "unknown); check its trim in PowerPoint (Playback > Trim) and import the deck again."
        )
    media = SlideMedia(
        asset=asset_name(item.data, item.suffix),
        kind="video" if item.kind == "video" else "sound",
        box=box,
        start=item.trim_start,
        seconds=round(seconds, 6),
        name=item.name,
        shape_id=_number(item.shape_id),
        crop=_crop_box(item.crop),
        flip_h=item.flip_h,
        flip_v=item.flip_v,
    )
    return media, ""


def _number(shape_id: str) -> int:
    try:
        return int(shape_id)
    except ValueError:
        return 0


def _crop_box(cut: tuple[float, float, float, float]) -> Box | None:
    """The part of the picture a crop keeps, in fractions of it (None: all of it)."""
    left, top, right, bottom = cut
    if not any(cut):
        return None
    return Box(left, top, 1.0 - left - right, 1.0 - top - bottom)

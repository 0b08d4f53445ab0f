"""Narration a teacher recorded in PowerPoint (Slide Show > Record): the sound a slide's
timing plays as its narration.

PowerPoint keeps each slide's recording as a media part of the package (``ppt/media/mediaN.m4a``
in recent versions, ``.wav`` in older ones), attached to a small picture on the slide: a
``p:pic`` whose ``p:nvPr`` holds ``a:audioFile r:link`` and, from PowerPoint 2010 on, a
``p14:media r:embed`` in an extension, both naming the slide's relationship to that part.
The slide's ``<p:timing>`` plays it with ``<p:audio isNarration="1">``, whose target is that
picture (``p:spTgt spid``) or, in older files, the sound itself (``p:sndTgt r:embed``). Only
sounds marked as narration are taken: other sounds and videos on a slide are its media.
"""

from __future__ import annotations

from dataclasses import dataclass

NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"

# Where a media shape names its sound, most specific first: the part PowerPoint 2010+ embeds,
# then the 2007 elements (their r:link is an internal relationship for an embedded sound).
_MEDIA_REFERENCES = (
    (f"{{{NS_P14}}}media", f"{{{NS_R}}}embed"),
    (f"{{{NS_A}}}audioFile", f"{{{NS_R}}}link"),
    (f"{{{NS_A}}}videoFile", f"{{{NS_R}}}link"),
    (f"{{{NS_A}}}wavAudioFile", f"{{{NS_R}}}embed"),
)


@dataclass(frozen=True)
class RecordedNarration:
    """A slide's recorded narration: the media part's bytes and file suffix (".m4a"), and
    the id of the shape that holds it on the slide ("" when the timing names the sound
    itself), so that its icon is not taken for content."""

    data: bytes
    suffix: str
    shape_id: str = ""


@dataclass(frozen=True)
class NarrationLookup:
    """What a slide says about recorded narration: the recording (None when it has none that
    can be used) and, when it has one that cannot, why, in a sentence."""

    recording: RecordedNarration | None = None
    problem: str | None = None


def read_recorded_narration(pptx_slide) -> NarrationLookup:
    """The narration PowerPoint recorded for ``pptx_slide`` (a python-pptx slide)."""
    element = pptx_slide._element
    for audio in element.iter(f"{{{NS_P}}}audio"):
        if audio.get("isNarration") not in ("1", "true"):
            continue
        target = audio.find(f"{{{NS_P}}}cMediaNode/{{{NS_P}}}tgtEl")
        if target is None:
            continue
        sound = target.find(f"{{{NS_P}}}sndTgt")
        if sound is not None:
            return _from_relationship(pptx_slide, sound.get(f"{{{NS_R}}}embed"), "")
        shape = target.find(f"{{{NS_P}}}spTgt")
        if shape is not None:
            return _from_shape(pptx_slide, shape.get("spid", ""))
    return NarrationLookup()


def _from_shape(pptx_slide, shape_id: str) -> NarrationLookup:
    tree = pptx_slide._element.find(f"{{{NS_P}}}cSld/{{{NS_P}}}spTree")
    if tree is None or not shape_id:
        return NarrationLookup()
    for properties in tree.iter(f"{{{NS_P}}}cNvPr"):
        if properties.get("id") != shape_id:
            continue
        holder = properties.getparent().find(f"{{{NS_P}}}nvPr")
        if holder is None:
            break
        for tag, attribute in _MEDIA_REFERENCES:
            for reference in holder.iter(tag):
                if reference.get(attribute):
                    return _from_relationship(pptx_slide, reference.get(attribute), shape_id)
        break
    return NarrationLookup(
        problem="its recorded narration names a sound that is not in the deck, so it is "
        "narrated from its notes; record it again in PowerPoint and save the deck."
    )


def _from_relationship(pptx_slide, rid: str | None, shape_id: str) -> NarrationLookup:
    relationship = pptx_slide.part.rels.get(rid) if rid else None
    if relationship is None:
        return NarrationLookup(
            problem="its recorded narration names a sound that is not in the deck, so it is "
            "narrated from its notes; record it again in PowerPoint and save the deck."
        )
    if relationship.is_external:
        return NarrationLookup(
            problem=f"its recorded narration is linked to the outside file "
            f"{relationship.target_ref}, which a deck does not carry, so it is narrated from "
            "its notes; embed the sound in PowerPoint (File > Info > Optimize Media "
            "Compatibility) or choose the file as the slide's recording in the editor."
        )
    part = relationship.target_part
    data = part.blob
    if not data:
        return NarrationLookup(
            problem="its recorded narration is empty, so it is narrated from its notes."
        )
    suffix = f".{part.partname.ext}" if part.partname.ext else ".m4a"
    return NarrationLookup(RecordedNarration(data, suffix.lower(), shape_id))

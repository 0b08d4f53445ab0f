"""Build animations written the way PowerPoint writes them, for import and export tests: a
slide's ``<p:timing>`` with its main sequence (one ``p:par`` per click, then per "after
previous" group, its delay when the group before it ends, then one per effect), the media
nodes of its videos and sounds (``p:video`` / ``p:audio``: volume, repeat, hide while not
playing) and its build list (``p:bldLst``)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn

NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"


@dataclass(frozen=True)
class Effect:
    """One effect of the main sequence. ``paragraph`` None: the whole shape."""

    shape_id: int
    paragraph: int | None = None
    trigger: str = "clickEffect"  # or "withEffect", "afterEffect"
    preset_class: str = "entr"  # "exit", "emph", "path"
    preset_id: int = 1  # 1 appear, 2 fly in, 10 fade, 22 wipe
    subtype: int = 0
    duration_ms: int = 500  # for a media command ("mediacall"): the clip's length
    delay_ms: int = 0

    @property
    def end_ms(self) -> int:
        """When it has ended, after its group starts (an appear takes no time)."""
        return self.delay_ms + (self.duration_ms if self.preset_id != 1 or self.media else 0)

    @property
    def media(self) -> bool:
        return self.preset_class == "mediacall"


@dataclass(frozen=True)
class MediaNode:
    """A video's or sound's Playback settings: ``repeat`` None plays once, "indefinite" loops
    until stopped, else thousandths of plays."""

    shape_id: int
    kind: str = "video"  # or "audio"
    volume: int = 80000  # thousandths of a percent: PowerPoint's default is 80%
    repeat: str | None = None
    show_when_stopped: bool = True

    def xml(self, ids: list[int]) -> str:
        ids[0] += 1
        repeat = f' repeatCount="{self.repeat}"' if self.repeat else ""
        hidden = "" if self.show_when_stopped else ' showWhenStopped="0"'
        return (
            f'<p:{self.kind}><p:cMediaNode vol="{self.volume}"{hidden}>'
            f'<p:cTn id="{ids[0]}"{repeat} fill="hold" display="0"><p:stCondLst>'
            '<p:cond delay="indefinite"/></p:stCondLst></p:cTn><p:tgtEl>'
            f'<p:spTgt spid="{self.shape_id}"/></p:tgtEl></p:cMediaNode></p:{self.kind}>'
        )


def _target(effect: Effect) -> str:
    if effect.paragraph is None:
        return f'<p:spTgt spid="{effect.shape_id}"/>'
    p = effect.paragraph
    return (
        f'<p:spTgt spid="{effect.shape_id}"><p:txEl><p:pRg st="{p}" end="{p}"/></p:txEl></p:spTgt>'
    )


def _effect_xml(effect: Effect, ids: list[int]) -> str:
    def next_id() -> int:
        ids[0] += 1
        return ids[0]

    target = f"<p:tgtEl>{_target(effect)}</p:tgtEl>"
    if effect.media:
        own = next_id()
        return (
            f'<p:par><p:cTn id="{own}" presetID="1" presetClass="mediacall" presetSubtype="0" '
            f'fill="hold" nodeType="{effect.trigger}"><p:stCondLst><p:cond '
            f'delay="{effect.delay_ms}"/></p:stCondLst><p:childTnLst><p:cmd type="call" '
            f'cmd="playFrom(0.0)"><p:cBhvr><p:cTn id="{next_id()}" '
            f'dur="{effect.duration_ms}" fill="hold"/>{target}</p:cBhvr></p:cmd>'
            "</p:childTnLst></p:cTn></p:par>"
        )
    visibility = "visible" if effect.preset_class == "entr" else "hidden"
    behaviours = (
        f'<p:set><p:cBhvr><p:cTn id="{next_id()}" dur="1" fill="hold"><p:stCondLst>'
        f'<p:cond delay="0"/></p:stCondLst></p:cTn>{target}<p:attrNameLst>'
        "<p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr>"
        f'<p:to><p:strVal val="{visibility}"/></p:to></p:set>'
    )
    if effect.preset_id != 1:
        behaviours += (
            f'<p:animEffect transition="{"in" if effect.preset_class == "entr" else "out"}" '
            f'filter="fade"><p:cBhvr><p:cTn id="{next_id()}" dur="{effect.duration_ms}"/>'
            f"{target}</p:cBhvr></p:animEffect>"
        )
    own = next_id()
    return (
        f'<p:par><p:cTn id="{own}" presetID="{effect.preset_id}" '
        f'presetClass="{effect.preset_class}" presetSubtype="{effect.subtype}" fill="hold" '
        f'grpId="0" nodeType="{effect.trigger}"><p:stCondLst><p:cond '
        f'delay="{effect.delay_ms}"/></p:stCondLst>'
        f"<p:childTnLst>{behaviours}</p:childTnLst></p:cTn></p:par>"
    )


def timing_xml(effects: list[Effect], media: list[MediaNode] | tuple[MediaNode, ...] = ()) -> str:
    """The ``<p:timing>`` element of a slide whose main sequence runs ``effects`` in order,
    with the Playback settings of ``media``."""
    ids = [2]
    clicks: list[list[list[Effect]]] = []  # click -> "after previous" group -> effects
    for effect in effects:
        if effect.trigger == "clickEffect" or not clicks:
            clicks.append([[effect]])
        elif effect.trigger == "afterEffect":
            clicks[-1].append([effect])
        else:
            clicks[-1][-1].append(effect)
    outer = ""
    for groups in clicks:
        first = groups[0][0].trigger == "clickEffect"
        inner = ""
        group_start = 0
        for group in groups:
            ids[0] += 1
            group_id = ids[0]
            body = "".join(_effect_xml(effect, ids) for effect in group)
            inner += (
                f'<p:par><p:cTn id="{group_id}" fill="hold"><p:stCondLst><p:cond '
                f'delay="{group_start}"/></p:stCondLst><p:childTnLst>{body}</p:childTnLst>'
                "</p:cTn></p:par>"
            )
            group_start += max(effect.end_ms for effect in group)
        ids[0] += 1
        start = '<p:cond delay="indefinite"/>'
        if not first:  # runs by itself as the slide starts, as PowerPoint writes it
            start += '<p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond>'
        outer += (
            f'<p:par><p:cTn id="{ids[0]}" fill="hold"><p:stCondLst>{start}</p:stCondLst>'
            f"<p:childTnLst>{inner}</p:childTnLst></p:cTn></p:par>"
        )
    built = sorted({e.shape_id for e in effects if e.paragraph is not None})
    build_list = "".join(f'<p:bldP spid="{spid}" grpId="0" build="p"/>' for spid in built)
    return (
        f'<p:timing xmlns:p="{NS_P}"><p:tnLst><p:par><p:cTn id="1" dur="indefinite" '
        'restart="never" nodeType="tmRoot"><p:childTnLst><p:seq concurrent="1" nextAc="seek">'
        f'<p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>{outer}'
        '</p:childTnLst></p:cTn><p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl>'
        '<p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst><p:nextCondLst><p:cond evt="onNext" '
        'delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst></p:seq>'
        + "".join(node.xml(ids) for node in media)
        + "</p:childTnLst></p:cTn></p:par></p:tnLst>"
        + (f"<p:bldLst>{build_list}</p:bldLst>" if build_list else "")
        + "</p:timing>"
    )


def set_builds(
    slide, effects: list[Effect], media: list[MediaNode] | tuple[MediaNode, ...] = ()
) -> None:
    """Give a python-pptx slide the build animation ``effects`` and the Playback settings
    ``media`` (replacing any timing it has, python-pptx's for a movie too).

    ``p:timing`` goes after ``p:clrMapOvr`` and any ``p:transition``, before ``p:extLst``."""
    root = slide._element
    for old in root.findall(qn("p:timing")):
        root.remove(old)
    element = etree.fromstring(timing_xml(effects, media))
    extension = root.find(qn("p:extLst"))
    if extension is not None:
        extension.addprevious(element)
    else:
        root.append(element)

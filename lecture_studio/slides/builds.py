"""Build states drawn by LibreOffice: what a slide shows after each step of its build animation.

A state is the slide with what is not shown yet (or no longer) taken out of a copy of its XML:
a hidden shape is removed, a hidden paragraph keeps its place but its text and bullet become
fully transparent, so the lines around it stay where PowerPoint puts them. The copies are
appended to a copy of the deck as extra slides (``states_deck``), so that one LibreOffice run
converts the deck and all its states, and that PDF is cached like any converted deck.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from ..model import BuildStep, BuildTarget
from .libreoffice import part_name

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_SLIDE_REL = f"{_R}/slide"
_NOTES_REL = f"{_R}/notesSlide"
_SLIDE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # the same bytes for the same deck, so the cache finds it
# What may come before a run's fill in ``a:rPr`` and before a bullet colour in ``a:pPr``.
_BEFORE_FILL = {f"{{{_A}}}ln"}
_BEFORE_BULLET_COLOUR = {f"{{{_A}}}{name}" for name in ("lnSpc", "spcBef", "spcAft")}
_FILLS = {
    f"{{{_A}}}{name}"
    for name in ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill")
}
_SHAPES = {f"{{{_P}}}{name}" for name in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp")}

Hidden = frozenset[tuple[int, int | None]]  # (shape id, paragraph index or None: whole shape)


def build_states(steps: Sequence[BuildStep]) -> list[Hidden]:
    """What is hidden in each state of a slide: before any step, then after each step.

    A target that an entrance shows is hidden until its step; one that an exit hides is
    shown until then. A shape hidden as a whole hides its paragraphs too.
    """
    first_change: dict[tuple[int, int | None], bool] = {}  # key -> shown by its first change
    changes: list[list[tuple[tuple[int, int | None], bool]]] = []
    for step in steps:
        here = [(key, True) for target in step.shows for key in _keys(target)]
        here += [(key, False) for target in step.hides for key in _keys(target)]
        for key, shows in here:
            first_change.setdefault(key, shows)
        changes.append(here)
    hidden = {key for key, shows in first_change.items() if shows}
    states = [frozenset(hidden)]
    for here in changes:
        for key, shows in here:
            if shows:
                hidden.discard(key)
            else:
                hidden.add(key)
        states.append(frozenset(hidden))
    return states


def _keys(target: BuildTarget) -> list[tuple[int, int | None]]:
    if target.paragraphs is None:
        return [(target.shape_id, None)]
    return [(target.shape_id, index) for index in target.paragraphs]


@dataclass(frozen=True)
class StatesDeck:
    """A deck with its build states appended: the package's bytes, and for each state asked
    for, the (1-based) deck slide number that shows it."""

    data: bytes
    numbers: dict[tuple[int, Hidden], int]


def states_deck(deck: bytes, wanted: dict[int, Sequence[Hidden]]) -> StatesDeck:
    """``deck`` with a slide appended for each state in ``wanted`` (deck slide number -> what
    each of its states hides). Raises ValueError when the package cannot be read."""
    with zipfile.ZipFile(io.BytesIO(deck)) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    presentation = etree.fromstring(members["ppt/presentation.xml"])
    rels = etree.fromstring(members["ppt/_rels/presentation.xml.rels"])
    types = etree.fromstring(members["[Content_Types].xml"])
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.findall(f"{{{_PKG}}}Relationship")
    }
    slide_list = presentation.find(f"{{{_P}}}sldIdLst")
    if slide_list is None:
        raise ValueError("the deck has no slide list")
    entries = slide_list.findall(f"{{{_P}}}sldId")
    count = len(entries)
    next_id = max([int(e.get("id", "255")) for e in entries] + [255]) + 1
    numbers: dict[tuple[int, Hidden], int] = {}
    extra = 0
    for number in sorted(wanted):
        if not 1 <= number <= count:
            continue
        part = part_name("ppt", targets.get(entries[number - 1].get(f"{{{_R}}}id"), ""))
        if part not in members:
            continue
        folder, name = part.rsplit("/", 1)
        rels_name = f"{folder}/_rels/{name}.rels"
        for hidden in wanted[number]:
            if (number, hidden) in numbers:
                continue
            extra += 1
            new_name = f"lecture-studio-build-{extra}.xml"
            members[f"{folder}/{new_name}"] = _state_xml(members[part], hidden)
            if rels_name in members:
                members[f"{folder}/_rels/{new_name}.rels"] = _without_notes(members[rels_name])
            relation = f"rIdLectureStudioBuild{extra}"
            etree.SubElement(
                rels,
                f"{{{_PKG}}}Relationship",
                Id=relation,
                Type=_SLIDE_REL,
                Target=_relative("ppt", f"{folder}/{new_name}"),
            )
            etree.SubElement(
                types,
                f"{{{_CT}}}Override",
                PartName=f"/{folder}/{new_name}",
                ContentType=_SLIDE_TYPE,
            )
            entry = etree.SubElement(slide_list, f"{{{_P}}}sldId", id=str(next_id))
            entry.set(f"{{{_R}}}id", relation)
            next_id += 1
            numbers[(number, hidden)] = count + extra
    members["ppt/presentation.xml"] = etree.tostring(presentation, xml_declaration=True)
    members["ppt/_rels/presentation.xml.rels"] = etree.tostring(rels, xml_declaration=True)
    members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return StatesDeck(buffer.getvalue(), numbers)


def _state_xml(slide_xml: bytes, hidden: Hidden) -> bytes:
    """A copy of a slide's XML showing one state: shown, without animation or transition."""
    root = etree.fromstring(slide_xml)
    root.attrib.pop("show", None)
    for name in ("timing", "transition"):
        for element in root.findall(f"{{{_P}}}{name}"):
            root.remove(element)
    whole = {shape for shape, paragraph in hidden if paragraph is None}
    paragraphs: dict[int, set[int]] = {}
    for shape, paragraph in hidden:
        if paragraph is not None and shape not in whole:
            paragraphs.setdefault(shape, set()).add(paragraph)
    for properties in list(root.iter(f"{{{_P}}}cNvPr")):
        try:
            shape_id = int(properties.get("id", ""))
        except ValueError:
            continue
        shape = properties.getparent().getparent()
        if shape is None or shape.tag not in _SHAPES:
            continue
        if shape_id in whole and shape.getparent() is not None:
            shape.getparent().remove(shape)
        elif shape_id in paragraphs:
            body = shape.find(f"{{{_P}}}txBody")
            if body is not None:
                for index, paragraph in enumerate(body.findall(f"{{{_A}}}p")):
                    if index in paragraphs[shape_id]:
                        _make_invisible(paragraph)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _make_invisible(paragraph) -> None:
    """Fully transparent text and bullet: the paragraph still takes its room."""
    for run in paragraph:
        if run.tag not in (f"{{{_A}}}r", f"{{{_A}}}fld"):
            continue
        properties = run.find(f"{{{_A}}}rPr")
        if properties is None:
            properties = etree.Element(f"{{{_A}}}rPr")
            run.insert(0, properties)
        _put_clear(properties, "solidFill", _BEFORE_FILL, _FILLS)
    properties = paragraph.find(f"{{{_A}}}pPr")
    if properties is None:
        properties = etree.Element(f"{{{_A}}}pPr")
        paragraph.insert(0, properties)
    colours = {f"{{{_A}}}buClr", f"{{{_A}}}buClrTx"}
    _put_clear(properties, "buClr", _BEFORE_BULLET_COLOUR, colours)


def _put_clear(properties, tag: str, before: set[str], replaced: set[str]) -> None:
    """Put a fully transparent colour ``tag`` into ``properties`` where the schema wants it,
    replacing ``replaced`` elements."""
    for old in [child for child in properties if child.tag in replaced]:
        properties.remove(old)
    colour = etree.Element(f"{{{_A}}}{tag}")
    rgb = etree.SubElement(colour, f"{{{_A}}}srgbClr", val="FFFFFF")
    etree.SubElement(rgb, f"{{{_A}}}alpha", val="0")
    position = 0
    for index, child in enumerate(properties):
        if child.tag in before:
            position = index + 1
    properties.insert(position, colour)


def _without_notes(rels_xml: bytes) -> bytes:
    """A slide's relationships without its notes page (each notes page has one slide)."""
    root = etree.fromstring(rels_xml)
    for rel in root.findall(f"{{{_PKG}}}Relationship"):
        if rel.get("Type") == _NOTES_REL:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _relative(base: str, part: str) -> str:
    prefix = base.rstrip("/") + "/"
    return part[len(prefix) :] if part.startswith(prefix) else "/" + part

"""A slide's build animation read from its ``<p:timing>``: the main sequence's entrance and exit
effects on shapes and on paragraphs, as click steps (``model.BuildStep``).

PowerPoint writes the main sequence (``p:cTn nodeType="mainSeq"``) as nested ``p:par`` time
nodes whose innermost ones are the effects (``presetClass`` "entr", "exit", "emph", "path"; their
``nodeType`` "clickEffect", "withEffect" or "afterEffect"; ``presetID`` and ``presetSubtype`` name
the effect and its direction, as LibreOffice's oox import maps them). Each effect names its shape
(``p:spTgt spid``) and, for a build by paragraph, the paragraphs (``p:txEl/p:pRg st end``).

A click effect starts a step; "with previous" and "after previous" effects join the step before
them, and those before the first click make an automatic step as the slide starts. Entrance and
exit effects are kept (an exit hides its target from its step on). What cannot be shown as a
change between still pictures is named in ``BuildsRead.problems``, one sentence each: emphasis
effects and motion paths are left out (the slide shows its shapes where it places them), and so
are effects started by clicking a shape (interactive sequences).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import BuildStep, BuildTarget

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

# presetID of the entrance (and exit) effects we draw as themselves: appear, fly in (and fly in
# slow), fade (and dissolve), wipe. Every other effect is drawn as a fade, its nearest.
_EFFECTS = {1: "appear", 2: "fly", 7: "fly", 9: "fade", 10: "fade", 22: "wipe"}
# presetSubtype of fly in and wipe: where the shape comes from (LibreOffice's convert_subtype).
_DIRECTIONS = {1: "top", 2: "right", 4: "bottom", 8: "left"}
DEFAULT_EFFECT_SECONDS = 0.5


@dataclass
class BuildsRead:
    """A slide's build steps, in order, and what of its animation they leave out: one
    sentence each, to be prefixed with the slide's name."""

    steps: list[BuildStep] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_slide_builds(slide_element) -> BuildsRead:
    """The build steps of a slide, from its ``p:sld`` element (lxml, as python-pptx holds it)."""
    found = BuildsRead()
    timing = slide_element.find(f"{_P}timing")
    if timing is None:
        return found
    texts = _shape_texts(slide_element)
    left_out: set[str] = set()
    for node in timing.iter(f"{_P}cTn"):
        kind = node.get("nodeType")
        if kind == "interactiveSeq":
            left_out.add("effects started by clicking a shape")
        if kind != "mainSeq":
            continue
        for effect in node.iter(f"{_P}cTn"):
            preset_class = effect.get("presetClass")
            if preset_class is None:
                continue
            _add_effect(found, effect, preset_class, texts, left_out)
    if left_out:
        what = sorted(left_out)
        listed = ", ".join(what[:-1]) + (" and " if len(what) > 1 else "") + what[-1]
        found.problems.append(
            f"its animation has {listed}, which are not played; the video shows those shapes "
            "as the slide places them."
        )
    return found


def _add_effect(
    found: BuildsRead,
    effect,
    preset_class: str,
    texts: dict[int, list[str]],
    left_out: set[str],
) -> None:
    if preset_class == "emph":
        left_out.add("emphasis effects")
        return
    if preset_class == "path":
        left_out.add("motion paths")
        return
    if preset_class not in ("entr", "exit"):
        return  # media commands ("mediacall") and verbs change nothing that a picture shows
    targets = _targets(effect)
    if not targets:
        return
    trigger = effect.get("nodeType", "clickEffect")
    steps = found.steps
    if trigger == "clickEffect" or not steps:
        kind, direction = _effect_kind(effect)
        if preset_class == "exit" and kind == "fly":
            kind, direction = "fade", ""  # a fly-out is drawn as a fade: we draw fly-ins only
        steps.append(
            BuildStep(
                trigger="click" if trigger == "clickEffect" else "auto",
                effect=kind,
                direction=direction,
                duration=_seconds(effect) if kind != "appear" else 0.0,
            )
        )
    step = steps[-1]
    entering = preset_class == "entr"
    for target in targets:
        (step.shows if entering else step.hides).append(target)
        if entering:
            shown = _target_text(target, texts)
            if shown:
                step.text = f"{step.text}\n{shown}" if step.text else shown


def _targets(effect) -> list[BuildTarget]:
    """The shapes (or paragraphs) an effect works on, each once."""
    out: list[BuildTarget] = []
    for target in effect.iter(f"{_P}spTgt"):
        try:
            shape_id = int(target.get("spid", ""))
        except ValueError:
            continue
        if target.find(f"{_P}bg") is not None:
            continue  # the shape's background alone: its text builds separately
        paragraphs: list[int] | None = None
        for span in target.iter(f"{_P}pRg"):
            try:
                first, last = int(span.get("st", "")), int(span.get("end", ""))
            except ValueError:
                continue
            paragraphs = sorted({*(paragraphs or []), *range(first, last + 1)})
        built = BuildTarget(shape_id, paragraphs)
        if built not in out:
            out.append(built)
    return out


def _effect_kind(effect) -> tuple[str, str]:
    try:
        preset = int(effect.get("presetID", "1"))
    except ValueError:
        preset = 0
    kind = _EFFECTS.get(preset, "fade")
    direction = ""
    if kind in ("wipe", "fly"):
        try:
            subtype = int(effect.get("presetSubtype", "0"))
        except ValueError:
            subtype = 0
        direction = _DIRECTIONS.get(subtype, "bottom" if kind == "fly" else "left")
    return kind, direction


def _seconds(effect) -> float:
    """The longest of the effect's timed behaviours (``dur`` in ms), else a usual 0.5 s."""
    longest = 0
    for node in effect.iter(f"{_P}cTn"):
        if node is effect:
            continue
        try:
            longest = max(longest, int(node.get("dur", "0")))
        except ValueError:  # "indefinite"
            continue
    return longest / 1000 if longest > 1 else DEFAULT_EFFECT_SECONDS


def _shape_texts(slide_element) -> dict[int, list[str]]:
    """Shape id -> the text of each of its paragraphs (empty ones counted)."""
    out: dict[int, list[str]] = {}
    for properties in slide_element.iter(f"{_P}cNvPr"):
        try:
            shape_id = int(properties.get("id", ""))
        except ValueError:
            continue
        shape = properties.getparent().getparent()
        body = shape.find(f"{_P}txBody")
        if body is None:
            continue
        out[shape_id] = [
            "".join(t.text or "" for t in paragraph.iter(f"{_A}t"))
            for paragraph in body.findall(f"{_A}p")
        ]
    return out


def _target_text(target: BuildTarget, texts: dict[int, list[str]]) -> str:
    paragraphs = texts.get(target.shape_id, [])
    chosen = (
        paragraphs
        if target.paragraphs is None
        else [paragraphs[i] for i in target.paragraphs if 0 <= i < len(paragraphs)]
    )
    return "\n".join(text.strip() for text in chosen if text.strip())

"""A slide's build animation read from its ``<p:timing>``: the main sequence's entrance and exit
effects on shapes and on paragraphs, as click steps (``model.BuildStep``).

PowerPoint writes the main sequence (``p:cTn nodeType="mainSeq"``) as nested ``p:par`` time
nodes whose innermost ones are the effects (``presetClass`` "entr", "exit", "emph", "path"; their
``nodeType`` "clickEffect", "withEffect" or "afterEffect"; ``presetID`` and ``presetSubtype`` name
the effect and its direction, as LibreOffice's oox import maps them). Each effect names its shape
(``p:spTgt spid``) and, for a build by paragraph, the paragraphs (``p:txEl/p:pRg st end``).

A click effect starts a step; "with previous" and "after previous" effects join the step that
starts when they do, or make one of their own, ``start`` seconds after their click (their
delay, and for "after previous" the end of the effects before them); those before the first
click run by themselves as the slide starts. Entrance and exit effects are kept (an exit hides
its target from its step on), and a media command that plays a video or sound makes its step
start that clip (``BuildStep.plays``). What cannot be shown as a change between still pictures
is named in ``BuildsRead.problems``, one sentence each: emphasis effects and motion paths are
left out (the slide shows its shapes where it places them), and so are effects started by
clicking a shape (interactive sequences) and commands that pause or stop a clip.
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
        for effect, click, start, length in _timed_effects(node):
            _add_effect(found, effect, click, start, length, texts, left_out)
    found.steps = _ordered(found.steps)
    if left_out:
        what = sorted(left_out)
        listed = ", ".join(what[:-1]) + (" and " if len(what) > 1 else "") + what[-1]
        found.problems.append(
            f"its animation has {listed}, which are not played; the video shows those shapes "
            "as the slide places them."
        )
    return found


def _timed_effects(sequence) -> list[tuple[object, int, float, float]]:
    """The main sequence's effects in order, each with the click it follows (0: none, before
    the first click), its start in seconds after that click and its length in seconds.

    PowerPoint nests them as click ``p:par`` > "after previous" group ``p:par`` > effect: a
    group starts when the one before it has ended (PowerPoint writes that time as the group's
    delay; writers that leave it out get it from the effects' lengths), an effect at its
    group's start plus its own delay."""
    out: list[tuple[object, int, float, float]] = []
    click = 0
    children = sequence.find(f"{_P}childTnLst")
    if children is None:
        return out
    previous_end = 0.0  # when the click's effects so far have ended, after the click
    for outer in children.findall(f"{_P}par/{_P}cTn"):
        effects = _effects_in(outer)
        if not effects:
            continue
        if effects[0].get("nodeType", "clickEffect") == "clickEffect":
            click, previous_end = click + 1, 0.0
            base = 0.0
        else:  # runs by itself after what came before (the slide's start, or the last click)
            base = previous_end
        groups = outer.find(f"{_P}childTnLst")
        group_end = base
        for group in groups.findall(f"{_P}par/{_P}cTn") if groups is not None else []:
            members = _effects_in(group)
            if not members:
                continue
            group_start = base + _delay(group)
            if members[0].get("nodeType") == "afterEffect" or group_start < group_end:
                group_start = max(group_start, group_end)
            for effect in members:
                start = group_start + _delay(effect)
                length = _length(effect)
                out.append((effect, click, round(start, 3), length))
                group_end = max(group_end, start + length)
        previous_end = max(previous_end, group_end)
    return out


def _effects_in(node) -> list:
    """The effects (time nodes with a ``presetClass``) below ``node``, not those inside them."""
    found = []
    for child in node.iter(f"{_P}cTn"):
        if child is node or child.get("presetClass") is None:
            continue
        if any(parent in found for parent in child.iterancestors(f"{_P}cTn")):
            continue
        found.append(child)
    return found


def _delay(node) -> float:
    """A time node's start delay in seconds (0 for none, "indefinite" or a trigger)."""
    conditions = node.find(f"{_P}stCondLst")
    if conditions is None:
        return 0.0
    longest = 0.0
    for condition in conditions.findall(f"{_P}cond"):
        try:
            longest = max(longest, int(condition.get("delay", "0")) / 1000)
        except ValueError:  # "indefinite": waits for a click, timed by the click
            continue
    return longest


def _length(effect) -> float:
    """How long an effect runs: the latest end of its timed behaviours (a media command's
    length is the clip's), 0 for an appear."""
    longest = 0.0
    for node in effect.iter(f"{_P}cTn"):
        if node is effect:
            continue
        try:
            end = _delay(node) + int(node.get("dur", "0")) / 1000
        except ValueError:  # "indefinite"
            continue
        longest = max(longest, end)
    return longest if longest > 0.002 else 0.0


def _ordered(steps: list[BuildStep]) -> list[BuildStep]:
    """``steps`` with those after each click in the order they start; the first of a click's
    steps is the click itself (a click that starts its effects late shows them late)."""
    out: list[BuildStep] = []
    run: list[BuildStep] = []
    for step in [*steps, None]:
        if step is None or (step.trigger == "click" and run):
            run.sort(key=lambda s: s.start)
            if run and run[0].trigger != "click" and any(s.trigger == "click" for s in run):
                clicked = next(s for s in run if s.trigger == "click")
                clicked.trigger, run[0].trigger = run[0].trigger, "click"
            out += run
            run = []
        if step is not None:
            run.append(step)
    return out


def _add_effect(
    found: BuildsRead,
    effect,
    click: int,
    start: float,
    length: float,
    texts: dict[int, list[str]],
    left_out: set[str],
) -> None:
    preset_class = effect.get("presetClass")
    if preset_class == "emph":
        left_out.add("emphasis effects")
        return
    if preset_class == "path":
        left_out.add("motion paths")
        return
    media = preset_class == "mediacall"
    if media:
        plays = _media_played(effect, left_out)
        if not plays:
            return
        targets: list[BuildTarget] = []
    elif preset_class in ("entr", "exit"):
        targets = _targets(effect)
        if not targets:
            return
        plays = []
    else:
        return  # verbs change nothing that a picture shows
    step = _step_at(found.steps, effect, click, start, preset_class, length)
    step.plays += [spid for spid in plays if spid not in step.plays]
    entering = preset_class == "entr"
    for target in targets:
        (step.shows if entering else step.hides).append(target)
        if entering:
            shown = _target_text(target, texts)
            if shown:
                step.text = f"{step.text}\n{shown}" if step.text else shown


def _step_at(
    steps: list[BuildStep], effect, click: int, start: float, preset_class: str, length: float
) -> BuildStep:
    """The step of click ``click`` (0: before the first) that starts at ``start``, made (with
    the effect's look) when there is none yet."""
    clicks = sum(s.trigger == "click" for s in steps)
    if clicks == click:  # the click's steps are the last ones
        for step in reversed(steps):
            if abs(step.start - start) < 0.0005:
                if step.effect == "appear" and not step.shows and not step.hides:
                    _look(step, effect, preset_class, length)  # a media step takes a look
                return step
            if step.trigger == "click":
                break
    step = BuildStep(trigger="click" if clicks < click else "auto", start=start)
    if preset_class != "mediacall":
        _look(step, effect, preset_class, length)
    steps.append(step)
    return step


def _look(step: BuildStep, effect, preset_class: str, length: float) -> None:
    """Give ``step`` the effect's kind, direction and duration (how its change is drawn)."""
    if preset_class == "mediacall":
        return
    kind, direction = _effect_kind(effect)
    if preset_class == "exit" and kind == "fly":
        kind, direction = "fade", ""  # a fly-out is drawn as a fade: we draw fly-ins only
    step.effect, step.direction = kind, direction
    step.duration = _seconds(effect) if kind != "appear" else 0.0


def _media_played(effect, left_out: set[str]) -> list[int]:
    """The shapes whose clip a media command starts (``playFrom``; a "play/pause" toggle
    starts it too); other commands (pause, stop) are named in ``left_out``."""
    plays: list[int] = []
    for command in effect.iter(f"{_P}cmd"):
        verb = (command.get("cmd") or "").strip()
        if not (verb.startswith("playFrom") or verb in ("play", "togglePause")):
            left_out.add("media commands that pause or stop a clip")
            continue
        for target in command.iter(f"{_P}spTgt"):
            try:
                plays.append(int(target.get("spid", "")))
            except ValueError:
                continue
    return plays


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

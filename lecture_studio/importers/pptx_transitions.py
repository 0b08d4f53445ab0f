"""A deck slide's own transition and timing, read from its ``<p:transition>``.

PowerPoint 2010 and later write a transition twice inside ``mc:AlternateContent``: an
``mc:Choice`` for readers that know its extension namespace (``p14:dur`` in milliseconds,
``p14:`` effects such as vortex, ``p159:morph``) and an ``mc:Fallback`` with a plain effect
for those that do not; older files have a bare ``<p:transition>``. We take the first choice
whose namespaces we know, else the fallback, and map its effect onto one of our transitions
(``transitions.TRANSITIONS``): fade, push, wipe, cover, pull (uncover), zoom and cut
exactly; split, the ``p14:``/``p15:`` effects and any effect we do not know to the nearest
of ours, marked ``approximate`` so that the export can say so once. Morph becomes the latent
morph, which itself draws a crossfade where its model cannot run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import DeckTransition, TransitionSpec

NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
NS_P15 = "http://schemas.microsoft.com/office/powerpoint/2012/main"
NS_P159 = "http://schemas.microsoft.com/office/powerpoint/2015/09/main"
# Extension namespaces whose transition markup we read (an mc:Choice requiring any other is
# skipped for its fallback).
KNOWN_NAMESPACES = frozenset({NS_P, NS_P14, NS_P15, NS_P159})

# ``spd`` in seconds, as PowerPoint 2007 and LibreOffice time them; "fast" is the default.
SPEED_SECONDS = {"fast": 0.5, "med": 0.75, "slow": 1.0}
_SIDES = {"l": "left", "r": "right", "u": "up", "d": "down"}
# Elements of <p:transition> that are not its effect.
_NOT_EFFECTS = frozenset({f"{{{NS_P}}}sndAc", f"{{{NS_P}}}extLst"})


@dataclass(frozen=True)
class SlideTransitionInfo:
    """What a slide's ``<p:transition>`` says: the transition into the slide (None when it
    sets no effect) and after how many seconds the slide advances by itself (None: on a
    click)."""

    transition: DeckTransition | None = None
    advance_after: float | None = None


def read_slide_transition(slide_element) -> SlideTransitionInfo:
    """The transition and timing of a slide, from its ``<p:sld>`` element (lxml)."""
    element = _transition_element(slide_element)
    if element is None:
        return SlideTransitionInfo()
    advance_after = _milliseconds(element.get("advTm"))
    effect = next(
        (
            child
            for child in element
            if isinstance(child.tag, str) and child.tag not in _NOT_EFFECTS
        ),
        None,
    )
    if effect is None:
        return SlideTransitionInfo(None, advance_after)
    seconds = _milliseconds(element.get(f"{{{NS_P14}}}dur"))
    if seconds is None:
        seconds = SPEED_SECONDS.get(element.get("spd", "fast"), SPEED_SECONDS["fast"])
    name = _local_name(effect.tag)
    kind, approximate = _our_kind(name, effect)
    if name == "prstTrans":  # PowerPoint 2013's presets name themselves ("fallOver", "curtains")
        name = effect.get("prst") or name
    duration = 0.0 if kind == "cut" else seconds
    return SlideTransitionInfo(
        DeckTransition(name, TransitionSpec(kind, duration), approximate), advance_after
    )


def _transition_element(slide_element):
    """The ``<p:transition>`` PowerPoint would use: a bare one, else the first understood
    ``mc:Choice``'s, else the ``mc:Fallback``'s."""
    for child in slide_element:
        if child.tag == f"{{{NS_P}}}transition":
            return child
        if child.tag != f"{{{NS_MC}}}AlternateContent":
            continue
        for branch in child:
            found = branch.find(f"{{{NS_P}}}transition")
            if found is None:
                continue
            if branch.tag == f"{{{NS_MC}}}Fallback":
                return found
            if branch.tag == f"{{{NS_MC}}}Choice" and _understood(branch):
                return found
    return None


def _understood(choice) -> bool:
    """Whether every namespace prefix an ``mc:Choice`` requires is one we read."""
    prefixes = (choice.get("Requires") or "").split()
    return bool(prefixes) and all(choice.nsmap.get(p) in KNOWN_NAMESPACES for p in prefixes)


def _milliseconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number / 1000 if number >= 0 else None


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _side(effect, default: str = "l") -> tuple[str, bool]:
    """Our direction for a PowerPoint ``dir`` (where the slides move: "l" is leftwards), and
    whether it is only the nearest (a diagonal such as "lu" keeps its sideways part)."""
    value = effect.get("dir", default)
    if value in _SIDES:
        return _SIDES[value], False
    if len(value) == 2 and value[0] in "lr" and value[1] in "ud":
        return _SIDES[value[0]], True
    return _SIDES[default], True


def _our_kind(name: str, effect) -> tuple[str, bool]:
    """Our transition for PowerPoint's effect ``name``, and whether it is only the nearest."""
    if name == "fade":
        return ("fade-black" if _true(effect.get("thruBlk")) else "crossfade"), False
    if name == "cut":
        return ("fade-black", True) if _true(effect.get("thruBlk")) else ("cut", False)
    if name in ("push", "wipe", "cover"):
        direction, near = _side(effect)
        return f"{name}-{direction}", near
    if name == "pull":  # PowerPoint's "Uncover"
        direction, near = _side(effect)
        return f"uncover-{direction}", near
    if name == "zoom":
        return ("zoom-in" if effect.get("dir", "out") == "in" else "zoom-out"), False
    if name == "morph":
        return "latent-morph", False
    return _nearest(name, effect), True


def _nearest(name: str, effect) -> str:
    """The nearest of ours to an effect we cannot draw as such."""
    if name in ("split", "doors", "window"):  # a line opening from (or closing to) the middle
        return "wipe-down" if effect.get("orient", "horz") == "horz" else "wipe-right"
    if name in ("pan", "conveyor", "ferris", "gallery", "switch", "flip"):
        return f"push-{_SIDES.get(effect.get('dir', 'l'), 'left')}"
    if name == "comb":
        return "push-up" if effect.get("dir") == "vert" else "push-left"
    if name == "reveal":
        return f"uncover-{_SIDES.get(effect.get('dir', 'l'), 'left')}"
    if name == "strips":
        direction, _ = _side(effect, "lu")
        return f"wipe-{direction}"
    if name == "flash":
        return "fade-white"
    if name in ("warp", "flythrough"):
        return "zoom-out" if effect.get("dir", "in") == "out" else "zoom-in"
    if name in ("newsflash", "circle", "diamond", "plus"):
        return "zoom-in"
    return "crossfade"


def _true(value: str | None) -> bool:
    return value in ("1", "true")

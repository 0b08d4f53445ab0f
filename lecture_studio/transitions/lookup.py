"""Transitions by name: the built-in ones (``TRANSITIONS``) and plugins', made by
``make_transition``."""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..errors import InputError
from ..plugins import (
    TRANSITION,
    PluginError,
    PluginRegistrar,
    PluginRegistry,
    plugin_failed_message,
)
from .classic import (
    DIRECTIONS,
    Cover,
    Crossfade,
    Cut,
    FadeThrough,
    Push,
    Transition,
    Uncover,
    Wipe,
    Zoom,
    eased,
)
from .guarded import GuardedTransition


def _latent_morph(**kwargs: object) -> Transition:
    from .latent import LatentMorph  # torch and diffusers load only when a morph is asked for

    return LatentMorph(**kwargs)  # type: ignore[arg-type]


TRANSITIONS: dict[str, Callable[..., Transition]] = {
    "cut": Cut,
    "crossfade": Crossfade,
    "fade-black": functools.partial(FadeThrough, color=(0, 0, 0)),
    "fade-white": functools.partial(FadeThrough, color=(255, 255, 255)),
    **{f"push-{d}": functools.partial(Push, direction=d) for d in DIRECTIONS},
    **{f"wipe-{d}": functools.partial(Wipe, direction=d) for d in DIRECTIONS},
    **{f"cover-{d}": functools.partial(Cover, direction=d) for d in DIRECTIONS},
    **{f"uncover-{d}": functools.partial(Uncover, direction=d) for d in DIRECTIONS},
    "zoom-in": functools.partial(Zoom, mode="in"),
    "zoom-out": functools.partial(Zoom, mode="out"),
    "latent-morph": _latent_morph,
}


class UnknownTransitionError(InputError, ValueError):
    """A transition name nothing provides (a typo, or a plugin that is not installed): an
    InputError, so that an export of a project naming one ends with a sentence; a ValueError,
    as callers checking a name before use expect."""


def register_transitions(registrar: PluginRegistrar) -> None:
    """Add Lecture Studio's own transitions, as a plugin's ``register()`` adds its own."""
    for name, factory in TRANSITIONS.items():
        registrar.add_transition(name, factory)


def make_transition(
    kind: str,
    duration: float,
    easing: str | None = None,
    registry: PluginRegistry | None = None,
) -> Transition:
    """The transition called ``kind`` (built-in: a key of ``TRANSITIONS``; or one of a plugin
    in ``registry``, None: the built-in ones only) lasting ``duration`` seconds."""
    registry = (
        registry if registry is not None else PluginRegistry.builtin_only(register_transitions)
    )
    contribution = registry.find(TRANSITION, kind)
    if contribution is None:
        # A plugin that failed at an earlier frame is withdrawn, and one that failed or hung in
        # its import provides nothing: an export that asks for its transition must end with
        # why, not with "unknown".
        record = registry.unavailable(TRANSITION, kind)
        if record is not None:
            raise PluginError(plugin_failed_message(record.name, TRANSITION, kind, record.error))
        known = ", ".join(sorted(registry.names(TRANSITION)))
        raise UnknownTransitionError(
            f"unknown transition {kind!r}; choose one of: {known}"
        ) from None
    if easing is None or kind == "cut":
        transition = registry.call(contribution, duration=duration)
    else:
        eased(easing, 0.0)  # reject an unknown easing here, not at the first frame
        transition = registry.call(contribution, duration=duration, easing=easing)
    if contribution.builtin:
        return transition
    return GuardedTransition(transition, contribution, registry)

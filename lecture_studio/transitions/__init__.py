"""Transitions between slides (small immutable objects with ``frame(a, b, progress)``) and
motion within a slide; ``motion``, ``reveal`` and ``latent`` are imported from their modules."""

from .classic import (
    DIRECTIONS,
    EASINGS,
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
from .lookup import TRANSITIONS, UnknownTransitionError, make_transition, register_transitions

__all__ = [
    "DIRECTIONS",
    "EASINGS",
    "TRANSITIONS",
    "Cover",
    "Crossfade",
    "Cut",
    "FadeThrough",
    "Push",
    "Transition",
    "Uncover",
    "Wipe",
    "UnknownTransitionError",
    "Zoom",
    "eased",
    "make_transition",
    "register_transitions",
]

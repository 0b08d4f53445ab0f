"""Transitions between slides (small immutable objects with ``frame(a, b, progress)``) and
motion within a slide; ``motion``, ``reveal`` and ``latent`` are imported from their modules."""

from .classic import (
    DIRECTIONS,
    EASINGS,
    TRANSITIONS,
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
    make_transition,
)

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
    "Zoom",
    "eased",
    "make_transition",
]

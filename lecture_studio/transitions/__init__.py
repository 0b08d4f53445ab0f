"""Transitions between slides: small immutable objects with ``frame(a, b, progress)``."""

from .classic import TRANSITIONS, Crossfade, Cut, Transition, make_transition

__all__ = ["TRANSITIONS", "Crossfade", "Cut", "Transition", "make_transition"]

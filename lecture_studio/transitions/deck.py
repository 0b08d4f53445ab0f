"""What an export says about the slide transitions it draws: the deck's transitions that only
the nearest of ours draws, and morphs drawn as a crossfade, each listed once."""

from __future__ import annotations

from ..model import Lecture
from ..model.timeline import Timeline
from ..plugins import PluginRegistry
from .lookup import make_transition


def transition_notes(
    lecture: Lecture, timeline: Timeline, registry: PluginRegistry | None = None
) -> list[str]:
    """Sentences for the export's warnings: which deck transitions are drawn as the nearest
    of ours (by effect, with the slides they lead into), and, where a latent morph is used but
    cannot run here, that it is drawn as a crossfade and why."""
    nearest: dict[tuple[str, str], list[int]] = {}
    morphs: list[int] = []
    for timing, after in zip(timeline.slides, timeline.slides[1:], strict=False):
        if not timing.transition_frames:
            continue
        number = after.index + 1
        following = lecture.slide(after.slide_id)
        deck = following.deck_transition
        from_deck = (
            deck is not None
            and lecture.style.deck_transitions
            and lecture.slide(timing.slide_id).transition is None
        )
        if from_deck and deck.approximate:
            nearest.setdefault((deck.effect, deck.transition.kind), []).append(number)
        if timing.transition.kind == "latent-morph":
            morphs.append(number)
    notes = []
    if nearest:
        listed = "; ".join(
            f"{effect} as {kind} ({_slides(numbers)})"
            for (effect, kind), numbers in sorted(nearest.items(), key=lambda item: item[1][0])
        )
        notes.append(
            f"Some of the deck's slide transitions have no exact match here and are drawn as "
            f"the nearest one: {listed}."
        )
    if morphs:
        morph = make_transition("latent-morph", 1.0, registry=registry)
        reason = getattr(morph, "fallback_reason", None)
        if reason:
            notes.append(f"{reason[:-1]} (into {_slides(morphs)}).")
    return notes


def _slides(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"slide {numbers[0]}"
    return "slides " + ", ".join(str(n) for n in numbers)

"""How a deck plays the videos and sounds on a slide (PowerPoint's Playback tab), from the
slide's ``<p:timing>``: each clip's ``p:video`` / ``p:audio`` node.

Its ``p:cMediaNode`` holds the volume (``vol``, thousandths of a percent; ``mute``), whether it
shows while not playing (``showWhenStopped``), full screen (``fullScrn``, on ``p:video``) and
how many slides it plays across (``numSld``); its ``p:cTn`` how often it repeats
(``repeatCount``: thousandths of a play, or "indefinite" for Loop until Stopped). When it
starts and after what delay is the main sequence's business (``pptx_builds``: a media
command makes a build step that plays it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..model import SlideMedia
from ..model.lecture import DECK_VOLUME

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


@dataclass(frozen=True)
class Playback:
    """A clip's Playback settings: volume (1: full; PowerPoint's default is 0.8), plays (0:
    loops until the slide ends), and the settings a video of the lecture cannot follow."""

    volume: float = DECK_VOLUME
    plays: int = 1
    hidden_when_stopped: bool = False
    full_screen: bool = False
    across_slides: bool = False


def read_playback(slide_element) -> dict[int, Playback]:
    """Shape id -> the Playback settings of each clip the slide's timing names (narration
    recorded with Record aside: ``pptx_narration`` reads it)."""
    timing = slide_element.find(f"{_P}timing")
    out: dict[int, Playback] = {}
    if timing is None:
        return out
    for tag in ("video", "audio"):
        for node in timing.iter(f"{_P}{tag}"):
            if node.get("isNarration") in ("1", "true"):
                continue
            media = node.find(f"{_P}cMediaNode")
            if media is None:
                continue
            target = media.find(f"{_P}tgtEl/{_P}spTgt")
            try:
                shape_id = int(target.get("spid", "")) if target is not None else 0
            except ValueError:
                continue
            if shape_id:
                out[shape_id] = _playback(node, media)
    return out


def _playback(node, media) -> Playback:
    volume = 1.0
    try:
        volume = min(max(int(media.get("vol", "100000")) / 100_000, 0.0), 1.0)
    except ValueError:
        pass
    if media.get("mute") in ("1", "true"):
        volume = 0.0
    plays = 1
    time_node = media.find(f"{_P}cTn")
    repeat = time_node.get("repeatCount") if time_node is not None else None
    if repeat == "indefinite":
        plays = 0
    elif repeat:
        try:
            plays = max(1, math.ceil(int(repeat) / 1000 - 1e-9))
        except ValueError:
            pass
    try:
        across = int(media.get("numSld", "1")) > 1
    except ValueError:
        across = False
    return Playback(
        volume=volume,
        plays=plays,
        hidden_when_stopped=media.get("showWhenStopped") in ("0", "false"),
        full_screen=node.get("fullScrn") in ("1", "true"),
        across_slides=across,
    )


def played_as_set(media: SlideMedia, playback: Playback | None) -> tuple[SlideMedia, list[str]]:
    """``media`` with its deck's volume and repeats, and one sentence (to follow "Slide N: ")
    for each Playback setting the video does not follow."""
    if playback is None:
        return media, []
    problems = []
    what = f"the {'video' if media.kind == 'video' else 'sound'} “{media.name}”"
    if playback.hidden_when_stopped and media.kind == "video":
        problems.append(
            f"{what} is set to hide while not playing, which the video does not do: it shows "
            "the poster frame before and after the clip plays."
        )
    if playback.full_screen and media.kind == "video":
        problems.append(
            f"{what} is set to play full screen, which the video does not do: it plays in its "
            "frame on the slide."
        )
    if playback.across_slides:
        problems.append(
            f"{what} is set to play across slides, which the video does not do: it plays on "
            "its own slide only, which stays up until it ends."
        )
    return replace(media, volume=playback.volume, plays=playback.plays), problems

"""Progressive reveal: bullets appear one by one as the narration introduces each.

The pure part, ``reveal_schedule``, matches each bullet to the sentence that introduces it by word
overlap and gives the frame where it appears: where the narration's word timings are known, the
start of the first word of that sentence that the bullet says, else the sentence's start.
``reveal_states`` and ``reveal_frames`` build the pictures by painting the regions of bullets
not yet revealed with the slide background.
``paragraph_regions`` finds the bullets' regions on a rendered picture from its ink when the
renderer cannot say where it drew them (LibreOffice), or says why it cannot.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..narration.clip import TimedText
from ..narration.word_positions import fold_case, locate_words, words_by_sentence
from ..text.scripts import CJK_RUN, HIRAGANA_CLASS

Rect = tuple[int, int, int, int]  # left, top, right, bottom in pixels (right/bottom exclusive)
Color = tuple[int, int, int]

MATCH_THRESHOLD = 0.3  # share of a bullet's (weighted) words a sentence must say to introduce it
OVERVIEW_PENALTY = 0.5  # a sentence naming every bullet (an overview) introduces none of them

_LATIN_WORD = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)
_CJK_RUN = CJK_RUN
_NOT_HIRAGANA = re.compile(f"[^{HIRAGANA_CLASS}]+")
_STOPWORDS = frozenset(
    "in on of to is it an as at be by or we so if "
    "the and for are but not you all any can her was one our out this that with from have "
    "has had its his she they them then than there their what when which who will would "
    "into onto over about also each more most some such only very just like these those "
    "des les une est pas que qui dans pour par sur avec der die das und ist den dem ein eine "
    "el la los las del por con para".split()
)


@dataclass(frozen=True)
class TimedSentence:
    """A narration sentence and when it starts, in seconds (``narration.TimedText`` fits)."""

    start: float
    text: str


def words_of(text: str) -> set[str]:
    """The words that can tie a bullet to a sentence: lower-cased Latin words of two letters or
    more (common function words left out), numbers, and for Chinese and Japanese, bigrams of the
    runs of kanji and katakana (hiragana, mostly particles and endings, splits the runs)."""
    return {word for _, word in _word_positions(text)}


def _word_positions(text: str) -> list[tuple[int, str]]:
    """The words of ``words_of``, each with where it starts in ``text``, in text order."""
    folded = fold_case(text)
    latin = _CJK_RUN.sub(lambda run: " " * len(run.group()), folded)
    found = [
        (match.start(), match.group())
        for match in _LATIN_WORD.finditer(latin)
        if match.group() not in _STOPWORDS
    ]
    for run in _CJK_RUN.finditer(text):
        for part in _NOT_HIRAGANA.finditer(run.group()):
            at, chars = run.start() + part.start(), part.group()
            if len(chars) == 1:
                found.append((at, chars))
            found += [(at + i, chars[i : i + 2]) for i in range(len(chars) - 1)]
    return sorted(found)


def _overlaps(bullets: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
    """``score[i, j]``: the weighted share of bullet i's words that sentence j says, less a
    penalty when the sentence also says the other bullets (an overview introduces none)."""
    bullet_words = [words_of(b) for b in bullets]
    sentence_words = [words_of(s) for s in sentences]
    # A word said in many sentences tells little about which one introduces the bullet.
    said_in = {w: sum(w in s for s in sentence_words) for ws in bullet_words for w in ws}
    overlap = np.zeros((len(bullets), len(sentences)))
    for i, words in enumerate(bullet_words):
        weights = {w: 1.0 / max(1, said_in[w]) for w in words}
        total = sum(weights.values())
        if not total:
            continue
        for j, said in enumerate(sentence_words):
            overlap[i, j] = sum(weight for w, weight in weights.items() if w in said) / total
    if len(bullets) < 2:
        return overlap
    others = (overlap.sum(axis=0, keepdims=True) - overlap) / (len(bullets) - 1)
    return overlap - OVERVIEW_PENALTY * others


def match_bullets(bullets: Sequence[str], sentences: Sequence[str]) -> list[int | None]:
    """For each bullet, the index of the sentence that introduces it, or None when no sentence
    says enough of it. Bullets keep their order: a bullet is never matched to a sentence before
    the one matched to a bullet above it (several bullets may share one sentence)."""
    n, m = len(bullets), len(sentences)
    if not n or not m:
        return [None] * n
    score = _overlaps(bullets, sentences)
    usable = np.where(score >= MATCH_THRESHOLD, score, -np.inf)
    # best[i][j]: the best total for bullets [0, i) whose matched sentences are all <= j - 1.
    best = np.zeros((n + 1, m + 1))
    choice = np.full((n + 1, m + 1), -1, dtype=np.int64)  # -1: bullet i - 1 left unmatched
    for i in range(1, n + 1):
        for j in range(m + 1):
            best[i, j], choice[i, j] = best[i - 1, j], -1
            if j:
                # Match bullet i - 1 to sentence j - 1; a tiny cost prefers earlier sentences.
                with_match = best[i - 1, j] + usable[i - 1, j - 1] - 1e-6 * j
                if with_match > best[i, j]:
                    best[i, j], choice[i, j] = with_match, j - 1
                if best[i, j - 1] > best[i, j]:
                    best[i, j], choice[i, j] = best[i, j - 1], -2  # -2: look further left
    matched: list[int | None] = [None] * n
    i, j = n, m
    while i > 0:
        c = choice[i, j]
        if c == -2:
            j -= 1
            continue
        if c >= 0:
            matched[i - 1] = int(c)
            j = int(c) + 1
        i -= 1
    return matched


def reveal_schedule(
    bullets: Sequence[str],
    sentences: Sequence[TimedSentence],
    fps: float,
    offset: float = 0.0,
    words: Sequence[TimedText] = (),
) -> list[int]:
    """The frame at which each bullet appears: the frame showing the moment the narration
    starts talking about it (``offset`` + that moment, in seconds from the slide's first
    frame). That moment is the start of the first word of its introducing sentence that the
    bullet says, where ``words`` (the narration's word timings, on the sentences' clock) place
    it; else the sentence's start. A bullet that no sentence introduces appears with the bullet
    above it (the first ones from frame 0), so bullets always appear top to bottom."""
    if fps <= 0:
        raise ValueError(f"frame rate must be positive, got {fps}")
    matched = match_bullets(bullets, [s.text for s in sentences])
    spoken = words_by_sentence([s.start for s in sentences], words)
    starts: list[int] = []
    previous = 0
    for bullet, sentence_index in zip(bullets, matched, strict=True):
        frame = previous
        if sentence_index is not None:
            sentence = sentences[sentence_index]
            moment = _first_mention(bullet, sentence.text, spoken[sentence_index])
            seconds = offset + (sentence.start if moment is None else moment)
            frame = max(previous, math.floor(seconds * fps + 1e-6))
        starts.append(frame)
        previous = frame
    return starts


def _first_mention(bullet: str, sentence: str, words: Sequence[TimedText]) -> float | None:
    """When ``sentence`` first says one of ``bullet``'s words: the start of the spoken word
    holding (or, for text no word was found for, following) that place; None when the words'
    timings cannot tell."""
    keys = words_of(bullet)
    where = next((at for at, word in _word_positions(sentence) if word in keys), None)
    if where is None or not words:
        return None
    for placed in locate_words(sentence, words):
        if placed.stop > where:
            return placed.word.start
    return None


# --- pictures ---------------------------------------------------------------------------------


def _fill(picture: np.ndarray, rect: Rect, background: Color | np.ndarray) -> None:
    left, top, right, bottom = rect
    height, width = picture.shape[:2]
    left, right = max(0, left), min(width, right)
    top, bottom = max(0, top), min(height, bottom)
    if right <= left or bottom <= top:
        return
    if isinstance(background, np.ndarray) and background.ndim == 3:
        picture[top:bottom, left:right] = background[top:bottom, left:right]
    else:
        picture[top:bottom, left:right] = np.asarray(background, dtype=np.uint8)


def reveal_states(
    image: np.ndarray,
    regions: Sequence[Rect],
    starts: Sequence[int],
    background: Color | np.ndarray,
) -> list[tuple[int, np.ndarray]]:
    """The distinct pictures of a revealing slide as (first frame, picture), in order.

    ``regions[i]`` is where bullet i is drawn and ``starts[i]`` its first frame; ``background``
    is the slide's background colour, or a picture of the slide without its bullets. Each state
    is a still picture: an export can encode it as a still segment of the frames it lasts.
    """
    if len(regions) != len(starts):
        raise ValueError(f"{len(regions)} bullet regions but {len(starts)} start frames")
    moments = sorted({0, *starts})
    states = []
    for moment in moments:
        picture = image.copy()
        for rect, start in zip(regions, starts, strict=True):
            if start > moment:
                _fill(picture, rect, background)
        states.append((moment, picture))
    return states


def reveal_frames(
    image: np.ndarray,
    regions: Sequence[Rect],
    starts: Sequence[int],
    background: Color | np.ndarray,
) -> Callable[[int], np.ndarray]:
    """Frame ``k`` of the slide with only the bullets whose start frame is <= k showing."""
    states = reveal_states(image, regions, starts, background)
    moments = [moment for moment, _ in states]

    def frame(k: int) -> np.ndarray:
        return states[max(0, bisect.bisect_right(moments, k) - 1)][1]

    return frame


# --- regions from ink -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSearch:
    """Bullet regions found on a picture, or why none could be (``problem``, one sentence)."""

    regions: list[Rect] = field(default_factory=list)
    background: Color = (255, 255, 255)
    problem: str = ""


def paragraph_regions(
    image: np.ndarray,
    box: Rect,
    count: int,
    ink_threshold: int = 48,
) -> RegionSearch:
    """Split the text box ``box`` of a rendered slide into ``count`` paragraph regions, top to
    bottom, from where its ink is: text lines are runs of rows that differ from the box's
    background, and paragraphs are separated by the ``count - 1`` widest gaps between lines.

    Works for LibreOffice pictures, where the renderer cannot report where it drew each bullet.
    Gives a ``problem`` instead when the box's background is not one flat colour, when it holds
    fewer text lines than bullets, or when the paragraph gaps are no wider than line gaps.
    """
    height, width = image.shape[:2]
    left, top = max(0, box[0]), max(0, box[1])
    right, bottom = min(width, box[2]), min(height, box[3])
    if count < 1 or right - left < 4 or bottom - top < 4:
        return RegionSearch(problem="the text box is empty or lies outside the slide")
    area = image[top:bottom, left:right].astype(np.int16)
    border = np.concatenate([area[0], area[-1], area[:, 0], area[:, -1]])
    colors, counts = np.unique(border, axis=0, return_counts=True)
    background = tuple(int(c) for c in colors[np.argmax(counts)])
    distance = np.abs(area - np.array(background, dtype=np.int16)).sum(axis=2)
    ink = distance > ink_threshold
    paper = distance[~ink]
    if paper.size and np.percentile(paper, 99) > ink_threshold / 2:
        return RegionSearch(
            background=background,
            problem="the text sits on a picture or gradient, so hiding a bullet would leave a "
            "visible patch",
        )
    rows = np.flatnonzero(ink.any(axis=1))
    if not rows.size:
        return RegionSearch(background=background, problem="no text was found in the text box")
    breaks = np.flatnonzero(np.diff(rows) > 1)
    line_tops = np.concatenate([[rows[0]], rows[breaks + 1]])
    line_bottoms = np.concatenate([rows[breaks], [rows[-1]]]) + 1
    lines = len(line_tops)
    if lines < count:
        return RegionSearch(
            background=background,
            problem=f"the text box shows {lines} line{'s' * (lines != 1)} of text "
            f"for {count} bullets",
        )
    gaps = line_tops[1:] - line_bottoms[:-1]
    order = np.argsort(-gaps, kind="stable")
    cuts = np.sort(order[: count - 1])
    if lines > count and count > 1:
        widest_line_gap = gaps[order[count - 1]]
        narrowest_paragraph_gap = gaps[order[count - 2]]
        if narrowest_paragraph_gap <= widest_line_gap:
            return RegionSearch(
                background=background,
                problem="the bullets are spaced like the lines within them, so where one "
                "ends cannot be told",
            )
    groups_start = np.concatenate([[0], cuts + 1])
    groups_end = np.concatenate([cuts, [lines - 1]])
    regions = []
    for first, last in zip(groups_start, groups_end, strict=True):
        # Halfway into the gaps around the paragraph, so antialiased edges are covered too.
        upper = line_tops[first] - (gaps[first - 1] // 2 if first > 0 else 2)
        lower = line_bottoms[last] + (gaps[last] // 2 if last < lines - 1 else 2)
        regions.append((left, top + max(0, int(upper)), right, top + int(lower)))
    return RegionSearch(regions=regions, background=background)

"""Word timings from an engine's phoneme timeline: a sentence's words placed on the spans of
speech the voice produced (Piper's phoneme alignments, Open JTalk's phoneme durations)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from .clip import TimedText

# Costs of pairing words with segments, besides the mismatch of their lengths (|log ratio|):
# a word spread over one more segment, and one more word sharing a segment.
_EXTRA_SEGMENT = 0.3
_SHARED_SEGMENT = 0.4

Span = tuple[float, float]


def split_words(sentence: str) -> list[str]:
    """``sentence`` cut at white space, each piece with letters or digits; a piece of
    punctuation alone ("-", "—") stays with the word before it (or the one after it, at the
    start). Joined with spaces, the pieces give the sentence back (spacing aside)."""
    words: list[str] = []
    leading = ""
    for piece in sentence.split():
        if any(char.isalnum() for char in piece):
            words.append(leading + piece)
            leading = ""
        elif words:
            words[-1] = f"{words[-1]} {piece}"
        else:
            leading = f"{leading}{piece} "
    if leading and not words:
        return []
    return words


def align_words(
    words: Sequence[str],
    expected_units: Sequence[float],
    segments: Sequence[Sequence[Span]],
) -> tuple[TimedText, ...]:
    """Times for ``words`` (in spoken order) from the speech the engine produced.

    ``segments`` are the stretches of speech between the voice's own word breaks (Piper's
    phoneme words, Open JTalk's accent phrases), each as the (start, end) seconds of its
    units (phonemes or morae) in order; ``expected_units`` is what each word takes said
    alone. Words and segments are paired by the least total mismatch of their lengths: a
    word may take several segments ("1990" read as "nineteen ninety") and several words may
    share one ("in the" said as one phoneme word), then they split it by their expected
    units. The result is monotonic: each word starts at or after the previous one's end.
    """
    segments = [list(segment) for segment in segments if segment]
    if not words or not segments:
        return ()
    spans = _paired_spans([max(float(u), 0.5) for u in expected_units], segments)
    timed: list[TimedText] = []
    previous_end = -math.inf
    for text, (start, end) in zip(words, spans, strict=True):
        start = max(start, previous_end)
        end = max(end, start)
        timed.append(TimedText(start, end, text))
        previous_end = end
    return tuple(timed)


def _paired_spans(expected: Sequence[float], segments: Sequence[Sequence[Span]]) -> list[Span]:
    """Each word's span from the cheapest monotonic pairing of words with segments."""
    n, count = len(expected), len(segments)
    sizes = [len(segment) for segment in segments]
    size_before = [0, *itertools.accumulate(sizes)]
    expected_before = [0.0, *itertools.accumulate(expected)]
    cost = [[math.inf] * (count + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (count + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(count + 1):
            here = cost[i][j]
            if here == math.inf or (i == n and j == count):
                continue
            if i < n:  # word i takes segments j..j+m-1
                for m in range(1, count - j + 1):
                    units = size_before[j + m] - size_before[j]
                    step = abs(math.log(units / expected[i])) + _EXTRA_SEGMENT * (m - 1)
                    if here + step < cost[i + 1][j + m]:
                        cost[i + 1][j + m] = here + step
                        back[i + 1][j + m] = (i, j)
            if j < count:  # words i..i+k-1 share segment j
                for k in range(2, n - i + 1):
                    share = expected_before[i + k] - expected_before[i]
                    step = abs(math.log(sizes[j] / share)) + _SHARED_SEGMENT * (k - 1)
                    if here + step < cost[i + k][j + 1]:
                        cost[i + k][j + 1] = here + step
                        back[i + k][j + 1] = (i, j)
    if cost[n][count] == math.inf:  # more words than units can share: spread them evenly
        units = [unit for segment in segments for unit in segment]
        return _split(units, [1.0] * n)
    spans: list[Span] = []
    i, j = n, count
    while (i, j) != (0, 0):
        previous = back[i][j]
        assert previous is not None
        pi, pj = previous
        if i - pi == 1:
            spans.append((segments[pj][0][0], segments[j - 1][-1][1]))
        else:
            spans += reversed(_split(segments[pj], expected[pi:i]))
        i, j = pi, pj
    spans.reverse()
    return spans


def _split(units: Sequence[Span], weights: Sequence[float]) -> list[Span]:
    """``units`` shared among words in proportion to ``weights``, in order."""
    total = sum(weights)
    spans: list[Span] = []
    spent = 0.0
    for weight in weights:
        first = spent / total * len(units)
        spent += weight
        stop = spent / total * len(units)
        spans.append((_start_time(units, first), _end_time(units, stop)))
    return spans


def _start_time(units: Sequence[Span], position: float) -> float:
    """The time at which unit position ``position`` begins (fractions fall inside a unit)."""
    index = min(int(math.floor(position)), len(units) - 1)
    start, end = units[index]
    return start + (end - start) * min(1.0, max(0.0, position - index))


def _end_time(units: Sequence[Span], position: float) -> float:
    """The time at which the units up to position ``position`` end."""
    index = max(0, min(int(math.ceil(position)) - 1, len(units) - 1))
    start, end = units[index]
    return start + (end - start) * min(1.0, max(0.0, position - index))

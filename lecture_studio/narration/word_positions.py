"""Where timed words lie in the text they were spoken from, and which sentence each belongs to.

Engines report word timings as ``TimedText`` pieces whose text may differ a little from the
script (punctuation kept or dropped, case, an abbreviation read out in full). Captions and
bullet reveals need each word's place in the sentence's text, so they can cut a caption or
show a bullet at the word's time; these functions find those places and leave out the words
that cannot be found, so a caller falls back to sentence timing where nothing matches.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .clip import TimedText

MAX_SKIPPED_CHARACTERS = 16
"""Most letters and digits of the text a word may be found past its expected place: a word
read differently from its text ("Doctor" for "Dr.") is left out instead of matching far ahead."""


@dataclass(frozen=True)
class PlacedWord:
    """A timed word found at ``text[first:stop]`` of its sentence."""

    first: int
    stop: int
    word: TimedText


def fold_case(text: str) -> str:
    """``text`` lower-cased character by character, keeping its length (positions in the
    result are positions in ``text``; a character whose lower case is longer stays as is)."""
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _candidates(word: str) -> list[str]:
    """The forms a spoken word may take in the text: as given, then without the punctuation
    around it (engines differ on whether "sugar," or "sugar" is the word)."""
    forms = [" ".join(word.split())]
    bare = forms[0]
    while bare and _is_punctuation(bare[0]):
        bare = bare[1:]
    while bare and _is_punctuation(bare[-1]):
        bare = bare[:-1]
    if bare and bare != forms[0]:
        forms.append(bare)
    return [form for form in forms if form]


def locate_words(text: str, words: Sequence[TimedText]) -> list[PlacedWord]:
    """Each of ``words`` (in spoken order) at its place in ``text``, searched case-blind from
    where the previous one ended; words that are not found close ahead are left out."""
    folded = fold_case(text)
    placed: list[PlacedWord] = []
    position = 0
    for word in words:
        for form in _candidates(fold_case(word.text)):
            found = folded.find(form, position)
            if found < 0:
                continue
            skipped = sum(char.isalnum() for char in text[position:found])
            if skipped > MAX_SKIPPED_CHARACTERS:
                continue
            placed.append(PlacedWord(found, found + len(form), word))
            position = found + len(form)
            break
    return placed


def words_by_sentence(
    sentence_starts: Sequence[float], words: Sequence[TimedText]
) -> list[list[TimedText]]:
    """The words of each sentence: a word belongs to the last sentence starting at or before
    its middle (words before the first sentence go to the first). ``sentence_starts`` must be
    in increasing order; each sentence's words come out in spoken order."""
    groups: list[list[TimedText]] = [[] for _ in sentence_starts]
    if not groups:
        return groups
    for word in sorted(words, key=lambda w: (w.start, w.end)):
        middle = (word.start + word.end) / 2
        index = max(0, bisect.bisect_right(sentence_starts, middle + 1e-9) - 1)
        groups[index].append(word)
    return groups

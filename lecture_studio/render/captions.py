"""Caption cues from timed narration sentences (cut on word times where the narration has
them), the SRT / WebVTT files YouTube reads, and an optional word-highlight WebVTT track."""

from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write
from ..narration.clip import TimedText
from ..narration.word_positions import PlacedWord, locate_words, words_by_sentence
from ..text import contains_cjk, glue_kinsoku, has_kana
from ..text.japanese import belongs_to_japanese_run, japanese_phrases

LATIN_LINE_CHARS = 42
"""Most characters on one caption line of Latin-script text."""

CJK_LINE_WIDTH = 20.0
"""Most full-width characters on one line of Japanese/Chinese text (half-width ones count 0.5)."""

MAX_LINES = 2
"""Most lines shown at once."""

MIN_CUE_SECONDS = 0.7
"""Shortest time a cue stays on screen, where the timeline leaves room for it."""

BRIDGE_GAP_SECONDS = 0.5
"""Within a sentence cut on word times, a pause shorter than this between two cues is bridged
(the earlier cue stays until the next one starts), so the captions do not flicker."""

# Japanese punctuation after which a line or cue break reads naturally.
_PHRASE_END = frozenset("、。，．！？!?,.;:：；」』）)")


@dataclass(frozen=True)
class CaptionSource:
    """One narration sentence placed on the lecture timeline (seconds from the video start).

    ``slide_end`` is when the slide the sentence belongs to ends: no cue made from this sentence
    runs past it. ``language`` is a BCP-47-like tag ("en", "ja"...). The text's script decides
    the layout where it is clear (kana are Japanese, even in an English lecture); the tag only
    tells kanji-only text apart from Chinese ("zh"), which breaks between any two characters.
    """

    start: float
    end: float
    text: str
    slide_end: float
    language: str = ""


@dataclass
class Cue:
    """One caption on screen: its time span in seconds (whole milliseconds) and its lines."""

    start: float
    end: float
    lines: list[str]


@dataclass(frozen=True)
class _Token:
    """An unbreakable piece of a line; ``space`` says whether a space separates it from the last."""

    text: str
    space: bool


# ----------------------------------------------------------------------------------------------
# Text analysis


def clean_caption_text(text: str) -> str:
    """One line of text: newlines, tabs and runs of spaces become single spaces, ends trimmed."""
    return " ".join(text.split())


def _display_width(text: str, cjk: bool) -> float:
    """Line width: characters for Latin text; full-width units (half-width = 0.5) for CJK text."""
    if not cjk:
        return float(len(text))
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.5 for c in text)


def _uses_cjk_layout(text: str) -> bool:
    return contains_cjk(text)


def _cjk_pieces(chunk: str, japanese: bool, max_width: float) -> list[str]:
    """Split one space-free chunk of CJK text into the pieces a line may break between:
    Japanese phrases (or their words, for a phrase wider than a line), Chinese characters."""
    pieces: list[str] = []
    index = 0
    while index < len(chunk):
        in_run = belongs_to_japanese_run(chunk[index])
        end = index
        while end < len(chunk) and belongs_to_japanese_run(chunk[end]) == in_run:
            end += 1
        run = chunk[index:end]
        if in_run:
            analysis = japanese_phrases(run) if japanese else None
            if analysis is None:
                pieces.extend(run)
            else:
                phrases, continues_before = analysis
                for number, phrase in enumerate(phrases):
                    text = "".join(phrase)
                    if number == 0 and continues_before and pieces:
                        joined = pieces[-1] + text
                        if _display_width(joined, True) <= max_width:
                            pieces[-1] = joined
                            continue
                    if _display_width(text, True) <= max_width:
                        pieces.append(text)
                    else:
                        pieces.extend(phrase)
        else:
            pieces.append(run)  # a Latin word or a number inside Japanese text stays whole
        index = end
    return glue_kinsoku(pieces)


def _tokens(text: str, cjk: bool, japanese: bool, max_width: float) -> list[_Token]:
    """The unbreakable units of a sentence; a unit wider than a line is cut into line-wide parts."""
    tokens: list[_Token] = []
    for chunk in text.split(" "):
        if not chunk:
            continue
        pieces = (
            _cjk_pieces(chunk, japanese, max_width) if cjk and _uses_cjk_layout(chunk) else [chunk]
        )
        for number, piece in enumerate(pieces):
            space = number == 0 and bool(tokens)
            for part_number, part in enumerate(_hard_split(piece, cjk, max_width)):
                tokens.append(_Token(part, space and part_number == 0))
    return tokens


def _hard_split(piece: str, cjk: bool, max_width: float) -> list[str]:
    """Cut a piece wider than a line into parts that fit (the only break inside a word)."""
    if _display_width(piece, cjk) <= max_width:
        return [piece]
    parts: list[str] = []
    current = ""
    for char in piece:
        if current and _display_width(current + char, cjk) > max_width:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return parts


# ----------------------------------------------------------------------------------------------
# Layout: sentence -> cues of at most MAX_LINES lines


class _Layout:
    """Widths of token spans of one sentence, for choosing line and cue breaks."""

    def __init__(self, tokens: list[_Token], cjk: bool, max_width: float) -> None:
        self.tokens = tokens
        self.cjk = cjk
        self.max_width = max_width
        self._width_sum = [0.0]
        self._space_sum = [0.0]
        for token in tokens:
            self._width_sum.append(self._width_sum[-1] + _display_width(token.text, cjk))
            space = _display_width(" ", cjk) if token.space else 0.0
            self._space_sum.append(self._space_sum[-1] + space)

    def width(self, start: int, stop: int) -> float:
        """Width of tokens[start:stop] laid out on one line."""
        inner_spaces = self._space_sum[stop] - self._space_sum[start + 1]
        return self._width_sum[stop] - self._width_sum[start] + inner_spaces

    def text(self, start: int, stop: int) -> str:
        parts = [self.tokens[start].text]
        parts += [(" " if t.space else "") + t.text for t in self.tokens[start + 1 : stop]]
        return "".join(parts)

    def ends_phrase(self, index: int) -> bool:
        """Whether the token before ``index`` ends with punctuation (a natural break)."""
        return index > 0 and self.tokens[index - 1].text[-1] in _PHRASE_END

    def lines(self, start: int, stop: int) -> list[str] | None:
        """tokens[start:stop] as one line, or as two balanced lines; None if they do not fit."""
        spans = self.line_spans(start, stop)
        return None if spans is None else [self.text(a, b) for a, b in spans]

    def line_spans(self, start: int, stop: int) -> list[tuple[int, int]] | None:
        """The token spans of ``lines(start, stop)``."""
        if self.width(start, stop) <= self.max_width:
            return [(start, stop)]
        if MAX_LINES < 2:
            return None
        best: tuple[float, int] | None = None
        phrase_bonus = 3.0 if not self.cjk else 1.5
        for middle in range(start + 1, stop):
            top, bottom = self.width(start, middle), self.width(middle, stop)
            if top > self.max_width or bottom > self.max_width:
                continue
            cost = abs(top - bottom) - (phrase_bonus if self.ends_phrase(middle) else 0.0)
            if best is None or cost < best[0]:
                best = (cost, middle)
        if best is None:
            return None
        return [(start, best[1]), (best[1], stop)]

    def cue_spans(self) -> list[tuple[int, int]]:
        """Split the sentence into the fewest cues that fit, as even in length as possible."""
        count = len(self.tokens)
        phrase_penalty = (self.max_width / 3) ** 2
        # best[j] = (cues, sum of squared cue widths, previous split) for tokens[:j]
        best: list[tuple[int, float, int] | None] = [None] * (count + 1)
        best[0] = (0, 0.0, 0)
        for stop in range(1, count + 1):
            for start in range(stop - 1, -1, -1):
                span_width = self.width(start, stop)
                if span_width > MAX_LINES * self.max_width + 1:
                    break
                previous = best[start]
                if previous is None or self.lines(start, stop) is None:
                    continue
                # prefer cue breaks after punctuation: worth about a third of a line of balance
                penalty = 0.0 if stop == count or self.ends_phrase(stop) else phrase_penalty
                score = (previous[0] + 1, previous[1] + span_width**2 + penalty)
                current = best[stop]
                if current is None or score < (current[0], current[1]):
                    best[stop] = (score[0], score[1], start)
        spans: list[tuple[int, int]] = []
        stop = count
        while stop > 0:
            entry = best[stop]
            assert entry is not None  # every single token fits a line after _hard_split
            spans.append((entry[2], stop))
            stop = entry[2]
        return spans[::-1]


@dataclass(frozen=True)
class _CueText:
    """One cue of a sentence: its lines, where each line starts in the sentence's text, the
    span ``text[first:stop]`` it shows, and its weight (character count) for sharing time."""

    lines: list[str]
    line_starts: list[int]
    first: int
    stop: int
    weight: float


def _sentence_layout(text: str, language: str) -> list[_CueText]:
    """The cues of one (cleaned) sentence, laid out by the line and CJK rules."""
    cjk = _uses_cjk_layout(text)
    tag = language.lower()
    # kana are Japanese whatever the lecture's language says (a Japanese slide in an English
    # lecture); kanji alone are read as Japanese unless the tag says Chinese
    japanese = has_kana(text) or (cjk and not tag.startswith("zh"))
    max_width = CJK_LINE_WIDTH if cjk else float(LATIN_LINE_CHARS)
    layout = _Layout(_tokens(text, cjk, japanese, max_width), cjk, max_width)
    if not layout.tokens:
        return []
    offsets: list[int] = []  # where each token starts in ``text`` (tokens are its pieces)
    position = 0
    for token in layout.tokens:
        found = text.find(token.text, position)
        position = found if found >= 0 else position
        offsets.append(position)
        position += len(token.text)
    cues: list[_CueText] = []
    for start, stop in layout.cue_spans():
        spans = layout.line_spans(start, stop)
        assert spans is not None
        lines = [layout.text(a, b) for a, b in spans]
        cues.append(
            _CueText(
                lines,
                [offsets[a] for a, _ in spans],
                offsets[start],
                offsets[stop - 1] + len(layout.tokens[stop - 1].text),
                float(sum(len(line.replace(" ", "")) for line in lines)),
            )
        )
    return cues


# ----------------------------------------------------------------------------------------------
# Timing


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def _share_span(span_ms: int, weights: list[float], minimum_ms: int) -> list[int]:
    """Durations that add up to ``span_ms``, in proportion to weights, each at least the minimum
    where the span is long enough to give every part its minimum."""
    count = len(weights)
    if span_ms < minimum_ms * count:
        minimum_ms = 0
    fixed: dict[int, float] = {}
    while True:
        free_span = span_ms - minimum_ms * len(fixed)
        free_weight = sum(w for i, w in enumerate(weights) if i not in fixed) or 1.0
        shares = [
            float(minimum_ms) if i in fixed else free_span * w / free_weight
            for i, w in enumerate(weights)
        ]
        short = [i for i, share in enumerate(shares) if i not in fixed and share < minimum_ms]
        if not short:
            break
        fixed.update(dict.fromkeys(short, float(minimum_ms)))
    durations: list[int] = []
    total = 0.0
    for share in shares:
        previous = round(total)
        total += share
        durations.append(round(total) - previous)
    durations[-1] += span_ms - sum(durations)
    return durations


SentenceTiming = tuple[float, float, str, float]
"""(start, end, text, slide end) in lecture seconds: a CaptionSource without a language."""


def _as_source(sentence: CaptionSource | SentenceTiming, language: str) -> CaptionSource:
    if isinstance(sentence, CaptionSource):
        if sentence.language or not language:
            return sentence
        return CaptionSource(
            sentence.start, sentence.end, sentence.text, sentence.slide_end, language
        )
    start, end, text, slide_end = sentence
    return CaptionSource(float(start), float(end), str(text), float(slide_end), language)


class _WordClock:
    """The moment each character position of a sentence is spoken, from its located words:
    a word's start at its first character, its end after its last, and in between (inside a
    word, or text no word was found for) a straight line between the nearest known moments."""

    def __init__(self, text: str, placed: Sequence[PlacedWord], start: float, end: float):
        self.text = text
        self.starts = {p.first: p.word.start for p in placed}
        self.ends = {p.stop: p.word.end for p in placed}
        anchors = sorted(
            [(p.first, p.word.start) for p in placed] + [(p.stop, p.word.end) for p in placed]
        )
        if not anchors or anchors[0][0] > 0:
            anchors.insert(0, (0, start))
        if anchors[-1][0] < len(text):
            anchors.append((len(text), end))
        self.positions = [position for position, _ in anchors]
        self.times = [time for _, time in anchors]

    def _between(self, position: int) -> float:
        index = max(0, bisect.bisect_right(self.positions, position) - 1)
        if self.positions[index] >= position or index + 1 == len(self.positions):
            return self.times[index]
        left, right = self.positions[index], self.positions[index + 1]
        share = (position - left) / (right - left)
        return self.times[index] + (self.times[index + 1] - self.times[index]) * share

    def _is_gap(self, char: str) -> bool:
        return char.isspace() or unicodedata.category(char).startswith("P")

    def start_at(self, position: int) -> float:
        """When the text from ``position`` starts being spoken (punctuation before a word,
        such as an opening quote, counts as that word)."""
        after = position
        while after < len(self.text) and self._is_gap(self.text[after]):
            after += 1
        for candidate in (position, after):
            if candidate in self.starts:
                return self.starts[candidate]
        return self._between(position)

    def end_at(self, position: int) -> float:
        """When the text up to ``position`` has been spoken (punctuation after a word counts
        as that word)."""
        before = position
        while before > 0 and self._is_gap(self.text[before - 1]):
            before -= 1
        for candidate in (position, before):
            if candidate in self.ends:
                return self.ends[candidate]
        return self._between(position)


def _word_spans(
    cue_texts: Sequence[_CueText], clock: _WordClock, start_ms: int, end_ms: int
) -> list[tuple[int, int]] | None:
    """Each cue's (start, end) in ms: from its first word's start to its last word's end,
    inside the sentence's span, a short pause before the next cue bridged. None when the
    words do not give every cue a positive time in order (then the caller shares the time)."""

    def clamp(seconds: float) -> int:
        return min(max(_ms(seconds), start_ms), end_ms)

    starts = [clamp(clock.start_at(cue.first)) for cue in cue_texts]
    ends = [clamp(clock.end_at(cue.stop)) for cue in cue_texts]
    bridge_ms = _ms(BRIDGE_GAP_SECONDS)
    spans: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if index + 1 < len(starts) and starts[index + 1] - end < bridge_ms:
            end = starts[index + 1]
        if end <= start or (spans and start < spans[-1][1]):
            return None
        spans.append((start, end))
    return spans


WordTiming = tuple[float, float, str, float]
"""(start, end, word, slide end) in lecture seconds, as ``render.plan.word_times`` gives them."""


def _words_per_source(
    sources: Sequence[CaptionSource], words: Iterable[WordTiming]
) -> list[list[TimedText]]:
    """The words spoken in each sentence: words go to the sentences of their own slide (the
    same slide end), each to the last one starting before its middle."""
    per_source: list[list[TimedText]] = [[] for _ in sources]
    by_slide: dict[float, list[TimedText]] = {}
    for start, end, text, slide_end in words:
        by_slide.setdefault(float(slide_end), []).append(
            TimedText(float(start), float(end), str(text))
        )
    if not by_slide:
        return per_source
    indices: dict[float, list[int]] = {}
    for index, source in enumerate(sources):
        indices.setdefault(source.slide_end, []).append(index)
    for slide_end, slide_words in by_slide.items():
        members = indices.get(slide_end, [])
        groups = words_by_sentence([sources[i].start for i in members], slide_words)
        for index, group in zip(members, groups, strict=True):
            per_source[index] = group
    return per_source


Mark = tuple[int, int, int]
"""(line index, first character, character after the last) of a word on a cue's lines."""


@dataclass
class _PlacedCue:
    """A cue in whole milliseconds, with the words it shows: (word start, marks of the word)."""

    start: int
    end: int
    lines: list[str]
    words: list[tuple[int, tuple[Mark, ...]]]


def _marks(cue: _CueText, word: PlacedWord) -> tuple[Mark, ...]:
    marks = []
    for line_index, (line, line_start) in enumerate(zip(cue.lines, cue.line_starts, strict=True)):
        first = max(word.first, line_start) - line_start
        stop = min(word.stop, line_start + len(line)) - line_start
        if first < stop:
            marks.append((line_index, first, stop))
    return tuple(marks)


def _placed_cues(
    sentences: Iterable[CaptionSource | SentenceTiming],
    language: str,
    words: Iterable[WordTiming],
) -> list[_PlacedCue]:
    sources = [_as_source(sentence, language) for sentence in sentences]
    ordered = sorted(sources, key=lambda source: (source.start, source.end))
    spoken = _words_per_source(ordered, words)
    minimum_ms = _ms(MIN_CUE_SECONDS)
    timed: list[tuple[_PlacedCue, int]] = []  # each cue with its slide's end (ms)
    last_end = 0
    for source, its_words in zip(ordered, spoken, strict=True):
        text = clean_caption_text(source.text)
        slide_end = _ms(source.slide_end)
        start = max(_ms(source.start), last_end, 0)
        end = min(_ms(source.end), slide_end)
        if not text or end <= start:
            continue
        cue_texts = _sentence_layout(text, source.language)
        if not cue_texts:
            continue
        placed = locate_words(text, its_words)
        spans = None
        if placed:
            clock = _WordClock(text, placed, start / 1000, end / 1000)
            spans = _word_spans(cue_texts, clock, start, end)
        if spans is None:
            spans = []
            position = start
            weights = [cue.weight for cue in cue_texts]
            for duration in _share_span(end - start, weights, minimum_ms):
                spans.append((position, position + duration))
                position += duration
        for cue, (cue_start, cue_end) in zip(cue_texts, spans, strict=True):
            if cue_end <= cue_start:
                continue
            shown = [
                (_ms(word.word.start), _marks(cue, word))
                for word in placed
                if word.first < cue.stop and word.stop > cue.first
            ]
            timed.append((_PlacedCue(cue_start, cue_end, cue.lines, shown), slide_end))
        last_end = end
    for index, (cue, slide_end) in enumerate(timed):
        if cue.end - cue.start < minimum_ms:
            next_start = timed[index + 1][0].start if index + 1 < len(timed) else slide_end
            cue.end = max(cue.end, min(cue.start + minimum_ms, next_start, slide_end))
    return [cue for cue, _ in timed]


def build_cues(
    sentences: Iterable[CaptionSource | SentenceTiming],
    language: str = "",
    words: Iterable[WordTiming] = (),
) -> list[Cue]:
    """Caption cues for narration sentences placed on the lecture timeline.

    ``sentences`` are CaptionSource objects or (start, end, text, slide end) tuples;
    ``language`` applies to tuples and to sources without a language of their own.
    ``words`` are the narration's timed words (``render.plan.word_times``), where known.

    Each sentence gives one cue, or several when it needs more than ``MAX_LINES`` lines. Lines
    hold at most ``LATIN_LINE_CHARS`` characters of Latin text (broken at spaces, two lines
    balanced) or about ``CJK_LINE_WIDTH`` characters of Japanese (broken between phrases found
    with Open JTalk's word analysis, with kinsoku rules). Where the sentence's words are known,
    each cue runs from its first word's start to its last word's end (a pause shorter than
    ``BRIDGE_GAP_SECONDS`` before the next cue is bridged); otherwise the sentence's time is
    shared between its cues in proportion to their characters. A cue never runs past its
    slide's end, cues never overlap, and a cue shorter than ``MIN_CUE_SECONDS`` is lengthened
    into the following silence when there is some.
    Times are whole milliseconds, so files written from the cues read back identical.
    """
    return [
        Cue(cue.start / 1000, cue.end / 1000, cue.lines)
        for cue in _placed_cues(sentences, language, words)
    ]


@dataclass
class WordCue:
    """One cue of the word-highlight track: the caption's lines, with the word being spoken
    at ``marks`` (empty when no word is being spoken, or its words are not known)."""

    start: float
    end: float
    lines: list[str]
    marks: tuple[Mark, ...] = ()


def build_word_cues(
    sentences: Iterable[CaptionSource | SentenceTiming],
    language: str = "",
    words: Iterable[WordTiming] = (),
) -> list[WordCue]:
    """The word-highlight track: every caption cue of ``build_cues`` shown word by word, one
    cue per word from that word's start to the next word's start (the last to the caption's
    end), each showing the whole caption with the word being spoken marked. A caption whose
    words are not known, and the part of a caption before its first known word, is shown
    unmarked. Returns [] when no word of the narration is known."""
    words = list(words)
    if not words:
        return []
    out: list[WordCue] = []
    for cue in _placed_cues(sentences, language, words):
        steps: list[tuple[int, tuple[Mark, ...]]] = []
        for start, marks in sorted(cue.words, key=lambda word: word[0]):
            start = max(start, cue.start)
            if start >= cue.end or not marks:
                continue
            if steps and steps[-1][0] == start:
                steps[-1] = (start, marks)  # two words at the same moment: the later one shows
            else:
                steps.append((start, marks))
        if not steps or steps[0][0] > cue.start:
            steps.insert(0, (cue.start, ()))
        bounds = [start for start, _ in steps[1:]] + [cue.end]
        for (start, marks), end in zip(steps, bounds, strict=True):
            out.append(WordCue(start / 1000, end / 1000, cue.lines, marks))
    return out


# ----------------------------------------------------------------------------------------------
# Files


def write_text_atomic(path: str | os.PathLike[str], text: str, what: str) -> Path:
    """Write UTF-8 text (no BOM) through a temporary file in the same folder, then rename.

    ``what`` names the file for the error message ("captions file"). A failure leaves no
    partial file at ``path`` and raises ExportError.
    """
    destination = Path(path)
    try:
        atomic_write(destination, text.encode("utf-8"))
    except OSError as exc:
        raise ExportError(
            f"Could not write the {what} {destination} ({exc.strerror or exc}); "
            "check the free disk space and that the folder is writable."
        ) from exc
    return destination


def _timestamp(seconds: float, separator: str) -> str:
    total_ms = _ms(seconds)
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{separator}{millis:03d}"


def format_srt(cues: Sequence[Cue]) -> str:
    """SubRip text: numbered blocks, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, blank line between."""
    blocks = [
        f"{number}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n"
        + "\n".join(cue.lines)
        for number, cue in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _escape_vtt(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text: the ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues."""
    blocks = ["WEBVTT"]
    blocks += [
        f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n"
        + "\n".join(_escape_vtt(line) for line in cue.lines)
        for cue in cues
    ]
    return "\n\n".join(blocks) + "\n"


def _marked_line(line: str, marks: Sequence[tuple[int, int]]) -> str:
    out, position = [], 0
    for first, stop in sorted(marks):
        out.append(_escape_vtt(line[position:first]))
        out.append(f"<c.current><u>{_escape_vtt(line[first:stop])}</u></c>")
        position = stop
    out.append(_escape_vtt(line[position:]))
    return "".join(out)


def format_word_vtt(cues: Sequence[WordCue]) -> str:
    """WebVTT text of the word-highlight track: each cue's lines with the word being spoken
    in ``<c.current><u>...</u></c>``.

    One cue per word, rather than one cue per caption with inline ``<00:00:01.200>`` timestamp
    tags: timestamp tags only show when the player's style sheet colours ``::cue(:past)`` /
    ``::cue(:future)``, which a plain ``<track>`` in a browser does not and Firefox cannot.
    Underline (``<u>``) is drawn by browsers' own WebVTT rendering and keeps the line's width,
    so the caption does not shift as the mark moves; the ``current`` class lets a page style
    the mark (``::cue(.current) { color: yellow }``).
    """
    blocks = ["WEBVTT"]
    for cue in cues:
        lines = []
        for index, line in enumerate(cue.lines):
            marks = [(first, stop) for at, first, stop in cue.marks if at == index]
            lines.append(_marked_line(line, marks))
        blocks.append(
            f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n" + "\n".join(lines)
        )
    return "\n\n".join(blocks) + "\n"


def write_word_vtt(cues: Sequence[WordCue], path: str | os.PathLike[str]) -> Path:
    """Write the word-highlight track as a WebVTT file (UTF-8, no BOM), atomically."""
    return write_text_atomic(path, format_word_vtt(cues), "word captions file")


def write_srt(cues: Sequence[Cue], path: str | os.PathLike[str]) -> Path:
    """Write the cues as an SRT file (UTF-8, no BOM), atomically; returns the path."""
    return write_text_atomic(path, format_srt(cues), "captions file")


def write_vtt(cues: Sequence[Cue], path: str | os.PathLike[str]) -> Path:
    """Write the cues as a WebVTT file (UTF-8, no BOM), atomically; returns the path."""
    return write_text_atomic(path, format_vtt(cues), "captions file")


_TIMING = re.compile(
    r"^(\d+):(\d{2}):(\d{2})[,.](\d{3})\s*-->\s*(\d+):(\d{2}):(\d{2})[,.](\d{3})(?:\s.*)?$"
)


def _parse_blocks(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        for index, line in enumerate(lines):
            match = _TIMING.match(line.strip())
            if match:
                h1, m1, s1, f1, h2, m2, s2, f2 = (int(group) for group in match.groups())
                start = (h1 * 3600 + m1 * 60 + s1) * 1000 + f1
                end = (h2 * 3600 + m2 * 60 + s2) * 1000 + f2
                cues.append(Cue(start / 1000, end / 1000, lines[index + 1 :]))
                break
    return cues


def parse_srt(text: str) -> list[Cue]:
    """The cues of SRT text (for checks and round trips)."""
    return _parse_blocks(text.lstrip("\ufeff"))


def parse_vtt(text: str) -> list[Cue]:
    """The cues of WebVTT text, entities decoded; raises ValueError without a WEBVTT header."""
    text = text.lstrip("\ufeff")
    if not text.startswith("WEBVTT"):
        raise ValueError("WebVTT text must start with 'WEBVTT'.")
    cues = _parse_blocks(text)
    for cue in cues:
        cue.lines = [
            line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            for line in cue.lines
        ]
    return cues

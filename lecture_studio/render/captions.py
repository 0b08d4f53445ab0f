"""Caption cues from timed narration sentences, and the SRT / WebVTT files YouTube reads."""

from __future__ import annotations

import contextlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write

LATIN_LINE_CHARS = 42
"""Most characters on one caption line of Latin-script text."""

CJK_LINE_WIDTH = 20.0
"""Most full-width characters on one line of Japanese/Chinese text (half-width ones count 0.5)."""

MAX_LINES = 2
"""Most lines shown at once."""

MIN_CUE_SECONDS = 0.7
"""Shortest time a cue stays on screen, where the timeline leaves room for it."""

# Japanese line-breaking rules (kinsoku shori): characters that may not start a line, and
# characters that may not end one.
_NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!゛゜ヽヾゝゞ々〻ー‐–—〜～…‥％%"
    "’”）〕］｝〉》」』】〙〗〟｠»)]}"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
_NO_LINE_END = frozenset("（〔［｛〈《「『【〘〖〝｟«‘“([{")
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


def _is_cjk_char(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x2FFFF
    )


def _is_fullwidth_alnum(char: str) -> bool:
    code = ord(char)
    return 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A


def _belongs_to_japanese_run(char: str) -> bool:
    """Kana, kanji and full-width punctuation: the text Open JTalk segments without rewriting.

    Digits and Latin letters stay outside (Open JTalk rewrites "123" as 百二十三).
    """
    if _is_cjk_char(char):
        return True
    code = ord(char)
    if _is_fullwidth_alnum(char):
        return False
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or char in "・ー…‥"


def _display_width(text: str, cjk: bool) -> float:
    """Line width: characters for Latin text; full-width units (half-width = 0.5) for CJK text."""
    if not cjk:
        return float(len(text))
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.5 for c in text)


def _uses_cjk_layout(text: str) -> bool:
    return any(_is_cjk_char(c) for c in text)


def _continues_phrase(entry: dict) -> bool:
    """Whether an Open JTalk word belongs to the phrase (bunsetsu) before it: particles,
    auxiliary verbs, suffixes and dependent words, or what Open JTalk chains in one accent
    phrase (the する of 分解する, the られ of つくられる)."""
    return (
        entry.get("chain_flag") == 1
        or entry.get("pos") in ("助詞", "助動詞")
        or entry.get("pos_group1") in ("接尾", "非自立")
    )


def _japanese_phrases(run: str) -> tuple[list[list[str]], bool] | None:
    """A run of Japanese text as phrases of words (Open JTalk's analysis), and whether its
    first phrase continues the text before the run (a particle after a Latin word, as in
    ATPが); None when the words do not line up with the text."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints an ONNX notice on import
            import pyopenjtalk
    except ImportError:
        return None
    phrases: list[list[str]] = []
    position = 0
    continues_before = False
    for entry in pyopenjtalk.run_frontend(run):
        surface = entry.get("string", "")
        if not surface:
            continue
        word = run[position : position + len(surface)]
        if unicodedata.normalize("NFKC", word) != unicodedata.normalize("NFKC", surface):
            return None
        if phrases and _continues_phrase(entry):
            phrases[-1].append(word)
        else:
            continues_before = continues_before or (not phrases and _continues_phrase(entry))
            phrases.append([word])
        position += len(word)
    return (phrases, continues_before) if position == len(run) else None


def _glue_kinsoku(pieces: list[str]) -> list[str]:
    """Join pieces so that no piece starts with a no-start character or ends with a no-end one."""
    glued: list[str] = []
    attach_next = False
    for piece in pieces:
        if glued and (attach_next or piece[0] in _NO_LINE_START):
            glued[-1] += piece
        else:
            glued.append(piece)
        attach_next = glued[-1][-1] in _NO_LINE_END
    return glued


def _cjk_pieces(chunk: str, japanese: bool, max_width: float) -> list[str]:
    """Split one space-free chunk of CJK text into the pieces a line may break between:
    Japanese phrases (or their words, for a phrase wider than a line), Chinese characters."""
    pieces: list[str] = []
    index = 0
    while index < len(chunk):
        in_run = _belongs_to_japanese_run(chunk[index])
        end = index
        while end < len(chunk) and _belongs_to_japanese_run(chunk[end]) == in_run:
            end += 1
        run = chunk[index:end]
        if in_run:
            analysis = _japanese_phrases(run) if japanese else None
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
    return _glue_kinsoku(pieces)


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
        if self.width(start, stop) <= self.max_width:
            return [self.text(start, stop)]
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
        return [self.text(start, best[1]), self.text(best[1], stop)]

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


def _sentence_layout(text: str, language: str) -> tuple[list[list[str]], list[float]]:
    """The cues' lines for one sentence and each cue's weight (its character count)."""
    cjk = _uses_cjk_layout(text)
    tag = language.lower()
    # kana are Japanese whatever the lecture's language says (a Japanese slide in an English
    # lecture); kanji alone are read as Japanese unless the tag says Chinese
    has_kana = any(0x3040 <= ord(c) <= 0x30FF or 0x31F0 <= ord(c) <= 0x31FF for c in text)
    japanese = has_kana or (cjk and not tag.startswith("zh"))
    max_width = CJK_LINE_WIDTH if cjk else float(LATIN_LINE_CHARS)
    layout = _Layout(_tokens(text, cjk, japanese, max_width), cjk, max_width)
    if not layout.tokens:
        return [], []
    cues_lines: list[list[str]] = []
    weights: list[float] = []
    for start, stop in layout.cue_spans():
        lines = layout.lines(start, stop)
        assert lines is not None
        cues_lines.append(lines)
        weights.append(float(sum(len(line.replace(" ", "")) for line in lines)))
    return cues_lines, weights


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


def build_cues(
    sentences: Iterable[CaptionSource | SentenceTiming], language: str = ""
) -> list[Cue]:
    """Caption cues for narration sentences placed on the lecture timeline.

    ``sentences`` are CaptionSource objects or (start, end, text, slide end) tuples;
    ``language`` applies to tuples and to sources without a language of their own.

    Each sentence gives one cue, or several when it needs more than ``MAX_LINES`` lines; its
    time is shared between them in proportion to their characters. Lines hold at most
    ``LATIN_LINE_CHARS`` characters of Latin text (broken at spaces, two lines balanced) or
    about ``CJK_LINE_WIDTH`` characters of Japanese (broken between phrases found with Open
    JTalk's word analysis, with kinsoku rules). A cue never runs past its slide's end, cues
    never overlap, and a cue shorter than ``MIN_CUE_SECONDS`` is lengthened into the following
    silence when there is some.
    Times are whole milliseconds, so files written from the cues read back identical.
    """
    sources = [_as_source(sentence, language) for sentence in sentences]
    ordered = sorted(sources, key=lambda source: (source.start, source.end))
    minimum_ms = _ms(MIN_CUE_SECONDS)
    timed: list[tuple[int, int, int, list[str]]] = []  # start, end, slide end (ms), lines
    last_end = 0
    for source in ordered:
        text = clean_caption_text(source.text)
        slide_end = _ms(source.slide_end)
        start = max(_ms(source.start), last_end, 0)
        end = min(_ms(source.end), slide_end)
        if not text or end <= start:
            continue
        cues_lines, weights = _sentence_layout(text, source.language)
        if not cues_lines:
            continue
        position = start
        for lines, duration in zip(
            cues_lines, _share_span(end - start, weights, minimum_ms), strict=True
        ):
            if duration > 0:
                timed.append((position, position + duration, slide_end, lines))
            position += duration
        last_end = end
    cues: list[Cue] = []
    for index, (start, end, slide_end, lines) in enumerate(timed):
        if end - start < minimum_ms:
            next_start = timed[index + 1][0] if index + 1 < len(timed) else slide_end
            end = max(end, min(start + minimum_ms, next_start, slide_end))
        cues.append(Cue(start / 1000, end / 1000, lines))
    return cues


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

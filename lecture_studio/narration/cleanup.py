"""Turning a slide script into what a voice should say, and cutting it into sentences."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..text import has_kana, is_cjk
from ..text.markdown import IMAGE, LINK, strip_emphasis

# Glyphs that mark list items; they are dropped wherever they stand.
_BULLET_GLYPHS = "•▪◦‣●○■□▫►▶➢➤✓✔"
# Markers that are only bullets at the start of a line ("-" and "*" are words' hyphens and
# emphasis elsewhere, "・" is the Japanese middle dot inside a line).
_LINE_START_BULLET = re.compile(
    rf"^\s*(?:[{_BULLET_GLYPHS}・\-–—*+>]+|\(?\d{{1,3}}[.)]|\(\d{{1,3}}\)|[a-zA-Z]\))\s+"
    rf"|^\s*[{_BULLET_GLYPHS}・]+"
)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_WIKI_TAG = re.compile(r"\[\[.*?\]\]|\{\{.*?\}\}", re.DOTALL)
# <speaker:speed=2>, <video:x.mkv>, <pause>, </b>, <br/>, <a href="...">: letters right after "<".
_ANGLE_TAG = re.compile(
    r"</?[A-Za-z][\w.-]*"
    r"(?::[^<>]*|(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*\s*/?)>"
)
# URLs stop before trailing sentence punctuation so that "see https://x.org." keeps its period.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*?(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)
_CODE_FENCE = re.compile(r"```+|~~~+")
_BACKTICKS = re.compile(r"`+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?。、！？)\]）])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|（\s*）")
_REPEATED_PUNCT = re.compile(r"([,;:、])(?:\s*[,;:、])+")

# A build step's cue in speaker notes: "[click]", and in Japanese notes "[クリック]", in
# half- or full-width brackets (also 【】); never spoken, never captioned.
CLICK_MARKER = re.compile(r"[\[［【]\s*(?:click|クリック)\s*[\]］】]", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u2028\u2029\x85]")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TERMINAL = ".!?。！？…:;"


def _is_japanese(char: str) -> bool:
    """Whether ``char`` is kana, a kanji or Japanese punctuation (no spaces between those)."""
    return is_cjk(char) or char in "。、！？「」『』（）・ー"


def speakable_text(script: str) -> str:
    """What a voice should read from ``script``: no bullets, URLs, tags or Markdown marks.

    Build cues (``[click]``, ``CLICK_MARKER``) are taken out. Keeps sentence punctuation; a line
    that ends without it (a bullet item, a title) gets a
    full stop so that the voice pauses there, unless the next line carries the sentence on
    (it starts with a lower-case letter). Whitespace is collapsed to single spaces.
    """
    # python-pptx gives a soft line break (a:br) as a vertical tab.
    text = _LINE_BREAKS.sub("\n", html.unescape(script))
    text = CLICK_MARKER.sub(" ", text)
    text = _CONTROL_CHARACTERS.sub(" ", text)
    text = _WIKI_TAG.sub(" ", text)
    text = _ANGLE_TAG.sub(" ", text)
    text = IMAGE.sub(" ", text)
    text = LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _CODE_FENCE.sub(" ", text)
    text = _BACKTICKS.sub("", text)

    lines: list[str] = []
    starts_item: list[bool] = []
    headings: list[bool] = []
    for raw in text.split("\n"):
        line = _HEADING.sub("", raw)
        heading = line != raw
        unbulleted = _LINE_START_BULLET.sub("", line)
        item = heading or unbulleted != line
        line = unbulleted
        line = re.sub(rf"[{_BULLET_GLYPHS}]", " ", line)
        line = strip_emphasis(line)
        line = " ".join(line.split())
        if line and any(ch.isalnum() for ch in line):
            lines.append(line)
            starts_item.append(item)
            headings.append(heading)

    spoken: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        carries_on = following[:1].islower() and not starts_item[index + 1] and not headings[index]
        if line[-1] not in _TERMINAL and not carries_on:
            line += "。" if _is_japanese(line[-1]) else "."
        spoken.append(line)

    joined = ""
    for line in spoken:
        if joined and not (_is_japanese(joined[-1]) and _is_japanese(line[0])):
            joined += " "
        joined += line
    joined = _EMPTY_BRACKETS.sub("", joined)
    joined = _SPACE_BEFORE_PUNCT.sub(r"\1", joined)
    joined = _REPEATED_PUNCT.sub(r"\1", joined)
    return " ".join(joined.split())


# Words that end in a full stop without ending the sentence (compared in lower case).
_ABBREVIATIONS = frozenset(
    """
    e.g i.e vs cf al approx ca dr mr mrs ms prof sr jr st mt fig figs eq eqs
    vol pp p eds dept univ inc ltd corp jan feb mar apr jun jul aug sep sept
    oct nov dec a.m p.m u.s u.k ph.d
    """.split()
)
_LATIN_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_CJK_END = re.compile(r"[。！？!?]+[」』）)\"”’]*|\n+")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``text[stop]`` belongs to an abbreviation or an initial."""
    start = stop
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"'“‘[":
        start -= 1
    word = text[start:stop]
    if word.lower() in _ABBREVIATIONS:
        return True
    # A single capital ("J. Smith") is an initial, not the end of a sentence.
    return len(word) == 1 and word.isupper()


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Cut ``text`` into sentences, each stripped, none empty.

    Latin scripts end a sentence at ``.``, ``!`` or ``?`` followed by a space or the end, but
    not after abbreviations such as "e.g.", "Dr." or an initial; a blank line also ends one.
    Japanese (``language`` "ja…", or text with kana) ends them at 。！？!? and at every line break.
    """
    japanese = (language or "").lower().startswith("ja") or has_kana(text)
    sentences: list[str] = []
    text = _LINE_BREAKS.sub("\n", text)
    for paragraph in re.split(r"\n\s*\n", text):
        if japanese:
            start = 0
            for match in _CJK_END.finditer(paragraph):
                sentences.extend(_split_latin(paragraph[start : match.end()]))
                start = match.end()
            sentences.extend(_split_latin(paragraph[start:]))
        else:
            sentences.extend(_split_latin(paragraph))
    return sentences


def _split_latin(text: str) -> list[str]:
    """Latin-script sentence splitting of one paragraph (see ``split_sentences``)."""
    pieces: list[str] = []
    start = 0
    for match in _LATIN_END.finditer(text):
        if (
            text[match.start()] == "."
            and match.group().rstrip("\"'”’)]") == "."
            and (_is_abbreviation(text, match.start()))
        ):
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [" ".join(p.split()) for p in pieces if p.strip()]


@dataclass(frozen=True)
class ClickMark:
    """Where a ``[click]`` cue stands in the spoken sentences of a script: before sentence
    ``sentence`` (``len(sentences)``: after the last one), ``offset`` characters into it (0:
    at its start)."""

    sentence: int
    offset: int = 0


def spoken_sentences(text: str, language: str | None = None) -> list[str]:
    """The sentences a voice speaks of ``text`` (``speakable_text`` cut by ``split_sentences``,
    those without a letter or digit left out, as the engines do), in order."""
    return [s for s in split_sentences(speakable_text(text), language) if _has_word(s)]


def _has_word(sentence: str) -> bool:
    return any(c.isalnum() for c in sentence)


def click_marks(script: str, language: str | None = None) -> list[ClickMark]:
    """Where each build cue of ``script`` falls among its spoken sentences, in order: at the
    start of the sentence after it, or inside the sentence it interrupts."""
    full = spoken_sentences(script, language)
    marks = []
    for match in CLICK_MARKER.finditer(script):
        before = spoken_sentences(script[: match.start()], language)
        count = len(before)
        if not count or before == full[:count]:
            marks.append(ClickMark(min(count, len(full))))
            continue
        # The cue interrupts sentence count - 1: what precedes it is that sentence's start,
        # less the full stop ``speakable_text`` gave the cut line.
        said = before[-1].rstrip(_TERMINAL)
        marks.append(ClickMark(count - 1, min(len(said), len(full[count - 1]))))
    return marks

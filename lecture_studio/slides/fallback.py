"""Per-character font fallback for the built-in renderer, in fontconfig's own order.

No one face has every character a lecture uses: Noto Sans CJK has no subscript digits (the
"₂" of CO₂), DejaVu Sans no kanji, neither has colour emoji. As Pango and Qt do, each character
is drawn in the first face of fontconfig's sorted list for the slide's face (``fc-match -s``)
whose charset has it; fontconfig builds a charset from the font's cmap, so a face chosen here
never draws its missing-glyph box. Emoji prefer fontconfig's ``emoji`` family, so they come out
in colour where a colour emoji font is installed.

fontconfig is asked once per face (one ``fc-match -s``, about 20 ms) and every character's face
is remembered, so measuring and drawing cost a dictionary look-up per character. Without
fontconfig (or with Pillow's own font) every character is drawn in the slide's face, as before.
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .fonts import FontFace, load_font

# Files Pillow's FreeType loader draws well; fontconfig also lists Type 1 and bitmap fonts.
_OUTLINE_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# A colour bitmap font (Noto Color Emoji) has one strike: it loads at that size only and is
# scaled to the text's size.
_BITMAP_STRIKES = (109, 136, 128, 96, 72, 64, 48, 32)
# fontconfig pattern syntax: these characters in a family name must be escaped.
_PATTERN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\-:,="})
_FC_TIMEOUT_S = 15


@dataclass(frozen=True)
class _CoveredFace:
    """A face and the characters it has (fontconfig's charset, as sorted inclusive ranges)."""

    face: FontFace
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def has(self, code: int) -> bool:
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


class FaceChain:
    """The faces that draw text set in ``base``: each character goes to the first that has it.

    ``known`` is False when fontconfig could not say which characters any face has: then every
    character is drawn in ``base`` and none is reported missing.
    """

    def __init__(
        self,
        base: FontFace,
        faces: Iterable[_CoveredFace] = (),
        emoji: Iterable[_CoveredFace] = (),
    ) -> None:
        self.base = base
        self.faces = tuple(faces)
        self.emoji = tuple(emoji)
        self.known = bool(self.faces)
        self._chosen: dict[str, FontFace | None] = {}
        # Characters drawn in the base face that do not ride along: text made of these alone
        # is one run (most text; measuring it is then one set look-up per character, in C).
        self._plain: set[str] = set()

    def face_for(self, char: str) -> FontFace | None:
        """The face that draws ``char``, or None when no installed face has it."""
        try:
            return self._chosen[char]
        except KeyError:
            pass
        code = ord(char)
        chosen: FontFace | None = self.base if not self.known else None
        if self.known:
            order = (*self.emoji, *self.faces) if _prefers_emoji(code) else self.faces
            chosen = next((c.face for c in order if c.has(code)), None)
        self._chosen[char] = chosen
        return chosen

    def missing(self, text: str) -> set[str]:
        """The characters of ``text`` that no installed face draws (they show as boxes)."""
        return {
            c
            for c in set(text)
            if not c.isspace() and not _rides_along(c) and self.face_for(c) is None
        }

    def runs(self, text: str) -> list[tuple[FontFace, str]]:
        """``text`` cut into runs drawn in one face each. Combining marks and format
        characters (variation selectors, joiners) stay in the run of the character before
        them; a character no face has is drawn in the base face (its box is reported by
        ``missing``)."""
        if text and self._plain.issuperset(text):
            return [(self.base, text)]
        runs: list[tuple[FontFace, str]] = []
        current: FontFace | None = None
        start = 0
        for i, char in enumerate(text):
            if _rides_along(char) and current is not None:
                continue
            face = self.face_for(char) or self.base
            if face != current:
                if current is not None:
                    runs.append((current, text[start:i]))
                current, start = face, i
        if current is not None:
            runs.append((current, text[start:]))
        self._plain.update(
            c
            for c in set(text)
            if not _rides_along(c) and (self.face_for(c) or self.base) == self.base
        )
        return runs


class FallbackFont:
    """A face at one pixel size that measures and draws text through its ``FaceChain``."""

    def __init__(self, chain: FaceChain, size: int) -> None:
        self.chain = chain
        self.size = max(1, int(size))
        self.base = load_font(chain.base, self.size)

    def getlength(self, text: str) -> float:
        """The advance width of ``text`` in pixels, each run measured in its own face."""
        total = 0.0
        for face, run in self.chain.runs(text):
            font, scale = _sized_font(face, self.size)
            total += font.getlength(run) * scale
        return total

    def draw(
        self,
        image: Image.Image,
        xy: tuple[float, float],
        text: str,
        fill: tuple[int, ...] | str,
    ) -> None:
        """Draws ``text`` on ``image`` with its left end at ``xy`` on the baseline."""
        x, baseline = xy
        draw = ImageDraw.Draw(image)
        for face, run in self.chain.runs(text):
            font, scale = _sized_font(face, self.size)
            if scale == 1.0:
                draw.text(
                    (x, baseline), run, font=font, fill=fill, anchor="ls", embedded_color=True
                )
            else:
                _draw_scaled(image, font, scale, (x, baseline), run, fill)
            x += font.getlength(run) * scale


@functools.lru_cache(maxsize=64)
def face_chain(base: FontFace) -> FaceChain:
    """The fallback faces for ``base``, in fontconfig's order (cached per face)."""
    if base.path is None or shutil.which("fc-match") is None:
        return FaceChain(base)
    try:
        family, style = ImageFont.truetype(base.path, 12, index=base.index).getname()
    except OSError:
        return FaceChain(base)
    pattern = f"{(family or '').translate(_PATTERN_SPECIALS)}:style={style or 'Regular'}"
    faces = _sorted_faces(pattern)
    own = next((f for f in faces if _same_file(f.face, base)), None)
    if own is None:
        own = _queried_face(base)
        if own is None:
            return FaceChain(base)
    rest = [f for f in faces if not _same_file(f.face, base)]
    emoji = _sorted_faces("emoji", colour_only=True)
    base_entry = _CoveredFace(base, own.starts, own.ends)
    return FaceChain(base, [base_entry, *rest], emoji[:1])


@functools.lru_cache(maxsize=512)
def fallback_font(base: FontFace, size: int) -> FallbackFont:
    """``base`` at ``size`` pixels with per-character fallback (cached: layout asks again)."""
    return FallbackFont(face_chain(base), size)


def describe_characters(chars: Iterable[str], limit: int = 8) -> str:
    """``"₂" (U+2082), "🍎" (U+1F34E)``: characters named so a teacher can find them."""
    ordered = sorted(set(chars))
    named = [f'"{c}" (U+{ord(c):04X})' for c in ordered[:limit]]
    more = len(ordered) - limit
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _prefers_emoji(code: int) -> bool:
    """Pictographs drawn as emoji by default (the Supplementary Symbols and Pictographs area)."""
    return 0x1F000 <= code <= 0x1FAFF


def _rides_along(char: str) -> bool:
    """Combining marks, format and control characters: drawn in the face of what precedes
    them (a line break or a variation selector is no reason to change face)."""
    return unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc")


def _same_file(a: FontFace, b: FontFace) -> bool:
    if a.path is None or b.path is None or a.index != b.index:
        return False
    return Path(a.path).resolve() == Path(b.path).resolve()


def _sorted_faces(pattern: str, colour_only: bool = False) -> list[_CoveredFace]:
    """fontconfig's sorted fallback list for ``pattern``: upright outline faces only."""
    fields = "%{file}\t%{index}\t%{slant}\t%{color}\t%{charset}\n"
    out = _fc("fc-match", "-s", "-f", fields, pattern)
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 5:
            continue
        path, index, slant, color, charset = parts
        if not path.lower().endswith(_OUTLINE_SUFFIXES) or slant not in ("", "0"):
            continue
        if colour_only and color != "True":
            continue
        covered = _covered(FontFace(path, int(index or 0)), charset)
        if covered is not None:
            faces.append(covered)
    return faces


def _queried_face(face: FontFace) -> _CoveredFace | None:
    """``face``'s own charset, asked of fontconfig by file (for a face it did not sort)."""
    assert face.path is not None
    charset = _fc("fc-query", "-i", str(face.index), "-f", "%{charset}", face.path)
    return _covered(face, charset.strip())


def _covered(face: FontFace, charset: str) -> _CoveredFace | None:
    """A face with fontconfig's charset text (``"20-7e a0-17f 2082"``, hex) parsed."""
    starts: list[int] = []
    ends: list[int] = []
    try:
        for piece in charset.split():
            low, _, high = piece.partition("-")
            starts.append(int(low, 16))
            ends.append(int(high or low, 16))
    except ValueError:
        return None
    if not starts:
        return None
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return _CoveredFace(face, tuple(starts[i] for i in order), tuple(ends[i] for i in order))


def _fc(*command: str) -> str:
    """A fontconfig tool's output, or "" when it cannot be run."""
    exe = shutil.which(command[0])
    if exe is None:
        return ""
    try:
        done = subprocess.run(
            [exe, *command[1:]],
            capture_output=True,
            text=True,
            timeout=_FC_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


@functools.lru_cache(maxsize=256)
def _sized_font(
    face: FontFace, size: int
) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, float]:
    """``face`` at ``size`` pixels and the scale to apply: 1.0, except for a colour bitmap
    font, loaded at its one strike and scaled down (or up) to ``size``."""
    if face.path is None:
        return load_font(face, size), 1.0
    try:
        return ImageFont.truetype(face.path, size, index=face.index), 1.0
    except OSError:
        pass
    for strike in _BITMAP_STRIKES:
        try:
            return ImageFont.truetype(face.path, strike, index=face.index), size / strike
        except OSError:
            continue
    return load_font(face, size), 1.0


def _draw_scaled(
    image: Image.Image,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    scale: float,
    xy: tuple[float, float],
    text: str,
    fill: tuple[int, ...] | str,
) -> None:
    """Draws a run of a bitmap font at its strike, scaled by ``scale``, baseline at ``xy``."""
    left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor="ls"))
    if right <= left or bottom <= top:
        return
    tile = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text(
        (-left, -top), text, font=font, fill=fill, anchor="ls", embedded_color=True
    )
    size = (max(1, round(tile.width * scale)), max(1, round(tile.height * scale)))
    tile = tile.resize(size, Image.Resampling.LANCZOS)
    x, baseline = xy
    image.paste(tile, (round(x + left * scale), round(baseline + top * scale)), tile)

"""Finding the fonts the built-in renderer draws with: Noto Sans CJK, else DejaVu, else Pillow's."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

# The face of the Noto CJK collection to use per language (its region code in the family name).
_REGION_BY_LANGUAGE = {"ja": "JP", "zh": "SC", "zh-cn": "SC", "zh-hans": "SC", "zh-tw": "TC",
                       "zh-hant": "TC", "zh-hk": "HK", "ko": "KR"}  # fmt: skip

_NOTO_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/truetype/noto",
    "/Library/Fonts",
    str(Path.home() / ".local/share/fonts"),
)
_DEJAVU_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
)

INSTALL_CJK_HINT = "install them with: apt-get install fonts-noto-cjk"


@dataclass(frozen=True)
class FontFace:
    """One font file (and face index in a collection); ``path`` None means Pillow's own font."""

    path: str | None
    index: int = 0
    covers_cjk: bool = False


@dataclass(frozen=True)
class FontFamily:
    """The regular and bold faces the renderer uses for one language."""

    regular: FontFace
    bold: FontFace

    @property
    def covers_cjk(self) -> bool:
        return self.regular.covers_cjk


def region_for_language(language: str) -> str:
    """The Noto CJK region (JP, SC, TC, HK, KR) for a BCP 47 language tag; JP by default."""
    tag = language.strip().lower().replace("_", "-")
    return _REGION_BY_LANGUAGE.get(tag) or _REGION_BY_LANGUAGE.get(tag.split("-")[0], "JP")


@functools.lru_cache(maxsize=8)
def font_family(language: str = "ja") -> FontFamily:
    """The best fonts installed for ``language``: Noto Sans CJK, then DejaVu Sans, then Pillow's."""
    region = region_for_language(language)
    regular = _noto_face("Regular", region)
    if regular is not None:
        bold = _noto_face("Bold", region) or regular
        return FontFamily(regular, bold)
    regular = _dejavu_face("DejaVuSans.ttf", "DejaVu Sans")
    if regular is not None:
        return FontFamily(
            regular, _dejavu_face("DejaVuSans-Bold.ttf", "DejaVu Sans:bold") or regular
        )
    return FontFamily(FontFace(None), FontFace(None))


@functools.lru_cache(maxsize=256)
def load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """``face`` at ``size`` pixels (cached: layout asks for the same sizes again and again)."""
    size = max(1, int(size))
    if face.path is not None:
        try:
            return ImageFont.truetype(face.path, size, index=face.index)
        except OSError:
            pass
    return ImageFont.load_default(size)


def _noto_face(weight: str, region: str) -> FontFace | None:
    candidates = [_fc_match_file(f"Noto Sans CJK {region}:style={weight}")]
    candidates += [str(Path(d) / f"NotoSansCJK-{weight}.ttc") for d in _NOTO_DIRS]
    candidates += [str(Path(d) / f"NotoSansCJK{region.lower()}-{weight}.otf") for d in _NOTO_DIRS]
    for path in candidates:
        if not path or "NotoSansCJK" not in Path(path).name or not Path(path).is_file():
            continue
        index = _face_index(path, f"Noto Sans CJK {region}")
        if index is not None:
            return FontFace(path, index, covers_cjk=True)
    return None


def _dejavu_face(filename: str, pattern: str) -> FontFace | None:
    for path in [_fc_match_file(pattern)] + [str(Path(d) / filename) for d in _DEJAVU_DIRS]:
        if path and Path(path).name == filename and Path(path).is_file():
            return FontFace(path, 0)
    return None


def _face_index(path: str, family: str) -> int | None:
    """The index of ``family`` in a font collection (0 for a single font file that is it)."""
    for index in range(16):
        try:
            name, _style = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            return None
        if name == family:
            return index
        if not path.lower().endswith((".ttc", ".otc")):
            return index if name and name.startswith("Noto Sans CJK") else None
    return None


def _fc_match_file(pattern: str) -> str | None:
    """The file fontconfig picks for ``pattern``, or None without fontconfig."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-f", "%{file}", pattern], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None

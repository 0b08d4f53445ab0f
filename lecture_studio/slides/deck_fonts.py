"""The fonts a deck is set in, and those LibreOffice has no metric-compatible face for.

PowerPoint breaks lines by the widths of the deck's fonts; LibreOffice breaks them by the widths
of the face it draws with. A face with the same advance widths (Carlito for Calibri, Caladea for
Cambria, Liberation for Arial, Times New Roman and Courier New) keeps PowerPoint's breaks; any
other face may break a word in two or push a table under the footer. Our fontconfig
(``resources/fontconfig/fonts.conf``) names the compatible faces; a font counts as drawn
faithfully when fontconfig, configured as LibreOffice is, gives the font itself or one of them.

The fonts are read from the slides, the layouts and masters they use and their themes' font
schemes: every ``a:latin`` typeface, and ``a:ea`` (East Asian) ones where the deck has Chinese
or Japanese text. Symbol fonts are left out: LibreOffice recodes their bullets to OpenSymbol.
"""

from __future__ import annotations

import functools
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ..soffice import fontconfig_env, fontconfig_file
from ..text import breaks_anywhere

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SLIDE_PART = re.compile(r"^ppt/slides/slide\d+\.xml$")
# Fonts whose characters LibreOffice maps to OpenSymbol itself (bullets, arrows, ticks).
_SYMBOL_FONTS = frozenset(
    {"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett", "opensymbol"}
)
_FC_TIMEOUT_S = 15


def deck_fonts(deck: Path) -> list[str]:
    """The font names the deck's slides are set in, sorted; empty when it cannot be read."""
    try:
        with zipfile.ZipFile(deck) as package:
            return sorted(_fonts_in(package), key=str.lower)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []


def font_resolution(deck: Path) -> dict[str, str]:
    """Each of the deck's fonts -> the face fontconfig draws it with, as LibreOffice sees it
    (empty without fontconfig)."""
    return {name: _matched(name)[1] for name in deck_fonts(deck) if _matched(name)[1]}


def fonts_without_compatible_face(deck: Path) -> list[str]:
    """The deck's fonts that are not installed and have no metric-compatible face here."""
    if shutil.which("fc-match") is None or fontconfig_file() is None:
        return []  # nothing can be said without fontconfig
    aliases = compatible_faces()
    missing = []
    for name in deck_fonts(deck):
        families, _file = _matched(name)
        allowed = {name.lower(), *aliases.get(name.lower(), ())}
        if families and not allowed & families:
            missing.append(name)
    return missing


def missing_fonts_warning(deck: Path, deck_name: str) -> str | None:
    """One sentence naming the deck's fonts that LibreOffice draws with other widths, or None."""
    missing = fonts_without_compatible_face(deck)
    if not missing:
        return None
    listed = ", ".join(missing)
    them = "these fonts" if len(missing) > 1 else "this font"
    return (
        f"{deck_name} uses {listed}, which {'are' if len(missing) > 1 else 'is'} not installed "
        "and has no metric-compatible substitute here, so LibreOffice draws its text in "
        f"another font and lines may break differently than in PowerPoint; install {them}, or "
        "choose installed fonts in the deck."
    )


@functools.lru_cache(maxsize=1)
def compatible_faces() -> dict[str, frozenset[str]]:
    """Font name (lower case) -> the faces our fontconfig substitutes for it (lower case)."""
    conf = fontconfig_file()
    if conf is None:
        return {}
    aliases: dict[str, frozenset[str]] = {}
    for alias in ElementTree.parse(conf).getroot().iter("alias"):
        family = alias.findtext("family", "").strip().lower()
        prefer = alias.find("prefer")
        if family and prefer is not None:
            faces = {(f.text or "").strip().lower() for f in prefer.iter("family")}
            aliases[family] = frozenset(aliases.get(family, frozenset()) | faces)
    return aliases


@functools.lru_cache(maxsize=512)
def _matched(name: str) -> tuple[frozenset[str], str]:
    """The family names (lower case) and file of the face fontconfig gives ``name``."""
    exe = shutil.which("fc-match")
    if exe is None:
        return frozenset(), ""
    pattern = "".join("\\" + c if c in "\\-:,=" else c for c in name)
    try:
        done = subprocess.run(
            [exe, "-f", "%{family}\t%{file}", pattern],
            capture_output=True,
            text=True,
            env=fontconfig_env(),
            timeout=_FC_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset(), ""
    families, _, file = done.stdout.partition("\t")
    return frozenset(f.strip().lower() for f in families.split(",") if f.strip()), file.strip()


def _fonts_in(package: zipfile.ZipFile) -> set[str]:
    slides = sorted(n for n in package.namelist() if _SLIDE_PART.match(n))
    layouts = {t for s in slides for t in _related(package, s, "/slideLayout")}
    masters = {t for part in layouts for t in _related(package, part, "/slideMaster")}
    themes = {t for part in masters for t in _related(package, part, "/theme")}
    roots = [ElementTree.fromstring(package.read(p)) for p in [*slides, *layouts, *masters]]
    theme_roots = [
        ElementTree.fromstring(package.read(p)) for p in themes if p in package.NameToInfo
    ]
    has_cjk = any(
        breaks_anywhere(c)
        for root in roots[: len(slides)]
        for t in root.iter(f"{_A}t")
        for c in t.text or ""
    )
    kinds = (f"{_A}latin", f"{_A}ea") if has_cjk else (f"{_A}latin",)
    fonts: set[str] = set()
    for root in [*roots, *theme_roots]:
        for kind in kinds:
            for element in root.iter(kind):
                name = element.get("typeface", "").strip()
                if name and not name.startswith("+") and name.lower() not in _SYMBOL_FONTS:
                    fonts.add(name)
    return fonts


def _related(package: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts ``part`` points at with a relationship whose type ends with ``kind``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in package.NameToInfo:
        return []
    found = []
    for rel in ElementTree.fromstring(package.read(rels)).iter(f"{_REL}Relationship"):
        if rel.get("Type", "").endswith(kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found.append(posixpath.normpath(path))
    return [p for p in found if p in package.NameToInfo]

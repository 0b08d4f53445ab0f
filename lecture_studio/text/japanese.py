"""Japanese text cut into phrases (bunsetsu) with Open JTalk's word analysis, for line breaks."""

from __future__ import annotations

import contextlib
import io
import unicodedata

from .scripts import is_cjk


def _is_fullwidth_alnum(char: str) -> bool:
    code = ord(char)
    return 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A


def belongs_to_japanese_run(char: str) -> bool:
    """Kana, kanji and full-width punctuation: the text Open JTalk segments without rewriting.

    Digits and Latin letters stay outside (Open JTalk rewrites "123" as 百二十三).
    """
    if is_cjk(char):
        return True
    code = ord(char)
    if _is_fullwidth_alnum(char):
        return False
    return 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or char in "・ー…‥"


def continues_phrase(entry: dict) -> bool:
    """Whether an Open JTalk word belongs to the phrase (bunsetsu) before it: particles,
    auxiliary verbs, suffixes and dependent words, or what Open JTalk chains in one accent
    phrase (the する of 分解する, the られ of つくられる)."""
    return (
        entry.get("chain_flag") == 1
        or entry.get("pos") in ("助詞", "助動詞")
        or entry.get("pos_group1") in ("接尾", "非自立")
    )


def japanese_phrases(run: str) -> tuple[list[list[str]], bool] | None:
    """A run of Japanese text (see ``belongs_to_japanese_run``) as phrases of words, and whether
    its first phrase continues the text before the run (a particle after a Latin word, as in
    ATPが); None when pyopenjtalk is missing or its words do not line up with the text."""
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
        if phrases and continues_phrase(entry):
            phrases[-1].append(word)
        else:
            continues_before = continues_before or (not phrases and continues_phrase(entry))
            phrases.append([word])
        position += len(word)
    return (phrases, continues_before) if position == len(run) else None

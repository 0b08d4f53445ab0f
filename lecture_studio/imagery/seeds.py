"""Per-slide seeds: derived from the lecture's seed and the slide's id, stable across runs."""

from __future__ import annotations

import hashlib

SEED_BITS = 63


def slide_seed(lecture_seed: int, slide_id: str, variation: int = 0) -> int:
    """The seed of one slide's image; ``variation`` 1, 2, ... gives that slide another variant.

    Uses sha256 (not ``hash()``, which changes with every Python process), so regenerating a
    lecture reproduces its images, and changing one slide's variation touches no other slide.
    """
    text = f"lecture-studio/imagery:{int(lecture_seed)}:{slide_id}:{int(variation)}"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)

"""On-disk cache of narration clips, keyed by a hash of everything that shapes the sound."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .cleanup import speakable_text
from .clip import NarrationClip, TimedText
from .engine import NarrationEngine

log = logging.getLogger(__name__)

# Bump when the stored layout or the way clips are assembled changes: old entries then miss.
CACHE_FORMAT = 1
_FULL_SCALE = 32767


def default_cache_dir() -> Path:
    """The user's cache folder for narration, e.g. ~/.cache/lecture-studio/narration."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("lecture-studio")) / "narration"


def cache_key(engine: NarrationEngine, text: str, voice: str | None, rate: float) -> str:
    """Hex digest of (engine name, engine version, voice, rate, text) and the cache format."""
    material = json.dumps(
        {
            "format": CACHE_FORMAT,
            "engine": engine.name,
            "version": engine.version,
            "voice": voice,
            "rate": round(float(rate), 4),
            "text": text,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def synthesize_cached(
    engine: NarrationEngine,
    text: str,
    voice: str | None,
    rate: float,
    cache_dir: str | Path | None = None,
) -> NarrationClip:
    """Speak ``text`` (cleaned with ``speakable_text``) or load it if it was spoken before.

    Only a text, voice, rate or engine version not seen before reaches the engine. Clips are
    stored as 16-bit samples (scaled so that nothing clips) with their timings; the clip
    returned is the stored one, so a first and a later call give the same samples. A damaged
    entry is spoken again; a cache folder that cannot be written only costs the saving.
    """
    spoken = speakable_text(text)
    if not spoken:
        return NarrationClip(np.zeros(0, dtype=np.float32))
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"{cache_key(engine, spoken, voice, rate)}.npz"
    cached = _load(path)
    if cached is not None:
        return cached
    arrays = _to_arrays(engine.synthesize(spoken, voice, rate))
    try:
        _write_atomically(path, arrays)
    except OSError as error:
        log.warning("Could not save narration to the cache %s: %s", folder, error)
    return _from_arrays(arrays)


def _to_arrays(clip: NarrationClip) -> dict[str, np.ndarray]:
    """The stored form of ``clip``: 16-bit samples, their scale, rate and timings as JSON."""
    peak = float(np.max(np.abs(clip.samples))) if clip.samples.size else 0.0
    scale = max(1.0, peak)
    quantized = np.round(clip.samples.astype(np.float64) / scale * _FULL_SCALE).astype(np.int16)
    timings = {
        "sentences": [[t.start, t.end, t.text] for t in clip.sentences],
        "words": [[t.start, t.end, t.text] for t in clip.words],
    }
    return {
        "samples": quantized,
        "scale": np.array(scale, dtype=np.float64),
        "sample_rate": np.array(clip.sample_rate, dtype=np.int64),
        "timings": np.array(json.dumps(timings, ensure_ascii=False)),
    }


def _from_arrays(arrays: dict[str, np.ndarray]) -> NarrationClip:
    """The clip that ``_to_arrays`` stored."""
    scale = float(arrays["scale"])
    samples = arrays["samples"].astype(np.float32) * np.float32(scale / _FULL_SCALE)
    timings = json.loads(str(arrays["timings"]))
    return NarrationClip(
        samples,
        int(arrays["sample_rate"]),
        tuple(TimedText(float(a), float(b), str(t)) for a, b, t in timings["sentences"]),
        tuple(TimedText(float(a), float(b), str(t)) for a, b, t in timings["words"]),
    )


def _load(path: Path) -> NarrationClip | None:
    """The clip stored at ``path``, or None when it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in ("samples", "scale", "sample_rate", "timings")}
        return _from_arrays(arrays)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        log.warning("Ignoring a damaged narration cache entry %s: %s", path, error)
        return None


def _write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` through a temporary file, so readers never see half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".npz.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez_compressed(stream, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

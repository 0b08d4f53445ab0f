"""On-disk cache of narration clips (spoken and loudness-normalized), keyed by a hash of
everything that shapes the sound."""

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
from .loudness import normalize_loudness

log = logging.getLogger(__name__)

# Bump when the stored layout or the way clips are assembled changes: old entries then miss.
CACHE_FORMAT = 1
_FULL_SCALE = 32767
# Bump when normalize_loudness changes what it produces: old normalized clips then miss.
LOUDNESS_FORMAT = 2


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


def normalize_cached(
    clip: NarrationClip,
    cache_dir: str | Path | None = None,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
) -> NarrationClip:
    """``clip`` with its samples through ``normalize_loudness``, loaded from the cache when
    the same samples were normalized to the same target before (a re-export then only
    normalizes the clips that changed). Timings are kept. Normalized samples are stored
    exactly (float32 ``.npy``); a damaged entry is normalized again, and a cache folder that
    cannot be written only costs the saving.
    """
    if not len(clip.samples):
        return clip
    folder = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / "loudness"
    path = folder / f"{loudness_key(clip, target_lufs, true_peak_dbtp)}.npy"
    samples = _load_samples(path, len(clip.samples))
    if samples is None:
        samples = normalize_loudness(clip.samples, clip.sample_rate, target_lufs, true_peak_dbtp)
        try:
            _write_samples_atomically(path, samples)
        except OSError as error:
            log.warning("Could not save normalized narration to the cache %s: %s", folder, error)
    return NarrationClip(samples, clip.sample_rate, clip.sentences, clip.words)


def loudness_key(clip: NarrationClip, target_lufs: float, true_peak_dbtp: float) -> str:
    """Hex digest of the clip's samples and rate, the targets and the loudness format."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(
        json.dumps(
            {
                "format": LOUDNESS_FORMAT,
                "rate": clip.sample_rate,
                "target": round(float(target_lufs), 4),
                "peak": round(float(true_peak_dbtp), 4),
                "samples": len(clip.samples),
            },
            sort_keys=True,
        ).encode()
    )
    digest.update(memoryview(np.ascontiguousarray(clip.samples, dtype=np.float32)).cast("B"))
    return digest.hexdigest()


def _load_samples(path: Path, expected: int) -> np.ndarray | None:
    """The float32 samples stored at ``path``, or None when missing, unreadable or wrong."""
    if not path.is_file():
        return None
    try:
        samples = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        log.warning("Ignoring a damaged narration cache entry %s: %s", path, error)
        return None
    if samples.dtype != np.float32 or samples.shape != (expected,):
        log.warning("Ignoring a narration cache entry of the wrong shape: %s", path)
        return None
    return samples


def _write_samples_atomically(path: Path, samples: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".npy.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.save(stream, np.asarray(samples, dtype=np.float32), allow_pickle=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""On-disk cache of narration clips (spoken and loudness-normalized), keyed by a hash of
everything that shapes the sound; each entry carries a checksum of its content (``cachefile``),
so a damaged one is spoken or normalized again rather than put into a video. Spoken clips
and normalized ones live in the folders ``lecture_studio.cache`` gives them under the cache
root (``cache_dir``, or the user's cache folder), which it also keeps under their limits."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
import zipfile
from pathlib import Path

import numpy as np

from .. import cache
from ..cachefile import read_entry, write_entry
from .cleanup import speakable_text
from .clip import NarrationClip, TimedText
from .engine import NarrationEngine
from .loudness import normalize_loudness

log = logging.getLogger(__name__)
# numpy reads an .npy header with ast.literal_eval, and CPython 3.11's AST constructor is not
# safe in two threads at once (python/cpython#106905: a spurious "SystemError: AST constructor
# recursion depth mismatch"); the export loads narration on two threads, so entries are read one
# at a time.
_NPY_READ_LOCK = threading.Lock()

# Bump when the stored layout or the way clips are assembled changes: old entries then miss.
CACHE_FORMAT = 3  # 2: word timings from the engines, with how they were timed; 3: checksums
_FULL_SCALE = 32767
# Bump when normalize_loudness changes what it produces: old normalized clips then miss.
LOUDNESS_FORMAT = 3  # 3: entries with checksums


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
    folder = cache.folder("narration", cache_dir)
    path = folder / f"{cache_key(engine, spoken, voice, rate)}.npz"
    cached = _load(path)
    if cached is not None:
        return cached
    return _store(path, engine.synthesize(spoken, voice, rate))


def store_spoken(key: str, clip: NarrationClip, cache_dir: str | Path | None = None) -> None:
    """Keep ``clip``, spoken elsewhere (another process or node) under ``key`` (``cache_key``
    of the engine there), as ``synthesize_cached`` keeps what it speaks: a later
    ``synthesize_cached`` with the same key finds it."""
    _store(cache.folder("narration", cache_dir) / f"{key}.npz", clip)


def _store(path: Path, clip: NarrationClip) -> NarrationClip:
    """Write ``clip`` as its cache entry at ``path`` and return the stored clip (a folder that
    cannot be written only costs the saving)."""
    arrays = _to_arrays(clip)
    try:
        _write_atomically(path, arrays)
    except OSError as error:
        log.warning("Could not save narration to the cache %s: %s", path.parent, error)
    return _from_arrays(arrays)


def cached_synthesis(
    engine: NarrationEngine,
    text: str,
    voice: str | None,
    rate: float,
    cache_dir: str | Path | None = None,
) -> NarrationClip | None:
    """The clip ``synthesize_cached`` stored for these arguments, or None when it was never
    spoken (or its entry is damaged): never calls the engine's ``synthesize``, so the editor
    can show a narration's waveform without speaking it."""
    spoken = speakable_text(text)
    if not spoken:
        return None
    path = cache.folder("narration", cache_dir) / f"{cache_key(engine, spoken, voice, rate)}.npz"
    return _load(path)


def is_cached(
    engine: NarrationEngine,
    text: str,
    voice: str | None,
    rate: float,
    cache_dir: str | Path | None = None,
) -> bool:
    """Whether ``synthesize_cached`` would load these arguments' clip rather than speak it
    (an entry found damaged when loaded is spoken again all the same)."""
    spoken = speakable_text(text)
    folder = cache.folder("narration", cache_dir)
    return not spoken or (folder / f"{cache_key(engine, spoken, voice, rate)}.npz").is_file()


def _to_arrays(clip: NarrationClip) -> dict[str, np.ndarray]:
    """The stored form of ``clip``: 16-bit samples, their scale, rate and timings as JSON."""
    peak = float(np.max(np.abs(clip.samples))) if clip.samples.size else 0.0
    scale = max(1.0, peak)
    quantized = np.round(clip.samples.astype(np.float64) / scale * _FULL_SCALE).astype(np.int16)
    timings = {
        "sentences": [[t.start, t.end, t.text] for t in clip.sentences],
        "words": [[t.start, t.end, t.text] for t in clip.words],
        "word_timing": clip.word_timing,
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
        str(timings.get("word_timing", "")),
    )


def _load(path: Path) -> NarrationClip | None:
    """The clip stored at ``path``, or None when it is missing, unreadable or damaged."""
    data = read_entry(path, "narration cache entry")
    if data is None:
        return None
    try:
        with _NPY_READ_LOCK, np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in ("samples", "scale", "sample_rate", "timings")}
        return _from_arrays(arrays)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        log.warning("Ignoring a damaged narration cache entry %s: %s", path, error)
        return None


def _write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` with a checksum, so readers never see half or damage."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    write_entry(path, buffer.getvalue())


def normalize_cached(
    clip: NarrationClip,
    cache_dir: str | Path | None = None,
    target_lufs: float = -16.0,
    true_peak_dbtp: float = -1.0,
    pause_seconds: float = 0.0,
) -> NarrationClip:
    """``clip`` with its samples through ``normalize_loudness``, loaded from the cache when
    the same samples were normalized to the same target before (a re-export then only
    normalizes the clips that changed). Timings are kept. Normalized samples are stored
    exactly (float32 ``.npy``); a damaged entry is normalized again, and a cache folder that
    cannot be written only costs the saving.

    With ``pause_seconds`` the clip is measured as it sounds in a programme with pauses
    around it (that much silence on either side): the BS.1770 blocks that overlap its start
    and end then count as they will in the programme, so that clips put one after another
    with pauses between them measure the target together, not only each alone.
    """
    if not len(clip.samples):
        return clip
    folder = cache.folder("loudness", cache_dir)
    path = folder / f"{loudness_key(clip, target_lufs, true_peak_dbtp, pause_seconds)}.npy"
    samples = _load_samples(path, len(clip.samples))
    if samples is None:
        pause = np.zeros(round(pause_seconds * clip.sample_rate), dtype=np.float32)
        padded = np.concatenate((pause, clip.samples, pause)) if pause.size else clip.samples
        samples = normalize_loudness(padded, clip.sample_rate, target_lufs, true_peak_dbtp)
        samples = samples[pause.size : pause.size + len(clip.samples)]
        try:
            _write_samples_atomically(path, samples)
        except OSError as error:
            log.warning("Could not save normalized narration to the cache %s: %s", folder, error)
    return NarrationClip(samples, clip.sample_rate, clip.sentences, clip.words, clip.word_timing)


def loudness_key(
    clip: NarrationClip, target_lufs: float, true_peak_dbtp: float, pause_seconds: float = 0.0
) -> str:
    """Hex digest of the clip's samples and rate, the targets, the pauses it is measured
    between and the loudness format."""
    material = {
        "format": LOUDNESS_FORMAT,
        "rate": clip.sample_rate,
        "target": round(float(target_lufs), 4),
        "peak": round(float(true_peak_dbtp), 4),
        "samples": len(clip.samples),
    }
    if pause_seconds:  # (keys made without pauses stay as they were)
        material["pause"] = round(float(pause_seconds), 4)
    digest = hashlib.sha256()  # (twice BLAKE2b's speed with the CPU's SHA instructions)
    digest.update(json.dumps(material, sort_keys=True).encode())
    digest.update(memoryview(np.ascontiguousarray(clip.samples, dtype=np.float32)).cast("B"))
    return digest.hexdigest()


def _load_samples(path: Path, expected: int) -> np.ndarray | None:
    """The float32 samples stored at ``path``, or None when missing, unreadable or wrong."""
    data = read_entry(path, "narration cache entry")
    if data is None:
        return None
    try:
        with _NPY_READ_LOCK:
            samples = np.load(io.BytesIO(data), allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        log.warning("Ignoring a damaged narration cache entry %s: %s", path, error)
        return None
    if samples.dtype != np.float32 or samples.shape != (expected,):
        log.warning("Ignoring a narration cache entry of the wrong shape: %s", path)
        return None
    return samples


def _write_samples_atomically(path: Path, samples: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(samples, dtype=np.float32), allow_pickle=False)
    write_entry(path, buffer.getvalue())

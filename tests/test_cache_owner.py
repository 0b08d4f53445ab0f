"""``lecture_studio.cache`` owns the cache's folders, limits and pruning; ``lecture-studio
cache info|clear`` shows and empties them without touching anything outside the root."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from lecture_studio import cache
from lecture_studio.cachefile import read_entry, write_entry
from lecture_studio.cli import main
from lecture_studio.narration.cache import normalize_cached, synthesize_cached
from lecture_studio.narration.clip import NarrationClip
from lecture_studio.narration.engine import NarrationEngine
from lecture_studio.narration.kokoro import model_cache_dir
from lecture_studio.render.export import encoded_cache_dir
from lecture_studio.render.packets import PacketCache, StoredPacket


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache root, under a tmp XDG_CACHE_HOME."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KOKORO_JA_CACHE", raising=False)
    return tmp_path / "xdg" / "lecture-studio"


class _Tone(NarrationEngine):
    name = "tone"
    version = "1"

    def synthesize(self, text: str, voice: str | None = None, rate: float = 1.0):
        return NarrationClip(np.full(2205, 0.25, np.float32), 22050)

    def voices(self) -> list[str]:
        return []

    def available(self) -> bool:
        return True


def _entry(path: Path, size: int, last_use: float) -> Path:
    write_entry(path, b"x" * size)
    os.utime(path, (last_use, last_use))
    return path


def test_one_root_and_a_named_folder_for_each_kind(user_cache: Path, tmp_path: Path) -> None:
    assert cache.default_cache_dir() == user_cache
    assert cache.folder("decks") == user_cache / "slide-pdfs"
    assert cache.folder("narration", tmp_path / "job") == tmp_path / "job" / "narration"
    assert cache.folder("loudness") == user_cache / "narration" / "loudness"
    assert encoded_cache_dir(None) == user_cache / "encoded"
    assert model_cache_dir() == user_cache / "kokoro"
    limits = {kind.name: kind.limit_bytes for kind in cache.KINDS}
    assert limits["encoded"] == PacketCache(None).limit_bytes == 2 << 30
    assert all(limits[name] for name in ("decks", "narration", "loudness"))
    assert limits["kokoro"] is None  # the voice model is used whole: cleared, never pruned
    with pytest.raises(ValueError, match="unknown cache kind 'pictures'"):
        cache.folder("pictures")


def test_narration_goes_where_the_owner_says(tmp_path: Path) -> None:
    clip = synthesize_cached(_Tone(), "Hello there.", None, 1.0, tmp_path)
    normalize_cached(clip, tmp_path)
    assert len(list(cache.folder("narration", tmp_path).glob("*.npz"))) == 1
    assert len(list(cache.folder("loudness", tmp_path).glob("*.npy"))) == 1


def test_a_read_marks_an_entry_used(tmp_path: Path) -> None:
    entry = _entry(tmp_path / "a.npz", 10, 1_000_000)
    assert read_entry(entry) == b"x" * 10
    assert entry.stat().st_mtime > 1_000_000


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("decks", "{}.checked.pdf"),
        ("narration", "{}.npz"),
        ("loudness", "{}.npy"),
        ("encoded", "ab/{}.pkc"),
    ],
)
def test_each_kind_prunes_the_least_recently_used_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, name: str
) -> None:
    base = cache.folder(kind, tmp_path)
    old = _entry(base / name.format("old"), 1000, 1_000_000)
    new = _entry(base / name.format("new"), 1000, 3_000_000)
    used = _entry(base / name.format("used"), 1000, 2_000_000)
    read_entry(old)  # the oldest entry is used now: it is kept, the next oldest goes
    size = old.stat().st_size
    limit = 2 * size
    monkeypatch.setattr(
        cache, "KINDS", tuple(k if k.name != kind else _limited(k, limit) for k in cache.KINDS)
    )
    removed = cache.prune(kind, tmp_path)
    assert (removed.entries, removed.size_bytes) == (1, size)
    assert old.exists() and new.exists() and not used.exists()


def _limited(kind: cache.CacheKind, limit: int) -> cache.CacheKind:
    return cache.CacheKind(kind.name, kind.subfolder, kind.description, kind.pattern, limit)


def test_pruning_one_kind_leaves_the_others(tmp_path: Path) -> None:
    clip = _entry(cache.folder("narration", tmp_path) / "a.npz", 100, 1_000_000)
    loud = _entry(cache.folder("loudness", tmp_path) / "b.npy", 100, 1_000_000)
    assert cache.prune_folder(cache.folder("narration", tmp_path), "*.npz", 0).entries == 1
    assert not clip.exists() and loud.exists()


def test_the_packet_cache_prunes_through_the_owner(tmp_path: Path) -> None:
    packets = PacketCache(tmp_path / "encoded", limit_bytes=0)
    packets.put("ab" * 24, [StoredPacket(b"data", 0, True)])
    assert len(list((tmp_path / "encoded").rglob("*.pkc"))) == 1
    packets.prune()
    assert not list((tmp_path / "encoded").rglob("*.pkc"))


def test_cache_info_lists_each_folder(user_cache: Path, capsys: pytest.CaptureFixture) -> None:
    _entry(user_cache / "narration" / "a.npz", 2000, 1_000_000)
    _entry(user_cache / "encoded" / "ab" / "c.pkc", 10, 1_000_000)
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert f"Cache folder: {user_cache}" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert set(rows) == set(cache.KIND_NAMES)
    assert rows["narration"][1:5] == ["1", "2.0", "KiB", "1.0"]
    assert rows["narration"][-1] == str(user_cache / "narration")
    assert rows["encoded"][1:3] == ["1", "32"]  # 10 bytes and the checksum trailer
    assert rows["kokoro"][4] == "none"


def test_cache_clear_by_kind_and_all(
    user_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    clip = _entry(user_cache / "narration" / "a.npz", 100, 1_000_000)
    loud = _entry(user_cache / "narration" / "loudness" / "b.npy", 100, 1_000_000)
    deck = _entry(user_cache / "slide-pdfs" / "d.checked.pdf", 100, 1_000_000)
    (user_cache / "kokoro" / "model").mkdir(parents=True)
    (user_cache / "kokoro" / "model" / "voice.onnx").write_bytes(b"m" * 50)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.pkc").write_bytes(b"mine")
    (user_cache / "encoded").mkdir()
    (user_cache / "encoded" / "linked").symlink_to(outside, target_is_directory=True)
    (user_cache / "notes.txt").write_text("not an entry")

    assert main(["cache", "clear", "--kind", "narration"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Removed 1 narration entry (122 B) from {user_cache}."
    )
    assert not clip.exists() and loud.exists() and deck.exists()

    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out.startswith("Removed 3 entries (")
    assert not loud.exists() and not deck.exists()
    assert not (user_cache / "kokoro" / "model").exists()
    assert (outside / "keep.pkc").read_bytes() == b"mine"  # behind a link: never touched
    assert (user_cache / "notes.txt").exists()


def test_cache_clear_rejects_an_unknown_kind(
    user_cache: Path, capsys: pytest.CaptureFixture
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cache", "clear", "--kind", "everything"])
    assert exit_.value.code == 2
    assert "invalid choice: 'everything'" in capsys.readouterr().err

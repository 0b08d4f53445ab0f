"""The export cache of encoded packets: entries round-trip, a damaged one is a miss, and the
folder is trimmed to its limit, least recently used first (old-format entries too)."""

from __future__ import annotations

import os
from pathlib import Path

from lecture_studio.render.packets import PacketCache, StoredPacket, digest


def packets(seed: int, count: int = 5) -> list[StoredPacket]:
    return [StoredPacket(bytes([seed, i]) * (100 + i), i - 2, i == 0) for i in range(count)]


def test_packets_round_trip_by_key_and_nothing_is_kept_without_a_folder(tmp_path: Path) -> None:
    cache = PacketCache(tmp_path / "encoded")
    key = digest("still", b"\x01picture")
    assert cache.get(key) is None
    cache.put(key, packets(1))
    assert cache.get(key) == packets(1)
    assert cache.get(digest("still", b"\x01other")) is None
    assert cache.get(None) is None
    nowhere = PacketCache(None)
    nowhere.put(key, packets(1))
    assert nowhere.get(key) is None


def test_digest_parts_never_run_together() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a", b"b") == digest(b"a", "b")


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = PacketCache(tmp_path)
    key = digest("blend")
    cache.put(key, packets(2))
    (path,) = tmp_path.glob("*/*.pkc")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, length unchanged
    path.write_bytes(bytes(data))
    assert cache.get(key) is None
    assert not path.exists()


def test_pruning_keeps_the_most_recently_used_under_the_limit(tmp_path: Path) -> None:
    cache = PacketCache(tmp_path)
    keys = [digest(str(n)) for n in range(4)]
    for age, key in enumerate(keys):
        cache.put(key, packets(age, 20))
        (path,) = tmp_path.glob(f"*/{key}.pkc")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    old_format = tmp_path / "ab" / "old.pk"  # an entry from before checksums
    old_format.parent.mkdir(exist_ok=True)
    old_format.write_bytes(b"x" * 10)
    os.utime(old_format, (999_999, 999_999))
    assert cache.get(keys[0]) is not None  # used now: the newest
    size = next(tmp_path.glob(f"*/{keys[1]}.pkc")).stat().st_size
    cache.limit_bytes = 2 * size
    cache.prune()
    assert cache.get(keys[0]) is not None and cache.get(keys[3]) is not None
    assert cache.get(keys[1]) is None and cache.get(keys[2]) is None
    assert not old_format.exists()

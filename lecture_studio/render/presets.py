"""YouTube's recommended upload sizes and the bit-rate caps we keep under for each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    width: int
    height: int
    max_bitrate: int  # bits per second, the VBV cap for quality-based encoding


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("720p", 1280, 720, 5_000_000),
        Preset("1080p", 1920, 1080, 8_000_000),
        Preset("1440p", 2560, 1440, 16_000_000),
        Preset("2160p", 3840, 2160, 40_000_000),
    )
}

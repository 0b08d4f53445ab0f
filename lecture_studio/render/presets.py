"""YouTube's recommended upload sizes and the bit-rate caps we keep under for each; the CLI's
``--preset`` choices and the editor's Preset box both list these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    width: int
    height: int
    max_bitrate: int  # bits per second, the VBV cap for quality-based encoding
    label: str = ""  # what a person calls it; the name where empty

    @property
    def title(self) -> str:
        """The label with the frame size, as the editor lists it: "4K (3840x2160)"."""
        return f"{self.label or self.name} ({self.width}x{self.height})"


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("1080p", 1920, 1080, 8_000_000, "YouTube 1080p"),
        Preset("720p", 1280, 720, 5_000_000, "720p"),
        Preset("1440p", 2560, 1440, 16_000_000, "1440p"),
        Preset("2160p", 3840, 2160, 40_000_000, "4K"),
    )
}
DEFAULT_PRESET = "1080p"

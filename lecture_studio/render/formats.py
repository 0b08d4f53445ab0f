"""The kinds of file a lecture can be exported to, by file suffix: the built-in MP4 and every
plugin exporter's. The CLI's ``export`` and the editor's Export Video dialog both ask here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..plugins import EXPORTER, Contribution, PluginRegistry
from .export import register_exporters


@dataclass(frozen=True)
class ExportFormat:
    """One suffix and the exporter that writes it."""

    suffix: str  # ".mp4"
    exporter: Contribution

    @property
    def builtin(self) -> bool:
        """Lecture Studio's own MP4 export (with its presets, captions, chapters, thumbnail)."""
        return self.exporter.builtin

    @property
    def description(self) -> str:
        return self.exporter.description or self.exporter.name


def _registry(registry: PluginRegistry | None) -> PluginRegistry:
    return registry if registry is not None else PluginRegistry.builtin_only(register_exporters)


def export_formats(registry: PluginRegistry | None = None) -> list[ExportFormat]:
    """Every suffix an exporter of ``registry`` (None: the built-in MP4 only) takes, built-ins
    first; where two exporters take one suffix, the first one found writes it (as
    ``exporter_for`` picks)."""
    formats: dict[str, ExportFormat] = {}
    for contribution in _registry(registry).contributions(EXPORTER):
        for suffix in contribution.suffixes:
            formats.setdefault(suffix, ExportFormat(suffix, contribution))
    return sorted(formats.values(), key=lambda f: not f.builtin)


def exporter_for(destination: str | Path, registry: PluginRegistry | None = None) -> ExportFormat:
    """The format that writes ``destination``, by its suffix; an InputError saying which
    suffixes can be written when none takes it."""
    name = Path(destination).name.lower()
    formats = export_formats(registry)
    # longest suffix first: ".words.vtt" before ".vtt"
    for export_format in sorted(formats, key=lambda f: -len(f.suffix)):
        if name.endswith(export_format.suffix) and len(name) > len(export_format.suffix):
            return export_format
    suffixes = ", ".join(f.suffix for f in formats)
    raise InputError(
        f"{Path(destination).name} does not end in .mp4 or a suffix a plugin exports; name the "
        f"video NAME.mp4 (the suffixes that can be written here: {suffixes})."
    )

"""Turning an input file (PowerPoint deck, Markdown or text outline) into a new Project.

Presentations only LibreOffice reads (.ppt, .odp, Keynote .key) are converted to .pptx first
(``convert``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import UnsupportedFormatError
from ..jobs import CancelToken, ProgressCallback, no_progress
from ..plugins import IMPORTER, PluginRegistrar, PluginRegistry
from ..project import Project
from . import safety
from .convert import (
    CONVERTED_SUFFIXES,
    LEGACY_SUFFIXES,
    WHAT_WORKS,
    check_not_keynote_package,
    import_converted,
    needs_conversion,
)
from .outline import MARKDOWN_SUFFIXES, TEXT_SUFFIXES, import_markdown, import_text
from .pptx import DECK_SUFFIXES, import_deck

__all__ = [
    "CONVERTED_SUFFIXES",
    "DECK_SUFFIXES",
    "LEGACY_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "import_converted",
    "import_deck",
    "import_markdown",
    "import_path",
    "import_text",
    "importable_suffixes",
    "register_importers",
]


def register_importers(registrar: PluginRegistrar) -> None:
    """Add Lecture Studio's own importers, as a plugin's ``register()`` adds its own."""
    registrar.add_importer("pptx", sorted(DECK_SUFFIXES), import_deck, "PowerPoint decks")
    registrar.add_importer(
        "converted",
        sorted(CONVERTED_SUFFIXES),
        import_converted,
        "PowerPoint 97-2003, Impress and Keynote presentations, converted by LibreOffice",
    )
    registrar.add_importer("markdown", sorted(MARKDOWN_SUFFIXES), import_markdown, "Markdown")
    registrar.add_importer("text", sorted(TEXT_SUFFIXES), import_text, "Plain-text outlines")


def importable_suffixes(registry: PluginRegistry | None = None) -> list[str]:
    """Every file ending an importer of ``registry`` (None: the built-in ones) takes, in the
    registry's order: what the editor's Open dialog and drag-and-drop accept."""
    registry = registry if registry is not None else PluginRegistry.builtin_only(register_importers)
    suffixes: list[str] = []
    for contribution in registry.contributions(IMPORTER):
        suffixes += [s for s in contribution.suffixes if s not in suffixes]
    return suffixes


def import_path(
    path: str | Path,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    registry: PluginRegistry | None = None,
) -> Project:
    """Import a deck or an outline, chosen by its content first and its extension second.
    ``registry`` adds plugins' importers (None: the built-in ones only).

    Zip and OLE2 files always go through the deck checks, whatever their name, so that a
    renamed .docx or an encrypted deck gets the message that fits it; a PowerPoint 97-2003,
    Impress or Keynote file, whatever its name, is converted by LibreOffice. Nothing is written.
    """
    path = Path(path)
    safety.check_not_lock_file(path)
    check_not_keynote_package(path)
    if not path.is_file():
        safety.read_input(path)  # raises the error that says why (missing, a folder...)
    registry = registry if registry is not None else PluginRegistry.builtin_only(register_importers)
    head = _head(path)
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SUFFIXES or needs_conversion(path):
        importer = registry.find(IMPORTER, "converted")
    elif (
        head.startswith(safety.OLE2_SIGNATURE)
        or head.startswith(safety.ZIP_SIGNATURES)
        or suffix in DECK_SUFFIXES
    ):
        importer = registry.find(IMPORTER, "pptx")
    else:  # the built-in outline importers, then plugins' importers, by suffix
        importer = registry.find_for_suffix(IMPORTER, suffix)
    if importer is not None:
        return registry.call(importer, path, progress, cancel)
    raise UnsupportedFormatError(
        f"{path.name} is not a file Lecture Studio can import; use {WHAT_WORKS}."
    )


def _head(path: Path) -> bytes:
    """The first bytes of the file (empty when it cannot be opened: the importer says why)."""
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError:
        return b""

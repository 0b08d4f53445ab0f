"""Lecture Studio's own importers, narration engines, image generators, transitions and
exporter, registered through the same registrar that plugins use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..jobs import CancelToken, ProgressCallback
from .registry import PluginRegistrar


def register_builtins(registrar: PluginRegistrar) -> None:
    """Add every built-in contribution; heavy libraries load only when one is used."""
    from ..importers import LEGACY_SUFFIXES, import_deck, import_markdown, import_text
    from ..importers.outline import MARKDOWN_SUFFIXES, TEXT_SUFFIXES
    from ..importers.pptx import DECK_SUFFIXES
    from ..transitions.classic import TRANSITIONS

    registrar.add_importer(
        "pptx", sorted(DECK_SUFFIXES | LEGACY_SUFFIXES), import_deck, "PowerPoint decks"
    )
    registrar.add_importer("markdown", sorted(MARKDOWN_SUFFIXES), import_markdown, "Markdown")
    registrar.add_importer("text", sorted(TEXT_SUFFIXES), import_text, "Plain-text outlines")

    registrar.add_narration_engine("pyttsx3", _pyttsx3_engine, "The system voice (pyttsx3)")
    registrar.add_narration_engine("openjtalk", _openjtalk_engine, "Open JTalk (Japanese)")
    registrar.add_narration_engine("kokoro", _kokoro_engine, "Kokoro neural voices (Japanese)")
    registrar.add_narration_engine("piper", _piper_engine, "Piper neural voices")

    registrar.add_image_generator("diffusers", _diffusers_generator, "A local diffusion model")
    registrar.add_image_generator("procedural", _procedural_generator, "Shapes, no model")

    for name, factory in TRANSITIONS.items():
        registrar.add_transition(name, factory)

    registrar.add_exporter("mp4", [".mp4"], export_mp4, "MP4 for YouTube, captions, chapters")


def _pyttsx3_engine() -> Any:
    from ..narration.espeak import Pyttsx3Engine

    return Pyttsx3Engine()


def _openjtalk_engine() -> Any:
    from ..narration.openjtalk import OpenJTalkEngine

    return OpenJTalkEngine()


def _piper_engine() -> Any:
    from ..narration.piper import PiperEngine

    return PiperEngine()


def _kokoro_engine() -> Any:
    from ..narration.kokoro import KokoroEngine

    return KokoroEngine()


def _diffusers_generator(lecture: Any, model: str | None, device: str | None) -> Any:
    from ..imagery.diffusers_generator import DiffusersGenerator

    return DiffusersGenerator(model or lecture.style.imagery_model, device=device)


def _procedural_generator(lecture: Any, model: str | None, device: str | None) -> Any:
    from ..imagery.procedural import ProceduralGenerator

    return ProceduralGenerator.for_lecture(lecture)


def export_mp4(
    project: Any,
    destination: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    **options: Any,
) -> list[Path]:
    """The built-in exporter: the MP4 with captions, chapters and thumbnail beside it;
    ``options`` are ``ExportOptions`` fields."""
    from ..render.export import ExportOptions, export_lecture

    result = export_lecture(project, destination, ExportOptions(**options), progress, cancel)
    return list(result.files)

"""What each kind of plugin contribution is: the Protocols a plugin's objects must satisfy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..jobs import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from ..imagery.generator import ImageGenerator
    from ..model import Lecture
    from ..narration.engine import NarrationEngine
    from ..project import Project
    from ..transitions.classic import Transition

#: The plugin API this Lecture Studio offers; a plugin's ``plugin.toml`` names the one it targets.
PLUGIN_API_VERSION = 1
#: Plugin API versions this Lecture Studio loads (older ones it still understands).
SUPPORTED_API_VERSIONS = frozenset({1})

IMPORTER = "importer"
NARRATION_ENGINE = "narration-engine"
IMAGE_GENERATOR = "image-generator"
TRANSITION = "transition"
EXPORTER = "exporter"
#: Every kind of contribution, in the order ``plugins list`` shows them.
KINDS: tuple[str, ...] = (IMPORTER, NARRATION_ENGINE, IMAGE_GENERATOR, TRANSITION, EXPORTER)


class ImportFile(Protocol):
    """An importer: reads ``path`` into a new, unsaved Project (raises an InputError when the
    file cannot be used, with one sentence that says why)."""

    def __call__(
        self, path: Path, progress: ProgressCallback, cancel: CancelToken | None
    ) -> Project: ...


class ExportFile(Protocol):
    """An exporter: writes ``project`` to ``destination`` (and files beside it); returns the
    files written, the destination first. Nothing half-written may be left on failure."""

    def __call__(
        self,
        project: Project,
        destination: Path,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> list[Path]: ...


class TransitionFactory(Protocol):
    """Makes a transition (``frame(a, b, progress)``) lasting ``duration`` seconds; ``easing``
    is passed only when the project names one."""

    def __call__(self, *, duration: float, easing: str = ...) -> Transition: ...


class ImageGeneratorFactory(Protocol):
    """Makes the image generator for ``lecture``; ``model`` and ``device`` are the user's
    overrides (None: the lecture's or the generator's own choice)."""

    def __call__(
        self, lecture: Lecture, model: str | None, device: str | None
    ) -> ImageGenerator: ...


#: Makes a narration engine; it takes no arguments (settings come from the plugin's settings).
NarrationEngineFactory = Callable[[], "NarrationEngine"]

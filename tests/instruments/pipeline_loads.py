"""Counting diffusion pipeline loads in Ray's worker processes, which a test cannot patch.

``count_pipeline_loads`` is a Ray ``worker_process_setup_hook``: in each worker it wraps
``DiffusersGenerator._load`` so that every load appends a line to the file named after the
worker's process id in the folder ``$LOADS_FOLDER_VARIABLE``.
"""

from __future__ import annotations

import os
from pathlib import Path

LOADS_FOLDER_VARIABLE = "LECTURE_STUDIO_TEST_PIPELINE_LOADS"


def count_pipeline_loads() -> None:
    folder = os.environ.get(LOADS_FOLDER_VARIABLE)
    if not folder:
        return
    from lecture_studio.imagery import diffusers_generator

    original = diffusers_generator.DiffusersGenerator._load

    def counted(self):  # noqa: ANN001, ANN202 - the wrapped method's own signature
        with open(Path(folder) / str(os.getpid()), "a", encoding="utf-8") as log:
            log.write(f"{self.source.name}\n")
        return original(self)

    diffusers_generator.DiffusersGenerator._load = counted


def loads_by_process(folder: Path) -> dict[int, int]:
    """Process id -> how many pipelines it loaded."""
    return {
        int(path.name): len(path.read_text(encoding="utf-8").splitlines())
        for path in folder.iterdir()
    }

"""Shared test fixtures: the shared corpus of real decks, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache folder (narration, converted decks, encoded pieces) for this test run
    only, so tests neither read what earlier runs left nor fill the real one."""
    folder = tmp_path_factory.mktemp("user-cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture
def corpus() -> Path:
    """The folder of real-world decks (../shared/corpus); skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real decks is not at {CORPUS}")
    return CORPUS

"""Shared test fixtures: the shared corpus of real decks, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The folder of real-world decks (../shared/corpus); skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real decks is not at {CORPUS}")
    return CORPUS

"""Fixtures for the tests that draw imagery (tests/imagery, the CLI's imagery commands): a tiny
random-weight diffusion pipeline built offline, once.

The pipeline is saved with safetensors and loaded back through the same code users run, from a
folder and by id from a Hugging Face cache laid out like the real one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

TINY_ID = "lecture-studio-tests/tiny-sd"
TINY_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _byte_level_chars() -> list[str]:
    """The 256 printable stand-ins that CLIP's byte-level BPE uses for bytes."""
    kept = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    codes, extra = list(kept), 0
    for byte in range(256):
        if byte not in kept:
            codes.append(256 + extra)
            extra += 1
    return [chr(c) for c in codes]


def _write_tokenizer_files(folder: Path) -> dict[str, int]:
    """A CLIP vocabulary of single bytes (no merges): every text tokenizes, byte by byte."""
    folder.mkdir(parents=True, exist_ok=True)
    chars = _byte_level_chars()
    vocab = {c: i for i, c in enumerate(chars)}
    vocab.update({c + "</w>": len(chars) + i for i, c in enumerate(chars)})
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    return vocab


def build_tiny_pipeline(folder: Path) -> Path:
    """Save a tiny random StableDiffusionPipeline (about 0.6 MB) with safetensors to ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    vocab = _write_tokenizer_files(folder / "_tokenizer_source")
    tokenizer = CLIPTokenizer(
        str(folder / "_tokenizer_source" / "vocab.json"),
        str(folder / "_tokenizer_source" / "merges.txt"),
        model_max_length=77,
    )
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=4,
        attention_head_dim=4,
    )
    vae = AutoencoderKL(
        block_out_channels=[8, 16],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D"] * 2,
        up_block_types=["UpDecoderBlock2D"] * 2,
        latent_channels=4,
        norm_num_groups=4,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=vocab["<|startoftext|>"],
            eos_token_id=vocab["<|endoftext|>"],
            pad_token_id=vocab["<|endoftext|>"],
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(vocab),
            max_position_embeddings=77,
        )
    )
    scheduler = EulerDiscreteScheduler(steps_offset=1, timestep_spacing="trailing")
    pipeline = StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(folder, safe_serialization=True)
    shutil.rmtree(folder / "_tokenizer_source")
    return folder


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny pipeline in diffusers layout, built once per test session."""
    pytest.importorskip("diffusers", reason="the 'ai' extra (torch, diffusers) is not installed")
    return build_tiny_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture
def offline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Hugging Face home and app data folder, with HF_HUB_OFFLINE=1."""
    home = tmp_path / "hf-home"
    (home / "hub").mkdir(parents=True)
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return home


@pytest.fixture
def tiny_model_id() -> str:
    return TINY_ID


@pytest.fixture
def tiny_commit() -> str:
    return TINY_COMMIT


@pytest.fixture
def fake_hf_cache(offline_home: Path, tiny_model_dir: Path) -> Path:
    """The tiny pipeline cached as ``TINY_ID`` the way huggingface_hub lays out its cache.

    Files live in ``blobs/`` and the snapshot links to them, as a real download leaves them.
    """
    repo = offline_home / "hub" / ("models--" + TINY_ID.replace("/", "--"))
    snapshot = repo / "snapshots" / TINY_COMMIT
    for file in sorted(p for p in tiny_model_dir.rglob("*") if p.is_file()):
        relative = file.relative_to(tiny_model_dir)
        blob = repo / "blobs" / f"{len(relative.parts)}-{relative.as_posix().replace('/', '_')}"
        blob.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, blob)
        link = snapshot / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(blob)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(TINY_COMMIT, encoding="utf-8")
    return offline_home

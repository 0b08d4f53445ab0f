"""Latent morph with a tiny random autoencoder built offline, loaded like the real one."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from instruments.fresh import imported_by

from lecture_studio.transitions import Crossfade, make_transition
from lecture_studio.transitions.latent import LatentMorph, slerp, work_size

HEIGHT, WIDTH = 72, 128


@pytest.fixture(scope="module")
def tiny_vae_folder(tmp_path_factory) -> str:
    """A TAESD-shaped AutoencoderTiny with random weights, saved as a model folder."""
    torch = pytest.importorskip("torch")
    diffusers = pytest.importorskip("diffusers")
    torch.manual_seed(0)
    vae = diffusers.AutoencoderTiny(
        encoder_block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        num_encoder_blocks=(1, 1, 1, 1),
        num_decoder_blocks=(1, 1, 1, 1),
    )
    folder = tmp_path_factory.mktemp("tiny-taesd")
    vae.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="module")
def slides() -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    a = np.dstack([x * 2, y * 3, np.full_like(x, 40)]).astype(np.uint8)
    b = np.dstack([255 - y * 3, np.full_like(x, 200), x]).astype(np.uint8)
    return a, b


def test_morph_ends_are_the_slides_and_the_middle_is_neither(tiny_vae_folder, slides):
    a, b = slides
    morph = LatentMorph(model=tiny_vae_folder, device="cpu")
    assert morph.fallback_reason is None
    first, middle, last = morph.frames(a, b, [0.0, 0.5, 1.0])
    assert np.array_equal(first, a) and np.array_equal(last, b)
    assert middle.shape == a.shape and middle.dtype == np.uint8
    assert not np.array_equal(middle, a) and not np.array_equal(middle, b)


def test_frames_next_to_the_ends_are_close_to_the_slides(tiny_vae_folder, slides):
    a, b = slides
    morph = LatentMorph(model=tiny_vae_folder, device="cpu")
    near_a, near_b = morph.frames(a, b, [0.02, 0.98])
    assert np.abs(near_a.astype(int) - a).mean() < 2  # no jump when the morph starts
    assert np.abs(near_b.astype(int) - b).mean() < 2  # nor when it lands on b


def test_without_kept_detail_the_ends_are_the_decoded_slides(tiny_vae_folder, slides):
    import torch
    from diffusers import AutoencoderTiny

    a, b = slides
    vae = AutoencoderTiny.from_pretrained(tiny_vae_folder).eval()
    with torch.inference_mode():
        images = torch.from_numpy(np.stack([a, b])).permute(0, 3, 1, 2).float() / 127.5 - 1
        decoded = vae.decode(vae.encode(images).latents).sample
    expected = ((decoded + 1) * 127.5).round().clamp(0, 255).byte().permute(0, 2, 3, 1).numpy()
    morph = LatentMorph(model=tiny_vae_folder, device="cpu", keep_detail=False, cpu_work_side=128)
    near_a, near_b = morph.frames(a, b, [0.001, 0.999])
    assert np.abs(near_a.astype(int) - expected[0]).max() <= 2
    assert np.abs(near_b.astype(int) - expected[1]).max() <= 2


def test_on_the_cpu_frames_are_computed_small_and_scaled_up(tiny_vae_folder):
    assert work_size(1920, 1080, "cpu") == (512, 288)
    assert work_size(1920, 1080, "cuda") == (1920, 1080)
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)
    morph = LatentMorph(model=tiny_vae_folder, device="cpu", cpu_work_side=64)
    assert morph.frame(a, b, 0.5).shape == (180, 320, 3)


def test_without_a_model_it_crossfades_and_says_so(tmp_path, slides, caplog):
    a, b = slides
    morph = LatentMorph(model=str(tmp_path / "no-such-model"))
    with caplog.at_level(logging.WARNING):
        frame = morph.frame(a, b, 0.4)
    assert np.array_equal(frame, Crossfade().frame(a, b, 0.4))
    assert "crossfade instead of the latent morph" in morph.fallback_reason
    assert "no-such-model" in morph.fallback_reason
    assert "crossfade instead" in caplog.text


def test_a_model_missing_from_the_hub_cache_is_known_without_importing_torch(tmp_path):
    """An export of a deck with a morph costs no seconds of importing torch and diffusers to
    learn that the model was never downloaded."""
    code = (
        "from lecture_studio.transitions.latent import LatentMorph\n"
        "print(LatentMorph(model='nobody/missing-vae').fallback_reason)\n"
    )
    env = {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_CACHE": str(tmp_path / "hf" / "hub")}
    reason, imported = imported_by(code, ("torch", "diffusers"), env).splitlines()
    assert "'nobody/missing-vae' is not downloaded" in reason
    assert imported == "[]"


def test_the_morph_is_a_transition_kind():
    morph = make_transition("latent-morph", 1.2)
    assert isinstance(morph, LatentMorph) and morph.duration == 1.2


def test_slerp_keeps_the_ends_and_follows_the_arc():
    a = np.array([1.0, 0.0])
    b = np.array([0.0, 1.0])
    assert np.allclose(slerp(a, b, 0.0), a) and np.allclose(slerp(a, b, 1.0), b)
    middle = slerp(a, b, 0.5)
    assert np.allclose(middle, [2**-0.5, 2**-0.5])  # on the circle, unlike a linear blend
    assert np.allclose(slerp(a, 2 * a, 0.5), 1.5 * a)  # parallel: a plain blend

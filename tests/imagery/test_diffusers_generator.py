"""The diffusion-model generator, on a tiny random pipeline loaded the way users load models."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.errors import Cancelled
from lecture_studio.imagery import (
    DiffusersGenerator,
    ImageRequest,
    ModelNotFoundError,
    UnsafeModelError,
    plan_memory,
)
from lecture_studio.imagery.diffusers_generator import GIB
from lecture_studio.jobs import CancelToken

SIZE = (64, 64)


@pytest.fixture(scope="module")
def tiny_generator(tiny_model_dir: Path) -> DiffusersGenerator:
    return DiffusersGenerator(str(tiny_model_dir), device="cpu")


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_same_seed_gives_the_same_image_and_another_seed_another(tiny_generator):
    first = tiny_generator.generate("a red apple", "", SIZE, 7, 2, 0.0)
    again = tiny_generator.generate("a red apple", "", SIZE, 7, 2, 0.0)
    other = tiny_generator.generate("a red apple", "", SIZE, 8, 2, 0.0)
    assert first.size == SIZE and first.mode == "RGB"
    assert np.array_equal(pixels(first), pixels(again))
    assert np.abs(pixels(first) - pixels(other)).mean() > 1.0
    assert tiny_generator.source.kind == "folder"


def test_loading_by_id_from_the_hf_cache_offline_never_touches_the_network(
    fake_hf_cache, tiny_generator, tiny_model_id, tiny_commit, monkeypatch
):
    def no_network(*args, **kwargs):
        raise AssertionError("loading a cached model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    generator = DiffusersGenerator(tiny_model_id, device="cpu")
    assert generator.source.kind == "hub"
    assert generator.source.revision == tiny_commit
    assert tiny_commit in generator.identity
    by_id = generator.generate("a red apple", "", SIZE, 7, 2, 0.0)
    by_folder = tiny_generator.generate("a red apple", "", SIZE, 7, 2, 0.0)
    assert np.array_equal(pixels(by_id), pixels(by_folder))


def test_the_pipeline_is_loaded_once_and_reused(tiny_model_dir):
    generator = DiffusersGenerator(str(tiny_model_dir), device="cpu")
    generator.generate("one", "", SIZE, 1, 1, 0.0)
    pipeline = generator.pipeline()
    generator.generate("two", "", SIZE, 2, 1, 0.0)
    assert generator.pipeline() is pipeline


def test_progress_reports_every_step(tiny_generator):
    seen: list[float] = []
    tiny_generator.generate("steps", "", SIZE, 3, 3, 0.0, lambda f, m: seen.append(f))
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_cancel_stops_midway(tiny_generator):
    cancel = CancelToken()
    steps_seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        steps_seen.append(message)
        cancel.cancel()  # the user presses Cancel during the first step

    with pytest.raises(Cancelled):
        tiny_generator.generate("stop", "", SIZE, 5, 6, 0.0, progress, cancel)
    assert steps_seen == ["step 1/6"]


def test_a_batch_draws_the_same_images_as_one_at_a_time(tiny_generator):
    requests = [ImageRequest(f"slide {i}", "", SIZE, 100 + i, 2, 0.0) for i in range(3)]
    batch = tiny_generator.generate_batch(requests)
    single = [tiny_generator.generate(r.prompt, "", SIZE, r.seed, 2, 0.0) for r in requests]
    for a, b in zip(batch, single, strict=True):
        assert np.abs(pixels(a) - pixels(b)).max() <= 2


def test_a_missing_model_says_how_to_get_it(offline_home):
    with pytest.raises(ModelNotFoundError) as caught:
        DiffusersGenerator("stabilityai/sd-turbo")
    message = caught.value.message
    assert "lecture-studio models download stabilityai/sd-turbo" in message
    assert str(offline_home.parent / "data" / "lecture-studio" / "models") in message
    assert message.count(".") <= 3 and "\n" not in message


def test_pickle_checkpoints_are_refused(tmp_path, offline_home, tiny_model_dir):
    checkpoint = tmp_path / "model.ckpt"
    checkpoint.write_bytes(b"not really a pickle")
    with pytest.raises(UnsafeModelError, match="safetensors"):
        DiffusersGenerator(str(checkpoint))
    pickled_folder = tmp_path / "pickled"
    (pickled_folder / "unet").mkdir(parents=True)
    (pickled_folder / "model_index.json").write_text("{}")
    (pickled_folder / "unet" / "diffusion_pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(UnsafeModelError, match="safetensors"):
        DiffusersGenerator(str(pickled_folder))


def test_a_model_in_the_app_models_folder_is_found_by_name(offline_home, tiny_model_dir):
    from lecture_studio.imagery import models_dir

    target = models_dir() / "my-tiny"
    target.parent.mkdir(parents=True)
    target.symlink_to(tiny_model_dir, target_is_directory=True)
    generator = DiffusersGenerator("my-tiny", device="cpu")
    assert generator.source.kind == "folder"
    assert generator.generate("x", "", SIZE, 1, 1, 0.0).size == SIZE


def test_importing_lecture_studio_does_not_import_torch():
    code = (
        "import sys, lecture_studio, lecture_studio.imagery, lecture_studio.cli.imagery_commands;"
        "print('torch' in sys.modules, 'diffusers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_memory_plan_follows_free_gpu_memory():
    size = (1024, 576)
    roomy = plan_memory("cuda", 78 * GIB, 3 * GIB, size)
    assert roomy.batch > 1 and not (roomy.attention_slicing or roomy.cpu_offload)
    tight = plan_memory("cuda", 6 * GIB, 3 * GIB, size)
    assert tight.batch == 1 and tight.attention_slicing and tight.vae_tiling
    assert not tight.cpu_offload
    tiny = plan_memory("cuda", 4 * GIB, 3 * GIB, size)
    assert tiny.cpu_offload and tiny.batch == 1
    assert plan_memory("cpu", None, 3 * GIB, size).batch == 1

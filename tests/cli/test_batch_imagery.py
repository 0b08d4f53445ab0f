"""``lecture-studio batch --imagery`` (issue 17): each lecture's slides get the images that
``imagery`` would draw before it is exported; images drawn once are not drawn again, even for
a deck imported anew; changing the image style redoes the lecture; the model is loaded once
for the whole batch, locally and on Ray (once per actor, one actor per GPU); a missing model
is one sentence."""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pytest
from instruments.pipeline_loads import LOADS_FOLDER_VARIABLE, loads_by_process
from test_batch import cli, report_rows  # noqa: F401
from test_batch_ray import assert_same_video

from lecture_studio.cachefile import read_entry
from lecture_studio.cluster import LOCAL_RAY_CONFIG
from lecture_studio.cluster_imagery import actor_options
from lecture_studio.imagery import DEFAULT_MODEL, ProceduralGenerator
from lecture_studio.imagery.diffusers_generator import DiffusersGenerator
from lecture_studio.project import PROJECT_FILE, Project

VIDEO = ["--size", "160x90"]
PROCEDURAL = ["--imagery", "--generator", "procedural", "--image-size", "128x64"]
TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """Two silent outlines of two slides each: course/cells.md and course/energy.txt."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "cells.md").write_text("# Cells\n\n- membrane\n\n# Tissue\n\n- layers\n")
    (folder / "energy.txt").write_text("Photosynthesis\n- light\n\nRespiration\n- sugar\n")
    return folder


@pytest.fixture
def drawn_images(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own; the folder of the images the batch keeps there."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "lecture-studio" / "images"


@pytest.fixture
def procedural_draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The seeds of the images the procedural generator draws, in this process."""
    seeds: list[int] = []
    original = ProceduralGenerator.generate

    def counted(self, prompt, negative, size, seed, *args, **kwargs):
        seeds.append(seed)
        return original(self, prompt, negative, size, seed, *args, **kwargs)

    monkeypatch.setattr(ProceduralGenerator, "generate", counted)
    return seeds


def first_frame(video: Path) -> np.ndarray:
    with av.open(str(video)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgb24")


def statuses(outdir: Path) -> dict[str, str]:
    return {name: row["status"] for name, row in report_rows(outdir).items()}


def test_each_lecture_gets_its_images_and_they_are_not_drawn_again(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    drawn_images: Path,
    procedural_draws: list[int],
) -> None:
    plain = cli("batch", course, "-o", tmp_path / "plain", *VIDEO, "--quiet")
    assert plain.returncode == 0, plain.stderr
    drawn = cli("batch", course, "-o", tmp_path / "drawn", *VIDEO, *PROCEDURAL)
    assert drawn.returncode == 0, drawn.stderr
    assert "2 exported" in drawn.stdout
    assert len(procedural_draws) == 4  # two slides in each of two lectures
    for name in ("cells", "energy"):  # the slides show their images
        assert not np.array_equal(
            first_frame(tmp_path / "plain" / f"{name}.mp4"),
            first_frame(tmp_path / "drawn" / f"{name}.mp4"),
        )

    assert len(list(drawn_images.glob("*.png"))) == 4
    del procedural_draws[:]

    again = cli("batch", course, "-o", tmp_path / "drawn", *VIDEO, *PROCEDURAL, "--quiet")
    assert again.returncode == 0
    assert set(statuses(tmp_path / "drawn").values()) == {"up to date"}
    assert procedural_draws == []

    # Another export option redoes the lectures, imported anew, but their images come from the
    # cache: an imported slide is seeded by its place, not by its id, which is new each time.
    before = first_frame(tmp_path / "drawn" / "cells.mp4")
    redone = cli("batch", course, "-o", tmp_path / "drawn", *VIDEO, *PROCEDURAL, "--no-chapters")
    assert redone.returncode == 0, redone.stderr
    assert set(statuses(tmp_path / "drawn").values()) == {"exported"}
    assert procedural_draws == []
    assert np.array_equal(first_frame(tmp_path / "drawn" / "cells.mp4"), before)


def test_a_saved_projects_images_are_those_imagery_draws_and_it_is_not_written_to(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    drawn_images: Path,
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    project_path = saved / "cells.lecture"
    assert cli("import", course / "cells.md", "-o", project_path).returncode == 0
    before = (project_path / PROJECT_FILE).read_bytes()
    result = cli("batch", saved, "-o", tmp_path / "videos", *VIDEO, *PROCEDURAL)
    assert result.returncode == 0, result.stderr
    assert (project_path / PROJECT_FILE).read_bytes() == before
    assert not (project_path / "assets").exists() or not any(
        p.name.startswith("img-") for p in (project_path / "assets").iterdir()
    )

    drawn = tmp_path / "drawn.lecture"
    args = ["imagery", project_path, "-o", drawn, "--generator", "procedural"]
    assert cli(*args, "--size", "128x64", "--quiet").returncode == 0
    project = Project.load(drawn)
    assets = {}
    for slide in project.lecture.slides:
        name = slide.imagery.variants[slide.imagery.chosen]
        assets[name.removeprefix("img-").removesuffix(".png")] = project.asset_bytes(name)
    kept = {path.stem[:32]: read_entry(path) for path in drawn_images.glob("*.png")}
    assert len(kept) == 2 and kept == assets  # byte for byte


def test_another_style_redoes_the_lecture_with_new_images(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    drawn_images: Path,
    procedural_draws: list[int],
) -> None:
    outdir = tmp_path / "videos"
    assert cli("batch", course, "-o", outdir, *VIDEO, *PROCEDURAL, "--quiet").returncode == 0
    assert len(procedural_draws) == 4
    styled = cli("batch", course, "-o", outdir, *VIDEO, *PROCEDURAL, "--style", "watercolor")
    assert styled.returncode == 0, styled.stderr
    assert set(statuses(outdir).values()) == {"exported"}
    assert len(procedural_draws) == 8  # the prompts changed, so each image is drawn anew
    assert len(list(drawn_images.glob("*.png"))) == 8
    # Without --imagery the videos are made again, with no images.
    plain = cli("batch", course, "-o", outdir, *VIDEO, "--quiet")
    assert plain.returncode == 0
    assert set(statuses(outdir).values()) == {"exported"}
    assert len(procedural_draws) == 8


def test_image_options_without_imagery_are_refused(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
) -> None:
    result = cli("batch", course, "-o", tmp_path / "out", *VIDEO, "--style", "watercolor")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "lecture-studio: The image options (--style, --generator, --model...) draw slide "
        "images only with --imagery; add --imagery, or leave them out."
    ]
    assert not (tmp_path / "out").exists()


def test_the_actors_follow_the_clusters_gpus() -> None:
    assert actor_options({"CPU": 16.0, "GPU": 2.0}) == [{"num_gpus": 1, "num_cpus": 0}] * 2
    assert actor_options({"CPU": 2.0}) == [{"num_cpus": 1}]
    assert actor_options({"CPU": 2.0, "GPU": 0.5}) == [{"num_cpus": 1}]
    # one CPU: an actor holding it would leave none for the lectures' pieces
    assert actor_options({"CPU": 1.0}) == [{"num_cpus": 0}]


# --- with the tiny diffusion model (torch) ------------------------------------------------------


def tiny(model: Path) -> list[str]:
    """The options that draw with the tiny model, small and quick."""
    return [
        *("--imagery", "--model", str(model), "--image-size", "64x64"),
        *("--steps", "2", "--guidance", "0"),
    ]


@pytest.fixture
def pipeline_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The models a diffusion pipeline is loaded for, in this process."""
    loads: list[str] = []
    original = DiffusersGenerator._load

    def counted(self):
        loads.append(self.source.name)
        return original(self)

    monkeypatch.setattr(DiffusersGenerator, "_load", counted)
    return loads


def test_the_model_is_loaded_once_for_the_whole_batch(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    drawn_images: Path,
    pipeline_loads: list[str],
    tiny_model_dir: Path,
) -> None:
    result = cli("batch", course, "-o", tmp_path / "out", *VIDEO, *tiny(tiny_model_dir))
    assert result.returncode == 0, result.stderr
    assert "2 exported" in result.stdout
    assert pipeline_loads == [str(tiny_model_dir)]
    assert len(list(drawn_images.glob("*.png"))) == 4


def test_a_missing_model_is_one_sentence_saying_how_to_get_it(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    offline_home: Path,
) -> None:
    out = tmp_path / "out"
    for given, model in ((["--model", "nobody/nothing"], "nobody/nothing"), ([], DEFAULT_MODEL)):
        result = cli("batch", course, "-o", out, *VIDEO, "--imagery", *given)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"lecture-studio: The image model {model} ")
        assert f"run `lecture-studio models download {model}`" in lines[0]
        assert not out.exists()


@pytest.fixture
def ray_with_two_gpus(tmp_path: Path):
    """A local Ray instance of 2 CPUs and 2 GPUs (Ray's resources; the actors draw on the
    CPU, as torch finds no CUDA) whose workers count the pipelines they load."""
    ray = pytest.importorskip("ray", reason="lecture-studio[cluster] (Ray) is not installed")
    loads = tmp_path / "loads"
    loads.mkdir()
    path = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH", "")) if p)
    ray.init(
        num_cpus=2,
        num_gpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        runtime_env={
            "env_vars": {"PYTHONPATH": path, LOADS_FOLDER_VARIABLE: str(loads)},
            "worker_process_setup_hook": "instruments.pipeline_loads.count_pipeline_loads",
        },
        _system_config=LOCAL_RAY_CONFIG,  # as the app's local instance
    )
    try:
        yield loads
    finally:
        ray.shutdown()


def test_on_ray_the_images_are_the_local_ones_and_each_gpu_actor_loads_the_model_once(
    course: Path,
    tmp_path: Path,
    cli,  # noqa: F811
    tiny_model_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    ray_with_two_gpus: Path,
) -> None:
    options = [*VIDEO, *tiny(tiny_model_dir), "--quiet"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "local-cache"))
    assert cli("batch", course, "-o", tmp_path / "local", *options).returncode == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ray-cache"))
    on_ray = cli("batch", course, "-o", tmp_path / "ray", *options, "--ray")
    assert on_ray.returncode == 0, on_ray.stderr

    for name in ("cells", "energy"):
        assert_same_video(tmp_path / "local" / f"{name}.mp4", tmp_path / "ray" / f"{name}.mp4")
    images = "lecture-studio/images"
    local = {p.name: read_entry(p) for p in (tmp_path / "local-cache" / images).glob("*.png")}
    ray_drawn = {p.name: read_entry(p) for p in (tmp_path / "ray-cache" / images).glob("*.png")}
    assert len(local) == 4 and ray_drawn == local
    # Two actors (one per GPU) drew the four images, two lectures' worth, loading the model
    # once each.
    loads = {pid: n for pid, n in loads_by_process(ray_with_two_gpus).items() if pid != os.getpid()}
    assert sorted(loads.values()) == [1, 1]

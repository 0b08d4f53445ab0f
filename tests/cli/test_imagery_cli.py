"""The `imagery` and `models` commands, run through the real `lecture-studio` entry point."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import lecture_studio.cli as cli_module
from lecture_studio.cli.imagery_commands import add_imagery_commands, parse_slide_numbers
from lecture_studio.project import Project

OUTLINE = """\
# Water cycle

- Evaporation
- Condensation

# Clouds

- Cumulus
- Stratus

# Rain

- Precipitation
"""


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """`lecture-studio` with the imagery commands, whether or not commands.py wires them yet."""
    parser = cli_module.build_parser()
    choices = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "imagery" not in choices:
        original = cli_module.add_commands

        def with_imagery(sub, epilog):
            original(sub, epilog)
            add_imagery_commands(sub, epilog)

        monkeypatch.setattr(cli_module, "add_commands", with_imagery)
    return cli_module.main


@pytest.fixture
def outline(tmp_path: Path) -> Path:
    path = tmp_path / "water.md"
    path.write_text(OUTLINE, encoding="utf-8")
    return path


def test_imagery_imports_draws_and_saves_then_skips_unchanged(cli, outline, tmp_path, capsys):
    project_path = tmp_path / "water.lecture"
    args = ["imagery", str(outline), "-o", str(project_path), "--generator", "procedural"]
    assert cli([*args, "--slides", "1,3", "--size", "128x72"]) == 0
    assert "Drew 2 images, 0 unchanged" in capsys.readouterr().out
    project = Project.load(project_path)
    counts = [len(s.imagery.variants) for s in project.lecture.slides]
    assert counts == [1, 0, 1]
    assert project.lecture.style.imagery_generator == "procedural"
    first = project.lecture.slides[0].imagery.variants[0]
    assert (project_path / "assets" / first).is_file()
    again = ["imagery", str(project_path), "--size", "128x72", "--quiet"]
    assert cli(again) == 0 and capsys.readouterr().out == ""  # draws slide 2 only
    assert [len(s.imagery.variants) for s in Project.load(project_path).lecture.slides] == [1] * 3
    assert cli(["imagery", str(project_path), "--size", "128x72"]) == 0
    assert "Drew 0 images, 3 unchanged" in capsys.readouterr().out


def test_imagery_on_a_deck_without_output_says_to_add_one(cli, outline, capsys):
    assert cli(["imagery", str(outline), "--generator", "procedural"]) == 2
    assert "add -o NAME.lecture" in capsys.readouterr().err


def test_imagery_with_a_missing_model_says_how_to_get_it(
    cli, outline, tmp_path, capsys, offline_home
):
    out = tmp_path / "x.lecture"
    assert cli(["imagery", str(outline), "-o", str(out), "--model", "nobody/nothing"]) == 2
    err = capsys.readouterr().err
    assert "lecture-studio models download nobody/nothing" in err
    assert "Traceback" not in err and not out.exists()


def test_slide_numbers_out_of_range_are_refused(cli, outline, tmp_path, capsys):
    out = tmp_path / "x.lecture"
    args = ["imagery", str(outline), "-o", str(out), "--generator", "procedural", "--slides", "2-5"]
    assert cli(args) == 2
    assert "no slide 4" in capsys.readouterr().err


def test_parse_slide_numbers():
    assert parse_slide_numbers("3,5-7") == [3, 5, 6, 7]
    assert parse_slide_numbers("2, 1, 2") == [2, 1]
    for bad in ("0", "7-5", "a", "1,,2"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_slide_numbers(bad)


def test_models_list_shows_the_cache_and_the_models_folder(
    cli, fake_hf_cache, tiny_model_id, capsys
):
    from lecture_studio.imagery import models_dir

    models_dir().mkdir(parents=True)
    (models_dir() / "mine.safetensors").write_bytes(b"\0" * 2048)
    assert cli(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert tiny_model_id in out and "diffusers pipeline" in out and "Hugging Face cache" in out
    assert "mine.safetensors" in out and "single-file checkpoint" in out


def test_models_download_offline_fails_with_one_sentence(cli, offline_home, capsys):
    assert cli(["models", "download", "stabilityai/sd-turbo"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("lecture-studio: Cannot download stabilityai/sd-turbo")
    assert "\n" not in err

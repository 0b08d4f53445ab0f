"""Hostile and unlucky inputs through the real command (issue 16): each ends with one sentence
and the documented exit status, never a traceback, and writes nothing it should not."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from lecture_studio.app import register_builtins, set_app_registry
from lecture_studio.cli import main
from lecture_studio.fileio import claim_temporary_beside
from lecture_studio.plugins import PluginError, PluginRegistry
from lecture_studio.transitions import make_transition

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]

FAILING_TRANSITION = """\
class Boom:
    duration = 0.4

    def frame(self, a, b, progress):
        raise RuntimeError("kaboom")


def register(registrar):
    registrar.add_transition("boom", lambda **kwargs: Boom())
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The command's environment: its own cache and no plugins but those a test adds."""
    (tmp_path / "plugins").mkdir()
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        LECTURE_STUDIO_PLUGIN_PATH=str(tmp_path / "plugins"),
        PYTHONPATH=str(REPO),
    )


def lecture_studio(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lecture_studio", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Runs the command in this process (fast: nothing to import again) and returns
    ``CompletedProcess``-like results; an escaping exception fails the test as a traceback
    would. The logging the command configures is undone afterwards."""
    handlers = list(logging.getLogger().handlers)

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        status = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, captured.out, captured.err)

    yield run
    logging.getLogger().handlers[:] = handlers


def refused(result: subprocess.CompletedProcess, status: int) -> str:
    """The one line a refused command printed, after checking its status and that it is alone."""
    assert "Traceback" not in result.stderr
    assert result.returncode == status, result.stderr
    lines = [line for line in result.stderr.splitlines() if not re.match(r"\s*\d+\.\d%", line)]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lecture-studio: ")
    return lines[0]


def files_in(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if "cache" not in path.parts}


def data_copy(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).write_bytes((DATA / name).read_bytes())
    return folder / names[0]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["picture-etc-passwd.md"],
            "The picture /etc/passwd on slide 1 of picture-etc-passwd.md is not a PNG",
        ),
        (
            ["picture-no-such-user.md"],
            "The image ~nosuchuser/x.png named on slide 1 of picture-no-such-user.md is not at",
        ),
        (
            ["picture-bomb.md", "bomb-30000x30000.png"],
            "The picture bomb-30000x30000.png on slide 1 of picture-bomb.md is larger than the "
            "50 megapixels",
        ),
    ],
    ids=["etc-passwd", "no-such-user", "bomb"],
)
def test_an_outline_with_a_bad_picture_is_refused_and_writes_nothing(
    tmp_path: Path, cli, names: list[str], expected: str
) -> None:
    outline = data_copy(tmp_path, *names)
    before = files_in(tmp_path)
    result = cli("import", outline, "-o", tmp_path / "talk.lecture")
    assert refused(result, 2).startswith(f"lecture-studio: {expected}")
    result = cli("export", outline, "-o", tmp_path / "talk.mp4")
    assert refused(result, 2).startswith(f"lecture-studio: {expected}")
    assert files_in(tmp_path) == before


def test_a_symlink_to_a_system_file_is_refused(tmp_path: Path, cli) -> None:
    (tmp_path / "leaf.png").symlink_to("/etc/hostname")
    outline = tmp_path / "talk.md"
    outline.write_text("# Leaves\n\n![](leaf.png)\n", encoding="utf-8")
    before = files_in(tmp_path)
    result = cli("import", outline, "-o", tmp_path / "talk.lecture")
    assert "leaf.png on slide 1 of talk.md is not a PNG, JPEG" in refused(result, 2)
    assert files_in(tmp_path) == before


def test_info_lists_pictures_from_outside_the_outlines_folder(tmp_path: Path, cli) -> None:
    picture = tmp_path / "shared" / "leaf.png"
    picture.parent.mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    outline = tmp_path / "course" / "talk.md"
    outline.parent.mkdir()
    outline.write_text("# Leaves\n\n![](../shared/leaf.png)\n", encoding="utf-8")
    result = cli("info", outline)
    assert result.returncode == 0 and result.stderr == ""
    assert (
        f"  - Slide 1: the picture ../shared/leaf.png comes from outside the folder of talk.md "
        f"({picture.resolve()}); check that you meant to include it.\n"
    ) in result.stdout


@pytest.mark.parametrize("name", ["slide-size-not-a-number.pptx", "slide-size-negative.pptx"])
def test_a_deck_of_impossible_size_is_shown_at_16_9(cli, name: str) -> None:
    result = cli("info", DATA / name)
    assert result.returncode == 0 and result.stderr == ""
    assert "Slide size: 13.33 x 7.50 in (aspect 1.778)" in result.stdout
    assert f"  - The slide size of {name} " in result.stdout


def test_control_characters_never_reach_the_output(cli) -> None:
    result = cli("info", DATA / "control-characters.md")
    assert result.returncode == 0 and result.stderr == ""
    assert "Title:     Title[31m red\n" in result.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)


def three_slides(folder: Path) -> Path:
    outline = folder / "talk.md"
    outline.write_text("# One\n\nfirst\n\n# Two\n\nsecond\n\n# Three\n\nthird\n", encoding="utf-8")
    return outline


def test_a_transition_plugin_that_raises_ends_the_export_with_its_name(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Three slides, so two transitions: the second one used to end in a traceback."""
    plugin = tmp_path / "plugins" / "boom"
    plugin.mkdir()
    (plugin / "plugin.toml").write_text(
        '[plugin]\nname = "boom"\nversion = "0.1"\napi_version = 1\nkinds = ["transition"]\n',
        encoding="utf-8",
    )
    (plugin / "__init__.py").write_text(textwrap.dedent(FAILING_TRANSITION), encoding="utf-8")
    outline = three_slides(tmp_path)
    before = files_in(tmp_path)
    result = lecture_studio(
        env, "export", outline, "-o", tmp_path / "talk.mp4", "--size", "320x180", "--transition",
        "boom",
    )  # fmt: skip
    assert refused(result, 1) == (
        "lecture-studio: The plugin boom failed in its transition 'boom' (RuntimeError: kaboom); "
        "it is disabled for now, so choose another one or update the plugin."
    )
    assert {p for p in files_in(tmp_path) - before if "__pycache__" not in p.parts} == set()


def test_an_export_removes_partial_files_of_killed_exports_only(tmp_path: Path, cli) -> None:
    outline = three_slides(tmp_path)
    video = tmp_path / "talk.mp4"
    killed = tmp_path / ".talk.mp4.k1ll3d_9.partial.mp4"  # its writer is gone: nobody claims it
    killed.write_bytes(b"half a video")
    other = tmp_path / ".other.mp4.k1ll3d_9.partial.mp4"  # another destination's
    other.write_bytes(b"half another video")
    live = claim_temporary_beside(video, ".partial.mp4")  # an export still at work
    try:
        result = cli("export", outline, "-o", video, "--size", "320x180", "--quiet")
        assert result.returncode == 0, result.stderr
        assert video.is_file() and not killed.exists()
        assert live.path.is_file() and other.is_file()
    finally:
        live.release()


def test_quiet_prints_no_cache_warnings_and_without_it_they_are_one_line(
    tmp_path: Path, env: dict[str, str], cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    outline = three_slides(tmp_path)
    video = tmp_path / "talk.mp4"
    args = ("export", outline, "-o", video, "--size", "320x180", "--no-chapters")
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])
    assert cli(*args).returncode == 0  # fills the cache the commands below find damaged
    entries = sorted((tmp_path / "cache").rglob("*.pk*"))
    assert entries

    def damage() -> None:
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:10])

    damage()
    quiet = lecture_studio(env, *args, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    damage()
    loud = lecture_studio(env, *args)
    assert loud.returncode == 0
    cache_lines = [line for line in loud.stderr.splitlines() if "cache" in line]
    assert cache_lines and all(line.startswith("warning: ") for line in cache_lines)
    assert "WARNING" not in loud.stderr and "Traceback" not in loud.stderr


def test_a_failed_transition_plugin_is_named_whenever_it_is_asked_for_again(
    tmp_path: Path,
) -> None:
    """Why two transitions gave a traceback: the first frame's failure withdraws the plugin, and
    the next slide's transition was then "unknown". Its duration is plugin code too."""
    plugin = tmp_path / "plugins" / "boom"
    plugin.mkdir(parents=True)
    (plugin / "plugin.toml").write_text(
        '[plugin]\nname = "boom"\nversion = "0.1"\napi_version = 1\nkinds = ["transition"]\n',
        encoding="utf-8",
    )
    code = FAILING_TRANSITION.replace(
        "    duration = 0.4\n", "    @property\n    def duration(self):\n        return 1 / 0\n"
    )
    (plugin / "__init__.py").write_text(code, encoding="utf-8")
    registry = PluginRegistry(
        folders=[tmp_path / "plugins"], entry_points=False, builtins=register_builtins
    )
    set_app_registry(registry)
    try:
        with pytest.raises(PluginError) as first:
            float(make_transition("boom", 0.4, registry=registry).duration)
        assert first.value.message.startswith(
            "The plugin boom failed in its transition 'boom' (ZeroDivisionError: division by zero"
        )
        assert first.value.message.endswith(
            "; it is disabled for now, so choose another one or update the plugin."
        )
        with pytest.raises(PluginError) as again:
            make_transition("boom", 0.4, registry=registry)
        assert again.value.message == first.value.message
    finally:
        set_app_registry(None)
        for name in [m for m in sys.modules if m.startswith("lecture_studio_plugin_")]:
            del sys.modules[name]


def test_a_project_naming_a_transition_nothing_provides_is_refused(tmp_path: Path, cli) -> None:
    """A project from a colleague whose transition plugin is not installed here."""
    project = tmp_path / "talk.lecture"
    assert cli("import", three_slides(tmp_path), "-o", project, "--quiet").returncode == 0
    file = project / "project.json"
    data = json.loads(file.read_text(encoding="utf-8"))
    data["lecture"]["style"]["transition"] = {"kind": "page-curl", "duration": 0.5}
    file.write_text(json.dumps(data), encoding="utf-8")
    result = cli("export", project, "-o", tmp_path / "talk.mp4", "--size", "320x180")
    assert refused(result, 2).startswith(
        "lecture-studio: unknown transition 'page-curl'; choose one of: cover-down,"
    )
    assert not (tmp_path / "talk.mp4").exists()

"""The plugin registry: discovery, lazy loading, failing plugins reported and disabled, the
built-in kinds served through it, and ``--no-plugins``."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from lecture_studio.app import (
    app_registry,
    register_builtins,
    set_app_registry,
    set_plugins_enabled,
)
from lecture_studio.cli.plugin_commands import (
    add_no_plugins_flag,
    add_plugin_commands,
    apply_no_plugins,
    export_with_plugin,
)
from lecture_studio.imagery import generator_for_lecture
from lecture_studio.importers import import_path
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture
from lecture_studio.narration import choose_engine
from lecture_studio.plugins import (
    EXPORTER,
    IMAGE_GENERATOR,
    IMPORTER,
    KINDS,
    NARRATION_ENGINE,
    TRANSITION,
    PluginError,
    PluginRegistry,
)
from lecture_studio.transitions import make_transition


def write_plugin(folder: Path, package: str, manifest: str, code: str) -> Path:
    """A plugin package ``folder/package`` with its plugin.toml and __init__.py."""
    path = folder / package
    path.mkdir(parents=True)
    (path / "plugin.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    (path / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def manifest(name: str, kinds: str, api: int = 1) -> str:
    return f'[plugin]\nname = "{name}"\nversion = "0.3"\napi_version = {api}\nkinds = {kinds}\n'


# Writes a line to IMPORTED (an environment path) when imported: the tests see exactly when.
SPOTTED = """\
import os
with open(os.environ["IMPORTED"], "a") as log:
    log.write(__name__ + "\\n")
"""

GOOD_TRANSITION = (
    SPOTTED
    + """
from dataclasses import dataclass

@dataclass(frozen=True)
class Half:
    duration: float = 0.5
    easing: str = "linear"
    def frame(self, a, b, progress):
        out = a.copy()
        out[:, out.shape[1] // 2:] = b[:, out.shape[1] // 2:]
        return out

def register(registrar):
    registrar.add_transition("half-split", Half)
"""
)


@pytest.fixture
def imported(tmp_path, monkeypatch) -> Path:
    log = tmp_path / "imported.log"
    log.write_text("")
    monkeypatch.setenv("IMPORTED", str(log))
    return log


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "plugins"
    path.mkdir()
    return path


@pytest.fixture
def registry(folder):
    registry = PluginRegistry(folders=[folder], entry_points=False, builtins=register_builtins)
    set_app_registry(registry)
    yield registry
    set_app_registry(None)
    for name in [m for m in sys.modules if m.startswith("lecture_studio_plugin_")]:
        del sys.modules[name]


def status(registry: PluginRegistry, name: str) -> tuple[str, str]:
    record = next(r for r in registry.plugins() if r.name == name)
    return record.status, record.error


def test_builtins_of_every_kind_come_from_the_registry(registry):
    builtin = registry.plugins()[0]
    assert (builtin.name, builtin.source, builtin.status) == (
        "lecture-studio",
        "built-in",
        "loaded",
    )
    assert {kind for kind, _ in builtin.contributions} == set(KINDS)
    assert {"pptx", "markdown", "text"} <= set(registry.names(IMPORTER))
    assert {"pyttsx3", "openjtalk"} <= set(registry.names(NARRATION_ENGINE))
    assert {"diffusers", "procedural"} <= set(registry.names(IMAGE_GENERATOR))
    assert {"cut", "crossfade", "wipe-left", "latent-morph"} <= set(registry.names(TRANSITION))
    assert registry.find_for_suffix(EXPORTER, ".MP4").name == "mp4"
    assert registry.find_for_suffix(IMPORTER, ".md").name == "markdown"


def test_a_plugin_is_read_at_start_but_imported_only_when_its_kind_is_needed(
    registry, folder, imported
):
    write_plugin(folder, "half", manifest("half", '["transition"]'), GOOD_TRANSITION)
    assert status(registry, "half") == ("not loaded", "")
    assert (
        make_transition("crossfade", 0.5, registry=registry).duration == 0.5
    )  # a built-in: no import
    registry.names(NARRATION_ENGINE)  # another kind: no import either
    assert imported.read_text() == ""
    a = np.zeros((4, 8, 3), np.uint8)
    b = np.full((4, 8, 3), 255, np.uint8)
    frame = make_transition("half-split", 0.5, registry=registry).frame(a, b, 0.3)
    assert (frame[:, :4] == 0).all() and (frame[:, 4:] == 255).all()
    assert imported.read_text().count("\n") == 1
    assert status(registry, "half") == ("loaded", "")


def test_a_plugin_that_fails_to_import_is_reported_and_the_app_goes_on(registry, folder):
    write_plugin(folder, "broken", manifest("broken", '["transition"]'), "import no_such_module\n")
    write_plugin(folder, "half", manifest("half", '["transition"]'), "")
    write_plugin(
        folder, "half2", manifest("half2", '["transition"]'), GOOD_TRANSITION.replace(SPOTTED, "")
    )
    assert "half-split" in registry.names(TRANSITION)
    state, error = status(registry, "broken")
    assert state == "failed"
    assert "ModuleNotFoundError" in error and "no_such_module" in error and "line 1" in error
    assert status(registry, "half")[0] == "failed"
    assert "register" in status(registry, "half")[1]
    with pytest.raises(ValueError, match="unknown transition 'broken-thing'.*half-split"):
        make_transition("broken-thing", 0.5, registry=registry)


@pytest.mark.parametrize(
    ("plugin_toml", "code", "expected_status", "expected_error"),
    [
        (manifest("future", '["transition"]', api=99), "", "disabled", "plugin API 99"),
        ('[plugin]\nname = "nokinds"\nversion = "1"\napi_version = 1\n', "", "failed", "kinds"),
        ("not toml at all [", "", "failed", "cannot be read"),
        (
            manifest("clash", '["transition"]'),
            "def register(r):\n    r.add_transition('crossfade', lambda **k: None)\n",
            "failed",
            "'crossfade' is already provided by lecture-studio",
        ),
        (
            manifest("sneaky", '["transition"]'),
            "def register(r):\n    r.add_importer('csv', ['.csv'], print)\n",
            "failed",
            "does not list 'importer'",
        ),
        (
            manifest("idle", '["transition"]'),
            "def register(r):\n    pass\n",
            "failed",
            "declares transition in plugin.toml but added none",
        ),
        (
            manifest("quitter", '["transition"]'),
            "import sys\nsys.exit(1)\n",
            "failed",
            "SystemExit",
        ),
    ],
)
def test_plugins_that_break_the_rules_are_turned_away_with_a_reason(
    registry, folder, plugin_toml, code, expected_status, expected_error
):
    write_plugin(folder, "p", plugin_toml, code)
    names = registry.names(TRANSITION)
    assert "crossfade" in names
    record = next(r for r in registry.plugins() if r.source == "folder")
    assert record.status == expected_status
    assert expected_error in record.error


def test_a_transition_that_misbehaves_at_work_is_disabled_with_a_clear_error(registry, folder):
    code = (
        "def register(r):\n"
        "    class Bad:\n"
        "        duration = 0.5\n"
        "        def frame(self, a, b, progress):\n"
        "            return a[:2]\n"
        "    r.add_transition('bad', lambda **kwargs: Bad())\n"
    )
    write_plugin(folder, "bad", manifest("bad", '["transition"]'), code)
    transition = make_transition("bad", 0.5, registry=registry)
    a = np.zeros((4, 8, 3), np.uint8)
    with pytest.raises(PluginError, match=r"The plugin bad failed in its transition 'bad'"):
        transition.frame(a, a, 0.5)
    assert status(registry, "bad")[0] == "failed"
    assert "bad" not in registry.names(TRANSITION)


def test_a_second_plugin_of_the_same_name_is_disabled(registry, folder, tmp_path):
    write_plugin(folder, "one", manifest("twin", '["transition"]'), GOOD_TRANSITION)
    write_plugin(folder, "two", manifest("twin", '["transition"]'), GOOD_TRANSITION)
    records = [r for r in registry.plugins() if r.name == "twin"]
    assert [r.status for r in records] == ["not loaded", "disabled"]
    assert "found first" in records[1].error


def test_importer_image_generator_and_exporter_plugins_are_used_by_the_app(
    registry, folder, tmp_path
):
    code = """\
    from pathlib import Path
    from lecture_studio.model import Lecture, Slide
    from lecture_studio.project import Project
    from lecture_studio.imagery import ProceduralGenerator

    def import_csv(path, progress, cancel):
        rows = Path(path).read_text().splitlines()
        return Project(Lecture(title="csv", slides=[Slide(title=row) for row in rows]))

    def export_txt(project, destination, progress, cancel):
        Path(destination).write_text("\\n".join(s.title for s in project.lecture.slides))
        return [Path(destination)]

    def register(r):
        r.add_importer("csv", [".csv"], import_csv)
        r.add_image_generator("dots", lambda lecture, *_: ProceduralGenerator.for_lecture(lecture))
        r.add_exporter("titles", ["txt-titles"], export_txt)
    """
    kinds = '["importer", "image-generator", "exporter"]'
    write_plugin(folder, "extra", manifest("extra", kinds), code)
    source = tmp_path / "deck.csv"
    source.write_text("First\nSecond\n")
    project = import_path(source, registry=registry)
    assert [s.title for s in project.lecture.slides] == ["First", "Second"]

    assert generator_for_lecture(Lecture(), kind="dots", registry=registry).name
    with pytest.raises(ValueError, match="unknown image generator 'nope'.*'dots'"):
        generator_for_lecture(Lecture(), kind="nope", registry=registry)

    out = tmp_path / "titles.txt-titles"
    args = argparse.Namespace(path=source, output=out, quiet=True)
    assert export_with_plugin(args, CancelToken()) == 0
    assert out.read_text() == "First\nSecond"
    args.output = tmp_path / "video.avi"
    with pytest.raises(Exception, match="does not end in .mp4 or a suffix a plugin exports"):
        export_with_plugin(args, CancelToken())


def test_a_voice_that_only_looks_like_engine_colon_voice_stays_with_the_system_voice(registry):
    assert choose_engine("Hello.", "en", "gmw/en-us:x").name == "pyttsx3"
    assert choose_engine("こんにちは。", "ja", None).name == "openjtalk"


def test_plugins_list_shows_each_plugin_its_status_and_what_it_provides(
    registry, folder, imported, capsys
):
    write_plugin(folder, "half", manifest("half", '["transition"]'), GOOD_TRANSITION)
    write_plugin(folder, "broken", manifest("broken", '["transition"]'), "1 / 0\n")
    parser = argparse.ArgumentParser()
    add_plugin_commands(parser.add_subparsers(dest="command"), "")
    args = parser.parse_args(["plugins", "list"])
    assert args.run(args, CancelToken()) == 0
    out, err = capsys.readouterr()
    assert "lecture-studio 0.1.0  [built-in]  loaded" in out
    assert "half 0.3  [folder]  loaded" in out
    assert "  transition: half-split" in out
    assert "broken 0.3  [folder]  failed" in out
    assert "failed: ZeroDivisionError: division by zero (at __init__.py, line 1)" in out
    assert f"  {folder}\n" in out
    assert "1 plugin not in use: broken" in err


def test_no_plugins_starts_with_the_built_ins_only(monkeypatch, tmp_path):
    write_plugin(tmp_path, "half", manifest("half", '["transition"]'), GOOD_TRANSITION)
    monkeypatch.setenv("LECTURE_STUDIO_PLUGIN_PATH", str(tmp_path))
    monkeypatch.setenv("IMPORTED", str(tmp_path / "log"))
    parser = argparse.ArgumentParser()
    add_no_plugins_flag(parser)
    try:
        set_app_registry(None)
        assert "half" in [r.name for r in app_registry().plugins()]
        apply_no_plugins(parser.parse_args(["--no-plugins"]))
        assert [r.name for r in app_registry().plugins()] == ["lecture-studio"]
        assert "half-split" not in app_registry().names(TRANSITION)
        set_plugins_enabled(True)
        monkeypatch.setenv("LECTURE_STUDIO_NO_PLUGINS", "1")
        assert [r.name for r in app_registry().plugins()] == ["lecture-studio"]
    finally:
        set_plugins_enabled(True)


def test_entry_point_plugins_are_found_through_their_distribution(tmp_path, monkeypatch):
    site = tmp_path / "site"
    write_plugin(site, "ep_half", manifest("ep-half", '["transition"]'), GOOD_TRANSITION)
    dist = site / "ep_half-0.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-half\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text("[lecture_studio.plugins]\nep-half = ep_half\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("IMPORTED", str(tmp_path / "log"))
    registry = PluginRegistry(folders=[], entry_points=True, builtins=register_builtins)
    record = next(r for r in registry.plugins() if r.name == "ep-half")
    assert (record.source, record.status) == ("entry point", "not loaded")
    assert "half-split" in registry.names(TRANSITION)
    assert record.status == "loaded"
    monkeypatch.delitem(sys.modules, "ep_half", raising=False)


def test_core_lookups_given_no_registry_use_the_built_ins_only(
    registry, folder, imported, tmp_path
):
    """The app's registry (plugins included) reaches the core only when passed in."""
    from lecture_studio.errors import UnsupportedFormatError
    from lecture_studio.importers import importable_suffixes
    from lecture_studio.transitions import UnknownTransitionError

    code = (
        "from lecture_studio.project import Project\n"
        "def register(r):\n"
        "    r.add_importer('csv', ['.csv'], lambda path, progress, cancel: Project())\n"
    )
    write_plugin(folder, "csv", manifest("csv", '["importer"]'), code)
    write_plugin(
        folder, "half", manifest("half", '["transition"]'), GOOD_TRANSITION
    )  # found at start
    assert make_transition("half-split", 0.5, registry=registry).duration == 0.5
    with pytest.raises(UnknownTransitionError):
        make_transition("half-split", 0.5)
    source = tmp_path / "deck.csv"
    source.write_text("First\n")
    with pytest.raises(UnsupportedFormatError):
        import_path(source)
    assert ".csv" in importable_suffixes(registry)
    assert ".csv" not in importable_suffixes()
    assert {".pptx", ".ppsm", ".potm", ".ppt", ".md", ".txt"} <= set(importable_suffixes())

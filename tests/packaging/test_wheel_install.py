"""The wheel and sdist from ``python -m build``: installed into a clean virtual environment,
the ``lecture-studio`` command runs and exports the sample lecture with its own resources."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import av
import pytest

from lecture_studio import __version__

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, timeout: float, env: dict | None = None) -> str:
    finished = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )
    assert finished.returncode == 0, f"{command[:3]} failed:\n{finished.stdout}\n{finished.stderr}"
    return finished.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    pytest.importorskip("build", reason="the 'build' package is not installed (pip install build)")
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)], dist, 300)
    return dist


def test_the_wheel_carries_the_resources_and_the_sdist_the_sources(built):
    wheel = next(built.glob("lecture_studio-*.whl"))
    assert f"lecture_studio-{__version__}-py3-none-any.whl" == wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (
        "sample-lecture/sample-lecture.pptx",
        "fontconfig/fonts.conf",
        "themes/default.json",
        "translations/lecture_studio_ja.qm",
    ):
        assert f"lecture_studio/bundled_resources/{resource}" in names
    assert "lecture_studio/plugins/registry.py" in names
    assert not any(n.startswith(("tests/", "plugins/", "resources/")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "GPL-3.0-or-later" in zipfile.ZipFile(wheel).read(metadata).decode()
    sdist = next(built.glob("lecture_studio-*.tar.gz"))
    members = {m.split("/", 1)[1] for m in tarfile.open(sdist).getnames() if "/" in m}
    assert {"setup.py", "pyproject.toml", "LICENSE", "resources/themes/default.json"} <= members


def requirement_closure(wheel: Path) -> list[metadata.Distribution]:
    """The installed distributions the wheel's requirements need, and theirs, and so on, as
    this environment (the one ``make test`` installed) has them; with the extras asked for."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        wanted = [
            (r, "") for r in email.message_from_bytes(archive.read(name)).get_all("Requires-Dist")
        ]
    found: dict[str, metadata.Distribution] = {}
    while wanted:
        text, extra = wanted.pop()
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        key = canonicalize_name(requirement.name)
        if key in found:
            continue
        found[key] = distribution = metadata.distribution(requirement.name)
        assert requirement.specifier.contains(distribution.version, prereleases=True), text
        for extra_asked in ("", *requirement.extras):
            wanted += [(r, extra_asked) for r in distribution.requires or []]
    return list(found.values())


def test_the_wheel_installs_in_a_clean_venv_and_exports_the_sample_lecture(built, tmp_path):
    wheel = next(built.glob("lecture_studio-*.whl"))
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, 120)  # no system site-packages
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = str(bin_dir / "python")
    # The dependencies pip would install, taken from this environment: each one's top-level
    # folders and files linked in, so the clean venv holds exactly what the wheel asks for
    # (an undeclared import fails below) without unpacking 1.9 GB of wheels again (pip did
    # that for 35 s of CPU, about half of this test). pip itself installs the wheel and then
    # checks that every requirement of every distribution there is met.
    site = Path(
        run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, 60
        ).strip()
    )
    for distribution in requirement_closure(wheel):
        for top in {Path(str(f)).parts[0] for f in distribution.files or []} - {".."}:
            source = Path(distribution.locate_file(top))
            if source.exists() and not (site / top).exists():
                (site / top).symlink_to(source, target_is_directory=source.is_dir())
    run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path, 300
    )
    run([python, "-m", "pip", "check"], tmp_path, 120)

    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    env.pop("PYTHONPATH", None)
    cli = str(bin_dir / "lecture-studio")
    assert run([cli, "--version"], tmp_path, 60, env).strip() == f"lecture-studio {__version__}"

    # The sample lecture as the installed package finds it: the wheel's own copy.
    where = run(
        [
            python,
            "-c",
            "from lecture_studio.resources import resource_path;"
            "print(resource_path('sample-lecture', 'sample-lecture.pptx'))",
        ],
        tmp_path,
        60,
        env,
    ).strip()
    sample = Path(where)
    assert sample.is_file() and venv in sample.parents
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed: the sample lecture's narration needs it")

    video = tmp_path / "sample.mp4"
    run([cli, "export", str(sample), "-o", str(video), "--size", "320x180"], tmp_path, 600, env)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 180)
        assert container.streams.audio
        assert container.duration / 1e6 > 10  # several narrated slides
    captions = video.with_suffix(".srt").read_text(encoding="utf-8")
    assert any("\u3040" <= ch <= "\u30ff" for ch in captions)  # the Japanese slide is spoken
    chapters = video.with_suffix(".chapters.txt").read_text(encoding="utf-8").splitlines()
    assert chapters[0].startswith("0:00 ") and len(chapters) >= 3

import os
import shutil
import subprocess

import pytest

from lecture_studio.resources import resource_path

FONTS_CONF = resource_path("fontconfig", "fonts.conf")


def matched_family(family: str) -> str:
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    done = subprocess.run(
        ["fc-match", "-f", "%{family[0]}", family],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def fontconfig_with_noto():
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) is not installed")
    if matched_family("Noto Sans CJK JP") != "Noto Sans CJK JP":
        pytest.skip("Noto CJK fonts (apt fonts-noto-cjk) are not installed")


@pytest.mark.parametrize(
    "family",
    [
        "Meiryo",
        "メイリオ",
        "Yu Gothic",
        "游ゴシック Light",
        "MS PGothic",
        "ＭＳ Ｐゴシック",
        "MS UI Gothic",
    ],
)
def test_windows_japanese_gothic_fonts_map_to_noto_sans_cjk(fontconfig_with_noto, family):
    assert matched_family(family) == "Noto Sans CJK JP"


@pytest.mark.parametrize("family", ["MS Mincho", "ＭＳ 明朝", "游明朝"])
def test_mincho_fonts_map_to_a_japanese_noto_face(fontconfig_with_noto, family):
    assert matched_family(family) in ("Noto Serif CJK JP", "Noto Sans CJK JP")


def test_latin_fonts_still_come_from_the_system_configuration(fontconfig_with_noto):
    assert matched_family("DejaVu Sans") == "DejaVu Sans"

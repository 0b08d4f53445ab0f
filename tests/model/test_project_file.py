import json

import pytest

from lecture_studio.errors import ProjectFormatError
from lecture_studio.model import (
    SCHEMA_VERSION,
    Box,
    Lecture,
    Paragraph,
    Picture,
    Slide,
    SlideSource,
    Table,
    TextBlock,
    TransitionSpec,
)
from lecture_studio.project import Project


def rich_lecture() -> Lecture:
    slide = Slide(
        source=SlideSource("pptx", "/decks/a.pptx", 3),
        title="Photosynthesis",
        body=[
            TextBlock([Paragraph("Light", 0), Paragraph("Chlorophyll", 1)], Box(0.1, 0.2, 0.8, 0.6))
        ],
        tables=[Table([["a", "b"], ["1", "2"]])],
        pictures=[Picture("0123456789abcdef.png", Box(0.5, 0.5, 0.2, 0.2))],
        script="Plants turn light into sugar.",
        notes="Plants turn light into sugar.",
        hidden=True,
    )
    slide.duration.mode = "fixed"
    slide.duration.seconds = 7.5
    slide.transition = TransitionSpec("crossfade", 0.6)
    slide.imagery.prompt = "a leaf"
    return Lecture(
        title="Biology 101", language="ja", slide_width=10, slide_height=7.5, slides=[slide]
    )


def test_round_trip_keeps_everything(tmp_path):
    lecture = rich_lecture()
    project = Project(lecture, assets={"0123456789abcdef.png": b"\x89PNG..."})
    bundle = project.save(tmp_path / "bio")
    assert bundle.name == "bio.lecture"
    loaded = Project.load(bundle)
    assert loaded.lecture == lecture
    assert loaded.asset_bytes("0123456789abcdef.png") == b"\x89PNG..."
    # saving again and loading again changes nothing
    loaded.save()
    assert Project.load(bundle).lecture == lecture


def test_save_as_copies_assets(tmp_path):
    project = Project(rich_lecture())
    name = project.add_asset(b"picture bytes", ".PNG")
    assert name.endswith(".png")
    project.save(tmp_path / "one.lecture")
    project.save(tmp_path / "two.lecture")
    assert (tmp_path / "two.lecture" / "assets" / name).read_bytes() == b"picture bytes"


def test_save_leaves_no_temporary_files(tmp_path):
    project = Project(rich_lecture(), assets={"x.png": b"1"})
    bundle = project.save(tmp_path / "p.lecture")
    files = sorted(p.name for p in bundle.rglob("*"))
    assert files == ["assets", "project.json", "x.png"]


def test_newer_schema_gives_a_clear_message(tmp_path):
    bundle = Project(rich_lecture()).save(tmp_path / "p.lecture")
    data = json.loads((bundle / "project.json").read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    (bundle / "project.json").write_text(json.dumps(data))
    with pytest.raises(ProjectFormatError, match="newer Lecture Studio"):
        Project.load(bundle)


def test_damaged_project_gives_a_clear_message(tmp_path):
    bundle = Project(rich_lecture()).save(tmp_path / "p.lecture")
    (bundle / "project.json").write_text("{ not json")
    with pytest.raises(ProjectFormatError, match="damaged"):
        Project.load(bundle)
    with pytest.raises(ProjectFormatError, match="not a Lecture Studio project"):
        Project.load(tmp_path)


def test_wrong_types_are_reported_not_crashing(tmp_path):
    bundle = Project(rich_lecture()).save(tmp_path / "p.lecture")
    data = json.loads((bundle / "project.json").read_text())
    data["lecture"]["slides"][0]["hidden"] = "yes"
    (bundle / "project.json").write_text(json.dumps(data))
    with pytest.raises(ProjectFormatError, match="damaged"):
        Project.load(bundle)


def test_migration_from_an_older_version(tmp_path, monkeypatch):
    from lecture_studio.model import schema

    bundle = Project(rich_lecture()).save(tmp_path / "p.lecture")
    data = json.loads((bundle / "project.json").read_text())
    data["schema_version"] = SCHEMA_VERSION - 1
    data["lecture"]["name"] = data["lecture"].pop("title")
    (bundle / "project.json").write_text(json.dumps(data))

    def rename_name_to_title(old):
        old["lecture"]["title"] = old["lecture"].pop("name")
        return old

    monkeypatch.setitem(schema.MIGRATIONS, SCHEMA_VERSION - 1, rename_name_to_title)
    assert Project.load(bundle).lecture.title == "Biology 101"

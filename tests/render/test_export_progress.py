"""An export's progress follows its work: speaking the slides not in the narration cache
takes most of a first export and none of a re-export, and the progress says so."""

from __future__ import annotations

from lecture_studio.model import Lecture, Slide
from lecture_studio.project import Project
from lecture_studio.render.export import ExportOptions, export_lecture


def lecture() -> Project:
    slides = []
    for n in range(3):
        slide = Slide(title=f"Part {n + 1}")
        slide.script = f"This is part {n + 1}. It says a few words about plants."
        slides.append(slide)
    return Project(Lecture(title="Plants", slides=slides))


def narrating_share(project: Project, tmp_path, name: str) -> float:
    """The progress reported when the last slide's narration began (two thirds of the
    narration's share of the work, with three slides alike)."""
    reports: list[tuple[float, str]] = []
    export_lecture(
        project,
        tmp_path / name,
        ExportOptions(size=(160, 90), cache_dir=tmp_path / "cache"),
        lambda fraction, message: reports.append((fraction, message)),
    )
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions)  # progress never goes back
    return [f for f, m in reports if m.startswith("Narrating")][-1]


def test_speaking_weighs_on_a_first_export_and_not_on_a_re_export(tmp_path):
    project = lecture()
    first = narrating_share(project, tmp_path, "first.mp4")
    again = narrating_share(project, tmp_path, "again.mp4")  # every clip in the cache now
    assert first > 0.4  # at least 60% of the work was speaking
    assert again < 0.02

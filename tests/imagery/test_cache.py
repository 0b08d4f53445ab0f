"""Generated images kept in the project: unchanged ones are never drawn again."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lecture_studio.errors import Cancelled
from lecture_studio.imagery import (
    DiffusersGenerator,
    ProceduralGenerator,
    generate_slide_images,
)
from lecture_studio.jobs import CancelToken
from lecture_studio.model import Lecture, Paragraph, Slide, SlideSource, TextBlock
from lecture_studio.project import Project

SIZE = (96, 64)


class CountingGenerator(ProceduralGenerator):
    """The procedural generator, counting the images it draws."""

    def __init__(self) -> None:
        super().__init__(["#2563eb", "#1f2937", "#ffffff"])
        self.drawn: list[int] = []

    def generate(self, prompt, negative, size, seed, steps, guidance, progress, cancel):
        self.drawn.append(seed)
        return super().generate(prompt, negative, size, seed, steps, guidance, progress, cancel)


def make_project(count: int = 3) -> Project:
    slides = [
        Slide(
            title=f"Topic {i}",
            body=[TextBlock([Paragraph(f"point {i}")])],
            source=SlideSource("outline", "talk.md", i),
        )
        for i in range(1, count + 1)
    ]
    return Project(Lecture(title="Talk", slides=slides))


def chosen(project: Project, index: int) -> str:
    spec = project.lecture.slides[index].imagery
    return spec.variants[spec.chosen]


def test_every_slide_gets_an_image_and_a_second_run_draws_nothing():
    project, generator = make_project(), CountingGenerator()
    first = generate_slide_images(project, None, generator, size=SIZE)
    assert len(generator.drawn) == 3 and len(first.generated) == 3
    for i, slide in enumerate(project.lecture.slides):
        assert slide.imagery.placement == "background"  # outline slides
        image = Image.open(project.asset_path(chosen(project, i)))
        assert image.size == SIZE
    again = generate_slide_images(project, None, generator, size=SIZE)
    assert len(generator.drawn) == 3  # nothing new drawn
    assert again.generated == [] and len(again.reused) == 3
    assert again.images == first.images


def test_changing_one_prompt_redraws_only_that_slide_and_keeps_the_old_variant():
    project, generator = make_project(), CountingGenerator()
    generate_slide_images(project, None, generator, size=SIZE)
    before = [chosen(project, i) for i in range(3)]
    project.lecture.slides[1].imagery.prompt = "a lighthouse at dusk"
    result = generate_slide_images(project, None, generator, size=SIZE)
    assert result.generated == [project.lecture.slides[1].id]
    assert project.lecture.slides[1].imagery.variants[0] == before[1]
    assert chosen(project, 1) != before[1]
    assert [chosen(project, 0), chosen(project, 2)] == [before[0], before[2]]


def test_another_variant_changes_one_slide_and_earlier_variants_can_be_picked_again():
    project, generator = make_project(), CountingGenerator()
    generate_slide_images(project, None, generator, size=SIZE)
    slide = project.lecture.slides[2]
    first_variant = chosen(project, 2)
    generate_slide_images(project, [slide.id], generator, size=SIZE, new_variant=True)
    assert len(slide.imagery.variants) == 2 and slide.imagery.chosen == 1
    assert len(set(generator.drawn)) == 4  # a fresh seed for that slide only
    slide.imagery.chosen = 0  # the teacher prefers the first one
    result = generate_slide_images(project, None, generator, size=SIZE)
    assert result.generated == [] and chosen(project, 2) == first_variant


def test_regenerating_the_lecture_reproduces_the_same_images():
    a, b = make_project(), make_project()
    for slide_a, slide_b in zip(a.lecture.slides, b.lecture.slides, strict=True):
        slide_b.id = slide_a.id
    generate_slide_images(a, None, CountingGenerator(), size=SIZE)
    generate_slide_images(b, None, CountingGenerator(), size=SIZE)
    for i in range(3):
        assert chosen(a, i) == chosen(b, i)
        assert a.asset_bytes(chosen(a, i)) == b.asset_bytes(chosen(b, i))


def test_a_new_lecture_seed_redraws_everything():
    project, generator = make_project(), CountingGenerator()
    generate_slide_images(project, None, generator, size=SIZE)
    project.lecture.style.seed = 99
    result = generate_slide_images(project, None, generator, size=SIZE)
    assert len(result.generated) == 3 and len(generator.drawn) == 6


def test_saved_images_are_reused_after_reopening_the_project(tmp_path):
    project, generator = make_project(), CountingGenerator()
    generate_slide_images(project, None, generator, size=SIZE)
    bundle = project.save(tmp_path / "talk.lecture")
    reopened = Project.load(bundle)
    result = generate_slide_images(reopened, None, generator, size=SIZE)
    assert result.generated == [] and len(generator.drawn) == 3
    assert (bundle / "assets" / chosen(reopened, 0)).is_file()


def test_cancel_keeps_the_images_drawn_so_far():
    project, generator = make_project(), CountingGenerator()
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if fraction > 0.34:  # the second slide has begun
            cancel.cancel()

    with pytest.raises(Cancelled):
        generate_slide_images(project, None, generator, progress, cancel, size=SIZE)
    assert len(generator.drawn) == 2  # stopped during the second slide, before the third
    variants = [len(s.imagery.variants) for s in project.lecture.slides]
    assert variants == [1, 0, 0]


def test_deck_slides_get_the_image_beside_the_text():
    project = make_project(1)
    project.lecture.slides[0].source = SlideSource("pptx", "deck.pptx", 1)
    generate_slide_images(project, None, CountingGenerator(), size=SIZE)
    assert project.lecture.slides[0].imagery.placement == "beside"


def test_the_diffusion_model_draws_a_deck_in_batches(tiny_model_dir, monkeypatch):
    generator = DiffusersGenerator(str(tiny_model_dir), device="cpu")
    monkeypatch.setattr(generator, "batch_size", lambda size: 2)
    calls: list[int] = []
    original = generator.generate_batch

    def counting_batch(requests, progress, cancel):
        calls.append(len(requests))
        return original(requests, progress, cancel)

    monkeypatch.setattr(generator, "generate_batch", counting_batch)
    project = make_project(3)
    project.lecture.style.imagery_steps = 2
    result = generate_slide_images(project, None, generator, size=(64, 64))
    assert calls == [2, 1] and len(result.generated) == 3  # a batch of 2, then one alone
    images = [np.asarray(Image.open(project.asset_path(chosen(project, i)))) for i in range(3)]
    assert all(image.shape == (64, 64, 3) for image in images)
    assert generate_slide_images(project, None, generator, size=(64, 64)).generated == []

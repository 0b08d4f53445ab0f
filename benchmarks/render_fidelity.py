"""Slide renderer fidelity: SSIM of our slide images against PowerPoint's own PNG export.

Renders each slide of ../shared/corpus/furaga__sample_ja-notes.pptx (Japanese text) at the size
of PowerPoint's PNGs in ../shared/corpus/reference/furaga__sample_ja-notes/ and prints the SSIM
of every slide and their mean (grayscale, 11x11 Gaussian window, sigma 1.5; 1.0 is identical).
Judged by the LibreOffice renderer's mean SSIM; the goal is 0.90 or better.

Whole-slide SSIM says little on these mostly white slides: a blank white frame scores about 0.99,
higher than any drawing of the text a few pixels off. So the benchmark also prints the blank
frame's SSIM and the ink agreement (F1 of dark pixels matched within 6 px; blank scores 0),
which is what shows whether the text is there, in the right place and not drawn as boxes.

    .venv/bin/python benchmarks/render_fidelity.py [--renderer NAME|both] [--save DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from lecture_studio.importers import import_path
from lecture_studio.project import Project
from lecture_studio.slides import render_slide_images

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the instruments the tests measure with
from instruments.similarity import ink_agreement, ssim  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
DECK = CORPUS / "furaga__sample_ja-notes.pptx"
REFERENCE = CORPUS / "reference" / "furaga__sample_ja-notes"
GOAL = 0.90


def reference_images() -> list[Image.Image]:
    """PowerPoint's PNG export of each slide, in slide order, as RGB."""
    files = sorted(REFERENCE.glob("slide-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    return [Image.open(f).convert("RGB") for f in files]


def fidelity(
    project: Project, renderer: str, cache_dir: Path, save: Path | None
) -> list[tuple[float, float]]:
    """Per-slide (SSIM, ink agreement) of ``renderer``'s images against the references."""
    references = reference_images()
    result = render_slide_images(
        project, size=references[0].size, renderer=renderer, cache_dir=cache_dir
    )
    scores = []
    for number, (slide, reference) in enumerate(
        zip(project.lecture.slides, references, strict=True), start=1
    ):
        image = result[slide.id]
        if save is not None:
            image.save(save / f"{renderer}-{number}.png")
        scores.append((ssim(image, reference), ink_agreement(image, reference)))
    for warning in result.warnings:
        print(f"  warning: {warning}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderer", choices=["libreoffice", "builtin", "both"], default="both")
    parser.add_argument("--save", type=Path, help="write the rendered slides to this folder")
    args = parser.parse_args(argv)
    if not DECK.is_file() or not REFERENCE.is_dir():
        print(f"the corpus deck or its reference PNGs are missing under {CORPUS}", file=sys.stderr)
        return 2
    if args.save is not None:
        args.save.mkdir(parents=True, exist_ok=True)
    project = import_path(DECK)
    renderers = ["libreoffice", "builtin"] if args.renderer == "both" else [args.renderer]
    judged = None
    for renderer in renderers:
        with tempfile.TemporaryDirectory(prefix="render-fidelity-") as cache:
            started = time.perf_counter()
            scores = fidelity(project, renderer, Path(cache), args.save)
            seconds = time.perf_counter() - started
        mean = sum(s for s, _ in scores) / len(scores)
        mean_ink = sum(i for _, i in scores) / len(scores)
        for number, (score, ink) in enumerate(scores, start=1):
            print(f"{renderer:12s} slide {number}: SSIM {score:.4f}  ink agreement {ink:.3f}")
        print(
            f"{renderer:12s} mean SSIM {mean:.4f}  mean ink agreement {mean_ink:.3f} "
            f"({len(scores)} slides, {seconds:.2f} s)"
        )
        if renderer == "libreoffice":
            judged = mean
    references = reference_images()
    blank = [ssim(Image.new("RGB", r.size, "white"), r) for r in references]
    print(f"{'blank frame':12s} mean SSIM {sum(blank) / len(blank):.4f}  mean ink agreement 0.000")
    if judged is not None:
        verdict = "meets" if judged >= GOAL else "misses"
        print(
            f"fidelity ratio (LibreOffice mean SSIM / goal {GOAL}): {judged / GOAL:.3f} ({verdict})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

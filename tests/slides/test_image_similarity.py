import numpy as np
import pytest
from instruments.similarity import ink_agreement, ssim
from PIL import Image, ImageDraw


def text_like(offset: int = 0) -> Image.Image:
    image = Image.new("RGB", (200, 100), "white")
    draw = ImageDraw.Draw(image)
    for i in range(5):
        draw.rectangle((20 + 30 * i, 30 + offset, 35 + 30 * i, 50 + offset), fill="black")
    return image


def test_identical_images_score_one_and_noise_scores_less():
    image = text_like()
    noisy = np.asarray(image, dtype=np.int16) + np.random.default_rng(1).normal(
        0, 40, (100, 200, 3)
    )
    noisy_image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    assert ssim(image, image) == pytest.approx(1.0)
    assert ssim(image, noisy_image) < 0.5


def test_ink_agreement_tells_blank_and_shifted_text_from_a_match():
    reference = text_like()
    assert ink_agreement(reference, reference) == pytest.approx(1.0)
    assert ink_agreement(Image.new("RGB", (200, 100), "white"), reference) == 0.0
    assert ink_agreement(text_like(3), reference) > 0.9
    assert ink_agreement(text_like(30), reference) < 0.1


def test_images_of_different_sizes_are_refused():
    with pytest.raises(ValueError):
        ssim(Image.new("RGB", (20, 20)), Image.new("RGB", (30, 20)))

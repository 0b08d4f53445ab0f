import pytest
from PIL import Image

from lecture_studio.errors import InputError
from lecture_studio.slides import fitted_size, letterbox, parse_color


def test_a_16_9_deck_fills_a_1080p_frame_without_a_one_pixel_bar():
    assert fitted_size(13.333 / 7.5, (1920, 1080)) == (1920, 1080)


def test_a_4_3_slide_is_pillarboxed_on_the_background_colour():
    slide = Image.new("RGB", (1024, 768), (255, 255, 255))
    frame = letterbox(slide, (1920, 1080), "#102030")
    assert frame.size == (1920, 1080) and frame.mode == "RGB"
    assert frame.getpixel((100, 540)) == (16, 32, 48)  # left bar
    assert frame.getpixel((1919 - 100, 540)) == (16, 32, 48)  # right bar
    assert frame.getpixel((960, 540)) == (255, 255, 255)
    assert frame.getpixel((240, 0)) == (255, 255, 255)  # 4:3 at 1080 high spans x 240..1679
    assert frame.getpixel((239, 540)) == (16, 32, 48)


def test_a_wide_slide_in_a_square_frame_is_letterboxed_top_and_bottom():
    frame = letterbox(Image.new("RGB", (1600, 900), "white"), (800, 800), "#00ff00")
    assert frame.getpixel((400, 10)) == (0, 255, 0)
    assert frame.getpixel((400, 789)) == (0, 255, 0)
    assert frame.getpixel((400, 400)) == (255, 255, 255)


def test_transparent_images_are_flattened_onto_the_background():
    frame = letterbox(Image.new("RGBA", (160, 90), (0, 0, 0, 0)), (320, 180), "#ff0000")
    assert frame.getpixel((160, 90)) == (255, 0, 0)


def test_a_bad_background_colour_says_how_to_write_one():
    assert parse_color("#abc") == (0xAA, 0xBB, 0xCC)
    with pytest.raises(InputError, match="six hex digits"):
        parse_color("black")

import cv2
import numpy as np

from pipeline.preprocess.analysis import to_gray
from pipeline.preprocess.quality import assess


def test_clean_page_is_not_flagged(page):
    report = assess(to_gray(page), dpi=150)
    assert report.flags == []
    assert report.metrics["sharpness"] > 1.0


def test_blurred_page_is_flagged_with_a_reason(page):
    blurred = cv2.GaussianBlur(to_gray(page), (0, 0), 3.5)
    report = assess(blurred, dpi=150)
    assert "blurred" in report.flags
    assert "sharpness" in report.reasons["blurred"]


def test_blank_page_is_flagged_even_with_sensor_noise_and_specks():
    rng = np.random.default_rng(1)
    blank = np.clip(rng.normal(238, 4, (1200, 900)), 0, 255).astype(np.uint8)
    blank[300, 400:403] = 90  # two specks of dust
    blank[800:802, 200] = 100
    report = assess(blank, dpi=150)
    assert report.flags == ["blank"]


def test_a_few_words_are_not_blank(make_page):
    report = assess(to_gray(make_page(lines=["Ghi chú: không có"])), dpi=150)
    # Only one line repeats on the page, which is plenty of letters.
    assert "blank" not in report.flags


def test_dark_page_is_flagged(page):
    dark = (to_gray(page).astype(np.float32) * 0.18).astype(np.uint8)
    assert "too_dark" in assess(dark, dpi=150).flags


def test_washed_out_page_is_flagged_for_rescan_not_dropped_as_blank(page):
    faint = (238 + to_gray(page).astype(np.float32) * (17 / 255)).astype(np.uint8)
    assert assess(faint, dpi=150).flags == ["too_bright"]


def test_light_but_readable_page_is_not_flagged(page):
    light = (190 + to_gray(page).astype(np.float32) * (65 / 255)).astype(np.uint8)
    assert assess(light, dpi=150).flags == []


def test_blank_page_with_bleed_through_from_the_back_is_blank():
    rng = np.random.default_rng(2)
    page = np.full((1200, 900), 246.0, np.float32)
    ghost = np.zeros_like(page)
    for y in range(120, 1080, 30):  # mirrored lines of the back page, blurred by the paper
        x = 100
        while x < 750:
            word = int(rng.integers(40, 110))
            ghost[y : y + 8, x : x + word] = 1.0
            x += word + 14
    page -= 10 * cv2.GaussianBlur(ghost, (0, 0), 2.5)
    page += rng.normal(0, 1.5, page.shape)
    assert assess(np.clip(page, 0, 255).astype(np.uint8), dpi=150).flags == ["blank"]


def test_tiny_image_is_flagged(page):
    tiny = cv2.resize(to_gray(page), (150, 200), interpolation=cv2.INTER_AREA)
    assert "too_small" in assess(tiny, dpi=150).flags


def test_input_not_mutated(page):
    gray = to_gray(page)
    before = gray.copy()
    assess(gray, dpi=150)
    assert np.array_equal(gray, before)


def test_black_frame_is_a_failed_scan_not_a_blank_page():
    report = assess(np.full((1200, 900), 12, np.uint8), dpi=150)
    assert report.flags == ["too_dark"]

"""The cheap analysis views (analysis.shrink, analysis.block_average) against OpenCV's area average.

They are not bit-for-bit the same (see shrink's docstring), so these tests bound the difference
on a page of print and check the sizes and the exact whole-factor case.
"""

import cv2
import numpy as np
import pytest

from pipeline.preprocess.analysis import block_average, downscale, ink_mask, shrink, to_gray


@pytest.fixture(scope="module")
def gray_page(make_page):
    """A 300-dpi A4 page of print (the size the analysis views are cut from)."""
    return to_gray(make_page(width=2480, height=3508, font_px=60, margin=160))


@pytest.mark.parametrize("size", [(1131, 1600), (566, 800), (707, 1000), (1273, 1800), (283, 400)])
def test_shrink_is_close_to_the_area_average(gray_page, size):
    h, w = gray_page.shape
    wanted = (round(size[1] * w / h), size[1])
    exact = cv2.resize(gray_page, wanted, interpolation=cv2.INTER_AREA)
    fast = shrink(gray_page, wanted)
    assert fast.shape == exact.shape and fast.dtype == np.uint8
    # Two-step views put their cells a fraction of a source pixel off the exact ones: stroke edges
    # differ by up to ~140 levels, the page by a few on average (1.4-6.2 levels on this page).
    diff = np.abs(fast.astype(np.int16) - exact.astype(np.int16))
    assert diff.mean() < 8.0
    dark = exact < 128
    assert np.count_nonzero(dark & (fast > 200)) < 0.01 * np.count_nonzero(dark)  # strokes stay dark
    a, b = ink_mask(exact).view(bool), ink_mask(fast).view(bool)
    assert np.count_nonzero(a & b) >= 0.7 * np.count_nonzero(a | b)  # the same ink, up to its edges


def test_shrink_keeps_a_flat_page_flat():
    flat = np.full((3508, 2480), 231, np.uint8)
    assert np.all(shrink(flat, (1131, 1600)) == 231)


def test_shrink_of_a_colour_page_keeps_its_channels(page):
    out = shrink(page, (400, 566))
    assert out.shape == (566, 400, 3)


def test_block_average_is_the_area_average_for_whole_factors(gray_page):
    h, w = gray_page.shape
    cut = gray_page[: h - h % 4, : w - w % 4]
    assert np.array_equal(block_average(cut, 4), cv2.resize(cut, (cut.shape[1] // 4, cut.shape[0] // 4),
                                                             interpolation=cv2.INTER_AREA))


def test_block_average_leaves_out_the_last_partial_block():
    image = np.zeros((10, 9), np.uint8)
    image[:, 8] = 255  # the ninth column is a partial block at factor 2
    image[8:, :] = 255
    out = block_average(image, 2)
    assert out.shape == (5, 4) and np.all(out[:4] == 0) and np.all(out[4] == 255)


def test_block_average_of_an_image_smaller_than_a_block_is_its_mean():
    image = np.array([[0, 255, 255]], np.uint8)
    assert block_average(image, 4).shape == (1, 1)
    assert block_average(image, 1) is image


def test_downscale_reports_the_scale_and_keeps_small_images():
    image = np.zeros((3508, 2480), np.uint8)
    view, scale = downscale(image, 1600)
    assert view.shape == (1600, 1131) and scale == pytest.approx(1600 / 3508)
    small = np.zeros((500, 300), np.uint8)
    view, scale = downscale(small, 1600)
    assert view is small and scale == 1.0

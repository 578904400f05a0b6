"""The small views the analysis stages look at (preprocess.analysis): sizes, scales, and values close
to a true area average, which they replace for speed everywhere but at the page finder."""

import cv2
import numpy as np
import pytest

from pipeline.preprocess.analysis import OUTLINE_SIDE, box_shrink, downscale, ink_mask, outline_view, shrink, to_gray


@pytest.fixture(scope="module")
def page_gray(page):
    """The test page enlarged to the pixel size of a 300-dpi A4 scan, the common input."""
    return cv2.resize(to_gray(page), (2480, 3508), interpolation=cv2.INTER_CUBIC)


def test_box_shrink_is_the_mean_of_each_block_leaving_out_the_ragged_edge():
    rng = np.random.default_rng(5)
    image = rng.integers(0, 256, (103, 77), dtype=np.uint8)
    small = box_shrink(image, 4)
    assert small.shape == (25, 19)
    means = image[:100, :76].reshape(25, 4, 19, 4).mean(axis=(1, 3))
    assert np.abs(small.astype(float) - means).max() <= 0.5 + 1e-9  # rounded to the nearest level
    assert box_shrink(image, 1) is image


def test_downscale_snaps_to_a_whole_factor_when_the_view_stays_long_enough():
    a4 = np.full((3508, 2480), 255, np.uint8)  # 300-dpi A4
    view, scale = downscale(a4, 1800)
    assert view.shape == (1754, 1240) and scale == 0.5
    view, scale = downscale(a4, 1000)  # whole factor 4 would give 877 px, under 0.9 x 1000: no snap
    assert max(view.shape) == 1000 and scale == pytest.approx(1000 / 3508)
    small = np.zeros((500, 300), np.uint8)
    view, scale = downscale(small, 1000)
    assert view is small and scale == 1.0


@pytest.mark.parametrize("size", [(1000, 1414), (1273, 1800), (1131, 1600), (620, 877)])
def test_shrink_gives_the_size_asked_with_values_close_to_an_area_average(page_gray, size):
    fast = shrink(page_gray, size)
    area = cv2.resize(page_gray, size, interpolation=cv2.INTER_AREA)
    assert fast.shape == area.shape == (size[1], size[0])
    # Stroke edges differ by a few levels where the last step is bilinear; the ink the stages count
    # is nearly the same (measured: 0-3.1 % of the ink pixels differ, mean difference 0-1 level).
    assert np.abs(fast.astype(np.int16) - area.astype(np.int16)).mean() < 1.5
    ink_fast, ink_area = ink_mask(fast), ink_mask(area)
    assert np.count_nonzero(ink_fast != ink_area) <= 0.05 * np.count_nonzero(ink_area)


def test_an_exact_view_never_snaps():
    page = np.random.default_rng(2).integers(0, 256, (1950, 1400), dtype=np.uint8)
    assert downscale(page, 1000)[0].shape == (975, 700)  # snapped: 1950 / 2
    view, scale = downscale(page, 1000, exact=True)
    assert view.shape == (1000, 718) and scale == pytest.approx(1000 / 1950)
    assert np.array_equal(view, cv2.resize(page, (718, 1000), interpolation=cv2.INTER_AREA))


def test_the_page_finders_view_stays_a_true_area_average(page_gray):
    view, scale = outline_view(page_gray)
    h, w = page_gray.shape
    expected_scale = OUTLINE_SIDE / max(h, w)
    expected = cv2.resize(page_gray, (round(w * expected_scale), round(h * expected_scale)), interpolation=cv2.INTER_AREA)
    assert scale == pytest.approx(expected_scale)
    assert np.array_equal(view, expected)

"""Crop, illumination, binarisation and rescale on small fixtures."""

import cv2
import numpy as np
import pytest

from pipeline.preprocess.analysis import to_gray
from pipeline.preprocess.binarize import METHODS, binarize
from pipeline.preprocess.crop import crop_margins, find_margins
from pipeline.preprocess.illumination import denoise, normalize_background, stretch_contrast
from pipeline.preprocess.rescale import estimate_xheight, resize, scale_for


def _shaded(gray: np.ndarray) -> np.ndarray:
    """Light falling off from 1.0 to 0.35 across the page."""
    h, w = gray.shape
    light = np.linspace(1.0, 0.35, w, dtype=np.float32)[None, :] * np.ones((h, 1), np.float32)
    return (gray.astype(np.float32) * light).astype(np.uint8)


def test_black_scanner_margins_are_cut(page):
    gray = to_gray(page)
    framed = cv2.copyMakeBorder(gray, 40, 25, 30, 0, cv2.BORDER_CONSTANT, value=10)
    top, bottom, left, right = find_margins(framed)
    assert 40 <= top <= 46 and 25 <= bottom <= 31 and 30 <= left <= 36 and right == 0
    out = crop_margins(framed, (top, bottom, left, right))
    assert (out[:, :5] < 80).mean() < 0.05 and (out[:5] < 80).mean() < 0.05


def test_a_page_without_margins_is_not_cropped(page):
    assert find_margins(page) == (0, 0, 0, 0)


def test_background_normalisation_flattens_uneven_light(page):
    gray = to_gray(page)
    shaded = _shaded(gray)
    flat = normalize_background(shaded)
    paper = gray > 250
    assert np.std(shaded[paper]) > 40
    assert np.std(flat[paper]) < 6 and np.median(flat[paper]) >= 245
    # The text stays dark on the dim side too.
    right_text = (gray < 80) & (np.arange(gray.shape[1])[None, :] > gray.shape[1] * 0.7)
    assert np.median(stretch_contrast(flat)[right_text]) < 90


def test_global_otsu_fails_on_the_shaded_page_and_works_after_normalisation(page):
    gray = to_gray(page)
    shaded = _shaded(gray)
    paper = gray > 250
    assert (binarize(shaded, "otsu")[paper] == 0).mean() > 0.2
    assert (binarize(normalize_background(shaded), "otsu")[paper] == 0).mean() < 0.01


@pytest.mark.parametrize("method", [m for m in METHODS if m != "none"])
def test_binarisation_methods_give_black_text_on_white(page, method):
    gray = to_gray(page)
    out = binarize(gray, method)
    assert set(np.unique(out)) <= {0, 255}
    text = gray < 80
    assert (out[text] == 0).mean() > 0.9
    assert (out[gray > 250] == 255).mean() > 0.99


def test_unknown_binarisation_is_refused(page):
    with pytest.raises(ValueError):
        binarize(to_gray(page), "magic")


def test_denoise_removes_specks():
    rng = np.random.default_rng(0)
    img = np.full((200, 200), 255, np.uint8)
    img[rng.integers(0, 200, 300), rng.integers(0, 200, 300)] = 0
    assert (denoise(img) == 0).sum() < 10


@pytest.mark.parametrize("font_px", [20, 40, 60])
def test_xheight_estimate(make_page, font_px):
    gray = to_gray(make_page(width=2000, height=1400, font_px=font_px))
    # DejaVu Serif: x-height is 0.52 em.
    assert estimate_xheight(gray) == pytest.approx(0.52 * font_px, rel=0.2)


def test_small_text_is_scaled_up_to_the_target(make_page):
    gray = to_gray(make_page(width=1000, height=800, font_px=20))
    factor = scale_for(estimate_xheight(gray), target=26.0)
    assert factor > 2.0
    big = resize(gray, factor)
    assert estimate_xheight(big) == pytest.approx(26.0, rel=0.2)


def test_normal_text_is_left_alone(page):
    assert scale_for(26.0) == 1.0
    assert scale_for(None) == 1.0


def test_stages_do_not_mutate_input(page):
    gray = _shaded(to_gray(page))
    before = gray.copy()
    for stage in (normalize_background, stretch_contrast, denoise, estimate_xheight, find_margins):
        stage(gray)
    for method in METHODS:
        binarize(gray, method)
    resize(gray, 1.5)
    assert np.array_equal(gray, before)

"""The faster analysis paths of orient / quality / rescale give the same values as the code they replaced.

Each test keeps the earlier formulation inline as the reference and asks for exact equality, so a
speed-up can never move a rotation decision, a quality flag or a rescale factor.
"""

import cv2
import numpy as np
import pytest

from pipeline.preprocess import orient, quality
from pipeline.preprocess.analysis import components, downscale, ink_mask, keep_components, to_gray
from pipeline.preprocess.deskew import _scores as deskew_scores
from pipeline.preprocess.deskew import profile_score


def _old_ink_mask(gray: np.ndarray) -> np.ndarray:
    k = max(15, (min(gray.shape[:2]) // 20) | 1)
    background = cv2.blur(cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k, k))
    norm = cv2.divide(gray, background, scale=255)
    _, mask = cv2.threshold(norm, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    mask[norm > 220] = 0
    return mask


def _noisy(gray: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(gray.astype(np.int16) + rng.normal(0, 12, gray.shape), 0, 255).astype(np.uint8)


def _faint_blank(shape: tuple[int, int] = (700, 500)) -> np.ndarray:
    """Paper with faint noise only: Otsu then splits the paper itself, above the 220 ink cut."""
    return _noisy(np.full(shape, 240, np.uint8), seed=3)


@pytest.fixture(scope="module")
def text_page(page, tilt):
    return _noisy(tilt(to_gray(page), 3.0))


def test_ink_mask_is_unchanged_on_text_and_on_a_blank_page(page, text_page):
    for gray in (to_gray(page), text_page, _faint_blank()):
        assert np.array_equal(ink_mask(gray), _old_ink_mask(gray))


def test_the_blank_page_takes_the_second_threshold():
    gray = _faint_blank()
    k = max(15, (min(gray.shape) // 20) | 1)
    norm = cv2.divide(gray, cv2.blur(cv2.dilate(gray, np.ones((k, k), np.uint8)), (k, k)), scale=255)
    otsu, _ = cv2.threshold(norm, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    assert otsu > 220  # the branch the test above exercises


def test_components_match_opencv_int32_labelling(text_page):
    mask = ink_mask(text_page)
    n, labels, stats = components(mask)
    n32, labels32, stats32, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    assert labels.dtype == np.uint16
    assert n == n32 and np.array_equal(stats, stats32) and np.array_equal(labels, labels32)


def test_components_fall_back_to_int32_beyond_65535_labels():
    mask = np.zeros((600, 600), np.uint8)
    mask[::2, ::2] = 1  # 90 000 isolated pixels
    n, labels, stats = components(mask)
    assert n == 90_001 and labels.dtype == np.int32 and stats[1:, cv2.CC_STAT_AREA].max() == 1


def test_keep_components_keeps_exactly_the_chosen_blobs(text_page):
    mask = ink_mask(text_page)
    n, labels, stats = components(mask)
    keep = stats[1:, cv2.CC_STAT_AREA] >= 20
    expected = np.isin(labels, np.flatnonzero(keep) + 1).astype(np.uint8)
    assert np.array_equal(keep_components(labels, keep), expected)


def test_orientation_sweeps_match_deskew_profile_score(text_page):
    view, _ = downscale(text_page, orient.ANALYSIS_SIDE)
    small, _ = downscale(view, 800)
    rough0, score0, rough90, score90 = orient._rough_lines(small)
    assert (rough0, score0) == profile_score(small, 15.0, side=800, coarse_step=1.0, refine=False)
    turned = orient.rotate_quarters(small, 90)
    assert (rough90, score90) == profile_score(turned, 15.0, side=800, coarse_step=1.0, refine=False)
    assert orient._fine_angle(view, rough0) == profile_score(view, max_angle=15.0, near=rough0)[0]
    assert orient._fine_angle(orient.rotate_quarters(view, 90), rough90) == profile_score(
        orient.rotate_quarters(view, 90), max_angle=15.0, near=rough90)[0]


def _plain_scores(pts: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """The projection scores written plainly, per angle (as deskew had them before the float64 hoist)."""
    out = np.empty(angles.size, dtype=np.float64)
    for i, a in enumerate(np.deg2rad(angles)):
        proj = pts[:, 1] * np.cos(a) + pts[:, 0] * np.sin(a)
        hist = np.bincount((proj - proj.min()).astype(np.int64))
        out[i] = float(np.dot(hist, hist))
    return out


def test_projection_scores_match_the_plain_formula(text_page):
    pts = np.argwhere(ink_mask(text_page))[:, ::-1].astype(np.float32)
    pts -= pts.mean(axis=0)
    angles = np.arange(-15.0, 15.0 + 1e-6, 0.5)
    assert np.array_equal(deskew_scores(pts, angles), _plain_scores(pts, angles))


def test_letter_profile_counts_the_kept_blobs_per_row(text_page):
    mask = ink_mask(cv2.medianBlur(text_page, 3))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    limit = max(8, min(mask.shape) // 25)
    keep = np.zeros(n, dtype=np.uint8)
    keep[1:] = (h < limit) & (w < 4 * limit) & (h >= 3) & (stats[1:, cv2.CC_STAT_AREA] >= 8)
    expected = keep[labels].sum(axis=1).astype(np.float64)
    profile, height = orient._letter_profile(mask)
    assert np.array_equal(profile, expected)
    assert height == 0.0  # ordinary print: the 3-row bridge of `_band_asymmetry`
    empty, none = orient._letter_profile(np.zeros((40, 30), np.uint8))
    assert np.array_equal(empty, np.zeros(40)) and none == 0.0


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotate_quarters_matches_numpy_for_every_type(page, turn):
    k = turn // 90
    for image in (to_gray(page), page, to_gray(page) > 128):
        assert np.array_equal(orient.rotate_quarters(image, turn), np.rot90(image, k=-k))


def test_quality_histogram_and_sharpness_are_unchanged(text_page):
    view = quality._view_at(text_page, 300.0, quality.ANALYSIS_DPI)
    assert np.array_equal(quality._levels(view), np.cumsum(np.bincount(view.ravel(), minlength=256)))
    assert np.array_equal(quality._levels(view[:0, :0]), np.zeros(256))
    text = ink_mask(view)
    near = cv2.dilate(text, np.ones((3, 3), np.uint8)).astype(bool)
    cdf = np.cumsum(np.bincount(view[near], minlength=256))
    contrast = float(np.searchsorted(cdf, 0.95 * cdf[-1]) - np.searchsorted(cdf, 0.05 * cdf[-1]))
    lap = cv2.Laplacian(view, cv2.CV_32F, ksize=3)
    assert quality.sharpness(view, text) == float(lap[near].var()) / (contrast * contrast)

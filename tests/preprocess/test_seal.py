import cv2
import numpy as np

from pipeline.preprocess.seal import colour_mask, has_colour, suppress_seals


def _stamp(page: np.ndarray, center: tuple[int, int], radius: int, colour=(200, 30, 40)) -> tuple[np.ndarray, np.ndarray]:
    """Press a red seal (two rims and a star) multiply-blended over the page: black stays black."""
    ink = np.zeros(page.shape[:2], np.uint8)
    cv2.circle(ink, center, radius, 255, 9)
    cv2.circle(ink, center, int(radius * 0.72), 255, 4)
    star = np.array([[np.cos(a) * radius * (0.35 if i % 2 else 0.14), np.sin(a) * radius * (0.35 if i % 2 else 0.14)]
                     for i, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 10, endpoint=False))]) + center
    cv2.fillPoly(ink, [star.astype(np.int32)], 255)
    alpha = (ink > 0)[:, :, None]
    tint = np.array(colour, np.float32) / 255.0
    out = np.where(alpha, page.astype(np.float32) * tint, page.astype(np.float32))
    return out.astype(np.uint8), ink > 0


def test_black_text_under_a_red_seal_is_kept_and_the_seal_removed(page):
    stamped, seal = _stamp(page, (450, 300), 150)
    text = page.min(axis=2) < 100  # the black text as rendered
    out = suppress_seals(stamped)
    under = text & seal
    assert under.sum() > 200  # the fixture really puts text under the seal
    kept = (out[under] < 100).mean()
    removed = (out[seal & ~text] > 180).mean()
    assert kept > 0.97, f"only {kept:.1%} of the text under the seal kept"
    assert removed > 0.97, f"only {removed:.1%} of the seal removed"
    # Text away from the seal is untouched.
    assert (out[text & ~seal] < 100).mean() > 0.99


def test_plain_gray_conversion_would_keep_the_seal(page):
    stamped, seal = _stamp(page, (450, 300), 150)
    gray = cv2.cvtColor(stamped, cv2.COLOR_RGB2GRAY)
    assert (gray[seal & (page.min(axis=2) > 200)] < 128).mean() > 0.9


def test_red_only_mode_keeps_blue_ink(page):
    stamped, seal = _stamp(page, (450, 600), 120, colour=(40, 60, 210))
    text = page.min(axis=2) < 100
    assert (suppress_seals(stamped, hues="red")[seal & ~text] < 128).mean() > 0.9
    assert (suppress_seals(stamped, hues="any")[seal & ~text] > 180).mean() > 0.97


def test_colour_detection(page):
    stamped, _ = _stamp(page, (450, 300), 150)
    assert has_colour(stamped)
    assert not has_colour(page)
    assert colour_mask(page).sum() == 0


def test_input_not_mutated(page):
    stamped, _ = _stamp(page, (450, 300), 150)
    before = stamped.copy()
    suppress_seals(stamped)
    assert np.array_equal(stamped, before)

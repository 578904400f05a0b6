import numpy as np
import pytest

from pipeline.preprocess.analysis import to_gray
from pipeline.preprocess.deskew import deskew, estimate_skew, rotate



@pytest.mark.parametrize("angle", [-15.0, -9.4, -3.0, -0.7, 0.0, 0.4, 2.2, 6.8, 12.5, 15.0])
def test_recovers_known_angle_within_0_3_degrees(page, tilt, angle):
    tilted = tilt(to_gray(page), angle)
    assert abs(estimate_skew(tilted) - angle) <= 0.3


def test_deskewed_page_measures_straight(page, tilt):
    tilted = tilt(to_gray(page), 5.0)
    straight = deskew(tilted, estimate_skew(tilted))
    assert abs(estimate_skew(straight)) <= 0.3


def test_rotation_keeps_the_whole_page_and_fills_white(page):
    gray = to_gray(page)
    out = rotate(gray, 10.0)
    assert out.shape[0] > gray.shape[0] and out.shape[1] > gray.shape[1]
    assert out[0, 0] == 255 and out[-1, -1] == 255
    assert (out < 128).sum() == pytest.approx((gray < 128).sum(), rel=0.05)


def test_blank_page_has_no_skew():
    assert estimate_skew(np.full((400, 300), 250, np.uint8)) == 0.0


def test_stages_do_not_mutate_input(page, tilt):
    gray = tilt(to_gray(page), 3.0)
    before = gray.copy()
    deskew(gray, estimate_skew(gray))
    assert np.array_equal(gray, before)

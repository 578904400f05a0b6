"""Photocopied (mid-gray) seals are lightened; black text under them and faint text lines stay."""

import cv2
import numpy as np

from pipeline.preprocess.gray_seal import find_gray_seals, lighten_gray_seals

DPI = 300.0


def _page_with_text() -> np.ndarray:
    page = np.full((1600, 1200), 255, np.uint8)
    for row in range(12):
        cv2.putText(page, "Ngay cap: 20/08/2022 Noi cap: Cuc Canh sat", (60, 120 + row * 110),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3, cv2.LINE_AA)
    return page


def test_gray_ring_over_black_text_is_lightened_and_the_text_kept():
    clean = _page_with_text()
    stamped = clean.copy()
    ring = np.zeros_like(clean)
    cv2.circle(ring, (400, 500), 220, 255, 14)
    cv2.circle(ring, (400, 500), 160, 255, 6)
    stamped[(ring > 0) & (clean > 128)] = 140  # the copier's gray where the seal is not under text
    out, boxes = lighten_gray_seals(stamped, DPI)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.left <= 180 <= box.left + box.width and box.top <= 280 <= box.top + box.height + 40
    assert (out[(ring > 0) & (clean > 128)] == 255).mean() > 0.97  # the ring is gone
    text = clean < 60
    assert (out[text] < 100).mean() > 0.99  # the black strokes under it are not


def test_a_page_without_seals_is_returned_as_is():
    page = _page_with_text()
    out, boxes = lighten_gray_seals(page, DPI)
    assert boxes == [] and out is page


def test_faint_gray_text_lines_are_not_taken_for_a_seal():
    page = _page_with_text()
    cv2.putText(page, "Thanh pho Hai Phong, ngay 25 thang 6", (60, 1500), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 150, 6)
    assert find_gray_seals(page, DPI) == []


def test_a_washed_out_page_whose_text_is_all_mid_gray_is_left_alone():
    page = np.full((1600, 1200), 255, np.uint8)
    for row in range(12):
        cv2.putText(page, "Ngay cap: 20/08/2022", (60, 120 + row * 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 150, 8)
    cv2.circle(page, (400, 500), 220, 140, 14)
    assert find_gray_seals(page, DPI) == []

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


def test_blurred_bold_text_is_not_taken_for_a_seal():
    """Blur leaves bold letters a wide mid-gray edge, dense enough over a seal-sized block to pass for a
    seal's ink; but no piece of it spans the block as a seal's ring does, so its letters are not lightened."""
    page = _page_with_text()
    block = np.full((260, 560), 255, np.uint8)
    for k, words in enumerate(("dan so: 04", "Tan Lap")):
        cv2.putText(block, words, (10, 100 + k * 110), cv2.FONT_HERSHEY_DUPLEX, 2.6, 0, 11)
    block = cv2.GaussianBlur(block, (0, 0), 6)
    page[1300:1560, 300:860] = np.minimum(page[1300:1560, 300:860], block)
    assert find_gray_seals(page, DPI) == []
    # the same page with a gray ring stamped beside the block: the ring is still a seal
    ring = np.zeros_like(page)
    cv2.circle(ring, (900, 500), 200, 255, 14)
    page[(ring > 0) & (page > 128)] = 140
    assert len(find_gray_seals(page, DPI)) == 1


def test_a_washed_out_page_whose_text_is_all_mid_gray_is_left_alone():
    page = np.full((1600, 1200), 255, np.uint8)
    for row in range(12):
        cv2.putText(page, "Ngay cap: 20/08/2022", (60, 120 + row * 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 150, 8)
    cv2.circle(page, (400, 500), 220, 140, 14)
    assert find_gray_seals(page, DPI) == []



def test_a_seal_run_into_a_gray_photo_is_still_found():
    """On a copied ID card the seal sits beside the card's gray photo, gray lettering between them:
    together they are too large for a seal at the base density (found nothing before the split);
    the seal alone is found at a higher one."""
    clean = _page_with_text()
    page = clean.copy()
    cm = DPI / 2.54
    x0, y0, x1, y1 = 60, 300, int(60 + 2.4 * cm), int(300 + 3.2 * cm)
    page[y0:y1, x0:x1] = 150  # the photo
    radius = int(1.75 * cm)
    centre = (x1 + int(0.6 * cm) + radius, y0 + int(1.6 * cm))
    ring = np.zeros_like(page)
    cv2.circle(ring, centre, radius, 255, 14)
    cv2.circle(ring, centre, radius - 60, 255, 6)
    for k in range(28):  # the seal's lettering
        a = 2 * np.pi * k / 28
        x, y = int(centre[0] + (radius - 30) * np.cos(a)), int(centre[1] + (radius - 30) * np.sin(a))
        cv2.rectangle(ring, (x - 6, y - 8), (x + 6, y + 8), 255, -1)
    seal = (ring > 0) & (clean > 128)
    for y in (centre[1] - 60, centre[1] + 60):  # the card's gray lettering between photo and seal
        cv2.line(ring, (x1, y), (centre[0] - radius, y), 255, 6)
    page[(ring > 0) & (clean > 128)] = 140
    boxes = find_gray_seals(page, DPI)
    found = [b for b in boxes if b.left <= centre[0] <= b.left + b.width and b.top <= centre[1] <= b.top + b.height]
    assert len(found) == 1 and max(found[0].width, found[0].height) < 6.0 * cm
    out, _ = lighten_gray_seals(page, DPI)
    assert (out[seal] == 255).mean() > 0.97
    text = clean < 60
    text[y0:y1, x0:x1] = False  # the photo covers some
    assert (out[text] < 100).mean() > 0.99  # black text kept


def _seal_with_a_dark_rim(clean: np.ndarray, centre: tuple[int, int], radius: int) -> tuple[np.ndarray, np.ndarray]:
    """A copied seal whose outer rim came out as dark as the text (40), its inner rim and lettering
    mid-gray; returns the page and the dark rim's mask."""
    page = clean.copy()
    gray_parts = np.zeros_like(clean)
    cv2.circle(gray_parts, centre, radius - 70, 255, 6)
    for k in range(28):  # the seal's lettering
        a = 2 * np.pi * k / 28
        x, y = int(centre[0] + (radius - 35) * np.cos(a)), int(centre[1] + (radius - 35) * np.sin(a))
        cv2.rectangle(gray_parts, (x - 7, y - 9), (x + 7, y + 9), 255, -1)
    page[(gray_parts > 0) & (clean > 128)] = 140
    rim = np.zeros_like(clean)
    cv2.circle(rim, centre, radius, 255, 14)
    page[rim > 0] = np.minimum(page[rim > 0], 40)
    return page, rim > 0


def test_a_seal_rim_as_dark_as_the_text_is_erased_and_the_text_away_from_it_kept():
    clean = _page_with_text()
    centre, radius = (420, 560), 200
    page, rim = _seal_with_a_dark_rim(clean, centre, radius)
    out, boxes = lighten_gray_seals(page, DPI)
    assert len(boxes) == 1
    under_text = cv2.dilate((clean < 128).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    # The rim is gone where it is alone (a few of its pixels beside a crossing stroke are kept).
    assert (out[rim & ~under_text] == 255).mean() > 0.9
    yy, xx = np.mgrid[: clean.shape[0], : clean.shape[1]]
    far = np.abs(np.hypot(xx - centre[0], yy - centre[1]) - radius) > 20
    text = (clean < 60) & far
    assert (out[text] < 100).mean() > 0.99  # text away from the rim untouched


def test_strokes_crossing_a_dark_rim_keep_their_pixels():
    """A stroke that runs across the rim makes the run of ink there longer than the rim is thick."""
    clean = np.full((1600, 1200), 255, np.uint8)
    for row in range(12):
        cv2.putText(clean, "Ngay cap: 20/08/2022", (60, 120 + row * 110), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3, cv2.LINE_AA)
    centre, radius = (600, 700), 200
    strokes = np.zeros_like(clean)
    for k in range(8):  # radial bars across the rim, 60 px long
        a = 2 * np.pi * (k + 0.5) / 8
        inner = (int(centre[0] + (radius - 30) * np.cos(a)), int(centre[1] + (radius - 30) * np.sin(a)))
        outer = (int(centre[0] + (radius + 30) * np.cos(a)), int(centre[1] + (radius + 30) * np.sin(a)))
        cv2.line(strokes, inner, outer, 255, 5)
    clean[strokes > 0] = 0
    page, rim = _seal_with_a_dark_rim(clean, centre, radius)
    out, boxes = lighten_gray_seals(page, DPI)
    assert len(boxes) == 1
    bars = (strokes > 0) & rim
    assert bars.sum() > 400 and (out[bars] < 100).mean() > 0.9


def test_erase_rims_leaves_a_gray_photo_and_plain_text_alone():
    """A filled dark disc (a portrait's head) is inked at every radius: not a rim."""
    from pipeline.preprocess.gray_seal import SealBox, erase_rims

    page = _page_with_text()
    cv2.circle(page, (400, 500), 150, 50, -1)
    before = page.copy()
    assert erase_rims(page, SealBox(220, 320, 360, 360), DPI) == 0
    assert erase_rims(page, SealBox(600, 900, 360, 360), DPI) == 0  # text lines only
    assert np.array_equal(page, before)

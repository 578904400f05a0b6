"""Gray seals: lighten a photocopied (or grayscale-scanned) seal so the black text under it is read.

A red seal copied or scanned in gray becomes a ring of solid mid-gray ink (luminance ~100-180)
over black text (~0-60). `seal.py` cannot see it (no colour left), and Tesseract's page layout
analysis takes the ring and the lines it crosses for a picture: it drops those lines entirely.
On a generated photocopied household-business form, 7 of its 12 lines went missing that way.

The rule: on the normalised page (paper white, text black), mark pixels in the mid-gray band
that survive a 3x3 opening (solid strokes, not the 1-2 px anti-aliased edges of black text).
Where they are dense over a seal-sized, roughly square area (1.5-6 cm across, aspect <= 2: round seals and "ĐẾN" boxes),
that area is a seal: inside its box every pixel lighter than the text ink is set to paper.
Black text under the seal keeps its core; faint text *inside* the box is lost with the seal,
which is the price. Pages with little dark ink (washed-out photos, where the text itself is
mid-gray) are left alone, as is anything larger than a seal (shaded boxes, photos stay
unless seal-sized). An area too large for a seal is looked at again at a higher density, where
a seal that ran into gray neighbours (a card's photo and lettering) stands alone. Analysis on a
half-size view: ~30 ms per 300-dpi A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MID_LOW, MID_HIGH = 95, 190  # the mid-gray band of a copied seal, on a contrast-stretched page
TEXT_INK = 100  # pixels darker than this are text ink and always kept inside a seal's box
_WINDOW_MM = 7.0  # density window (about a line height and a half)
_MIN_DENSITY = 0.05  # share of solid mid-gray pixels in the window for "seal ink here"
_MIN_CM, _MAX_CM, _MAX_ASPECT = 1.5, 6.0, 2.0
_MAX_SPLIT_DENSITY = 0.2  # an area too large for a seal is split at most up to this level (0.05 -> 0.1 -> 0.2)
_SPLIT_MAX_CM, _SPLIT_MAX_ASPECT = 5.0, 1.25  # what counts as a seal among the parts of a split area


@dataclass(frozen=True)
class SealBox:
    left: int
    top: int
    width: int
    height: int


def find_gray_seals(gray: np.ndarray, dpi: float) -> list[SealBox]:
    """Boxes (full-size pixels) of seal-shaped areas of solid mid-gray ink."""
    if gray.ndim != 2 or min(gray.shape) < 64 or dpi <= 0:
        return []
    factor = 2
    h, w = gray.shape
    small = cv2.resize(gray, (w // factor, h // factor), interpolation=cv2.INTER_AREA)
    dark = np.count_nonzero(small < TEXT_INK // 2)
    mid = ((small >= MID_LOW) & (small <= MID_HIGH)).astype(np.uint8)
    # Text must be there, and darker than the seal: a washed-out page is all mid-gray.
    if dark < 0.002 * small.size:
        return []
    mid = cv2.morphologyEx(mid, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    if not mid.any():
        return []
    px_per_cm = dpi / 2.54 / factor
    window = max(5, int(_WINDOW_MM / 10.0 * px_per_cm) | 1)
    density = cv2.blur(mid.astype(np.float32), (window, window))
    return [SealBox(x * factor, y * factor, bw * factor, bh * factor)
            for x, y, bw, bh in _seal_areas(density, _MIN_DENSITY, px_per_cm, window)]


def _seal_areas(density: np.ndarray, level: float, px_per_cm: float, window: int) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of the seal-sized areas where `density` >= `level`. An area too large for a seal
    is looked at again at twice the level: a seal stamped on an ID card runs into the card's gray
    photo, emblem and lettering at the base level (one 6.5 x 5.3 cm area on a generated copy) and
    stands alone, 4.1 cm across, at 0.10. Shaded boxes and photos are evenly dense and stay whole.
    Split off that way, only a round seal's square box counts (up to `_SPLIT_MAX_CM` across,
    aspect `_SPLIT_MAX_ASPECT`): the gray lettering of a blurred card splits into wide blocks of
    5-6 cm that are not seals. A higher level draws the area tighter round the seal's ink than
    the base level does, so an area found that way is grown by a quarter of the density window
    on each side."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats((density >= level).astype(np.uint8), connectivity=8)
    split = level > _MIN_DENSITY
    largest, aspect = (_SPLIT_MAX_CM, _SPLIT_MAX_ASPECT) if split else (_MAX_CM, _MAX_ASPECT)
    areas = []
    for label in range(1, count):
        x, y, bw, bh = (int(v) for v in stats[label, :4])
        side_min, side_max = min(bw, bh) / px_per_cm, max(bw, bh) / px_per_cm
        if side_min >= _MIN_CM and side_max <= largest and side_max / side_min <= aspect:
            areas.append((x, y, bw, bh))
        elif side_max > _MAX_CM and 2 * level <= _MAX_SPLIT_DENSITY:
            inside = np.where(labels[y:y + bh, x:x + bw] == label, density[y:y + bh, x:x + bw], 0.0)
            for ax, ay, aw, ah in _seal_areas(inside, 2 * level, px_per_cm, window):
                left, top = max(0, x + ax - window // 4), max(0, y + ay - window // 4)
                right = min(density.shape[1], x + ax + aw + window // 4)
                bottom = min(density.shape[0], y + ay + ah + window // 4)
                areas.append((left, top, right - left, bottom - top))
    return areas


def lighten_gray_seals(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, list[SealBox]]:
    """A copy of `gray` with every found seal's box set to paper except the text ink (or `gray` itself)."""
    boxes = find_gray_seals(gray, dpi)
    if not boxes:
        return gray, []
    out = gray.copy()
    for box in boxes:
        region = out[box.top:box.top + box.height, box.left:box.left + box.width]
        region[region >= TEXT_INK] = 255
    return out, boxes

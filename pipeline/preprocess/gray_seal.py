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
unless seal-sized). Analysis on a half-size view: ~30 ms per 300-dpi A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.preprocess.analysis import block_average

MID_LOW, MID_HIGH = 95, 190  # the mid-gray band of a copied seal, on a contrast-stretched page
TEXT_INK = 100  # pixels darker than this are text ink and always kept inside a seal's box
_WINDOW_MM = 7.0  # density window (about a line height and a half)
_MIN_DENSITY = 0.05  # share of solid mid-gray pixels in the window for "seal ink here"
_MIN_CM, _MAX_CM, _MAX_ASPECT = 1.5, 6.0, 2.0


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
    small = block_average(gray, factor)
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
    blobs = (density >= _MIN_DENSITY).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    boxes = []
    for x, y, bw, bh, _area in stats[1:count]:
        side_min, side_max = min(bw, bh) / px_per_cm, max(bw, bh) / px_per_cm
        if side_min < _MIN_CM or side_max > _MAX_CM or side_max / side_min > _MAX_ASPECT:
            continue
        boxes.append(SealBox(int(x * factor), int(y * factor), int(bw * factor), int(bh * factor)))
    return boxes


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

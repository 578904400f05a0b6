"""Erase the dotted leaders of printed forms ("Họ và tên: PHAN KHÁNH ..........") before OCR.

Tesseract reads a row of full stops as text, and once the dots are blurred or resampled it invents
words from them ("CC cu Ki ni ni ky nh"), at near-zero confidence but inside the page text. A
leader is a horizontal run of small, equal, regularly spaced dots on one baseline: nothing else on
a page looks like that, so the run is whited out and the words beside it are read alone.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_DOTS = 5  # an ellipsis ("...") stays text
MAX_SPACING_CV = 0.45  # spacing between dot centres: standard deviation / mean
LIGHT_INK = 200  # faint leaders: on a normalised page (paper ~255) anything darker is ink
FAINT_MIN_DOTS = 8
FAINT_MAX_SPACING_CV = 0.25


def _gray(image: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    if gray.dtype != np.uint8:
        gray = np.clip(gray, 0, 255).astype(np.uint8)
    return gray


def _ink(image: np.ndarray) -> np.ndarray:
    _, mask = cv2.threshold(_gray(image), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def find_leader_dots(image: np.ndarray, dpi: float = 300.0) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(label image, component stats, labels of the components that belong to a dotted leader)."""
    return _find_in_mask(_ink(image), dpi, MIN_DOTS, MAX_SPACING_CV)


def find_faint_leader_dots(image: np.ndarray, dpi: float = 300.0) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Leaders lighter than Otsu's cut (a copier's faded dots), under a stricter regularity test.

    On a normalised page anything darker than LIGHT_INK is ink here, which lets in specks and the
    fragments of faint letters; only long (FAINT_MIN_DOTS), very evenly spaced runs count.
    """
    gray = _gray(image)
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if level >= LIGHT_INK:
        return np.zeros(gray.shape, np.int32), np.zeros((1, 5), np.int32), []
    _, mask = cv2.threshold(gray, LIGHT_INK, 255, cv2.THRESH_BINARY_INV)
    return _find_in_mask(mask, dpi, FAINT_MIN_DOTS, FAINT_MAX_SPACING_CV)


def _find_in_mask(mask: np.ndarray, dpi: float, min_dots: int,
                  max_cv: float) -> tuple[np.ndarray, np.ndarray, list[int]]:
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < min_dots + 1:
        return labels, stats, []
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    area = stats[1:, cv2.CC_STAT_AREA]
    max_side = max(4, round(0.035 * (dpi or 300.0)))  # 2.5 pt: a full stop of text up to ~20 pt
    dot = ((h <= max_side) & (w <= max_side) & (w <= 2 * h) & (h <= 2 * w) & (area >= 2)
           & (area >= 0.45 * w * h))
    ids = np.nonzero(dot)[0] + 1
    if ids.size < min_dots:
        return labels, stats, []
    cy, cx = centroids[ids, 1], centroids[ids, 0]
    size = np.maximum(w[ids - 1], h[ids - 1]).astype(np.float64)
    order = np.argsort(cy, kind="stable")
    leaders: list[int] = []
    # group dots into rows: consecutive (by centre y) dots within half a dot of each other
    row: list[int] = [order[0]]
    for k in order[1:]:
        if abs(cy[k] - cy[row[-1]]) <= max(1.5, 0.5 * size[row[-1]]):
            row.append(k)
        else:
            leaders += _runs_in_row(row, cx, size, ids, min_dots, max_cv)
            row = [k]
    leaders += _runs_in_row(row, cx, size, ids, min_dots, max_cv)
    return labels, stats, leaders


def _runs_in_row(row: list[int], cx: np.ndarray, size: np.ndarray, ids: np.ndarray,
                 min_dots: int = MIN_DOTS, max_cv: float = MAX_SPACING_CV) -> list[int]:
    if len(row) < min_dots:
        return []
    members = sorted(row, key=lambda k: cx[k])
    out: list[int] = []
    run = [members[0]]

    def close(run: list[int]) -> None:
        # specks of a noisy page caught in the run (less than half the typical dot) are not its dots
        typical = float(np.median(size[run])) if run else 0.0
        run = [k for k in run if size[k] >= 0.5 * typical]
        if len(run) < min_dots:
            return
        gaps = np.diff(cx[run])
        sizes = size[run]
        if gaps.mean() > 0 and gaps.std() / gaps.mean() <= max_cv and sizes.max() <= 2.5 * sizes.min():
            out.extend(int(ids[k]) for k in run)

    for k in members[1:]:
        prev = run[-1]
        gap = cx[k] - cx[prev]
        if gap < 1.2 * size[prev] and len(run) > 1:
            continue  # a speck of copier noise between two dots: step over it, keep the run
        if 1.2 * size[prev] <= gap <= 5 * max(size[prev], size[k]):
            run.append(k)
        else:
            close(run)
            run = [k]
    close(run)
    return out


def erase_leaders(image: np.ndarray, dpi: float = 300.0) -> np.ndarray:
    """A copy of `image` with dotted leaders painted white (the input itself when there are none)."""
    out = image
    for finder in (find_leader_dots, find_faint_leader_dots):
        labels, stats, leaders = finder(out, dpi)
        if leaders:
            out = _paint_white(out if out is not image else image.copy(), labels, stats, leaders)
    return out


def _paint_white(out: np.ndarray, labels: np.ndarray, stats: np.ndarray, leaders: list[int]) -> np.ndarray:
    height, width = labels.shape
    ring = np.ones((3, 3), np.uint8)
    for label in leaders:
        x, y, w, h = stats[label, :4]
        # one pixel of margin: the anti-aliased halo of a dot would stay as a faint ring
        x0, y0, x1, y1 = max(0, x - 1), max(0, y - 1), min(width, x + w + 1), min(height, y + h + 1)
        box = cv2.dilate((labels[y0:y1, x0:x1] == label).astype(np.uint8), ring) > 0
        out[y0:y1, x0:x1][box] = 255
    return out

"""Small views of a page for estimating transforms (orientation, skew, page outline).

Estimating on a downscaled copy and applying the transform once at full resolution keeps
every stage to tens of milliseconds on a 300-dpi A4 page. The helpers below (ink mask, labelling,
ink points) are shared by orientation, quality and rescale, and each gives exactly the values of
the plain numpy/OpenCV formulation it replaced (tests/preprocess/test_fast_analysis.py).
"""

from __future__ import annotations

import cv2
import numpy as np

_DARK_ENOUGH = 220  # normalised level (paper = 255) above which nothing counts as ink


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Luminance as uint8 (a new array for colour input; gray input is returned as is)."""
    if pixels.ndim == 2:
        return pixels if pixels.dtype == np.uint8 else np.clip(pixels, 0, 255).astype(np.uint8)
    if pixels.shape[2] == 4:
        return cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


# Stages that look at the sheet rather than its letters (page outline, dark margins) share one
# area-averaged gray view this long of the page as it came in (preprocess.pipeline).
OUTLINE_SIDE = 1000


def outline_view(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The OUTLINE_SIDE view of a page as it came in, a true area average (`downscale(..., exact=True)`):
    the page finder's choice between outlines is sensitive to how the view is resampled (with
    `shrink`'s resampling it took a printed frame for a sheet's edge; tests/preprocess/test_page_detect.py)."""
    return downscale(gray, OUTLINE_SIDE, exact=True)


# Stages that look at the letters (orientation, x-height) share one view this long of the cleaned page.
LETTERS_SIDE = 1800


# A view may come out this much shorter than asked when that makes its scale 1/k for a whole k.
SNAP = 0.9


def box_shrink(image: np.ndarray, factor: int) -> np.ndarray:
    """The mean of each `factor` x `factor` block; the last rows and columns that do not fill a
    block are left out. This is OpenCV's area average on its fast path, which it takes only when the
    sizes divide exactly: 1 ms for a 300-dpi A4 page, where an area average to a size that does not
    divide it (3508 -> 1000 px) takes ~28 ms."""
    if factor <= 1:
        return image
    h, w = image.shape[:2]
    h, w = max(factor, h - h % factor), max(factor, w - w % factor)
    return cv2.resize(image[:h, :w], (w // factor, h // factor), interpolation=cv2.INTER_AREA)


def shrink(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`image` resized down to `size` (width, height): block means by the largest whole factor that
    fits, then a bilinear step of a factor between 1/2 and 1, where bilinear skips no pixel. Close to
    an area average at a fraction of its time when the factor is not whole."""
    h, w = image.shape[:2]
    factor = min(w // max(1, size[0]), h // max(1, size[1]))
    image = box_shrink(image, factor)
    if image.shape[1] == size[0] and image.shape[0] == size[1]:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def downscale(image: np.ndarray, max_side: int, exact: bool = False) -> tuple[np.ndarray, float]:
    """Shrink so the longer side is at most `max_side`; returns (view, scale = view/original).

    When a whole factor k gives a view at least SNAP * max_side long (a 300-dpi A4 page, 3508 px, to
    1800: k = 2, 1754 px), the view is the page's k x k block means and its scale exactly 1/k;
    otherwise `shrink` to max_side. `exact`: OpenCV's area average to max_side, always."""
    h, w = image.shape[:2]
    longest = max(h, w)
    if longest <= max_side:
        return image, 1.0
    scale = max_side / float(longest)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if exact:
        return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale
    whole = -(-longest // max_side)  # the smallest whole factor that fits
    if longest // whole >= SNAP * max_side:
        return box_shrink(image, whole), 1.0 / whole
    return shrink(image, size), scale


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark-on-light ink as a 0/1 uint8 mask, robust to uneven light (local background division)."""
    k = max(15, (min(gray.shape[:2]) // 20) | 1)
    background = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.blur(background, (k, k))
    norm = cv2.divide(gray, background, scale=255)
    otsu, mask = cv2.threshold(norm, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Otsu on a nearly blank page splits paper noise; require real darkness too (norm <= 220).
    # Ink is norm <= min(otsu, 220): one more threshold pass only when Otsu lands above 220,
    # instead of a boolean-indexed write (~2 ms on a 1600 px view, every call).
    if otsu > _DARK_ENOUGH:
        _, mask = cv2.threshold(norm, _DARK_ENOUGH, 1, cv2.THRESH_BINARY_INV)
    return mask


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats(mask, connectivity=8)` as (n, labels, stats), same values.

    Labels are uint16 when the page has fewer than 65535 provisional labels: OpenCV 5 labels a
    1600 px text mask ~3x faster that way (6 ms instead of 18 ms, one core) and `keep[labels]`
    gathers over half the memory. A noisier mask overflows the 16-bit type, which OpenCV reports
    as an error; it is then labelled again with int32 labels.
    """
    try:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)
    return n, labels, stats


def letter_limit(heights: np.ndarray, limit: int) -> int:
    """The height under which a blob counts as a letter: `limit` (a share of the page, which drops rules,
    seals and photos), raised to twice the median blob height when most blobs of 3 px or more are over
    it. Those are the letters of a small image of large print (a 460 x 1350 px strip of 12-pt capitals
    at 300 dpi, whose 35-px letters an 18-px limit dropped: orientation then judged it by its tone
    marks alone and turned it 180, or by its punctuation and turned it a quarter)."""
    sized = heights[heights >= 3]
    if sized.size and np.count_nonzero(sized >= limit) > sized.size // 2:
        return max(limit, 2 * int(np.median(sized)))
    return limit


def keep_components(labels: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """0/1 uint8 mask of the components whose `keep[1:]` is true (`keep` per label without background)."""
    table = np.zeros(keep.size + 1, dtype=np.uint8)
    table[1:] = keep
    return np.take(table, labels)  # ~30 % faster than table[labels] on uint16 labels, same array


def mask_points(mask: np.ndarray) -> np.ndarray:
    """(N, 2) int32 x, y of the mask's nonzero pixels in row-major order (`np.nonzero`'s order):
    `cv2.findNonZero` finds them ~3x faster (2 ms instead of 7 ms on a 1600 px mask)."""
    found = cv2.findNonZero(mask)
    return np.empty((0, 2), dtype=np.int32) if found is None else found.reshape(-1, 2)


def labels_at(labels: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """The component label under each (x, y) point: looking labels up at the ink pixels only (about
    a tenth of a page) is cheaper than building a mask of the kept components over the whole view."""
    return np.take(labels.ravel(), pts[:, 1].astype(np.intp) * labels.shape[1] + pts[:, 0])


def centred_sample(pts: np.ndarray, max_points: int) -> np.ndarray:
    """Float32 copy of (N, 2) points, evenly subsampled to at most `max_points` and centred: the
    points `deskew._ink_points` takes from a mask's `np.nonzero`."""
    if len(pts) > max_points:
        pts = pts[:: len(pts) // max_points + 1]
    pts = pts.astype(np.float32)
    if pts.size:
        pts -= pts.mean(axis=0)
    return pts

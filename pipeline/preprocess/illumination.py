"""Illumination: flatten uneven light and shadows, then stretch contrast (and optional denoise).

Phone photos and cheap scanners give a page whose paper goes from white to dark gray; a single
global threshold then loses whole regions. Dividing by a background estimated with a max
filter on a quarter-size view (text is removed, light gradients kept) brings the paper to a
flat white for ~30 ms per 300-dpi page. This is the stage that turns "no text at all" into
readable text on photographed pages (docs/domain.md).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess.analysis import box_shrink


def estimate_background(gray: np.ndarray, text_px: int = 60) -> np.ndarray:
    """The paper's brightness at each pixel: a max filter wider than the strokes, on a small view."""
    h, w = gray.shape
    factor = 4 if min(h, w) >= 800 else 2 if min(h, w) >= 300 else 1
    small = box_shrink(gray, factor)
    k = max(5, (text_px // factor) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    bg = cv2.dilate(small, kernel)
    bg = cv2.erode(bg, kernel)  # closing: remove text, keep the light field's shape
    bg = cv2.medianBlur(bg, 5 if k < 25 else 7)
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def _percentile(gray: np.ndarray, q: float) -> int:
    hist = np.bincount(gray.ravel(), minlength=256)
    cdf = np.cumsum(hist)
    return int(np.searchsorted(cdf, q / 100.0 * cdf[-1]))


def normalize_background(gray: np.ndarray, text_px: int = 60) -> np.ndarray:
    """Divide by the estimated background so the paper becomes a flat white (new array)."""
    bg = estimate_background(gray, text_px)
    return cv2.divide(gray, np.maximum(bg, 1), scale=255)


def stretch_contrast(gray: np.ndarray, low_pct: float = 0.5, max_gain: float = 4.0) -> np.ndarray:
    """Map the darkest `low_pct` % to black and the paper to white, with a bounded gain."""
    sample = gray[::3, ::3]  # percentiles need no more than a ninth of the pixels
    lo = _percentile(sample, low_pct)
    hi = _percentile(sample, 90.0)
    if hi - lo < 1:
        return gray.copy()
    gain = min(max_gain, 255.0 / (hi - lo))
    lut = np.clip((np.arange(256) - (hi - 255.0 / gain)) * gain, 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


def denoise(gray: np.ndarray, ksize: int = 3) -> np.ndarray:
    """Median filter: removes salt-and-pepper and sensor speckle, keeps stroke edges."""
    return cv2.medianBlur(gray, ksize)

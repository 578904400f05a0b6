"""Small views of a page for estimating transforms (orientation, skew, page outline).

Estimating on a downscaled copy and applying the transform once at full resolution keeps
every stage to tens of milliseconds on a 300-dpi A4 page.
"""

from __future__ import annotations

import cv2
import numpy as np


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Luminance as uint8 (a new array for colour input; gray input is returned as is)."""
    if pixels.ndim == 2:
        return pixels if pixels.dtype == np.uint8 else np.clip(pixels, 0, 255).astype(np.uint8)
    if pixels.shape[2] == 4:
        return cv2.cvtColor(pixels, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def downscale(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink so the longer side is at most `max_side`; returns (view, scale = view/original)."""
    h, w = image.shape[:2]
    scale = min(1.0, max_side / float(max(h, w)))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark-on-light ink as a 0/1 uint8 mask, robust to uneven light (local background division)."""
    k = max(15, (min(gray.shape[:2]) // 20) | 1)
    background = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.blur(background, (k, k))
    norm = cv2.divide(gray, background, scale=255)
    _, mask = cv2.threshold(norm, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # Otsu on a nearly blank page splits paper noise; require real darkness too.
    mask[norm > 220] = 0
    return mask

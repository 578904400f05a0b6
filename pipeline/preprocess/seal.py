"""Seal suppression: turn red seals and coloured stamps into background, keep black text under them.

Vietnamese papers carry a red seal over the signature and often over the last lines of text.
A plain gray conversion makes a red seal as dark as text (luminance of pure red is ~76), so
Otsu keeps it and Tesseract reads noise. Here saturated pixels take their brightest channel
(a red pixel is bright in R) instead of their luminance, while dark pixels stay dark whatever
their hue, so black text printed under the seal survives.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess.analysis import to_gray

# OpenCV hue is 0-179. Red, pink and magenta/purple seals and "ĐẾN" stamps.
_RED_HUES = ((0, 12), (125, 179))


def colour_mask(rgb: np.ndarray, hues: str = "any", min_saturation: int = 60, min_value: int = 70) -> np.ndarray:
    """0/1 mask of coloured-ink pixels: saturated, not dark, and (for hues="red") reddish."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    h, s, v = cv2.split(hsv)
    mask = (s >= min_saturation) & (v >= min_value)
    if hues == "red":
        in_range = np.zeros_like(mask)
        for lo, hi in _RED_HUES:
            in_range |= (h >= lo) & (h <= hi)
        mask &= in_range
    elif hues != "any":
        raise ValueError(f"unknown seal hues {hues!r}")
    return mask.astype(np.uint8)


def suppress_seals(pixels: np.ndarray, hues: str = "any", min_saturation: int = 60, min_value: int = 70) -> np.ndarray:
    """Gray page where coloured ink is lightened to paper and dark (black) ink is kept."""
    gray = to_gray(pixels)
    if pixels.ndim == 2:
        return gray.copy()
    rgb = pixels[:, :, :3]
    mask = colour_mask(rgb, hues, min_saturation, min_value)
    if not mask.any():
        return gray.copy()
    brightest = rgb.max(axis=2)
    # Brightest channel for coloured pixels, pushed further towards white: the ink itself
    # carries no text, but its darker cores would otherwise survive as gray blobs.
    lifted = cv2.addWeighted(brightest, 0.5, np.full_like(brightest, 255), 0.5, 0)
    out = gray.copy()
    np.copyto(out, lifted, where=mask.astype(bool))
    return out


def has_colour(pixels: np.ndarray, min_fraction: float = 0.0005) -> bool:
    """True when a colour page carries enough coloured ink to be worth suppressing."""
    if pixels.ndim == 2:
        return False
    small = pixels[::4, ::4, :3]
    return float(colour_mask(np.ascontiguousarray(small)).mean()) >= min_fraction

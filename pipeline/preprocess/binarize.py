"""Binarisation: black text on white, the input Tesseract's LSTM was trained on.

Three methods: global Otsu (best on a flat, normalised background), Sauvola (local mean and
deviation; tolerant of leftover shading) and OpenCV's Gaussian adaptive threshold. Tesseract
also binarises internally (Otsu), so `method="none"` hands it the normalised gray page.
Measured (pipeline.preprocess.pipeline docstring): after background normalisation, the gray
page ("none") gave the lowest CER with Tesseract `vie` on photocopies and phone photos, Otsu
was close (better on the hardest level), Sauvola and adaptive were worse, so the default
hands Tesseract the gray page and these stay for debugging and for engines that want binary.
"""

from __future__ import annotations

import cv2
import numpy as np

METHODS = ("otsu", "sauvola", "adaptive", "none")


def otsu(gray: np.ndarray) -> np.ndarray:
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out


def sauvola(gray: np.ndarray, window: int = 31, k: float = 0.2, r: float = 128.0) -> np.ndarray:
    """T = m * (1 + k (s / r - 1)) over a `window` box, with box filters (O(1) per pixel)."""
    window |= 1
    g = gray.astype(np.float32)
    mean = cv2.boxFilter(g, cv2.CV_32F, (window, window), borderType=cv2.BORDER_REPLICATE)
    sq = cv2.boxFilter(g * g, cv2.CV_32F, (window, window), borderType=cv2.BORDER_REPLICATE)
    std = cv2.sqrt(cv2.max(sq - mean * mean, 0))
    thresh = mean * (1.0 + k * (std / r - 1.0))
    return np.where(g > thresh, 255, 0).astype(np.uint8)


def adaptive(gray: np.ndarray, block: int = 31, c: int = 10) -> np.ndarray:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block | 1, c)


def binarize(gray: np.ndarray, method: str = "otsu", window: int = 31) -> np.ndarray:
    """0/255 page by `method`; "none" returns a copy of the gray page."""
    if method == "otsu":
        return otsu(gray)
    if method == "sauvola":
        return sauvola(gray, window)
    if method == "adaptive":
        return adaptive(gray, window)
    if method == "none":
        return gray.copy()
    raise ValueError(f"unknown binarisation method {method!r}; expected one of {METHODS}")

"""Photos (a card's portrait) painted white before OCR.

Background normalisation divides each pixel by the page's local brightness. Inside a large dark
area (a portrait's hair and clothes) that brightness is the area's own, so its middle becomes
paper while its edges stay dark, and Tesseract reads those edges as letters at the start of the
text lines beside them ("L Ạ Nơi thường trú", "c> Số / No." on a card). So photos are found on
the page as it was before normalisation: dark areas that an opening by a square thicker than any
stroke of text leaves standing (text is strokes, bold display type included), from a few
millimetres to MAX_SIDE_IN across, whose normalised inside is paper. A shadow over text is dark
and solid too, but its text shows once normalised (many marks, or dark clumps where the photo was
blurred), so it stays; so does a small solid block that normalisation leaves dark (a QR code's
corner squares), which Tesseract sets aside as a picture anyway. Their place on the normalised
page is painted white; the stored original keeps them (ocr.searchable_pdf).

Dev pages (generator seeds 160, 180, 200, 210, 220 and a set of 40 ID-card pages; 250 pages over
the five levels; never `make bench-ocr`'s seed): mean CER 5.32 -> 5.21 %, word F1 0.931 -> 0.933,
56 pages touched (word F1 better on 28, worse on 11); the card set 10.4 -> 9.4 % (clean
2.5 -> 1.5, office_scan 4.7 -> 1.9; photocopy 10.6 -> 11.1). ~7 ms a 300-dpi page, on a ~100 dpi view.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.preprocess.analysis import components

VIEW_DPI = 100.0
DARK_SHARE = 0.6  # darker than this share of the paper's level (its 90th percentile) before normalisation
MIN_THICK_IN = 0.07  # the opening's square: removes every stroke of text (28 pt bold: ~0.04 in)
MIN_SIDE_IN = 0.12  # both sides of a region's box at least this long (a card portrait's hair: ~0.2 in)
INSIDE_IN = 0.04  # the inside of a region: the region less this much from its edge
INK = 128  # normalised level under which a pixel is ink
# Text in a shadow shows, once normalised, as marks of a letter's or a word's height: this many mean
# text. A portrait's normalised inside holds 1-4 marks (the remnants of its dark areas) and is mostly
# paper (0-11 % ink on dev pages), while blurred text in a shadow merges into dark clumps that
# survive the opening one by one, each few marks but 15-65 % ink once normalised.
MIN_TEXT_MARKS = 6
MAX_INK_INSIDE = 0.12
MAX_SIDE_IN = 2.5  # a photo fits in this (a 3x4 cm photo, a card's portrait); a shadow does not
MARGIN_IN = 0.03  # the painted area is grown by this much: the normalised edge is the junk


def _view(gray: np.ndarray, factor: int) -> np.ndarray:
    h, w = gray.shape[:2]
    if factor == 1:
        return gray
    return cv2.resize(gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)


def _holds_text(norm: np.ndarray, inside: np.ndarray, vdpi: float) -> bool:
    """Whether the normalised `norm` shows text where `inside` is set (a shadow over text, not a photo)."""
    ink = ((norm < INK) & inside).astype(np.uint8)
    if float(ink.sum()) > MAX_INK_INSIDE * float(inside.sum()):
        return True
    _, _, stats = components(ink)
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    marks = int(((h >= 0.04 * vdpi) & (h <= 0.3 * vdpi)).sum())
    return marks >= MIN_TEXT_MARKS


def find_photos(before: np.ndarray, flat: np.ndarray, dpi: float) -> tuple[np.ndarray, int] | None:
    """(0/1 mask of the page's photos on a view `factor` times smaller, factor), None when there are
    none: `before` is the gray page before background normalisation, `flat` after it (same size)."""
    dpi = dpi or 300.0
    factor = max(1, int(dpi // VIEW_DPI))
    raw = _view(before, factor)
    vdpi = dpi / factor
    cdf = np.cumsum(cv2.calcHist([raw], [0], None, [256], [0, 256]).ravel())
    paper = float(np.searchsorted(cdf, 0.9 * cdf[-1]))
    # raw < DARK_SHARE * paper, as 0/1 (OpenCV's threshold keeps levels <= its threshold)
    _, dark = cv2.threshold(raw, math.ceil(DARK_SHARE * paper) - 1, 1, cv2.THRESH_BINARY_INV)
    k = max(3, int(round(MIN_THICK_IN * vdpi)))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, labels, stats = components(solid)
    side, most = MIN_SIDE_IN * vdpi, MAX_SIDE_IN * vdpi
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    big = np.flatnonzero((w >= side) & (w <= most) & (h >= side) & (h <= most)) + 1
    if not big.size:
        return None
    inside_k = max(1, int(round(INSIDE_IN * vdpi)))
    shrink = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * inside_k + 1, 2 * inside_k + 1))
    mask = np.zeros(raw.shape, np.uint8)
    for i in big:
        x, y, w, h = stats[i, :4]
        region = (labels[y:y + h, x:x + w] == i).astype(np.uint8)
        inside = cv2.erode(region, shrink).view(bool)
        if not inside.any():
            inside = region.view(bool)
        # The normalised view of the region alone: the whole page's view cropped (blocks of `factor`).
        norm = _view(flat[y * factor:(y + h) * factor, x * factor:(x + w) * factor], factor)
        if not _holds_text(norm, inside, vdpi):
            mask[y:y + h, x:x + w] |= region
    if not mask.any():
        return None
    grow = max(1, int(round(MARGIN_IN * vdpi)))
    return cv2.dilate(mask, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)), factor


def erase_photos(before: np.ndarray, flat: np.ndarray, dpi: float) -> tuple[np.ndarray, int]:
    """(`flat` with its photos painted white, pixels painted); `flat` itself when there are none."""
    found = find_photos(before, flat, dpi)
    if found is None:
        return flat, 0
    mask, factor = found
    out, painted = flat.copy(), 0
    n, labels, stats = components(mask)
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        own = (labels[y:y + h, x:x + w] == i).astype(np.uint8)
        block = np.repeat(np.repeat(own, factor, axis=0), factor, axis=1).view(bool)
        target = out[y * factor:(y + h) * factor, x * factor:(x + w) * factor]
        block = block[:target.shape[0], :target.shape[1]]
        target[block] = 255
        painted += int(block.sum())
    return out, painted

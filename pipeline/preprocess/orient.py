"""Coarse orientation (0/90/180/270): which quarter turn makes the text upright.

Two methods. `own` (default): text lines are horizontal when the projection profile is
sharpest (0/180 against 90/270), and upright Vietnamese puts far more ink above the x-height
band (ascenders, capitals and the stacked tone marks) than below it (few descenders), so the
above/below ratio over all lines tells 0 from 180. `osd`: Tesseract's orientation detection
(`--psm 0`), which is trained on Latin scripts and needs a second Tesseract call per page.
Measured on 40 generated pages over all levels, each turned 0/90/180/270 before degrading:
own 40/40 correct, OSD 39/40 (missed a `hard` 180). Cost on a 300-dpi A4 page, one core:
own ~0.1-0.2 s, OSD ~0.7-1.3 s (a second Tesseract run). On a further 30 pages own missed 1
(a motion-blurred phone photo, where OSD was wrong too). Default "auto": own, and OSD only
when own's log-ratio is under 0.4 (about 1 page in 15), overriding it only when OSD is
confident (>= 1.5): that fixed a noisy `hard` page turned 180 that own called upright. When
neither is sure, an upside-down answer falls back to upright (a CCCD copy with an MRZ, where
own said 180 at 0.28 and OSD 180 at 0.9, was upright).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.preprocess.analysis import (centred_sample, components, downscale, ink_mask, labels_at, letter_limit,
                                         mask_points)
from pipeline.preprocess.deskew import ANALYSIS_SIDE, MAX_POINTS, rotate, sweep

_MAX_SKEW = 15.0  # degrees swept either side, as deskew's default
# Text runs across the page (a quarter turn) only when the turned profile is this much sharper than the
# upright one. Measured on 367 generated dev pages (all levels, seeds 160-200, 555040-555043, cards): upright
# pages scored at most 0.70 of their upright profile turned, pages turned a quarter at least 1.29, but for two
# half-empty backs of land-use certificates under photocopy speckle, upright and tied (1.008), then read
# sideways. Pages come upright far more often than turned: a tie keeps them so.
QUARTER_MARGIN = 1.15


@dataclass(frozen=True)
class Orientation:
    rotation: int  # degrees clockwise to apply to make the page upright (0/90/180/270)
    confidence: float  # method-specific, >= 0; 0 means "no evidence, left as is"
    method: str
    skew: float | None = None  # skew measured on the way (own method), in the upright frame


def rotate_quarters(image: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate clockwise by 0/90/180/270 degrees (exact, no interpolation)."""
    k = (rotation // 90) % 4
    if k == 0:
        return image
    if image.dtype != np.uint8:
        return np.ascontiguousarray(np.rot90(image, k=-k))
    # cv2.rotate gives np.rot90's pixels 2-4x faster (a 1275x2022 page: 1.8 ms instead of 4.2 ms).
    return cv2.rotate(image, _QUARTER_CODES[k])


_QUARTER_CODES = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}


def _letter_profile(mask: np.ndarray) -> tuple[np.ndarray, float]:
    """Ink per row of the letter-sized blobs (rules, page edges, seals and photos carry no up/down
    cue), and, for large print (`letter_limit` raised the limit), the median height of those blobs
    (else 0).

    Counted from the ink pixels' labels rather than a mask of the kept blobs (same counts, ~4 ms
    less on a 1600 px view)."""
    n, labels, stats = components(mask)
    if n <= 1:
        return mask.sum(axis=1).astype(np.float64), 0.0
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    base = max(8, min(mask.shape) // 25)
    limit = letter_limit(h, base)
    keep = np.zeros(n, dtype=bool)
    keep[1:] = (h < limit) & (w < 4 * limit) & (h >= 3) & (stats[1:, cv2.CC_STAT_AREA] >= 8)
    pts = mask_points(mask)
    rows = pts[:, 1][keep[labels_at(labels, pts)]]
    height = float(np.median(h[keep[1:]])) if limit > base and keep.any() else 0.0
    return np.bincount(rows, minlength=mask.shape[0]).astype(np.float64), height


# Rows of blank bridged between a line and its detached tone marks: 3, and on large print this share
# of the letters' height. Above a capital the gap is about a tenth of its height (3 px over 36-px
# capitals in DejaVu Serif), and lines are set further apart than a fifth of it. Applied to every page
# (dev pages, seeds 61/71/81), it flipped two low-confidence decisions on blurred 170-dpi pages with
# 20-px letters, one each way: so it is kept to the large print that `letter_limit` singles out.
MARK_GAP = 0.2


def _band_asymmetry(mask: np.ndarray) -> tuple[float, float]:
    """Ink above vs below the x-height band, summed over the text lines of a deskewed mask."""
    profile, letter_height = _letter_profile(mask)
    width = mask.shape[1]
    # Relative to the busiest rows too, so leftover speckle does not join all lines into one.
    inline = profile > max(1.0, 0.01 * width, 0.12 * float(np.percentile(profile, 95)))
    # Bridge the gaps between a line and its detached tone marks (MARK_GAP).
    bridge = max(3, int(np.ceil(MARK_GAP * letter_height)))
    inline = cv2.morphologyEx(inline.astype(np.uint8)[:, None], cv2.MORPH_CLOSE,
                              np.ones((bridge, 1), np.uint8))[:, 0] > 0
    above = below = 0.0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inline.astype(np.int8), [0]])))
    for start, stop in zip(edges[::2], edges[1::2]):
        q = profile[start:stop]
        if q.size < 5 or q.sum() < 0.02 * width * q.size:
            continue
        core = np.flatnonzero(q >= 0.5 * q.max())
        above += q[: core[0]].sum()
        below += q[core[-1] + 1 :].sum()
    return above, below


def _line_points(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, quarter: bool) -> np.ndarray:
    """The points `deskew.profile_score` sweeps for the page of ink `mask`, or of that page turned a
    quarter clockwise (`quarter`), from one labelling of `mask`: the ink mask and its components
    turn with the page, so the turned page needs no second mask (same blobs kept, same points in
    the same order)."""
    pts = mask_points(cv2.rotate(mask, cv2.ROTATE_90_CLOCKWISE) if quarter else mask)
    if len(stats) > 1:
        h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
        width = mask.shape[1]
        if quarter:
            h, w, width = w, h, mask.shape[0]
        limit = letter_limit(h, max(8, min(mask.shape) // 15))
        keep = np.zeros(len(stats), dtype=bool)
        keep[1:] = (h < limit) & (stats[1:, cv2.CC_STAT_AREA] >= 2) & (w < width // 2)
        # A point (x', y') of the page turned clockwise is the pixel (y', height - 1 - x') of `mask`.
        at = np.stack([pts[:, 1], mask.shape[0] - 1 - pts[:, 0]], axis=1) if quarter else pts
        pts = pts[keep[labels_at(labels, at)]]
    return centred_sample(pts, MAX_POINTS)


def _rough_lines(small: np.ndarray) -> tuple[float, float, float, float]:
    """(angle, score) of the text lines of `small` as it is and turned a quarter, from one ink mask:
    `profile_score(small, 15, side=800, coarse_step=1, refine=False)` for both, at half the cost."""
    mask = ink_mask(small)
    _, labels, stats = components(mask)
    coarse = np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-6, 1.0)
    rough0, score0 = sweep(_line_points(mask, labels, stats, False), coarse, 1.0, refine=False)
    rough90, score90 = sweep(_line_points(mask, labels, stats, True), coarse, 1.0, refine=False)
    return rough0, score0, rough90, score90


def _fine_angle(upright: np.ndarray, near: float) -> float:
    """`profile_score(upright, 15, near=near)[0]` (a <= ANALYSIS_SIDE view): the skew to 0.05 degree."""
    mask = ink_mask(upright)
    _, labels, stats = components(mask)
    coarse = np.arange(max(-_MAX_SKEW, near - 1.5), min(_MAX_SKEW, near + 1.5) + 1e-6, 0.5)
    return sweep(_line_points(mask, labels, stats, False), coarse, 0.5, refine=True)[0]


def detect_own(gray: np.ndarray, view: np.ndarray | None = None) -> Orientation:
    """Lines vs columns, then up vs down (module docstring).

    The line-angle sweeps are those of `deskew.profile_score`, fed from one ink mask and one
    labelling (analysis.components) per view instead of one per call (the quarter-turned small
    view reuses the upright one's), and the up/down profile is counted at the ink pixels instead
    of through a mask of the kept blobs. Same angles, scores and decisions (tests/preprocess/
    test_fast_analysis.py); measured 2026-11-28 on 100 generated pages (seeds 100/150/180, all
    five levels, one core, old and new interleaved): 150 -> 97 ms per page, identical output.
    `view`: a view of `gray` (analysis.downscale) larger than ANALYSIS_SIDE (the pipeline's LETTERS_SIDE
    view, shared with the x-height), shrunk further here instead of the full page.
    """
    view, _ = downscale(gray if view is None else view, ANALYSIS_SIDE)
    # Lines vs columns: a rough sweep on a small view is enough to tell them apart.
    small, _ = downscale(view, 800)
    rough0, score0, rough90, score90 = _rough_lines(small)
    if score0 == 0.0 and score90 == 0.0:
        return Orientation(0, 0.0, "own")
    base = 90 if score90 > QUARTER_MARGIN * score0 else 0
    upright = rotate_quarters(view, base)
    angle = _fine_angle(upright, rough90 if base else rough0)
    mask = ink_mask(cv2.medianBlur(rotate(upright, -angle), 3))
    above, below = _band_asymmetry(mask)
    if above + below == 0:
        return Orientation(base, 0.0, "own", angle)
    ratio = np.log((above + 1.0) / (below + 1.0))
    if ratio >= 0:
        return Orientation(base, float(ratio), "own", round(angle, 2))
    # Turning the page half round turns its skew with it: the angle keeps its sign.
    return Orientation((base + 180) % 360, float(-ratio), "own", round(angle, 2))


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_osd(gray: np.ndarray, timeout: int = 30) -> Orientation:
    """Tesseract OSD on a <=2000 px view; (0, 0.0) when it finds too few characters."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    view, _ = downscale(gray, 2000)
    try:
        out = pytesseract.image_to_osd(view, config="--psm 0 -c min_characters_to_try=20", timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError):
        return Orientation(0, 0.0, "osd")
    rot = _OSD_ROTATE.search(out)
    conf = _OSD_CONF.search(out)
    if not rot:
        return Orientation(0, 0.0, "osd")
    return Orientation(int(rot.group(1)) % 360, float(conf.group(1)) if conf else 0.0, "osd")


def detect_orientation(gray: np.ndarray, method: str = "auto", doubt_below: float = 0.4,
                       osd_min_confidence: float = 1.5, view: np.ndarray | None = None) -> Orientation:
    """The clockwise quarter turn that makes `gray` upright.

    "auto": the own method, and Tesseract OSD when the own method is in doubt (its log-ratio
    below `doubt_below`, ~1 page in 15 of the generated set) or says the page is turned; OSD
    overrides it only when OSD itself is confident. `view`: see `detect_own` (OSD reads `gray`).
    """
    if method == "osd":
        return detect_osd(gray)
    if method == "own":
        return detect_own(gray, view)
    if method == "auto":
        own = detect_own(gray, view)
        if own.confidence >= doubt_below and own.rotation == 0:
            return own
        # In doubt, or claiming a turned page: ask OSD. The up/down cue of the own method is ink
        # above vs below the x-height band, which all-capital lines (mottos, titles, forms) can
        # fool with high confidence; pages come upright far more often, so a turn is confirmed.
        osd = detect_osd(gray)
        if osd.confidence >= osd_min_confidence:
            if osd.rotation == own.rotation:
                return own
            return Orientation(osd.rotation, osd.confidence, "osd")
        if own.rotation == 180:
            # Neither method is sure: pages come upright far more often than upside down.
            return Orientation(0, 0.0, "own", own.skew)
        return own
    raise ValueError(f"unknown orientation method {method!r}")

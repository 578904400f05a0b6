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
half-size view: ~30 ms per 300-dpi A4 page. A rim the copier printed as dark as the text survives
the lightening; it is found as a circle of ink round the seal and erased where no stroke of the
text crosses it (`erase_rims`, ~5 ms per seal).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.preprocess.analysis import box_shrink

MID_LOW, MID_HIGH = 95, 190  # the mid-gray band of a copied seal, on a contrast-stretched page
TEXT_INK = 100  # pixels darker than this are text ink and always kept inside a seal's box
_WINDOW_MM = 7.0  # density window (about a line height and a half)
_MIN_DENSITY = 0.05  # share of solid mid-gray pixels in the window for "seal ink here"
_MIN_CM, _MAX_CM, _MAX_ASPECT = 1.5, 6.0, 2.0
_MAX_SPLIT_DENSITY = 0.2  # an area too large for a seal is split at most up to this level (0.05 -> 0.1 -> 0.2)
_SPLIT_MAX_CM, _SPLIT_MAX_ASPECT = 5.0, 1.25  # what counts as a seal among the parts of a split area
# A seal's ring or a stamp's frame is one stroke of ink across its box; the mid-gray of blurred bold text
# (a phone photo's "dân số: 04 / Tân Lập") is dense enough to pass for a seal, but its ink is lines of
# letters. A box is a seal only if one connected piece of its ink (<= MID_HIGH) spans this share of its
# width and of its height. Of the 39 boxes found on 100 generated dev pages (seeds 61 and 71), 38 seals,
# stamps and card emblems spanned 0.46-0.97, one box of blurred text 0.25. Found through a benchmark
# page whose "sinh năm 1982" the lightening made "sinh 1 1" (span 0.29).
_MIN_SPAN = 0.4


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
    small = box_shrink(gray, factor)
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
            for x, y, bw, bh in _seal_areas(density, _MIN_DENSITY, px_per_cm, window)
            if _spanned(small[y:y + bh, x:x + bw] <= MID_HIGH)]


def _spanned(ink: np.ndarray) -> bool:
    """Whether one connected piece of `ink` spans _MIN_SPAN of the box's width and of its height."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    h, w = ink.shape
    return any(stats[i, cv2.CC_STAT_WIDTH] >= _MIN_SPAN * w and stats[i, cv2.CC_STAT_HEIGHT] >= _MIN_SPAN * h
               for i in range(1, count))


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
    """A copy of `gray` with every found seal's box set to paper except the text ink (or `gray` itself);
    rims left as dark as text are erased where no text crosses them (`erase_rims`)."""
    boxes = find_gray_seals(gray, dpi)
    if not boxes:
        return gray, []
    out = gray.copy()
    for box in boxes:
        region = out[box.top:box.top + box.height, box.left:box.left + box.width]
        region[region >= TEXT_INK] = 255
    for box in boxes:
        erase_rims(out, box, dpi)
    return out, boxes


def erase_rims(gray: np.ndarray, box: SealBox, dpi: float) -> int:
    """Erase, in place, the rims of a round seal near `box` that are as dark as text; returns the pixels erased.

    A copier often prints a seal's rims as dark as the text, so the lightening above keeps them, and
    Tesseract takes a rim with the lines it crosses for a picture (on a generated copied ID card it
    dropped the number, name and birth date lines that way). A rim is a circle of ink: around the
    seal's centre (`_rim_centre`), the share of angles inked at each radius peaks there, at
    >= `_RIM_MIN_COVER`, well above the radii around it, thinner than `_RIM_MAX_MM`. Its ink is set
    to paper except where a stroke of the text crosses it (`_erase_rim`).
    """
    side = max(box.width, box.height)
    pad = side // 3
    top, left = max(0, box.top - pad), max(0, box.left - pad)
    region = gray[top:min(gray.shape[0], box.top + box.height + pad), left:min(gray.shape[1], box.left + box.width + pad)]
    if min(region.shape) < 32:
        return 0
    px_per_mm = dpi / 25.4
    ys, xs = np.nonzero(region < TEXT_INK)
    if len(xs) < 100:
        return 0
    centre = _rim_centre(region, side, ys, xs, px_per_mm)
    if centre is None:
        return 0
    cx, cy = centre
    rho, bins = np.hypot(xs - cx, ys - cy), _angle_bins(xs - cx, ys - cy)
    occupied = _coverage(rho, bins, int(rho.max()) + 2)
    rims = _rims(occupied[:-1].mean(axis=1), px_per_mm)
    return sum(_erase_rim(region, ys, xs, rho, bins, occupied, inner, outer) for inner, outer in rims)


_RIM_MIN_COVER = 0.35  # share of a circle's angles inked for a rim (uneven stamping, parts lightened away)
_RIM_CONTRAST = 2.5  # ... and this many times the median share around it (text is inked at every radius)
_RIM_MAX_MM = 2.5  # a seal's rim is thinner than this
_RIM_MIN_MM = 5.0  # and at least this far from the centre (the star is not a rim)
_ANGLES = 720
_MAX_ARCS = 3  # the largest arcs of ink a rim is fitted to
_FIT_POINTS = 20000  # ink points a fit round uses at most (evenly sampled)
_FIT_ROUNDS = 20


def _angle_bins(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """The angle bin (of `_ANGLES` round the circle) of each point at offset dx, dy from a centre."""
    return ((np.arctan2(dy, dx) + np.pi) * (_ANGLES / (2 * np.pi))).astype(np.intp) % _ANGLES


def _coverage(rho: np.ndarray, bins: np.ndarray, limit: int) -> np.ndarray:
    """(radius, angle bin) -> inked, for the ink points at radius `rho` and angle bin `bins` within `limit`."""
    keep = rho < limit
    occupied = np.zeros((limit, _ANGLES), bool)
    occupied[rho[keep].astype(np.intp), bins[keep]] = True
    return occupied


def _circle_fit(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float]:
    """Least-squares circle through points (algebraic fit): centre x, y and radius."""
    fx, fy = xs.astype(np.float64), ys.astype(np.float64)
    sol, *_ = np.linalg.lstsq(np.column_stack([fx, fy, np.ones_like(fx)]), fx * fx + fy * fy, rcond=None)
    cx, cy = sol[0] / 2.0, sol[1] / 2.0
    return cx, cy, float(np.sqrt(max(sol[2] + cx * cx + cy * cy, 1.0)))


def _rim_centre(region: np.ndarray, side: int, ys: np.ndarray, xs: np.ndarray,
                px_per_mm: float) -> tuple[float, float] | None:
    """The centre of a circle of ink around which most angles are inked at one radius, or None.

    A rim comes out of a copier in arcs: long, thin pieces of ink (>= 0.3 of the seal's side, their
    box at most 30 % inked). A circle fitted to an arc is pulled inward by the ink stuck to it, so
    it is fitted again to all the ink within a rim's width of it until it settles (about ten
    rounds on a copied card's seal, ~1 ms each)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats((region < TEXT_INK).astype(np.uint8), connectivity=8)
    w, h, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    arcs = np.flatnonzero((np.maximum(w, h) >= 0.3 * side) & (area <= 0.3 * w * h)) + 1
    step = max(1, len(xs) // _FIT_POINTS)
    sx, sy = xs[::step], ys[::step]
    band = _RIM_MAX_MM * px_per_mm
    best, best_cover = None, 0.0
    for label in arcs[np.argsort(-area[arcs - 1])][:_MAX_ARCS]:
        x0, y0, bw, bh = (int(v) for v in stats[label, :4])
        ay, ax = np.nonzero(labels[y0:y0 + bh, x0:x0 + bw] == label)
        cx, cy, radius = _circle_fit(ax + x0, ay + y0)
        for _ in range(_FIT_ROUNDS):
            near = np.abs(np.hypot(sx - cx, sy - cy) - radius) <= band
            if near.sum() < 50 or not 0.2 * side <= radius <= side:
                break
            px, py = cx, cy
            cx, cy, radius = _circle_fit(sx[near], sy[near])
            if abs(cx - px) + abs(cy - py) < 0.5:
                break
        if not 0.2 * side <= radius <= side:
            continue
        cover = _coverage(np.hypot(xs - cx, ys - cy), _angle_bins(xs - cx, ys - cy), int(radius + 2 * band)).mean(axis=1)
        if cover.size and cover.max() > best_cover:
            best, best_cover = (cx, cy), float(cover.max())
    return best if best_cover >= _RIM_MIN_COVER else None


def _rims(cover: np.ndarray, px_per_mm: float) -> list[tuple[int, int]]:
    """(inner, outer) radii of the rims, from the share of angles inked at each radius: runs of radii
    inked at most angles, thin, standing out."""
    limit = len(cover)
    rims = []
    r = int(_RIM_MIN_MM * px_per_mm)
    while r < limit:
        if cover[r] < _RIM_MIN_COVER:
            r += 1
            continue
        peak = r
        while r < limit and cover[r] >= _RIM_MIN_COVER:
            peak = r if cover[r] > cover[peak] else peak
            r += 1
        half = cover[peak] / 2
        inner, outer = peak, peak
        while inner > 0 and cover[inner - 1] >= half:
            inner -= 1
        while outer + 1 < limit and cover[outer + 1] >= half:
            outer += 1
        width = outer - inner + 1
        around = np.concatenate([cover[max(0, inner - 3 * width):inner], cover[outer + 1:outer + 1 + 3 * width]])
        if width <= _RIM_MAX_MM * px_per_mm and around.size and cover[peak] >= _RIM_CONTRAST * float(np.median(around)):
            rims.append((inner, outer))
        r = max(r, outer + 1)
    return rims


def _erase_rim(region: np.ndarray, ys: np.ndarray, xs: np.ndarray, rho: np.ndarray, bins: np.ndarray,
               occupied: np.ndarray, inner: int, outer: int) -> int:
    """Set the rim's ink to paper: along each angle, the run of ink across the rim's radii, when it is
    no longer than the rim is thick. A stroke of the text crossing the rim makes that run longer
    and keeps its pixels."""
    limit = len(occupied)
    padded = np.zeros((limit + 2, _ANGLES), np.int8)
    padded[1:-1] = occupied
    step = np.diff(padded, axis=0)  # +1 where a run starts (at row r), -1 one past its end
    starts_r, starts_a = np.nonzero(step == 1)
    ends_r, ends_a = np.nonzero(step == -1)
    # Runs per angle come in order in both lists once sorted by angle, then radius.
    order_s, order_e = np.lexsort((starts_r, starts_a)), np.lexsort((ends_r, ends_a))
    begin, end, angle = starts_r[order_s], ends_r[order_e] - 1, starts_a[order_s]
    on_rim = (begin <= outer) & (end >= inner)
    if not on_rim.any():
        return 0
    length = end - begin + 1
    thick = float(np.median(length[on_rim]))
    short = on_rim & (length <= 1.5 * thick + 2)
    # A crossing stroke's edges fall into the neighbouring angle bins as short runs: keep those too.
    crossed = np.zeros(_ANGLES, bool)
    crossed[angle[on_rim & ~short]] = True
    crossed = np.convolve(np.concatenate([crossed[-2:], crossed, crossed[:2]]), np.ones(5), "valid") > 0
    short &= ~crossed[angle]
    erase = np.zeros((limit, _ANGLES), bool)
    for b, e, a in zip(begin[short], end[short], angle[short]):
        erase[b:e + 1, a] = True
    rim = erase[rho.astype(np.intp), bins]
    region[ys[rim], xs[rim]] = 255
    return int(rim.sum())

"""Page detection: find a photographed page on a table and flatten it (perspective correction).

A phone photo shows the sheet as a bright quadrilateral on a darker, textured surface. The
outline is found on a <=800 px view (Otsu on the blurred view and Canny edges, whose
largest convex hulls are reduced to 4 corners that must be near right angles), and the page is warped to a rectangle once at full
resolution. Scans, where the page fills the frame, return no outline and are left untouched.
Measured on generated photos: 22 of 24 outlines within 1 % of the true corners, 1 none, 1 wrong
(light laminate tables are hardest); no outline found on 40 scans/photocopies. An outline must also
be brighter inside than outside (`MIN_TABLE_CONTRAST`): a photocopied form's frame once passed as a page;
and it must fill its region's hull (`MIN_HULL_FILL`): a corner lost to a shadow is not cut off, the
hull's bounding rectangle stands in for it.
Four straight edges with paper on their inner side outline the sheet too (`_edge_outline`): where no
bright region makes an outline (a shadow over half the sheet, a light table), and where theirs is
larger (the region stopped at a frame printed on the sheet, or lost a corner to glare). On 92
generated dev photos (seeds 151-152, phone_photo and hard) that took the outlines within 2 % of the
true corners from 77 to 90 (none 13 -> 2, wrong 2 -> 0); none of 88 scans and photocopies got one.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import cv2
import numpy as np

from pipeline.preprocess.analysis import downscale, outline_view, to_gray

VIEW_SIDE = 800
# An outline is a page on a table only if the inside is this much brighter than the outside (median
# gray). Generated phone photos and hard photos: 29-161 (58 pages); the frame of a photocopied
# marriage certificate, found as a "page" and warped to a blank strip of it: 0.
MIN_TABLE_CONTRAST = 15.0
# The four corners must cover this share of the region's hull. Where a shadow darkens one corner of
# the sheet, the bright region loses that corner and the four-point approximation cuts across it
# (a quad 13 degrees off, text cut away at one side). On the 81 photos of generated dev sets
# (seeds 160/180/200/7781) true outlines covered 0.989-0.995 of their hull, such cut ones 0.907-0.968.
MIN_HULL_FILL = 0.98
# Then the hull's smallest bounding rectangle is the outline, if the hull fills this share of it (a
# sheet photographed square-on with one corner lost; not a trapezoid seen at an angle).
MIN_RECT_FILL = 0.9
# When no bright region makes an outline, straight edges (`_edge_outline`): the closing that paints the
# print over (view px), Canny's thresholds on the closed, blurred view, the shortest edge (share of the
# view's short side), how far either side of it paper and table are compared (view px), the least
# gray step across it there, how far a side's normal may turn from the frame's axes (degrees), and how
# many edges per side and outlines are tried.
EDGE_CLOSE = 9
EDGE_CANNY = (10, 30)
EDGE_MIN_LENGTH = 0.15
EDGE_PROBES = (4.0, 12.0)
EDGE_MIN_STEP = 8.0
EDGE_MAX_TURN = 30.0
EDGE_CANDIDATES = 4
EDGE_CHECKED = 5


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = quad.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def _angles_ok(quad: np.ndarray, tolerance: float) -> bool:
    """Every corner of the quadrilateral is within `tolerance` degrees of a right angle."""
    pts = _order(quad)
    for i in range(4):
        a, b, c = pts[i - 1], pts[i], pts[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(np.degrees(np.arccos(np.clip(cos, -1, 1))) - 90.0) > tolerance:
            return False
    return True


def _on_border(quad: np.ndarray, shape: tuple[int, ...]) -> int:
    """How many corners lie on the frame: a table region cut by the frame, not a sheet."""
    h, w = shape[:2]
    m = 0.01 * max(h, w)
    return int(sum(x <= m or y <= m or x >= w - 1 - m or y >= h - 1 - m for x, y in quad))


def _quads(binary: np.ndarray, min_area: float, max_area: float,
           tolerance: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Plausible page outlines among the largest regions of a binary view: four-corner outlines, and
    bounding rectangles of regions whose four-point outline cut a corner (`MIN_HULL_FILL`)."""
    found: list[np.ndarray] = []
    rects: list[np.ndarray] = []
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    # Hull area, not contour area: an edge outline broken by a shadow still spans the page.
    hulls = sorted((cv2.convexHull(c) for c in contours), key=cv2.contourArea, reverse=True)
    for hull in hulls[:3]:
        if cv2.contourArea(hull) < min_area:
            break
        peri = cv2.arcLength(hull, True)
        for eps in (0.01, 0.02, 0.03, 0.05):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) < 4:
                break
            if len(approx) == 4:
                quad = approx.reshape(4, 2).astype(np.float32)
                into = found
                if cv2.contourArea(quad) < MIN_HULL_FILL * cv2.contourArea(hull):
                    # a corner cut across: the hull's bounding rectangle holds it, if the hull fills that
                    rect = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
                    quad = rect if cv2.contourArea(hull) >= MIN_RECT_FILL * cv2.contourArea(rect) else None
                    into = rects
                if (quad is not None and min_area <= cv2.contourArea(quad) <= max_area
                        and _angles_ok(quad, tolerance) and _on_border(quad, binary.shape) < 2):
                    into.append(quad)
                break
    return found, rects


def _masks(view: np.ndarray) -> list[np.ndarray]:
    """Candidate page regions: bright paper (Otsu) and the area closed by strong edges (Canny)."""
    blurred = cv2.GaussianBlur(view, (7, 7), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Close the text holes inside the sheet, open away table texture bridges.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    med = float(np.median(blurred))
    edges = cv2.Canny(blurred, 0.4 * med, 1.0 * med)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    return [bright, edges]


def find_page(pixels: np.ndarray, min_fraction: float = 0.2, max_fraction: float = 0.95,
              angle_tolerance: float = 20.0, view: tuple[np.ndarray, float] | None = None) -> np.ndarray | None:
    """The page's four corners (full-resolution x, y; tl, tr, br, bl) or None when none is found.

    The outline is sought on a VIEW_SIDE view shrunk from the OUTLINE_SIDE view the margin crop
    uses too (`view`, or made here): one area average of the full page instead of two. On 72
    generated dev photos (seeds 151-152) that found 72 outlines within 2 % of the true corners,
    against 71 (one none) from a view shrunk straight from the full page.
    """
    outline, first = view if view is not None else outline_view(to_gray(pixels))
    view, second = downscale(outline, VIEW_SIDE, exact=True)
    scale = first * second
    area = view.shape[0] * view.shape[1]
    outlines: list[np.ndarray] = []
    rects: list[np.ndarray] = []
    for mask in _masks(view):
        found, cut = _quads(mask, min_fraction * area, max_fraction * area, angle_tolerance)
        outlines += found
        rects += cut
    # a four-corner outline from either mask is surer than a rectangle around a region that lost a corner
    # The sheet's straight edges outline it too, and where their outline is larger the region stopped
    # short of the sheet's edge: at a frame printed on it, or at a corner lost to glare.
    edged = _edge_outline(view, min_fraction * area, max_fraction * area, angle_tolerance)
    for candidates in (outlines, rects):
        candidates = [quad for quad in candidates if _table_contrast(view, quad) >= MIN_TABLE_CONTRAST]
        if candidates:
            best = max(candidates, key=cv2.contourArea)
            if edged is not None and cv2.contourArea(edged) > 1.02 * cv2.contourArea(best):
                return _order(edged / scale)
            return _order(best / scale)
    return None if edged is None else _order(edged / scale)


class _Edge(NamedTuple):
    start: np.ndarray  # view x, y
    direction: np.ndarray  # unit vector along the edge
    inward: float  # degrees (0 = +x, 90 = +y, image axes) of the normal pointing to the paper
    length: float


def _edges(view: np.ndarray) -> list[_Edge]:
    """Long straight edges with paper on one side of them, as far as a line of text away."""
    h, w = view.shape
    # A closing paints the print over with paper: the sheet's edges stay, the edges of the text
    # (most of a scan's edge pixels, and most of Hough's time) go.
    closed = cv2.morphologyEx(view, cv2.MORPH_CLOSE, np.ones((EDGE_CLOSE, EDGE_CLOSE), np.uint8))
    blurred = cv2.GaussianBlur(closed, (5, 5), 0)
    segments = cv2.HoughLinesP(cv2.Canny(blurred, *EDGE_CANNY), 1, np.pi / 360, threshold=40,
                               minLineLength=int(EDGE_MIN_LENGTH * min(h, w)), maxLineGap=6)
    if segments is None:
        return []
    along = np.linspace(0.1, 0.9, 16)[:, None]
    limit = np.array([w - 1, h - 1])
    found = []
    for x1, y1, x2, y2 in segments.reshape(-1, 4).astype(np.float32):
        start, end = np.array([x1, y1]), np.array([x2, y2])
        length = float(np.linalg.norm(end - start))
        direction = (end - start) / length
        normal = np.array([-direction[1], direction[0]])
        points = start + along * (end - start)
        steps = []
        for probe in EDGE_PROBES:
            plus = np.clip(np.round(points + probe * normal).astype(int), 0, limit)
            minus = np.clip(np.round(points - probe * normal).astype(int), 0, limit)
            steps.append(float(np.median(blurred[plus[:, 1], plus[:, 0]].astype(np.float32)
                                         - blurred[minus[:, 1], minus[:, 0]])))
        # The same side brighter near the edge and further off: the edge of a line of print (which
        # the closing left) has paper again a line's height away.
        if min(abs(v) for v in steps) < EDGE_MIN_STEP or any(v * steps[0] < 0 for v in steps):
            continue
        inward = normal if steps[0] > 0 else -normal
        found.append(_Edge(start, direction, float(np.degrees(np.arctan2(inward[1], inward[0]))) % 360.0, length))
    return found


def _meet(a: _Edge, b: _Edge) -> np.ndarray | None:
    """Where the lines through two edges cross (None when nearly parallel)."""
    d, e = a.direction, b.direction
    det = e[0] * d[1] - d[0] * e[1]
    if abs(det) < 1e-3:
        return None
    q = b.start - a.start
    return a.start + (e[0] * q[1] - q[0] * e[1]) / det * d


def _edge_outline(view: np.ndarray, min_area: float, max_area: float, tolerance: float) -> np.ndarray | None:
    """A page outline from four straight edges with the paper on their inner side, for a sheet that
    does not stand out as one bright region (a shadow over half of it, a light table).

    An edge whose paper lies to its right is a left side, below it a top side, and so on round. Of
    each side's outermost `EDGE_CANDIDATES` edges, the combination making the largest outline that
    is convex, near right-angled and brighter inside than out is the page: a fold or a shadow's
    edge across the sheet makes a smaller one.
    """
    sides: list[list[_Edge]] = [[], [], [], []]  # left, top, right, bottom
    for edge in _edges(view):
        k = int(((edge.inward + 45.0) % 360.0) // 90.0)
        if abs(((edge.inward - 90.0 * k + 180.0) % 360.0) - 180.0) <= EDGE_MAX_TURN:
            sides[k].append(edge)
    if not all(sides):
        return None
    h, w = view.shape
    centre = np.array([w / 2.0, h / 2.0])

    def outward(edge: _Edge) -> float:
        mid = edge.start + edge.direction * (edge.length / 2.0)
        inward = np.radians(edge.inward)
        return -float(np.dot(mid - centre, (np.cos(inward), np.sin(inward))))

    picks = [sorted(side, key=outward, reverse=True)[:EDGE_CANDIDATES] for side in sides]
    slack = 0.03 * max(h, w)
    outlines = []
    for left, top, right, bottom in itertools.product(*picks):
        corners = [_meet(top, left), _meet(top, right), _meet(bottom, right), _meet(bottom, left)]
        if any(c is None for c in corners):
            continue
        quad = np.array(corners, np.float32)
        if (quad < -slack).any() or (quad[:, 0] > w + slack).any() or (quad[:, 1] > h + slack).any():
            continue
        if cv2.isContourConvex(quad.reshape(-1, 1, 2)) and min_area <= cv2.contourArea(quad) <= max_area \
                and _angles_ok(quad, tolerance):
            outlines.append(quad)
    outlines.sort(key=cv2.contourArea, reverse=True)
    return next((quad for quad in outlines[:EDGE_CHECKED] if _table_contrast(view, quad) >= MIN_TABLE_CONTRAST), None)


def _table_contrast(view: np.ndarray, quad: np.ndarray) -> float:
    """Median gray inside the outline less the median outside it: a sheet on a table is brighter than
    the table; a region of a scan (a form's frame, a rule across it) is the same paper on both sides."""
    mask = np.zeros(view.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad).astype(np.int32).reshape(-1, 2), 1)
    inside, outside = view[mask == 1], view[mask == 0]
    if not inside.size or not outside.size:
        return 0.0
    return float(np.median(inside)) - float(np.median(outside))


def warp_page(pixels: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Flatten the quadrilateral `corners` (tl, tr, br, bl) to an upright rectangle."""
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return cv2.warpPerspective(pixels, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

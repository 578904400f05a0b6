"""ID cards copied onto a sheet: find each card, straighten it and lay the cards out on their own.

Counters photocopy (or scan, or photograph) both sides of a CCCD on one A4 sheet. On the sheet each
card is a small tinted rectangle, each laid down at its own slight angle, holding 6-8 pt text:
Tesseract reads the page as a whole poorly (a photocopied pair read at 32-47 % CER) because the
page-wide deskew, x-height estimate and layout analysis are dominated by empty paper. Here the
cards are found as rectangles of a card's shape, each is cut out along its own outline (perspective
warp) at CARD_DPI, and the cards are stacked top to bottom on a blank sheet in the order they lay on
the page. The rest of the preprocessing and OCR then see a page that is only cards.

How a card is found (on a small view, no sizes in pixels): the paper level is taken from a large
local maximum, so the card's background (a few levels darker than the paper, even on a photocopy
or under a phone's uneven light) and its text form one solid region once a median filter has
removed text on the paper; a region is a card when its minimum-area rectangle has a card's aspect
ratio (85.6 x 54 mm, within ASPECT_TOLERANCE), the region fills it (MIN_FILL), and it covers a
card's share of a sheet. The cards are used only when nearly all of the page's ink lies on them
(MAX_INK_OUTSIDE): a form with a card-shaped box, or a sheet where one card was missed, is left as
it was. A photo of one card filling the frame is no sheet of cards (the region would cover more
than MAX_AREA of the page) and is read as it is.

Measured (2026-11-28, the OCR step as it is, CER of the page against the generator's truth; pages
from pipeline.synth.dossier.generate_pages with types=[CCCD], which copies both sides onto A4 for a
third of the cards and photographs one side otherwise):
- finding: on 22 generated sheets of cards (all levels) every card was found, on the 88 other
  generated pages of seeds 180/190 and the card photos of seeds 7771-7772 none, and none on the 9
  real scans; 4 ms a page on a 300-dpi A4 page.
- reading the 12 sheets of seeds 7771/180/190 (used while writing the finder): mean CER 24.5 % ->
  19.5 % (a photocopy 47.0 -> 12.2 %, another 32.1 -> 21.5 %; clean sheets, already near 1-3 %,
  move 1-2 points either way: at 600 dpi the portrait, QR code and fingerprints give a few more
  specks of debris); the 12 sheets of held-out seed 7772: 14.0 -> 12.5 %. Laying the cards out
  at the resolution they were copied at instead (rescale then follows the x-height) read 20.3 and
  15.7 %: CARD_DPI it is.

The searchable PDF lays the text over the original sheet, stretched to the page: with the cards
laid out anew, the invisible text is searchable but not placed over the cards.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess.analysis import downscale, ink_mask, to_gray

CARD_ASPECT = 85.6 / 54.0
ASPECT_TOLERANCE = 0.15  # a received-stamp overlapping a card's edge widened one rectangle to 1.78
MIN_FILL = 0.85  # region pixels / rectangle area (a card's rounded corners: ~0.99; a stamp over it ~0.9)
MIN_AREA, MAX_AREA = 0.02, 0.45  # rectangle area / page area (a card on A4: ~0.077)
MAX_INK_OUTSIDE = 0.10  # share of the page's ink allowed outside the cards
PAPER_MARGIN = 5  # levels below the local paper level that count as card, not paper
CARD_DPI = 600.0  # card photos come at this resolution and read well there
GAP_MM = 5.0  # blank paper around and between the laid-out cards
VIEW_SIDE = 400

Rect = tuple[tuple[float, float], tuple[float, float], float]  # cv2.minAreaRect: centre, size, angle


def find_cards(image: np.ndarray) -> list[np.ndarray]:
    """Corners (4x2 float32: top-left, top-right, bottom-right, bottom-left, full-resolution x/y) of
    each ID card lying on the sheet, top to bottom; [] when the page is not a sheet of cards."""
    view, scale = _view(image)
    page_area = float(view.size)
    found = _tinted_regions(view) + _outlines(view)
    rects = [rect for rect, fill in found if _card_shaped(rect, fill, page_area)]
    cards: list[Rect] = []
    for rect in rects:  # the two finders often see the same card
        if all(np.hypot(rect[0][0] - c[0][0], rect[0][1] - c[0][1]) > 0.25 * min(c[1]) for c in cards):
            cards.append(rect)
    if not cards or not _ink_on(view, cards):
        return []
    # one view pixel of paper around each card: the outline is found to about a view pixel
    corners = [_ordered(cv2.boxPoints((c, (w + 2, h + 2), a)) / scale) for c, (w, h), a in cards]
    return sorted(corners, key=lambda c: (float(c[:, 1].mean()), float(c[:, 0].mean())))


def _view(image: np.ndarray) -> tuple[np.ndarray, float]:
    """A gray view VIEW_SIDE long and its scale. Every page passes here, so it is made cheaply: a
    bilinear shrink to twice the size (0.3 ms on a 300-dpi A4 page, against 15 ms for an area
    average of the full page), then an area average."""
    h, w = image.shape[:2]
    scale = min(1.0, 2 * VIEW_SIDE / max(h, w))
    if scale < 1.0:
        image = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_LINEAR)
    view, second = downscale(to_gray(image), VIEW_SIDE)
    return view, scale * second


def _tinted_regions(view: np.ndarray) -> list[tuple[Rect, float]]:
    """Regions a few levels darker than the paper around them (a card's background with its text),
    found after a median filter has removed text lying on the paper: (rectangle, filled share).
    Finds photocopied cards, whose edges photocopy speckle breaks up."""
    k = (min(view.shape) // 2) | 1
    paper = cv2.blur(cv2.dilate(view, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k // 2 | 1, k // 2 | 1))
    flat = cv2.medianBlur(cv2.divide(view, paper, scale=255), 5)
    level = float(np.percentile(flat, 75))  # most of a sheet of cards is paper
    region = cv2.morphologyEx((flat < level - PAPER_MARGIN).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [_rect_of(c) for c in contours]


def _outlines(view: np.ndarray) -> list[tuple[Rect, float]]:
    """Closed outlines of faint edges (a card's border under a phone's uneven light, where the
    paper's own shading hides the tint): (rectangle, filled share)."""
    edges = cv2.Canny(cv2.GaussianBlur(view, (3, 3), 0), 8, 24)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [_rect_of(c) for c in contours]


def _rect_of(contour: np.ndarray) -> tuple[Rect, float]:
    rect = cv2.minAreaRect(contour)
    return rect, cv2.contourArea(contour) / max(1.0, rect[1][0] * rect[1][1])


def _card_shaped(rect: Rect, fill: float, page_area: float) -> bool:
    w, h = rect[1]
    return (MIN_AREA <= w * h / page_area <= MAX_AREA and fill >= MIN_FILL
            and abs(max(w, h) / max(1.0, min(w, h)) / CARD_ASPECT - 1.0) <= ASPECT_TOLERANCE)


def _ink_on(view: np.ndarray, cards: list[Rect]) -> bool:
    """Nearly all the page's text-sized ink (MAX_INK_OUTSIDE) lies on the cards. Marks longer than
    a tenth of the page (a photocopier's streak, a fold) are no text and do not count."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_mask(view), connectivity=8)
    h, w = view.shape
    glyphs = (stats[:, cv2.CC_STAT_HEIGHT] <= h // 10) & (stats[:, cv2.CC_STAT_WIDTH] <= w // 10)
    glyphs[0] = False
    on_card = np.zeros(view.shape, np.uint8)
    for rect in cards:
        cv2.fillConvexPoly(on_card, cv2.boxPoints(rect).astype(np.int32), 1)
    text = glyphs[labels]
    total = int(text.sum())
    return total > 0 and int((text & (on_card == 0)).sum()) <= MAX_INK_OUTSIDE * total


def _ordered(points: np.ndarray) -> np.ndarray:
    """The 4 corners as top-left, top-right, bottom-right, bottom-left."""
    s, d = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(s)], points[np.argmin(d)], points[np.argmax(s)], points[np.argmax(d)]],
                    np.float32)


def lay_out_cards(image: np.ndarray, cards: list[np.ndarray], dpi: float | None = None) -> tuple[np.ndarray, float]:
    """(sheet, its dpi): the cards cut out along their corners at `dpi` (None: at the resolution they
    were scanned at), stacked top to bottom (side by side when they lie upright, as on a sheet turned
    a quarter) on a blank sheet of the page's paper colour."""
    if dpi is None:
        long_sides = [max(np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[3] - c[0])) for c in cards]
        dpi = float(np.mean(long_sides)) / (85.6 / 25.4)
    per_mm = dpi / 25.4
    long_px, short_px = round(85.6 * per_mm), round(54.0 * per_mm)
    gap = round(GAP_MM * per_mm)
    crops = []
    for corners in cards:
        width = float(np.linalg.norm(corners[1] - corners[0]))
        height = float(np.linalg.norm(corners[3] - corners[0]))
        w, h = (long_px, short_px) if width >= height else (short_px, long_px)
        target = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
        crops.append(cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE))
    upright = sum(c.shape[0] > c.shape[1] for c in crops) > len(crops) / 2
    if upright:  # a sheet lying sideways: the cards stand side by side, ordered left to right
        order = sorted(range(len(cards)), key=lambda i: float(cards[i][:, 0].mean()))
        crops = [crops[i] for i in order]
    paper = _paper_colour(image)
    if upright:
        h_out = max(c.shape[0] for c in crops) + 2 * gap
        w_out = sum(c.shape[1] for c in crops) + gap * (len(crops) + 1)
    else:
        h_out = sum(c.shape[0] for c in crops) + gap * (len(crops) + 1)
        w_out = max(c.shape[1] for c in crops) + 2 * gap
    sheet = np.empty((h_out, w_out) + image.shape[2:], np.uint8)
    sheet[...] = paper
    at = gap
    for crop in crops:
        h, w = crop.shape[:2]
        if upright:
            sheet[gap:gap + h, at:at + w] = crop
            at += w + gap
        else:
            sheet[at:at + h, gap:gap + w] = crop
            at += h + gap
    return sheet, dpi


def _paper_colour(image: np.ndarray) -> np.ndarray | int:
    """The sheet's paper colour: the brightest common level (90th percentile) of a small view."""
    small, _ = downscale(image, 400)
    if small.ndim == 2:
        return int(np.percentile(small, 90))
    gray = to_gray(small)
    bright = gray >= np.percentile(gray, 90)
    return np.median(small[bright], axis=0).astype(np.uint8)

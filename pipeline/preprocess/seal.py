"""Seal suppression: turn red seals and coloured stamps into background, keep black text under them
and keep red printed text.

Vietnamese papers carry a red seal over the signature and often over the last lines of text.
A plain gray conversion makes a red seal as dark as text (luminance of pure red is ~76), so
Otsu keeps it and Tesseract reads noise. Here saturated pixels of a seal take their brightest
channel (a red pixel is bright in R) instead of their luminance, while dark pixels stay dark
whatever their hue, so black text printed under the seal survives.

Not every red mark is a seal: a CCCD card prints its title "CĂN CƯỚC CÔNG DÂN" in red, and
lifting it erased the classifier's strongest cue. So the lift is shape-aware. Coloured ink is
found on a 1/4 view, dilated 5x5 and split into connected regions; a region is kept as *text*
when it looks like a run of letters (`_looks_like_text`):

- elongated: its long side is >= 1.6 x its short side (a word of two or more letters; at 1/4
  scale the 5x5 dilation joins the letters of a word, sometimes a whole line; either axis, so
  a card photographed sideways still counts);
- no single piece of undilated ink spans >= 80 % of its length (a seal's ring, a stamp's frame,
  an emblem disk or a page border does; merged letters of a word span <= ~65 %);
- inked like print: ink covers >= 12 % of its box and it has no more pieces than letters could
  make (a red tablecloth behind a phone photo is a sparse speckle of hundreds of pieces).

Everything else is lifted to paper as before: round seals (aspect ~1, a ring around rim text
and a star), the "ĐẾN"/"SAO Y" box stamps (a frame spans the region), red emblem disks (no
text), backgrounds. A text region lying inside a lifted region's box is the stamp's own text
(the 5x5 dilation does not join "SAO Y BẢN CHÍNH" to its double frame) and is lifted with it,
unless the enclosure touches the image border or is more than 40 x its area (a red tablecloth
around a card photo, a certificate's printed border). Text regions are written as their darkest
channel (red (170, 30, 30) -> 30, luminance would give ~72) so Otsu and Tesseract read them as
ink. The rule uses shapes only, no sizes: the page's scale is unknown here (card photos fill the
frame at 600 dpi, A4 pages are 150-300 dpi), so a one-letter red word is lifted like a seal.
Checked region by region on 37 generated colour pages (seeds 150-151, cards and papers of all
types): on the 9 clean/office/phone card pages every title word is kept as text; no seal, seal
star, stamp, emblem, page border or background region anywhere is taken for text.

Measured with the full pipeline (ocr_pages) on pages from bench.ocr.generated_items, on a frozen
checkout, mean CER before -> after:
- 24 generated CCCD pages (seed 130, 8 each, fronts and backs): clean 11.3 -> 5.8 %,
  office_scan 20.1 -> 16.5 %, phone_photo 40.1 -> 28.2 %; the title is read on 12 of the 15
  fronts (was 1; the misses: two pages OCR'd upside down, one blurred photo).
- 40 generated pages (seed 120, 3 of them cards): office_scan 13.4 -> 13.1 %, phone_photo
  16.0 -> 14.6 %, other levels unchanged (17.35 -> 17.01 % overall).
- The 9 real pages: 7.7 -> 7.7 % (the colour one, real_tt_37_bca_vehicle, 2.45 -> 2.45 %).
Cost: 5-80 ms a page (a large region is converted tile by tile, only where it has ink: a
certificate's red border used to cost ~1.3 s as one page-sized box), against 3-10 s of OCR.

Default hues "red" (measured): "any" also erased the blue and coloured print of a CCCD copy
(CER 2.9 % -> 19.7 % on a generated clean card page; "red" 5.1 %).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.preprocess.analysis import to_gray

# OpenCV hue is 0-179. Red, pink and magenta seals and "ĐẾN" stamps; blue and yellow stay
# (card guilloche, blue titles and handwritten numbers are text or harmless).
_RED_HUES = ((0, 10), (140, 179))

_STEP = 4  # analysis on a 1/4 view
_TILE = 32  # large regions are converted by tiles of 32 x 32 view pixels (128 x 128 at full size)
_MIN_ELONGATION = 1.6  # long side / short side of a word or line region
_MAX_PIECE_SPAN = 0.8  # a ring, frame or disk spans its region; letters do not
_MIN_INK = 0.12  # share of the region's box covered by (undilated) ink
_MIN_TEXT_INK_PX = 20  # smaller regions are specks: lifted, never analysed
_MAX_ENCLOSURE = 40  # a seal 4 cm across around a 15 x 3 mm line of its own text

Box = tuple[int, int, int, int]  # x, y, width, height on the 1/4 view


def colour_mask(rgb: np.ndarray, hues: str = "red", min_saturation: int = 60, min_value: int = 100) -> np.ndarray:
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


def _looks_like_text(ink: np.ndarray) -> bool:
    """True when one region's undilated ink (0/1, cropped to the region's box) is a run of letters."""
    h, w = ink.shape
    length, thickness = max(h, w), min(h, w)
    if length < _MIN_ELONGATION * thickness:
        return False
    inked = int(ink.sum())
    if inked < _MIN_TEXT_INK_PX or inked < _MIN_INK * h * w:
        return False
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 2:  # one piece: a bar, an arc or a single blot, not letters
        return False
    along = stats[1:, cv2.CC_STAT_WIDTH] if w >= h else stats[1:, cv2.CC_STAT_HEIGHT]
    if along.max() >= _MAX_PIECE_SPAN * length:
        return False
    # About one piece per letter plus diacritics; a letter is about as wide as the line is thick.
    return n - 1 <= 3 * length / thickness + 6


def _lift_stamp_text(regions: list[tuple[bool, Box]], shape: tuple[int, ...]) -> list[tuple[bool, Box]]:
    """Text inside a stamp's frame or a seal's ring is the stamp's own text: it goes with the stamp.

    The enclosure must be stamp-sized next to the text (box area <= `_MAX_ENCLOSURE` x the text's)
    and clear of the image border: a red tablecloth around a photographed card, or a certificate's
    printed border, also encloses the card's red title, and that title stays.
    """
    height, width = shape[:2]
    frames = [b for is_text, b in regions if not is_text
              and b[0] > 0 and b[1] > 0 and b[0] + b[2] < width and b[1] + b[3] < height]
    out = []
    for is_text, (x, y, w, h) in regions:
        if is_text:
            for fx, fy, fw, fh in frames:
                inside = fx <= x and fy <= y and x + w <= fx + fw and y + h <= fy + fh
                if inside and fw * fh <= _MAX_ENCLOSURE * w * h:
                    is_text = False
                    break
        out.append((is_text, (x, y, w, h)))
    return out


def _tiles(labels: np.ndarray, label: int, box: Box, shape: tuple[int, ...]) -> list[Box]:
    """Full-size (top, left, bottom, right) boxes covering one region: its whole box when small,
    else only the tiles of its box the region touches (a certificate's red border spans the page,
    and converting the whole page cost ~1.3 s; its tiles take a tenth of that)."""
    x, y, bw, bh = box
    height, width = shape[:2]
    out = []
    for ty in range(y, y + bh, _TILE):
        for tx in range(x, x + bw, _TILE):
            ty1, tx1 = min(y + bh, ty + _TILE), min(x + bw, tx + _TILE)
            if bw > _TILE or bh > _TILE:
                if not (labels[ty:ty1, tx:tx1] == label).any():
                    continue
            out.append((max(0, (ty - 1) * _STEP), max(0, (tx - 1) * _STEP),
                        min(height, (ty1 + 1) * _STEP), min(width, (tx1 + 1) * _STEP)))
    return out


def _lift(rgb: np.ndarray, gray: np.ndarray, hues: str, min_saturation: int, min_value: int) -> None:
    """Write the lightened coloured pixels of `rgb` into `gray` (both views of one region)."""
    mask = colour_mask(rgb, hues, min_saturation, min_value).astype(bool)
    if not mask.any():
        return
    r, g, b = cv2.split(rgb)
    brightest = cv2.max(cv2.max(r, g), b)  # numpy's max over the channel axis is ~10x slower
    # Brightest channel for coloured pixels, pushed further towards white: the ink itself
    # carries no text, but its darker cores would otherwise survive as gray blobs.
    lifted = cv2.addWeighted(brightest, 0.5, np.full_like(brightest, 255), 0.5, 0)
    np.copyto(gray, lifted, where=mask)


def _darken(rgb: np.ndarray, gray: np.ndarray, hues: str, min_saturation: int, min_value: int) -> None:
    """Write the darkest channel of the coloured pixels of `rgb` into `gray`: red print reads as ink."""
    mask = colour_mask(rgb, hues, min_saturation, min_value).astype(bool)
    if mask.any():
        r, g, b = cv2.split(rgb)
        np.copyto(gray, cv2.min(cv2.min(r, g), b), where=mask)


def suppress_seals(pixels: np.ndarray, hues: str = "red", min_saturation: int = 60, min_value: int = 100,
                   gray: np.ndarray | None = None) -> np.ndarray:
    """Gray page where coloured seals and stamps are lightened to paper, dark (black) ink is kept
    and coloured text lines are kept dark.

    Coloured regions are located and classified (seal or text, see the module docstring) on a
    1/4 view; only their boxes, or for large regions the tiles of their boxes they touch, are
    converted at full size (a seal covers ~2 % of a page): 5-80 ms a page. `gray`: `to_gray(pixels)`
    when the caller has it (not changed: the result is a copy).
    """
    gray = (to_gray(pixels) if gray is None else gray).copy()
    if pixels.ndim == 2:
        return gray
    rgb = pixels[:, :, :3]
    small = np.ascontiguousarray(rgb[::_STEP, ::_STEP])
    found = colour_mask(small, hues, min_saturation, min_value)
    if not found.any():
        return gray
    grown = cv2.dilate(found, np.ones((5, 5), np.uint8))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    regions = []
    for label, (x, y, bw, bh, _) in enumerate(stats[1:], start=1):
        ink = found[y:y + bh, x:x + bw] * (labels[y:y + bh, x:x + bw] == label)
        regions.append((_looks_like_text(ink.astype(np.uint8)), (x, y, bw, bh)))
    kinds = _lift_stamp_text(regions, found.shape)
    # Seals first, text last: where a text region's box overlaps a seal's, the text stays dark.
    for label in sorted(range(1, len(kinds) + 1), key=lambda n: kinds[n - 1][0]):
        is_text, box = kinds[label - 1]
        convert = _darken if is_text else _lift
        for top, left, bottom, right in _tiles(labels, label, box, gray.shape):
            convert(np.ascontiguousarray(rgb[top:bottom, left:right]), gray[top:bottom, left:right],
                    hues, min_saturation, min_value)
    return gray


def has_colour(pixels: np.ndarray, min_fraction: float = 0.0005, hues: str = "red") -> bool:
    """True when a colour page carries enough coloured ink to be worth suppressing."""
    if pixels.ndim == 2:
        return False
    small = pixels[::4, ::4, :3]
    return float(colour_mask(np.ascontiguousarray(small), hues).mean()) >= min_fraction

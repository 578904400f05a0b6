"""Re-reading the regions Tesseract set aside as pictures.

Tesseract's page layout analysis (psm 3) marks some regions as images and reads no text in them.
On these papers that region is most often a seal or a signature with printed text over or beside
it: a red seal that a gray office scan or photocopy turned dark, the signer's title running into
it, the signer's name under it. Tesseract then drops the whole region, title and name included
("NGƯỜI KÝ GIẤY CHỨNG NHẬN ... Lê Ngọc Hà" on a marriage certificate). A picture region shows in
the TSV as a block of word rows with no text, one row per picture.

Here each such region (not too large: a card's portrait or a page-size image is left alone) is
cropped and read again as one uniform block of text (psm 6). The ink of a seal or signature reads
as short low-confidence debris, so only words Tesseract is sure of and that look like words are
kept: letters only, or digits with the punctuation of numbers and dates. The kept words are
spliced into the page's TSV where the picture row was, with their own block number, so reading
order and text assembly treat them like any other block.

A real picture (dark: a card's QR code or portrait) is not read, but Tesseract often swallows the
text beside it as well: the line "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" left of a card's QR code was
missing on 8 of 22 generated card fronts, costing those pages 8-18 % CER. So the band of the page
level with such a picture is read again, with the picture and every word the page already read
painted white: what is left is only the text Tesseract missed there. A band with nearly no ink left
is not read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pipeline.domain.vntext import is_syllable
from pipeline.ocr.text import WORD_SHAPE

# Tesseract's confidence for a re-read word to be kept. The debris a seal or signature leaves
# reads at 0-55, the printed words beside it at 85-97 (measured on generated gray scans).
MIN_CONFIDENCE = 60.0
# A picture region larger than this share of the page is left alone (a photo page, a card).
MAX_AREA_SHARE = 0.35
# Regions lower or narrower than this are specks and rules, not something that can hold a word.
MIN_HEIGHT_PX = 20
MIN_WIDTH_PX = 40
# Share of dark pixels above which a region is a real picture (a card's portrait 0.48, a dark scan
# border 0.41), not a seal or signature among text (0.11-0.15 on generated gray scans).
MAX_INK_SHARE = 0.18
PAD_PX = 8
# A band beside a real picture with less ink than this left, once the picture and the words the page
# read are painted out, holds nothing worth reading (a missed header line leaves 0.03-0.08).
MIN_BAND_INK = 0.004
WORD_PAD_PX = 3
# At most this many bands are read per page (a card front has two dark pictures: portrait, QR code),
# so a page of many photos costs a bounded number of extra Tesseract runs.
MAX_BANDS = 3
PICTURE_PSM = 6
# Block numbers of spliced words start here, clear of Tesseract's own.
BLOCK_BASE = 1000



@dataclass(frozen=True)
class Picture:
    row: int  # index of the picture's row in the TSV lines
    left: int
    top: int
    width: int
    height: int


def find_pictures(tsv: str, page_width: int, page_height: int) -> list[Picture]:
    """The picture regions of a Tesseract TSV worth re-reading (see MAX_AREA_SHARE, MIN_HEIGHT_PX)."""
    lines = tsv.splitlines()
    read_per_block: dict[tuple[str, str], int] = {}
    candidates: list[tuple[Picture, tuple[str, str]]] = []
    for index, raw in enumerate(lines):
        cells = raw.split("\t")
        if len(cells) < 11 or cells[0] != "5":
            continue
        key = (cells[1], cells[2])
        text = cells[11].strip() if len(cells) > 11 else ""
        read_per_block[key] = read_per_block.get(key, 0) + bool(text)
        if text:
            continue
        try:
            left, top, width, height = (int(cells[i]) for i in range(6, 10))
        except ValueError:
            continue
        candidates.append((Picture(index, left, top, width, height), key))
    page_area = max(1, page_width * page_height)
    return [p for p, key in candidates
            if read_per_block[key] == 0 and p.height >= MIN_HEIGHT_PX and p.width >= MIN_WIDTH_PX
            and p.width * p.height <= MAX_AREA_SHARE * page_area]


def crop(image: np.ndarray, picture: Picture, pad: int = PAD_PX) -> tuple[np.ndarray, int, int]:
    """The picture's region of `image` with a margin, and the crop's origin."""
    height, width = image.shape[:2]
    x0, y0 = max(0, picture.left - pad), max(0, picture.top - pad)
    x1 = min(width, picture.left + picture.width + pad)
    y1 = min(height, picture.top + picture.height + pad)
    return image[y0:y1, x0:x1], x0, y0


def ink_share(region: np.ndarray) -> float:
    """Share of dark (< 128) pixels of a region, gray or colour."""
    gray = region if region.ndim == 2 else region.mean(axis=2)
    return float((gray < 128).mean()) if gray.size else 1.0


def keep_word(text: str, confidence: float) -> bool:
    """A re-read word is kept when Tesseract is sure of it and it looks like a word or a number:
    a Vietnamese syllable in one case ("Ngọc", "NHẬN", "ký"), or two or more digits ("25/05/1991")."""
    if confidence < MIN_CONFIDENCE or not WORD_SHAPE.match(text):
        return False
    core = text.strip("()\"'“”.,:;!?")
    if core[:1].isdigit():
        return sum(ch.isdigit() for ch in core) >= 2
    one_case = core.islower() or core.isupper() or core.istitle()
    return len(core) >= 2 and one_case and is_syllable(core)


Box = tuple[int, int, int, int]  # left, top, width, height


def word_boxes(tsv: str) -> list[Box]:
    """The boxes of the words a TSV holds (rows with text)."""
    boxes = []
    for raw in tsv.splitlines():
        cells = raw.split("\t")
        if len(cells) >= 12 and cells[0] == "5" and cells[11].strip():
            try:
                boxes.append((int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9])))
            except ValueError:
                continue
    return boxes


def _covered(box: Box, others: list[Box], share: float = 0.3) -> bool:
    """Whether `share` of `box`'s area lies under one of `others` (a word the page read already:
    a picture region's box often reaches over the text beside it)."""
    left, top, width, height = box
    area = max(1, width * height)
    for o_left, o_top, o_width, o_height in others:
        dx = min(left + width, o_left + o_width) - max(left, o_left)
        dy = min(top + height, o_top + o_height) - max(top, o_top)
        if dx > 0 and dy > 0 and dx * dy >= share * area:
            return True
    return False


def spliced_rows(crop_tsv: str, x0: int, y0: int, block: int, read: list[Box] | None = None) -> list[str]:
    """The kept word rows of a crop's TSV, moved to page coordinates under block number `block`;
    words over one of the boxes `read` (the page's own words) are left out."""
    rows = []
    for raw in crop_tsv.splitlines():
        cells = raw.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        try:
            left, top = int(cells[6]) + x0, int(cells[7]) + y0
            width, height = int(cells[8]), int(cells[9])
            confidence = float(cells[10])
        except ValueError:
            continue
        if not keep_word(text, confidence) or _covered((left, top, width, height), read or []):
            continue
        rows.append("\t".join([cells[0], cells[1], str(block), cells[3], cells[4], cells[5],
                               str(left), str(top), cells[8], cells[9], cells[10], text]))
    return rows


def beside(image: np.ndarray, picture: Picture, hidden: list[Box]) -> tuple[np.ndarray, int] | None:
    """The band of `image` level with `picture`, with the boxes `hidden` (the page's pictures and the
    words read) painted white, and the band's top; None when too little ink is left to hold a missed
    word (MIN_BAND_INK)."""
    height = image.shape[0]
    y0, y1 = max(0, picture.top - PAD_PX), min(height, picture.top + picture.height + PAD_PX)
    band = image[y0:y1].copy()
    for left, top, width, box_height in hidden:
        if top + box_height > y0 and top < y1:
            band[max(0, top - y0 - WORD_PAD_PX):top - y0 + box_height + WORD_PAD_PX,
                 max(0, left - WORD_PAD_PX):left + width + WORD_PAD_PX] = 255
    return (band, y0) if ink_share(band) >= MIN_BAND_INK else None


Key = tuple[str, ...]  # a TSV line's (page, block, paragraph, line)


def _page_lines(lines: list[str]) -> list[tuple[int, Key, Box]]:
    """Each line of a TSV, in its order: the index of its first word row, its key and its words' box."""
    first: dict[Key, int] = {}
    spans: dict[Key, list[int]] = {}
    for index, raw in enumerate(lines):
        cells = raw.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            left, top, width, height = (int(cells[i]) for i in range(6, 10))
        except ValueError:
            continue
        key = tuple(cells[1:5])
        first.setdefault(key, index)
        span = spans.setdefault(key, [left, top, left + width, top + height])
        span[:] = [min(span[0], left), min(span[1], top), max(span[2], left + width), max(span[3], top + height)]
    return [(first[key], key, (x0, y0, x1 - x0, y1 - y0)) for key, (x0, y0, x1, y1) in spans.items()]


def _place(found: list[str], lines: list[str]) -> dict[int, list[str]]:
    """Where each line of `found` (word rows read beside a picture) goes in the page's TSV `lines`:
    before the first page line, in Tesseract's order, that lies below its middle and overlaps it
    across, else before the first that lies below, else at the end (row index len(lines))."""
    page = _page_lines(lines)
    placed: dict[int, list[str]] = {}
    for _, key, (left, top, width, height) in _page_lines(found):
        below = [(row, box) for row, _, box in page if box[1] >= top + height / 2]
        across = [row for row, box in below if box[0] < left + width and left < box[0] + box[2]]
        at = across[0] if across else below[0][0] if below else len(lines)
        placed.setdefault(at, []).extend(r for r in found if tuple(r.split("\t")[1:5]) == key)
    return placed


def reread_pictures(tsv: str, image: np.ndarray, read_block: Callable[[np.ndarray], str]) -> tuple[str, int]:
    """`tsv` with each picture region's row replaced by the words `read_block` (an image -> its TSV)
    reads there; for a real picture, the words it reads beside it go in before the line below them.
    Also the number of regions re-read."""
    height, width = image.shape[:2]
    pictures = find_pictures(tsv, width, height)
    if not pictures:
        return tsv, 0
    lines = tsv.splitlines()
    read = word_boxes(tsv)
    replacement: dict[int, list[str]] = {}
    inserted: dict[int, list[str]] = {}
    dark: list[tuple[int, Picture]] = []
    for k, picture in enumerate(pictures):
        region, x0, y0 = crop(image, picture)
        if ink_share(region) > MAX_INK_SHARE:
            dark.append((k, picture))
            continue
        replacement[picture.row] = spliced_rows(read_block(region), x0, y0, BLOCK_BASE + k, read)
    hidden = [(p.left - PAD_PX, p.top - PAD_PX, p.width + 2 * PAD_PX, p.height + 2 * PAD_PX) for _, p in dark]
    # the largest first: a card's portrait and QR code before specks of a photo's texture
    for k, picture in sorted(dark, key=lambda kp: -kp[1].width * kp[1].height)[:MAX_BANDS]:
        band = beside(image, picture, hidden + read)
        if band is None:
            continue
        found = spliced_rows(read_block(band[0]), 0, band[1], BLOCK_BASE + k, read)
        read += word_boxes("\n".join(found))  # the next band leaves them out
        for at, rows in _place(found, lines).items():
            inserted.setdefault(at, []).extend(rows)
        replacement.setdefault(picture.row, [lines[picture.row]])
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend(inserted.get(index, []))
        out.extend(replacement.get(index, [line]))
    out.extend(inserted.get(len(lines), []))
    return "\n".join(out) + "\n", len(replacement)

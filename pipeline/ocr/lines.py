"""Reading the lines Tesseract was unsure of a second time, on their own.

Within a page Tesseract binarises and segments with the whole page in view: a seal's tint, a
photocopy's gray smear or a blurred neighbour sways the threshold and the line finder around a
line. The same line cut out with a margin and read alone is often read more surely. Here the
lines read at a low confidence (`is_weak`) are cut out, stacked on one white sheet with a line's
height between them and read in two more Tesseract runs (per page, not per line): the sheet as it
is and the sheet darkened (gamma 1.5: faint toner strokes become ink), each line taking the surer
of its two readings. A line's new words replace its old ones when Tesseract is at least as sure of
them on average and their length is close to the old (a re-read that loses half a line, or adds a
neighbour's text, is not kept). The replaced words keep the line's block, paragraph and line
numbers, so reading order and text assembly treat them as before.

Measured (2026-11-28, 2 cores; mean CER of the OCR step on generated dev pages, seeds 160, 180
and 200; the bench seed 3 and the real pages were not used to choose anything):
- one plain re-read: 110 pages 5.25 -> 5.05 % (seed 200: 4.57 -> 4.27, seed 160: 3.74 -> 3.69,
  seed 180: 7.88 -> 7.72), for about 15 % more OCR time on these pages;
- adding the darkened reading: the 66 photocopy/phone_photo/hard pages 7.68 -> 7.25 % (photocopy
  7.56 -> 6.64), the 44 clean/office pages 1.11 -> 1.12 %; 40 generated ID-card pages (seed 7781)
  12.66 -> 12.07 %. Darkening the one reading instead (no plain one): gamma 1.3 / 1.5 / 2.0 gave
  7.66 / 7.29 / 7.68 % on the 66 pages, and 1.5 hurt clean/office (1.15 %).
Variants not kept: the crop upscaled 1.5x (5.09 %), one psm-7 run per line (seed 200: 4.56 %),
requiring a 5-point confidence gain (4.49 %), also requiring no fewer Vietnamese syllables (5.06 %),
more lines taken as weak (mean < 85 or a word < 60; seed 200: 4.48 %).
The hOCR is written from the final words (`ocr.layers`), so it holds the re-read words; the
searchable PDF's text layer keeps Tesseract's first reading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pipeline.errors import OcrEngineError
from pipeline.preprocess.analysis import to_gray

log = logging.getLogger(__name__)

# A line is weak when its words' mean confidence is under WEAK_MEAN or one word is under WEAK_WORD.
WEAK_MEAN = 75.0
WEAK_WORD = 40.0
# Lines much taller or shorter than the page's median line are headings, pictures or specks.
MIN_HEIGHT_SHARE, MAX_HEIGHT_SHARE = 0.5, 2.5
# Margin around a line's box, in line heights (vertical, horizontal).
PAD_Y, PAD_X = 0.4, 0.6
# A re-read is kept when its length (characters) is within these bounds of the old reading's.
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO, LENGTH_SLACK = 0.7, 1.4, 2
# Page segmentation for the stacked sheet: a uniform block of text.
STACK_PSM = 6
# The sheet is read as it is and darkened by this gamma (faint toner, a photocopy's washed-out
# strokes); per line, the surer of the two readings is the candidate.
DARKEN_GAMMA = 1.5
# Tesseract's confidence of a word has no meaning beyond two decimals
_CONF_FORMAT = "{:.2f}"
# Tesseract (Leptonica) refuses an image with a side over 32767 px ("Error during processing"): a sideways
# page's "lines" are columns of letters thousands of pixels tall. The sheet keeps the weak lines, in page
# order, that fit within this side.
MAX_SHEET_SIDE = 30_000
# Block numbers from here up are words spliced in by pipeline.ocr.pictures: left alone here.
SPLICED_BLOCKS = 1000


@dataclass
class Line:
    """One TSV line: its box on the page and its word rows."""

    left: int
    top: int
    width: int
    height: int
    rows: list[int] = field(default_factory=list)  # indices of its word rows among the TSV's lines
    texts: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)

    @property
    def mean_confidence(self) -> float:
        return sum(self.confidences) / len(self.confidences)

    def add(self, row: int, box: tuple[int, int, int, int], text: str, confidence: float) -> None:
        left, top, width, height = box
        right, bottom = max(self.left + self.width, left + width), max(self.top + self.height, top + height)
        self.left, self.top = min(self.left, left), min(self.top, top)
        self.width, self.height = right - self.left, bottom - self.top
        self.rows.append(row)
        self.texts.append(text)
        self.confidences.append(confidence)


@dataclass(frozen=True)
class Word:
    """A word of the re-read, in page coordinates."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int


def _word_row(raw: str) -> tuple[tuple[str, str, str], tuple[int, int, int, int], float, str] | None:
    """(block, paragraph, line), box, confidence and text of a TSV word row with text; else None."""
    cells = raw.split("\t")
    if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
        return None
    try:
        box = (int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9]))
        return (cells[2], cells[3], cells[4]), box, float(cells[10]), cells[11].strip()
    except ValueError:
        return None


def page_lines(tsv_lines: list[str]) -> list[Line]:
    """The lines of a page's TSV in their order (words spliced in from pictures left out)."""
    found: dict[tuple[str, str, str], Line] = {}
    for index, raw in enumerate(tsv_lines):
        row = _word_row(raw)
        if row is None:
            continue
        key, box, confidence, text = row
        if not key[0].isdigit() or int(key[0]) >= SPLICED_BLOCKS:
            continue
        if key not in found:
            found[key] = Line(*box)
        found[key].add(index, box, text, confidence)
    return list(found.values())


def is_weak(line: Line, median_height: float) -> bool:
    """A line of ordinary height that Tesseract read with low confidence."""
    if not MIN_HEIGHT_SHARE * median_height <= line.height <= MAX_HEIGHT_SHARE * median_height:
        return False
    return line.mean_confidence < WEAK_MEAN or min(line.confidences) < WEAK_WORD


def _crop(gray: np.ndarray, line: Line) -> tuple[np.ndarray, int, int]:
    height, width = gray.shape[:2]
    pad_y, pad_x = round(PAD_Y * line.height), round(PAD_X * line.height)
    x0, y0 = max(0, line.left - pad_x), max(0, line.top - pad_y)
    x1, y1 = min(width, line.left + line.width + pad_x), min(height, line.top + line.height + pad_y)
    return gray[y0:y1, x0:x1], x0, y0


def sheet_size(crops: list[np.ndarray]) -> tuple[int, int]:
    """(height, width) of the sheet `stack` makes of `crops`."""
    gap = max(c.shape[0] for c in crops)
    return sum(c.shape[0] for c in crops) + gap * (len(crops) + 1), max(c.shape[1] for c in crops) + 2 * gap


def fitting(crops: list[np.ndarray]) -> int:
    """How many of `crops`, from the first, make a sheet within MAX_SHEET_SIDE on both sides."""
    n = len(crops)
    while n and max(sheet_size(crops[:n])) > MAX_SHEET_SIDE:
        n -= 1
    return n


def stack(crops: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """The crops one under another on a white sheet; each one's (top, bottom) on it, and the margin
    (= gap between crops: the tallest crop's height) left of and between them."""
    gap = max(c.shape[0] for c in crops)
    height, width = sheet_size(crops)
    sheet = np.full((height, width), 255, dtype=np.uint8)
    slots = []
    y = gap
    for c in crops:
        sheet[y:y + c.shape[0], gap:gap + c.shape[1]] = c
        slots.append((y, y + c.shape[0]))
        y += c.shape[0] + gap
    return sheet, slots, gap


def words_by_slot(tsv: str, slots: list[tuple[int, int]], gap: int,
                  origins: list[tuple[int, int]]) -> list[list[Word]]:
    """The sheet's words sorted into the crop each one's middle lies in (or half a gap around),
    moved to page coordinates (`origins`: each crop's top-left corner on the page), left to right."""
    found: list[list[Word]] = [[] for _ in slots]
    for raw in tsv.splitlines():
        row = _word_row(raw)
        if row is None:
            continue
        _, (left, top, width, height), confidence, text = row
        middle = top + height / 2
        for k, (start, end) in enumerate(slots):
            if start - gap / 2 <= middle < end + gap / 2:
                x0, y0 = origins[k]
                found[k].append(Word(text, confidence, left - gap + x0, top - start + y0, width, height))
                break
    return [sorted(words, key=lambda w: w.left) for words in found]


def darken(sheet: np.ndarray, gamma: float = DARKEN_GAMMA) -> np.ndarray:
    """Mid-gray ink pulled towards black, paper left white: 255 * (v / 255) ** gamma."""
    table = np.round(255.0 * (np.arange(256) / 255.0) ** gamma).astype(np.uint8)
    return table[sheet]


def _mean(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else -1.0


def reads_better(line: Line, words: list[Word]) -> bool:
    """Keep the re-read when it is at least as sure on average and about as long."""
    if not words:
        return False
    old_length, new_length = sum(map(len, line.texts)), sum(len(w.text) for w in words)
    if not MIN_LENGTH_RATIO * old_length <= new_length <= MAX_LENGTH_RATIO * old_length + LENGTH_SLACK:
        return False
    return _mean(words) >= line.mean_confidence


def reread_weak_lines(tsv: str, image: np.ndarray, read: Callable[[np.ndarray], str]) -> tuple[str, int, int]:
    """`tsv` with the weak lines' words replaced where the re-read (`read`: sheet -> its TSV) is
    better; also the number of weak lines and of lines replaced. When the re-read fails
    (`OcrEngineError`), the first reading stands."""
    tsv_lines = tsv.splitlines()
    lines = page_lines(tsv_lines)
    if not lines:
        return tsv, 0, 0
    median_height = float(np.median([line.height for line in lines]))
    weak = [line for line in lines if is_weak(line, median_height)]
    if not weak:
        return tsv, 0, 0
    gray = to_gray(image)
    cut = [(line, *_crop(gray, line)) for line in weak]
    cut = [(line, c, x0, y0) for line, c, x0, y0 in cut if c.size]
    cut = cut[:fitting([c for _, c, _, _ in cut])]
    if not cut:
        return tsv, len(weak), 0
    sheet, slots, gap = stack([c for _, c, _, _ in cut])
    origins = [(x0, y0) for _, _, x0, y0 in cut]
    try:
        plain, dark = (words_by_slot(read(s), slots, gap, origins) for s in (sheet, darken(sheet)))
    except OcrEngineError as exc:
        log.warning("re-reading %d weak lines failed, the first reading stands: %s", len(cut), exc.message)
        return tsv, len(weak), 0
    reread = [b if _mean(b) > _mean(a) else a for a, b in zip(plain, dark)]
    replacement: dict[int, list[str]] = {}
    dropped: set[int] = set()
    for (line, _, _, _), words in zip(cut, reread):
        if not reads_better(line, words):
            continue
        cells = tsv_lines[line.rows[0]].split("\t")
        replacement[line.rows[0]] = ["\t".join([*cells[:5], str(n), str(w.left), str(w.top), str(w.width),
                                                str(w.height), _CONF_FORMAT.format(w.confidence), w.text])
                                     for n, w in enumerate(words, start=1)]
        dropped.update(line.rows[1:])
    out: list[str] = []
    for index, raw in enumerate(tsv_lines):
        if index not in dropped:
            out.extend(replacement.get(index, [raw]))
    return "\n".join(out) + "\n", len(weak), len(replacement)

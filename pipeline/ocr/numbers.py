"""Reading ID numbers a second time, alone, enlarged and darkened, with only digits allowed.

A citizen's ID number has 12 digits (`domain.idnumber`). On a photocopy Tesseract, reading the
whole page, misreads a faint digit of one ("039…" for 038…, "…296355" for …296395) or drops it
("03808595955" for 038085945855). The same word cut out with a margin, twice its size, darkened
(gamma 1.5, as `ocr.lines` does: faint toner strokes become ink) and read as one word (psm 8) with
only digits allowed is read right more often. So every word that looks like an ID number
(`looks_like_id`: 11 to 13 digits; or two words of a line that make one, split by a space) is read
again that way, and the re-read replaces the word's text
when it is a plausible ID number close to the first reading (`accepted`); otherwise the word stays.
The word keeps its box and its first confidence (Tesseract gives a psm-8 reading none).

A re-read not accepted is tried once more with a digit's width of margin at the sides (a faint last
digit left outside the word's box). A first reading that already has 12 digits is changed only when a
second re-read, at the page's size, confirms the new digits: on a phone photo the enlarged re-read
alone read a right 036080168102 as 036080166102 (the page-size one: 086080166102, so no change).

Measured (2026-11-29, 2 cores; the 119 ID-number words of 130 generated dev photocopy pages, seeds
700100-700109; bench and real pages not used): read right in the page 113; re-read alone this way
117, and with the rule above 118, none made wrong; with the wider second try 119 (2 second tries).
A digit's width of margin on the first try instead: 111 alone, 116 with the rule. Other ways, re-read
alone: not darkened 111, at the page's size 106-112, psm 7 (one line) 97-112; gamma 2.0 as 1.5. The
confirmation keeps 119 (the two 12-digit misreads are confirmed; a psm-7 confirmation kept 118).
One run per such word, about 0.12 s: 0.11 s a page on these pages, 4 % of their OCR time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.domain.idnumber import PROVINCE_CODES
from pipeline.errors import OcrEngineError
from pipeline.ocr.lines import DARKEN_GAMMA, _word_row, darken
from pipeline.preprocess.analysis import to_gray

log = logging.getLogger(__name__)

ID_DIGITS = 12
# Page segmentation mode of the re-read: one word.
NUMBER_PSM = 8
# The re-read's scale: small card and form print read better enlarged. A change to a number that already
# had 12 digits is confirmed by a re-read at CONFIRM_SCALE.
NUMBER_SCALE = 2
CONFIRM_SCALE = 1
# Margin around the word, in word heights; white border added around the crop, in pixels.
PAD = 0.5
BORDER = 10
# Tesseract options of the re-read: digits only.
DIGITS_ONLY = ("-c", "tessedit_char_whitelist=0123456789")
# A re-read further than this (edits) from the first reading is another crop's text, not this word's.
MAX_EDITS = 2

_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$")


def _core(text: str) -> str:
    """`text` without the punctuation at its ends ("092185296355," -> "092185296355")."""
    return _EDGES.match(text).group(2)


def looks_like_id(text: str) -> bool:
    """A word whose core is a run of 11 to 13 ASCII digits: an ID number, maybe with a digit lost or added."""
    core = _core(text)
    return core.isascii() and core.isdigit() and ID_DIGITS - 1 <= len(core) <= ID_DIGITS + 1


def accepted(first: str, reread: str) -> bool:
    """The re-read (digits) replaces the first reading's core when it has 12 digits, starts with a
    province code and is at most MAX_EDITS from the first reading."""
    return (len(reread) == ID_DIGITS and reread.isdigit() and reread[:3] in PROVINCE_CODES
            and Levenshtein.distance(reread, _core(first)) <= MAX_EDITS)


def crop_for_reread(gray: np.ndarray, box: tuple[int, int, int, int], side_pad: int = 0,
                    scale: int = NUMBER_SCALE) -> np.ndarray:
    """The word's box with a margin (at least `side_pad` pixels left and right), darkened, enlarged
    `scale` times, on a white border."""
    left, top, width, height = box
    pad = max(4, round(PAD * height))
    across = max(pad, side_pad)
    crop = gray[max(0, top - pad):top + height + pad, max(0, left - across):left + width + across]
    crop = darken(crop, DARKEN_GAMMA)
    if scale != 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(crop, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT, value=255)


def _digits(tsv: str) -> str:
    return "".join(ch for raw in tsv.splitlines() if (row := _word_row(raw)) is not None
                   for ch in row[3] if ch.isdigit())


# Two words of a line read as one number when the gap between them is under this many word heights.
MAX_SPLIT_GAP = 1.5


@dataclass(frozen=True)
class Target:
    """A number to read again: its TSV rows (one word, or two a space split), box and text as read."""

    rows: tuple[int, ...]
    box: tuple[int, int, int, int]
    text: str


def _split_pair(a: tuple, b: tuple) -> Target | None:
    """Two neighbouring words of one line that are one ID number split by a space ("0461 59450099")."""
    (ia, (key_a, box_a, _, text_a)), (ib, (key_b, box_b, _, text_b)) = a, b
    core_a, core_b = _core(text_a), _core(text_b)
    if key_a != key_b or not looks_like_id(core_a + core_b) or not (core_a.isdigit() and core_b.isdigit()):
        return None
    if _EDGES.match(text_a).group(3) or _EDGES.match(text_b).group(1):
        return None  # punctuation between them: two numbers
    (la, ta, wa, ha), (lb, tb, wb, hb) = box_a, box_b
    if not 0 <= lb - (la + wa) <= MAX_SPLIT_GAP * max(ha, hb):
        return None
    top, bottom = min(ta, tb), max(ta + ha, tb + hb)
    return Target((ia, ib), (la, top, lb + wb - la, bottom - top),
                  _EDGES.match(text_a).group(1) + core_a + core_b + _EDGES.match(text_b).group(3))


def find_targets(tsv_lines: list[str]) -> list[Target]:
    """The words that `looks_like_id`, and the pairs of words that are one (`_split_pair`), in page order."""
    rows = [(i, row) for i, raw in enumerate(tsv_lines) if (row := _word_row(raw)) is not None]
    targets: list[Target] = []
    k = 0
    while k < len(rows):
        index, (_, box, _, text) = rows[k]
        if looks_like_id(text):
            targets.append(Target((index,), box, text))
        elif k + 1 < len(rows) and (pair := _split_pair(rows[k], rows[k + 1])) is not None:
            targets.append(pair)
            k += 1
        k += 1
    return targets


Reader = Callable[[np.ndarray, int], str]  # (crop, its scale) -> the crop's TSV, digits only


def _read_digits(read: Reader, gray: np.ndarray, box: tuple[int, int, int, int], side_pad: int = 0,
                 scale: int = NUMBER_SCALE) -> str | None:
    crop = crop_for_reread(gray, box, side_pad, scale)
    if not crop.size:
        return None
    return _digits(read(crop, scale))


def _reread(gray: np.ndarray, target: Target, read: Reader) -> str | None:
    """The accepted re-read of `target`, None if there is none. A re-read not accepted is tried once
    more with a digit's width of margin at either side: a faint digit at the number's end that
    Tesseract left out of the word's box (046193271663 read 04619327166) is then in the crop. A
    first reading of 12 digits is changed only if a re-read at CONFIRM_SCALE gives the same digits."""
    core = _core(target.text)
    digit_width = round(target.box[2] / max(1, len(core)))
    for side_pad in (0, digit_width):
        digits = _read_digits(read, gray, target.box, side_pad)
        if digits is not None and accepted(target.text, digits):
            break
    else:
        return None
    if len(core) == ID_DIGITS and digits != core and \
            _read_digits(read, gray, target.box, side_pad, CONFIRM_SCALE) != digits:
        return None
    return digits


def reread_numbers(tsv: str, image: np.ndarray, read: Reader) -> tuple[str, int, int]:
    """`tsv` with each number `find_targets` finds replaced by its digits-only re-read where `accepted`
    (two words split by a space become one, over both boxes); also the number of numbers re-read and of
    those changed. `read(crop, scale)` returns the TSV of the crop, enlarged `scale` times, read as one
    word (NUMBER_PSM) with digits only (DIGITS_ONLY). When a re-read fails (`OcrEngineError`), the
    number stays as read."""
    tsv_lines = tsv.splitlines()
    targets = find_targets(tsv_lines)
    if not targets:
        return tsv, 0, 0
    gray = to_gray(image)
    dropped: set[int] = set()
    changed = 0
    for target in targets:
        try:
            digits = _reread(gray, target, read)
        except OcrEngineError as exc:
            log.warning("re-reading a number failed, it stays as read: %s", exc.message)
            continue
        if digits is None or (digits == _core(target.text) and len(target.rows) == 1):
            continue
        head, _, tail = _EDGES.match(target.text).groups()
        cells = tsv_lines[target.rows[0]].split("\t")
        # psm 8 reports no confidence (0): the first reading's stays
        cells[6:10] = map(str, target.box)
        cells[11] = f"{head}{digits}{tail}"
        tsv_lines[target.rows[0]] = "\t".join(cells)
        dropped.update(target.rows[1:])
        changed += 1
    return "\n".join(line for i, line in enumerate(tsv_lines) if i not in dropped) + "\n", len(targets), changed

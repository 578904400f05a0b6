"""Reading again, alone, enlarged and darkened, with only digits allowed, an ID number that cannot be one.

A citizen's ID number has 12 digits and a structure (`domain.idnumber`). On a photocopy Tesseract,
reading the whole page, drops a faint digit of one ("03808595955" for 038085945855) or misreads it
into a number that cannot be ("039…": no province has code 039). The same word cut out with a
margin, twice its size, darkened (gamma 1.5, as `ocr.lines` does: faint toner strokes become ink)
and read as one word (psm 8) with only digits allowed is read right more often. So every word that
cannot be an ID number but looks like one (`misread_id`: 11 or 13 digits, or 12 that break the
structure; or two words of a line that make such a number, split by a space) is read again that
way, and the re-read replaces it when it is a 12-digit number with a province code within 2 edits
of the first reading (`accepted`); otherwise the word stays as read. A re-read not accepted is
tried once more with a digit's width of margin at the sides (a faint last digit Tesseract left
outside the word's box). The word keeps its first confidence (Tesseract gives psm 8 none).

A reading that can be an ID number is not re-read. Re-reading those too (every 11-13-digit word)
put 2 right of the 119 ID words of the dev pages below, but it changed right numbers into wrong
ones elsewhere: a dev phone photo (036080168102 -> 036080166102) and a `hard` page of the
classify benchmark (026081570977 -> 026081570971, confirmed by a second re-read at page size, so
re-reads agree with each other's errors). A wrong number that is valid passes unflagged; an invalid
one is flagged for review. Each re-read is one more Tesseract start, about 0.12 s.

Measured (2026-11-29, 2 cores; the 119 ID-number words of 130 generated dev photocopy pages, seeds
700100-700109; bench and real pages not used, but for the one failure above): read right in the
page 113; the re-read alone 117 right, at the page's size 106-112, not darkened 111, psm 7 (one line)
97-112, gamma 2.0 as 1.5, a digit's width of margin on the first try 111. With the rules above, every
word of 11-13 digits re-read: 119; only those that cannot be an ID number (as now): 118 (the valid
misread 092185296355 stays).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.domain.idnumber import PROVINCE_CODES, explain_id_problem
from pipeline.errors import OcrEngineError
from pipeline.ocr.lines import DARKEN_GAMMA, _word_row, darken
from pipeline.preprocess.analysis import to_gray

log = logging.getLogger(__name__)

ID_DIGITS = 12
# Page segmentation mode of the re-read: one word.
NUMBER_PSM = 8
# The re-read's scale: small card and form print read better enlarged.
NUMBER_SCALE = 2
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


def misread_id(text: str) -> bool:
    """A word that `looks_like_id` but cannot be one: 11 or 13 digits, or 12 that break the number's
    structure (unknown province code, a birth year in the future). A reading that can be one is left
    alone: a re-read that changes it is as often wrong as right (see the module's measures)."""
    return looks_like_id(text) and explain_id_problem(_core(text)) is not None


def accepted(first: str, reread: str) -> bool:
    """The re-read (digits) replaces the first reading's core when it has 12 digits, starts with a
    province code and is at most MAX_EDITS from the first reading."""
    return (len(reread) == ID_DIGITS and reread.isdigit() and reread[:3] in PROVINCE_CODES
            and Levenshtein.distance(reread, _core(first)) <= MAX_EDITS)


def crop_for_reread(gray: np.ndarray, box: tuple[int, int, int, int], side_pad: int = 0) -> np.ndarray:
    """The word's box with a margin (at least `side_pad` pixels left and right), darkened, enlarged
    NUMBER_SCALE times, on a white border."""
    left, top, width, height = box
    pad = max(4, round(PAD * height))
    across = max(pad, side_pad)
    crop = gray[max(0, top - pad):top + height + pad, max(0, left - across):left + width + across]
    crop = darken(crop, DARKEN_GAMMA)
    crop = cv2.resize(crop, None, fx=NUMBER_SCALE, fy=NUMBER_SCALE, interpolation=cv2.INTER_CUBIC)
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
    if key_a != key_b or not misread_id(core_a + core_b) or not (core_a.isdigit() and core_b.isdigit()):
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
    """The words that are a `misread_id`, and the pairs of words that make one (`_split_pair`), in page order."""
    rows = [(i, row) for i, raw in enumerate(tsv_lines) if (row := _word_row(raw)) is not None]
    targets: list[Target] = []
    k = 0
    while k < len(rows):
        index, (_, box, _, text) = rows[k]
        if misread_id(text):
            targets.append(Target((index,), box, text))
        elif k + 1 < len(rows) and (pair := _split_pair(rows[k], rows[k + 1])) is not None:
            targets.append(pair)
            k += 1
        k += 1
    return targets


Reader = Callable[[np.ndarray], str]  # crop -> its TSV, read as one word with digits only


def _read_digits(read: Reader, gray: np.ndarray, box: tuple[int, int, int, int], side_pad: int = 0) -> str | None:
    crop = crop_for_reread(gray, box, side_pad)
    if not crop.size:
        return None
    return _digits(read(crop))


def _reread(gray: np.ndarray, target: Target, read: Reader) -> str | None:
    """The accepted re-read of `target`, None if there is none. A re-read not accepted is tried once
    more with a digit's width of margin at either side: a faint digit at the number's end that
    Tesseract left out of the word's box (046193271663 read 04619327166) is then in the crop."""
    digit_width = round(target.box[2] / max(1, len(_core(target.text))))
    for side_pad in (0, digit_width):
        digits = _read_digits(read, gray, target.box, side_pad)
        if digits is not None and accepted(target.text, digits):
            break
    else:
        return None
    return digits


def reread_numbers(tsv: str, image: np.ndarray, read: Reader) -> tuple[str, int, int]:
    """`tsv` with each number `find_targets` finds replaced by its digits-only re-read where `accepted`
    (two words split by a space become one, over both boxes); also the number of numbers re-read and of
    those changed. `read(crop)` returns the TSV of the crop (enlarged NUMBER_SCALE times), read as one
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

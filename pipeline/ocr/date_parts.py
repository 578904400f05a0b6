"""Reading again, alone and digits only, the day, month or year of a "ngày … tháng … năm …" date
whose word cannot be one.

A place-and-date line ("Hà Nội, ngày 12 tháng 3 năm 2024") and a birth certificate's date say
what the word after "ngày", "tháng" and "năm" is: a day (1-31), a month (1-12), a year. On a
photocopy Tesseract, reading the whole page, turns a faint number into marks ("năm 202“",
"tháng 68", "ngày 0*"), and the date is lost. Such a word (`suspect`: short, not a date part as
read, nor once the look-alike letters the date reader repairs are repaired, and holding a digit
with at most one letter, or no vowel, so "tháng tư" and "ngày ký" stay) is cut out and read again
as `ocr.numbers` reads an ID number (margin, darkened, enlarged, one word, digits only). The
re-read replaces the word when it is a date part of its kind (`fits`) at most one edit from the
first reading; else the word stays as read. A word the date reader can already read ("ngày I2",
"ngày ï7", "ngày 1Š") is not re-read: on dev pages the re-read of "I2" lost its 1. The keyword must
stand in a date on its line ("tháng" after "ngày", before "năm"), so the "Nam" of "Việt Nam" or of
a card's sex is no "năm".

A blank slot (no word between "ngày" and "tháng") is left alone: an unfilled form reads that way,
and a digits-only read of its dotted leader would invent a day. A date handwritten into the blanks
of a printed letter is treated as a printed one: on the 9 real pages (checked, not tuned) the two
words re-read ("JƑ_", "n") gave no accepted re-read, so they stay as read.

Measured (2026-11-29, 2 cores; generated dev pages: 130 photocopy, seeds 700100-700109, 78 phone
photos, 700300-700305, 78 office scans, 700200-700205; the bench pages not used): words re-read
only on photocopies, 6; accepted "68" -> 8, "2923" -> 2023, "202“" -> 2024 (right by the
generator's truth), "¡0" -> 10 (the truth records no date there; "¡" has since joined the date
reader's look-alikes, so it now reads as it stands); not accepted "202⁄1," -> 2024
(2 edits) and "Z" (a 7), which gave no digits. The
dev photocopies' key dates read right: 107 -> 108 of 119 ("ngày I2 tháng 3 năm 202“"). Each re-read
is one more Tesseract start, about 0.12 s.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.domain.confusions import DATE_DIGIT_LETTERS
from pipeline.domain.vntext import strip_diacritics
from pipeline.errors import OcrEngineError
from pipeline.ocr.lines import _word_row
from pipeline.ocr.numbers import Reader, _core, _read_digits
from pipeline.ocr.text import strip_leaders
from pipeline.preprocess.analysis import to_gray

log = logging.getLogger(__name__)

# The words that announce a date part, folded (lower case, no diacritics).
KEYWORDS = {"ngay": "day", "thang": "month", "nam": "year"}
# A word longer than this (its core) after a keyword is text, not a mangled number.
MAX_PART_CHARS = 5
# A re-read further than this (edits) from the first reading is not the same word read better.
MAX_EDITS = 1
EARLIEST_YEAR, LATEST_YEAR = 1900, 2099

_KEPT_AFTER = ",.;:)"
_VOWELS = re.compile(r"[aeiouy]")
_LOOKALIKES = str.maketrans(DATE_DIGIT_LETTERS)


def _fold(text: str) -> str:
    return strip_diacritics(text).lower()


def part_of(keyword: str) -> str | None:
    """'day', 'month' or 'year' for a word that is "ngày", "tháng" or "năm" (punctuation around it
    ignored), else None."""
    return KEYWORDS.get(re.sub(r"\W", "", _fold(keyword)))


def fits(part: str, digits: str) -> bool:
    """Whether `digits` can be the date part `part`: a day 1-31 or a month 1-12 in one or two digits,
    a year of four digits from EARLIEST_YEAR to LATEST_YEAR."""
    if not digits.isascii() or not digits.isdigit():
        return False
    value = int(digits)
    if part == "year":
        return len(digits) == 4 and EARLIEST_YEAR <= value <= LATEST_YEAR
    return len(digits) <= 2 and 1 <= value <= (31 if part == "day" else 12)


def suspect(part: str, text: str) -> bool:
    """A word after a date keyword that should be read again: once its dotted leader is gone
    (`strip_leaders`), short, not the part as read nor after the date reader's look-alike repairs, no
    fraction or numeric date ("/"), and holding a digit with at most one letter, or no vowel (a
    mangled number, not a word such as "tư", "ký" or the "sinh1" of "năm sinh")."""
    core = _core(strip_leaders(text))
    if not core or len(core) > MAX_PART_CHARS or "/" in core:
        return False
    if fits(part, _fold(core).translate(_LOOKALIKES)):
        return False
    letters = sum(ch.isalpha() for ch in core)
    return (any(ch.isdigit() for ch in core) and letters <= 1) or not _VOWELS.search(_fold(core))


@dataclass(frozen=True)
class PartTarget:
    """A word to read again: its TSV row, box, text as read and the date part it stands for."""

    row: int
    box: tuple[int, int, int, int]
    text: str
    part: str


def find_part_targets(tsv_lines: list[str]) -> list[PartTarget]:
    """Each word right after "ngày", "tháng" or "năm" on the same TSV line that is `suspect`, in page order."""
    lines: dict[tuple[str, str, str], list[tuple[int, tuple]]] = {}
    for index, raw in enumerate(tsv_lines):
        row = _word_row(raw)
        if row is not None:
            lines.setdefault(row[0], []).append((index, row))
    targets: list[PartTarget] = []
    for words in lines.values():
        parts = [part_of(row[3]) for _, row in words]
        for k in range(len(words) - 1):
            part = parts[k]
            index, (_, box, _, text) = words[k + 1]
            if part is None or parts[k + 1] is not None or not _in_a_date(part, parts[:k], parts[k + 2:]):
                continue
            if suspect(part, text):
                targets.append(PartTarget(index, box, text, part))
    return sorted(targets, key=lambda t: t.row)


def _in_a_date(part: str, before: list[str | None], after: list[str | None]) -> bool:
    """Whether the keyword stands in a date's sequence on its line: "tháng" after "ngày", "ngày" before
    or "năm" after "tháng", "tháng" before "năm" (so the "Nam" of "Việt Nam" or of a sex is no keyword)."""
    if part == "day":
        return "month" in after
    if part == "month":
        return "day" in before or "year" in after
    return "month" in before


def accepted(target: PartTarget, digits: str | None) -> bool:
    """The re-read replaces the word's core when it `fits` the part and is at most MAX_EDITS from it."""
    return digits is not None and fits(target.part, digits) and \
        Levenshtein.distance(digits, _core(target.text)) <= MAX_EDITS


def reread_date_parts(tsv: str, image: np.ndarray, read: Reader) -> tuple[str, int, int]:
    """`tsv` with each word `find_part_targets` finds replaced by its digits-only re-read where
    `accepted` (a comma, full stop, colon, semicolon or bracket after it kept, other marks dropped:
    they were the misreading); also the number of words re-read and of those
    changed. `read(crop)` is `ocr.numbers`' reader (one word, digits only, enlarged). A failed
    re-read (`OcrEngineError`) leaves the word as read; the word keeps its first confidence."""
    tsv_lines = tsv.splitlines()
    targets = find_part_targets(tsv_lines)
    if not targets:
        return tsv, 0, 0
    gray = to_gray(image)
    changed = 0
    for target in targets:
        try:
            digits = _read_digits(read, gray, target.box)
        except OcrEngineError as exc:
            log.warning("re-reading a date's %s failed, it stays as read: %s", target.part, exc.message)
            continue
        if not accepted(target, digits) or digits == _core(target.text):
            continue
        _, _, tail = re.match(r"^(\W*)(.*?)(\W*)$", target.text).groups()
        cells = tsv_lines[target.row].split("\t")
        # a comma or full stop after the number is the sentence's; other marks were part of the misreading
        cells[11] = digits + "".join(ch for ch in tail if ch in _KEPT_AFTER)
        tsv_lines[target.row] = "\t".join(cells)
        changed += 1
    return "\n".join(tsv_lines) + "\n", len(targets), changed

"""A date's day, month or year read as marks is read again, digits only (pipeline/ocr/date_parts.py)."""

from __future__ import annotations

import numpy as np
import pytest
from ocr_fixtures import FakeReader
from ocr_fixtures import TSV_HEADER as HEADER
from ocr_fixtures import render_word
from ocr_fixtures import tsv_word as _row

from pipeline.errors import OcrEngineError
from pipeline.extract.dates import find_dates
from pipeline.ocr import date_parts
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.text import assemble_text, parse_tsv


@pytest.mark.parametrize(("part", "digits", "ok"), [
    ("day", "17", True), ("day", "32", False), ("day", "0", False), ("day", "117", False),
    ("month", "8", True), ("month", "12", True), ("month", "13", False), ("month", "68", False),
    ("year", "2024", True), ("year", "1899", False), ("year", "2923", False), ("year", "202", False),
    ("day", "", False), ("day", "１７", False),
])
def test_fits(part: str, digits: str, ok: bool) -> None:
    assert date_parts.fits(part, digits) is ok


@pytest.mark.parametrize(("part", "text", "is_suspect"), [
    ("year", "202“", True),  # a digit turned into a mark
    ("day", "0*", True),  # no day 0
    ("day", "1Š", False),  # the date reader reads it as 15
    ("day", "ï7", False),  # the date reader reads it as 17 (ï folds to i, a look-alike 1)
    ("month", "68", True),  # no such month
    ("month", "Z", True),  # no vowel: a mangled number
    ("year", "2923", True),  # a year no paper holds
    ("day", "I2", False),  # the date reader repairs it to 12: not re-read
    ("day", "l7", False),
    ("month", "tư,", False),  # a month in words
    ("day", "ký.", False),  # "ngày ký": a word
    ("day", "12", False),  # a day as read
    ("day", "17/3/2026", False),  # a numeric date after "ngày"
    ("day", "....", False),  # a leader: a blank slot is left alone
    ("year", "PITTS74", False),  # too long to be a mangled number
    ("year", "sinh1", False),  # "năm sinh": a label read with a speck
    ("year", "2024_.........", False),  # the year as read, once its leader is gone
])
def test_suspect(part: str, text: str, is_suspect: bool) -> None:
    assert date_parts.suspect(part, text) is is_suspect


def _page_tsv(year: str = "202“") -> str:
    return "\n".join([HEADER,
                      _row(1, 1, 1, (100, 100, 160, 40), 95, "Hà"),
                      _row(1, 1, 2, (270, 100, 120, 40), 95, "Nội,"),
                      _row(1, 1, 3, (400, 100, 100, 40), 92, "ngày"),
                      _row(1, 1, 4, (510, 100, 50, 40), 60, "I2"),
                      _row(1, 1, 5, (570, 100, 110, 40), 93, "tháng"),
                      _row(1, 1, 6, (690, 100, 30, 40), 90, "3"),
                      _row(1, 1, 7, (730, 100, 80, 40), 94, "năm"),
                      _row(1, 1, 8, (820, 100, 100, 40), 41, year),
                      _row(1, 2, 1, (100, 200, 200, 40), 95, "Việt"),
                      _row(1, 2, 2, (310, 200, 120, 40), 95, "Nam"),
                      _row(1, 2, 3, (440, 200, 40, 40), 30, "M")]) + "\n"


def test_finds_the_suspect_parts_of_dates_only() -> None:
    targets = date_parts.find_part_targets(_page_tsv().splitlines())
    # "I2" is readable as it is; the "Nam" of "Việt Nam" stands in no date, so "M" is no year
    assert [(t.part, t.text, t.box) for t in targets] == [("year", "202“", (820, 100, 100, 40))]


def test_an_accepted_reread_replaces_the_word_and_the_date_is_read() -> None:
    read = FakeReader("2024")
    tsv, reread, changed = date_parts.reread_date_parts(_page_tsv(), np.full((400, 1000), 255, np.uint8), read)
    assert (reread, changed, len(read.crops)) == (1, 1, 1)
    words = parse_tsv(tsv)
    year = next(w for w in words if w.left == 820)
    assert (year.text, year.confidence, year.width) == ("2024", 41.0, 100)  # the first confidence stays
    assert [d.iso for d in find_dates(assemble_text(words))] == ["2024-03-12"]


@pytest.mark.parametrize("reread", ["1024", "20245", "", "2O24"])
def test_a_reread_that_does_not_fit_or_is_too_far_leaves_the_word_as_read(reread: str) -> None:
    # 1024: no year; 20245: five digits; nothing read; "2O24": its digits, 224, are no year
    image = np.full((400, 1000), 255, np.uint8)
    assert date_parts.reread_date_parts(_page_tsv(), image, FakeReader(reread)) == (_page_tsv(), 1, 0)
    # 1999 is a year, but 3 edits from "202"
    assert date_parts.reread_date_parts(_page_tsv(), image, FakeReader("1999")) == (_page_tsv(), 1, 0)


def test_a_failing_reread_leaves_the_word_as_read() -> None:
    def broken(crop: np.ndarray) -> str:
        raise OcrEngineError("tesseract failed")

    image = np.full((400, 1000), 255, np.uint8)
    assert date_parts.reread_date_parts(_page_tsv(), image, broken) == (_page_tsv(), 1, 0)


def test_a_real_tesseract_reread_reads_the_year() -> None:
    # a printed year whose first reading (made up here) turned its last digit into a quote mark
    pixels, box = render_word("2024", 500)
    tsv = "\n".join([HEADER, _row(1, 1, 1, (0, 30, 30, 50), 90, "tháng"), _row(1, 1, 2, (0, 30, 30, 50), 90, "3"),
                     _row(1, 1, 3, (0, 30, 30, 50), 90, "năm"), _row(1, 1, 4, box, 40, "202“")]) + "\n"
    engine = TesseractEngine()
    out, _, changed = date_parts.reread_date_parts(tsv, pixels, lambda crop: engine.read_number(crop, dpi=300))
    assert changed == 1 and [w.text for w in parse_tsv(out)][-1] == "2024"

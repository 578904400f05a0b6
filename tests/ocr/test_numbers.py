"""ID numbers are read again alone, enlarged, darkened, digits only (pipeline/ocr/numbers.py)."""

from __future__ import annotations

import numpy as np
import pytest
from ocr_fixtures import FakeReader
from ocr_fixtures import TSV_HEADER as HEADER
from ocr_fixtures import render_word
from ocr_fixtures import tsv_word as _row

from pipeline.errors import OcrEngineError
from pipeline.ocr import numbers
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.text import parse_tsv


@pytest.mark.parametrize(("text", "looks"), [
    ("038085945855", True),
    ("03808595955", True),  # a digit lost
    ("0010864400528,", True),  # a digit added; punctuation at the end
    ("0905123456", False),  # ten digits: a phone number
    ("41D8635877", False),  # a business code
    ("12/03/1990", False),
    ("０３８０８５９４５８５５", False),  # not ASCII digits
])
def test_looks_like_id(text: str, looks: bool) -> None:
    assert numbers.looks_like_id(text) is looks


@pytest.mark.parametrize(("first", "reread", "ok"), [
    ("03808595955", "038085945855", True),
    ("092185296355,", "092185296395", True),
    ("03808595955", "0380859455", False),  # not 12 digits
    ("99908595955", "999085945855", False),  # 999 is no province code
    ("038085945855", "001190000123", False),  # another number altogether
])
def test_accepted(first: str, reread: str, ok: bool) -> None:
    assert numbers.accepted(first, reread) is ok


def _page_tsv() -> str:
    return "\n".join([HEADER,
                      _row(1, 1, 1, (100, 100, 120, 40), 96, "Số:"),
                      _row(1, 1, 2, (240, 100, 400, 40), 80, "03808595955,"),
                      _row(1, 2, 1, (100, 200, 300, 40), 95, "0905123456")]) + "\n"


def test_an_id_word_takes_its_accepted_reread_and_keeps_its_punctuation_box_and_confidence() -> None:
    read = FakeReader("038085945855")
    tsv, reread, changed = numbers.reread_numbers(_page_tsv(), np.full((400, 800), 255, np.uint8), read)
    assert (reread, changed, len(read.crops)) == (1, 1, 1)  # the phone number is not re-read
    # the 40 px word with a 20 px margin, doubled, on a 10 px border
    assert read.crops[0].shape == ((40 + 2 * 20) * 2 + 20, (400 + 2 * 20) * 2 + 20)
    words = parse_tsv(tsv)
    assert [w.text for w in words] == ["Số:", "038085945855,", "0905123456"]
    assert (words[1].left, words[1].width, words[1].confidence) == (240, 400, 80.0)


def test_a_reread_not_accepted_or_failing_leaves_the_word_as_read() -> None:
    image = np.full((400, 800), 255, np.uint8)
    assert numbers.reread_numbers(_page_tsv(), image, FakeReader("0380859")) == (_page_tsv(), 1, 0)

    def broken(crop: np.ndarray) -> str:
        raise OcrEngineError("tesseract failed")

    assert numbers.reread_numbers(_page_tsv(), image, broken) == (_page_tsv(), 1, 0)


def test_a_real_tesseract_reread_restores_a_lost_digit() -> None:
    # a printed number whose first reading (made up here) lost its "4": the engine reads it again
    pixels, box = render_word("038085945855", 900)
    tsv = "\n".join([HEADER, _row(1, 1, 1, box, 70, "03808595855")]) + "\n"
    engine = TesseractEngine()
    out, _, changed = numbers.reread_numbers(
        tsv, pixels, lambda crop: engine.read_number(crop, dpi=300))
    assert changed == 1 and [w.text for w in parse_tsv(out)] == ["038085945855"]


def test_an_id_split_by_a_space_is_read_again_as_one_word_over_both_boxes() -> None:
    # "0461 5945009" (a digit lost, and split): read again over both boxes; a split pair that makes a valid
    # number ("0461 59450099") is left alone like any valid reading
    tsv = "\n".join([HEADER,
                     _row(1, 1, 1, (100, 100, 120, 40), 96, "số"),
                     _row(1, 1, 2, (240, 100, 120, 40), 90, "0461"),
                     _row(1, 1, 3, (380, 102, 260, 40), 90, "5945009."),  # 11 digits in all
                     _row(1, 2, 1, (100, 200, 120, 40), 90, "0461"),  # next line: not the same number
                     _row(1, 3, 1, (100, 300, 120, 40), 90, "0905"),
                     _row(1, 3, 2, (500, 300, 120, 40), 90, "12345678")]) + "\n"  # too far apart
    found = numbers.find_targets(tsv.splitlines())
    assert [(t.rows, t.box, t.text) for t in found] == [((2, 3), (240, 100, 400, 42), "04615945009.")]
    out, reread, changed = numbers.reread_numbers(tsv, np.full((400, 800), 255, np.uint8), FakeReader("046189450099"))
    assert (reread, changed) == (1, 1)
    words = parse_tsv(out)
    assert [w.text for w in words[:3]] == ["số", "046189450099.", "0461"]
    assert (words[1].left, words[1].width) == (240, 400)


def test_a_reread_not_accepted_is_tried_once_more_with_a_digit_of_margin_at_the_sides() -> None:
    read = FakeReader("04619327166", "046193271663")  # the last digit is only in the wider crop
    tsv = "\n".join([HEADER, _row(1, 1, 1, (100, 100, 330, 40), 80, "04619327166")]) + "\n"
    out, _, changed = numbers.reread_numbers(tsv, np.full((400, 800), 255, np.uint8), read)
    assert changed == 1 and [w.text for w in parse_tsv(out)] == ["046193271663"]
    # the second crop: 30 px (330 / 11 digits) at either side instead of 20
    assert read.crops[1].shape[1] - read.crops[0].shape[1] == 2 * (30 - 20) * numbers.NUMBER_SCALE


@pytest.mark.parametrize(("text", "misread"), [
    ("03808595955", True),  # 11 digits
    ("0010864400528", True),  # 13 digits
    ("039088844889", True),  # no province has code 039
    ("001999012345", True),  # century digit 9: no such century
    ("036080168102", False),  # can be an ID number: left as read
    ("0905123456", False),
])
def test_only_a_reading_that_cannot_be_an_id_number_is_read_again(text: str, misread: bool) -> None:
    assert numbers.misread_id(text) is misread
    tsv = "\n".join([HEADER, _row(1, 1, 1, (100, 100, 330, 40), 96, text)]) + "\n"
    assert [t.text for t in numbers.find_targets(tsv.splitlines())] == ([text] if misread else [])

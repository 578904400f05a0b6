"""Dates written in Vietnamese words (a birth certificate's "Ghi bằng chữ"), and how a birth certificate
uses them beside its digits."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.domain.papers import PaperType
from pipeline.extract import extract_fields
from pipeline.extract.date_words import find_date_in_words, parse_number_words
from pipeline.extract.labels import fold_key
from pipeline.synth.papers import date_words, number_words

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("words", "n"), [
    ("muoi", 10), ("muoi lam", 15), ("muoi mot", 11), ("hai muoi", 20), ("hai muoi mot", 21),
    ("ba muoi mot", 31), ("tam muoi tu", 84), ("hai muoi bon", 24), ("mot nghin chin tram chin muoi lam", 1995),
    ("hai nghin khong tram le nam", 2005), ("hai ngan linh tu", 2004), ("hai nghin", 2000),
    ("hai nghin khong tram hai muoi ba", 2023),
])
def test_number_words(words, n):
    assert parse_number_words(words.split()) == n


@pytest.mark.parametrize("words", ["", "muoi muoi", "hai muoi muoi", "mot nghin hai nghin", "hai sinh", "mot muoi",
                                   "tram", "linh"])
def test_what_is_not_one_number(words):
    assert parse_number_words(words.split()) is None


def test_every_date_the_generator_writes_in_words_reads_back():
    # the generator's writer (pipeline.synth.papers) and this reader were written apart; every day of two
    # years, with both spellings of the years' hundreds
    day = date(1999, 1, 1)
    while day < date(2001, 1, 1):
        assert find_date_in_words(f"Ghi bằng chữ: {date_words(day)}") == day
        day = date.fromordinal(day.toordinal() + 1)
    assert all(parse_number_words(fold_key(number_words(n)).split()) == n for n in range(1, 3000))


@pytest.mark.parametrize(("text", "when"), [
    ("Ghi bằng chữ: Ngày hai mươi sáu, tháng mười một, năm hai nghìn không trăm hai mươi ba", date(2023, 11, 26)),
    ("Ghi bang chu: ngay hai muoi sau thang muoi mot nam hai nghin khong tram hai muoi ba", date(2023, 11, 26)),
    # "năm" is 5 as well as the year's word: the month of May and the 5th
    ("Ngày năm, tháng năm, năm hai nghìn không trăm lẻ năm", date(2005, 5, 5)),
    ("Ngày mồng một, tháng giêng, năm một nghìn chín trăm chín mươi mốt", date(1991, 1, 1)),
    # the year wrapped onto the next line
    ("Ngày hai mươi sáu, tháng mười một, năm hai nghìn\nkhông trăm hai mươi ba\nNơi sinh: Hà Nội", date(2023, 11, 26)),
    # the next line only starts with "năm"
    ("Ngày mười lăm, tháng mười, năm hai ngàn linh tư\nNăm sinh: 1996", date(2004, 10, 15)),
])
def test_dates_in_words(text, when):
    assert find_date_in_words(text) == when


@pytest.mark.parametrize("text", [
    "Ngày hai mươi sáu, tháng mười một, năm hai nghìn không trăm hai mươi b4",  # a word OCR garbled: no guess
    "Ngày hai mươi sáu, tháng mười một, năm hai nghìn\nkhông trăm hai mươi b4",
    "Ngày ba mươi mốt, tháng hai, năm hai nghìn",  # 31 February
    "Hà Nội, ngày 26 tháng 11 năm 2023",  # digits are not words
    "Ngày hai 6, tháng mười một, năm hai nghìn",
])
def test_no_date_in_words(text):
    assert find_date_in_words(text) is None


KHAI_SINH = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: ĐÀO MINH AN\nNgày, tháng, năm sinh: {digits}\n"
             "Ghi bằng chữ: Ngày hai mươi sáu, tháng mười một, năm hai nghìn không trăm hai mươi ba\n"
             "Giới tính: Nam\n{id_line}")


def _dob(digits: str, id_line: str = ""):
    return extract_fields(PaperType.GIAY_KHAI_SINH, KHAI_SINH.format(digits=digits, id_line=id_line),
                          today=TODAY)["date_of_birth"]


def test_a_birth_certificate_takes_its_birth_date_from_the_words_when_the_digits_are_lost():
    lost = _dob("2€/1/")
    assert (lost.value, lost.valid) == ("2023-11-26", True) and lost.confidence <= 0.7
    assert "in words" in lost.reason
    agree = _dob("26/11/2023")
    assert (agree.value, agree.valid, agree.reason) == ("2023-11-26", True, "")


def test_digits_that_disagree_with_the_words_are_flagged_unless_the_id_number_decides():
    # 28 for 26: which one was misread cannot be told from the paper; the digits stay, for review
    disputed = _dob("28/11/2023")
    assert disputed.value == "2023-11-28" and not disputed.valid and "26/11/2023" in disputed.reason
    # 2028 for 2023 is a future birth date: not valid anyway, the words give it
    assert _dob("26/11/2028").value == "2023-11-26"
    # a year misread in the digits (2021) where the child's ID number encodes 2023: the words and the number win
    settled = _dob("26/11/2021", "Số định danh cá nhân: 001223004567")
    assert (settled.value, settled.valid) == ("2023-11-26", True) and "ID number" in settled.reason
    assert "001223004567" not in settled.reason

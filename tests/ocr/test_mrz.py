"""The TD1 machine-readable lines of an ID card's back, repaired by position (pipeline/ocr/mrz.py)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.ocr import mrz
from pipeline.ocr.text import parse_tsv
from pipeline.synth.card import mrz_lines
from pipeline.synth.people import make_person


def _truth_lines() -> list[str]:
    return ["IDVNM0880994372031088099437<<6", "8802196M2802194VNM<<<<<<<<<<<0", "DUONG<<QUOC<QUAN<<<<<<<<<<<<<<"]


@pytest.mark.parametrize(("read", "expected"), [
    ("TDVNM0880994372031088099437<<6", 0),  # I read as T
    ("I1DVNM0880994372031088099437<<6", 0),  # a stray mark after the I
    ("IDVNMO88O994372031088099437<<6", 0),  # O for 0 in the number
    ("-8802196M2802194VNM<<<<<<<<<<<0", 1),  # a stray dash before the line
    ("88O2196M28O2194VNM<<<<<<<<<0", 1),  # O for 0, two fillers lost
    ("DUONG<<QU0C<QUAN<<<<<<<<<<<<<<", 2),  # 0 for O in the name
    ("DUONG<<QUOC<QUAN<<<<<<<<<<<", 2),  # fillers lost at the end
    ("DUONG«QUOC<QUAN<<<<<<<<<<<<<<", 2),  # a guillemet for two fillers
    ("DUONG<<QUỐC<QUAN<<<<<<<<<<<<<<", 2),  # a tone mark on a letter
    ("IDVNM088099437:2031088099437<<6", 0),  # a stray mark inside the line
])
def test_misreads_are_put_right_by_position(read: str, expected: int) -> None:
    assert mrz.repair(read) == _truth_lines()[expected]


@pytest.mark.parametrize("word", ["hello", "0123456789012", "NGUYEN<VAN<A", "Số:", "079085217438", "1/2"])
def test_other_words_are_left_alone(word: str) -> None:
    assert mrz.repair(word) == word


def test_every_generated_card_line_is_a_fixed_point() -> None:
    """Correct lines stay as they are, whatever the person (so the repair never harms a good read)."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        person = make_person(rng)
        for line in mrz_lines(person):
            assert mrz.repair(line) == line
            assert len(line) == mrz.LENGTH


def test_parse_tsv_repairs_an_mrz_word() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    row = "5\t1\t1\t1\t1\t1\t100\t200\t900\t40\t71.5\tTDVNM0880994372031088099437<<6"
    words = parse_tsv(header + "\n" + row + "\n")
    assert [w.text for w in words] == ["IDVNM0880994372031088099437<<6"]



# _truth_lines' card: ID 031088099437 (tail 088099437, check 2), born 880219 (check 6), expires
# 280219 (check 4) on the holder's birthday. The last case's card: tail 079998693, check 0.
@pytest.mark.parametrize(("read", "truth"), [
    ("IDVNM0880994372031088099487<<6", "IDVNM0880994372031088099437<<6"),  # 3 read 8 in the second copy
    ("IDVNM0880994872031088099437<<6", "IDVNM0880994372031088099437<<6"),  # ... in the first copy
    ("8802196M2862194VNM<<<<<<<<<<<0", "8802196M2802194VNM<<<<<<<<<<<0"),  # expiry month 02 read 62
    ("8862196M2802194VNM<<<<<<<<<<<0", "8802196M2802194VNM<<<<<<<<<<<0"),  # birth month, from the expiry
    ("8862196M2862194VNM<<<<<<<<<<<0", "8802196M2802194VNM<<<<<<<<<<<0"),  # both months: one pair fits
    ("IDVNM0799986939026079998693<<4", "IDVNM0799986930026079998693<<4"),  # both copies agree, check 0 read 9
])
def test_digits_the_card_holds_twice_are_put_right(read: str, truth: str) -> None:
    assert mrz.repair(read) == truth


@pytest.mark.parametrize("read", [
    "IDVNM0880994374031088099437<<6",  # copies agree, check 2 read 4: no look-alike, left to be flagged
    "IDVNM0880994372031688699487<<6",  # the copies differ in three places: no copy to trust
    "8802196M2862184VNM<<<<<<<<<<<0",  # expiry month and day both off: no one-digit mend
    "8802196M9912311VNM<<<<<<<<<<<0",  # a card valid for life ends 991231, not on a birthday
])
def test_digits_without_a_second_witness_stay_as_read(read: str) -> None:
    assert mrz.repair(read) == read


@pytest.mark.parametrize(("read", "truth"), [
    ("TA<<DTNH<HUNG<<<<<<<<<<<<<<<<<", "TA<<DINH<HUNG<<<<<<<<<<<<<<<<<"),  # I read as T
    ("DUONG<<THT<XUAN<<<<<<<<<<<<<<<", "DUONG<<THI<XUAN<<<<<<<<<<<<<<<"),
    ("VO<<DUC<VTET<<<<<<<<<<<<<<<<<<", "VO<<DUC<VIET<<<<<<<<<<<<<<<<<<"),  # TET and VET drop a letter: the swap wins
    ("NGO<<DINH<DUCX<<<<<<<<<<<<<<<<", "NGO<<DINH<DUC<<<<<<<<<<<<<<<<<"),  # a stray letter dropped, the line kept 30 long
    ("NGUYEN<<AHONG<DUNG<<<<<<<<<<<<", "NGUYEN<<AHONG<DUNG<<<<<<<<<<<<"),  # HONG or AONG: left as read
])
def test_name_words_that_cannot_be_vietnamese_are_put_right_when_one_way_fits(read: str, truth: str) -> None:
    assert mrz.repair(read) == truth

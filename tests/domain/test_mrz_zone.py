"""The ID card's machine-readable zone read from OCR text, each part kept only when its check digit
holds (pipeline.domain.mrz), and its use by the CCCD extraction (pipeline.extract.card)."""

from datetime import date

import numpy as np

from pipeline.domain.mrz import Td1, birth_date, check_digit, read_td1
from pipeline.domain.papers import PaperType
from pipeline.extract.run import extract_fields
from pipeline.synth.card import mrz_lines
from pipeline.synth.people import make_person

ZONE = "IDVNM0868166627046086816662<<7\n8603120M2603128VNM<<<<<<<<<<<2\nMAI<<HUU<THINH<<<<<<<<<<<<<<<"


def test_check_digit_matches_the_icao_example() -> None:
    # ICAO 9303 part 3's worked example: document number L898902C3 has check digit 6, 740812 has 2
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"


def test_a_zone_read_right_gives_every_part() -> None:
    td1 = read_td1("Ngón trỏ trái Ngón trỏ phải\n" + ZONE)
    assert td1 == Td1(id_tail="086816662", id_number="046086816662", birth=(86, 3, 12), sex="nam",
                      expiry=date(2026, 3, 12), name="MAI HUU THINH")
    assert birth_date(td1, 1900) == date(1986, 3, 12)


def test_parts_whose_check_digit_fails_are_left_out() -> None:
    # OCR misread the 12 digits (they no longer end with the checked 9) and a digit of the expiry
    td1 = read_td1("IDVNM0868166627964668681666<<7\n8603120M2663128VNM<<<<<<<<<<<2")
    assert td1 is not None
    assert (td1.id_tail, td1.id_number, td1.birth, td1.expiry) == ("086816662", None, (86, 3, 12), None)
    assert read_td1("IDVNM0868166621046086816662<<7") is None  # the 9 digits' check fails
    assert read_td1("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is None


def test_a_number_line_read_one_place_late_is_read_from_its_shifted_digits() -> None:
    # a "0" read in after "IDVNM" pushes every digit one place right and the number's last one out
    shifted = read_td1("IDVNM0086816662704608681666<<7")
    assert (shifted.id_tail, shifted.id_number) == ("086816662", "046086816662")
    # shifted digits whose check digit fails give nothing
    assert read_td1("IDVNM0086816662804608681666<<7") is None


def test_generated_zones_read_back() -> None:
    rng = np.random.default_rng(11)
    for _ in range(20):
        person = make_person(rng)
        td1 = read_td1("\n".join(mrz_lines(person)))
        assert td1 is not None and td1.id_number == person.id_number
        assert birth_date(td1, person.date_of_birth.year // 100 * 100) == person.date_of_birth


def test_the_zone_puts_right_a_misread_printed_number_and_fills_the_birth_date() -> None:
    # photographed card: one digit of the printed number misread, the birth date line unreadable
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 046089816662\nHọ và tên / Full name:\nMAI HỮU THỊNH\n"
            "Ngày sinh / Date of birth: 1?/0?/19?6\n" + ZONE)
    fields = extract_fields(PaperType.CCCD, text)
    assert fields["id_number"].value == "046086816662" and fields["id_number"].valid
    assert "machine-readable zone" in fields["id_number"].reason
    assert fields["date_of_birth"].value == "1986-03-12"
    assert fields["valid_until"].value == "2026-03-12"


def test_the_birth_line_is_read_with_its_v_read_as_two_strokes() -> None:
    # a photocopied card: line 1 broken beyond use, "VNM" of line 2 read "\\/NM"
    td1 = read_td1("TDVNM078419/46 15048078419461<<2\n7812020M3812022\\/NM<<<<<<<<<<<6")
    assert td1 is not None and td1.birth == (78, 12, 2) and td1.expiry == date(2038, 12, 2)
    assert td1.id_tail is None


def test_the_name_line_is_read_with_a_mark_beside_it() -> None:
    assert read_td1("MAI<<HUU<THINH<<<<<<<<<<<<<<<< `").name == "MAI HUU THINH"  # type: ignore[union-attr]


def test_a_name_the_front_lost_is_taken_from_the_zone_with_its_marks() -> None:
    lost = "CĂN CƯỚC CÔNG DÂN\nSố / No.: 046086816662\nHọ và tên / Full name:\nNgày sinh / Date of birth:\n"
    fields = extract_fields(PaperType.CCCD, lost + ZONE)
    assert fields["full_name"].value == "Mai Hữu Thịnh" and fields["full_name"].valid  # marks: the lexicon's
    assert "machine-readable zone" in fields["full_name"].reason
    # a word whose marks the lexicon cannot tell (THUY: Thuỳ, Thúy, Thụy ...) takes those the front read
    zone = ZONE.replace("MAI<<HUU<THINH<<<<<<<<<<<<<<<", "LY<<THUY<MAI<OANH<<<<<<<<<<<<<")
    fields = extract_fields(PaperType.CCCD, lost.replace("name:\n", "name:\nLÝ THUỲ MAI O\u00a1\n") + zone)
    assert fields["full_name"].value == "Lý Thuỳ Mai Oanh"
    assert "full_name" not in extract_fields(PaperType.CCCD, lost + zone)  # nothing tells THUY's marks
    # a name the front read well stays as read
    read = extract_fields(PaperType.CCCD, lost.replace("name:\n", "name:\nMAI HỮU THỊNH\n") + ZONE)
    assert read["full_name"].value == "Mai Hữu Thịnh" and "zone" not in read["full_name"].reason

from datetime import date

import pytest

from pipeline.extract.dates import DateKind, check_plausible, find_blank_date, find_dates, parse_date

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("text", "iso"), [
    ("12/03/2024", "2024-03-12"),
    ("5/3/2024", "2024-03-05"),
    ("05-03-2024", "2024-03-05"),
    ("05.03.2024", "2024-03-05"),
    ("Hà Nội, ngày 05 tháng 3 năm 2024", "2024-03-05"),
    ("ngày 5/3/2024", "2024-03-05"),
    ("Ha Noi, ngay 12 thang 03 nam 2024", "2024-03-12"),  # diacritics lost
    ("ngày23 tháng 4 năm 2026", "2026-04-23"),  # glued by OCR
    ("NGÀY 28 THÁNG 02 NĂM 2025", "2025-02-28"),
    ("Cần Thơ, ngày 24 tháng 6 nũm 2013", "2013-06-24"),  # the vowel of "năm" misread
    ("Đăng ký lần đầu: ngày 08 thóng 01 năm 2023", "2023-01-08"),  # the vowel of "tháng" misread
    ("Ngày sinh: 29/02/2000", "2000-02-29"),  # a real leap day
    ("Huế, ngày 1 7 tháng 6 năm 2018", "2018-06-17"),  # the day read in two
    ("Hà Nội, ngày 09 tháng 3 năn: 2024", "2024-03-09"),  # the "m" of "năm" misread
    ("Bắc Ninh, ngày 01 tháng 5 năin 2024", "2024-05-01"),  # the "m" of "năm" read as "in"
    ("Huế, ngòy 19 tháng 8 năm 2024", "2024-08-19"),  # the vowel of "ngày" misread
    ("Thành phố Hồ Chí Minh, ngày 15 tháng 7 nă ¡998", "1998-07-15"),  # the "m" of "năm" lost, "¡" for 1
    ("Ngày, tháng, năm sinh: 26/1 1/2023", "2023-11-26"),  # the month read in two
    ("Ngày sinh / Date of birth: 26/03/1 976", "1976-03-26"),  # the year read in two
])
def test_good_dates(text, iso):
    reading = parse_date(text, today=TODAY)
    assert reading is not None and reading.valid and reading.iso == iso


@pytest.mark.parametrize(("text", "iso"), [
    ("O5/O3/2O24", "2024-03-05"),
    ("l2/03/1990", "1990-03-12"),
    ("12/03/199O", "1990-03-12"),
    ("1S/03/2024", "2024-03-15"),
    ("ngày I5 tháng 3 năm 2024", "2024-03-15"),
    ("Date of birth: Đ3/12/1978", "1978-12-03"),  # a bold 0 read as Đ
])
def test_ocr_digit_confusions_are_repaired_and_flagged(text, iso):
    reading = parse_date(text, today=TODAY)
    assert reading is not None and reading.iso == iso and reading.ocr_fixed


@pytest.mark.parametrize("text", ["30/02/2020", "31/04/2023", "29/02/2023", "12/13/2020", "00/01/2020",
                                  "ngày 31 tháng 6 năm 2024"])
def test_impossible_dates_are_rejected_with_a_reason(text):
    reading = parse_date(text, today=TODAY)
    assert reading is not None and reading.value is None and not reading.valid
    assert reading.reason.startswith("impossible date")


def test_birth_date_in_the_future_is_implausible():
    reading = parse_date("Ngày sinh: 01/01/2099", DateKind.BIRTH, today=TODAY)
    assert reading is not None and reading.value == date(2099, 1, 1) and not reading.valid
    assert "future" in reading.reason


def test_a_year_read_in_the_future_is_the_one_look_alike_year_in_the_past():
    # 2923: only 9 -> 0 gives a year that has been (9 -> 6 or 8 stays in the future)
    reading = parse_date("Đăng ký lần đầu: 01/07/2923", DateKind.ISSUE, today=TODAY)
    assert (reading.iso, reading.valid, reading.ocr_fixed) == ("2023-07-01", True, True)
    # 2058: every look-alike year (2050, 2053, 2068, 2658, ...) is in the future too: left as read, invalid
    future = parse_date("Ngày cấp: 05/03/2058", DateKind.ISSUE, today=TODAY)
    assert (future.iso, future.valid) == ("2058-03-05", False) and "future" in future.reason
    # a birth date is left to the ID number's year
    assert not parse_date("Ngày sinh: 01/07/2923", DateKind.BIRTH, today=TODAY).valid
    # an expiry far ahead is not a misreading
    assert parse_date("Có giá trị đến: 05/03/2958", DateKind.EXPIRY, today=TODAY).iso == "2958-03-05"


def test_issue_date_in_the_future_and_year_before_1900():
    assert "future" in check_plausible(date(2027, 1, 1), DateKind.ISSUE, today=TODAY)
    assert "before 1900" in check_plausible(date(1850, 1, 1), DateKind.BIRTH, today=TODAY)
    assert check_plausible(date(1990, 1, 1), DateKind.BIRTH, today=TODAY) == ""


def test_expiry_must_follow_issue():
    assert check_plausible(date(2020, 1, 1), DateKind.EXPIRY, after=date(2021, 1, 1)) != ""
    assert check_plausible(date(2030, 1, 1), DateKind.EXPIRY, after=date(2021, 1, 1)) == ""
    reading = parse_date("Có giá trị đến: 01/01/2020", DateKind.EXPIRY, today=TODAY, after=date(2021, 6, 1))
    assert reading is not None and not reading.valid and "after the issue" in reading.reason


def test_no_date_and_not_a_date():
    assert parse_date("Họ và tên: Nguyễn Văn An", today=TODAY) is None
    assert find_dates("số 123/QĐ-UBND, lis/oil/soil, 1.2.3") == []
    assert find_dates("Thông tư số 18/2025/TT-BCT") == []  # a document number is not a date


def test_all_dates_in_reading_order():
    found = find_dates("Căn cứ Luật ngày 16/6/2025; Nghị quyết ngày 17 tháng 3 năm 2026")
    assert [d.iso for d in found] == ["2025-06-16", "2026-03-17"]


def test_blank_date_of_an_unissued_draft():
    blank = find_blank_date("Hà Nội, ngày      tháng      năm 2026")
    assert blank is not None and blank.value is None and "2026" in blank.reason
    assert find_blank_date("Hà Nội, ngày 12 tháng 3 năm 2026") is None


def test_a_long_date_with_one_word_lost_to_ocr():
    # no "năm" before the year; "ngày" cut to "ng" by a leader
    assert [r.iso for r in find_dates("vào lúc: 01 giờ 52 phút, ngày 3l tháng 05 2024")] == ["2024-05-31"]
    assert [r.iso for r in find_dates("Đăng ký lần đầ..: ng 03 tháng 04 năm 2023")] == ["2023-04-03"]


def test_a_numeric_date_that_lost_one_separator():
    assert [r.iso for r in find_dates("Ngày sinh / Date ofbidh:12/031986")] == ["1986-03-12"]
    assert [r.iso for r in find_dates("1203/1986")] == ["1986-03-12"]
    # only when the repaired form is a real date: a book number or a phone number is not one
    assert find_dates("Quyển số 12/202112") == []
    assert find_dates("Điện thoại: 0952072796") == []
    assert find_dates("tháng 13 2024") == []


@pytest.mark.parametrize("text", ["25/08/1986_.", "_25/08/1986", "Ngày sinh: 25/08/1986__"])
def test_an_underscore_left_of_a_leader_bounds_a_date_like_a_space(text):
    assert [r.iso for r in find_dates(text)] == ["1986-08-25"]


@pytest.mark.parametrize("text", ["a25/08/1986", "25/08/1986/2", "ngày đầu tháng 3 năm 2024"])
def test_a_date_inside_a_word_or_a_longer_number_is_not_one(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["Hà Nội, ngày8#tháng 4 năm 2026", "ngày 2* tháng 3 năm 2024",
                                  "ngày 12 tháng 3“ năm 2024"])
def test_a_day_or_month_with_a_symbol_glued_to_it_is_unreadable_not_guessed(text):
    """A day written into the blank by hand reads as a digit with debris ("8#" for a handwritten 22):
    the date is reported unreadable instead of read as the 8th."""
    reading = parse_date(text, today=TODAY)
    assert reading is not None and reading.value is None and not reading.valid
    assert "handwritten" in reading.reason


@pytest.mark.parametrize(("text", "iso"), [
    ("ngày 05, tháng 3 năm 2024", "2024-03-05"),  # punctuation after a number is not debris
    ("ngày 2] tháng 7 năm 2020", "2020-07-21"),  # "]" is a 1 OCR printed, not a glued symbol
    ("có giá trị sử dụng đến ngày: ¡ 4/10/2023", "2023-10-14"),  # so is "¡", split off the day's 4
    ("22 giờ 27 phút, ngày 03 tháng 06 năm 2023", "2023-06-03"),
])
def test_printed_dates_with_ordinary_punctuation_still_read(text, iso):
    reading = parse_date(text, today=TODAY)
    assert reading is not None and reading.valid and reading.iso == iso

"""A Giấy xác nhận tình trạng hôn nhân is dated where it is signed (its issue date) and is valid for 6 months
from it (Nghị định 123/2015/NĐ-CP art. 23; months counted as Bộ luật Dân sự 2015 art. 147-148 counts them)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component
from pipeline.extract import extract_document, extract_fields
from pipeline.extract.dated import LEGAL_VALIDITY_CONFIDENCE, legal_validity_end, months_later

TODAY = date(2024, 1, 15)
XN = PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN


def _paper(valid_line: str, issued: str = "ngày 11 tháng 6 năm 2023") -> str:
    return ("UỶ BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ KIM LONG Độc lập - Tự do - Hạnh phúc\n"
            f"Số: 12/XNTTHN Thanh Hóa, {issued}\nGIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nXÁC NHẬN:\n"
            "Họ, chữ đệm, tên: LÊ THANH BẢO HẰNG\nNgày, tháng, năm sinh: 29/09/1993\n"
            "Giấy tờ tùy thân: Căn cước công dân số 079193365533\n"
            "Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai\nGiấy này được cấp để: Đăng ký kết hôn\n"
            + valid_line)


@pytest.mark.parametrize("start, months, expected", [
    (date(2024, 10, 14), 6, date(2025, 4, 14)),
    (date(2023, 8, 31), 6, date(2024, 2, 29)),  # no 31 February: the month's last day (a leap year)
    (date(2022, 8, 31), 6, date(2023, 2, 28)),
    (date(2023, 12, 5), 1, date(2024, 1, 5)),
])
def test_months_later_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert months_later(start, months) == expected


def test_the_legal_end_is_the_same_numbered_day_six_months_on():
    assert legal_validity_end(date(2024, 10, 14)) == date(2025, 4, 14)


def test_the_issue_date_is_read_from_the_place_date_line_and_the_printed_end_kept():
    fields = extract_fields(XN, _paper("Giấy này có giá trị sử dụng đến ngày: 10/12/2023"), today=TODAY)
    assert fields["issued_on"].value == "2023-06-11" and fields["issued_on"].valid
    assert fields["valid_until"].value == "2023-12-10" and fields["valid_until"].valid
    assert fields["valid_until"].confidence > LEGAL_VALIDITY_CONFIDENCE
    # the place-date line is found with the vowel of "ngày" misread
    misread = _paper("Giấy này có giá trị sử dụng đến ngày: 10/12/2023", issued="ngòy 11 tháng 6 năin 2023")
    assert extract_fields(XN, misread, today=TODAY)["issued_on"].value == "2023-06-11"


def test_an_end_whose_year_was_cut_short_takes_the_one_year_within_six_months():
    fields = extract_fields(XN, _paper("Giấy này có giá trị sử dụng đến ngày: 10/12/20"), today=TODAY)
    assert fields["valid_until"].value == "2023-12-10" and fields["valid_until"].valid
    assert "cut short" in fields["valid_until"].reason
    # issued in November, its December end is in the issue year, its February end in the next one
    late = _paper("Giấy này có giá trị sử dụng đến ngày: 02/02/20", issued="ngày 20 tháng 11 năm 2023")
    assert extract_fields(XN, late, today=TODAY)["valid_until"].value == "2024-02-02"


def test_an_end_not_read_is_the_legal_end_at_a_low_confidence_that_says_so():
    fields = extract_fields(XN, _paper("Giấy này có giá trị sử dụng đến ngày: ¡ó/1 ."), today=TODAY)
    until = fields["valid_until"]
    assert until.value == "2023-12-11" and until.valid
    assert until.confidence == LEGAL_VALIDITY_CONFIDENCE and "6 months from the issue date" in until.reason
    # no issue date read: nothing to count from, nothing made up
    unissued = extract_fields(XN, _paper("Giấy này có giá trị sử dụng đến ngày: ¡ó/1 .", issued=""), today=TODAY)
    assert "issued_on" not in unissued
    assert "valid_until" not in unissued or not unissued["valid_until"].valid


def _document(text: str):
    return extract_document(Component(type=XN, pages=[1], confidence=0.9, needs_review=False, text=text), [],
                            today=TODAY).fields


def test_a_paper_valid_longer_than_the_law_allows_sends_both_dates_to_review():
    # "ngày 01" for the 11th, or the end misread: the paper cannot tell which
    fields = _document(_paper("Giấy này có giá trị sử dụng đến ngày: 11/03/2024", issued="ngày 01 tháng 9 năm 2023"))
    assert not fields["valid_until"].valid and not fields["issued_on"].valid
    assert "the longest the law allows" in fields["valid_until"].reason
    # a few days past the legal end is a clerk's rounding, not a misreading
    ok = _document(_paper("Giấy này có giá trị sử dụng đến ngày: 15/12/2023"))
    assert ok["valid_until"].valid and ok["issued_on"].valid


def test_an_end_before_the_issue_date_is_invalid():
    fields = _document(_paper("Giấy này có giá trị sử dụng đến ngày: 10/12/2022"))
    assert not fields["valid_until"].valid and "not after issued_on" in fields["valid_until"].reason

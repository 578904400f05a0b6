"""Extraction from OCR noise seen on the bench's truly OCR'd generated pages (bench/classify.py, "Field exact
match"): debris before a label, broken label words, look-alike digits in dates, a full stop for the comma of a
place-date line. Each case is a general pattern; the negative cases check nothing is invented."""

from datetime import date

import pytest

from pipeline.domain.papers import PaperType
from pipeline.domain.records import OcrWord
from pipeline.extract.dates import find_dates
from pipeline.extract.labels import Line, at_line_start, find_labels, split_lines
from pipeline.extract.run import extract_fields

TODAY = date(2026, 11, 28)

CARD = """CĂN CƯỚC CÔNG DÂN
Citizen Identity Card
Số / No.: 001190000123
{prefix}Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 12/03/1990
Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam
{expiry}
12/03/2030
"""


@pytest.mark.parametrize("prefix", ["", "c ", "(C? ", "CC ", "6, ", "Z“ N ", "§ _¡_ ", "Am ", "Tế ", "éC "])
def test_portrait_debris_before_a_label_keeps_the_value_on_the_next_line(prefix):
    text = CARD.format(prefix=prefix, expiry="Có giá trị đến:")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    assert fields["full_name"].value == "Nguyễn Văn An"


def test_mark_before_a_label_and_lost_gloss_colon():
    text = CARD.format(prefix="", expiry="€ó gia trị dèn:").replace("Họ và tên / Full name:", "Họ và lên / Ful nane")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    assert fields["full_name"].value == "Nguyễn Văn An"
    assert fields["valid_until"].value == "2030-03-12"


@pytest.mark.parametrize("before", ["và ", "Ông Ba ", "số nhà "])
def test_words_before_a_label_are_text_not_debris(before):
    line = Line.of(f"{before}Họ và tên:")
    assert not at_line_start(line, len(before))


def test_longer_label_read_with_a_slip_swallows_the_exact_short_label_inside_it():
    lines = split_lines("gầy, tháng, năm sinh: 23/03/2024")
    hits = find_labels(lines, [("Ngày, tháng, năm sinh", "dob"), ("Năm sinh", "year")])
    assert [h.tag for h in hits] == ["dob"]
    # the reverse case stays: an exact short label is not beaten by a longer one starting at the same place
    hits = find_labels(split_lines("Ngày sinh: 12/03/1990"), [("Ngày sinh", "dob"), ("Ngày sinh vợ", "wife")])
    assert [h.tag for h in hits] == ["dob"]


POWER = """GIẤY ỦY QUYỀN
{first} BÊN ỦY QUYỀN{colon}
Họ và tên: NGUYỄN VĂN AN
Căn cước công dân số: 001190000123
{second} BÊN NHẬN ỦY QUYỀN{colon}
Họ và tên: TRẦN THỊ BÌNH
Căn cước công dân số: 001190000456
"""


@pytest.mark.parametrize(("first", "second", "colon"), [("I.", "II.", ":"), ("l.", "IH.", ";"), ("I.", "HI.", ":")])
def test_section_headings_with_roman_numerals_misread(first, second, colon):
    fields = extract_fields(PaperType.GIAY_UY_QUYEN, POWER.format(first=first, second=second, colon=colon),
                            today=TODAY)
    assert fields["grantor_name"].value == "Nguyễn Văn An"
    assert fields["grantee_name"].value == "Trần Thị Bình"


def test_rest_of_a_broken_label_before_a_colon_is_not_part_of_the_name():
    text = "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\n5. Họ và tên ở: n hộ kinh doanh: LÊ THANH HOÀI NAM\n"
    fields = extract_fields(PaperType.DANG_KY_KINH_DOANH, text, today=TODAY)
    assert fields["owner_name"].value == "Lê Thanh Hoài Nam" and fields["owner_name"].valid


@pytest.mark.parametrize(("text", "iso"), [
    ("Vĩnh Yên, ngày !0 tháng 02 năm 2024", "2024-02-10"),
    ("Vĩnh Yên, ngày 2] tháng 7 năm 2007", "2007-07-21"),
    ("ngày 21 tháng Ø7 năm 2023", "2023-07-21"),
    ("Suối Hoa, ngày 23 tháng 5 :ăm 2024", "2024-05-23"),
    ("Hà Nội, ngày 23 tháng Š năm 2024", "2024-05-23"),
    ("Đăng ký lần đầu: ngày 19 †háng 09 năm 2024", "2024-09-19"),
    ("Date, month, year: 1 1/05/2021", "2021-05-11"),
])
def test_look_alike_digits_and_broken_words_in_dates(text, iso):
    found = find_dates(text)
    assert found and found[0].valid and found[0].iso == iso


@pytest.mark.parametrize("text", [
    "ngày l sang s nam 2024",  # no digit in day or month and the words are not intact
    "lis/oil/soil",
    "ngày 25 i:áng 23 năm 2023",  # month 23: impossible, not guessed
])
def test_no_date_is_invented(text):
    assert not any(d.valid for d in find_dates(text))


def test_official_place_date_with_a_full_stop_for_the_comma():
    text = ("ỦY BAN NHÂN DÂN XÃ TỀ LỖ\nSố: 12/TB-UBND\nTề Lỗ. ngày 01 tháng 8 năm 2023\nTHÔNG BÁO\n"
            "Về việc tổ chức họp dân\n")
    fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)
    assert fields["date"].value == "2023-08-01" and fields["date"].valid


def _words(line: str, gap_after: int | None, line_no: int = 1) -> list[OcrWord]:
    """OcrWords of one printed line, 30 px high, 12 px apart; a 700 px gap after word `gap_after`."""
    out, left = [], 100
    for i, token in enumerate(line.split()):
        width = 20 * len(token)
        out.append(OcrWord(text=token, left=left, top=600, width=width, height=30, confidence=90.0, line=line_no))
        left += width + (700 if i == gap_after else 12)
    return out


DIPLOMA = "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG\n{line}\nSinh ngày: 12/03/2005\n"
DIPLOMA_LINE = "Cho: Nguyễn Thị Mai Vinh, ngày 20 tháng 8 năm 2005"


def test_name_is_cut_where_the_place_date_of_the_other_column_starts():
    words = _words(DIPLOMA_LINE, gap_after=3)  # "Mai" | "Vinh, ngày …" printed on the right
    fields = extract_fields(PaperType.BANG_CAP, DIPLOMA.format(line=DIPLOMA_LINE), words, today=TODAY)
    assert fields["holder_name"].value == "Nguyễn Thị Mai"


def test_name_without_a_column_gap_is_kept_whole():
    words = _words(DIPLOMA_LINE, gap_after=None)
    fields = extract_fields(PaperType.BANG_CAP, DIPLOMA.format(line=DIPLOMA_LINE), words, today=TODAY)
    assert fields["holder_name"].value == "Nguyễn Thị Mai Vinh"


def test_a_title_ending_in_a_label_with_a_word_before_it_takes_no_value_from_the_next_line():
    text = "Số / No.: 001190000123\nMẫu Họ và tên\nNGUYỄN VĂN AN"
    assert "full_name" not in extract_fields(PaperType.CCCD, text, today=TODAY)


def test_a_debris_mark_inside_a_date_value_does_not_cut_the_date_off():
    text = ("GIẤY CHỨNG SINH\nHọ và tên mẹ / Người nuôi dưỡng: NGÔ PHƯƠNG HOÀI NGA\n"
            "Đã sinh con vào lúc: 14 giờ ›hút, ngày 22 tháng 01 năm 2023\n")
    fields = extract_fields(PaperType.GIAY_CHUNG_SINH, text, today=TODAY)
    assert fields["date_of_birth"].value == "2023-01-22"


def test_the_broken_off_end_of_a_label_is_not_part_of_the_value():
    text = CARD.format(prefix="", expiry="Có giá trị đến:").replace(
        "Quốc tịch / Nationality: Việt Nam", "Quốc tịch / Ner:onality: Việt Nam")
    assert extract_fields(PaperType.CCCD, text, today=TODAY)["nationality"].value == "Việt Nam"
    # a colon inside a word is a misread letter, not a label's end: the value keeps it
    text = "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\n2. Địa chỉ trụ sở hộ kinh doanh: ï:ôn Thượng, Xã Phú Thượng"
    assert extract_fields(PaperType.DANG_KY_KINH_DOANH, text, today=TODAY)["address"].value.startswith("ï:ôn")


BIRTH = """GIẤY KHAI SINH
Họ, chữ đệm, tên: BÙI THỊ LOAN
Ngày, tháng, năm sinh: 01/03/2023
Họ, chữ đệm, tên người {mother}: BÙI BÍCH CHI
Năm sinh: 1989
Họ, chữ đệm, tên người cha: BÙI ĐÌNH THỊNH
"""


@pytest.mark.parametrize("mother", ["mẹ", "re", "mé"])
def test_a_long_label_whose_last_word_is_one_letter_off_is_still_that_label(mother):
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, BIRTH.format(mother=mother), today=TODAY)
    assert fields["mother_name"].value == "Bùi Bích Chi"
    assert fields["full_name"].value == "Bùi Thị Loan" and fields["father_name"].value == "Bùi Đình Thịnh"


def test_a_label_end_far_from_every_longer_label_is_the_one_not_found_elsewhere():
    # "xy" is two letters off "mẹ" and "cha"; the father's label stands on its own line, so this is the mother's
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, BIRTH.format(mother="xy"), today=TODAY)
    assert fields["mother_name"].value == "Bùi Bích Chi"
    assert fields["full_name"].value == "Bùi Thị Loan"
    # a qualifier of another shape ("người đi xy" has three words) is not taken for the mother's
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, BIRTH.format(mother="đi xy"), today=TODAY)
    assert "mother_name" not in fields
    assert fields["full_name"].value == "Bùi Thị Loan"

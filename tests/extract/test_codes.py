import pytest

from pipeline.extract.codes import parse_doc_number, read_business_code, read_doc_number


@pytest.mark.parametrize(("text", "value"), [
    ("Mã số doanh nghiệp: 2500123456", "2500123456"),
    ("Mã số: 0101234567-001", "0101234567-001"),
    ("Mã số: 25 0012 3456", "2500123456"),
    ("Mã số: 25OO123456", "2500123456"),
])
def test_business_codes(text, value):
    reading = read_business_code(text)
    assert reading is not None and reading.valid and reading.value == value


def test_business_code_wrong_length():
    assert read_business_code("Mã số: 25001234") is None
    assert read_business_code("Mã số: 250012345678") is None


@pytest.mark.parametrize(("text", "value"), [
    ("Số: 123/QĐ-UBND", "123/QĐ-UBND"),
    ("Số: 3722/VPCP-CN Hà Nội, ngày 28 tháng 4 năm 2026", "3722/VPCP-CN"),
    ("Số: 21/2026/TT-BCT", "21/2026/TT-BCT"),
    ("Số: 729 /QĐ-TTg", "729/QĐ-TTg"),
    ("Số: 45/QÐ- UBND", "45/QĐ-UBND"),  # Icelandic Ð and a space after the hyphen (OCR)
    ("So: 115/NQ-CP", "115/NQ-CP"),
])
def test_document_numbers(text, value):
    reading = read_doc_number(text)
    assert reading is not None and reading.valid and reading.value == value


def test_blank_and_unreadable_document_numbers():
    blank = read_doc_number("Số:      /KH-UBND")
    assert blank is not None and not blank.valid and blank.value == "/KH-UBND" and "blank" in blank.reason
    scrawl = read_doc_number("Số: †ox /QĐ-TTg")
    assert scrawl is not None and not scrawl.valid and scrawl.symbol == "QĐ-TTg"


def test_a_reference_in_the_body_is_not_a_header_number():
    assert read_doc_number("Căn cứ Nghị định 39/2022/NĐ-CP") is None
    assert parse_doc_number("1234/2024/QĐ-UBND").value == "1234/2024/QĐ-UBND"

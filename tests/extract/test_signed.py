"""Names written under a signature complete or stand in for the labelled ones (pipeline/extract/signed.py)."""

from __future__ import annotations

import pytest

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, Field, OcrPage, OcrWord
from pipeline.extract import extract_document
from pipeline.extract.run import with_signed_names
from pipeline.extract.signed import completes, mends, signed_names

HEIGHT = 40


def _row(top: int, *cells: tuple[int, str], line: int = 0) -> list[OcrWord]:
    """Words of one row: each cell (left, text) split into words 15 px apart, 22 px a letter."""
    words = []
    for left, text in cells:
        x = left
        for part in text.split():
            width = 22 * len(part)
            words.append(OcrWord(part, x, top, width, HEIGHT, 95.0, line))
            x += width + 15
    return words


def _marriage_bottom() -> list[OcrWord]:
    return [
        *_row(100, (100, "Thông tin người chồng"), line=1),  # "chồng" inside a heading line: not the signer's
        *_row(200, (100, "Họ, chữ đệm, tên: BÙI QUANG"), line=2),
        *_row(1800, (300, "Chồng"), (1500, "Vợ"), line=3),
        *_row(1900, (280, "VW"), (1480, "MA 2"), line=4),  # the signatures, read as letters
        *_row(2000, (220, "Bùi Quang Phúc"), (1400, "Trịnh Thị Oanh"), line=5),
    ]


def test_the_names_under_the_two_signatures_are_read_per_column() -> None:
    found = signed_names(PaperType.GIAY_CHUNG_NHAN_KET_HON, _marriage_bottom())
    assert found == {"husband_name": "Bùi Quang Phúc", "wife_name": "Trịnh Thị Oanh"}


def test_a_signature_read_as_word_shaped_letters_is_passed_over() -> None:
    words = [*_row(1800, (300, "BÊN ỦY QUYỀN"), (1500, "BÊN NHẬN ỦY QUYỀN"), line=1),
             *_row(1900, (1480, "VÀVÀ ax,"), line=2),  # the signature: name-shaped once mended, not Vietnamese
             *_row(2000, (220, "Võ Thị Vân"), (1400, "Đặng Công Thắng"), line=3)]
    assert signed_names(PaperType.GIAY_UY_QUYEN, words) == {"grantor_name": "Võ Thị Vân",
                                                           "grantee_name": "Đặng Công Thắng"}


def test_a_heading_word_inside_a_sentence_is_not_a_signature_heading() -> None:
    words = _row(100, (100, "Thông tin người chồng"), line=1) + _row(200, (100, "Nguyễn Văn An"), line=2)
    assert signed_names(PaperType.GIAY_CHUNG_NHAN_KET_HON, words) == {}


def test_papers_without_signed_names_and_pages_without_words_give_nothing() -> None:
    assert signed_names(PaperType.CCCD, _marriage_bottom()) == {}
    assert signed_names(PaperType.GIAY_CHUNG_NHAN_KET_HON, []) == {}


@pytest.mark.parametrize(("read", "signed", "expected"), [
    ("Bùi Quang", "Bùi Quang Phúc", True),
    ("Lương Hùng", "Lương Quốc Hùng", True),
    ("Bùi Quang Phúc", "Bùi Quang Phúc", False),  # nothing to add
    ("Bùi Quang Phúc", "Bùi Quang", False),
    ("Lê Văn Tám", "Lê Thị Hoa Tám", False),  # "Văn" is not in it: another person
])
def test_completes(read: str, signed: str, expected: bool) -> None:
    assert completes(read, signed) is expected


@pytest.mark.parametrize(("read", "signed", "expected"), [
    ("Đặng Công Thng", "Đặng Công Thắng", True),  # "Thng" cannot be Vietnamese
    ("Đặng Công Thanh", "Đặng Công Thắng", False),  # a Vietnamese word: another reading, left alone
    ("Đặng Thng", "Đặng Công Thắng", False),  # word counts differ
    ("Đặng Công Thắng", "Đặng Công Thắng", False),
])
def test_mends(read: str, signed: str, expected: bool) -> None:
    assert mends(read, signed) is expected


def test_signed_names_fill_in_missing_invalid_and_cut_names_only() -> None:
    fields = {"husband_name": Field("Bùi Quang", 0.9, True, ""),
              "wife_name": Field("Trịnh Thị Oanh", 0.9, True, ""),
              "grantee_name": Field("Ng0 V!n", 0.2, False, "non-letter characters")}
    signed = {"husband_name": "Bùi Quang Phúc", "wife_name": "Trịnh Thị Loan", "grantee_name": "Ngô Văn Quân",
              "grantor_name": "Lê Ngọc Nghĩa"}
    out = with_signed_names(fields, signed, None)
    assert out["husband_name"].value == "Bùi Quang Phúc" and "completed" in out["husband_name"].reason
    assert out["wife_name"].value == "Trịnh Thị Oanh"  # a different valid reading is left alone
    assert out["grantee_name"].value == "Ngô Văn Quân" and out["grantee_name"].valid
    assert out["grantor_name"].value == "Lê Ngọc Nghĩa" and out["grantor_name"].confidence <= 0.8


def test_extract_document_completes_a_name_cut_by_the_ocr() -> None:
    words = _marriage_bottom()
    text = "GIẤY CHỨNG NHẬN KẾT HÔN\nThông tin người chồng\nHọ, chữ đệm, tên: BÙI QUANG\nChồng\nVW\nBùi Quang Phúc"
    page = OcrPage(index=1, text=text, words=words, mean_confidence=95.0)
    component = Component(type=PaperType.GIAY_CHUNG_NHAN_KET_HON, pages=[1], confidence=1.0, needs_review=False,
                          text=text)
    fields = extract_document(component, [page]).fields
    assert fields["husband_name"].value == "Bùi Quang Phúc"

import pytest

from pipeline.extract.names import normalize_name, title_case


@pytest.mark.parametrize(("raw", "value"), [
    ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
    ("nguyễn thị ánh", "Nguyễn Thị Ánh"),
    ("  TRẦN   THỊ   THUỲ  LINH ", "Trần Thị Thuỳ Linh"),
    ("Ông NGUYỄN VĂN AN", "Nguyễn Văn An"),
    ("Bà: LÊ THỊ HOA", "Lê Thị Hoa"),
    ("Ông (Bà) TRỊNH KHÁNH HUYỀN", "Trịnh Khánh Huyền"),
    ("ĐẶNG ĐÌNH ĐỨC", "Đặng Đình Đức"),
    ("NGUYEN VAN AN", "Nguyen Van An"),  # diacritics lost by OCR: still a name
])
def test_good_names_in_title_case_nfc(raw, value):
    reading = normalize_name(raw)
    assert reading.valid and reading.value == value


def test_decomposed_input_comes_out_nfc():
    import unicodedata

    reading = normalize_name(unicodedata.normalize("NFD", "NGUYỄN VĂN AN"))
    assert reading.value == unicodedata.normalize("NFC", "Nguyễn Văn An")
    assert title_case("HOÀNG") == "Hoàng"


def test_common_family_name_raises_confidence():
    assert normalize_name("Nguyễn Văn An").confidence > normalize_name("Xyz Văn An").confidence


@pytest.mark.parametrize("raw", ["An", "Nguyễn Văn An Bình Minh Tú Hoa", "Nguyễn V4n An", "Nguyễn Văn An (con)",
                                 "12/03/1990", ""])
def test_implausible_names_rejected(raw):
    reading = normalize_name(raw)
    assert not reading.valid and reading.reason


def test_reason_never_holds_the_full_name():
    reading = normalize_name("Nguyễn V4n An")
    assert "Nguyễn" not in reading.reason and "An" not in reading.reason.split()

import pytest

from pipeline.extract.land import read_area, read_register_number, read_serial, read_small_number


@pytest.mark.parametrize(("text", "value"), [
    ("126,5 m²", "126.5"), ("126.5m2", "126.5"), ("126 m2", "126"), ("1.250,5 m²", "1250.5"),
    ("1.250 m²", "1250"), ("Diện tích: 80,00 m²", "80"), ("0,5 m2", "0.5"), ("300m²", "300"),
])
def test_areas_in_square_metres(text, value):
    reading = read_area(text)
    assert reading is not None and reading.valid and reading.value == value


def test_broken_areas():
    assert not read_area("0 m²").valid
    assert not read_area("99.999.999 m²").valid
    assert read_area("không ghi") is None


def test_parcel_and_map_sheet_numbers():
    assert read_small_number(": 123   Tờ bản đồ số: 45").value == "123"
    assert read_small_number("Tờ bản đồ số: O45").value == "45"  # leading O read for 0
    assert not read_small_number("12345678").valid
    assert read_small_number("không") is None


@pytest.mark.parametrize(("text", "value"), [("CN 719597", "CN 719597"), ("Số seri: BA719597", "BA 719597"),
                                             ("DĐ 7I9597", "DĐ 719597")])
def test_serials(text, value):
    assert read_serial(text).value == value


def test_serial_needs_six_digits_and_two_capitals():
    assert read_serial("CN 71959") is None
    assert read_serial("cn 719597") is None


def test_register_numbers():
    assert read_register_number("CS 01234").value == "CS 01234"
    assert read_register_number("CH01234").value == "CH 01234"
    assert read_register_number("00123").value == "00123"

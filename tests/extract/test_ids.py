import pytest

from pipeline.extract.ids import find_id_numbers, read_id_number


def test_plain_and_spaced_numbers():
    assert read_id_number("Số / No.: 001090012345").value == "001090012345"
    assert read_id_number("CCCD số 001 090 012 345 cấp ngày").value == "001090012345"
    assert read_id_number("Số: 001.090.012.345").value == "001090012345"


def test_ocr_letter_confusions_are_repaired():
    reading = read_id_number("Số: 0O1O9OO12345")
    assert reading.value == "001090012345" and reading.valid and reading.ocr_fixed
    assert read_id_number("Số: 026l92004567").value == "026192004567"


@pytest.mark.parametrize(("text", "why"), [
    ("Số: 00109001234", "11 digits"),
    ("Số: 1234567890123", "13 digits"),
    ("Số: 003090012345", "unknown province code 003"),
    ("Số: 001899012345", "future"),  # 2300s
])
def test_broken_numbers_carry_a_reason(text, why):
    reading = read_id_number(text)
    assert reading is not None and not reading.valid and why in reading.reason


def test_valid_number_preferred_over_broken_one():
    reading = read_id_number("Số cũ: 003090012345, số mới: 001090012345")
    assert reading.value == "001090012345" and reading.valid


def test_words_and_dates_are_not_numbers():
    assert find_id_numbers("Nguyễn Văn An sinh 12/03/1990, điện thoại") == []
    assert read_id_number("không có") is None


def test_reasons_are_masked():
    for reading in find_id_numbers("003090012345 001899012345 999123456789"):
        assert reading.value not in reading.reason
        assert "*******" in reading.reason


def test_one_extra_digit_dropped_only_when_unambiguous():
    repaired = read_id_number("Số: 1040176374257")  # a box edge read as a leading 1
    assert repaired.value == "040176374257" and repaired.valid and repaired.ocr_fixed
    ambiguous = read_id_number("Số: 0012234056413")  # dropping either of two digits gives a valid number
    assert not ambiguous.valid and "13 digits" in ambiguous.reason


def test_a_digit_read_twice_is_undoubled_when_that_is_the_one_valid_way():
    # dropping the first "3" gives a valid 001... as well; undoubling the leading "00" is the only doubled way
    repaired = read_id_number("Số: 0031085851336")
    assert repaired.value == "031085851336" and repaired.valid and repaired.ocr_fixed


def test_a_stray_mark_after_a_whole_number_is_not_part_of_it():
    # a dev photocopy read "CCCD số 092086655011 1": joined, 13 digits, and two ways to drop one are valid
    reading = read_id_number("Giấy tờ tùy thân: CCCD số 092086655011 1")
    assert reading.value == "092086655011" and reading.valid
    assert read_id_number("CCCD số l 040182003910").value == "040182003910"
    # groups that only make a number together stay one number
    assert read_id_number("CCCD số 001 090 012 345 cấp ngày").value == "001090012345"
    # a 12-digit group that cannot be an ID number is no better than the joined reading
    assert not read_id_number("Số: 003090012345 1").valid

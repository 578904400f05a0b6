"""extract.places: the province that ends an address and the unit words that open its parts are mended;
nothing else is guessed."""

from __future__ import annotations

import pytest

from pipeline.extract.places import PROVINCES, mend_address, mend_place_tail


@pytest.mark.parametrize("read, mended", [
    # the province misspelled, and the label beside it ("Có giá trị đến") run into the value
    ("Xóm Thượng, Xã Cẩm Lĩnh, Huyện Ba Vì, Tnành phố Hà Nội trị den",
     "Xóm Thượng, Xã Cẩm Lĩnh, Huyện Ba Vì, Thành phố Hà Nội"),
    ("Thôn Đông, Xã Phú Thượng, Huyện Phú Vang, Tình Thừa Thiên Huế",
     "Thôn Đông, Xã Phú Thượng, Huyện Phú Vang, Tỉnh Thừa Thiên Huế"),
    ("Số 12 đường Lê Lợi, Quận Hải Châu, Thành: pi:ố Đà Nẵng 07/02/2038",
     "Số 12 đường Lê Lợi, Quận Hải Châu, Thành phố Đà Nẵng"),
    # a lost comma before the province, and a part's unit word without its marks
    ("Phương Điện Biên, Thành phố Thanh Hóa Tình Thanh Hóa",
     "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa"),
    ("Xóm Phú Thọ, Xá Tề Lỗ, Huyện Yên Lạc, Tỉnh Vĩnh Phúc", "Xóm Phú Thọ, Xã Tề Lỗ, Huyện Yên Lạc, Tỉnh Vĩnh Phúc"),
    ("Phường Lộc Hạ, Thành pho Nam Định, Tỉnh Nam Định", "Phường Lộc Hạ, Thành phố Nam Định, Tỉnh Nam Định"),
    # the English gloss of the card's label before the value, a stray mark after it
    ("of residence: Số 8 đường Ngô Quyền, Phường Lộc Hạ, Thành phố Nam Định, Tỉnh Nam Định",
     "Số 8 đường Ngô Quyền, Phường Lộc Hạ, Thành phố Nam Định, Tỉnh Nam Định"),
    ("Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh .", "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh"),
])
def test_mends_the_province_and_unit_words(read, mended):
    address = mend_address(read)
    assert address.value == mended and address.mended


@pytest.mark.parametrize("read", [
    "Số 61 đường Ngô Quyền, Phường Thuận Thành, Thành phố Huế, Tỉnh Thừa Thiên Huế",
    "Ấp 3, Xã Tân Phú, Huyện Đức Hòa, Tỉnh Long An",
    "Tổ dân phố 5, Phường Phương Liệt, Quận Thanh Xuân, Thành phố Hà Nội",
    "Xã Hòa Tiến, Huyện Hòa Vang, Thành phố Đà Nẵng",
])
def test_a_right_address_is_left_as_it_is(read):
    assert mend_address(read).value == read and not mend_address(read).mended


def test_unit_words_printed_in_lower_case_stay_so():
    # inside a hospital's name the units are written in lower case; only the marks are mended
    assert mend_address("Bệnh viện Đa khoa huyện Ba Vì, thành pho Hà Nội").value == \
        "Bệnh viện Đa khoa huyện Ba Vì, thành phố Hà Nội"
    assert mend_address("Trạm Y tế, phương Trung Hòa, Quận Cầu Giấy, Thành phố Hà Nội").value == \
        "Trạm Y tế, phường Trung Hòa, Quận Cầu Giấy, Thành phố Hà Nội"


def test_a_city_inside_a_province_is_not_taken_for_the_province():
    # "Thành phố Thanh Hóa" is a city of Tỉnh Thanh Hóa: with the province lost, nothing is added or cut
    read = "Phường Điện Biên, Thành phố Thanh Hóa"
    assert mend_address(read).value == read


def test_a_ward_name_after_a_misplaced_comma_is_not_made_a_unit_word():
    # "Phường, Quan Hoa": the comma belongs after the ward's name; "Quan Hoa" is not "Quận Hoa"
    assert "Quan Hoa" in mend_address("Phường, Quan Hoa, Quận Cầu Giấy, Thành phố Hà Nội").value


def test_provinces_cover_the_id_number_table_and_the_cities():
    assert len(PROVINCES) == 63
    assert {"Thành phố Hồ Chí Minh", "Thành phố Cần Thơ", "Tỉnh Bà Rịa - Vũng Tàu", "Tỉnh Thừa Thiên Huế"} <= set(PROVINCES)


def test_a_misread_letter_between_two_provinces_is_left_as_read():
    # "Quảng Ninh" and "Quảng Bình" differ by one letter; "Quảng Rinh" is as close to both
    read = "Xã Hải Tiến, Huyện Hải Hà, Tỉnh Quảng Rinh"
    assert mend_address(read).value == read
    assert mend_address("Xã Hải Tiến, Huyện Hải Hà, Tỉnh Quảng Ninh").value.endswith("Tỉnh Quảng Ninh")


@pytest.mark.parametrize("read, mended", [
    ("Trung tâm Y tế quận 1, Thành phố Hồ Chí Mini", "Trung tâm Y tế quận 1, Thành phố Hồ Chí Minh"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH rHỪA THIÊN HUẾ cấp", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THỪA THIÊN HUẾ"),
    ("Bệnh viện Đa khoa tỉnh Nghệ Ar", "Bệnh viện Đa khoa tỉnh Nghệ An"),
])
def test_a_facility_name_gets_its_province_mended_in_the_case_it_was_printed(read, mended):
    assert mend_place_tail(read).value == mended and mend_place_tail(read).mended


@pytest.mark.parametrize("read", [
    "Bệnh viện Phụ sản Trung ương",  # no province: nothing to mend
    "Trung tầm Y tế huyện Lập Thạch, Tỉnh Vĩnh Phúc",  # only the province is mended, nothing before it
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO PHỐ HÀ NỘI",  # "TẠO PHỐ HÀ NỘI" is not close enough to "THÀNH PHỐ HÀ NỘI"
])
def test_a_facility_name_is_otherwise_left_as_read(read):
    assert mend_place_tail(read).value == read

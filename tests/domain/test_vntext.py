import unicodedata

from pipeline.domain.vntext import fold, fold_tone_placement, strip_diacritics


def test_tone_placement_is_folded_to_one_convention():
    assert fold_tone_placement("CỘNG HOÀ") == "CỘNG HÒA"
    assert fold_tone_placement("thuỷ lợi, hoè, khoẻ") == "thủy lợi, hòe, khỏe"
    # closed syllables and qu- keep their tone where both conventions agree
    assert fold_tone_placement("hoàng quý thuyền") == "hoàng quý thuyền"


def test_fold_is_nfc_and_case_and_space_insensitive():
    decomposed = unicodedata.normalize("NFD", "Cộng  Hoà\nXã hội")
    assert fold(decomposed) == "cộng hòa xã hội"
    assert unicodedata.is_normalized("NFC", fold(decomposed))


def test_strip_diacritics():
    assert strip_diacritics("Họ và tên: Đặng Thị Ánh") == "Ho va ten: Dang Thi Anh"

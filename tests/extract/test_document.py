"""extract_document: joins a component's pages, lends OCR word confidences, cross-checks related fields,
and never lets a full ID number or name into a reason."""

from __future__ import annotations

import re
from datetime import date

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, OcrPage, OcrWord
from pipeline.extract import cross_check, extract_document, extract_fields

TODAY = date(2026, 11, 28)
FRONT = """CĂN CƯỚC CÔNG DÂN
Số / No.: {id}
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: {dob}
Giới tính / Sex: {sex}   Quốc tịch / Nationality: Việt Nam
Có giá trị đến: 12/03/2030"""
BACK = "Đặc điểm nhân dạng / Personal identification:\nNốt ruồi\nNgày, tháng, năm / Date, month, year: {issued}"


def _words(text: str, confidence: float) -> list[OcrWord]:
    return [OcrWord(w, 0, 0, 10, 10, confidence, i) for i, line in enumerate(text.split("\n")) for w in line.split()]


def _card(id_="001090012345", dob="12/03/1990", sex="Nam", issued="10/08/2021", conf=95.0):
    front = FRONT.format(id=id_, dob=dob, sex=sex)
    back = BACK.format(issued=issued)
    pages = [OcrPage(3, front, _words(front, conf), conf), OcrPage(4, back, _words(back, conf), conf),
             OcrPage(5, "TỜ KHAI\nHọ và tên: LÊ VĂN BA", [], 90.0)]
    return Component(PaperType.CCCD, [3, 4], 0.97, False), pages


def test_front_and_back_joined_and_consistent():
    component, pages = _card()
    doc = extract_document(component, pages, today=TODAY)
    assert doc.component is component
    values = {k: f.value for k, f in doc.fields.items()}
    assert values == {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "date_of_birth": "1990-03-12",
                      "sex": "nam", "nationality": "Việt Nam", "valid_until": "2030-03-12",
                      "issued_on": "2021-08-10"}
    assert all(f.valid for f in doc.fields.values())


def test_low_ocr_confidence_lowers_field_confidence():
    sure = extract_document(*_card(conf=96.0), today=TODAY).fields
    unsure = extract_document(*_card(conf=40.0), today=TODAY).fields
    assert unsure["id_number"].confidence < sure["id_number"].confidence
    assert unsure["full_name"].confidence < sure["full_name"].confidence


def test_dates_lend_the_confidence_of_the_words_they_were_read_from():
    # The value is reformatted (ISO), so its words are found through the printed text: here only the
    # day is unsure, which must show in the date of birth and nowhere else.
    component, pages = _card(dob="12/03/1990")
    words = [OcrWord(w.text, 0, 0, 10, 10, 30.0 if w.text == "12/03/1990" else 95.0, w.line) for w in pages[0].words]
    unsure = [OcrPage(3, pages[0].text, words, 90.0), *pages[1:]]
    sure = extract_document(component, pages, today=TODAY).fields
    doubted = extract_document(component, unsure, today=TODAY).fields
    assert doubted["date_of_birth"].value == sure["date_of_birth"].value == "1990-03-12"
    assert doubted["date_of_birth"].confidence < sure["date_of_birth"].confidence - 0.2
    assert doubted["valid_until"].confidence == sure["valid_until"].confidence


def test_a_value_split_over_several_ocr_words_lends_their_confidence():
    # "445" and "/NQ-CP" are two OCR words; the number "445/NQ-CP" is none of them.
    text = "CHÍNH PHỦ\nSố: 445 /NQ-CP\nHà Nội, ngày 03 tháng 4 năm 2026\nNGHỊ QUYẾT\nVề việc thành lập"
    def page(number_confidence):
        words = [OcrWord(w, 0, 0, 10, 10, number_confidence if w in {"445", "/NQ-CP"} else 95.0, i)
                 for i, line in enumerate(text.split("\n")) for w in line.split()]
        return [OcrPage(1, text, words, 90.0)]
    component = Component(PaperType.VAN_BAN_HANH_CHINH, [1], 0.9, False)
    sure = extract_document(component, page(95.0), today=TODAY).fields["number"]
    unsure = extract_document(component, page(35.0), today=TODAY).fields["number"]
    assert sure.value == unsure.value == "445/NQ-CP"
    assert unsure.confidence < sure.confidence - 0.2


def test_birth_year_mismatch_invalidates_id_and_birth_date():
    component, pages = _card(dob="12/03/1991")
    # without its expiry (the 40th birthday of 1990 would settle the year) the card cannot tell which is misread
    front = pages[0].text.replace("Có giá trị đến: 12/03/2030", "")
    pages[0] = OcrPage(3, front, _words(front, 95.0), 95.0)
    doc = extract_document(component, pages, today=TODAY)
    assert not doc.fields["id_number"].valid and not doc.fields["date_of_birth"].valid
    assert "birth year 1991" in doc.fields["id_number"].reason
    assert doc.fields["sex"].valid


def test_sex_mismatch_invalidates_id_and_sex():
    doc = extract_document(*_card(sex="Nữ"), today=TODAY)
    assert not doc.fields["id_number"].valid and not doc.fields["sex"].valid
    assert "sex" in doc.fields["id_number"].reason
    assert doc.fields["date_of_birth"].valid


def test_expiry_before_issue_is_invalid():
    doc = extract_document(*_card(issued="10/08/2031"), today=date(2032, 1, 1))
    assert not doc.fields["valid_until"].valid and "issued_on" in doc.fields["valid_until"].reason


def test_marriage_certificate_ids_checked_against_each_spouse():
    text = ("GIẤY CHỨNG NHẬN KẾT HÔN\nThông tin người chồng\nHọ, chữ đệm, tên: NGUYỄN VĂN AN\n"
            "Ngày, tháng, năm sinh: 12/03/1990\nGiấy tờ tùy thân: CCCD số 001190012345\n"
            "Thông tin người vợ\nHọ, chữ đệm, tên: TRẦN THỊ BÌNH\nNgày, tháng, năm sinh: 05/11/1992\n"
            "Giấy tờ tùy thân: CCCD số 026192004567")
    fields = cross_check(PaperType.GIAY_CHUNG_NHAN_KET_HON, extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text))
    assert not fields["husband_id_number"].valid  # digit 1 = a woman born in the 1900s
    assert fields["wife_id_number"].valid


def test_invalid_structure_is_not_cross_checked_again():
    doc = extract_document(*_card(id_="003090012345"), today=TODAY)
    assert not doc.fields["id_number"].valid and "unknown province" in doc.fields["id_number"].reason
    assert doc.fields["date_of_birth"].valid


_FULL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


def test_no_full_id_number_or_name_in_any_reason():
    cases = [_card(dob="12/03/1991"), _card(sex="Nữ"), _card(id_="003090012345"), _card(id_="001899012345"),
             _card(id_="00109001234")]
    for component, pages in cases:
        for field in extract_document(component, pages, today=TODAY).fields.values():
            assert not _FULL_ID.search(field.reason), field.reason
            assert "Nguyễn Văn An" not in field.reason and "NGUYỄN" not in field.reason


def test_falls_back_to_component_text_without_pages():
    component = Component(PaperType.CCCD, [1], 0.9, False, text=FRONT.format(id="001090012345", dob="12/03/1990",
                                                                            sex="Nam"))
    doc = extract_document(component, [], today=TODAY)
    assert doc.fields["id_number"].value == "001090012345"


def test_marital_status_holder_is_read_from_the_request_sentence_when_the_label_is_lost():
    # "Họ, chữ đệm, tên:" lost its "tên:" on a photocopy; the opening sentence names the holder too
    text = ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nUỶ BAN NHÂN DÂN QUẬN NINH KIỀU xét đề nghị của ông/bà Phạm\n"
            "Thanh Giang về việc cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây,\n"
            "XÁC NHẬN:\nHọ, chữ đệm, PHẠM THANH GIANG\nNgày, tháng, năm sinh: 30/05/1988")
    fields = extract_fields(PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, text)
    assert fields["full_name"].value == "Phạm Thanh Giang" and fields["full_name"].valid
    # a name read under its label is kept as it is
    labelled = text.replace("Họ, chữ đệm, PHẠM", "Họ, chữ đệm, tên: PHẠM").replace("Phạm\nThanh", "Lê\nThanh")
    assert extract_fields(PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, labelled)["full_name"].value == "Phạm Thanh Giang"


def _marital_status_paper(id_number: str) -> Component:
    text = ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nXÁC NHẬN:\nHọ, chữ đệm, tên: TRẦN THỊ BÌNH\n"
            "Ngày, tháng, năm sinh: 03/03/1989\nGiới tính: Nữ   Dân tộc: Kinh   Quốc tịch: Việt Nam\n"
            f"Giấy tờ tùy thân: Căn cước công dân số {id_number}\n"
            "Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai")
    return Component(type=PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, pages=[1], confidence=0.9, needs_review=False,
                     text=text)


def test_a_marital_status_papers_id_number_is_checked_against_its_birth_date_and_sex():
    # 046 1 89 450099: a woman born in the 1900s (century/sex digit 1) in 1989
    good = extract_document(_marital_status_paper("046189450099"), [], today=TODAY).fields
    assert (good["date_of_birth"].value, good["sex"].value) == ("1989-03-03", "nu")
    assert good["id_number"].value == "046189450099" and good["id_number"].valid
    # a photocopy's 8 read as 5: a valid number, of someone born in 1959, which the paper contradicts
    bad = extract_document(_marital_status_paper("046159450099"), [], today=TODAY).fields
    assert not bad["id_number"].valid and "birth year 1989" in bad["id_number"].reason
    assert "046159450099" not in bad["id_number"].reason  # masked
    assert not bad["date_of_birth"].valid  # either may be the misread one: both go to review
    # a man's number (century/sex digit 0) on a paper that says Nữ
    male = extract_document(_marital_status_paper("046089450099"), [], today=TODAY).fields
    assert not male["id_number"].valid and "sex" in male["id_number"].reason


def test_a_power_of_attorneys_grantor_number_is_checked_against_the_grantors_birth_date():
    text = ("GIẤY ỦY QUYỀN\nI. BÊN ỦY QUYỀN:\nHọ và tên: NGUYỄN VĂN AN\nNgày sinh: 15/03/1990\n"
            "Căn cước công dân số: 001060012345   Ngày cấp: 10/08/2021\nII. BÊN NHẬN ỦY QUYỀN:\n"
            "Họ và tên: TRẦN THỊ BÌNH\nNgày sinh: 05/11/1992\nCăn cước công dân số: 026192004567")
    component = Component(type=PaperType.GIAY_UY_QUYEN, pages=[1], confidence=0.9, needs_review=False, text=text)
    fields = extract_document(component, [], today=TODAY).fields
    assert fields["grantor_date_of_birth"].value == "1990-03-15"  # the grantor's, not the grantee's
    assert not fields["grantor_id_number"].valid and "birth year 1990" in fields["grantor_id_number"].reason


def _birth_certificate(year_confidence: float, id_confidence: float, year: str = "1960") -> tuple[Component, list[OcrPage]]:
    text = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN VĂN AN\nNgày, tháng, năm sinh: 12/03/" + year + "\n"
            "Giới tính: Nam\nSố định danh cá nhân: 001090012345")
    words = [OcrWord(w, 0, 0, 10, 10, year_confidence if year in w else id_confidence if w.isdigit() else 95.0, i)
             for i, line in enumerate(text.split("\n")) for w in line.split()]
    return Component(PaperType.GIAY_KHAI_SINH, [1], 0.97, False), [OcrPage(1, text, words, 90.0)]


def test_a_birth_year_read_unsure_is_taken_from_a_surely_read_id_number():
    component, pages = _birth_certificate(year_confidence=0.0, id_confidence=96.0)
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["date_of_birth"].value == "1990-03-12" and fields["date_of_birth"].valid
    assert "taken from the ID number" in fields["date_of_birth"].reason
    assert "001090012345" not in fields["date_of_birth"].reason
    assert fields["id_number"].valid


def test_a_birth_year_read_surely_still_disagrees_with_the_number():
    component, pages = _birth_certificate(year_confidence=93.0, id_confidence=96.0)
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["date_of_birth"].value == "1960-03-12"
    assert not fields["date_of_birth"].valid and not fields["id_number"].valid


def test_the_clearly_surer_of_a_year_and_a_number_one_digit_apart_puts_the_other_right():
    # the number's year digits read at 80, the printed year at 96: the number takes "60"
    component, pages = _birth_certificate(year_confidence=96.0, id_confidence=80.0)
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["id_number"].value == "001060012345" and fields["id_number"].valid
    assert "gives them" in fields["id_number"].reason and "001090012345" not in fields["id_number"].reason
    assert fields["date_of_birth"].value == "1960-03-12" and fields["date_of_birth"].valid
    # the number read at 96, the year at 88 (not unsure, but clearly less sure): the year takes the number's
    component, pages = _birth_certificate(year_confidence=88.0, id_confidence=96.0)
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["date_of_birth"].value == "1990-03-12" and fields["date_of_birth"].valid
    assert fields["id_number"].value == "001090012345" and fields["id_number"].valid


def test_a_number_put_right_from_the_year_must_still_agree_with_the_papers_sex():
    component, pages = _birth_certificate(year_confidence=96.0, id_confidence=80.0)
    text = pages[0].text.replace("Giới tính: Nam", "Giới tính: Nữ")  # 001 0 ..: a man's number
    words = [w if w.text != "Nam" else OcrWord("Nữ", w.left, w.top, w.width, w.height, w.confidence, w.line)
             for w in pages[0].words]
    fields = extract_document(component, [OcrPage(1, text, words, 90.0)], today=TODAY).fields
    assert fields["id_number"].value == "001090012345" and not fields["id_number"].valid


def test_a_birth_year_that_makes_the_holder_a_centenarian_is_taken_from_the_number_one_digit_away():
    # "1910" read at 80 beside a number of 1990 read at 57: neither is sure, but the year makes the holder 116
    component, pages = _birth_certificate(year_confidence=80.0, id_confidence=57.0, year="1910")
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["date_of_birth"].value == "1990-03-12" and fields["date_of_birth"].valid
    assert "makes the holder" in fields["date_of_birth"].reason and fields["id_number"].valid
    # two digits away ("1919"), or a year that is old but not past a hundred ("1930" for 1990), stays a disagreement
    for year in ("1919", "1930"):
        component, pages = _birth_certificate(year_confidence=80.0, id_confidence=57.0, year=year)
        fields = extract_document(component, pages, today=TODAY).fields
        assert fields["date_of_birth"].value == f"{year}-03-12" and not fields["date_of_birth"].valid, year


def test_an_impossible_id_number_is_put_right_by_one_look_alike_digit_the_birth_date_vouches_for():
    fields = extract_document(*_card(id_="946090012345"), today=TODAY).fields  # no province 946
    assert fields["id_number"].value == "046090012345" and fields["id_number"].valid
    assert fields["id_number"].confidence <= 0.6
    assert "look-alike" in fields["id_number"].reason and "046090012345" not in fields["id_number"].reason


def test_an_impossible_id_number_stays_flagged_when_the_paper_cannot_tell_which_digit():
    # 003 -> 083, 093 and 008 are all provinces, all agreeing with a man born in 1990
    assert not extract_document(*_card(id_="003090012345"), today=TODAY).fields["id_number"].valid
    # no birth date read: nothing vouches for a changed digit
    component, pages = _card(id_="946090012345", dob="sinh ngày")
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["id_number"].value == "946090012345" and not fields["id_number"].valid


def test_a_card_expiry_whose_label_was_garbled_is_the_date_on_a_renewal_birthday():
    component, pages = _card()
    pages[0] = OcrPage(3, pages[0].text.replace("Có giá trị đến: ", "LrỊ dẻn:\n"), [], 95.0)
    fields = extract_document(component, pages, today=TODAY).fields
    assert fields["valid_until"].value == "2030-03-12" and fields["valid_until"].valid  # born 12/03/1990: at 40
    assert "birthday" in fields["valid_until"].reason
    # a date that is no renewal birthday (41st) is not taken for the expiry
    pages[0] = OcrPage(3, pages[0].text.replace("12/03/2030", "12/03/2031"), [], 95.0)
    assert "valid_until" not in extract_document(component, pages, today=TODAY).fields


def test_a_card_expiry_whose_day_was_lost_is_the_renewal_birthday_of_its_month_and_year():
    component, pages = _card()
    pages[0] = OcrPage(3, pages[0].text.replace("Có giá trị đến: 12/03/2030", "iá trị đến:\n`2/03/2030"), [], 95.0)
    expiry = extract_document(component, pages, today=TODAY).fields["valid_until"]
    assert (expiry.value, expiry.valid) == ("2030-03-12", True) and expiry.confidence < 0.7
    # a month that is not the birthday's says nothing
    pages[0] = OcrPage(3, pages[0].text.replace("`2/03/2030", "`2/04/2030"), [], 95.0)
    assert "valid_until" not in extract_document(component, pages, today=TODAY).fields


def test_a_birth_year_misread_alike_in_the_date_and_the_number_is_settled_by_the_card_expiry():
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 001032953390\nHọ và tên / Full name:\nNGUYỄN MINH LONG\n"
            "Ngày sinh / Date of birth: 21/01/1932\nGiới tính / Sex: Nam\n21/01/2042\n")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    assert fields["date_of_birth"].value == "1982-01-21" and fields["id_number"].value == "001082953390"
    assert fields["valid_until"].value == "2042-01-21"
    assert all(fields[k].valid and fields[k].confidence <= 0.6 for k in ("date_of_birth", "id_number"))
    assert "renewal birthday" in fields["id_number"].reason and "001082953390" not in fields["id_number"].reason
    # an expiry that agrees (the 60th birthday of 1982) leaves everything as read
    agreeing = text.replace("1932", "1982").replace("001032953390", "001082953390")
    assert extract_fields(PaperType.CCCD, agreeing, today=TODAY)["date_of_birth"].confidence == 1.0
    # no look-alike digit makes 2041 a renewal birthday of a 1932-ish year: left as read
    odd = extract_fields(PaperType.CCCD, text.replace("21/01/2042", "21/01/2041"), today=TODAY)
    assert odd["date_of_birth"].value == "1932-01-21" and odd["id_number"].value == "001032953390"


def test_a_birth_year_and_id_number_that_disagree_are_settled_by_the_card_expiry():
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 092196969616\nHọ và tên / Full name:\nTRẦN PHƯƠNG GIANG\n"
            "Ngày sinh / Date of birth: 16/01/1998\nGiới tính / Sex: Nữ\ntrị đến:\n16/01/2036\n")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    # 2036 is the 40th birthday of 1996 (the number's year), not of 1998: the date's year was misread
    assert fields["date_of_birth"].value == "1996-01-16" and fields["id_number"].value == "092196969616"
    assert fields["date_of_birth"].valid and fields["date_of_birth"].confidence <= 0.6
    assert "renewal birthday" in fields["date_of_birth"].reason and "092196969616" not in fields["date_of_birth"].reason
    assert fields["valid_until"].value == "2036-01-16"  # found once the birth date is right
    # the other way round: the number's year digits misread, the date's year right
    swapped = extract_fields(PaperType.CCCD, text.replace("092196969616", "092198969616").replace("1998", "1996"),
                             today=TODAY)
    assert swapped["id_number"].value == "092196969616" and swapped["date_of_birth"].value == "1996-01-16"
    # no expiry to ask: both stay as read, and the disagreement is flagged
    doc = extract_document(Component(PaperType.CCCD, [1], 0.9, False),
                           [OcrPage(1, text.replace("16/01/2036", ""), [], 90.0)], today=TODAY)
    assert doc.fields["date_of_birth"].value == "1998-01-16" and not doc.fields["date_of_birth"].valid


def test_a_card_back_whose_issue_date_label_was_garbled_gives_its_one_date():
    back = ("Đặc điểm nhân dạng / Personal identification:\nNgày. :':ang, năm / Date, ¡::o:ìth, year: 12/12/2021\n"
            "CỤC TRƯỞNG CỤC CẢNH SÁT\nIDVNM0632612700<<0\nDAO<<CONG<TOAN<<<<<<<<<<<<<<<<")
    issued = extract_fields(PaperType.CCCD, back, today=TODAY)["issued_on"]
    assert (issued.value, issued.valid) == ("2021-12-12", True)  # its label still matches, speck and all
    lost = back.replace("Ngày. :':ang, năm / Date, ", "")
    issued = extract_fields(PaperType.CCCD, lost, today=TODAY)["issued_on"]
    assert (issued.value, issued.valid) == ("2021-12-12", True) and issued.confidence <= 0.6
    # a front side with its birth date lost: its one date may be an expired card's expiry, not taken
    front = "CĂN CƯỚC CÔNG DÂN\nSố / No.: 001190000123\nCó gia trị đn\n12/03/2025"
    assert "issued_on" not in extract_fields(PaperType.CCCD, front, today=TODAY)


def test_a_business_name_is_read_by_its_own_head_when_the_label_is_lost():
    text = ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\nSố: 29C8388047\n"
            "1. Tên hộ kin!: doanh: HỘ KINH DOANH CƠM BÌNH DÂN NHUNG\n"
            "5. Họ và tên đại diện hộ kinh doanh: LƯƠNG NGỌC NHUNG")
    fields = extract_fields(PaperType.DANG_KY_KINH_DOANH, text, today=TODAY)
    assert fields["business_name"].value == "HỘ KINH DOANH CƠM BÌNH DÂN NHUNG"
    assert "without its label" in fields["business_name"].reason
    # the title line names the paper, not the business: it has no colon before it
    assert "GIẤY" not in fields["business_name"].value


def test_a_business_name_head_misread_is_spelled_back():
    text = "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\n1. Tên hộ kinh doanh: HỘ KIN!! DOANH CƠM BÌNH DÂN HUYỀN"
    assert extract_fields(PaperType.DANG_KY_KINH_DOANH, text, today=TODAY)["business_name"].value == \
        "HỘ KINH DOANH CƠM BÌNH DÂN HUYỀN"
    text = "1. Tên doanh nghiệp: Công ty TNHH Minh Phát"
    assert extract_fields(PaperType.DANG_KY_KINH_DOANH, text, today=TODAY)["business_name"].value == \
        "Công ty TNHH Minh Phát"


def test_a_parents_label_that_lost_its_middle_is_still_the_parents():
    # OCR read "Họ, chữ đệm, tên người cha:" as "Họ, chữ đệm, tê:: cha:": the child's label plus "cha"
    text = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: ĐÀO ĐỨC GIA SƠN\n"
            "Họ, chữ đệm, tên người mẹ: NGUYỄN PHƯƠNG YẾN\nHọ, chữ đệm, tê:: cha: ĐÀO QUỐC NGHĨA")
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, text, today=TODAY)
    assert fields["full_name"].value == "Đào Đức Gia Sơn"
    assert fields["father_name"].value == "Đào Quốc Nghĩa"
    assert fields["mother_name"].value == "Nguyễn Phương Yến"



def test_a_parents_label_with_its_last_word_garbled_is_the_parent_not_found_elsewhere():
    # "người mẹ:" read "người rae:" (two letters off): the father's label stands on its own line, so the
    # garbled one is the mother's
    text = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: LÝ CÔNG KIÊN\nHọ, chữ đệm, tên người rae: TẠ NGỌC ANH\n"
            "Họ, chữ đệm, tên người cha: LÝ TIẾN HOÀI DƯƠNG\nHọ, chữ đệm, tên người đi khai sinh: Tạ Ngọc Anh")
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, text, today=TODAY)
    assert fields["mother_name"].value == "Tạ Ngọc Anh"
    assert fields["father_name"].value == "Lý Tiến Hoài Dương"
    assert fields["full_name"].value == "Lý Công Kiên"
    # with the father's label garbled too, nothing says which parent is which: neither is guessed
    both = text.replace("người cha:", "người cxy:")
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, both, today=TODAY)
    assert "mother_name" not in fields and "father_name" not in fields
    assert fields["full_name"].value == "Lý Công Kiên"

_ZONE = ("IDVNM0784194616048078419461<<2\n7812020M3812022VNM<<<<<<<<<<<6\n"
         "MAI<<MINH<ANH<PHUC<<<<<<<<<<<<\n")


def test_a_card_name_under_a_garbled_label_is_found_by_the_machine_zone_and_keeps_its_printed_marks():
    # the label's English half, with its colon, still labels the line below ("Full namẻ:")
    labelled = ("CĂN CƯỚC CÔNG DÂN\nSố 048078419461\nII. và tên / Full namẻ:\nMAI MINH ANH PHÚC\n"
                "Ngày sinh / Date of birth: 02/12/1978\n")
    name = extract_fields(PaperType.CCCD, labelled + _ZONE, today=TODAY)["full_name"]
    assert (name.value, name.valid, name.reason) == ("Mai Minh Anh Phúc", True, "")
    # with its colon lost too, no label takes the name: the machine zone finds it among the printed lines
    front = labelled.replace("Full namẻ:", "Full namẻ")
    name = extract_fields(PaperType.CCCD, front + _ZONE, today=TODAY)["full_name"]
    assert (name.value, name.valid) == ("Mai Minh Anh Phúc", True)
    assert "printed side" in name.reason and name.confidence < 1.0
    # nothing printed spells the zone's name: "ANH" could be Anh or Ánh, so no name is made up
    lost = front.replace("MAI MINH ANH PHÚC", "M:I M|NH")
    guessed = extract_fields(PaperType.CCCD, lost + _ZONE, today=TODAY).get("full_name")
    assert guessed is None or not guessed.valid


def test_a_place_date_line_whose_comma_was_lost_still_dates_the_paper():
    text = ("BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG\nCho: Tạ Thị Ngọc\nNgày sinh: 01/08/1975\n"
            "tiuế ngày 16 tháng 7 năm 1993\nGIÁM ĐỐC\n")
    date_field = extract_fields(PaperType.BANG_CAP, text, today=TODAY)["date"]
    assert (date_field.value, date_field.valid) == ("1993-07-16", True)
    # a wrapped line of a legal basis is no place-date line: it ends in ";"
    basis = text.replace("tiuế ngày 16 tháng 7 năm 1993", "phương ngày 22 tháng 11 năm 2019;")
    assert "date" not in extract_fields(PaperType.BANG_CAP, basis, today=TODAY)


def test_a_printed_number_and_a_zone_that_disagree_are_both_sent_to_review():
    """The zone's check digit passes a 0 read as 6 at two neighbouring places (weights 7 and 3): Tesseract
    read "…570003" as "…570663" in both of the zone's copies. The printed number, valid too, stays, flagged."""
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 079087570003\nHọ và tên / Full name:\nĐINH VĂN HẢI\n"
            "Ngày sinh / Date of birth: 09/12/1987\nGiới tính / Sex: Nam\n"
            "IDVNM0875706630679087570663<<0\n8712091M2712099VNM<<<<<<<<<<<4\nDINH<<VAN<HAI<<<<<<<<<<<<<<<<<\n")
    number = extract_fields(PaperType.CCCD, text, today=TODAY)["id_number"]
    assert number.value == "079087570003" and not number.valid
    assert "zone reads 079*******63" in number.reason and "079087570663" not in number.reason
    # the zone agreeing with the printed number vouches for it
    agreeing = text.replace("0875706630679087570663<<0", "0875700030679087570003<<0")
    assert extract_fields(PaperType.CCCD, agreeing, today=TODAY)["id_number"].valid


def test_a_printed_number_with_a_digit_too_many_is_put_right_by_the_zone():
    """The zone's copy of the number lost its province to a look-alike ("679…"), the printed one read a
    digit too many ("0790682740195"): the printed province before the zone's checked 9 digits is the number.
    An expiry misread on the printed side ("25/03/1962") does not overrule the zone's checked 2042."""
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 0790682740195\nHọ và tên / Full name:\nHỒ VĂN THẮNG\n"
            "Ngày sinh / Date of birth: 25/03/1982\nGiới tính / Sex: Nam\nCó giá trị đến: 25/03/1962\n"
            "IDVNM0827401956679082740195<<2\n8203254M4203256VNM<<<<<<<<<<<2\nHO<<VAN<THANG<<<<<<<<<<<<<<<<<\n")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    assert (fields["id_number"].value, fields["id_number"].valid) == ("079082740195", True)
    assert (fields["date_of_birth"].value, fields["valid_until"].value) == ("1982-03-25", "2042-03-25")
    # a printed province two digits from the zone's copy ("059" against "679") is not taken on trust
    other = extract_fields(PaperType.CCCD, text.replace("0790682740195", "0590682740195"), today=TODAY)["id_number"]
    assert not other.valid


def test_a_card_birth_date_whose_label_was_garbled_is_found_by_its_expiry_or_its_id_number():
    front = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 038199001234\nHọ và tên / Full name:\nNGUYỄN VĂN AN\n"
             "(e of birth: 17/07/1999\nGiới tính / Sex: Nam\nCó giá tị dẻn:\n17/07/2039\n")
    fields = extract_fields(PaperType.CCCD, front, today=TODAY)
    assert (fields["date_of_birth"].value, fields["date_of_birth"].valid) == ("1999-07-17", True)
    assert fields["valid_until"].value == "2039-07-17" and fields["date_of_birth"].confidence < 1.0
    # no expiry printed: the one date in the ID number's birth year (1999), not the issue date
    no_expiry = front.replace("Có giá tị dẻn:\n17/07/2039\n", "Date, month, year: 03/05/2022\n")
    assert extract_fields(PaperType.CCCD, no_expiry, today=TODAY)["date_of_birth"].value == "1999-07-17"
    # a number whose year fits no printed date says nothing
    other = no_expiry.replace("038199001234", "038185001234")
    assert "date_of_birth" not in extract_fields(PaperType.CCCD, other, today=TODAY)


def test_the_requesters_own_label_wins_over_the_registered_persons():
    """A birth-registration request names the requester ("… tên người yêu cầu:") and then the child
    ("Họ, chữ đệm, tên:"). An unmarked "ĐĂNG" (Đặng) made the requester's reading less sure than the
    child's, and the generic label won: the child's name filed as the requester's (a dev photocopy)."""
    text = ("TỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: Ủy ban nhân dân quận 1\n"
            "Họ, chữ đệm, tên người yêu cầu: ĐĂNG HỒNG THUỶ\nNơi cư trú: Số 72 đường Lê Duẩn\n"
            "Giấy tờ tùy thân: Căn cước công dân số 079189627650\nQuan hệ với người được khai sinh: Mẹ\n"
            "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:\nHọ, chữ đệm, tên: NGÔ THANH QUỲNH\n")
    fields = extract_fields(PaperType.TO_KHAI, text)
    assert fields["requester_name"].value == "Đặng Hồng Thuỷ"
    assert fields["requester_id_number"].value == "079189627650"


def test_a_place_date_read_in_the_future_is_the_one_look_alike_year_past():
    # a diploma dated at its foot: "2079" is 2019 with a 1 read as 7 (the only past year one look-alike away)
    text = "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG\nCho: NGUYỄN VĂN AN\nHà Nội, ngày 01 tháng 7 năm 2079\n"
    dated = extract_fields(PaperType.BANG_CAP, text, today=TODAY)["date"]
    assert (dated.value, dated.valid) == ("2019-07-01", True) and dated.confidence < 1.0
    # a future year with no single look-alike past year stays as read, and invalid
    far = extract_fields(PaperType.BANG_CAP, text.replace("2079", "2044"), today=TODAY)["date"]
    assert far.value == "2044-07-01" and not far.valid and "future" in far.reason


def test_a_date_whose_year_was_cut_short_takes_the_register_year_printed_on_the_paper():
    marriage = ("GIẤY CHỨNG NHẬN KẾT HÔN\nSố: 12\nQuyển số: 01/2017\nNgày, tháng, năm sinh: 12/10/1990\n"
                "Ngày, tháng, năm đăng ký: 07/09/20 í\n")
    registered = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, marriage, today=TODAY)["registered_on"]
    assert (registered.value, registered.valid) == ("2017-09-07", True) and registered.confidence <= 0.6
    assert "register" in registered.reason
    diploma = ("BẰNG CỬ NHÂN\nNgày sinh: 28/03/1978\nSố vào sổ cấp bằng: 5989/1996\n"
               "Thành phố Hồ Chí Minh, ngày 22 tháng 6 năm\n199\n")
    assert extract_fields(PaperType.BANG_CAP, diploma, today=TODAY)["date"].value == "1996-06-22"
    # cut digits that do not begin the register's year ("19" of a 2017 register): nothing taken
    assert "registered_on" not in extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON,
                                                 marriage.replace("07/09/20 í", "07/09/19 í"), today=TODAY)
    # no register year printed: nothing taken
    assert "registered_on" not in extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON,
                                                 marriage.replace("Quyển số: 01/2017\n", ""), today=TODAY)


def test_a_card_expiry_read_with_its_day_and_month_garbled_is_the_renewal_birthday_of_its_year():
    text = ("CĂN CƯỚC CÔNG DÂN\nSố / No.: 026079781235\nHọ và tên / Full name:\nLÊ VĂN AN\n"
            "Ngày sinh / Date of birth: 10/08/1979\nGiới tính / Sex: Nam\nCó giá trị đến:\n0/03/2039\n")
    expiry = extract_fields(PaperType.CCCD, text, today=TODAY)["valid_until"]
    assert (expiry.value, expiry.valid) == ("2039-08-10", True) and expiry.confidence <= 0.6  # the 60th birthday
    # a year that is no renewal birthday's: left as read, invalid
    odd = extract_fields(PaperType.CCCD, text.replace("2039", "2038"), today=TODAY)["valid_until"]
    assert odd.value == "0/03/2038" and not odd.valid

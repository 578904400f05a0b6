"""A two-column paper is read twice (columns rebuilt from word boxes, and the OCR's reading order) and the
reading whose fields hold together better is kept (pipeline.extract.run.extract_document)."""

import json
from pathlib import Path

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, OcrPage, OcrWord
from pipeline.extract import extract_document
from pipeline.extract.columns import rebuild_columns
from pipeline.extract.run import extract_fields
from pipeline.extract.tables import TABLES

DATA = Path(__file__).parent / "data" / "marriage_photocopy_ocr.json"


def _page() -> tuple[OcrPage, dict[str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ocr = data["ocr"]
    words = [OcrWord(text=w[0], left=w[1], top=w[2], width=w[3], height=w[4], confidence=w[5], line=w[6],
                     block=w[7]) for w in ocr["words"]]
    page = OcrPage(index=1, text=ocr["text"], words=words, mean_confidence=ocr["mean_confidence"],
                   width=ocr["width"], height=ocr["height"])
    return page, data["truth"]


def test_the_reading_that_holds_together_is_kept() -> None:
    page, truth = _page()
    marriage = PaperType.GIAY_CHUNG_NHAN_KET_HON
    # the columns rebuilt from word boxes break the wife's heading over two lines, so every line below
    # is the husband's section; the line holding both ID numbers is still split between the spouses
    # (a repeated label: the left one is the first section's, `_hit_sections`)
    rebuilt = rebuild_columns(page.words, TABLES[marriage].sections)
    assert rebuilt is not None
    from_columns = extract_fields(marriage, rebuilt, page.words)
    assert from_columns["wife_id_number"].value == truth["wife_id_number"]
    assert from_columns["husband_id_number"].value == truth["husband_id_number"]
    doc = extract_document(Component(type=marriage, pages=[1], confidence=1.0, needs_review=False,
                                     text=page.text), [page])
    for name in ("wife_name", "wife_date_of_birth", "wife_id_number", "registered_on"):
        assert doc.fields[name].value == truth[name] and doc.fields[name].valid, name
    # the husband's birth year was misread (1965 for 1985, at confidence 0): the ID number, read at 96,
    # settles it, and the field says so
    assert doc.fields["husband_id_number"].value == truth["husband_id_number"]
    assert doc.fields["husband_id_number"].valid
    assert doc.fields["husband_date_of_birth"].value == truth["husband_date_of_birth"]
    assert "taken from the ID number" in doc.fields["husband_date_of_birth"].reason


def test_two_columns_on_one_line_after_the_second_heading_go_to_both_sections() -> None:
    # Tesseract read the wife's column under the husband's, then one line of both columns
    text = ("Thông tin người chồng\nHọ, chữ đệm, tên: LÊ TIẾN NGHĨA\nThông tin người vợ\n"
            "Họ, chữ đệm, tên: LÊ MINH LOAN\n"
            "Giấy tờ tùy thân: CCCD số 048094773254 Giấy tờ tùy thân: CCCD số 031189400848\n"
            "Nơi đăng ký: Sở Tư pháp Thành phố Hải Phòng")
    fields = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text)
    assert fields["husband_id_number"].value == "048094773254"
    assert fields["wife_id_number"].value == "031189400848"
    assert fields["husband_name"].value == "Lê Tiến Nghĩa" and fields["wife_name"].value == "Lê Minh Loan"


def test_a_section_heading_that_lost_its_first_word_still_opens_its_section() -> None:
    # A photocopy's columns rebuilt from word boxes, "Thông" lost to its grain: "¡ tin người chồng" is
    # still the husband's heading, though "người chồng" no longer starts the line
    text = ("UBND THÀNH PHỐ ĐÀ NÀNG: CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ TƯ PHÁP TP ĐÀ NẴNG Độc lập - Tự do - "
            "Hạnh phúc\nSố: 103\nQuyển số: 01/2011\nGIẤY CHỨNG NHẬN KẾT HÔN\n¡ tin người chồng\n"
            "Họ, chữ đệm, tên: ĐẶNG TIẾN NAM\nNgày, tháng, năm sinh: 03/08/1988\nDân tộc: T\nQuốc tịch: Việt Nam\n"
            "Nơi cư trú: Số 61 đường Phan Đình\nPhùng, Phường Mân Thái, Quận Sơn\nTrà, Thành phố Đà Nẵng\n"
            "Giấy tờ tùy thân: CCCD số\n036088878693\nNơi đăng ký: Sở Tư pháp Thành phố Đà\n"
            "Ngày, tháng, năm đã ý: 06/11/2011\nChồng\nĐăng Tiến Nam\nThông tin người vợ\n"
            "Họ, chữ đệm, tên: PHAN THANH MAI\nÁNH\nNgày, tháng, năm sinh: 10/06/1984\nDân tộc: Kinh\n"
            "Quốc tịch: Việt Nam\nNơi cư trú: Số 61 đường Phan Đình\nPhùng, Phường Mân Thái, Quận Sơn\n"
            "Trà, Thành phố Đà Nẵng\nGiấy tờ tùy thân: CCCD số\n048184466656\nNẵng\nVợ\nPhan Thanh Mai Ánh")
    fields = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text)
    assert fields["husband_date_of_birth"].value == "1988-08-03"
    assert fields["husband_id_number"].value == "036088878693"
    assert fields["wife_date_of_birth"].value == "1984-06-10" and fields["wife_id_number"].value == "048184466656"
    # words before it that are not the heading's lost beginning: body text, no section opens there
    body = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text.replace("¡ tin người chồng", "Ý kiến của người chồng"))
    assert "husband_date_of_birth" not in body


def test_a_heading_with_debris_beside_it_still_opens_its_section() -> None:
    # a seal's edge read after the wife's heading; before, it made the line body text and the wife's
    # ID number was filed as the husband's
    text = ("GIẤY CHỨNG NHẬN KẾT HÔN\nThông tin người chồng\nHọ, chữ đệm, tên: VÕ QUỐC NAM\n"
            "Ngày, tháng, năm sinh: 21/11/1983\nGiấy tờ tùy thân: CCCD số\n58083463640\n"
            "Thông tin người vợ ĐẾN\nHọ, chữ đệm, tên: ĐẶNG NGỌC LOAN\nNgày, tháng, năm sinh: 03/08/1987\n"
            "Giấy tờ tùy thân: CCCD số\n092187871096")
    fields = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text)
    assert fields["wife_id_number"].value == "092187871096" and fields["wife_date_of_birth"].value == "1987-08-03"
    assert fields["husband_id_number"].value == "58083463640" and not fields["husband_id_number"].valid
    # words of a sentence after a heading's words: body text, as before
    body = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text.replace("người vợ ĐẾN", "người vợ đã đăng ký"))
    assert "wife_id_number" not in body
    # nor is one short lower-case word (the sentence may go on: "Vợ ký"); a mark without case is debris
    assert "wife_id_number" not in extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, text.replace("vợ ĐẾN", "vợ ký"))
    assert extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON,
                          text.replace("vợ ĐẾN", "vợ ˆ"))["wife_id_number"].value == "092187871096"


def test_an_authorisation_heading_numbered_with_a_space_or_missing_its_first_word_opens_its_section() -> None:
    text = ("GIẤY ỦY QUYỀN\nI. BỀN ỦY QUYỀN:\nHọ và tên: LƯƠNG ĐÌNH QUÂN\nNgày sinh: 19/10/1989\n"
            "Căn cước công dân số: 079089168930 Ngày cấp: 10/02/2022\n{heading}\nHọ và tên: ĐỖ KHÁNH HOÀI OANH\n"
            "Ngày sinh: 12/07/1988\nCăn cước công dân số: 040188094707 Ngày cấp: 03/11/2022")
    for heading in ("II .NHẬN ỦY QUYỀN:", "II . BÊN NHẬN ỦY QUYỀN:"):
        fields = extract_fields(PaperType.GIAY_UY_QUYEN, text.format(heading=heading))
        assert fields["grantor_date_of_birth"].value == "1989-10-19", heading
        assert fields["grantee_name"].value == "Đỗ Khánh Hoài Oanh", heading

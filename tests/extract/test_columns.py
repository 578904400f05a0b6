"""Two columns rebuilt from word boxes: each spouse's details read in their own column."""

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, OcrPage, OcrWord
from pipeline.extract import extract_document
from pipeline.extract.columns import rebuild_columns
from pipeline.extract.tables import TABLES


def _row(y: int, x: int, text: str, line: int) -> list[OcrWord]:
    words, cursor = [], x
    for word in text.split():
        words.append(OcrWord(word, cursor, y, 20 * len(word), 40, 95.0, line))
        cursor += 20 * len(word) + 20
    return words


LEFT, RIGHT = 100, 2200
WORDS = (
    _row(100, 700, "GIẤY CHỨNG NHẬN KẾT HÔN", 0)
    + _row(200, 300, "Thông tin người chồng", 1) + _row(205, 2500, "Thông tin người vợ", 2)
    + _row(300, LEFT, "Họ, chữ đệm, tên: NGUYỄN VĂN", 3) + _row(300, RIGHT, "Họ, chữ đệm, tên: TRẦN THỊ BÌNH", 3)
    + _row(350, LEFT, "AN", 4) + _row(352, RIGHT, "Ngày, tháng, năm sinh: 05/11/1992", 4)
    + _row(400, LEFT, "Ngày, tháng, năm sinh: 12/03/1990", 5) + _row(402, RIGHT, "Giấy tờ tùy thân: CCCD số", 5)
    + _row(450, LEFT, "Giấy tờ tùy thân: CCCD số", 6) + _row(452, RIGHT, "026192004567", 6)
    + _row(500, LEFT, "001090012345", 7)
    + _row(600, LEFT, "Nơi đăng ký: Ủy ban nhân dân xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội, Việt Nam", 8)

)


def test_columns_read_one_after_the_other():
    text = rebuild_columns(WORDS, TABLES[PaperType.GIAY_CHUNG_NHAN_KET_HON].sections)
    assert text is not None
    lines = text.split("\n")
    assert lines.index("Thông tin người vợ") > lines.index("001090012345")
    assert lines[-1].startswith("Nơi đăng ký")  # the full-width line after the columns stays whole


def test_no_columns_no_rebuild():
    assert rebuild_columns(_row(100, 100, "Họ và tên: NGUYỄN VĂN AN", 0),
                           TABLES[PaperType.GIAY_CHUNG_NHAN_KET_HON].sections) is None


def test_marriage_certificate_from_word_boxes():
    merged = "\n".join(" ".join(w.text for w in WORDS if w.line == n) for n in range(9))
    page = OcrPage(1, merged, list(WORDS), 95.0)
    doc = extract_document(Component(PaperType.GIAY_CHUNG_NHAN_KET_HON, [1], 0.9, False), [page])
    values = {k: f.value for k, f in doc.fields.items()}
    assert values == {"husband_name": "Nguyễn Văn An", "husband_date_of_birth": "1990-03-12",
                      "husband_id_number": "001090012345", "wife_name": "Trần Thị Bình",
                      "wife_date_of_birth": "1992-11-05", "wife_id_number": "026192004567"}
    assert all(f.valid for f in doc.fields.values())

"""Reading order of OCR words: two-column blocks are read left column first, other lines as Tesseract
read them (pipeline.ocr.text.reading_order, applied by parse_tsv)."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.domain.records import OcrWord
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.text import assemble_text, parse_tsv, reading_order

HEIGHT = 30  # word box height in these synthetic pages; inter-word space 10 px (a third of it)
CHAR = 16  # px per character


class Page:
    """Words placed like Tesseract reports them: one `line(...)` call is one Tesseract line."""

    def __init__(self) -> None:
        self.words: list[OcrWord] = []
        self.lines = 0

    def line(self, y: int, *segments: tuple[int, str], block: int = 1) -> "Page":
        """Segments (x, text) on one Tesseract line at height y, in Tesseract block `block`; words of a
        segment 10 px apart."""
        for x, text in segments:
            for word in text.split():
                self.words.append(OcrWord(text=word, left=x, top=y, width=CHAR * len(word), height=HEIGHT,
                                          confidence=90.0, line=self.lines, block=block))
                x += CHAR * len(word) + 10
        self.lines += 1
        return self

    def text(self) -> str:
        return assemble_text(reading_order(self.words))


def test_header_read_across_the_gutter_comes_out_left_column_first():
    page = (Page()
            .line(100, (100, "SỞ Y TẾ TP CẦN THƠ"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (60, "TRUNG TÂM Y TẾ HUYỆN PHONG ĐIỀN"), (1100, "Độc lập - Tự do - Hạnh phúc"))
            .line(200, (180, "Số: 8137/GCS"))
            .line(300, (60, "Họ và tên mẹ: NGUYỄN THỊ LAN, sinh năm 1990, nơi thường trú: Cần Thơ")))
    # the number line under the issuer comes after the motto, as references of real letters write it
    assert page.text() == ("SỞ Y TẾ TP CẦN THƠ\nTRUNG TÂM Y TẾ HUYỆN PHONG ĐIỀN\n"
                           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 8137/GCS\n"
                           "Họ và tên mẹ: NGUYỄN THỊ LAN, sinh năm 1990, nơi thường trú: Cần Thơ")


MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def _decree_30_header(number: str, date: str) -> Page:
    return (Page()
            .line(100, (100, "ỦY BAN NHÂN DÂN"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (80, "THÀNH PHỐ HÀ NỘI"), (1100, "Độc lập - Tự do - Hạnh phúc"))
            .line(230, (120, number), (1050, date)))


def test_number_and_date_row_comes_after_the_motto_left_then_right():
    page = _decree_30_header("Số: 123/QĐ-UBND", "Hà Nội, ngày 5 tháng 3 năm 2024")
    page.line(280, (60, "V/v cấp giấy chứng nhận")).line(400, (700, "QUYẾT ĐỊNH"))
    assert page.text() == ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n" + MOTTO + "\nSố: 123/QĐ-UBND\n"
                           "V/v cấp giấy chứng nhận\nHà Nội, ngày 5 tháng 3 năm 2024\nQUYẾT ĐỊNH")


@pytest.mark.parametrize(("number", "date"), [
    ("S6: 45/TB-UBND", "Hà Nội, ngày 5 tháng 3 năm 2024"),  # "Số" misread
    ("Sô : /KH-UBND", "Hà Nội, ngày tháng năm 2024"),  # number and day left blank for a hand
    ("So: 12/QD-UBND", "Ha Noi, ngay 05 thang 02 nam 2024"),  # every diacritic lost
    ("729/QĐ-TTg", "Hà Nội, ngày 23 tháng 4 năm 2026"),  # "Số:" lost: a number beside a place-date
])
def test_number_row_is_found_through_ocr_noise(number: str, date: str):
    page = _decree_30_header(number, date)
    assert page.text() == f"ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n{MOTTO}\n{number}\n{date}"


def test_a_place_date_printed_a_little_higher_goes_with_the_number():
    page = (Page()
            .line(100, (100, "BỘ CÔNG THƯƠNG"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (100, "CỤC HÓA CHẤT"), (1100, "Độc lập - Tự do - Hạnh phúc"))
            .line(220, (1050, "Hà Nội, ngày 28 tháng 4 năm 2026"))
            .line(240, (120, "Số: 21/2026/TT-BCT")))
    assert page.text() == ("BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\n" + MOTTO + "\nSố: 21/2026/TT-BCT\n"
                           "Hà Nội, ngày 28 tháng 4 năm 2026")


def test_a_number_without_a_date_comes_after_the_motto_and_before_lines_under_it():
    # a birth certificate: no place-date; "Mẫu số 01/GCS" printed at the right margin under the header
    page = (Page()
            .line(100, (100, "SỞ Y TẾ TỈNH VĨNH PHÚC"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (60, "TRUNG TÂM Y TẾ HUYỆN YÊN LẠC"), (1100, "Độc lập - Tự do - Hạnh phúc"))
            .line(230, (200, "Số: 8121/GCS"))
            .line(300, (1500, "Mẫu số 01/GCS")))
    assert page.text() == ("SỞ Y TẾ TỈNH VĨNH PHÚC\nTRUNG TÂM Y TẾ HUYỆN YÊN LẠC\n" + MOTTO +
                           "\nSố: 8121/GCS\nMẫu số 01/GCS")


def test_rows_that_are_not_a_number_row_keep_the_columns():
    # a number line on the motto's row (not a place-date beside it) and a phone number under a
    # signer stay in their columns
    page = (Page()
            .line(100, (100, "UBND HUYỆN"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (100, "Số: 12/UBND"), (1100, "Độc lập - Tự do - Hạnh phúc")))
    assert page.text() == "UBND HUYỆN\nSố: 12/UBND\n" + MOTTO
    page = (Page()
            .line(100, (200, "BÊN A"), (1200, "BÊN B"))
            .line(300, (150, "Phạm Thị Loan"), (1150, "Lê Hồng Ngọc"))
            .line(350, (150, "0912 345 678")))
    assert page.text() == "BÊN A\nPhạm Thị Loan\n0912 345 678\nBÊN B\nLê Hồng Ngọc"


def test_signature_block_reads_each_signer_with_their_name():
    page = (Page()
            .line(100, (200, "NGƯỜI ĐỠ ĐẺ"), (900, "THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH,"))
            .line(150, (1000, "CHỮA BỆNH"))
            .line(300, (180, "Trần Khánh Ngọc"))
            .line(350, (980, "Ngô Quốc Hải")))
    assert page.text() == ("NGƯỜI ĐỠ ĐẺ\nTrần Khánh Ngọc\n"
                           "THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH,\nCHỮA BỆNH\nNgô Quốc Hải")


def test_words_come_back_in_the_new_order_with_renumbered_lines():
    page = (Page()
            .line(100, (100, "UBND HUYỆN"), (1000, "CỘNG HÒA"))
            .line(150, (100, "Số: 12"), (1000, "Độc lập")))
    words = reading_order(page.words)
    assert [w.text for w in words] == ["UBND", "HUYỆN", "Số:", "12", "CỘNG", "HÒA", "Độc", "lập"]
    assert [w.line for w in words] == [0, 0, 1, 1, 2, 2, 3, 3]
    # the same words, boxes and confidences: only the order and the line numbers change
    assert sorted((w.text, w.left, w.top) for w in words) == sorted((w.text, w.left, w.top) for w in page.words)


def test_a_label_and_its_distant_value_stay_on_one_line():
    # dotted leaders erased between label and value leave a wide gap; a single line is never a band
    page = Page().line(100, (100, "Họ và tên:"), (900, "NGUYỄN VĂN A"))
    assert page.text() == "Họ và tên: NGUYỄN VĂN A"
    # several such lines, values aligned: the gap after a "label:" is not a gutter
    page = (Page()
            .line(100, (100, "Họ và tên:"), (900, "NGUYỄN VĂN A"))
            .line(150, (100, "Ngày sinh:"), (900, "01/01/1990"))
            .line(200, (100, "Nơi sinh:"), (900, "Cần Thơ")))
    assert page.text() == "Họ và tên: NGUYỄN VĂN A\nNgày sinh: 01/01/1990\nNơi sinh: Cần Thơ"


def test_aligned_field_pairs_are_read_row_by_row():
    # as the generator's truth writes `row(...)` fields: each row's pairs before the next row
    page = (Page()
            .line(100, (100, "Giới tính: Nam"), (900, "Dân tộc: Kinh"))
            .line(150, (100, "Năm sinh: 1980"), (900, "Quốc tịch: Việt Nam"))
            .line(200, (100, "Nghề nghiệp: Kỹ sư"), (900, "Tôn giáo: Không")))
    assert page.text() == ("Giới tính: Nam Dân tộc: Kinh\nNăm sinh: 1980 Quốc tịch: Việt Nam\n"
                           "Nghề nghiệp: Kỹ sư Tôn giáo: Không")


def test_a_band_does_not_start_at_a_line_of_field_pairs():
    # "Nam" read as "N" (no colon before the gap), then a line split by a damaged word: still rows
    page = (Page()
            .line(100, (100, "Giới tính: N"), (700, "Dân tộc: Nùng"))
            .line(150, (100, "Nơi sinh: Trung t2"), (700, "Y tế huyện Nghi Lộc")))
    assert page.text() == "Giới tính: N Dân tộc: Nùng\nNơi sinh: Trung t2 Y tế huyện Nghi Lộc"


def test_one_side_with_a_single_row_is_not_a_band():
    # a row of fields above a short line: row by row and left-then-right would disagree; keep Tesseract's
    page = (Page()
            .line(100, (100, "Giới tính Nam"), (900, "Việt Nam"))
            .line(150, (100, "Quê quán Cần Thơ")))
    assert page.text() == "Giới tính Nam Việt Nam\nQuê quán Cần Thơ"


def test_a_full_width_line_ends_the_band_and_a_centred_line_in_the_gutter_is_not_absorbed():
    page = (Page()
            .line(100, (200, "BÊN A"), (1200, "BÊN B"))
            .line(300, (150, "Phạm Thị Loan"), (1150, "Lê Hồng Ngọc"))
            .line(400, (620, "Trang 2/3"))
            .line(500, (100, "Hợp đồng này được lập thành ba bản có giá trị pháp lý như nhau và có hiệu lực")))
    assert page.text() == ("BÊN A\nPhạm Thị Loan\nBÊN B\nLê Hồng Ngọc\nTrang 2/3\n"
                           "Hợp đồng này được lập thành ba bản có giá trị pháp lý như nhau và có hiệu lực")


def test_three_column_table_rows_are_kept():
    # a second wide gap on a following row belongs to another layout: no two-column band
    page = (Page()
            .line(100, (100, "1"), (500, "Nguyễn Văn An"), (1200, "Trưởng phòng"))
            .line(150, (100, "2"), (500, "Lê Thị Bình"), (1200, "Phó phòng"))
            .line(200, (100, "3"), (500, "Trần Văn Cường"), (1200, "Chuyên viên")))
    assert page.text() == ("1 Nguyễn Văn An Trưởng phòng\n2 Lê Thị Bình Phó phòng\n"
                           "3 Trần Văn Cường Chuyên viên")


def test_columns_tesseract_already_read_apart_keep_their_order():
    page = (Page()
            .line(100, (100, "ỦY BAN NHÂN DÂN"))
            .line(150, (100, "XÃ HÒA NHƠN"))
            .line(100, (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            .line(150, (1100, "Độc lập - Tự do - Hạnh phúc")))
    assert page.text() == ("ỦY BAN NHÂN DÂN\nXÃ HÒA NHƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                           "Độc lập - Tự do - Hạnh phúc")


def test_parse_tsv_returns_words_in_reading_order():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    cells = [("1", 100, 100, "UBND"), ("1", 1000, 100, "CỘNG"), ("2", 100, 150, "Số:"), ("2", 1000, 150, "Độc")]
    rows = [f"5\t1\t1\t1\t{line}\t{k}\t{x}\t{y}\t80\t30\t90\t{text}" for k, (line, x, y, text) in enumerate(cells, 1)]
    words = parse_tsv("\n".join([header, *rows]) + "\n")
    assert [w.text for w in words] == ["UBND", "Số:", "CỘNG", "Độc"]
    assert assemble_text(words) == "UBND\nSố:\nCỘNG\nĐộc"


def test_empty_input():
    assert reading_order([]) == []
    assert assemble_text([]) == ""


def test_aligned_narrow_gaps_down_a_paragraph_are_not_a_gutter():
    # a photocopy streak or blur leaves a 2-word-height gap at the same place in several lines
    page = (Page()
            .line(100, (100, "Hợp đồng chuyển nhượng quyền"), (590, "sử dụng đất được giao kết giữa"))
            .line(150, (100, "ông Bùi Xuân Dũng và bà Trịnh"), (590, "Thị Thảo các bên đã tự nguyện"))
            .line(200, (100, "thỏa thuận giao kết hợp đồng"), (590, "tại thời điểm công chứng")))
    assert page.text() == ("Hợp đồng chuyển nhượng quyền sử dụng đất được giao kết giữa\n"
                           "ông Bùi Xuân Dũng và bà Trịnh Thị Thảo các bên đã tự nguyện\n"
                           "thỏa thuận giao kết hợp đồng tại thời điểm công chứng")


def test_a_speck_beside_a_line_does_not_start_a_band():
    # the photo of an ID card read as "6," left of the text column
    page = (Page()
            .line(100, (100, "6,"), (900, "Họ và tên / Full name:"))
            .line(150, (900, "HOÀNG DIỆU HƯƠNG"))
            .line(200, (100, "Có giá trị đến:"))
            .line(250, (100, "19/07/2044")))
    assert page.text() == "6, Họ và tên / Full name:\nHOÀNG DIỆU HƯƠNG\nCó giá trị đến:\n19/07/2044"


def _two_column_header(dpi: int = 300) -> np.ndarray:
    """A page header as the papers print it: issuer centred in the left 40 %, motto in the rest."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", int(11 / 72 * dpi))
    image = Image.new("RGB", (int(8.3 * dpi), int(1.6 * dpi)), "white")
    draw = ImageDraw.Draw(image)
    width, step = image.size[0], int(11 / 72 * dpi * 1.6)
    for lines, x0, x1 in ((["SỞ Y TẾ TỈNH NGHỆ AN", "TRUNG TÂM Y TẾ HUYỆN", "Số: 123/GCS"], 60, int(width * 0.4)),
                          (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], int(width * 0.4),
                           width - 60)):
        for number, line in enumerate(lines):
            x = x0 + (x1 - x0 - draw.textlength(line, font=font)) / 2
            draw.text((x, step + number * step), line, font=font, fill=(20, 20, 20))
    return np.asarray(image)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").exists(), reason="no DejaVu font")
def test_tesseract_page_of_a_two_column_header_reads_left_column_first():
    # Tesseract (psm 3) reads this header as "SỞ Y TẾ TỈNH NGHỆ AN CỘNG HÒA XÃ HỘI ..." (checked when written)
    page = TesseractEngine().recognize(_two_column_header(), dpi=300, page_index=1)
    assert page.text.splitlines() == ["SỞ Y TẾ TỈNH NGHỆ AN", "TRUNG TÂM Y TẾ HUYỆN",
                                      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                      "Số: 123/GCS"]
    assert assemble_text(page.words) == page.text  # the words are in the same reading order


HUSBAND = ("Thông tin người chồng\nHọ, chữ đệm, tên: VÕ QUỐC BÌNH\nNgày, tháng, năm sinh: 25/03/1992\n"
           "Nơi cư trú: Số 164 đường Điện Biên\nPhủ, Phường Thanh Khê, Quận\nThanh Khê\n"
           "Giấy tờ tùy thân: CCCD số\n048092000001")
WIFE = ("Thông tin người vợ\nHọ, chữ đệm, tên: LÊ THỊ HOA\nNgày, tháng, năm sinh: 01/03/1995\n"
        "Nơi cư trú: Số 5 đường Ngô Quyền,\nPhường An Hải Bắc, Quận Sơn\nTrà\n"
        "Giấy tờ tùy thân: CCCD số\n048195000002")


def _marriage_body(page: Page, with_headings: bool = True, x: int = 100, mark: str = "") -> Page:
    """The husband and wife columns of a marriage certificate as Tesseract reads them across the
    gutter, row by row (the right column at 1000, a gutter of about 3 word heights at its narrowest);
    `mark` puts a speck of the page border at the start of each row."""
    rows = list(zip(HUSBAND.split("\n"), WIFE.split("\n")))
    if not with_headings:
        rows = rows[1:]
    for n, (left, right) in enumerate(rows):
        segments = [(x + (150 if left.startswith("Thông") else 0), left), (1000, right)]
        page.line(300 + 50 * n, *([(10, mark)] if mark else []), *segments)
    return page


def _registration(page: Page) -> Page:
    return (page.line(750, (100, "Nơi đăng ký: Ủy ban nhân dân quận Thanh Khê"))
            .line(800, (100, "Ngày, tháng, năm đăng ký: 11/04/2016")))


def test_marriage_certificate_body_reads_the_husband_column_then_the_wife_column():
    # the heading row opens the band; each column's address wraps; the registration lines under
    # both columns (left part only, beginning with a label, nothing beside them) end the band
    page = _registration(_marriage_body(Page()))
    assert page.text() == (HUSBAND + "\n" + WIFE + "\nNơi đăng ký: Ủy ban nhân dân quận Thanh Khê\n"
                           "Ngày, tháng, năm đăng ký: 11/04/2016")


def test_two_column_body_opening_with_field_labels_is_a_band_when_its_text_wraps():
    # Tesseract read the headings apart; the band starts at a row of two labels, and is taken as
    # one because both columns continue an address on lines without a label
    page = _marriage_body(Page(), with_headings=False)
    assert page.text() == "\n".join(HUSBAND.split("\n")[1:] + WIFE.split("\n")[1:])


def test_specks_of_the_page_border_do_not_end_a_band():
    # "|" read from the border at each row's start is no column of a three-column layout
    page = _marriage_body(Page(), mark="|")
    lines = page.text().split("\n")
    assert [line.lstrip("| ") for line in lines] == (HUSBAND + "\n" + WIFE).split("\n")


def test_smudge_read_beyond_the_right_column_does_not_end_a_band():
    # a blurred seal or smudge right of the wife's column, read as "o9:" / "HƯ—m" at 0-1 % confidence
    # a wide gap after her words: no third column of another layout, so the band goes on
    page = _marriage_body(Page())
    for row, junk in ((2, "o9:"), (3, "HƯ—m")):
        y = 300 + 50 * row
        page.words.append(OcrWord(text=junk, left=1750, top=y, width=60, height=HEIGHT, confidence=0.5,
                                  line=row, block=1))
    page.words.sort(key=lambda w: (w.line, w.left))
    assert page.text() == HUSBAND + "\n" + WIFE  # the specks stay in the words, not in the text
    assert {"o9:", "HƯ—m"} <= {w.text for w in reading_order(page.words)}


def test_field_pairs_with_a_value_wrapping_on_one_side_read_the_wrapped_cell_whole():
    # aligned pairs whose left value wraps onto a line of its own, starting under its cell: the
    # wrapped line belongs to its cell (rule 8), as the generator's row() writes its truth (each
    # cell is a column of its own: the left one, then the right one)
    page = (Page()
            .line(100, (100, "Giới tính: Nam"), (900, "Dân tộc: Kinh"))
            .line(150, (100, "Nơi sinh: Bệnh viện Đa khoa"), (900, "Quốc tịch: Việt Nam"))
            .line(200, (100, "tỉnh Nghệ An"))
            .line(250, (100, "Nghề nghiệp: Kỹ sư"), (900, "Tôn giáo: Không")))
    assert page.text() == ("Giới tính: Nam Dân tộc: Kinh\nNơi sinh: Bệnh viện Đa khoa\ntỉnh Nghệ An\n"
                           "Quốc tịch: Việt Nam\nNghề nghiệp: Kỹ sư Tôn giáo: Không")


def test_a_row_of_labelled_cells_reads_each_cell_with_its_wrapped_value():
    # a household-business certificate: four cells on one row, two of them wrapping; Tesseract read
    # the last cell as a block of its own, after later lines (rule 7 joins the rows, rule 8 the cells)
    page = (Page()
            .line(100, (100, "Giới tính: Nữ"), (500, "Sinh ngày:"), (900, "Dân tộc: Dao"), block=1)
            .line(150, (500, "01/08/1990"), block=1)
            .line(220, (100, "Loại giấy tờ pháp lý của cá nhân: Căn cước công dân"), block=1)
            .line(100, (1300, "Quốc tịch: Việt"), block=2)
            .line(150, (1300, "Nam"), block=2))
    assert page.text() == ("Giới tính: Nữ\nSinh ngày:\n01/08/1990\nDân tộc: Dao\nQuốc tịch: Việt\nNam\n"
                           "Loại giấy tờ pháp lý của cá nhân: Căn cước công dân")


def test_a_centred_title_under_a_row_of_labelled_cells_is_no_wrapped_value():
    # "Số: 12   Quyển số: 01/2024" over the title: the title does not start where a cell starts
    page = (Page()
            .line(100, (100, "Số: 12"), (900, "Quyển số: 01/2024"))
            .line(150, (400, "GIẤY CHỨNG NHẬN KẾT HÔN")))
    assert page.text() == "Số: 12 Quyển số: 01/2024\nGIẤY CHỨNG NHẬN KẾT HÔN"


def test_left_column_lines_read_apart_from_the_right_column_stay_in_the_band():
    # Tesseract read the heading and name rows across the gutter, then the rest of the left column,
    # then the rest of the right one: a left line beginning with a label beside the right column
    # (read later) belongs to the band, it is not a line under both columns
    page = (Page()
            .line(300, (250, "Thông tin người chồng"), (1150, "Thông tin người vợ"))
            .line(350, (100, "Họ, chữ đệm, tên: VÕ QUỐC BÌNH"), (1000, "Họ, chữ đệm, tên: LÊ THỊ HOA"))
            .line(400, (100, "Ngày, tháng, năm sinh: 25/03/1992"))
            .line(450, (100, "Dân tộc: Kinh"))
            .line(400, (1000, "Ngày, tháng, năm sinh: 01/03/1995"))
            .line(450, (1000, "Dân tộc: Tày")))
    assert page.text() == ("Thông tin người chồng\nHọ, chữ đệm, tên: VÕ QUỐC BÌNH\n"
                           "Ngày, tháng, năm sinh: 25/03/1992\nDân tộc: Kinh\n"
                           "Thông tin người vợ\nHọ, chữ đệm, tên: LÊ THỊ HOA\n"
                           "Ngày, tháng, năm sinh: 01/03/1995\nDân tộc: Tày")


def test_recipients_list_beside_the_signature_block_is_read_list_first():
    # "Nơi nhận:" ends in a colon, yet the gap after it is the gutter: a later row has one that is not
    page = (Page()
            .line(1000, (100, "Nơi nhận:"), (900, "TM. ỦY BAN NHÂN DÂN"))
            .line(1040, (100, "- Như trên;"), (950, "KT. CHỦ TỊCH"))
            .line(1080, (100, "- Lưu: VT."), (950, "PHÓ CHỦ TỊCH")))
    assert page.text() == ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
                           "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")


def test_labels_and_their_values_after_erased_leaders_stay_row_by_row():
    page = (Page()
            .line(400, (100, "Họ và tên:"), (900, "NGUYỄN VĂN AN"))
            .line(440, (100, "Ngày sinh:"), (900, "01/02/1990"))
            .line(480, (100, "Nơi cư trú:"), (900, "Xã Nghi Long, Huyện Nghi Lộc")))
    assert page.text() == ("Họ và tên: NGUYỄN VĂN AN\nNgày sinh: 01/02/1990\n"
                           "Nơi cư trú: Xã Nghi Long, Huyện Nghi Lộc")


def _columns_block_by_block(husband: str, wife: str, wife_shift: int = 0) -> Page:
    """The husband's column, the registration lines under it, then the wife's column, each a Tesseract
    block: how Tesseract read a phone photo of a marriage certificate (seed 160, phone_photo-004)."""
    page = Page()
    for n, left in enumerate(husband.split("\n")):
        page.line(300 + 50 * n, (100, left), block=2)
    rows = len(husband.split("\n"))
    page.line(300 + 50 * rows + 30, (100, "Nơi đăng ký: Ủy ban nhân dân quận Thanh Khê"), block=4)
    page.line(300 + 50 * rows + 80, (100, "Ngày, tháng, năm đăng ký: 11/04/2016"), block=4)
    for n, right in enumerate(wife.split("\n")):
        page.line(300 + wife_shift + 50 * n, (1000, right), block=3)
    return page


def test_columns_tesseract_read_block_by_block_are_read_as_rows_then_as_a_band():
    # Tesseract read the registration lines before the wife's column; read as page rows, the band
    # rules put them after both columns, as on a scan Tesseract reads row by row
    page = _columns_block_by_block(HUSBAND, WIFE)
    assert page.text() == (HUSBAND + "\n" + WIFE + "\nNơi đăng ký: Ủy ban nhân dân quận Thanh Khê\n"
                           "Ngày, tháng, năm đăng ký: 11/04/2016")


def test_columns_whose_rows_do_not_pair_still_read_husband_then_wife():
    # the husband's name wraps and the wife's address does not: his column is two lines longer, and
    # its last lines come at the column's own pitch, so they stay in the band read as page rows; the
    # registration lines, a paragraph's space further down, end it (`_set_apart`)
    husband = HUSBAND.replace("VÕ QUỐC BÌNH", "VÕ QUỐC\nBÌNH")
    wife = WIFE.replace("Nơi cư trú: Số 5 đường Ngô Quyền,\nPhường An Hải Bắc, Quận Sơn\nTrà",
                        "Nơi cư trú: Số 5 đường Ngô Quyền, Phường An Hải Bắc, Quận Sơn Trà")
    page = _columns_block_by_block(husband, wife)
    assert page.text() == (husband + "\n" + wife + "\nNơi đăng ký: Ủy ban nhân dân quận Thanh Khê\n"
                           "Ngày, tháng, năm đăng ký: 11/04/2016")


def test_a_line_read_after_lines_below_it_in_its_column_comes_first():
    # a card front: Tesseract read the national motto's first line last, with a QR code's speck
    # (tall, unsure) beside it that must not make the line reach down past the lines under it
    page = (Page()
            .line(200, (400, "Độc lập - Tự do - Hạnh phúc"))
            .line(260, (380, "CĂN CƯỚC CÔNG DÂN"))
            .line(140, (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")))
    page.words.append(OcrWord(text="kể", left=1000, top=130, width=90, height=130, confidence=20.0, line=2))
    # (the speck itself, unsure and set apart at the line's end, stays out of the text: text._lone_marks)
    assert page.text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCĂN CƯỚC CÔNG DÂN"
    assert [w.text for w in reading_order(page.words)][:9] == ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM", "kể"]


def test_a_line_read_after_the_lines_under_it_goes_before_them_not_before_other_columns():
    # a card back: the issuer's title (right, above the zone) read after the machine-readable zone
    page = (Page()
            .line(500, (100, "Ngón trỏ trái"), (320, "Ngón trỏ phải"))
            .line(600, (500, "IDVNM0883491344038088349134<<5"))
            .line(650, (500, "8807113M2807111VNM<<<<<<<<<<<4"))
            .line(400, (600, "CỤC TRƯỞNG CỤC CẢNH SÁT")))
    assert page.text().split("\n") == ["Ngón trỏ trái Ngón trỏ phải", "CỤC TRƯỞNG CỤC CẢNH SÁT",
                                       "IDVNM0883491344038088349134<<5", "8807113M2807111VNM<<<<<<<<<<<4"]


def test_a_line_read_too_early_brings_the_lines_above_it_in_its_column_with_it():
    # the card's expiry date read first, its label (just above it, under the portrait) last: the label
    # comes first, and the column of fields beside them, above both, keeps its place
    page = (Page()
            .line(800, (60, "06/01/2035"))
            .line(300, (500, "Số / No.: 046175479489"))
            .line(360, (500, "Họ và tên / Full name:"))
            .line(760, (60, "Có giá trị đến:")))
    assert page.text().split("\n") == ["Có giá trị đến:", "06/01/2035", "Số / No.: 046175479489",
                                       "Họ và tên / Full name:"]


def test_a_column_read_bottom_up_comes_out_top_down_however_long():
    # every row waits for the rows above it: a chain deeper than Python's recursion limit
    page = Page()
    for n in reversed(range(1500)):
        page.line(100 + 40 * n, (100, f"dòng {n:04d}"))
    assert page.text().split("\n") == [f"dòng {n:04d}" for n in range(1500)]

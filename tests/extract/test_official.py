"""The 9 real government pages: number (số/ký hiệu) and date read from their proofread reference text.

Expected values were read off the reference text by hand. Three pages (real_hanoi_*) are unissued
drafts whose number and day/month were left blank: there the right answer is "blank", flagged invalid.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.domain.papers import PaperType
from pipeline.extract import extract_fields

GT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real-gov-scans" / "gt"
TODAY = date(2026, 11, 28)

EXPECTED = {  # doc_id: (number, ISO date or None when left blank on the paper)
    "real_cv_3722_metro": ("3722/VPCP-CN", "2026-04-28"),
    "real_hanoi_kh_173_festival": ("/KH-UBND", None),
    "real_hanoi_qd_2280_water": ("/QĐ-UBND", None),
    "real_hanoi_tb_453_flag": ("/TB-UBND", None),
    "real_nq_115_ba_vi": ("115/NQ-CP", "2026-04-29"),
    "real_qd_707_ttg": ("707/QĐ-TTg", "2026-04-22"),
    "real_qd_729_ttg": ("729/QĐ-TTg", "2026-04-23"),
    "real_tt_21_bct_fuel": ("21/2026/TT-BCT", "2026-04-28"),
    "real_tt_37_bca_vehicle": ("37/2026/TT-BCA", "2026-04-24"),
}

needs_gt = pytest.mark.skipif(not GT.is_dir(), reason=f"real reference pages not present at {GT}")


@needs_gt
@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_real_page_number_and_date(doc_id):
    number, when = EXPECTED[doc_id]
    fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, (GT / f"{doc_id}.txt").read_text("utf-8"), today=TODAY)
    assert fields["number"].value == number
    if when is None:  # a draft: the blank is reported, not invented
        assert not fields["number"].valid and "blank" in fields["number"].reason
        assert fields["date"].value == "" and not fields["date"].valid and "blank" in fields["date"].reason
    else:
        assert fields["number"].valid
        assert fields["date"].value == when and fields["date"].valid


@needs_gt
def test_real_pages_types_and_issuers():
    doc_types = {}
    for doc_id in EXPECTED:
        fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, (GT / f"{doc_id}.txt").read_text("utf-8"), today=TODAY)
        doc_types[doc_id] = fields["doc_type"].value
        assert fields["issuer"].value.isupper()
    assert doc_types == {
        "real_cv_3722_metro": "CÔNG VĂN", "real_hanoi_kh_173_festival": "KẾ HOẠCH",
        "real_hanoi_qd_2280_water": "QUYẾT ĐỊNH", "real_hanoi_tb_453_flag": "THÔNG BÁO",
        "real_nq_115_ba_vi": "NGHỊ QUYẾT", "real_qd_707_ttg": "QUYẾT ĐỊNH", "real_qd_729_ttg": "QUYẾT ĐỊNH",
        "real_tt_21_bct_fuel": "THÔNG TƯ", "real_tt_37_bca_vehicle": "THÔNG TƯ",
    }


MERGED_HEADER = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN TAM DƯƠNG Độc lập - Tự do - Hạnh phúc
Số: 56/TB-UBND Tam Dương, ngày 04 tháng 9 năm 2023
THÔNG BÁO
Kết quả giải quyết thủ tục hành chính
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018;
"""


def test_two_column_header_merged_by_ocr():
    fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, MERGED_HEADER, today=TODAY)
    assert fields["issuer"].value == "ỦY BAN NHÂN DÂN HUYỆN TAM DƯƠNG"
    assert fields["number"].value == "56/TB-UBND"
    assert fields["date"].value == "2023-09-04"
    assert fields["doc_type"].value == "THÔNG BÁO"
    assert fields["subject"].value == "Kết quả giải quyết thủ tục hành chính"


def test_handwritten_number_is_flagged_not_guessed():
    text = MERGED_HEADER.replace("Số: 56/TB-UBND Tam Dương, ngày 04", "Số: †ox /TB-UBND Tam Dương, ngày82")
    fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)
    assert not fields["number"].valid and fields["number"].confidence <= 0.4
    assert not fields["date"].valid and "impossible" in fields["date"].reason


def test_cong_van_subject_from_vv_line():
    text = ("SỞ TƯ PHÁP\nSố: 12/STP-HCTP\nV/v hướng dẫn chứng thực bản sao\nđiện tử từ bản chính\n"
            "Vĩnh Yên, ngày 5 tháng 1 năm 2024\nKính gửi: UBND các huyện")
    fields = extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)
    assert fields["doc_type"].value == "CÔNG VĂN"
    assert fields["subject"].value == "V/v hướng dẫn chứng thực bản sao điện tử từ bản chính"
    assert fields["date"].value == "2024-01-05"


@pytest.mark.parametrize("ngay", ["rgày", "gày"])
def test_a_place_date_line_whose_ngay_lost_or_misread_its_first_letter_still_dates_the_paper(ngay):
    text = MERGED_HEADER.replace("Tam Dương, ngày 04", f"Tam Dương, {ngay} 04")
    assert extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)["date"].value == "2023-09-04"


def test_a_place_date_line_whose_comma_was_lost_still_dates_the_paper():
    # the place garbled with its comma ("Trại vk ngày 23 …"): the words-form date under the number line
    text = MERGED_HEADER.replace("Số: 56/TB-UBND Tam Dương, ngày 04", "Số: 56/TB-UBND\nTrại vk ngày 04")
    assert extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)["date"].value == "2023-09-04"
    # "ngày" lost with the comma
    text = MERGED_HEADER.replace("Số: 56/TB-UBND Tam Dương, ngày 04", "Số: 56/TB-UBND\nTam Dương rao v 04")
    assert extract_fields(PaperType.VAN_BAN_HANH_CHINH, text, today=TODAY)["date"].value == "2023-09-04"
    # no date under the number line: the body's "Căn cứ … ngày 23 tháng 4 năm 2018" is not taken for it
    lost = MERGED_HEADER.replace("Tam Dương, ngày 04 tháng 9 năm 2023", "Tam Dương")
    assert "date" not in extract_fields(PaperType.VAN_BAN_HANH_CHINH, lost, today=TODAY)

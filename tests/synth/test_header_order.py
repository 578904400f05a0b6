"""Truth order of a Decree-30 official header: issuer, motto, number line, place-date (as the
proofread references of real letters write it), with the pixels of two plain columns."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.domain.papers import PaperType
from pipeline.synth.dossier import clean_page
from pipeline.synth.render import Columns, Para, Run, Style, layout

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _p(text: str) -> Para:
    return Para([Run(text)], align="center", after_mm=0)


def test_tails_are_drawn_under_their_column_and_read_after_both_columns() -> None:
    header = Columns(left=[_p("ỦY BAN NHÂN DÂN"), _p("HUYỆN TAM DƯƠNG")], right=[_p(line) for line in MOTTO],
                     split=0.4, gap_mm=2, left_tail=[_p("Số: 12/QĐ-UBND"), _p("V/v cấp giấy phép")],
                     right_tail=[_p("Tam Dương, ngày 04 tháng 9 năm 2023")])
    plain = replace(header, left=header.left + header.left_tail, right=header.right + header.right_tail,
                    left_tail=[], right_tail=[])
    style = Style("Liberation Serif")
    (new,), (old,) = layout([header, _p("QUYẾT ĐỊNH")], style), layout([plain, _p("QUYẾT ĐỊNH")], style)
    assert new.lines == ["ỦY BAN NHÂN DÂN", "HUYỆN TAM DƯƠNG", *MOTTO, "Số: 12/QĐ-UBND", "V/v cấp giấy phép",
                         "Tam Dương, ngày 04 tháng 9 năm 2023", "QUYẾT ĐỊNH"]
    assert new.ops == old.ops  # the same drawing
    assert sorted(zip(new.lines, new.boxes)) == sorted(zip(old.lines, old.boxes))  # each line keeps its box


@pytest.mark.parametrize("ptype", [PaperType.VAN_BAN_HANH_CHINH, PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN,
                                   PaperType.GIAY_KHAI_SINH, PaperType.GIAY_CHUNG_SINH])
def test_generated_header_puts_the_number_after_the_motto(ptype: PaperType) -> None:
    spec, _ = clean_page(ptype, seed=7)
    lines = spec.text.splitlines()
    motto = next(i for i, line in enumerate(lines) if line.startswith("Độc lập"))
    number = next(i for i, line in enumerate(lines) if line.startswith("Số: "))
    assert lines[motto - 1].startswith("CỘNG") and number == motto + 1
    assert all(line.isupper() for line in lines[:motto - 1])  # issuer lines first
    if ptype in (PaperType.VAN_BAN_HANH_CHINH, PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN):
        date = next(i for i, line in enumerate(lines) if ", ngày " in line)
        assert number < date <= number + 3  # after the number (and a "V/v" subject under it)

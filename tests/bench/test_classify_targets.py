"""The issue-4 targets table of bench/classify.py: each target is judged from the measured counts."""

from bench.classify import _reference_fields, _same_field, target_rows
from pipeline.domain.records import Field


def _met(rows: list[list[object]]) -> dict[str, str]:
    return {str(target): str(met) for target, _, met in rows}


def test_each_target_is_met_or_missed_by_its_own_numbers():
    fields = {"clean": {"id": (99, 100), "name": (95, 100), "date": (94, 100)}}
    real = {"pages": 9, "issued": 6, "type_right": 9, "review": 1, "number_right": 9, "issued_number_right": 6,
            "date_right": 8, "issued_date_right": 5}
    met = _met(target_rows(0.979, 0.996, 0.02, {"exact": 29, "multi": 30}, fields, 0.101, real))
    assert met["page classification macro-F1 >= 0.98 (clean..phone_photo)"] == "no"
    assert met["accuracy among pages not sent to review >= 0.995 (share sent to review reported)"] == "yes"
    assert met["component boundaries exact in >= 97 % of multi-component scans (clean..phone_photo)"] == "no"
    assert met["ID numbers exact match >= 0.99 (clean)"] == "yes"
    assert met["names exact match >= 0.95 (clean)"] == "yes"
    assert met["dates exact match >= 0.95 (clean)"] == "no"
    assert met["classification + extraction <= 10 % of the OCR time"] == "no"
    assert met["real pages come out as van_ban_hanh_chinh"] == "yes"
    assert met["real pages: số/ký hiệu read as the proofread reference reads it"] == "yes"
    assert met["real pages: date read as the proofread reference reads it"] == "no"


def test_levels_without_fields_and_runs_without_dossiers_or_real_pages_have_no_rows():
    rows = target_rows(1.0, 1.0, 0.0, None, {}, 0.01, None)
    assert [r[0] for r in rows] == ["page classification macro-F1 >= 0.98 (clean..phone_photo)",
                                    "accuracy among pages not sent to review >= 0.995 (share sent to review reported)",
                                    "classification + extraction <= 10 % of the OCR time"]


def test_a_reading_matches_the_reference_in_value_and_validity():
    assert _same_field(Field("3722/VPCP-CN", 0.9, True), Field("3722/VPCP-CN", 1.0, True))
    assert not _same_field(Field("129/QĐ-TTg", 0.9, True), Field("729/QĐ-TTg", 1.0, True))
    assert not _same_field(Field("/KH-UBND", 0.9, True), Field("/KH-UBND", 1.0, False))
    assert not _same_field(None, Field("", 1.0, False))
    assert _same_field(None, None)


def test_the_reference_of_a_real_page_reads_its_number_and_date_and_a_draft_reads_blank():
    issued = _reference_fields("real_cv_3722_metro_p1")
    assert (issued["number"].value, issued["number"].valid) == ("3722/VPCP-CN", True)
    assert (issued["date"].value, issued["date"].valid) == ("2026-04-28", True)
    draft = _reference_fields("real_hanoi_kh_173_festival_p1")
    assert not draft["number"].valid and not draft["date"].valid

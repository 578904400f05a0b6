"""The portal export: field names, yyyyMMddHHmmss in Vietnam time, 1/0 flags, reuse and results."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.domain.idnumber import make_id
from pipeline.errors import NotFoundError
from pipeline.index.export import portal_record

ALICE = make_id("026", 1990, "nu", 123456)


def _keys(paper_type: str, document_id: str) -> dict[str, str]:
    prefix = f"{ALICE}/{paper_type}/{document_id}"
    return {"original.pdf": f"{prefix}/original.pdf", "searchable.pdf": f"{prefix}/searchable.pdf"}


def test_portal_record_field_names_and_values(index, index_settings, manifest, make_component) -> None:
    cert_id = f"{1:032x}"
    index.record_document(document_id=cert_id, id_number=ALICE, paper_type="giay_khai_sinh", fields={},
                          keys=_keys("giay_khai_sinh", cert_id), original_sha256="aa" * 32)
    # received 20:00 UTC on the 14th = 03:00 on the 15th in Vietnam
    index.record_dossier(manifest("HS-EXP-1", channel="truc_tuyen", results=["kq.pdf"],
                                  received_at=datetime(2024, 3, 14, 20, 0, 5, tzinfo=timezone.utc)))
    card_id = f"{2:032x}"
    index.record_document(document_id=card_id, id_number=ALICE, paper_type="cccd", fields={},
                          keys=_keys("cccd", card_id), original_sha256="bb" * 32, source_dossier="HS-EXP-1")
    index.record_component("HS-EXP-1", "scan.pdf", make_component("cccd", [1, 2]), status="stored",
                           document_id=card_id)
    index.record_reuse("HS-EXP-1", "scan.pdf", make_component("giay_khai_sinh", [3]), cert_id)
    index.record_quarantine("HS-EXP-1", "photo.heic", "unreadable_image", "cannot decode")
    index.record_result("HS-EXP-1", result_id="KQ-77", name="Trích lục khai sinh", file_key="HS-EXP-1/kq.pdf",
                        code="TLKS-2024-77")

    record = portal_record("HS-EXP-1", index_settings)
    assert set(record) == {"MaHoSo", "MaTTHC", "NgayTiepNhan", "KenhThucHien", "TaiLieuNop", "GiayToKetQua"}
    assert record["MaHoSo"] == "HS-EXP-1" and record["MaTTHC"] == "1.000466"
    assert record["NgayTiepNhan"] == "20240315030005"
    assert record["KenhThucHien"] == 2
    stored, reused, refused = record["TaiLieuNop"]
    assert set(stored) == {"MaThanhPhanHoSo", "TenTaiLieu", "DuongDanTaiTepTin", "DuocSoHoa", "DuocTaiSuDung",
                           "DuocLayTuKhoDMQG", "MaKetQuaThayThe"}
    assert stored == {"MaThanhPhanHoSo": "cccd", "TenTaiLieu": "Căn cước công dân / Căn cước",
                      "DuongDanTaiTepTin": f"{ALICE}/cccd/{card_id}/searchable.pdf", "DuocSoHoa": 1,
                      "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0, "MaKetQuaThayThe": ""}
    assert reused["DuocTaiSuDung"] == 1 and reused["DuocSoHoa"] == 1
    assert reused["DuongDanTaiTepTin"] == f"{ALICE}/giay_khai_sinh/{cert_id}/searchable.pdf"
    assert refused["DuocSoHoa"] == 0 and refused["DuongDanTaiTepTin"] == ""
    assert record["GiayToKetQua"] == [{"TenGiayTo": "Trích lục khai sinh", "GiayToId": "KQ-77",
                                       "DuongDanTepTinKetQua": "HS-EXP-1/kq.pdf", "MaGiayToKetQua": "TLKS-2024-77"}]
    json.dumps(record, ensure_ascii=False)


def test_unknown_dossier_is_not_found_and_cli_exits_8(index, index_settings, monkeypatch) -> None:
    from pipeline.config import get_settings

    with pytest.raises(NotFoundError):
        portal_record("HS-KHONG-CO", index_settings)
    monkeypatch.setenv("SOHOA_INDEX_URL", index_settings.resolved_index_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["export", "HS-KHONG-CO"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == NotFoundError.exit_status and "not_found" in result.stderr

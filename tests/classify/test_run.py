"""classify_pages on hand-made OCR pages, and the pinned `sohoa classify --json` shape end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from pipeline.classify.model import HOUSEHOLD_BOOK_NOTE
from pipeline.classify.run import classify_pages, render_table
from pipeline.domain.papers import PaperType
from pipeline.domain.records import OcrPage


def _page(index: int, text: str) -> OcrPage:
    return OcrPage(index=index, text=text, words=[], mean_confidence=90.0)


def test_classify_pages_splits_drops_blanks_and_flags_the_household_book(small_model, birth_text):
    household = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSỔ HỘ KHẨU\nSố: 123456\n"
                 "Họ và tên chủ hộ: Lê Văn A")
    pages = [_page(1, birth_text), _page(2, ""), _page(3, household), _page(4, "TÁCH HỒ SƠ\n*SEP-HOSO*")]
    components = classify_pages(pages, None, small_model)
    assert [c.pages for c in components] == [[1], [3]]
    assert components[0].type == PaperType.GIAY_KHAI_SINH
    assert components[1].type == PaperType.KHAC and HOUSEHOLD_BOOK_NOTE in components[1].notes
    assert all(0.0 <= c.confidence <= 1.0 for c in components)


def test_settings_threshold_sends_everything_to_review(small_model, birth_text):
    [component] = classify_pages([_page(1, birth_text)], None, small_model, threshold=1.01)
    assert component.needs_review and component.type == PaperType.GIAY_KHAI_SINH


def test_render_table_prints_vietnamese_names(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per field
    render_table({"file": "x.pdf", "components": [
        {"type": "giay_khai_sinh", "pages": [1], "confidence": 0.97, "needs_review": False,
         "fields": {"full_name": {"value": "Lê Thị B", "confidence": 0.9, "valid": True},
                    "date_of_birth": {"value": "2023-03-05", "confidence": 0.9, "valid": True},
                    "sex": {"value": "nu", "confidence": 0.9, "valid": False}}}]})
    out = capsys.readouterr().out
    assert "Giấy khai sinh" in out
    assert "Họ và tên: Lê Thị B" in out and "Ngày sinh: 05/03/2023" in out
    assert "Giới tính: Nữ (không hợp lệ)" in out and "date_of_birth" not in out


@pytest.mark.slow
def test_cli_json_shape(repo_root, tmp_path, monkeypatch):
    """One generated page through intake, preprocessing, Tesseract, the classifier and the extractor."""
    from pipeline.cli import app
    from pipeline.config import get_settings
    from pipeline.synth.dossier import generate_pages

    [page] = list(generate_pages(1, seed=33, levels=["clean"], types=[PaperType.CCCD]))  # a card front: small
    scan = tmp_path / "scan.png"
    Image.fromarray(np.asarray(page.image)).save(scan, dpi=(page.dpi, page.dpi))
    monkeypatch.setenv("SOHOA_MODEL_DIR", str(repo_root / "models"))  # the committed model
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOHOA_OCR_WORKERS", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["classify", str(scan), "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"file", "components"} and data["file"] == str(scan)
    assert len(data["components"]) == 1
    component = data["components"][0]
    assert set(component) == {"type", "pages", "confidence", "needs_review", "fields"}
    assert component["type"] == "cccd" and component["pages"] == [1]
    assert isinstance(component["confidence"], float) and 0 <= component["confidence"] <= 1
    assert isinstance(component["needs_review"], bool)
    assert component["type"] == "cccd" and "id_number" in component["fields"]
    for name, value in component["fields"].items():
        assert set(value) == {"value", "confidence", "valid"}, name
        assert isinstance(value["value"], str) and isinstance(value["valid"], bool)


def test_declared_hints_and_numbers_come_from_the_dossier_manifest(tmp_path):
    from pipeline.classify.run import declared_hints, declared_people

    manifest = {"dossier_code": "H17.20.12-240720-3820", "procedure_code": "1.000894",
                "procedure_name": "Đăng ký kết hôn", "agency_code": "H17.20.12", "agency_name": "UBND xã Hòa Nhơn",
                "level": "xa", "channel": "truc_tiep", "received_at": "2024-07-20T15:24:00+07:00",
                "applicant": {"id_number": "048088264685", "full_name": "Nguyễn Văn Bình"},
                "files": ["scan-001.pdf", "card.jpg"],
                "components": [{"file": "scan-001.pdf", "type": "to_khai", "pages": [1, 2]},
                               {"file": "card.jpg", "type": "cccd"}]}
    (tmp_path / "dossier.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    [hint] = declared_hints(tmp_path / "scan-001.pdf")
    assert hint.type == PaperType.TO_KHAI and hint.pages == [1, 2]
    assert declared_people(tmp_path / "scan-001.pdf") == {"048088264685": "Nguyễn Văn Bình"}  # as the flow uses
    (tmp_path / "dossier.json").write_text("{not json", encoding="utf-8")
    assert declared_hints(tmp_path / "scan-001.pdf") == []  # a broken manifest is no hint, not a failure
    assert declared_people(tmp_path / "scan-001.pdf") == {}
    assert declared_hints(tmp_path / "elsewhere" / "x.pdf") == []
    assert declared_people(tmp_path / "elsewhere" / "x.pdf") == {}

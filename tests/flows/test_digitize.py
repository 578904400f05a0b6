"""End to end: a dossier with a good paper and hostile files, then a second dossier reusing the paper."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from pipeline.domain.papers import PaperType

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect")]

APPLICANT = {"id_number": "026190000123", "full_name": "Nguyễn Thị Lan"}


@pytest.fixture(scope="module")
def birth_certificate():
    from pipeline.synth.dossier import generate_pages

    return next(generate_pages(1, seed=31, levels=["clean"], types=[PaperType.GIAY_KHAI_SINH]))


def _dossier(folder: Path, code: str, files: dict[str, bytes | Path]) -> Path:
    folder.mkdir(parents=True)
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copyfile(content, folder / name)
        else:
            (folder / name).write_bytes(content)
    manifest = {"dossier_code": code, "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
                "agency_code": "H26.10.01", "agency_name": "UBND xã Tam Hợp", "level": "xa",
                "channel": "truc_tiep", "received_at": "2024-03-15T09:30:00+07:00", "applicant": APPLICANT,
                "files": list(files), "results": []}
    (folder / "dossier.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def _png(page) -> bytes:
    import io

    out = io.BytesIO()
    Image.fromarray(page.image).save(out, format="PNG", dpi=(page.dpi, page.dpi))
    return out.getvalue()


def _jpeg(page) -> bytes:
    import io

    out = io.BytesIO()
    Image.fromarray(page.image).save(out, format="JPEG", quality=92, dpi=(page.dpi, page.dpi))
    return out.getvalue()


def test_bad_files_are_quarantined_and_papers_reused(prefect_api, sohoa_env, tmp_path, repo_root,
                                                      birth_certificate):
    from flows.digitize import digitize_dossier
    from pipeline.index.db import open_index
    from pipeline.store import open_store
    from pipeline.store import keys

    edge = repo_root / "samples" / "edge-cases"
    first = _dossier(tmp_path / "a", "H26.10-240315-0001", {
        "khai-sinh.png": _png(birth_certificate),
        "hong.pdf": edge / "truncated.pdf",
        "anh-the.jpg": edge / "text-file-named.jpg",
    })
    today = date(2024, 3, 15)
    result = digitize_dossier(str(first), today=today)

    # the hostile files are quarantined with their reasons; the good paper is stored
    assert {q["file"]: q["code"] for q in result.quarantined} == {"hong.pdf": "truncated_file",
                                                                  "anh-the.jpg": "unsupported_format"}
    birth = [c for c in result.components if c.type == "giay_khai_sinh"]
    assert len(birth) == 1 and birth[0].status == "stored", result.components
    store = open_store(sohoa_env)
    reason_key = keys.quarantine_reason_key("H26.10-240315-0001", "hong.pdf")
    reason = json.loads(store.get(keys.QUARANTINE, reason_key))
    assert reason["code"] == "truncated_file" and reason["message"]
    with open_index(sohoa_env) as index:
        status = index.dossier_status("H26.10-240315-0001")
    assert status["components"]["quarantined"] == 2 and status["components"]["stored"] >= 1
    document_id = birth[0].document_id
    from pipeline.store.documents import read_document

    with open_index(sohoa_env) as index:
        owner = index.get_document(document_id).id_number
    metadata, objects = read_document(store, owner, PaperType.GIAY_KHAI_SINH, document_id)
    import io

    from pypdf import PdfReader

    searchable = PdfReader(io.BytesIO(objects["searchable.pdf"]))
    assert len(searchable.pages) == 1 and "khai sinh" in searchable.pages[0].extract_text().lower()
    assert metadata["source_dossier"] == "H26.10-240315-0001" and "original.png" in objects

    # the same paper in a later dossier, scanned again (other bytes): reused, not stored twice
    second = _dossier(tmp_path / "b", "H26.10-240402-0002", {"khai-sinh.jpg": _jpeg(birth_certificate)})
    again = digitize_dossier(str(second), today=date(2024, 4, 2))
    assert [(c.type, c.status, c.document_id) for c in again.components] == \
        [("giay_khai_sinh", "reused", document_id)]
    assert again.reused

    # running the first dossier again changes nothing: the same scan is recognised, not duplicated
    rerun = digitize_dossier(str(first), today=today)
    rerun_birth = [c for c in rerun.components if c.type == "giay_khai_sinh"]
    assert [(c.status, c.document_id) for c in rerun_birth] == [("duplicate", document_id)]
    with open_index(sohoa_env) as index:
        owner = index.get_document(document_id).id_number
        assert len(index.documents_of(owner, paper_type="giay_khai_sinh")) == 1


def test_invalid_manifest_fails_its_dossier_not_the_batch(prefect_api, sohoa_env, tmp_path, repo_root,
                                                         birth_certificate):
    from flows.digitize import digitize_batch

    good = _dossier(tmp_path / "good", "H26.10-240315-0003", {"khai-sinh.png": _png(birth_certificate)})
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copyfile(repo_root / "samples" / "edge-cases" / "path-traversal-dossier.json", bad / "dossier.json")
    summary = digitize_batch([str(bad), str(good)])
    assert summary["dossiers"] == 2
    assert [f["code"] for f in summary["dossiers_failed"]] == ["invalid_manifest"]
    assert summary["components"].get("stored", 0) >= 1
    assert "026190000123" not in json.dumps(summary, ensure_ascii=False)


def test_two_papers_of_a_type_in_one_dossier_are_both_stored_not_reused(prefect_api, sohoa_env, tmp_path):
    """Reuse (indicator 4.3) means taken from an earlier dossier, never from the same one."""
    from flows.digitize import digitize_dossier
    from pipeline.synth.dossier import generate_pages

    degrees = list(generate_pages(2, seed=5, levels=["clean"], types=[PaperType.BANG_CAP]))
    folder = _dossier(tmp_path / "c", "H26.10-240315-0004",
                      {"bang-1.png": _png(degrees[0]), "bang-2.png": _png(degrees[1])})
    result = digitize_dossier(str(folder), today=date(2024, 3, 15))
    statuses = [(c.type, c.status) for c in result.components]
    assert statuses == [("bang_cap", "stored"), ("bang_cap", "stored")], result.components
    assert not result.reused

"""Reuse rules, the replace-as-new-version path, `lookup` (JSON shape, masking, links) and the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.domain.idnumber import make_id
from pipeline.domain.papers import PaperType
from pipeline.errors import InvalidIdNumberError
from pipeline.index.reuse import ReuseAction, decide_reuse, find_reusable, lookup, render_lookup

ALICE = make_id("026", 1990, "nu", 123456)
BOB = make_id("001", 1985, "nam", 654321)
TODAY = date(2025, 6, 1)


def _doc(index, n: int, paper_type: str, *, owner: str = ALICE, fields: dict | None = None,
         supersedes: str | None = None, source: str = "HS-OLD"):
    document_id = f"{n:032x}"
    prefix = f"{owner}/{paper_type}/{document_id}"
    return index.record_document(document_id=document_id, id_number=owner, paper_type=paper_type,
                                 fields=fields or {}, keys={"searchable.pdf": f"{prefix}/searchable.pdf"},
                                 original_sha256=f"{n:064x}", source_dossier=source, supersedes=supersedes)


def test_valid_id_card_is_reused(index) -> None:
    card = _doc(index, 1, "cccd", fields={"id_number": ALICE, "valid_until": "2031-02-03"})
    found = find_reusable(index, ALICE, PaperType.CCCD, TODAY)
    assert found is not None and found.document_id == card.document_id
    decision = decide_reuse(index, ALICE, "cccd", TODAY)
    assert decision.action is ReuseAction.REUSE and decision.document == found and decision.supersedes is None
    assert ALICE not in decision.reason


def test_expired_id_card_is_replaced_as_a_new_version(index, manifest, make_component) -> None:
    old = _doc(index, 2, "cccd", fields={"valid_until": "2025-05-31"})  # expired the day before
    assert find_reusable(index, ALICE, "cccd", TODAY) is None
    decision = decide_reuse(index, ALICE, "cccd", TODAY)
    assert decision.action is ReuseAction.REPLACE and decision.supersedes == old.document_id

    # the flow stores the new scan and records it as the next version
    new = _doc(index, 3, "cccd", fields={"valid_until": "2040-05-31"}, supersedes=decision.supersedes,
               source="HS-NEW")
    assert new.version == 2 and new.supersedes == old.document_id
    assert index.get_document(old.document_id).superseded_by == new.document_id
    assert find_reusable(index, ALICE, "cccd", TODAY).document_id == new.document_id
    assert [d.document_id for d in index.documents_of(ALICE)] == [new.document_id]
    history = index.documents_of(ALICE, include_superseded=True)
    assert [(d.document_id, d.version) for d in history] == [(new.document_id, 2), (old.document_id, 1)]
    assert "document_superseded" in [e["action"] for e in index.events(document_id=old.document_id)]


def test_id_card_without_expiry_date_text(index) -> None:
    _doc(index, 4, "cccd", fields={"valid_until": "Không thời hạn"})  # cards issued after 60
    assert find_reusable(index, ALICE, "cccd", TODAY) is not None
    _doc(index, 5, "cccd", owner=BOB, fields={})  # expiry never read: not trusted, and not superseded
    assert find_reusable(index, BOB, "cccd", TODAY) is None
    decision = decide_reuse(index, BOB, "cccd", TODAY)
    assert decision.action is ReuseAction.STORE_NEW and decision.supersedes is None


def test_card_back_without_expiry_does_not_hide_the_valid_front(index) -> None:
    """Front and back of an ID card stored from separate files: the newest *valid* one is reused."""
    front = _doc(index, 9, "cccd", fields={"valid_until": "2040-01-01"})
    _doc(index, 10, "cccd", fields={"issued_on": "2021-05-01"})  # the back, stored after the front
    assert find_reusable(index, ALICE, "cccd", TODAY).document_id == front.document_id
    assert decide_reuse(index, ALICE, "cccd", TODAY).action is ReuseAction.REUSE


def test_birth_certificate_is_always_reused(index) -> None:
    cert = _doc(index, 6, "giay_khai_sinh", fields={"full_name": "Nguyễn Thị Ánh", "date_of_birth": "1990-01-02"})
    assert find_reusable(index, ALICE, PaperType.GIAY_KHAI_SINH, date(2090, 1, 1)).document_id == cert.document_id


def test_different_person_or_type_never_matches(index) -> None:
    _doc(index, 7, "giay_khai_sinh", owner=ALICE)
    _doc(index, 8, "cccd", owner=ALICE, fields={"valid_until": "2040-01-01"})
    assert find_reusable(index, BOB, "giay_khai_sinh", TODAY) is None
    assert find_reusable(index, BOB, "cccd", TODAY) is None
    assert find_reusable(index, ALICE, "giay_chung_nhan_ket_hon", TODAY) is None
    assert decide_reuse(index, BOB, "giay_khai_sinh", TODAY).action is ReuseAction.STORE_NEW


def test_per_transaction_papers_are_never_reused(index) -> None:
    _doc(index, 9, "to_khai", fields={"procedure": "Đăng ký khai sinh"})
    assert find_reusable(index, ALICE, "to_khai", TODAY) is None
    assert decide_reuse(index, ALICE, "to_khai", TODAY).action is ReuseAction.STORE_NEW


def test_reuse_is_recorded_on_the_component(index, manifest, make_component) -> None:
    cert = _doc(index, 10, "giay_khai_sinh")
    index.record_dossier(manifest("HS-NEW-1"))
    with index.session() as session:  # the flow may ask inside its own session too
        assert find_reusable(session, ALICE, "giay_khai_sinh", TODAY).document_id == cert.document_id
    index.record_reuse("HS-NEW-1", "scan.pdf", make_component("giay_khai_sinh", [3]), cert.document_id)
    status = index.dossier_status("HS-NEW-1")
    assert status["reused"] is True
    assert status["items"][0]["reused_document_id"] == cert.document_id and status["items"][0]["digitized"]


# --- lookup ----------------------------------------------------------------------------------------
def test_lookup_json_shape_and_masked_id(index, index_settings) -> None:
    _doc(index, 11, "cccd", fields={"id_number": ALICE, "full_name": "Nguyễn Thị Ánh", "issued_on": "2021-04-10",
                                    "valid_until": "2031-02-03"}, source="HS-2024-1")
    _doc(index, 12, "giay_khai_sinh", fields={"full_name": "Nguyễn Thị Ánh"})
    _doc(index, 13, "cccd", owner=BOB, fields={"valid_until": "2031-02-03"})
    calls = []

    def presign(id_number, paper_type, document_id):
        calls.append((id_number, paper_type, document_id))
        return f"https://store.example/{document_id}?X-Amz-Expires=3600" if paper_type is PaperType.CCCD else None

    result = lookup(ALICE, index_settings, index=index, presign=presign)
    assert result["id_number"] == "026*******56"
    assert [set(d) for d in result["documents"]] == [{"document_id", "type", "fields", "issued_on", "valid_until",
                                                      "source_dossier", "stored_at", "download_url"}] * 2
    card = next(d for d in result["documents"] if d["type"] == "cccd")
    assert card["issued_on"] == "2021-04-10" and card["valid_until"] == "2031-02-03"
    assert card["source_dossier"] == "HS-2024-1" and card["fields"]["full_name"] == "Nguyễn Thị Ánh"
    assert card["download_url"].startswith("https://store.example/")
    assert next(d for d in result["documents"] if d["type"] == "giay_khai_sinh")["download_url"] is None
    assert {c[0] for c in calls} == {ALICE}  # never anyone else's papers
    json.dumps(result)  # JSON-ready as it is


def test_lookup_with_the_real_store_gives_an_expiring_link_or_null(index_settings, index, tmp_path) -> None:
    from pipeline.store import open_store
    from pipeline.store.documents import store_document

    store = open_store(index_settings)
    store.ensure_buckets()
    stored = store_document(store, id_number=ALICE, paper_type=PaperType.GIAY_KHAI_SINH,
                            files={"original.pdf": b"%PDF-1.4 scan", "searchable.pdf": b"%PDF-1.4 text"},
                            metadata={"source_dossier": "HS-9"})
    index.record_document(document_id=stored.document_id, id_number=ALICE, paper_type="giay_khai_sinh",
                          fields={}, keys=stored.keys, sha256=stored.sha256, original_sha256=stored.original_sha256)
    _doc(index, 14, "cccd", fields={"valid_until": "2031-01-01"})  # indexed, but not in the store
    result = lookup(ALICE, index_settings)  # opens the index and the store from settings
    links = {d["type"]: d["download_url"] for d in result["documents"]}
    assert links["cccd"] is None
    assert links["giay_khai_sinh"] and ALICE not in json.dumps(result["id_number"])


def test_malformed_id_is_refused_with_a_masked_message(index_settings) -> None:
    for bad in ("12345", "02619012345X", "999190123456", "0261901234567"):
        with pytest.raises(InvalidIdNumberError) as info:
            lookup(bad, index_settings)
        assert bad not in str(info.value)


def test_cli_lookup_json_and_exit_2(index, index_settings, monkeypatch) -> None:
    from pipeline.config import get_settings

    _doc(index, 15, "giay_khai_sinh", fields={"full_name": "Nguyễn Thị Ánh"})
    monkeypatch.setenv("SOHOA_INDEX_URL", index_settings.resolved_index_url)
    monkeypatch.setenv("SOHOA_STORE_URL", index_settings.resolved_store_url)
    monkeypatch.setenv("SOHOA_DATA_DIR", str(index_settings.data_dir))
    monkeypatch.setenv("COLUMNS", "160")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(app, ["lookup", ALICE, "--json"])
        assert ok.exit_code == 0, ok.output
        data = json.loads(ok.stdout)
        assert data["id_number"] == "026*******56" and data["documents"][0]["type"] == "giay_khai_sinh"

        bad = runner.invoke(app, ["lookup", "0261901234"])
        assert bad.exit_code == 2
        assert "invalid_id_number" in bad.stderr and "0261901234" not in bad.stderr

        table = runner.invoke(app, ["lookup", ALICE])
        assert table.exit_code == 0 and "Loại giấy tờ" in table.stdout and "Giấy khai sinh" in table.stdout
    finally:
        get_settings.cache_clear()


def test_render_lookup_headings_and_empty_result(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # a wide terminal: headings on one line each
    render_lookup({"id_number": "026*******56", "documents": [
        {"document_id": "a" * 32, "type": "cccd", "fields": {"full_name": "Nguyễn Thị Ánh"}, "issued_on": "2021-04-10",
         "valid_until": None, "source_dossier": "HS-1", "stored_at": "2024-03-15T02:30:00+00:00",
         "download_url": None}]})
    out = capsys.readouterr().out
    for heading in ("Loại giấy tờ", "Ngày cấp", "Có giá trị đến", "Hồ sơ nguồn"):
        assert heading in out
    assert "10/04/2021" in out and "026*******56" in out
    render_lookup({"id_number": "026*******56", "documents": []})
    assert "Chưa có giấy tờ" in capsys.readouterr().out


def test_unreachable_store_gives_null_links_without_retrying_every_paper(index, index_settings,
                                                                         monkeypatch) -> None:
    import pipeline.store.documents as documents
    from pipeline.errors import StorageError

    for n, kind in enumerate(("cccd", "giay_khai_sinh", "bang_cap"), start=20):
        _doc(index, n, kind, fields={"valid_until": "2031-01-01"})
    calls = []

    def unreachable(*args, **kwargs):
        calls.append(args[2])
        raise StorageError("storage unavailable after 3 attempts (connection refused)")

    monkeypatch.setattr(documents, "presign_document", unreachable)
    result = lookup(ALICE, index_settings, index=index)
    assert [d["download_url"] for d in result["documents"]] == [None, None, None]
    assert len(calls) == 1  # the store was asked once, not once per paper

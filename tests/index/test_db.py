"""The index on SQLite and PostgreSQL: migrations, dossier records, components, documents, audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from pipeline.config import Settings
from pipeline.domain.idnumber import make_id
from pipeline.domain.papers import PaperType
from pipeline.errors import InvalidIdNumberError, NotFoundError
from pipeline.index.db import alembic_config, current_revision, head_revision, make_engine, migrate, open_index
from pipeline.index.models import Base, DossierStatus

ALICE = make_id("026", 1990, "nu", 123456)
VN = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class FakeStored:
    """The fields of pipeline.store's StoredDocument that the index reads."""

    document_id: str
    id_number: str
    paper_type: PaperType
    keys: dict[str, str] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    original_sha256: str = "ab" * 32
    duplicate_of: str | None = None


def _stored(n: int, paper_type: PaperType = PaperType.CCCD, *, owner: str = ALICE, sha: str | None = None,
            duplicate_of: str | None = None) -> FakeStored:
    document_id = f"{n:032x}"
    prefix = f"{owner}/{paper_type.value}/{document_id}"
    return FakeStored(document_id=document_id, id_number=owner, paper_type=paper_type,
                      keys={"original.pdf": f"{prefix}/original.pdf", "searchable.pdf": f"{prefix}/searchable.pdf",
                            "metadata.json": f"{prefix}/metadata.json"},
                      sha256={"original.pdf": "11" * 32, "searchable.pdf": "22" * 32},
                      original_sha256=sha or f"{n:064x}", duplicate_of=duplicate_of)


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


# --- migrations ------------------------------------------------------------------------------------
def test_open_index_migrates_an_empty_database_to_head(index_settings: Settings) -> None:
    index = open_index(index_settings)
    try:
        assert current_revision(index.engine) == head_revision()
        tables = set(inspect(index.engine).get_table_names())
        assert {"dossiers", "components", "documents", "results", "events", "alembic_version"} <= tables
        assert _schema_diff(index.engine) == []  # the migrations build exactly what the models describe
        lookup_index = {i["name"]: i["column_names"] for i in inspect(index.engine).get_indexes("documents")}
        assert lookup_index["ix_documents_owner_type_version"] == ["owner_id_number", "type", "version"]
    finally:
        index.close()


def test_an_existing_index_upgrades_and_keeps_its_rows(index_url: str, index_settings: Settings) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    first = script.get_base()
    engine = make_engine(index_url)
    migrate(engine, first)  # an index created by the first release
    assert current_revision(engine) == first
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO dossiers (dossier_code, procedure_code, procedure_name, agency_code, agency_name, level, "
            "channel, received_at, applicant_id_number, applicant_name, status, result_required, files, "
            "created_at, updated_at) VALUES ('HS-OLD-1', '1.000466', 'Khai sinh', 'UBND-XA', 'UBND xã', 'xa', "
            "'truc_tiep', :t, :id, 'Nguyễn Văn An', 'done', false, '[]', :t, :t)"),
            {"t": datetime(2023, 5, 2, 3, 0), "id": ALICE})
        conn.execute(text(
            "INSERT INTO components (dossier_id, position, file, pages, page_key, type, confidence, needs_review, "
            "status, digitized, recorded_at) SELECT id, 1, 'scan.pdf', '[1]', '1', 'khac', 0.4, true, 'review', "
            "false, :t FROM dossiers WHERE dossier_code = 'HS-OLD-1'"), {"t": datetime(2023, 5, 2, 3, 5)})
    engine.dispose()

    index = open_index(index_settings)  # the new release opens it: upgraded in place
    try:
        assert current_revision(index.engine) == head_revision()
        assert _schema_diff(index.engine) == []
        status = index.dossier_status("HS-OLD-1")
        assert status["status"] == "done" and status["received_at"].startswith("2023-05-02T03:00")
        assert status["items"][0]["status"] == "review" and status["items"][0]["pages"] == [1]
        assert status["items"][0]["notes"] == []  # revision 0002 added notes; old rows get none
        migrate(index.engine)  # at head already: a no-op
        assert current_revision(index.engine) == head_revision()
    finally:
        index.close()


def test_migrations_downgrade_and_upgrade_again(index_url: str) -> None:
    from alembic import command

    engine = make_engine(index_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            command.downgrade(alembic_config(conn), "base")
            conn.commit()
        assert current_revision(engine) is None
        assert not {"dossiers", "documents"} & set(inspect(engine).get_table_names())
        migrate(engine)
        assert current_revision(engine) == head_revision() and _schema_diff(engine) == []
    finally:
        engine.dispose()


# --- dossiers --------------------------------------------------------------------------------------
def test_record_dossier_is_idempotent_and_keeps_aware_times(index, manifest) -> None:
    m = manifest("HS-1", received_at=datetime(2024, 3, 15, 9, 30, tzinfo=VN))
    index.record_dossier(m)
    index.record_dossier(m)  # a retried task
    status = index.dossier_status("HS-1")
    assert status["status"] == DossierStatus.RECEIVED
    assert status["received_at"] == "2024-03-15T02:30:00+00:00"
    assert status["applicant_id_number"] == "026*******56"
    assert [e["action"] for e in index.events(dossier_code="HS-1")] == ["dossier_recorded"]

    index.record_dossier(manifest("HS-1", results=["ket_qua.pdf"]))  # manifest corrected: updated in place
    assert index.dossier_status("HS-1")["result_required"] is True
    assert [e["action"] for e in index.events(dossier_code="HS-1")] == ["dossier_recorded", "dossier_updated"]


def test_dossier_status_counts_components_and_tells_digitized(index, manifest, make_component) -> None:
    index.record_dossier(manifest("HS-2", results=["kq.pdf"]))
    index.record_stored("HS-2", "scan.pdf", make_component("cccd", [1, 2]), _stored(1),
                        fields={"id_number": ALICE, "valid_until": "2035-01-01"})
    index.record_quarantine("HS-2", "broken.pdf", "truncated_file", f"file of {ALICE} is truncated")
    index.set_dossier_status("HS-2", DossierStatus.REVIEW)

    status = index.dossier_status("HS-2")
    assert status["status"] == "review"
    assert status["components"] == {"total": 2, "stored": 1, "reused": 0, "quarantined": 1, "review": 0}
    assert status["digitized"] is False and status["reused"] is False
    bad = next(item for item in status["items"] if item["status"] == "quarantined")
    assert bad["quarantine_code"] == "truncated_file" and ALICE not in bad["quarantine_message"]
    assert "026*******56" in bad["quarantine_message"]

    # the quarantined file re-scanned and stored, the result digitized: now digitized in the 4.2 sense
    index.record_component("HS-2", "broken.pdf", make_component("khac", []), status="stored", digitized=True)
    index.record_result("HS-2", result_id="KQ-1", name="Giấy khai sinh (bản chính)", file_key="results/HS-2/kq.pdf")
    status = index.dossier_status("HS-2")
    assert status["components"]["total"] == 2 and status["components"]["quarantined"] == 0
    assert status["digitized"] is True


def test_component_notes_are_kept_for_review(index, manifest) -> None:
    from pipeline.domain.records import Component

    index.record_dossier(manifest("HS-NOTE"))
    book = Component(type=PaperType.KHAC, pages=[4, 5], confidence=0.81, needs_review=True,
                     notes=[f"household book of {ALICE}: void since 2023-01-01"])
    index.record_component("HS-NOTE", "scan.pdf", book, status="review")
    (item,) = index.dossier_status("HS-NOTE")["items"]
    assert item["notes"] == ["household book of 026*******56: void since 2023-01-01"]
    assert item["needs_review"] is True and item["digitized"] is False and item["pages"] == [4, 5]


def test_unknown_dossier_is_not_found(index) -> None:
    with pytest.raises(NotFoundError):
        index.dossier_status("HS-NOPE")


# --- documents -------------------------------------------------------------------------------------
def test_record_stored_links_component_and_derives_dates(index, manifest, make_component) -> None:
    index.record_dossier(manifest("HS-3"))
    row = index.record_stored("HS-3", "scan.pdf", make_component("cccd", [1, 2]), _stored(7),
                              fields={"id_number": ALICE, "full_name": "Nguyễn Thị Ánh",
                                      "issued_on": "2021-04-10", "valid_until": "2030-06-01"},
                              model_version="clf-3")
    assert row.type is PaperType.CCCD and row.version == 1 and row.id_number == ALICE
    assert row.issued_on == date(2021, 4, 10) and row.valid_until == date(2030, 6, 1)
    assert row.source_dossier == "HS-3" and row.procedure_code == "1.000466" and row.page_count == 2
    assert row.stored_at.tzinfo is not None
    assert ALICE not in repr(row)
    again = index.record_stored("HS-3", "scan.pdf", make_component("cccd", [1, 2]), _stored(7),
                                fields={"id_number": ALICE})  # retried: same row, same component
    assert again.document_id == row.document_id and again.fields["full_name"] == "Nguyễn Thị Ánh"
    status = index.dossier_status("HS-3")
    assert status["components"]["total"] == 1 and status["items"][0]["document_id"] == row.document_id


def test_same_paper_stored_twice_is_reported_not_silent(index, manifest, make_component) -> None:
    index.record_dossier(manifest("HS-4"))
    index.record_dossier(manifest("HS-5"))
    first = index.record_stored("HS-4", "a.pdf", make_component("giay_khai_sinh"), _stored(10, PaperType.GIAY_KHAI_SINH),
                                fields={})
    dup = _stored(10, PaperType.GIAY_KHAI_SINH, duplicate_of=first.document_id)  # what the store answers
    linked = index.record_stored("HS-5", "b.pdf", make_component("giay_khai_sinh"), dup, fields={})
    assert linked.document_id == first.document_id
    assert len(index.documents_of(ALICE)) == 1
    assert "duplicate_detected" in [e["action"] for e in index.events(dossier_code="HS-5")]
    # the same bytes under another document id (e.g. classified as another type) are flagged as well
    twin = index.record_document(document_id=f"{99:032x}", id_number=ALICE, paper_type="khac", fields={},
                                 original_sha256=first.original_sha256)
    assert twin.duplicate_of == first.document_id
    assert [d.document_id for d in index.find_duplicates(first.original_sha256)] == [first.document_id,
                                                                                    twin.document_id]


def test_record_document_refuses_a_malformed_id_number(index) -> None:
    with pytest.raises(InvalidIdNumberError) as info:
        index.record_document(document_id=f"{1:032x}", id_number="12345", paper_type="cccd", fields={})
    assert "12345" not in str(info.value)
    assert index.documents_of("12345") == []


def test_reuse_of_an_unknown_document_is_refused(index, manifest, make_component) -> None:
    index.record_dossier(manifest("HS-6"))
    with pytest.raises(NotFoundError):
        index.record_reuse("HS-6", "scan.pdf", make_component("cccd"), f"{12345:032x}")


# --- audit trail -----------------------------------------------------------------------------------
def test_events_record_who_did_what_and_are_masked(index, manifest, make_component) -> None:
    index.record_dossier(manifest("HS-7", full_name="Trần Văn Bình"), actor="flow:digitize")
    index.record_stored("HS-7", "scan.pdf", make_component("cccd"), _stored(20),
                        fields={"id_number": ALICE, "full_name": "Trần Văn Bình"}, actor="task:store")
    index.record_event("canbo.nguyen", "viewed_document", dossier_code="HS-7", document_id=f"{20:032x}",
                       details={"id_number": ALICE, "full_name": "Trần Văn Bình", "date_of_birth": "1990-01-02",
                                "note": f"citizen {ALICE} asked for a copy",
                                "nested": [{"mother_name": "Lê Thị Cúc"}]})
    events = index.events(dossier_code="HS-7")
    assert [(e["actor"], e["action"]) for e in events] == [
        ("flow:digitize", "dossier_recorded"), ("task:store", "document_stored"),
        ("canbo.nguyen", "viewed_document")]
    assert all(datetime.fromisoformat(e["at"]).tzinfo is not None for e in events)
    dumped = repr(events)
    for secret in (ALICE, "Trần Văn Bình", "1990-01-02", "Lê Thị Cúc"):
        assert secret not in dumped
    viewed = events[-1]["details"]
    assert viewed["id_number"] == "026*******56" and viewed["full_name"] == "T. V. B."
    assert viewed["note"] == "citizen 026*******56 asked for a copy"
    assert viewed["nested"] == [{"mother_name": "L. T. C."}]


def test_records_what_the_real_store_returns_including_its_duplicates(index, index_settings, manifest,
                                                                      make_component) -> None:
    from pipeline.store import open_store
    from pipeline.store.documents import store_document

    store = open_store(index_settings)
    store.ensure_buckets()
    files = {"original.pdf": b"%PDF-1.4 the scan", "searchable.pdf": b"%PDF-1.4 with text"}
    index.record_dossier(manifest("HS-REAL-1"))
    index.record_dossier(manifest("HS-REAL-2"))
    first = store_document(store, id_number=ALICE, paper_type=PaperType.GIAY_KHAI_SINH, files=files,
                           metadata={"source_dossier": "HS-REAL-1"})
    row = index.record_stored("HS-REAL-1", "scan.pdf", make_component("giay_khai_sinh"), first,
                              fields={"full_name": "Nguyễn Thị Ánh"})
    assert row.keys == first.keys and row.sha256 == first.sha256 and row.id_number == ALICE
    again = store_document(store, id_number=ALICE, paper_type=PaperType.GIAY_KHAI_SINH, files=files,
                           metadata={"source_dossier": "HS-REAL-2"})
    assert again.duplicate_of == first.document_id
    linked = index.record_stored("HS-REAL-2", "scan.pdf", make_component("giay_khai_sinh"), again, fields={})
    assert linked.document_id == first.document_id and linked.source_dossier == "HS-REAL-1"
    assert "duplicate_detected" in [e["action"] for e in index.events(dossier_code="HS-REAL-2")]
    assert index.dossier_status("HS-REAL-2")["items"][0]["document_id"] == first.document_id

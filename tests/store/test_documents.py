"""Document-level storage on every backend: complete-or-absent, duplicates, corrections, privacy."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest

from pipeline.domain.idnumber import is_valid_id
from pipeline.domain.papers import PaperType
from pipeline.errors import (IntegrityError, InvalidIdNumberError, NotFoundError, StorageError,
                             UnsafePathError)
from pipeline.store import documents as docs
from pipeline.store import keys
from pipeline.store.base import ObjectStore, sha256_hex

FULL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


def paper(seed: int = 1) -> dict[str, bytes]:
    return {"original.jpg": bytes([seed]) * 2048 + b"scan",
            "searchable.pdf": b"%PDF-1.7 " + bytes([seed]) * 512,
            "ocr.json": json.dumps({"text": f"CĂN CƯỚC {seed}", "confidence": 91.5}, ensure_ascii=False).encode()}


META = {"fields": {"ho_ten": "NGUYỄN VĂN AN", "ngay_sinh": "1990-01-02"}, "confidence": 0.93,
        "source_dossier": "HS-2024-0001", "procedure": "1.001234", "agency": "UBND xã Yên Lạc", "page_count": 1,
        "pipeline_version": "0.1.0", "model_version": "clf-1"}


class FailingStore(ObjectStore):
    """Delegates to a real store and fails every put after the first `after` (a simulated outage)."""

    def __init__(self, inner: ObjectStore, after: int) -> None:
        self.inner, self.after, self.puts = inner, after, 0
        self.bucket_prefix, self.backend = inner.bucket_prefix, inner.backend

    def put(self, bucket, key, data, *, content_type, metadata=None):
        if self.puts >= self.after:
            raise StorageError("simulated outage: connection refused")
        self.puts += 1
        return self.inner.put(bucket, key, data, content_type=content_type, metadata=metadata)

    def get(self, bucket, key, *, version_id=None, expected_sha256=None):
        return self.inner.get(bucket, key, version_id=version_id, expected_sha256=expected_sha256)

    def stat(self, bucket, key):
        return self.inner.stat(bucket, key)

    def list(self, bucket, prefix):
        return self.inner.list(bucket, prefix)

    def versions(self, bucket, key):
        return self.inner.versions(bucket, key)

    def delete(self, bucket, key):
        return self.inner.delete(bucket, key)

    def presigned_url(self, bucket, key, *, expires):
        return self.inner.presigned_url(bucket, key, expires=expires)

    def ensure_buckets(self):
        return self.inner.ensure_buckets()


def test_store_and_read_a_document(store: ObjectStore, person: str):
    files = paper()
    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=files, metadata=META)
    assert doc.duplicate_of is None and doc.original_sha256 == sha256_hex(files["original.jpg"])
    assert set(doc.keys) == {"original.jpg", "searchable.pdf", "ocr.json", "metadata.json"}
    assert all(k.startswith(f"{person}/cccd/{doc.document_id}/") for k in doc.keys.values())
    assert person not in repr(doc) and person not in str(doc)

    meta, blobs = docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    assert blobs == files
    assert meta["fields"] == META["fields"] and meta["type"] == "cccd" and meta["page_count"] == 1
    assert meta["source_dossier"] == "HS-2024-0001" and meta["pipeline_version"] == "0.1.0"
    assert {n: o["sha256"] for n, o in meta["objects"].items()} == {n: sha256_hex(b) for n, b in files.items()}
    assert meta["stored_at"]


def test_list_documents_by_person_and_type(store: ObjectStore, person: str, other_person: str):
    a = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(1), metadata=META)
    b = docs.store_document(store, id_number=person, paper_type=PaperType.GIAY_KHAI_SINH, files=paper(2),
                            metadata=META)
    c = docs.store_document(store, id_number=other_person, paper_type=PaperType.CCCD, files=paper(1), metadata=META)
    assert c.document_id != a.document_id  # the same bytes for another person are that person's own paper
    assert {d.document_id for d in docs.list_documents(store, person)} == {a.document_id, b.document_id}
    assert [d.document_id for d in docs.list_documents(store, person, PaperType.CCCD)] == [a.document_id]
    assert [d.document_id for d in docs.list_documents(store, other_person)] == [c.document_id]
    assert docs.list_documents(store, person, PaperType.BANG_CAP) == []


def test_the_same_paper_twice_is_one_document_and_reported(store: ObjectStore, person: str, caplog):
    first = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    with caplog.at_level(logging.WARNING, logger="pipeline.store"):
        again = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(),
                                    metadata={**META, "source_dossier": "HS-2024-0099"})
    assert again.duplicate_of == first.document_id == again.document_id
    assert any("duplicate" in r.getMessage() for r in caplog.records)
    assert len(docs.list_documents(store, person)) == 1
    assert len(store.versions(keys.CITIZEN_DATA, first.metadata_key)) == 1  # nothing rewritten
    meta, _ = docs.read_document(store, person, PaperType.CCCD, first.document_id)
    assert meta["source_dossier"] == "HS-2024-0001"


def test_a_correction_keeps_the_earlier_version(store: ObjectStore, person: str):
    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    old_ocr = paper()["ocr.json"]
    new_ocr = b'{"text": "corrected"}'
    fixed = docs.correct_document(store, id_number=person, paper_type=PaperType.CCCD, document_id=doc.document_id,
                                  reason="staff fixed the name", files={"ocr.json": new_ocr},
                                  metadata_updates={"fields": {"ho_ten": "NGUYỄN VĂN ÂN"}})
    meta, blobs = docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    assert blobs["ocr.json"] == new_ocr and meta["fields"]["ho_ten"] == "NGUYỄN VĂN ÂN"
    assert meta["corrections"][0]["files"] == ["ocr.json"]
    assert fixed.sha256["ocr.json"] == sha256_hex(new_ocr)
    ocr_versions = store.versions(keys.CITIZEN_DATA, doc.keys["ocr.json"])
    assert [v.sha256 for v in ocr_versions] == [sha256_hex(new_ocr), sha256_hex(old_ocr)]
    assert store.get(keys.CITIZEN_DATA, doc.keys["ocr.json"], version_id=ocr_versions[1].version_id) == old_ocr
    meta_versions = store.versions(keys.CITIZEN_DATA, doc.metadata_key)
    assert len(meta_versions) == 2
    earlier = json.loads(store.get(keys.CITIZEN_DATA, doc.metadata_key, version_id=meta_versions[1].version_id))
    assert earlier["fields"]["ho_ten"] == "NGUYỄN VĂN AN"
    with pytest.raises(UnsafePathError):
        docs.correct_document(store, id_number=person, paper_type=PaperType.CCCD, document_id=doc.document_id,
                              reason="x", files={"original.jpg": b"other"})


def test_read_document_detects_a_corrupted_object(store: ObjectStore, person: str):
    from tests.store.test_contract import tamper

    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    tamper(store, keys.CITIZEN_DATA, doc.keys["searchable.pdf"], b"%PDF-1.7 forged")
    with pytest.raises(IntegrityError):
        store.get(keys.CITIZEN_DATA, doc.keys["searchable.pdf"])
    # read_document reads the versions metadata.json recorded, each checked against its recorded hash
    if store.backend == "local":
        with pytest.raises(IntegrityError):
            docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    else:  # on S3 the tampering is a new version: the recorded one is still intact and is what is read
        _, blobs = docs.read_document(store, person, PaperType.CCCD, doc.document_id)
        assert blobs["searchable.pdf"] == paper()["searchable.pdf"]


def test_malformed_id_and_traversal_are_refused_before_anything_is_written(store: ObjectStore, person: str,
                                                                           other_person: str):
    fullwidth = "０２６０９０１２３４５６"
    for bad in ["02609012345", "026090123456/../" + other_person, "000090123456", fullwidth]:
        with pytest.raises((InvalidIdNumberError, UnsafePathError)):
            docs.store_document(store, id_number=bad, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    with pytest.raises(UnsafePathError):
        docs.store_document(store, id_number=person, paper_type="../" + other_person, files=paper(), metadata=META)
    with pytest.raises(UnsafePathError):
        docs.store_document(store, id_number=person, paper_type=PaperType.CCCD,
                            files={"original.jpg": b"x", f"../../{other_person}/cccd/x": b"y"}, metadata=META)
    with pytest.raises(UnsafePathError):
        docs.read_document(store, person, PaperType.CCCD, f"../../{other_person}")
    with pytest.raises(UnsafePathError):
        docs.put_intake(store, "../HS-1", "a.pdf", b"x")
    with pytest.raises(UnsafePathError):
        docs.quarantine(store, "HS-1", "../../citizen-data/x", b"x", {"code": "c", "message": "m"})
    assert list(store.list(keys.CITIZEN_DATA, "")) == []
    assert list(store.list(keys.INTAKE, "")) == [] and list(store.list(keys.QUARANTINE, "")) == []


def test_a_person_cannot_read_another_persons_document(store: ObjectStore, person: str, other_person: str):
    doc = docs.store_document(store, id_number=other_person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    with pytest.raises(NotFoundError):
        docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    with pytest.raises(NotFoundError):
        docs.presign_document(store, person, PaperType.CCCD, doc.document_id, expires=timedelta(minutes=5))


def test_no_full_id_number_in_any_log_line(store: ObjectStore, person: str, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, including the HTTP client's request lines
    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    docs.correct_document(store, id_number=person, paper_type=PaperType.CCCD, document_id=doc.document_id,
                          reason=f"wrong digit in {person}", metadata_updates={"confidence": 0.99})
    docs.presign_document(store, person, PaperType.CCCD, doc.document_id, expires=timedelta(minutes=5))
    docs.quarantine(store, "HS-1", "blurred.jpg", b"x", {"code": "unreadable_image",
                                                         "message": f"ID {person} unreadable"})
    docs.find_incomplete(store, person)
    with pytest.raises(IntegrityError) as err:
        store.get(keys.CITIZEN_DATA, doc.keys["ocr.json"], expected_sha256="0" * 64)
    assert person not in str(err.value)
    assert caplog.records, "the run logged nothing: the check would be vacuous"
    if store.backend == "s3":  # the HTTP client's request lines (URLs hold keys) were checked too
        assert any(r.name.startswith("urllib3") for r in caplog.records)
    leaks = [r.getMessage() for r in caplog.records
             if person in r.getMessage() or any(is_valid_id(m) for m in FULL_ID.findall(r.getMessage()))]
    assert leaks == []
    reason = json.loads(store.get(keys.QUARANTINE, keys.quarantine_reason_key("HS-1", "blurred.jpg")))
    assert person not in reason["message"]


def test_an_interrupted_document_is_incomplete_and_a_retry_completes_it(store: ObjectStore, person: str):
    files = paper()
    flaky = FailingStore(store, after=2)  # original + one more object, then the outage
    with pytest.raises(StorageError) as err:
        docs.store_document(flaky, id_number=person, paper_type=PaperType.CCCD, files=files, metadata=META)
    assert err.value.transient
    assert docs.list_documents(store, person) == []
    incomplete = docs.find_incomplete(store, person)
    assert len(incomplete) == 1 and keys.METADATA_NAME not in incomplete[0].names and len(incomplete[0].names) == 2
    with pytest.raises(NotFoundError):
        docs.read_document(store, person, PaperType.CCCD, incomplete[0].document_id)

    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=files, metadata=META)
    assert doc.document_id == incomplete[0].document_id and doc.duplicate_of is None
    assert docs.find_incomplete(store, person) == []
    _, blobs = docs.read_document(store, person, PaperType.CCCD, doc.document_id)
    assert blobs == files
    for name in files:  # the retry did not pile up versions of objects already written
        assert len(store.versions(keys.CITIZEN_DATA, doc.keys[name])) == 1


def test_cleanup_incomplete_hides_the_half_written_folder(store: ObjectStore, person: str):
    with pytest.raises(StorageError):
        docs.store_document(FailingStore(store, after=1), id_number=person, paper_type=PaperType.CCCD,
                            files=paper(), metadata=META)
    removed = docs.cleanup_incomplete(store, person)
    assert len(removed) == 1
    assert docs.find_incomplete(store, person) == [] and list(store.list(keys.CITIZEN_DATA, person + "/")) == []


def test_intake_results_and_quarantine(store: ObjectStore):
    obj = docs.put_intake(store, "HS-2024-0001", "giấy khai sinh.pdf", b"%PDF scan")
    assert store.get(keys.INTAKE, obj.key) == b"%PDF scan" and obj.key == "HS-2024-0001/giấy khai sinh.pdf"
    docs.put_result(store, "HS-2024-0001", "quyet-dinh.pdf", b"%PDF result")
    assert list(store.list(keys.RESULTS, "HS-2024-0001/")) == ["HS-2024-0001/quyet-dinh.pdf"]
    key = docs.quarantine(store, "HS-2024-0001", "broken.pdf", b"%PDF trunc",
                          {"code": "truncated_file", "message": "PDF ends early"})
    assert key == "HS-2024-0001/broken.pdf"
    reason = json.loads(store.get(keys.QUARANTINE, key + ".reason.json"))
    assert reason["code"] == "truncated_file" and reason["sha256"] == sha256_hex(b"%PDF trunc")
    with pytest.raises(ValueError):
        docs.quarantine(store, "HS-1", "x.pdf", b"x", {"message": "no code"})


def test_presign_document_links_the_searchable_pdf(backend, person: str):
    store = backend.store
    doc = docs.store_document(store, id_number=person, paper_type=PaperType.CCCD, files=paper(), metadata=META)
    url = docs.presign_document(store, person, PaperType.CCCD, doc.document_id, expires=timedelta(minutes=5))
    assert "searchable.pdf" in url
    if backend.name == "local":
        assert store.open_url(url) == paper()["searchable.pdf"]
    else:
        from tests.store.test_contract import _fetch

        assert _fetch(url) == paper()["searchable.pdf"]


def test_concurrent_writers_store_every_document_intact(store: ObjectStore, person: str, other_person: str):
    from concurrent.futures import ThreadPoolExecutor

    jobs = [(p, kind, paper(seed)) for seed, (p, kind) in enumerate(
        [(a, k) for a in (person, other_person) for k in (PaperType.CCCD, PaperType.GIAY_KHAI_SINH,
                                                          PaperType.TO_KHAI, PaperType.BANG_CAP)], start=10)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        stored = list(pool.map(lambda j: docs.store_document(store, id_number=j[0], paper_type=j[1], files=j[2],
                                                             metadata=META), jobs))
    assert all(d.duplicate_of is None for d in stored)
    for (ident, kind, files), doc in zip(jobs, stored):
        assert docs.read_document(store, ident, kind, doc.document_id)[1] == files
    assert len(docs.list_documents(store, person)) == 4 and len(docs.list_documents(store, other_person)) == 4

"""The object-store contract, run unchanged on every backend (local, moto S3, real MinIO if configured)."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline.errors import IntegrityError, InvalidLinkError, NotFoundError, UnsafePathError
from pipeline.store import keys
from pipeline.store.base import SHA256_META, ObjectStore, sha256_hex
from pipeline.store.local import LocalStore
from pipeline.store.s3 import S3Store

B = keys.CITIZEN_DATA


def tamper(store: ObjectStore, bucket: str, key: str, data: bytes) -> None:
    """Change an object's bytes behind the store's back, keeping its recorded SHA-256."""
    if isinstance(store, LocalStore):
        current = store.stat(bucket, key)
        path = store.root / store.physical_bucket(bucket) / ".versions" / key / f"{current.version_id}.data"
        path.write_bytes(data)  # in place, like bit rot or an edit on disk
    else:
        assert isinstance(store, S3Store)
        recorded = store.stat(bucket, key).sha256
        # a raw SDK write that forges the old hash (what a careless tool or an attacker would do)
        store.client.put_object(store.physical_bucket(bucket), key, io.BytesIO(data), len(data),
                                metadata={SHA256_META: recorded})


def test_put_get_roundtrip_records_and_checks_sha256(store: ObjectStore, person: str):
    key = f"{person}/cccd/{'a' * 32}/original.jpg"
    data = bytes(range(256)) * 40
    obj = store.put(B, key, data, content_type="image/jpeg", metadata={"source": "HS-1", "note": "Giấy tờ"})
    assert obj.sha256 == sha256_hex(data) and obj.size == len(data)
    assert store.get(B, key) == data
    assert store.get(B, key, expected_sha256=sha256_hex(data)) == data
    stat = store.stat(B, key)
    assert stat is not None and stat.sha256 == obj.sha256 and stat.size == len(data)
    assert stat.metadata.get("source") == "HS-1" and stat.metadata.get("note") == "Giấy tờ"
    assert stat.content_type == "image/jpeg"


def test_put_accepts_a_binary_file(store: ObjectStore):
    obj = store.put(keys.INTAKE, "HS-2/scan.pdf", io.BytesIO(b"%PDF-1.7 body"), content_type="application/pdf")
    assert store.get(keys.INTAKE, "HS-2/scan.pdf", expected_sha256=obj.sha256) == b"%PDF-1.7 body"


def test_get_with_a_wrong_expected_hash_is_an_integrity_error(store: ObjectStore):
    store.put(keys.INTAKE, "HS-3/a.png", b"png-bytes", content_type="image/png")
    with pytest.raises(IntegrityError):
        store.get(keys.INTAKE, "HS-3/a.png", expected_sha256="0" * 64)


def test_corrupted_object_is_detected_on_read(store: ObjectStore, person: str):
    key = f"{person}/cccd/{'b' * 32}/searchable.pdf"
    store.put(B, key, b"%PDF original content", content_type="application/pdf")
    tamper(store, B, key, b"%PDF altered  content")
    with pytest.raises(IntegrityError) as err:
        store.get(B, key)
    assert not err.value.transient
    assert person not in str(err.value)  # the key is masked in the message


def test_missing_object(store: ObjectStore):
    assert store.stat(keys.RESULTS, "HS-4/none.pdf") is None
    with pytest.raises(NotFoundError):
        store.get(keys.RESULTS, "HS-4/none.pdf")


def test_list_by_person_and_type(store: ObjectStore, person: str, other_person: str):
    written = {
        f"{person}/cccd/{'1' * 32}/original.jpg", f"{person}/cccd/{'1' * 32}/metadata.json",
        f"{person}/giay_khai_sinh/{'2' * 32}/original.pdf",
        f"{other_person}/cccd/{'3' * 32}/original.jpg",
    }
    for key in written:
        store.put(B, key, key.encode(), content_type="application/octet-stream")
    assert set(store.list(B, keys.person_prefix(person))) == {k for k in written if k.startswith(person)}
    assert list(store.list(B, keys.type_prefix(person, "cccd"))) == sorted(
        [f"{person}/cccd/{'1' * 32}/metadata.json", f"{person}/cccd/{'1' * 32}/original.jpg"])
    assert list(store.list(B, keys.type_prefix(other_person, "giay_khai_sinh"))) == []


def test_versioning_keeps_every_version_and_delete_is_a_marker(store: ObjectStore, person: str):
    key = f"{person}/cccd/{'c' * 32}/ocr.json"
    first = store.put(B, key, b'{"v": 1}', content_type="application/json")
    second = store.put(B, key, b'{"v": 2, "corrected": true}', content_type="application/json")
    assert store.get(B, key) == b'{"v": 2, "corrected": true}'
    versions = store.versions(B, key)
    assert [v.sha256 for v in versions] == [second.sha256, first.sha256]  # newest first
    assert store.get(B, key, version_id=first.version_id) == b'{"v": 1}'

    store.delete(B, key)
    assert store.stat(B, key) is None
    assert key not in set(store.list(B, keys.person_prefix(person)))
    assert len(store.versions(B, key)) == 2  # the delete destroyed nothing
    assert store.get(B, key, version_id=first.version_id) == b'{"v": 1}'


def test_ensure_buckets_is_idempotent_and_reports_encryption(store: ObjectStore):
    store.ensure_buckets()
    assert store.encryption_status and store.encryption_status != "unknown"
    if isinstance(store, S3Store):
        for bucket in keys.BUCKETS:
            assert store.client.get_bucket_versioning(store.physical_bucket(bucket)).status == "Enabled"
        if store.encryption_status.startswith("on"):  # new objects come back marked as encrypted at rest
            store.put(keys.INTAKE, "HS-5/a.pdf", b"%PDF", content_type="application/pdf")
            head = store.client.stat_object(store.physical_bucket(keys.INTAKE), "HS-5/a.pdf")
            assert head.metadata.get("x-amz-server-side-encryption") == "AES256"


def test_keys_that_escape_are_refused_by_every_backend(store: ObjectStore):
    for key in ["../etc/passwd", "/abs/path", "a/../../b", "a//b", "a/./b", ".versions/x", "a/\x00b", "a\\b", ""]:
        with pytest.raises(UnsafePathError):
            store.put(keys.INTAKE, key, b"x", content_type="text/plain")
    with pytest.raises(UnsafePathError):
        store.put("someone-elses-bucket", "HS/a.pdf", b"x", content_type="text/plain")


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback test server)
        return response.read()


def test_presigned_url_works_before_expiry_and_fails_after(backend, person: str):
    store = backend.store
    key = f"{person}/cccd/{'d' * 32}/searchable.pdf"
    store.put(B, key, b"%PDF citizen copy", content_type="application/pdf")

    if isinstance(store, LocalStore):
        url = store.presigned_url(B, key, expires=timedelta(minutes=10))
        assert url.startswith("file://")
        assert store.open_url(url) == b"%PDF citizen copy"
        later = datetime.now(timezone.utc) + timedelta(minutes=11)
        with pytest.raises(InvalidLinkError, match="expired"):
            store.verify_url(url, now=later)
        with pytest.raises(InvalidLinkError, match="token"):
            store.verify_url(url.replace(f"{person}/cccd", f"{person[:-1]}9/cccd"))
        return

    url = store.presigned_url(B, key, expires=timedelta(seconds=2))
    assert _fetch(url) == b"%PDF citizen copy"
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["X-Amz-Expires"] == "2" and query["X-Amz-Signature"]
    issued = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    time.sleep(3)
    # SigV4 says the link is dead once X-Amz-Date + X-Amz-Expires has passed
    assert datetime.now(timezone.utc) > issued + timedelta(seconds=int(query["X-Amz-Expires"]))
    if backend.enforces_link_expiry:
        with pytest.raises(urllib.error.HTTPError) as err:
            _fetch(url)
        assert err.value.code == 403
    # moto: its server does not check X-Amz-Expires; the assertion above checks the link we issue


def test_presigned_expiry_bounds(store: ObjectStore):
    store.put(keys.RESULTS, "HS-9/quyet-dinh.pdf", b"%PDF", content_type="application/pdf")
    with pytest.raises(ValueError):
        store.presigned_url(keys.RESULTS, "HS-9/quyet-dinh.pdf", expires=timedelta(days=8))

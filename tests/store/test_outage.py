"""A real outage: the S3 server (moto on loopback) is stopped in the middle of a dossier, then
restarted on the same port. Every document must end up complete or absent, and the retry completes."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.domain.papers import PaperType
from pipeline.errors import NotFoundError, StorageError, StorageRefusedError
from pipeline.store import documents as docs
from pipeline.store import keys
from tests.store.conftest import make_s3, restart_moto, start_moto, stop_moto
from tests.store.test_documents import META, paper

pytestmark = pytest.mark.xdist_group("moto-outage")


def test_server_stopped_mid_dossier_then_restarted(person: str, other_person: str):
    server = start_moto()
    host, port = server.get_host_and_port()
    store = make_s3(f"{host}:{port}", max_attempts=3, backoff_seconds=0.05, timeout_seconds=3.0)
    store.ensure_buckets()
    dossier = [(person, PaperType.CCCD, paper(1)), (person, PaperType.GIAY_KHAI_SINH, paper(2)),
               (other_person, PaperType.CCCD, paper(3))]

    # stop the server right after the 5th put: document 1 (3 objects + metadata.json) is complete,
    # document 2 has its original only, document 3 never started
    real_put, puts = store.put, []

    def put_then_maybe_stop(*args, **kwargs):
        result = real_put(*args, **kwargs)
        puts.append(args[1])
        if len(puts) == 5:
            stop_moto(server)
        return result

    store.put = put_then_maybe_stop  # type: ignore[method-assign]
    stored = []
    try:
        with pytest.raises(StorageError) as err:
            for ident, kind, files in dossier:
                stored.append(docs.store_document(store, id_number=ident, paper_type=kind, files=files, metadata=META))
        assert err.value.transient, "an outage must be retryable"
        assert person not in str(err.value)
        assert len(stored) == 1

        # the server comes back on the same port (moto keeps its state in-process, like MinIO's disk)
        server = restart_moto(port)
        store.put = real_put  # type: ignore[method-assign]

        assert [d.document_id for d in docs.list_documents(store, person)] == [stored[0].document_id]
        half = docs.find_incomplete(store, person)
        assert [(h.paper_type, h.names) for h in half] == [(PaperType.GIAY_KHAI_SINH, ("original.jpg",))]
        with pytest.raises(NotFoundError):
            docs.read_document(store, person, PaperType.GIAY_KHAI_SINH, half[0].document_id)
        assert docs.list_documents(store, other_person) == [] and docs.find_incomplete(store, other_person) == []

        # the flow retries the whole dossier: done documents are recognised, the rest complete
        retried = [docs.store_document(store, id_number=i, paper_type=k, files=f, metadata=META)
                   for i, k, f in dossier]
        assert retried[0].duplicate_of == stored[0].document_id
        assert retried[1].duplicate_of is None and retried[1].document_id == half[0].document_id
        assert retried[2].duplicate_of is None
        for (ident, kind, files), doc in zip(dossier, retried):
            _, blobs = docs.read_document(store, ident, kind, doc.document_id)
            assert blobs == files
            assert len(store.versions(keys.CITIZEN_DATA, doc.keys["original.jpg"])) == 1
        assert docs.find_incomplete(store, person) == [] and docs.find_incomplete(store, other_person) == []
    finally:
        stop_moto(server)


def test_an_unreachable_server_is_a_transient_storage_error():
    server = start_moto()
    host, port = server.get_host_and_port()
    stop_moto(server)
    store = make_s3(f"{host}:{port}", max_attempts=2, backoff_seconds=0.01, timeout_seconds=2.0)
    with pytest.raises(StorageError) as err:
        store.put(keys.INTAKE, "HS-1/a.pdf", b"x", content_type="application/pdf")
    assert err.value.transient and "2 attempts" in str(err.value)


class _Canned(BaseHTTPRequestHandler):
    """An S3 endpoint that always answers with one status (503 overloaded, 502 proxy page, 403 wrong key)."""

    status = 503
    hits = 0

    def _answer(self) -> None:
        type(self).hits += 1
        html = self.status == 502  # a reverse proxy's error page, not S3 XML
        body = (b"<html><body>502 Bad Gateway</body></html>" if html else
                (f"<?xml version='1.0'?><Error><Code>{'SlowDown' if self.status == 503 else 'AccessDenied'}</Code>"
                 f"<Message>canned</Message></Error>").encode())
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html" if html else "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    do_GET = do_HEAD = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("status, transient", [(503, True), (502, True), (403, False)])
def test_server_errors_are_typed(status: int, transient: bool):
    handler = type("Handler", (_Canned,), {"status": status, "hits": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = make_s3(f"127.0.0.1:{server.server_address[1]}", max_attempts=3, backoff_seconds=0.01)
        with pytest.raises(StorageError) as err:
            store.put(keys.INTAKE, "HS-1/a.pdf", b"x", content_type="application/pdf")
        assert err.value.transient is transient
        assert isinstance(err.value, StorageRefusedError) is (not transient)
        assert handler.hits == (3 if transient else 1)  # only transient failures are retried
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_never_answers_times_out_as_transient():
    with socket.socket() as silent:  # accepts connections (kernel backlog) and never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = make_s3(f"127.0.0.1:{silent.getsockname()[1]}", max_attempts=2, backoff_seconds=0.01,
                        timeout_seconds=0.5)
        with pytest.raises(StorageError) as err:
            store.put(keys.INTAKE, "HS-1/a.pdf", b"x", content_type="application/pdf")
    assert err.value.transient


def test_a_server_without_encryption_still_gets_versioned_buckets(moto_endpoint: str, monkeypatch):
    """MinIO without a KMS answers 501 NotImplemented to SSE-S3: report it, do not fail or retry."""
    from types import SimpleNamespace

    from minio.error import S3Error

    store = make_s3(moto_endpoint)
    calls = []

    def refuse(bucket_name, config):
        calls.append(bucket_name)
        raise S3Error(SimpleNamespace(status=501), "NotImplemented", "A header you provided implies "
                      "functionality that is not implemented", bucket_name, "req", "host")

    monkeypatch.setattr(store.client, "set_bucket_encryption", refuse)
    store.ensure_buckets()
    assert store.encryption_status == "not offered by the server (NotImplemented)"
    assert len(calls) == len(keys.BUCKETS)  # one try per bucket, no retries
    assert store.client.get_bucket_versioning(store.physical_bucket(keys.CITIZEN_DATA)).status == "Enabled"

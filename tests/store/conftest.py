"""Store fixtures: the same contract tests on a local directory, on moto's S3 server (loopback,
through the minio SDK only) and on a real MinIO when SOHOA_TEST_S3_ENDPOINT is set."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.domain.idnumber import make_id
from pipeline.store.base import ObjectStore
from pipeline.store.local import LocalStore
from pipeline.store.s3 import S3Store

BACKENDS = ["local", "moto", "minio"]
MINIO_SKIP = "set SOHOA_TEST_S3_ENDPOINT to run against a real MinIO"


def start_moto(port: int = 0):
    """A moto S3 server on loopback (port 0 = a free one), quiet."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server


def stop_moto(server) -> None:
    """Stop serving AND close the listening socket, so clients get 'connection refused' like a dead server."""
    server.stop()
    if server._server is not None:  # ThreadedMotoServer.stop() leaves the socket bound
        server._server.server_close()


def restart_moto(port: int, attempts: int = 20):
    """A new server on the same port (SO_REUSEADDR, as werkzeug sets it, so TIME_WAIT does not block it)."""
    for attempt in range(attempts):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                time.sleep(0.1 * (attempt + 1))
                continue
        return start_moto(port)
    raise RuntimeError(f"port {port} stayed busy: cannot restart the S3 server there")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulated server's own access log
    server = start_moto()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    stop_moto(server)


@dataclass
class Backend:
    name: str
    store: ObjectStore
    endpoint: str = ""
    enforces_link_expiry: bool = True


def unique_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}-"


def make_s3(endpoint: str, access: str = "test", secret: str = "test", **kw) -> S3Store:
    kw.setdefault("backoff_seconds", 0.01)
    kw.setdefault("timeout_seconds", 5.0)
    return S3Store(endpoint, access, secret, bucket_prefix=unique_prefix(), **kw)


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path: Path) -> Backend:
    name = request.param
    if name == "local":
        store: ObjectStore = LocalStore(tmp_path / "store", presign_secret="test-secret")
        result = Backend(name, store)
    elif name == "moto":
        endpoint = request.getfixturevalue("moto_endpoint")
        # moto checks neither signatures nor X-Amz-Expires on presigned URLs (moto 5.2 source)
        result = Backend(name, make_s3(endpoint), endpoint, enforces_link_expiry=False)
    else:
        endpoint = os.environ.get("SOHOA_TEST_S3_ENDPOINT", "")
        if not endpoint:
            pytest.skip(MINIO_SKIP)
        store = make_s3(endpoint, os.environ.get("SOHOA_TEST_S3_ACCESS_KEY", ""),
                        os.environ.get("SOHOA_TEST_S3_SECRET_KEY", ""),
                        secure=os.environ.get("SOHOA_TEST_S3_SECURE", "") in {"1", "true"})
        result = Backend(name, store, endpoint)
    result.store.ensure_buckets()
    if isinstance(result.store, S3Store):  # leave nothing behind on a shared MinIO (and keep moto small)
        request.addfinalizer(lambda: drop_buckets(result.store))
    return result


def drop_buckets(store: S3Store) -> None:
    """Remove every version, delete marker and bucket this test's prefix created."""
    for bucket in ("intake", "citizen-data", "results", "quarantine"):
        name = store.physical_bucket(bucket)
        if not store.client.bucket_exists(name):
            continue
        for obj in store.client.list_objects(name, recursive=True, include_version=True):
            store.client.remove_object(name, obj.object_name, version_id=obj.version_id)
        store.client.remove_bucket(name)


@pytest.fixture()
def store(backend: Backend) -> ObjectStore:
    return backend.store


@pytest.fixture()
def person() -> str:
    return make_id("026", 1990, "nam", 123456)


@pytest.fixture()
def other_person() -> str:
    return make_id("079", 2001, "nu", 654321)

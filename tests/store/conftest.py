"""Store fixtures: the same contract tests on a local directory, on moto's S3 server (loopback,
through the minio SDK only) and on a real MinIO when SOHOA_TEST_S3_ENDPOINT is set."""

from __future__ import annotations

import logging
import os
import socket
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


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


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
    return result


@pytest.fixture()
def store(backend: Backend) -> ObjectStore:
    return backend.store


@pytest.fixture()
def person() -> str:
    return make_id("026", 1990, "nam", 123456)


@pytest.fixture()
def other_person() -> str:
    return make_id("079", 2001, "nu", 654321)

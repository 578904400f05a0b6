"""The object-store interface: one contract, two backends (S3/MinIO and a local directory).

Buckets are the logical names from `keys.BUCKETS`; a backend maps them to physical names with its
optional prefix. Every object carries its SHA-256 in metadata and is checked on write and on read.
"""

from __future__ import annotations

import hashlib
import io
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import BinaryIO

from pipeline.domain.idnumber import mask_ids_in
from pipeline.errors import IntegrityError
from pipeline.store import keys

log = logging.getLogger("pipeline.store")

SHA256_META = "sha256"  # stored as x-amz-meta-sha256 on S3, in the sidecar on the local backend


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    sha256: str
    size: int
    version_id: str | None = None
    content_type: str = "application/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:  # keys hold ID numbers: never show them whole
        return (f"StoredObject(bucket={self.bucket!r}, key={mask_ids_in(self.key)!r}, sha256={self.sha256[:12]}…, "
                f"size={self.size}, version_id={self.version_id!r})")


def masked(key: str) -> str:
    """A key as it may appear in a log line or an error message."""
    return mask_ids_in(key)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_payload(data: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    """The bytes to store: payloads are documents (MBs), so hashing in memory is fine and simple."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, io.IOBase) or hasattr(data, "read"):
        return data.read()
    raise TypeError(f"put() takes bytes or a binary file, not {type(data).__name__}")


def check_hash(bucket: str, key: str, data: bytes, *, expected: str | None, recorded: str | None) -> None:
    """Raise IntegrityError unless the bytes read match what was written."""
    want = expected or recorded
    if not want:
        raise IntegrityError(f"{bucket}/{masked(key)} has no recorded SHA-256; refusing to trust it",
                             bucket=bucket, key=masked(key))
    got = sha256_hex(data)
    if got != want.lower():
        log.error("integrity failure on %s/%s: expected %s…, read %s…", bucket, masked(key), want[:12], got[:12])
        raise IntegrityError(f"{bucket}/{masked(key)}: SHA-256 mismatch (expected {want[:12]}…, read {got[:12]}…)",
                             bucket=bucket, key=masked(key))


class ObjectStore(ABC):
    """Put, get (hash-checked), stat, list, versions, delete (a marker), presigned links."""

    bucket_prefix: str = ""
    backend: str = "abstract"
    #: what ensure_buckets() found out about server-side encryption ("on", "not offered: …")
    encryption_status: str = "unknown"

    def physical_bucket(self, bucket: str) -> str:
        return f"{self.bucket_prefix}{keys.check_bucket(bucket)}"

    @abstractmethod
    def put(self, bucket: str, key: str, data: bytes | BinaryIO, *, content_type: str,
            metadata: dict[str, str] | None = None) -> StoredObject:
        """Store a new version; the SHA-256 is recorded and checked after the write."""

    @abstractmethod
    def get(self, bucket: str, key: str, *, version_id: str | None = None,
            expected_sha256: str | None = None) -> bytes:
        """The bytes, verified against expected_sha256 or the recorded SHA-256 (IntegrityError)."""

    @abstractmethod
    def stat(self, bucket: str, key: str) -> StoredObject | None:
        """The current version's record, or None when absent (or deleted)."""

    @abstractmethod
    def list(self, bucket: str, prefix: str) -> Iterator[str]:
        """Keys (current, not deleted) under prefix, recursively, in lexical order."""

    @abstractmethod
    def versions(self, bucket: str, key: str) -> list[StoredObject]:
        """Every stored version of key, newest first (delete markers left out)."""

    @abstractmethod
    def delete(self, bucket: str, key: str) -> None:
        """Hide the key behind a delete marker; earlier versions stay."""

    @abstractmethod
    def presigned_url(self, bucket: str, key: str, *, expires: timedelta) -> str:
        """An expiring download link for the current version."""

    @abstractmethod
    def ensure_buckets(self) -> None:
        """Create the buckets (versioning on, default encryption where offered); idempotent."""

    def describe(self) -> str:
        return f"{self.backend} store (bucket prefix {self.bucket_prefix!r}, encryption {self.encryption_status})"

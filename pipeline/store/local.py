"""A local directory with the same bucket/key layout: the embedded default for one counter PC.

Layout under the root: `<bucket>/<key>` is the current version (a hard link, for people browsing
the folder); `<bucket>/.versions/<key>/<version>.data` + `<version>.json` (SHA-256, size, metadata)
are the truth, and every version is kept. Writes are atomic (`.part`, fsync, rename); the sidecar
is renamed into place last, so a version without its sidecar does not exist. Download links are
`file://` URLs with an expiry and an HMAC token that `verify_url` checks: a local store serves
only the PC it runs on (the counter PC's web page or staff), never citizens over the network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from pipeline.errors import InvalidLinkError, NotFoundError, StorageError, UnsafePathError
from pipeline.store import keys
from pipeline.store.base import ObjectStore, StoredObject, check_hash, log, masked, read_payload, sha256_hex

_VERSIONS = ".versions"
_TMP = ".tmp"
_KEY_FILE = ".presign-key"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStore(ObjectStore):
    """Objects as files under `root`, versioned, each with a SHA-256 sidecar."""

    backend = "local"
    encryption_status = "not offered (local directory: use full-disk encryption on the counter PC)"

    def __init__(self, root: Path | str, *, bucket_prefix: str = "", presign_secret: str = "",
                 fsync: bool = True) -> None:
        self.root = Path(root).resolve()
        self.bucket_prefix = keys.check_bucket_prefix(bucket_prefix)
        self.fsync = fsync
        self._secret = presign_secret.encode() if presign_secret else b""
        self._lock = threading.Lock()
        self._last_version = 0

    # --- paths ------------------------------------------------------------------------------
    def _bucket_dir(self, bucket: str) -> Path:
        path = self.root / self.physical_bucket(bucket)
        if not path.is_dir():
            raise StorageError(f"bucket {bucket} does not exist under the local store; run ensure_buckets()",
                               bucket=bucket)
        return path

    def _paths(self, bucket: str, key: str) -> tuple[Path, Path, Path]:
        """(bucket dir, visible file, versions dir) for a validated key, checked to stay inside the bucket."""
        keys.check_key(key)
        base = self._bucket_dir(bucket)
        visible = base / key
        if not visible.resolve().is_relative_to(base.resolve()):
            raise UnsafePathError(f"key {masked(key)} resolves outside its bucket")
        return base, visible, base / _VERSIONS / key

    def _new_version_id(self) -> str:
        with self._lock:
            stamp = max(time.time_ns(), self._last_version + 1)
            self._last_version = stamp
        return f"{stamp:020d}-{uuid.uuid4().hex[:12]}"

    def _write_atomic(self, tmp_dir: Path, target: Path, data: bytes) -> None:
        tmp = tmp_dir / f"{uuid.uuid4().hex}.part"
        with open(tmp, "wb") as fh:
            fh.write(data)
            if self.fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)

    @staticmethod
    def _sidecars(vdir: Path) -> list[dict]:
        """Every version record of a key, newest first (including delete markers)."""
        if not vdir.is_dir():
            return []
        out = []
        for path in sorted(vdir.glob("*.json"), reverse=True):
            try:
                out.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise StorageError(f"unreadable version record {path.name}: {type(exc).__name__}") from None
        return out

    @staticmethod
    def _object(bucket: str, key: str, record: dict) -> StoredObject:
        return StoredObject(bucket=bucket, key=key, sha256=record["sha256"], size=record["size"],
                            version_id=record["version_id"], content_type=record.get("content_type", ""),
                            metadata=dict(record.get("metadata", {})))

    # --- the interface ---------------------------------------------------------------------
    def put(self, bucket: str, key: str, data: bytes | BinaryIO, *, content_type: str,
            metadata: dict[str, str] | None = None) -> StoredObject:
        base, visible, vdir = self._paths(bucket, key)
        payload = read_payload(data)
        sha = sha256_hex(payload)
        version_id = self._new_version_id()
        try:
            tmp_dir = base / _TMP
            vdir.mkdir(parents=True, exist_ok=True)
            data_path = vdir / f"{version_id}.data"
            self._write_atomic(tmp_dir, data_path, payload)
            # check after the write: read back what is on disk
            if sha256_hex(data_path.read_bytes()) != sha:
                raise StorageError(f"write of {bucket}/{masked(key)} did not read back identically")
            record = {"version_id": version_id, "sha256": sha, "size": len(payload), "content_type": content_type,
                      "metadata": {str(k).lower(): str(v) for k, v in (metadata or {}).items()},
                      "stored_at": datetime.now(timezone.utc).isoformat(), "delete_marker": False}
            self._write_atomic(tmp_dir, vdir / f"{version_id}.json",
                               json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            if self.fsync:
                _fsync_dir(vdir)
            visible.parent.mkdir(parents=True, exist_ok=True)
            link = tmp_dir / f"{uuid.uuid4().hex}.link"
            os.link(data_path, link)
            os.replace(link, visible)
        except OSError as exc:
            raise StorageError(f"local write of {bucket}/{masked(key)} failed: {exc.strerror or type(exc).__name__}",
                               bucket=bucket) from None
        log.debug("put %s/%s: %d bytes, sha256 %s…, version %s", bucket, masked(key), len(payload), sha[:12],
                  version_id)
        return self._object(bucket, key, record)

    def _current(self, bucket: str, key: str) -> dict | None:
        _, _, vdir = self._paths(bucket, key)
        records = self._sidecars(vdir)
        if not records or records[0].get("delete_marker"):
            return None
        return records[0]

    def get(self, bucket: str, key: str, *, version_id: str | None = None,
            expected_sha256: str | None = None) -> bytes:
        _, _, vdir = self._paths(bucket, key)
        if version_id is None:
            record = self._current(bucket, key)
        else:
            if not all(c.isalnum() or c == "-" for c in version_id):
                raise UnsafePathError("malformed version id")
            path = vdir / f"{version_id}.json"
            record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
            if record and record.get("delete_marker"):
                record = None
        if record is None:
            raise NotFoundError(f"get {bucket}/{masked(key)}: not found", bucket=bucket)
        try:
            data = (vdir / f"{record['version_id']}.data").read_bytes()
        except OSError as exc:
            raise StorageError(f"read of {bucket}/{masked(key)} failed: {exc.strerror}", bucket=bucket) from None
        check_hash(bucket, key, data, expected=expected_sha256, recorded=record.get("sha256"))
        return data

    def stat(self, bucket: str, key: str) -> StoredObject | None:
        record = self._current(bucket, key)
        return None if record is None else self._object(bucket, key, record)

    def list(self, bucket: str, prefix: str) -> Iterator[str]:
        vroot = self._bucket_dir(bucket) / _VERSIONS
        # start the walk at the deepest directory the prefix names completely
        start = vroot / prefix.rsplit("/", 1)[0] if "/" in prefix else vroot
        if prefix:
            keys.check_key(prefix.rstrip("/") or "x")
        found = []
        if start.is_dir():
            for dirpath, _dirnames, filenames in os.walk(start):
                if not any(f.endswith(".json") for f in filenames):
                    continue
                key = Path(dirpath).relative_to(vroot).as_posix()
                if key.startswith(prefix) and self._current(bucket, key) is not None:
                    found.append(key)
        return iter(sorted(found))

    def versions(self, bucket: str, key: str) -> list[StoredObject]:
        _, _, vdir = self._paths(bucket, key)
        return [self._object(bucket, key, r) for r in self._sidecars(vdir) if not r.get("delete_marker")]

    def delete(self, bucket: str, key: str) -> None:
        base, visible, vdir = self._paths(bucket, key)
        if self._current(bucket, key) is None:
            return
        version_id = self._new_version_id()
        marker = {"version_id": version_id, "delete_marker": True,
                  "stored_at": datetime.now(timezone.utc).isoformat()}
        self._write_atomic(base / _TMP, vdir / f"{version_id}.json", json.dumps(marker).encode())
        visible.unlink(missing_ok=True)
        log.info("delete marker on %s/%s", bucket, masked(key))

    # --- download links ---------------------------------------------------------------------
    def _presign_key(self) -> bytes:
        if self._secret:
            return self._secret
        path = self.root / _KEY_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        except FileExistsError:
            pass
        self._secret = path.read_text().strip().encode()
        return self._secret

    def _token(self, bucket: str, key: str, version_id: str, expires_at: int) -> str:
        message = f"{bucket}\n{key}\n{version_id}\n{expires_at}".encode()
        return hmac.new(self._presign_key(), message, hashlib.sha256).hexdigest()

    def presigned_url(self, bucket: str, key: str, *, expires: timedelta, now: datetime | None = None) -> str:
        """`file://<root>/<bucket>/<key>?version=…&expires=<unix>&token=<hmac>`; `now` is for tests."""
        if not timedelta(seconds=1) <= expires <= timedelta(days=7):
            raise ValueError("presigned links expire between 1 second and 7 days")
        record = self._current(bucket, key)
        if record is None:
            raise NotFoundError(f"presign {bucket}/{masked(key)}: not found", bucket=bucket)
        expires_at = int(((now or datetime.now(timezone.utc)) + expires).timestamp())
        path = self.root / self.physical_bucket(bucket) / key
        query = urlencode({"version": record["version_id"], "expires": expires_at,
                           "token": self._token(bucket, key, record["version_id"], expires_at)})
        return f"file://{quote(path.as_posix())}?{query}"

    def verify_url(self, url: str, *, now: datetime | None = None) -> StoredObject:
        """Check a link made by presigned_url: ours, untampered, not expired (InvalidLinkError otherwise)."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise InvalidLinkError("not a local-store link")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            version_id, expires_at, token = query["version"], int(query["expires"]), query["token"]
        except (KeyError, ValueError):
            raise InvalidLinkError("link is missing its version, expiry or token") from None
        path = Path(unquote(parts.path))
        try:
            physical, key = path.relative_to(self.root).as_posix().split("/", 1)
        except ValueError:
            raise InvalidLinkError("link does not point into this store") from None
        if not physical.startswith(self.bucket_prefix) or physical[len(self.bucket_prefix):] not in keys.BUCKETS:
            raise InvalidLinkError("link does not point into a bucket of this store")
        bucket = physical[len(self.bucket_prefix):]
        if not hmac.compare_digest(token, self._token(bucket, key, version_id, expires_at)):
            raise InvalidLinkError("link token does not match (tampered or from another store)")
        if (now or datetime.now(timezone.utc)).timestamp() >= expires_at:
            raise InvalidLinkError("link has expired")
        for obj in self.versions(bucket, key):
            if obj.version_id == version_id:
                return obj
        raise InvalidLinkError("the linked version no longer exists")

    def open_url(self, url: str, *, now: datetime | None = None) -> bytes:
        """Serve a link: verify it, then read the linked version with its hash checked."""
        obj = self.verify_url(url, now=now)
        return self.get(obj.bucket, obj.key, version_id=obj.version_id)

    def ensure_buckets(self) -> None:
        for bucket in keys.BUCKETS:
            base = self.root / self.physical_bucket(bucket)
            (base / _VERSIONS).mkdir(parents=True, exist_ok=True)
            (base / _TMP).mkdir(parents=True, exist_ok=True)
        log.info("local store ready under %s (versioning on; %s)", self.root, self.encryption_status)

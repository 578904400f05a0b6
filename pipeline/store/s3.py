"""MinIO (or any S3-compatible endpoint) through the `minio` SDK: the production backend.

The SHA-256 is computed here, sent as x-amz-meta-sha256, checked with a stat after every upload
and against the bytes on every read. Transient failures are retried a few times, then raised as
StorageError(transient=True) so the flow's retry policy takes over.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import BinaryIO, TypeVar
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import ENABLED
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.sseconfig import Rule, SSEConfig
from minio.versioningconfig import VersioningConfig

from pipeline.domain.privacy import MaskingFilter
from pipeline.errors import IntegrityError, NotFoundError, StorageError, StorageRefusedError
from pipeline.store import keys
from pipeline.store.base import (SHA256_META, ObjectStore, StoredObject, check_hash, log, masked, read_payload,
                                 sha256_hex)

T = TypeVar("T")

_NOT_FOUND = {"NoSuchKey", "NoSuchVersion", "NoSuchBucket", "ResourceNotFound", "NoSuchObject"}
_TRANSIENT = {"InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout", "XMinioServerNotInitialized",
              "OperationTimedOut", "XMinioReadQuorum", "XMinioWriteQuorum"}
_META_PREFIX = "x-amz-meta-"
_META_SAFE = " !#$&'()*+,/:;=?@[]~-._"
# The HTTP client logs request URLs at DEBUG, and our keys hold ID numbers.
_CHATTY_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.response", "minio")


def _mask_http_logs() -> None:
    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(MaskingFilter())


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (urllib3.exceptions.HTTPError, ConnectionError, TimeoutError, OSError)):
        return True
    if isinstance(exc, ServerError):
        return exc.status_code >= 500
    if isinstance(exc, InvalidResponseError):  # a proxy's HTML error page, for instance
        return int(getattr(exc, "_code", 0) or 0) >= 500
    if isinstance(exc, S3Error):
        status = getattr(exc.response, "status", 0) or 0
        # 501 NotImplemented (e.g. MinIO asked for SSE without a KMS) will not change on retry
        return exc.code in _TRANSIENT or (status >= 500 and status != 501 and exc.code != "NotImplemented")
    return False


class S3Store(ObjectStore):
    """An S3 endpoint; buckets are `<prefix><logical name>`, versioned, SSE-S3 where accepted."""

    backend = "s3"

    def __init__(self, endpoint: str, access_key: str, secret_key: str, *, secure: bool = False,
                 region: str = "us-east-1", bucket_prefix: str = "", max_attempts: int = 3,
                 backoff_seconds: float = 0.25, timeout_seconds: float = 30.0) -> None:
        self.endpoint = endpoint
        _mask_http_logs()
        self.bucket_prefix = keys.check_bucket_prefix(bucket_prefix)
        self.max_attempts = max(1, max_attempts)
        self.backoff_seconds = backoff_seconds
        # Our own bounded retry loop replaces urllib3's (which would retry 5 times per call).
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=min(5.0, timeout_seconds), read=timeout_seconds),
                                   maxsize=16, retries=False)
        self.client = Minio(endpoint, access_key=access_key or None, secret_key=secret_key or None,
                            secure=secure, region=region, http_client=http)

    # --- error handling -------------------------------------------------------------------
    def _call(self, what: str, bucket: str, key: str, fn: Callable[[], T]) -> T:
        """Run one SDK call; retry transient failures with backoff inside a small bound."""
        where = f"{bucket}/{masked(key)}" if key else bucket
        for attempt in range(1, self.max_attempts + 1):
            try:
                return fn()
            except S3Error as exc:
                if exc.code in _NOT_FOUND:
                    raise NotFoundError(f"{what} {where}: not found ({exc.code})", bucket=bucket) from None
                if not _is_transient(exc):
                    raise StorageRefusedError(f"{what} {where} refused: {exc.code}: {masked(exc.message or '')}",
                                              bucket=bucket, s3_code=exc.code or "") from None
                problem = f"{exc.code}"
            except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
                if not _is_transient(exc):
                    raise StorageRefusedError(f"{what} {where} failed: {type(exc).__name__}", bucket=bucket) from None
                problem = type(exc).__name__
            if attempt < self.max_attempts:
                delay = self.backoff_seconds * 2 ** (attempt - 1)
                log.warning("%s %s: transient %s, retry %d/%d in %.2fs", what, where, problem, attempt,
                            self.max_attempts - 1, delay)
                time.sleep(delay)
        raise StorageError(f"{what} {where}: storage unavailable after {self.max_attempts} attempts ({problem})",
                           bucket=bucket, endpoint=self.endpoint)

    # --- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _user_metadata(headers: object) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in (headers or {}).items():  # type: ignore[union-attr]
            lower = name.lower()
            if lower.startswith(_META_PREFIX):
                out[lower[len(_META_PREFIX):]] = unquote(value)
        return out

    def _record(self, bucket: str, key: str, obj: object) -> StoredObject:
        meta = self._user_metadata(getattr(obj, "metadata", None))
        sha = meta.pop(SHA256_META, "")
        return StoredObject(bucket=bucket, key=key, sha256=sha, size=int(getattr(obj, "size", 0) or 0),
                            version_id=getattr(obj, "version_id", None),
                            content_type=getattr(obj, "content_type", None) or "application/octet-stream",
                            metadata=meta)

    # --- the interface ---------------------------------------------------------------------
    def put(self, bucket: str, key: str, data: bytes | BinaryIO, *, content_type: str,
            metadata: dict[str, str] | None = None) -> StoredObject:
        name, key = self.physical_bucket(bucket), keys.check_key(key)
        payload = read_payload(data)
        sha = sha256_hex(payload)
        headers = {k.lower(): quote(str(v), safe=_META_SAFE) for k, v in (metadata or {}).items()}
        headers[SHA256_META] = sha
        result = self._call("put", bucket, key, lambda: self.client.put_object(
            name, key, io.BytesIO(payload), len(payload), content_type=content_type, metadata=headers))
        version_id = result.version_id
        stat = self._call("verify", bucket, key, lambda: self.client.stat_object(name, key, version_id=version_id))
        stored = self._record(bucket, key, stat)
        if stored.sha256 != sha or stored.size != len(payload):
            raise IntegrityError(f"upload of {bucket}/{masked(key)} not confirmed: server reports "
                                 f"{stored.size} bytes, sha256 {stored.sha256[:12]}…; sent {len(payload)} bytes, "
                                 f"{sha[:12]}…", bucket=bucket)
        log.debug("put %s/%s: %d bytes, sha256 %s…, version %s", bucket, masked(key), len(payload), sha[:12],
                  version_id)
        return stored

    def get(self, bucket: str, key: str, *, version_id: str | None = None,
            expected_sha256: str | None = None) -> bytes:
        name, key = self.physical_bucket(bucket), keys.check_key(key)

        def fetch() -> tuple[bytes, dict[str, str]]:
            response = self.client.get_object(name, key, version_id=version_id)
            try:
                return response.read(), self._user_metadata(response.headers)
            finally:
                response.close()
                response.release_conn()

        data, meta = self._call("get", bucket, key, fetch)
        check_hash(bucket, key, data, expected=expected_sha256, recorded=meta.get(SHA256_META))
        return data

    def stat(self, bucket: str, key: str) -> StoredObject | None:
        name, key = self.physical_bucket(bucket), keys.check_key(key)
        try:
            obj = self._call("stat", bucket, key, lambda: self.client.stat_object(name, key))
        except NotFoundError:
            return None
        return self._record(bucket, key, obj)

    def list(self, bucket: str, prefix: str) -> Iterator[str]:
        name = self.physical_bucket(bucket)
        found = self._call("list", bucket, prefix, lambda: [
            o.object_name for o in self.client.list_objects(name, prefix=prefix or None, recursive=True)
            if o.object_name and not o.is_dir])
        return iter(sorted(found))

    def versions(self, bucket: str, key: str) -> list[StoredObject]:
        name, key = self.physical_bucket(bucket), keys.check_key(key)
        listed = self._call("versions", bucket, key, lambda: [
            o for o in self.client.list_objects(name, prefix=key, recursive=True, include_version=True)
            if o.object_name == key and not o.is_delete_marker])
        listed.sort(key=lambda o: o.last_modified.timestamp() if o.last_modified else 0.0, reverse=True)
        out = []
        for o in listed:
            vid = o.version_id
            obj = self._call("stat", bucket, key, lambda vid=vid: self.client.stat_object(name, key, version_id=vid))
            out.append(self._record(bucket, key, obj))
        return out

    def delete(self, bucket: str, key: str) -> None:
        name, key = self.physical_bucket(bucket), keys.check_key(key)
        self._call("delete", bucket, key, lambda: self.client.remove_object(name, key))
        log.info("delete marker on %s/%s", bucket, masked(key))

    def presigned_url(self, bucket: str, key: str, *, expires: timedelta) -> str:
        name, key = self.physical_bucket(bucket), keys.check_key(key)
        if not timedelta(seconds=1) <= expires <= timedelta(days=7):
            raise ValueError("presigned links expire between 1 second and 7 days")
        return self._call("presign", bucket, key, lambda: self.client.presigned_get_object(name, key, expires=expires))

    def ensure_buckets(self) -> None:
        statuses = []
        for bucket in keys.BUCKETS:
            name = self.physical_bucket(bucket)
            if not self._call("bucket_exists", bucket, "", lambda: self.client.bucket_exists(name)):
                try:
                    self._call("make_bucket", bucket, "", lambda: self.client.make_bucket(name))
                except StorageRefusedError as exc:
                    if exc.context.get("s3_code") not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                        raise
            self._call("versioning", bucket, "",
                       lambda: self.client.set_bucket_versioning(name, VersioningConfig(ENABLED)))
            status = self._call("versioning", bucket, "", lambda: self.client.get_bucket_versioning(name)).status
            if status != ENABLED:
                raise StorageRefusedError(f"bucket {name}: versioning could not be enabled (status {status})")
            try:
                self._call("encryption", bucket, "",
                           lambda: self.client.set_bucket_encryption(name, SSEConfig(Rule.new_sse_s3_rule())))
                statuses.append("on (SSE-S3)")
            except StorageRefusedError as exc:  # e.g. NotImplemented, or MinIO without a KMS configured
                statuses.append(f"not offered by the server ({exc.context.get('s3_code') or exc.message})")
        self.encryption_status = statuses[0] if len(set(statuses)) == 1 else "; ".join(sorted(set(statuses)))
        log.info("buckets ready on %s: versioning on, default encryption %s", self.endpoint, self.encryption_status)

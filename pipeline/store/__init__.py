"""Object storage: one interface (`ObjectStore`), an S3/MinIO backend and a local-directory backend.

`open_store(settings)` picks the backend from `settings.resolved_store_url`:
`file:///path` (the embedded default) or `s3://` / `s3://<bucket-prefix>` (endpoint and keys from
the SOHOA_S3_* settings). A prefix not ending in '-' or '.' gets a '-' (`s3://sohoa` -> `sohoa-intake`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.store.base import ObjectStore, StoredObject

__all__ = ["ObjectStore", "StoredObject", "open_store", "bucket_prefix_from"]


def bucket_prefix_from(netloc_and_path: str) -> str:
    prefix = netloc_and_path.strip("/")
    if prefix and not prefix.endswith(("-", ".")):
        prefix += "-"
    return prefix


def open_store(settings: Settings) -> ObjectStore:
    """The configured store (buckets are not created here: call `ensure_buckets()` once at start-up)."""
    url = settings.resolved_store_url
    parts = urlsplit(url)
    if parts.scheme == "file":
        from pipeline.store.local import LocalStore

        if parts.netloc not in ("", "localhost"):
            raise InputError(f"SOHOA_STORE_URL {url!r}: a file URL must be file:///absolute/path")
        return LocalStore(Path(unquote(parts.path)), presign_secret=settings.presign_secret)
    if parts.scheme == "s3":
        from pipeline.store.s3 import S3Store

        return S3Store(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key,
                       secure=settings.s3_secure, region=settings.s3_region,
                       bucket_prefix=bucket_prefix_from(parts.netloc + parts.path))
    raise InputError(f"SOHOA_STORE_URL must start with file:// or s3://, not {url.split(':', 1)[0]!r}")

"""Settings, read once from SOHOA_* environment variables (the one way to configure sohoa).

Defaults are the embedded single-machine setup: a local object store and SQLite under
`SOHOA_DATA_DIR`, Prefect's ephemeral API. Production points the URLs at MinIO and PostgreSQL.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Working folder for the embedded defaults")

    # --- storage (pinned names) ---
    store_url: str = Field(default="", description="file:///path or s3://; empty = file://<data_dir>/store")
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    index_url: str = Field(default="", description="SQLAlchemy URL; empty = sqlite:///<data_dir>/index.sqlite3")
    presign_expiry_seconds: int = 3600
    presign_secret: str = Field(default="", description="HMAC key for local-store download links; "
                                "empty = a random key kept in <store>/.presign-key")

    # --- intake limits ---
    max_pages: int = Field(default=500, description="Pages per file beyond which the file is refused")
    max_pixels: int = Field(default=120_000_000, description="Pixels per page beyond which it is refused (bomb guard)")
    max_file_bytes: int = 512 * 1024 * 1024
    render_dpi: int = Field(default=300, description="Target DPI when rendering PDF pages")

    # --- OCR ---
    ocr_lang: str = Field(default="vie+vie_best_int",
                          description="Tesseract languages: Debian's vie + the tessdata_best network in models/tesseract")
    ocr_workers: int = Field(default=0, description="Processes for OCR; 0 = one per core")
    ocr_timeout_seconds: int = 180
    ocr_psm: int = Field(default=3, description="Tesseract page segmentation mode (measured: bench/ocr.py)")

    # --- classification ---
    model_dir: Path = Path("models")
    review_threshold: float = Field(default=0.0, description="0 = use the threshold stored in the model card")

    @property
    def resolved_store_url(self) -> str:
        return self.store_url or f"file://{(self.data_dir / 'store').resolve()}"

    @property
    def resolved_index_url(self) -> str:
        return self.index_url or f"sqlite:///{(self.data_dir / 'index.sqlite3').resolve()}"

    @property
    def workers(self) -> int:
        return self.ocr_workers or max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings(...)` instead of patching env."""
    return Settings()

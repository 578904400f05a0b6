"""Index fixtures: every index test runs on SQLite (a temp file) and on a real PostgreSQL.

PostgreSQL comes from SOHOA_TEST_PG_URL (printed by scripts/start-postgres.sh, which `make test`
runs first). Each test gets its own PostgreSQL schema (search_path in the URL), so tests can run in
parallel (pytest -n 2) and leave nothing behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pipeline.config import Settings
from pipeline.domain.idnumber import make_id
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component
from pipeline.index.db import Index, open_index
from pipeline.manifest import Manifest, parse_manifest

PG_URL = os.environ.get("SOHOA_TEST_PG_URL", "").strip()
PG_SKIP_REASON = ("PostgreSQL not available: SOHOA_TEST_PG_URL is empty because scripts/start-postgres.sh "
                  "could not start a server (it prints why on stderr; run `bash scripts/start-postgres.sh`)")
VN = timezone(timedelta(hours=7))

ALICE = make_id("026", 1990, "nu", 123456)
BOB = make_id("001", 1985, "nam", 654321)


@pytest.fixture(params=["sqlite", "postgresql"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'index' / 'index.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def index_settings(index_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", index_url=index_url, store_url=f"file://{tmp_path / 'store'}")


@pytest.fixture()
def index(index_settings: Settings) -> Iterator[Index]:
    idx = open_index(index_settings)
    yield idx
    idx.close()


@pytest.fixture()
def manifest() -> Callable[..., Manifest]:
    """Build a valid manifest; keyword arguments override the defaults."""

    def build(code: str = "HS-2024-000001", *, id_number: str = ALICE, full_name: str = "Nguyễn Thị Ánh",
              received_at: datetime = datetime(2024, 3, 15, 9, 30, tzinfo=VN), agency_code: str = "SO-TP",
              level: str = "tinh", procedure_code: str = "1.000466", channel: str = "truc_tiep",
              results: list[str] | None = None, files: list[str] | None = None) -> Manifest:
        data: dict[str, Any] = {
            "dossier_code": code, "procedure_code": procedure_code, "procedure_name": "Đăng ký khai sinh",
            "agency_code": agency_code, "agency_name": "Sở Tư pháp tỉnh Vĩnh Phúc", "level": level,
            "channel": channel, "received_at": received_at.isoformat(),
            "applicant": {"id_number": id_number, "full_name": full_name},
            "files": files or ["scan.pdf"], "results": results or [],
        }
        return parse_manifest(data)

    return build


def component(paper_type: PaperType | str, pages: list[int] | None = None, confidence: float = 0.95) -> Component:
    return Component(type=PaperType(paper_type), pages=[1] if pages is None else pages, confidence=confidence, needs_review=False)


@pytest.fixture()
def make_component() -> Callable[..., Component]:
    return component


def doc_id(n: int) -> str:
    """A document id shaped like the store's (32 lowercase hex)."""
    return f"{n:032x}"


@pytest.fixture()
def make_doc_id() -> Callable[[int], str]:
    return doc_id

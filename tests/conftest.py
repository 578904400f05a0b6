"""Shared fixtures. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

ROOT = Path(__file__).resolve().parent.parent
REAL_SCANS = ROOT.parent / "shared" / "data" / "real-gov-scans"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture()
def settings(tmp_path: Path):
    """Settings on a private data folder: local store and SQLite under tmp_path."""
    from pipeline.config import Settings

    return Settings(data_dir=tmp_path / "data")

"""Flow tests run against a private, temporary Prefect API (not the user's ~/.prefect)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def prefect_api():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture()
def sohoa_env(tmp_path, monkeypatch, repo_root):
    """SOHOA_* pointing at a fresh local store and SQLite index; the settings cache is reset."""
    from pipeline.config import get_settings

    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOHOA_MODEL_DIR", str(repo_root / "models"))
    monkeypatch.setenv("SOHOA_OCR_WORKERS", "1")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()

"""Prefect flows that compose the pipeline's stages; Prefect appears only here.

Embedded defaults for Prefect's own settings, set before Prefect is imported and only where the
environment does not set them: no telemetry (the counter network is closed), Prefect's ephemeral
API database under sohoa's data folder, and a startup timeout that survives a busy 2-core PC.
"""

from __future__ import annotations

import os

from pipeline.config import get_settings

if "PREFECT_HOME" not in os.environ:
    _home = get_settings().data_dir.resolve() / "prefect"
    _home.mkdir(parents=True, exist_ok=True)  # Prefect creates its home but not the parents
    os.environ["PREFECT_HOME"] = str(_home)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

"""What an OCR worker process carries: imports (no pydantic settings) and glibc's handling of big buffers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from pipeline.ocr.run import _context, _init_worker

ROOT = Path(__file__).resolve().parents[2]


def test_workers_do_not_import_the_settings_machinery() -> None:
    # A builtin as the task: a function of this module would import the module, and its imports, into the worker.
    with ProcessPoolExecutor(1, mp_context=_context(), initializer=_init_worker) as pool:
        modules = set(pool.submit(eval, "list(__import__('sys').modules)").result(timeout=120))
    assert "pipeline.ocr.run" in modules and "pipeline.preprocess.pipeline" in modules
    assert not {"pydantic", "pydantic_settings", "pipeline.config"} & modules


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc and /proc are Linux-only")
def test_a_freed_page_buffer_goes_back_to_the_system() -> None:
    # Once a bigger block has been freed, glibc serves an 8.7 MB gray page from its heap and keeps
    # it there when freed; release_free_heap hands it back. In a fresh process: the pytest one's
    # heap is nobody's business here.
    probe = textwrap.dedent("""
        import numpy as np
        from pipeline.ocr.run import release_free_heap

        def rss_mb():
            with open("/proc/self/status") as handle:
                return next(int(line.split()[1]) // 1024 for line in handle if line.startswith("VmRSS"))

        big = np.ones(30_000_000, np.uint8)
        del big
        before = rss_mb()
        page = np.ones((3508, 2480), np.uint8)
        small = np.ones(1000, np.uint8)
        del page
        kept = rss_mb() - before
        release_free_heap()
        print(kept, rss_mb() - before)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    kept, after = (int(x) for x in done.stdout.split())
    assert kept >= 6  # the premise: glibc held on to the page
    assert after <= 2

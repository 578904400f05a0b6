"""Small pages and engines for the OCR tests: a rendered Vietnamese page, fake and faulty engines."""

from __future__ import annotations


import numpy as np
import pytest

from ocr_fixtures import FONT, LINES, render_lines  # noqa: F401 - re-exported for the fixtures


@pytest.fixture(scope="session")
def rendered_page() -> np.ndarray:
    return render_lines()

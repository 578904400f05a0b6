"""pdftoppm's PPM read straight into one RGB array (pipeline.intake.pdf.read_ppm)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

import pipeline.intake.pdf as pdf
from pipeline.config import Settings
from pipeline.errors import CorruptPdfError
from pipeline.intake.pdf import read_ppm


def _pixels(height: int = 7, width: int = 5) -> np.ndarray:
    rng = np.random.default_rng(4)
    return rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def _opencv_rgb(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_a_p6_file_reads_as_the_same_rgb_pixels_opencv_gives(tmp_path: Path) -> None:
    rgb = _pixels()
    path = tmp_path / "page.ppm"
    path.write_bytes(b"P6\n5 7\n255\n" + rgb.tobytes())
    pixels = read_ppm(path)
    assert pixels is not None and pixels.shape == (7, 5, 3) and pixels.dtype == np.uint8
    assert np.array_equal(pixels, rgb) and np.array_equal(pixels, _opencv_rgb(path))
    assert pixels.flags["C_CONTIGUOUS"] and pixels.flags["WRITEABLE"]


def test_header_comments_and_spacing_are_skipped(tmp_path: Path) -> None:
    rgb = _pixels(3, 4)
    path = tmp_path / "commented.ppm"
    path.write_bytes(b"P6 # written by a test\n 4\t3 # width height\n255 " + rgb.tobytes())
    assert np.array_equal(read_ppm(path), rgb)


def test_a_pixel_that_looks_like_whitespace_starts_the_data(tmp_path: Path) -> None:
    rgb = np.full((2, 2, 3), ord("\n"), np.uint8)  # exactly one whitespace byte ends the header
    path = tmp_path / "newlines.ppm"
    path.write_bytes(b"P6\n2 2\n255\n" + rgb.tobytes())
    assert np.array_equal(read_ppm(path), rgb)


def test_other_pnm_kinds_go_through_opencv_as_rgb(tmp_path: Path) -> None:
    gray = np.arange(20, dtype=np.uint8).reshape(4, 5) * 12
    path = tmp_path / "gray.pgm"
    path.write_bytes(b"P5\n5 4\n255\n" + gray.tobytes())
    pixels = read_ppm(path)
    assert pixels is not None and pixels.shape == (4, 5, 3)
    assert np.array_equal(pixels[..., 0], gray) and np.array_equal(pixels[..., 2], gray)


def test_a_truncated_render_is_none_and_a_corrupt_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "short.ppm"
    path.write_bytes(b"P6\n5 7\n255\n" + _pixels().tobytes()[:50])
    assert read_ppm(path) is None

    def short_render(pdf_path: str, **kwargs: object) -> list[str]:
        out = Path(str(kwargs["output_folder"])) / "page-1.ppm"
        out.write_bytes(path.read_bytes())
        return [str(out)]

    monkeypatch.setattr(pdf, "convert_from_path", short_render)
    with pytest.raises(CorruptPdfError):
        pdf.render_page(tmp_path / "batch.pdf", 1, 300, Settings())


def test_render_page_returns_the_rendered_rgb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rgb = _pixels(9, 6)

    def render(pdf_path: str, **kwargs: object) -> list[str]:
        out = Path(str(kwargs["output_folder"])) / "page-1.ppm"
        out.write_bytes(b"P6\n6 9\n255\n" + rgb.tobytes())
        return [str(out)]

    monkeypatch.setattr(pdf, "convert_from_path", render)
    assert np.array_equal(pdf.render_page(tmp_path / "batch.pdf", 1, 300, Settings()), rgb)

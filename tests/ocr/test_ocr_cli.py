"""`sohoa ocr`: pinned text and JSON shapes, exit codes 0 / 2 / 3 (real intake and preprocessing)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

import pipeline.cli
from pipeline.cli import app
from pipeline.config import Settings


@pytest.fixture()
def cli(monkeypatch, tmp_path: Path):
    """The CLI on private settings with one worker (no pool start-up in a small test)."""
    monkeypatch.setattr(pipeline.cli, "get_settings", lambda: Settings(data_dir=tmp_path / "data", ocr_workers=1))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["ocr", *map(str, args)])


@pytest.fixture()
def text_png(tmp_path: Path, rendered_page: np.ndarray) -> Path:
    path = tmp_path / "trang.png"
    Image.fromarray(rendered_page).save(path, dpi=(300, 300))
    return path


@pytest.mark.slow
def test_text_output_and_json_shape(cli, text_png: Path):
    result = cli(text_png)
    assert result.exit_code == 0, result.output
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in result.stdout
    assert unicodedata.is_normalized("NFC", result.stdout)

    result = cli(text_png, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"file", "pages"} and data["file"] == str(text_png)
    (page,) = data["pages"]
    assert set(page) == {"index", "text", "mean_confidence", "rotation", "skew", "flags", "ms"}
    assert page["index"] == 1 and page["flags"] == [] and "Dương" in page["text"]
    assert isinstance(page["mean_confidence"], float) and 50 < page["mean_confidence"] <= 100
    assert isinstance(page["rotation"], int) and isinstance(page["skew"], float) and isinstance(page["ms"], int)


def test_blank_page_exits_3_with_its_flag(cli, tmp_path: Path):
    path = tmp_path / "trang-trang.png"
    Image.fromarray(np.full((900, 700, 3), 250, np.uint8)).save(path, dpi=(200, 200))
    result = cli(path, "--json")
    assert result.exit_code == 3, result.output
    (page,) = json.loads(result.stdout)["pages"]
    assert "blank" in page["flags"] and page["text"] == ""


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", b"\x89PNG\r\n\x1a\n\x00\x00garbage"],
                         ids=["zero-byte", "truncated-pdf", "broken-png"])
def test_unusable_input_exits_2_with_a_message(cli, tmp_path: Path, content: bytes):
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)
    result = cli(path)
    assert result.exit_code == 2
    assert result.stderr.startswith("sohoa: ") and result.stdout == ""


EDGE_CASES = Path(__file__).resolve().parents[2] / "samples" / "edge-cases"
# The files of samples/edge-cases/README.md that intake must refuse as a whole (the others are readable).
UNUSABLE = ["empty-file.pdf", "truncated.pdf", "encrypted-user-password.pdf", "pdf-5000-pages.pdf",
            "pdf-declares-1000000-pages.pdf", "png-bomb-30000x30000.png", "text-file-named.jpg",
            "png-corrupt-body.png", "jpeg-truncated.jpg"]


@pytest.mark.parametrize("name", UNUSABLE)
def test_committed_hostile_samples_exit_2(cli, name: str):
    result = cli(EDGE_CASES / name)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("sohoa: ")


def test_a_page_that_cannot_be_decoded_is_flagged_and_the_others_read(cli, monkeypatch):
    import pipeline.ocr.run as run
    from test_ocr_run import FakeEngine, gray_preparer

    monkeypatch.setattr(run, "engine_from_settings", lambda settings: FakeEngine())
    monkeypatch.setattr(run, "_default_preparer", lambda: gray_preparer)
    result = cli(EDGE_CASES / "tiff-page-2-corrupt.tif", "--json")
    assert result.exit_code == 3, result.output
    flags = [page["flags"] for page in json.loads(result.stdout)["pages"]]
    assert len(flags) == 3 and "unreadable_page" in flags[1] and not flags[0] and not flags[2]

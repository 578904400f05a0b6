"""The edge-case files: reproducible, small, really what their names say, and in sync with samples/."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.synth.edge_cases import (
    BOMB_SIDE,
    ENCRYPTED_PDF_PASSWORD,
    EXPECTED,
    MANY_PAGES,
    UNSAFE_NAMES,
    write_edge_cases,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "edge-cases"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("edge")
    return {p.name: p for p in write_edge_cases(out)}


def test_every_case_written_once_and_small(written: dict[str, Path]) -> None:
    assert set(written) == set(EXPECTED)
    for name, path in written.items():
        assert path.stat().st_size < 160_000, name


def test_deterministic(written: dict[str, Path], tmp_path: Path) -> None:
    again = {p.name: p for p in write_edge_cases(tmp_path)}
    for name in written:
        assert written[name].read_bytes() == again[name].read_bytes(), name


def test_committed_samples_match_generator(written: dict[str, Path]) -> None:
    committed = {p.name for p in SAMPLES.iterdir() if p.name != "README.md"}
    assert committed == set(EXPECTED), "regenerate with: sohoa samples edge-cases --out samples/edge-cases"
    for name in committed:
        assert (SAMPLES / name).read_bytes() == written[name].read_bytes(), name
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f"`{name}`" in readme, f"{name} is not documented in samples/edge-cases/README.md"


def test_empty_and_text(written: dict[str, Path]) -> None:
    assert written["empty-file.pdf"].stat().st_size == 0
    data = written["text-file-named.jpg"].read_bytes()
    assert data.decode("utf-8") and not data.startswith(b"\xff\xd8")


def test_truncated_pdf_has_no_end(written: dict[str, Path]) -> None:
    data = written["truncated.pdf"].read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" not in data and b"startxref" not in data


def test_encrypted_pdfs_are_really_encrypted(written: dict[str, Path]) -> None:
    locked = PdfReader(written["encrypted-user-password.pdf"])
    assert locked.is_encrypted and not locked.decrypt("")
    assert locked.decrypt(ENCRYPTED_PDF_PASSWORD)
    assert "NGUYEN" in locked.pages[0].extract_text().upper()
    open_one = PdfReader(written["encrypted-owner-password-only.pdf"])
    assert open_one.is_encrypted and open_one.decrypt("")


def test_page_counts(written: dict[str, Path]) -> None:
    assert len(PdfReader(written[f"pdf-{MANY_PAGES}-pages.pdf"]).pages) == MANY_PAGES
    lying = PdfReader(written["pdf-declares-1000000-pages.pdf"])
    assert int(lying.trailer["/Root"]["/Pages"]["/Count"]) == 1_000_000


def test_bomb_header(written: dict[str, Path]) -> None:
    data = written[f"png-bomb-{BOMB_SIDE}x{BOMB_SIDE}.png"].read_bytes()
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (BOMB_SIDE, BOMB_SIDE)
    assert len(data) < 120_000  # 1 byte on disk for ~8000 pixels


def test_text_layer_and_poster(written: dict[str, Path]) -> None:
    text = PdfReader(written["pdf-born-digital-text-layer.pdf"]).pages[0].extract_text()
    assert "GIAY XAC NHAN TINH TRANG HON NHAN" in text
    box = PdfReader(written["pdf-poster-a0-page.pdf"]).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (3370, 2384)


def test_images(written: dict[str, Path]) -> None:
    with Image.open(written["png-named-as.pdf"]) as im:
        assert im.format == "PNG"
    with Image.open(written["tiff-3-pages.tif"]) as im:
        assert im.n_frames == 3 and tuple(round(v) for v in im.info["dpi"]) == (200, 200)
    with Image.open(written["jpeg-exif-orientation-6.jpg"]) as im:
        assert im.getexif().get(0x0112) == 6
        assert im.width > im.height  # stored sideways
        # No physical resolution: JFIF density is an aspect ratio only (PIL still reports dpi (1, 1)).
        assert im.info.get("jfif_unit") == 0 and 0x011A not in im.getexif()
    with Image.open(written["webp-photo.webp"]) as im:
        assert im.format == "WEBP"
    import pillow_heif

    heif = pillow_heif.open_heif(written["heic-phone-photo.heic"])
    assert heif.size == (320, 452)


def test_corrupt_tiff_breaks_only_page_2(written: dict[str, Path]) -> None:
    with Image.open(written["tiff-page-2-corrupt.tif"]) as im:
        outcomes = []
        for i in range(im.n_frames):
            im.seek(i)
            try:
                im.load()
                outcomes.append(True)
            except OSError:
                outcomes.append(False)
    assert outcomes == [True, False, True]


def test_corrupt_and_truncated_images_fail_to_decode(written: dict[str, Path]) -> None:
    for name in ("png-corrupt-body.png", "jpeg-truncated.jpg"):
        with Image.open(io.BytesIO(written[name].read_bytes())) as im:
            with pytest.raises(OSError):
                im.load()


def test_path_traversal_manifest(written: dict[str, Path]) -> None:
    from pipeline.errors import ManifestError
    from pipeline.manifest import parse_manifest

    raw = written["path-traversal-dossier.json"].read_bytes()
    assert tuple(json.loads(raw)["files"]) == UNSAFE_NAMES
    with pytest.raises(ManifestError, match="files"):
        parse_manifest(raw)

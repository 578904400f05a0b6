"""Content sniffing (never the extension) and safe file names."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import EmptyFileError, FileTooLargeError, UnsafePathError, UnsupportedFormatError
from pipeline.intake.sniff import check_size, detect_kind, kind_of_bytes, safe_join


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "kind"), [("PNG", "png"), ("JPEG", "jpeg"), ("TIFF", "tiff"), ("WEBP", "webp")])
def test_images_detected_by_content_whatever_the_name(tmp_path: Path, fmt: str, kind: str) -> None:
    path = tmp_path / "scan.pdf"  # the wrong extension on purpose
    path.write_bytes(_image(fmt))
    assert detect_kind(path) == kind


def test_heic_and_pdf(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    heic = tmp_path / "photo.jpg"
    heic.write_bytes(_image("HEIF"))
    assert detect_kind(heic) == "heic"
    pdf = tmp_path / "x.png"
    pdf.write_bytes(b"junk from a mail gateway\n%PDF-1.7\n...")
    assert detect_kind(pdf) == "pdf"


def test_avif_gif_zip_text_refused_with_a_reason(tmp_path: Path) -> None:
    cases = {
        "a.jpg": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
        "b.png": b"GIF89a\x01\x00\x01\x00",
        "c.pdf": b"PK\x03\x04\x14\x00",
        "d.tif": "Giấy khai sinh\n".encode(),
    }
    reasons = []
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnsupportedFormatError) as caught:
            detect_kind(path)
        reasons.append(caught.value.message)
    assert "AVIF" in reasons[0] and "GIF" in reasons[1] and "ZIP" in reasons[2] and "text" in reasons[3]


def test_empty_and_fifo(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        detect_kind(empty)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedFormatError, match="regular file"):
        detect_kind(fifo)


def test_kind_of_bytes_unknown() -> None:
    assert kind_of_bytes(b"\x00\x01\x02") is None


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_image("PNG"))
    assert check_size(path, 10_000) == path.stat().st_size
    with pytest.raises(FileTooLargeError):
        check_size(path, 10)


def test_error_messages_mask_id_numbers(tmp_path: Path) -> None:
    path = tmp_path / "CCCD 026190000123.jpg"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError) as caught:
        detect_kind(path)
    assert "026190000123" not in caught.value.message


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/shadow", "scans/../../x.pdf", "..\\..\\boot.ini", "C:\\Windows\\win.ini",
     "\\\\server\\share\\a.pdf", "~/x.pdf", "", "a\x00.pdf", ".."],
)
def test_safe_join_refuses(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, name)


def test_safe_join_refuses_symlink_escaping(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (folder / "scan.pdf").symlink_to(outside)
    (folder / "sub").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError, match="outside"):
        safe_join(folder, "scan.pdf")
    with pytest.raises(UnsafePathError):
        safe_join(folder, "sub/secret.txt")


def test_safe_join_allows_names_inside(tmp_path: Path) -> None:
    (tmp_path / "scans").mkdir()
    inside = tmp_path / "scans" / "a.pdf"
    inside.write_bytes(b"%PDF-")
    (tmp_path / "link.pdf").symlink_to(inside)  # a link that stays inside is fine
    assert safe_join(tmp_path, "scans/a.pdf") == tmp_path.resolve() / "scans" / "a.pdf"
    assert safe_join(tmp_path, "link.pdf").name == "link.pdf"
    assert safe_join(tmp_path, "giấy khai sinh..pdf").name == "giấy khai sinh..pdf"  # dots in a name are fine

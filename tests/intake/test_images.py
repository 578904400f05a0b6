"""Image intake: header sizes, DPI measured or assumed, orientation, modes."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.config import Settings
from pipeline.errors import DecompressionBombError
from pipeline.intake import count_pages, iter_pages
from pipeline.intake.images import assumed_dpi, credible_dpi, read_headers, to_rgb_array


def _save(tmp_path: Path, name: str, image: Image.Image, **kwargs) -> Path:  # noqa: ANN003
    path = tmp_path / name
    image.save(path, **kwargs)
    return path


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("JPEG", "a.jpg"), ("WEBP", "a.webp"), ("TIFF", "a.tif")])
def test_header_sizes_match_the_decoder(tmp_path: Path, fmt: str, name: str) -> None:
    path = _save(tmp_path, name, Image.new("RGB", (123, 77), (10, 20, 30)), format=fmt)
    (frame,) = read_headers(path, {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp", "TIFF": "tiff"}[fmt], Settings())
    assert (frame.width, frame.height) == (123, 77)


def test_lossless_webp_and_bomb_limit_per_setting(tmp_path: Path) -> None:
    path = _save(tmp_path, "a.webp", Image.new("RGB", (300, 200)), format="WEBP", lossless=True)
    (frame,) = read_headers(path, "webp", Settings())
    assert (frame.width, frame.height) == (300, 200)
    with pytest.raises(DecompressionBombError):
        count_pages(path, Settings(max_pixels=50_000))


def test_scan_dpi_measured(tmp_path: Path) -> None:
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    path = _save(tmp_path, "scan.png", page, format="PNG", dpi=(200, 200))
    (result,) = list(iter_pages(path, Settings()))
    assert result.dpi == pytest.approx(200, abs=0.5) and not result.dpi_assumed
    assert result.pixels.shape == (2339, 1654, 3) and not result.color


def test_jpeg_jfif_dpi_measured(tmp_path: Path) -> None:
    path = _save(tmp_path, "scan.jpg", Image.new("RGB", (1240, 1754), "white"), format="JPEG", dpi=(150, 150))
    (result,) = list(iter_pages(path, Settings()))
    assert result.dpi == pytest.approx(150) and not result.dpi_assumed


def test_phone_photo_72_dpi_is_not_believed_and_not_rejected(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x011A], exif[0x011B], exif[0x0128] = 72.0, 72.0, 2
    exif[0x010F] = "Phone"
    photo = Image.new("RGB", (3024, 4032), (180, 170, 150))
    path = _save(tmp_path, "IMG_0001.jpg", photo, format="JPEG", quality=60, exif=exif.tobytes())
    (result,) = list(iter_pages(path, Settings()))
    assert result.dpi_assumed
    assert result.dpi == pytest.approx(4032 / 11.69, abs=0.5)  # the long side assumed to span an A4 page


def test_credible_dpi_rules() -> None:
    assert credible_dpi(300, 2480, 3508)
    assert credible_dpi(200, 3308, 4677)  # A3 at 200
    assert not credible_dpi(72, 4032, 3024)  # a 56-inch "page"
    assert not credible_dpi(1, 420, 594)
    assert not credible_dpi(None, 420, 594)
    assert not credible_dpi(5000, 2480, 3508)
    assert assumed_dpi(2480, 3508) == pytest.approx(300, abs=0.2)
    assert assumed_dpi(10, 10) == 50.0


def test_exif_orientation_on_a_generated_photo(tmp_path: Path) -> None:
    upright = Image.new("RGB", (200, 300), "white")
    upright.paste((0, 0, 0), (0, 0, 200, 20))  # black bar on top
    for orientation, stored in ((3, upright.rotate(180)), (6, upright.transpose(Image.Transpose.ROTATE_90)),
                                (8, upright.transpose(Image.Transpose.ROTATE_270))):
        exif = Image.Exif()
        exif[0x0112] = orientation
        path = _save(tmp_path, f"o{orientation}.jpg", stored, format="JPEG", exif=exif.tobytes())
        (page,) = list(iter_pages(path, Settings()))
        assert page.pixels.shape[:2] == (300, 200), orientation
        assert page.pixels[:15].mean() < 60 and page.pixels[-15:].mean() > 200, orientation


def test_modes_become_rgb() -> None:
    gray16 = Image.fromarray(np.full((4, 4), 65535, np.uint16))
    assert to_rgb_array(gray16).min() == 255
    rgba = Image.new("RGBA", (4, 4), (0, 0, 0, 0))  # fully transparent: white paper shows
    assert to_rgb_array(rgba).min() == 255
    one_bit = Image.new("1", (4, 4), 0)
    out = to_rgb_array(one_bit)
    assert out.shape == (4, 4, 3) and out.dtype == np.uint8 and out.max() == 0
    cmyk = Image.new("CMYK", (4, 4), (0, 0, 0, 0))
    assert to_rgb_array(cmyk).min() == 255
    assert to_rgb_array(Image.new("RGB", (2, 2))).flags.writeable


def test_tiff_page_count_from_directories(tmp_path: Path) -> None:
    frames = [Image.new("L", (50, 60), v) for v in (0, 128, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    path = tmp_path / "multi.tiff"
    path.write_bytes(buffer.getvalue())
    assert count_pages(path, Settings()) == 3
    means = [int(p.pixels.mean()) for p in iter_pages(path, Settings())]
    assert means == [0, 128, 255]

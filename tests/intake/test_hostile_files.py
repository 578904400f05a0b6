"""Every file in samples/edge-cases/ gets its typed error, or is read correctly (issue 3)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.errors import (
    DecompressionBombError,
    EmptyFileError,
    EncryptedPdfError,
    InputError,
    TooManyPagesError,
    TruncatedFileError,
    UnreadableImageError,
    UnsafePathError,
    UnsupportedFormatError,
)
from pipeline.intake import PageError, count_pages, iter_pages, iter_pages_safe, safe_join
from pipeline.intake.images import assumed_dpi
from pipeline.synth.edge_cases import EXPECTED

EDGE = Path(__file__).resolve().parents[2] / "samples" / "edge-cases"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    # Small render DPI keeps PDF tests fast; limits stay at their defaults.
    return Settings(data_dir=tmp_path, render_dpi=60)


def _pages(name: str, settings: Settings) -> list:
    return list(iter_pages_safe(EDGE / name, settings))


def test_every_edge_case_file_is_covered() -> None:
    files = {p.name for p in EDGE.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED)
    tested = {name for name in globals() if name.startswith("test_")}
    # One test per file: the mapping below names each file's test.
    assert set(CASE_TESTS) == files
    assert set(CASE_TESTS.values()) <= tested


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("empty-file.pdf", EmptyFileError),
        ("truncated.pdf", TruncatedFileError),
        ("encrypted-user-password.pdf", EncryptedPdfError),
        ("pdf-5000-pages.pdf", TooManyPagesError),
        ("pdf-declares-1000000-pages.pdf", TooManyPagesError),
        ("png-bomb-30000x30000.png", DecompressionBombError),
        ("text-file-named.jpg", UnsupportedFormatError),
    ],
)
def test_file_level_errors(name: str, error: type[InputError], settings: Settings) -> None:
    assert error.code == EXPECTED[name]
    with pytest.raises(error) as caught:
        count_pages(EDGE / name, settings)
    assert caught.value.code == EXPECTED[name]
    assert name.split(".")[0] in caught.value.message  # the message names the file
    with pytest.raises(error):
        next(iter_pages(EDGE / name, settings))
    with pytest.raises(error):
        next(iter_pages_safe(EDGE / name, settings))


def test_too_many_pages_checked_before_rendering(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.intake.pdf as pdf

    def forbidden(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("rendered a page of a file that should have been refused")

    monkeypatch.setattr(pdf, "convert_from_path", forbidden)
    for name in ("pdf-5000-pages.pdf", "pdf-declares-1000000-pages.pdf"):
        with pytest.raises(TooManyPagesError) as caught:
            list(iter_pages(EDGE / name, settings))
        assert caught.value.context["limit"] == settings.max_pages


def test_bomb_refused_from_header_not_by_pil(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    import pipeline.intake.images as images

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # PIL's own guard off: ours must still hold
    monkeypatch.setattr(images, "_open", lambda *a, **k: pytest.fail("decoder opened a bomb"))
    with pytest.raises(DecompressionBombError) as caught:
        list(iter_pages(EDGE / "png-bomb-30000x30000.png", settings))
    assert caught.value.context["width"] == 30000


def test_encrypted_owner_password_only_is_read(settings: Settings) -> None:
    (page,) = _pages("encrypted-owner-password-only.pdf", settings)
    assert page.index == 1 and page.pixels.dtype == np.uint8
    assert page.has_text_layer


def test_path_traversal_manifest(tmp_path: Path) -> None:
    names = json.loads((EDGE / "path-traversal-dossier.json").read_text(encoding="utf-8"))["files"]
    assert names
    for name in names:
        with pytest.raises(UnsafePathError) as caught:
            safe_join(tmp_path, name)
        assert caught.value.code == EXPECTED["path-traversal-dossier.json"]


def test_corrupt_png(settings: Settings) -> None:
    (item,) = _pages("png-corrupt-body.png", settings)
    assert isinstance(item, PageError) and item.code == "unreadable_image" and item.index == 1
    with pytest.raises(UnreadableImageError):
        list(iter_pages(EDGE / "png-corrupt-body.png", settings))


def test_truncated_jpeg(settings: Settings) -> None:
    with pytest.raises(TruncatedFileError) as caught:
        list(iter_pages(EDGE / "jpeg-truncated.jpg", settings))
    assert caught.value.code == EXPECTED["jpeg-truncated.jpg"]


def test_born_digital_pdf_reports_text_layer(settings: Settings) -> None:
    (page,) = _pages("pdf-born-digital-text-layer.pdf", settings)
    assert page.has_text_layer and not page.dpi_assumed and page.dpi == 60


def test_poster_page_rendered_within_pixel_cap(tmp_path: Path) -> None:
    capped = Settings(data_dir=tmp_path, max_pixels=1_500_000)  # render_dpi 300 would give 139 M pixels
    (page,) = list(iter_pages(EDGE / "pdf-poster-a0-page.pdf", capped))
    h, w = page.pixels.shape[:2]
    assert h * w <= capped.max_pixels
    assert w > h  # landscape A0
    assert page.dpi < capped.render_dpi and not page.dpi_assumed


def test_phone_photo_saved_as_pdf_read_at_its_own_resolution(tmp_path: Path) -> None:
    (page,) = _pages("pdf-phone-photo-72dpi.pdf", Settings(data_dir=tmp_path))  # render_dpi 300
    assert page.pixels.shape == (1754, 1240, 3)  # at render_dpi it would be 7308 x 5167
    assert page.dpi_assumed and page.dpi == assumed_dpi(1240, 1754)


def test_png_with_pdf_name(settings: Settings) -> None:
    (page,) = _pages("png-named-as.pdf", settings)
    assert page.pixels.shape == (424, 300, 3) and page.dpi_assumed


def test_multipage_tiff(settings: Settings) -> None:
    assert count_pages(EDGE / "tiff-3-pages.tif", settings) == 3
    pages = _pages("tiff-3-pages.tif", settings)
    assert [p.index for p in pages] == [1, 2, 3]
    for page in pages:
        assert page.pixels.shape == (594, 420, 3) and page.pixels.dtype == np.uint8
        assert page.dpi == 200 and not page.dpi_assumed and not page.color
    with pytest.raises(TooManyPagesError):
        count_pages(EDGE / "tiff-3-pages.tif", Settings(max_pages=2))


def test_tiff_bad_page_does_not_cost_the_others(settings: Settings) -> None:
    items = _pages("tiff-page-2-corrupt.tif", settings)
    assert [type(i).__name__ for i in items] == ["PageImage", "PageError", "PageImage"]
    assert items[1].index == 2 and items[1].code == "unreadable_image" and "page 2" in items[1].message
    assert items[2].index == 3
    # The strict iterator yields page 1, then raises for page 2 alone.
    strict = iter_pages(EDGE / "tiff-page-2-corrupt.tif", settings)
    assert next(strict).index == 1
    with pytest.raises(UnreadableImageError) as caught:
        next(strict)
    assert caught.value.context["page"] == 2


def test_exif_orientation_applied(settings: Settings) -> None:
    (page,) = _pages("jpeg-exif-orientation-6.jpg", settings)
    h, w = page.pixels.shape[:2]
    assert h > w  # stored landscape, shown portrait
    gray = page.pixels.mean(axis=2)
    assert gray[: int(h * 0.03)].mean() < 60  # the black bar is on top, where it was drawn
    assert gray[-int(h * 0.03) :].mean() > 200
    assert page.dpi_assumed  # a phone photo: never rejected for its DPI


def test_heic(settings: Settings) -> None:
    (page,) = _pages("heic-phone-photo.heic", settings)
    assert page.pixels.shape == (452, 320, 3) and page.dpi_assumed
    assert page.pixels.mean(axis=2)[:10].mean() < 80  # upright: bar on top


def test_webp(settings: Settings) -> None:
    (page,) = _pages("webp-photo.webp", settings)
    assert page.pixels.shape == (452, 320, 3) and page.dpi_assumed


CASE_TESTS = {
    "empty-file.pdf": "test_file_level_errors",
    "truncated.pdf": "test_file_level_errors",
    "encrypted-user-password.pdf": "test_file_level_errors",
    "encrypted-owner-password-only.pdf": "test_encrypted_owner_password_only_is_read",
    "pdf-5000-pages.pdf": "test_too_many_pages_checked_before_rendering",
    "pdf-declares-1000000-pages.pdf": "test_too_many_pages_checked_before_rendering",
    "png-bomb-30000x30000.png": "test_bomb_refused_from_header_not_by_pil",
    "text-file-named.jpg": "test_file_level_errors",
    "path-traversal-dossier.json": "test_path_traversal_manifest",
    "png-corrupt-body.png": "test_corrupt_png",
    "jpeg-truncated.jpg": "test_truncated_jpeg",
    "pdf-born-digital-text-layer.pdf": "test_born_digital_pdf_reports_text_layer",
    "pdf-poster-a0-page.pdf": "test_poster_page_rendered_within_pixel_cap",
    "pdf-phone-photo-72dpi.pdf": "test_phone_photo_saved_as_pdf_read_at_its_own_resolution",
    "png-named-as.pdf": "test_png_with_pdf_name",
    "tiff-3-pages.tif": "test_multipage_tiff",
    "tiff-page-2-corrupt.tif": "test_tiff_bad_page_does_not_cost_the_others",
    "jpeg-exif-orientation-6.jpg": "test_exif_orientation_applied",
    "heic-phone-photo.heic": "test_heic",
    "webp-photo.webp": "test_webp",
}

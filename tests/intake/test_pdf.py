"""PDF intake: one page rendered at a time, DPI from the page size, text layer reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfWriter

import pipeline.intake.pdf as pdf
from pipeline.config import Settings
from pipeline.errors import CorruptPdfError
from pipeline.intake import PageError, count_pages, iter_pages, iter_pages_safe
from pipeline.intake.images import assumed_dpi
from pipeline.intake.pdf import choose_dpi

A4 = (595.0, 842.0)


def _pdf(tmp_path: Path, sizes: list[tuple[float, float]]) -> Path:
    writer = PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    path = tmp_path / "batch.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


class RecordingConvert:
    """Stands in for pdf2image.convert_from_path and records every call."""

    def __init__(self, fail_page: int | None = None) -> None:
        self.calls: list[dict] = []
        self.fail_page = fail_page

    def __call__(self, pdf_path: str, dpi: int, first_page: int, last_page: int,
                 **kwargs: object) -> list[Image.Image]:
        self.calls.append({"first": first_page, "last": last_page, "dpi": dpi})
        if first_page == self.fail_page:
            from pdf2image.exceptions import PDFSyntaxError

            raise PDFSyntaxError("broken page")
        image = Image.new("RGB", (round(A4[0] / 72 * dpi), round(A4[1] / 72 * dpi)), (255, 255, 255))
        if kwargs.get("paths_only"):  # as pdf2image: the page written into output_folder, its path returned
            path = Path(str(kwargs["output_folder"])) / f"page-{first_page}.ppm"
            image.save(path)
            return [str(path)]
        return [image]


def test_pages_rendered_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pdf(tmp_path, [A4, A4, A4])
    recorder = RecordingConvert()
    monkeypatch.setattr(pdf, "convert_from_path", recorder)
    pages = iter_pages(path, Settings())
    assert recorder.calls == []  # nothing rendered before it is asked for
    first = next(pages)
    assert recorder.calls == [{"first": 1, "last": 1, "dpi": 300}]
    assert first.index == 1 and first.pixels.shape == (3508, 2479, 3)
    rest = list(pages)
    assert [c["first"] for c in recorder.calls] == [1, 2, 3]
    assert all(c["first"] == c["last"] for c in recorder.calls)
    assert [p.index for p in rest] == [2, 3]
    assert all(p.dpi == 300 and not p.dpi_assumed and not p.has_text_layer for p in [first, *rest])


def test_a_page_that_fails_to_render_is_reported_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pdf(tmp_path, [A4, A4, A4])
    monkeypatch.setattr(pdf, "convert_from_path", RecordingConvert(fail_page=2))
    items = list(iter_pages_safe(path, Settings()))
    assert isinstance(items[1], PageError) and items[1].index == 2 and items[1].code == "corrupt_pdf"
    assert [getattr(i, "index") for i in items] == [1, 2, 3]
    with pytest.raises(CorruptPdfError) as caught:
        list(iter_pages(path, Settings()))
    assert caught.value.context["page"] == 2


def test_dpi_chosen_from_page_size() -> None:
    settings = Settings()
    assert choose_dpi(*A4, settings) == 300  # A4 at render_dpi
    assert choose_dpi(243, 153, settings) == 300  # an ID card sized page too
    a0 = (2384.0, 3370.0)
    dpi = choose_dpi(*a0, settings)
    assert dpi < 300
    assert (a0[0] / 72 * dpi) * (a0[1] / 72 * dpi) <= settings.max_pixels
    assert (a0[0] / 72 * (dpi + 2)) * (a0[1] / 72 * (dpi + 2)) > settings.max_pixels  # not lower than needed
    small_cap = Settings(max_pixels=2_000_000)
    assert choose_dpi(*A4, small_cap) < 300
    assert choose_dpi(*A4, Settings(render_dpi=200)) == 200


def test_mixed_page_sizes_get_their_own_dpi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pdf(tmp_path, [A4, (2384.0, 3370.0)])
    recorder = RecordingConvert()
    monkeypatch.setattr(pdf, "convert_from_path", recorder)
    settings = Settings(max_pixels=50_000_000)
    list(iter_pages(path, settings))
    assert recorder.calls[0]["dpi"] == 300 and recorder.calls[1]["dpi"] < 300


def test_real_render_and_text_layer(tmp_path: Path) -> None:
    """Real poppler: an image-only page (as a scanner writes) and a page with text."""
    scan = Image.new("RGB", (400, 566), (255, 255, 255))
    scan.paste((200, 0, 0), (50, 50, 150, 150))
    image_pdf = tmp_path / "scan.pdf"
    scan.save(image_pdf, format="PDF", resolution=50.0)
    settings = Settings(render_dpi=50)
    (page,) = list(iter_pages(image_pdf, settings))
    assert not page.has_text_layer and page.color
    assert page.pixels.dtype == np.uint8 and page.pixels.shape[2] == 3
    assert abs(page.pixels.shape[1] - 400) <= 2  # 8 inches at 50 dpi
    assert page.pixels.flags.writeable


def test_count_pages_without_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _pdf(tmp_path, [A4] * 7)
    monkeypatch.setattr(pdf, "convert_from_path", lambda *a, **k: pytest.fail("count_pages rendered a page"))
    assert count_pages(path, Settings()) == 7


def test_broken_pdf_structure(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf body at all\n%%EOF\n")
    with pytest.raises(CorruptPdfError):
        count_pages(path, Settings())


def _photo_pdf(tmp_path: Path, size: tuple[int, int]) -> tuple[Path, Path]:
    """A phone photo (some text on paper) as a JPEG and as an "image to PDF" app saves it: the
    photo's pixels declared at 72 dpi, the picture covering the whole page."""
    photo = Image.new("RGB", size, (235, 232, 225))
    photo.paste((40, 40, 40), (100, 100, size[0] - 100, 140))
    jpeg, wrapped = tmp_path / "photo.jpg", tmp_path / "photo.pdf"
    photo.save(jpeg, quality=95)
    Image.open(jpeg).save(wrapped, format="PDF", resolution=72.0)
    return jpeg, wrapped


def _page_with_picture(tmp_path: Path, page_pt: float, drawn_pt: float, pixels: int = 20) -> Path:
    """One square page of `page_pt` points with one gray picture of `pixels` px drawn `drawn_pt` wide."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=page_pt, height=page_pt)
    picture = DecodedStreamObject()
    picture.set_data(bytes([128]) * pixels * pixels)
    picture.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                    NameObject("/Width"): NumberObject(pixels), NameObject("/Height"): NumberObject(pixels),
                    NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                    NameObject("/BitsPerComponent"): NumberObject(8)})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(picture)})})
    content = DecodedStreamObject()
    content.set_data(f"q {drawn_pt} 0 0 {drawn_pt} 0 0 cm /Im0 Do Q".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "picture.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_photo_saved_as_a_pdf_is_read_as_the_photo(tmp_path: Path) -> None:
    """1300 x 1700 px at 72 dpi is an 18 x 23.6 inch page, larger than A2: rendered at render_dpi it
    would be 5417 x 7083 px. It is rendered at the picture's own resolution instead, with the
    pixels and the assumed DPI the JPEG of the same photo gets."""
    jpeg, wrapped = _photo_pdf(tmp_path, (1300, 1700))
    (as_pdf,) = list(iter_pages(wrapped, Settings()))
    (as_jpeg,) = list(iter_pages(jpeg, Settings()))
    assert as_pdf.pixels.shape == as_jpeg.pixels.shape == (1700, 1300, 3)
    assert as_pdf.dpi_assumed and as_jpeg.dpi_assumed
    assert as_pdf.dpi == as_jpeg.dpi == assumed_dpi(1300, 1700)
    assert np.abs(as_pdf.pixels.astype(int) - as_jpeg.pixels.astype(int)).mean() < 3  # two JPEG decoders


def test_picture_resolution_as_drawn(tmp_path: Path) -> None:
    # a 20 px picture drawn 1 inch wide on a 3000 pt (41.7 inch) page: a poster's logo, not a photo
    assert pdf.picture_dpi(_page_with_picture(tmp_path, 3000, 72), 1, 3000, 3000, 30) is None
    # the same picture drawn over the whole page: 20 px / 41.7 inches
    assert pdf.picture_dpi(_page_with_picture(tmp_path, 3000, 3000, pixels=2000), 1, 3000, 3000, 30) == 48
    # a page with no picture at all
    assert pdf.picture_dpi(_pdf(tmp_path, [(3000.0, 3000.0)]), 1, 3000, 3000, 30) is None


def test_a_poster_with_a_small_picture_keeps_its_dpi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _page_with_picture(tmp_path, 3000, 72)
    recorder = RecordingConvert()
    monkeypatch.setattr(pdf, "convert_from_path", recorder)
    settings = Settings(max_pixels=50_000_000)
    (page,) = list(iter_pages(path, settings))
    assert recorder.calls[0]["dpi"] == choose_dpi(3000, 3000, settings) and not page.dpi_assumed


def test_without_pdfimages_a_large_page_renders_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, wrapped = _photo_pdf(tmp_path, (1300, 1700))

    def missing(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("pdfimages")

    monkeypatch.setattr(pdf.subprocess, "run", missing)
    recorder = RecordingConvert()
    monkeypatch.setattr(pdf, "convert_from_path", recorder)
    (page,) = list(iter_pages(wrapped, Settings()))
    assert recorder.calls[0]["dpi"] == 300 and not page.dpi_assumed

import io

import numpy as np
import pytest
from pypdf import PdfReader

from pipeline.domain.records import PageImage, PreparedPage
from pipeline.ocr.searchable_pdf import image_pdf, make_searchable_pdf, pages_from_prepared


def _tinted(page: np.ndarray) -> np.ndarray:
    """The page on light-blue paper with a red seal-like square: clearly a colour original."""
    original = page.copy()
    original[original[:, :, 0] > 200] = (225, 235, 250)
    original[20:80, -120:-60] = (200, 30, 30)
    return original


def test_image_page_keeps_colour_and_scale(rendered_page):
    reader = PdfReader(io.BytesIO(image_pdf(_tinted(rendered_page), 300)))
    page = reader.pages[0]
    height, width = rendered_page.shape[:2]
    assert float(page.mediabox.width) == pytest.approx(width * 72 / 300, abs=0.5)
    image = page.images[0].image
    assert image.mode == "RGB" and image.size == (width, height)


def test_original_is_turned_upright_with_the_prepared_page():
    original = np.zeros((30, 50, 3), np.uint8)
    original[0, 0] = (255, 0, 0)
    source = PageImage(pixels=original, source=None, index=1, dpi=200)  # type: ignore[arg-type]
    prepared = PreparedPage(pixels=np.zeros((50, 30), np.uint8), source=source, rotation=90, dpi=200)
    (upright, cleaned, dpi), = pages_from_prepared([prepared])
    assert upright.shape[:2] == cleaned.shape[:2] == (50, 30) and dpi == 200
    assert tuple(upright[0, -1]) == (255, 0, 0)  # turned 90 degrees clockwise


@pytest.mark.slow
def test_searchable_pdf_has_text_layer_over_colour_original(rendered_page):
    original = _tinted(rendered_page)
    cleaned = (np.where(rendered_page.min(axis=2) < 128, 0, 255)).astype(np.uint8)
    pdf = make_searchable_pdf([(original, cleaned, 300.0), (original, cleaned, 300.0)], "vie")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert "CỘNG" in text and "Dương" in text
    (image,) = reader.pages[0].images
    pixels = np.asarray(image.image)
    assert image.image.mode == "RGB" and pixels.shape[:2] == original.shape[:2]
    assert pixels[50, -90, 0] > 150 and pixels[50, -90, 1] < 90  # the red square survived


@pytest.mark.slow
def test_text_layer_from_the_recognition_run_needs_no_second_run(rendered_page):
    """recognize() returns the text-only PDF page of the same run; building the PDF from it OCRs nothing."""
    import io

    from pypdf import PdfReader

    from pipeline.ocr.searchable_pdf import make_searchable_pdf
    from pipeline.ocr.tesseract import TesseractEngine

    page = TesseractEngine(lang="vie").recognize(rendered_page, dpi=300, page_index=1)
    assert page.text_layer and page.text_layer.startswith(b"%PDF")

    class NoEngine:
        name = "none"

        def text_layer_pdf(self, *args, **kwargs):
            raise AssertionError("the engine must not run again")

    pdf = make_searchable_pdf([(rendered_page, rendered_page, 300.0)], engine=NoEngine(),
                              text_layers=[page.text_layer])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "VIỆT NAM" in text or "VIET NAM" in text.upper()


def test_assemble_from_encoded_pages_keeps_order_and_allows_a_page_without_text(rendered_page):
    """The flow encodes each page as it streams past; a page whose OCR failed stays an image-only page."""
    import io

    from pypdf import PdfReader

    from pipeline.ocr.searchable_pdf import assemble_searchable_pdf, image_pdf

    small = rendered_page[: rendered_page.shape[0] // 2]
    pages = [image_pdf(rendered_page, 300), image_pdf(small, 300)]
    pdf = PdfReader(io.BytesIO(assemble_searchable_pdf(pages, [None, None])))
    heights = [round(float(p.mediabox.height)) for p in pdf.pages]
    assert len(heights) == 2 and heights[0] > heights[1]
    assert all(not (p.extract_text() or "").strip() for p in pdf.pages)

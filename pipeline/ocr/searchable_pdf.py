"""A searchable PDF per component: the colour original as the page, our OCR as invisible text.

Decree 30/2020 (Annex I) wants the stored copy in colour at >= 200 dpi and 100 % scale, so the
page image is the original scan (JPEG at its own DPI), never the binarised page. The text comes
from the cleaned page, which reads far better: Tesseract renders it as a text-only PDF
(`textonly_pdf=1`), and pypdf scales that page onto the original's page box. OCRmyPDF was the
alternative; it can only OCR the image it stores, so its text layer would come from the raw scan.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import numpy as np
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation

from pipeline.domain.records import PreparedPage
from pipeline.ocr.engine import OcrEngine
from pipeline.ocr.tesseract import DEFAULT_LANG, TesseractEngine

JPEG_QUALITY = 85
MIN_STORED_DPI = 200  # Decree 30/2020, Annex I


def image_pdf(original_rgb: np.ndarray, dpi: float) -> bytes:
    """One PDF page holding the colour image at 100 % scale (page box = pixels / dpi)."""
    image = Image.fromarray(_as_rgb(original_rgb))
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=float(dpi or MIN_STORED_DPI), quality=JPEG_QUALITY)
    return buffer.getvalue()


def add_overlaid_page(writer: PdfWriter, image_page_pdf: bytes, text_page_pdf: bytes) -> None:
    """Append the image page to `writer` and lay the text-only page over it, stretched to its box."""
    base = writer.add_page(PdfReader(io.BytesIO(image_page_pdf)).pages[0])
    text = PdfReader(io.BytesIO(text_page_pdf)).pages[0]
    bw, bh = float(base.mediabox.width), float(base.mediabox.height)
    tw, th = float(text.mediabox.width), float(text.mediabox.height)
    base.merge_transformed_page(text, Transformation().scale(bw / tw, bh / th), over=True)


def assemble_searchable_pdf(image_pages: Sequence[bytes], text_layers: Sequence[bytes | None]) -> bytes:
    """One PDF from per-page image PDFs (`image_pdf`) and their text-only layers (None: image only).

    Lets a caller encode each page as it streams past and drop its pixels, instead of holding a
    whole file's arrays until its components are known.
    """
    writer = PdfWriter()
    for image_page, layer in zip(image_pages, text_layers, strict=True):
        if layer:
            add_overlaid_page(writer, image_page, layer)
        else:
            writer.add_page(PdfReader(io.BytesIO(image_page)).pages[0])
    writer.add_metadata({"/Producer": "sohoa"})
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_searchable_pdf(pages: Sequence[tuple[np.ndarray, np.ndarray, float]], lang: str = DEFAULT_LANG, *,
                        engine: OcrEngine | None = None,
                        text_layers: Sequence[bytes] | None = None) -> bytes:
    """Pages as (original colour RGB, cleaned page, original DPI) -> one searchable PDF.

    The cleaned page must show the same area as the original in the same orientation (rotate the
    original upright first: `pages_from_prepared` does it); a residual skew or crop shifts the
    invisible text a little, which search does not notice. Pass `text_layers` (one text-only PDF
    per page, e.g. from an earlier OCR pass) to skip running the engine again.
    """
    engine = engine or TesseractEngine(lang=lang)
    writer = PdfWriter()
    for number, (original, cleaned, dpi) in enumerate(pages):
        if text_layers is not None:
            layer = text_layers[number]
        else:
            scale = cleaned.shape[1] / max(1, original.shape[1])
            layer = engine.text_layer_pdf(cleaned, dpi=float(dpi) * scale)
        add_overlaid_page(writer, image_pdf(original, dpi), layer)
    writer.add_metadata({"/Producer": "sohoa", "/Creator": f"sohoa ({engine.name})"})
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pages_from_prepared(prepared: Iterable[PreparedPage]) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """(original turned upright, cleaned, dpi) for each prepared page, ready for `make_searchable_pdf`."""
    out = []
    for page in prepared:
        original = page.source.pixels
        turns = (page.rotation // 90) % 4
        if turns:
            original = np.ascontiguousarray(np.rot90(original, k=-turns))  # rotation is clockwise
        out.append((original, page.pixels, page.source.dpi))
    return out


def _as_rgb(pixels: np.ndarray) -> np.ndarray:
    if pixels.dtype == np.bool_:
        pixels = pixels.astype(np.uint8) * 255
    if pixels.ndim == 2:
        return np.stack([pixels] * 3, axis=-1)
    if pixels.shape[2] == 4:
        return pixels[:, :, :3]
    return pixels

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from pipeline.errors import InputError
from pipeline.intake.originals import component_original


def _pdf(n: int) -> bytes:
    writer = PdfWriter()
    for i in range(n):
        writer.add_blank_page(width=200 + i, height=300)  # widths tell the pages apart
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_page_range_is_copied_in_order():
    data, ext = component_original(_pdf(5), "pdf", [2, 3], 5)
    widths = [float(p.mediabox.width) for p in PdfReader(io.BytesIO(data)).pages]
    assert ext == "pdf" and widths == [201, 202]


def test_whole_file_is_returned_unchanged():
    original = _pdf(2)
    assert component_original(original, "pdf", [1, 2], 2) == (original, "pdf")


def test_tiff_frames():
    frames = [Image.new("L", (10 + i, 10), 255) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    data, ext = component_original(buf.getvalue(), "tiff", [3], 3)
    with Image.open(io.BytesIO(data)) as image:
        assert ext == "tif" and image.size == (12, 10) and getattr(image, "n_frames", 1) == 1


def test_single_image_cannot_be_cut():
    with pytest.raises(InputError):
        component_original(b"\xff\xd8", "jpeg", [2], 3)

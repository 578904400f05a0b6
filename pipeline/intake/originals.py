"""Cut a component's pages out of the original scan, losslessly where the format allows.

The citizen data store keeps each paper's original: a PDF page range stays PDF (pages copied,
not re-rendered), a single image stays byte-identical, a page range of a multi-page TIFF becomes
a TIFF of those frames. Page order is the physical order (Circular 01/2023, art. 8).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from pypdf import PdfReader, PdfWriter

from pipeline.errors import InputError


def component_original(data: bytes, kind: str, pages: Sequence[int], total_pages: int) -> tuple[bytes, str]:
    """Return (bytes, extension) of the original holding just `pages` (1-based) of the file."""
    if not pages:
        raise InputError("a component needs at least one page")
    if list(pages) == list(range(1, total_pages + 1)):
        return data, _EXTENSIONS.get(kind, kind)
    if kind == "pdf":
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for number in pages:
            writer.add_page(reader.pages[number - 1])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue(), "pdf"
    if kind == "tiff":
        with Image.open(io.BytesIO(data)) as image:
            frames = []
            for number in pages:
                image.seek(number - 1)
                frames.append(image.copy())
        out = io.BytesIO()
        frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
        return out.getvalue(), "tif"
    raise InputError(f"cannot cut pages {list(pages)} out of a single-page {kind} file")


_EXTENSIONS = {"jpeg": "jpg", "tiff": "tif", "png": "png", "webp": "webp", "heic": "heic", "pdf": "pdf"}

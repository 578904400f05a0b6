"""PDF pages, rendered one at a time with poppler at a DPI chosen from each page's size.

A counter's scanner writes one PDF per batch (hundreds of pages); rendering all of them at once is
what blows up memory in other tools. pypdf inspects the file first (end marker, encryption, page
count, page sizes, text layer) without rendering anything; then pdf2image renders page i alone.

A photo saved as a PDF. Phone apps ("image to PDF") declare the photo's pixels at 72 dpi, so a
12-megapixel photo becomes a 42 x 56 inch page, which render_dpi would blow up to the pixel cap
(`choose_dpi`). A page larger than any paper a counter takes (`images.credible_paper`: A2) whose
pictures cover most of it is therefore rendered at its pictures' own resolution as drawn
(`pdfimages -list`, poppler's, which applies the page's transformation), never above what
`choose_dpi` allows, and its DPI is assumed as a photo's is (`images.assumed_dpi`): the pixels and
DPI the same photo gets as a JPEG. Pages of paper size render at render_dpi as before, a
low-resolution scan upsampled by poppler (not compared here with reading it at its own resolution).
Measured (2026-11-29, 2 cores, `sohoa ocr --json`, GNU time's peak RSS of the largest process):
- a 3000 x 3863 photo as a 72-dpi PDF: 16.0 s and 826 MB before, 6.0 s and 124 MB now; the same
  photo as a JPEG: 6.0 s and 233 MB;
- 24 generated dev phone photos (seeds 71 and 81; 23 of them larger than A2 at 72 dpi) saved as
  JPEG in one 72-dpi PDF: 119.7 -> 68.8 s, 705 -> 151 MB; word F1 0.9223 both, mean Tesseract
  confidence 91.07 -> 91.69, CER 7.81 -> 8.18 % (pages whose blocks were read in another order
  moved both ways, 0.36 -> 35.0 and 41.2 -> 6.6).
"""

from __future__ import annotations

import logging
import math
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError, PDFSyntaxError

from pipeline.config import Settings
from pipeline.domain.records import PageImage
from pipeline.errors import (
    CorruptPdfError,
    EncryptedPdfError,
    InputError,
    MissingDependencyError,
    TooManyPagesError,
    TruncatedFileError,
)
from pipeline.intake.images import assumed_dpi, credible_paper, is_color
from pipeline.intake.sniff import file_label

log = logging.getLogger(__name__)

POINTS_PER_INCH = 72.0
# A page beyond paper size is a photo saved as a PDF when its pictures, as drawn, cover this share of it.
PICTURE_COVER = 0.5
_EOF_WINDOW = 2048  # readers accept a little junk after %%EOF


@dataclass(frozen=True)
class PdfPage:
    """What pypdf says about one page before it is rendered."""

    index: int  # 1-based
    width_pt: float
    height_pt: float
    has_text_layer: bool


def choose_dpi(width_pt: float, height_pt: float, settings: Settings) -> int:
    """settings.render_dpi, lowered for pages so large (posters, maps) that the render would
    exceed settings.max_pixels. An A4 page (595 x 842 pt) renders at render_dpi."""
    dpi = int(settings.render_dpi)
    area_in2 = max(width_pt, 1.0) / POINTS_PER_INCH * max(height_pt, 1.0) / POINTS_PER_INCH
    if area_in2 * dpi * dpi > settings.max_pixels:
        dpi = max(1, int(math.floor(math.sqrt(settings.max_pixels / area_in2))))
        # Rounding in poppler can add a pixel per side: step down until it fits.
        while dpi > 1 and _pixels(width_pt, dpi) * _pixels(height_pt, dpi) > settings.max_pixels:
            dpi -= 1
    return dpi


def picture_dpi(path: Path, index: int, width_pt: float, height_pt: float, timeout_s: float) -> int | None:
    """The resolution of page `index`'s pictures as drawn (the highest, when a scanner's layers differ),
    if together they cover at least PICTURE_COVER of the page; else None. From poppler's
    `pdfimages -list`, which reads the page's content without decoding any picture; None too when it
    cannot be run or read (the page then renders as any other)."""
    try:
        done = subprocess.run(["pdfimages", "-list", "-f", str(index), "-l", str(index), str(path)],
                              capture_output=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("pdfimages could not list the pictures of page %d: %s", index, type(exc).__name__)
        return None
    covered, best = 0.0, 0.0
    for line in done.stdout.decode("utf-8", "replace").splitlines()[2:]:
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        cells = line.split()
        try:
            kind, width, height = cells[2], int(cells[3]), int(cells[4])
            x_ppi, y_ppi = float(cells[12]), float(cells[13])
        except (IndexError, ValueError):
            continue
        if kind == "smask" or x_ppi <= 0 or y_ppi <= 0:
            continue  # a soft mask is another picture's transparency
        covered += (width / x_ppi) * (height / y_ppi)
        best = max(best, x_ppi, y_ppi)
    page_in2 = max(width_pt, 1.0) / POINTS_PER_INCH * max(height_pt, 1.0) / POINTS_PER_INCH
    return max(1, round(best)) if best and covered >= PICTURE_COVER * page_in2 else None


def _pixels(length_pt: float, dpi: int) -> int:
    return int(math.ceil(length_pt / POINTS_PER_INCH * dpi))


def _check_end_marker(path: Path) -> None:
    with Path(path).open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _EOF_WINDOW))
        tail = handle.read()
    if b"%%EOF" not in tail:
        label = file_label(path)
        raise TruncatedFileError(f"{label}: the PDF is truncated (no end-of-file marker); ask for the complete file",
                                 file=label)


def _open_reader(path: Path, handle):  # noqa: ANN001, ANN202 - pypdf's reader type stays internal
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    label = file_label(path)
    try:
        reader = PdfReader(handle, strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise CorruptPdfError(f"{label}: the PDF structure cannot be read ({type(exc).__name__})", file=label) from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError, PdfReadError) as exc:
            raise EncryptedPdfError(f"{label}: the PDF is encrypted with a method that cannot be opened here",
                                    file=label) from exc
        if not opened:
            raise EncryptedPdfError(f"{label}: the PDF is password-protected; ask for an unprotected copy",
                                    file=label)
    return reader


def _declared_count(reader) -> int | None:  # noqa: ANN001
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - a missing or odd /Count is checked again by counting
        return None


def _count(reader, path: Path, settings: Settings) -> int:  # noqa: ANN001
    label = file_label(path)
    declared = _declared_count(reader)
    if declared is not None and declared > settings.max_pages:
        raise TooManyPagesError(f"{label}: the PDF declares {declared} pages, more than the limit of "
                                f"{settings.max_pages} (SOHOA_MAX_PAGES); split it before scanning in",
                                file=label, pages=declared, limit=settings.max_pages)
    try:
        count = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a broken page tree
        raise CorruptPdfError(f"{label}: the PDF page tree cannot be read ({type(exc).__name__})", file=label) from exc
    if count > settings.max_pages:
        raise TooManyPagesError(f"{label}: the PDF has {count} pages, more than the limit of {settings.max_pages} "
                                f"(SOHOA_MAX_PAGES)", file=label, pages=count, limit=settings.max_pages)
    if count == 0:
        raise CorruptPdfError(f"{label}: the PDF has no pages", file=label)
    return count


def count_pdf_pages(path: Path, settings: Settings) -> int:
    """Pages in the PDF, without rendering. Raises TruncatedFileError, EncryptedPdfError,
    TooManyPagesError, CorruptPdfError."""
    _check_end_marker(path)
    with Path(path).open("rb") as handle:
        return _count(_open_reader(path, handle), path, settings)


def _has_text(page) -> bool:  # noqa: ANN001
    """True when the page already carries text (born-digital or an earlier OCR layer)."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        fonts = resources.get("/Font") if resources is not None else None
        if not fonts:
            return False  # no font, no text: the usual scanned page, answered without parsing content
        return bool(page.extract_text().strip())
    except Exception:  # noqa: BLE001 - a page whose text cannot be extracted is treated as image-only
        return False


def _page_info(reader, index: int) -> PdfPage:  # noqa: ANN001
    page = reader.pages[index - 1]
    box = page.mediabox  # pdftoppm renders the media box unless told otherwise
    width, height = abs(float(box.width)), abs(float(box.height))
    unit = float(page.get("/UserUnit", 1) or 1)
    return PdfPage(index=index, width_pt=width * unit, height_pt=height * unit, has_text_layer=_has_text(page))


def render_page(path: Path, index: int, dpi: int, settings: Settings) -> np.ndarray:
    """Render page `index` (1-based) alone at `dpi`: RGB uint8. Raises CorruptPdfError for the page.

    pdftoppm writes the page to a temporary PPM whose pixels are read straight into one array
    (`read_ppm`): the default pdf2image path holds pdftoppm's output bytes, a PIL image and the
    numpy copy at once (3 x 26 MB for a 300-dpi A4 page, measured as the parent's peak on a
    100-page scan), and cv2.imread + a BGR->RGB swap still peaked at twice the page (imread
    decodes into OpenCV's own buffer, then copies it into the numpy array).
    """
    label = file_label(path)
    with tempfile.TemporaryDirectory(prefix="sohoa-render-") as folder:
        try:
            with warnings.catch_warnings():
                # The DPI was chosen so the page fits SOHOA_MAX_PIXELS; PIL's own bomb warning is noise here.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                written = convert_from_path(str(path), dpi=dpi, first_page=index, last_page=index, thread_count=1,
                                            timeout=settings.ocr_timeout_seconds, output_folder=folder,
                                            paths_only=True, fmt="ppm")
        except PDFInfoNotInstalledError as exc:
            raise MissingDependencyError("poppler (pdftoppm, pdfinfo) is not installed: apt install poppler-utils") from exc
        except (PDFPageCountError, PDFSyntaxError, PDFPopplerTimeoutError, OSError, ValueError) as exc:
            raise CorruptPdfError(f"{label}: page {index} cannot be rendered ({type(exc).__name__})",
                                  file=label, page=index) from exc
        pixels = read_ppm(Path(written[0])) if written else None
    if pixels is None or pixels.size == 0:
        raise CorruptPdfError(f"{label}: page {index} rendered to nothing", file=label, page=index)
    return pixels


def read_ppm(path: Path) -> np.ndarray | None:
    """The RGB pixels of a binary 8-bit PPM (P6, what pdftoppm writes), read from the file into one
    array with no decoder buffer and no channel swap; any other PNM goes through OpenCV.
    None when the file cannot be read."""
    with path.open("rb") as handle:
        head = handle.read(_PNM_HEAD_BYTES)
    fields, offset = _pnm_header(head)
    if len(fields) == 4 and fields[0] == b"P6" and fields[3] == b"255":
        width, height = int(fields[1]), int(fields[2])
        pixels = np.fromfile(path, dtype=np.uint8, count=width * height * 3, offset=offset)
        if pixels.size == width * height * 3:
            return pixels.reshape(height, width, 3)
        return None  # a short file: pdftoppm stopped half-way
    pixels = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if pixels is None else cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB)


_PNM_HEAD_BYTES = 512  # room for the magic number, width, height, maximum value and comments


def _pnm_header(head: bytes) -> tuple[list[bytes], int]:
    """The first four whitespace-separated fields of a PNM header (magic, width, height, maxval;
    `#` comments skipped) and the offset of the pixel data: one whitespace byte after the last."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4 and at < len(head):
        if head[at:at + 1].isspace():
            at += 1
        elif head[at:at + 1] == b"#":
            end = head.find(b"\n", at)
            at = len(head) if end < 0 else end + 1
        else:
            start = at
            while at < len(head) and not head[at:at + 1].isspace() and head[at:at + 1] != b"#":
                at += 1
            fields.append(head[start:at])
    if len(fields) < 4 or at >= len(head):
        return [], 0
    return fields, at + 1


def iter_pdf_pages(path: Path, settings: Settings) -> Iterator[PageImage | InputError]:
    """Each page as a PageImage, or the InputError of that page alone. File-level problems
    (truncated, encrypted, too many pages, broken structure) raise before the first page."""
    path = Path(path)
    _check_end_marker(path)
    with path.open("rb") as handle:
        reader = _open_reader(path, handle)
        count = _count(reader, path, settings)
        for index in range(1, count + 1):
            try:
                info = _page_info(reader, index)
                dpi = choose_dpi(info.width_pt, info.height_pt, settings)
                photo = None
                if not credible_paper(info.width_pt / POINTS_PER_INCH, info.height_pt / POINTS_PER_INCH):
                    photo = picture_dpi(path, index, info.width_pt, info.height_pt, settings.ocr_timeout_seconds)
                    dpi = min(dpi, photo or dpi)
                pixels = render_page(path, index, dpi, settings)
            except MissingDependencyError:
                raise
            except InputError as exc:
                yield exc
                continue
            except Exception as exc:  # noqa: BLE001 - one bad page object must not cost the others
                label = file_label(path)
                yield CorruptPdfError(f"{label}: page {index} cannot be read ({type(exc).__name__})",
                                      file=label, page=index)
                continue
            height, width = pixels.shape[:2]
            yield PageImage(pixels=pixels, source=path, index=index,
                            dpi=assumed_dpi(width, height) if photo else float(dpi), dpi_assumed=bool(photo),
                            has_text_layer=info.has_text_layer, color=is_color(pixels))

"""Hostile and awkward input files, one small file per case, named after the case.

Intake must give each of them a typed error (or read it correctly, for the benign ones) and never
let one of them kill a batch; `tests/intake/` has a test per file. The files are written from
code, byte for byte the same on every run, so `samples/edge-cases/` can be regenerated and diffed:
`sohoa samples edge-cases --out samples/edge-cases`.
"""

from __future__ import annotations

import io
import json
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
ENCRYPTED_PDF_PASSWORD = "sohoa"  # published on purpose: the case is "we cannot open it", not secrecy
OWNER_PASSWORD = "owner-sohoa"
MANY_PAGES = 5000
DECLARED_PAGES = 1_000_000
BOMB_SIDE = 30_000

# What intake must do with each file: the error code (pipeline/errors.py) or "ok" (+ what to check).
EXPECTED: dict[str, str] = {
    "empty-file.pdf": "empty_file",
    "truncated.pdf": "truncated_file",
    "encrypted-user-password.pdf": "encrypted_pdf",
    "encrypted-owner-password-only.pdf": "ok",  # opens without a password, as readers do
    f"pdf-{MANY_PAGES}-pages.pdf": "too_many_pages",
    "pdf-declares-1000000-pages.pdf": "too_many_pages",
    f"png-bomb-{BOMB_SIDE}x{BOMB_SIDE}.png": "decompression_bomb",
    "text-file-named.jpg": "unsupported_format",
    "path-traversal-dossier.json": "unsafe_path",
    "png-corrupt-body.png": "unreadable_image",
    "jpeg-truncated.jpg": "truncated_file",
    "pdf-born-digital-text-layer.pdf": "ok",
    "pdf-poster-a0-page.pdf": "ok",
    "pdf-phone-photo-72dpi.pdf": "ok",
    "png-named-as.pdf": "ok",
    "tiff-3-pages.tif": "ok",
    "tiff-page-2-corrupt.tif": "ok",  # pages 1 and 3 read, page 2 fails alone
    "jpeg-exif-orientation-6.jpg": "ok",
    "heic-phone-photo.heic": "ok",
    "webp-photo.webp": "ok",
}


# ----------------------------------------------------------------------------- small builders
def _page_image(width: int = 420, height: int = 594, title: str = "GIẤY KHAI SINH") -> Image.Image:
    """A small upright page: a thick bar along the top edge (to check orientation) and a few lines."""
    img = Image.new("RGB", (width, height), (250, 250, 246))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width - 1, int(height * 0.04)), fill=(0, 0, 0))
    font = ImageFont.truetype(FONT, max(10, width // 22))
    draw.text((width // 2, int(height * 0.12)), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0, anchor="mm")
    draw.text((width // 2, int(height * 0.2)), title, font=font, fill=0, anchor="mm")
    for i in range(8):
        y = int(height * (0.3 + 0.07 * i))
        draw.text((int(width * 0.08), y), f"Dòng {i + 1}: Nguyễn Văn An, xã Tam Hợp", font=font, fill=0)
    return img


def _pdf_bytes(objects: list[bytes], root: int = 1, extra_trailer: bytes = b"") -> bytes:
    """A classic PDF (header, numbered objects, xref table, trailer) from object bodies 1..n."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, extra_trailer, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_pdf() -> bytes:
    """A born-digital one-page A4 PDF whose text is a real text layer (Helvetica, ASCII-safe)."""
    lines = [
        "CONG HOA XA HOI CHU NGHIA VIET NAM",
        "Doc lap - Tu do - Hanh phuc",
        "GIAY XAC NHAN TINH TRANG HON NHAN",
        "Ho va ten: Nguyen Van An",
        "Noi cu tru: xa Tam Hop, huyen Binh Xuyen, tinh Vinh Phuc",
    ]
    ops = [b"BT /F1 12 Tf 72 770 Td 16 TL"]
    for line in lines:
        ops.append(b"(%s) '" % line.encode("ascii"))
    ops.append(b"ET")
    content = b"\n".join(ops)
    return _pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ])


def _many_pages_pdf(pages: int) -> bytes:
    """A valid PDF with `pages` pages that all share one content stream and one font; the page
    objects sit in a compressed object stream (PDF 1.5), so thousands of pages fit in a few KB."""
    content = b"BT /F1 24 Tf 72 760 Td (Trang lap lai) Tj ET"
    # Object numbers: 1 catalog, 2 pages root, 3 content, 4 font, 5.. pages, then objstm, xref.
    first_page = 5
    page_numbers = list(range(first_page, first_page + pages))
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    in_stream: list[tuple[int, bytes]] = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Count %d /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Kids [%s] >>" % (pages, kids)),
        (4, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    ]
    in_stream += [(n, b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>") for n in page_numbers]
    objstm_number = first_page + pages
    xref_number = objstm_number + 1
    header_parts, body = [], bytearray()
    for number, obj in in_stream:
        header_parts.append(b"%d %d" % (number, len(body)))
        body += obj + b"\n"
    header = b" ".join(header_parts) + b"\n"
    packed = zlib.compress(header + bytes(body), 9)

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    offsets[3] = len(out)
    out += b"3 0 obj\n" + _stream(content) + b"\nendobj\n"
    offsets[objstm_number] = len(out)
    out += b"%d 0 obj\n" % objstm_number + _stream(
        packed, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode " % (len(in_stream), len(header))) + b"\nendobj\n"
    xref_offset = len(out)
    index_in_stream = {number: i for i, (number, _) in enumerate(in_stream)}
    rows = bytearray()
    for number in range(xref_number + 1):
        if number == 0:
            rows += struct.pack(">BIH", 0, 0, 65535)
        elif number in index_in_stream:
            rows += struct.pack(">BIH", 2, objstm_number, index_in_stream[number])
        elif number == xref_number:
            rows += struct.pack(">BIH", 1, xref_offset, 0)
        else:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
    packed_rows = zlib.compress(bytes(rows), 9)
    out += b"%d 0 obj\n" % xref_number + _stream(
        packed_rows, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode " % (xref_number + 1)
    ) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def _lying_count_pdf() -> bytes:
    """One real page in a page tree whose root declares a million pages."""
    return _pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % DECLARED_PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])


def _poster_pdf() -> bytes:
    """An A0 landscape page (3370 x 2384 pt): rendered at 300 dpi it would exceed the pixel cap."""
    content = b"BT /F1 96 Tf 200 1800 Td (BAN DO QUY HOACH SU DUNG DAT) Tj ET 20 w 100 100 3170 2184 re S"
    return _pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 3370 2384] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def _phone_photo_pdf() -> bytes:
    """A page photo saved as a PDF by a phone's "image to PDF" app: one JPEG of 1240 x 1754 px over the
    whole page, declared at 72 dpi, so the page is 17.2 x 24.4 inches (larger than A2)."""
    fixed = time.gmtime(1_767_225_600)  # 2026-01-01: PIL stamps the time of writing otherwise
    return _image_bytes(_page_image(1240, 1754), "PDF", resolution=72.0, quality=60,
                        creationDate=fixed, modDate=fixed)


class _SeededSecrets:
    """Stands in for the `secrets` module inside pypdf while writing: same bytes on every run."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def token_bytes(self, n: int = 32) -> bytes:
        return self._rng.integers(0, 256, n, dtype=np.uint8).tobytes()


def _encrypted_pdf(user_password: str, owner_password: str, seed: int) -> bytes:
    """A real encrypted PDF (pypdf, RC4-128: pure Python, no extra dependency); the file ID
    that pypdf draws at random comes from a seeded generator so the file is reproducible."""
    from pypdf import PdfReader, PdfWriter
    import pypdf._writer as pypdf_writer

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf())))
    writer.add_metadata({"/Producer": "sohoa edge cases"})
    with mock.patch.object(pypdf_writer, "secrets", _SeededSecrets(seed)):
        writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_bomb(side: int) -> bytes:
    """A valid 1-bit palette PNG of side x side white pixels: ~110 KB on disk, `side`² pixels
    (900 million for 30000) once decoded. Rows are streamed into zlib, never held in memory."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter 0, then palette index 0 (white) everywhere
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(compressor.compress(row * (side % 1000)))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 3, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"PLTE", b"\xff\xff\xff\x00\x00\x00")
            + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b""))


def _png_corrupt_body() -> bytes:
    """A PNG whose header is fine and whose image data is garbage (with valid chunk CRCs)."""
    good = io.BytesIO()
    _page_image(200, 280).save(good, format="PNG")
    data = good.getvalue()
    ihdr_end = 8 + 25
    garbage = bytes(np.random.default_rng(5).integers(0, 256, 3000, dtype=np.uint8))
    return data[:ihdr_end] + _png_chunk(b"IDAT", garbage) + _png_chunk(b"IEND", b"")


def _image_bytes(img: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _tiff_pages(corrupt_page: int | None = None) -> bytes:
    """A 3-page 1-bit 200-dpi CCITT G4 TIFF, as a counter's document scanner writes; with
    `corrupt_page`, that page's strip offset points past the end of the file (a scanner that
    died mid-write), so that page cannot be decoded while the others are intact."""
    titles = ("TỜ KHAI", "GIẤY KHAI SINH", "CĂN CƯỚC")
    pages = [_page_image(420, 594, title).convert("1", dither=Image.Dither.NONE) for title in titles]
    data = _image_bytes(pages[0], "TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))
    if corrupt_page is None:
        return data
    # Walk the IFDs to the chosen page and point its (single) strip past the end of the file.
    buf = bytearray(data)
    endian = "<" if buf[:2] == b"II" else ">"
    ifd = struct.unpack(endian + "I", buf[4:8])[0]
    for _ in range(corrupt_page - 1):
        count = struct.unpack(endian + "H", buf[ifd : ifd + 2])[0]
        ifd = struct.unpack(endian + "I", buf[ifd + 2 + 12 * count : ifd + 6 + 12 * count])[0]
    count = struct.unpack(endian + "H", buf[ifd : ifd + 2])[0]
    for k in range(count):
        e = ifd + 2 + 12 * k
        tag, typ, n = struct.unpack(endian + "HHI", buf[e : e + 8])
        if tag == 273:  # StripOffsets
            if n != 1 or typ != 4:
                raise RuntimeError("expected one LONG strip offset per page")
            buf[e + 8 : e + 12] = struct.pack(endian + "I", len(buf) + 1_000_000)
    return bytes(buf)


def _jpeg_exif_6() -> bytes:
    """A phone photo stored sideways with EXIF Orientation 6 (rotate 90° clockwise to view);
    no DPI tag, as phones write it."""
    upright = _page_image(420, 594)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise: the camera's sensor view
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Sohoa Phone"
    return _image_bytes(stored, "JPEG", quality=80, exif=exif.tobytes())


def _heic() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return _image_bytes(_page_image(320, 452), "HEIF", quality=60)


def _path_traversal_manifest() -> bytes:
    """A real file name cannot contain '/', so the case is a dossier manifest whose file list
    points outside the dossier folder; intake must refuse to open any of these names."""
    manifest = {
        "dossier_code": "H62.22-240315-0001",
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "agency_code": "H62.22.10",
        "agency_name": "UBND xã Tam Hợp",
        "level": "xa",
        "channel": "truc_tiep",
        "received_at": "2024-03-15T09:30:00+07:00",
        "applicant": {"id_number": "026190000123", "full_name": "Nguyễn Văn An"},
        "files": ["../../etc/passwd", "/etc/shadow", "scans/../../../root/.ssh/id_rsa", "..\\..\\boot.ini"],
        "results": [],
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


UNSAFE_NAMES = ("../../etc/passwd", "/etc/shadow", "scans/../../../root/.ssh/id_rsa", "..\\..\\boot.ini")


def _builders() -> dict[str, Callable[[], bytes]]:
    text_pdf = _text_pdf()
    return {
        "empty-file.pdf": lambda: b"",
        "truncated.pdf": lambda: text_pdf[: len(text_pdf) * 3 // 5],  # cut inside the page's content
        "encrypted-user-password.pdf": lambda: _encrypted_pdf(ENCRYPTED_PDF_PASSWORD, OWNER_PASSWORD, 1),
        "encrypted-owner-password-only.pdf": lambda: _encrypted_pdf("", OWNER_PASSWORD, 2),
        f"pdf-{MANY_PAGES}-pages.pdf": lambda: _many_pages_pdf(MANY_PAGES),
        "pdf-declares-1000000-pages.pdf": _lying_count_pdf,
        f"png-bomb-{BOMB_SIDE}x{BOMB_SIDE}.png": lambda: _png_bomb(BOMB_SIDE),
        "text-file-named.jpg": lambda: "Đây là một tệp văn bản, không phải ảnh.\nNot a JPEG.\n".encode(),
        "path-traversal-dossier.json": _path_traversal_manifest,
        "png-corrupt-body.png": _png_corrupt_body,
        "jpeg-truncated.jpg": lambda: _image_bytes(_page_image(), "JPEG", quality=85)[:6000],
        "pdf-born-digital-text-layer.pdf": lambda: text_pdf,
        "pdf-poster-a0-page.pdf": _poster_pdf,
        "pdf-phone-photo-72dpi.pdf": _phone_photo_pdf,
        "png-named-as.pdf": lambda: _image_bytes(_page_image(300, 424), "PNG", optimize=True),
        "tiff-3-pages.tif": _tiff_pages,
        "tiff-page-2-corrupt.tif": lambda: _tiff_pages(corrupt_page=2),
        "jpeg-exif-orientation-6.jpg": _jpeg_exif_6,
        "heic-phone-photo.heic": _heic,
        "webp-photo.webp": lambda: _image_bytes(_page_image(320, 452), "WEBP", quality=70, method=4),
    }


def write_edge_cases(out: Path) -> list[Path]:
    """Write every edge-case file into `out` (created if needed); returns their paths, sorted."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in _builders().items():
        path = out / name
        path.write_bytes(build())
        written.append(path)
    return sorted(written)

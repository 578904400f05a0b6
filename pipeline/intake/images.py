"""Image files (TIFF, JPEG, PNG, WebP, HEIC) as upright RGB pages with an honest DPI.

Sizes are read from the file header by our own small parsers before any decoder runs, so a
decompression bomb is refused by SOHOA_MAX_PIXELS, not by luck or by PIL's warning. Phone photos
carry no credible DPI: they are never refused for it; a DPI is estimated and marked as assumed.
"""

from __future__ import annotations

import logging
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from pipeline.config import Settings
from pipeline.domain.records import PageImage
from pipeline.errors import (
    DecompressionBombError,
    InputError,
    TooManyPagesError,
    TruncatedFileError,
    UnreadableImageError,
)
from pipeline.intake.sniff import file_label

log = logging.getLogger(__name__)

A4_LONG_SIDE_IN = 11.69
# A resolution tag is believed only if it is in this range and the page it implies is no larger
# than A2 (phones write 72 dpi on a 4000-pixel photo: a 56-inch "page" is not credible).
CREDIBLE_DPI = (70.0, 1200.0)
MAX_CREDIBLE_INCHES = (16.6, 23.4)
ASSUMED_DPI_RANGE = (50.0, 600.0)

_PIL_FORMATS = {"tiff": ["TIFF"], "jpeg": ["JPEG", "MPO"], "png": ["PNG"], "webp": ["WEBP"], "heic": ["HEIF"]}


@dataclass(frozen=True)
class FrameHeader:
    """Width and height of one page as declared by the file header."""

    width: int
    height: int


# ----------------------------------------------------------------------------- header parsers
def _unreadable(path: Path, why: str) -> UnreadableImageError:
    label = file_label(path)
    return UnreadableImageError(f"{label}: {why}", file=label)


def _png_header(path: Path, data: bytes) -> list[FrameHeader]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise _unreadable(path, "the PNG header is missing or damaged")
    width, height = struct.unpack(">II", data[16:24])
    return [FrameHeader(width, height)]


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_header(path: Path) -> list[FrameHeader]:
    with path.open("rb") as handle:
        if handle.read(2) != b"\xff\xd8":
            raise _unreadable(path, "not a JPEG stream")
        while True:
            byte = handle.read(1)
            while byte and byte != b"\xff":  # skip garbage between segments, as decoders do
                byte = handle.read(1)
            while byte == b"\xff":  # fill bytes
                byte = handle.read(1)
            if not byte:
                raise TruncatedFileError(f"{file_label(path)}: the JPEG ends before its image header; the file is "
                                         f"truncated", file=file_label(path))
            marker = byte[0]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                continue
            if marker in (0xD9, 0xDA):
                raise _unreadable(path, "the JPEG has no frame header")
            length_bytes = handle.read(2)
            if len(length_bytes) < 2:
                raise TruncatedFileError(f"{file_label(path)}: the JPEG is truncated", file=file_label(path))
            length = struct.unpack(">H", length_bytes)[0]
            if marker in _SOF_MARKERS:
                segment = handle.read(5)
                if len(segment) < 5:
                    raise TruncatedFileError(f"{file_label(path)}: the JPEG is truncated", file=file_label(path))
                height, width = struct.unpack(">HH", segment[1:5])
                return [FrameHeader(width, height)]
            handle.seek(length - 2, 1)


def _webp_header(path: Path, data: bytes) -> list[FrameHeader]:
    chunk = data[12:16]
    body = data[20:]
    if chunk == b"VP8X" and len(body) >= 10:
        width = 1 + int.from_bytes(body[4:7], "little")
        height = 1 + int.from_bytes(body[7:10], "little")
    elif chunk == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width = int.from_bytes(body[6:8], "little") & 0x3FFF
        height = int.from_bytes(body[8:10], "little") & 0x3FFF
    else:
        raise _unreadable(path, "the WebP header is missing or damaged")
    return [FrameHeader(width, height)]


def _tiff_header(path: Path, max_pages: int) -> list[FrameHeader]:
    """Every page (top-level IFD) of a classic or Big TIFF, read from the IFD chain alone."""
    label = file_label(path)
    with path.open("rb") as handle:
        data_len = handle.seek(0, 2)
        handle.seek(0)
        head = handle.read(16)
        endian = "<" if head[:2] == b"II" else ">"
        big = struct.unpack(endian + "H", head[2:4])[0] == 43
        if big:
            offset = struct.unpack(endian + "Q", head[8:16])[0]
            count_fmt, entry_size, next_fmt = "Q", 20, "Q"
        else:
            offset = struct.unpack(endian + "I", head[4:8])[0]
            count_fmt, entry_size, next_fmt = "H", 12, "I"
        count_size, next_size = struct.calcsize(count_fmt), struct.calcsize(next_fmt)
        frames: list[FrameHeader] = []
        seen: set[int] = set()
        while offset:
            if offset in seen or offset + count_size > data_len:
                if not frames:
                    raise TruncatedFileError(f"{label}: the TIFF directory is outside the file; it is truncated",
                                             file=label)
                log.warning("%s: TIFF directory chain broken after %d pages", label, len(frames))
                break
            seen.add(offset)
            if len(frames) >= max_pages:
                raise TooManyPagesError(f"{label}: the TIFF has more than {max_pages} pages (SOHOA_MAX_PAGES)",
                                        file=label, limit=max_pages)
            handle.seek(offset)
            entries = struct.unpack(endian + count_fmt, handle.read(count_size))[0]
            table = handle.read(entries * entry_size + next_size)
            if len(table) < entries * entry_size + next_size:
                raise TruncatedFileError(f"{label}: the TIFF is truncated", file=label)
            width = height = 0
            for k in range(entries):
                entry = table[k * entry_size : (k + 1) * entry_size]
                tag, typ = struct.unpack(endian + "HH", entry[:4])
                if tag not in (256, 257):
                    continue
                value_bytes = entry[12:] if big else entry[8:]
                if typ == 3:
                    value = struct.unpack(endian + "H", value_bytes[:2])[0]
                elif typ == 16 and big:
                    value = struct.unpack(endian + "Q", value_bytes[:8])[0]
                else:
                    value = struct.unpack(endian + "I", value_bytes[:4])[0]
                if tag == 256:
                    width = value
                else:
                    height = value
            frames.append(FrameHeader(width, height))
            offset = struct.unpack(endian + next_fmt, table[entries * entry_size :])[0]
    if not frames:
        raise _unreadable(path, "the TIFF has no pages")
    return frames


def _heic_header(path: Path) -> list[FrameHeader]:
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(str(path), convert_hdr_to_8bit=True)
        width, height = heif.size  # the primary image; decoding is deferred until its data is used
    except Exception as exc:  # noqa: BLE001 - libheif reports every problem as a generic error
        raise _unreadable(path, f"the HEIC file cannot be read ({type(exc).__name__})") from exc
    return [FrameHeader(int(width), int(height))]


def read_headers(path: Path, kind: str, settings: Settings) -> list[FrameHeader]:
    """Page sizes from the header, checked against max_pages and max_pixels before decoding."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(64)
    if kind == "png":
        frames = _png_header(path, head)
    elif kind == "jpeg":
        frames = _jpeg_header(path)
    elif kind == "webp":
        frames = _webp_header(path, head)
    elif kind == "tiff":
        frames = _tiff_header(path, settings.max_pages)
    elif kind == "heic":
        frames = _heic_header(path)
    else:
        raise ValueError(f"not an image kind: {kind}")
    label = file_label(path)
    for number, frame in enumerate(frames, start=1):
        if frame.width <= 0 or frame.height <= 0:
            raise _unreadable(path, f"page {number} declares an empty size {frame.width}x{frame.height}")
        if frame.width * frame.height > settings.max_pixels:
            raise DecompressionBombError(
                f"{label}: page {number} declares {frame.width}x{frame.height} pixels "
                f"({frame.width * frame.height:,}), more than the limit of {settings.max_pixels:,} "
                f"(SOHOA_MAX_PIXELS); refused before decoding", file=label, page=number,
                width=frame.width, height=frame.height)
    return frames


# ----------------------------------------------------------------------------- DPI
def _tag_dpi(image: Image.Image, kind: str) -> float | None:
    """The resolution written in the file, if any (not PIL's 72-dpi default for JPEG)."""
    if kind == "jpeg":
        unit = image.info.get("jfif_unit")
        density = image.info.get("jfif_density")
        if unit in (1, 2) and density and density[0]:
            return float(density[0]) * (2.54 if unit == 2 else 1.0)
        exif = image.getexif()
        x_res, res_unit = exif.get(0x011A), exif.get(0x0128, 2)
        if x_res:
            try:
                value = float(x_res)
            except (TypeError, ValueError, ZeroDivisionError):
                return None
            return value * 2.54 if res_unit == 3 else value if res_unit == 2 else None
        return None
    dpi = image.info.get("dpi")
    if dpi and dpi[0]:
        try:
            return float(dpi[0])
        except (TypeError, ValueError):
            return None
    return None


def credible_dpi(dpi: float | None, width: int, height: int) -> bool:
    """A resolution tag worth believing: in range, and implying a paper no larger than A2."""
    if not dpi or not (CREDIBLE_DPI[0] <= dpi <= CREDIBLE_DPI[1]):
        return False
    return credible_paper(width / dpi, height / dpi)


def credible_paper(width_in: float, height_in: float) -> bool:
    """A page size (inches) a paper handed in at a counter can have: no larger than A2."""
    short_in, long_in = sorted((width_in, height_in))
    return short_in <= MAX_CREDIBLE_INCHES[0] and long_in <= MAX_CREDIBLE_INCHES[1]


def assumed_dpi(width: int, height: int) -> float:
    """For a photo without a credible DPI: assume the frame's long side spans an A4 page's long
    side (a page photographed to fill the frame), clamped to a sane range."""
    dpi = max(width, height) / A4_LONG_SIDE_IN
    return float(round(min(max(dpi, ASSUMED_DPI_RANGE[0]), ASSUMED_DPI_RANGE[1]), 1))


# ----------------------------------------------------------------------------- pixels
def is_color(pixels: np.ndarray) -> bool:
    """True if the page has real colour (a red seal, a photo), not grey or black-and-white."""
    if pixels.ndim < 3:
        return False
    step = max(1, int(max(pixels.shape[:2]) // 400))
    sample = pixels[::step, ::step].astype(np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    return bool((spread > 40).mean() > 0.001)


def to_rgb_array(image: Image.Image) -> np.ndarray:
    """Any PIL mode as a writable H x W x 3 RGB uint8 array; transparency composited on white paper."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(image, dtype=np.float64)
        top = 65535.0 if mode != "I" or arr.max() > 255 else 255.0
        gray = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode == "F":
        arr = np.asarray(image, dtype=np.float64)
        gray = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        return np.array(paper.convert("RGB"))
    return np.array(image if image.mode == "RGB" else image.convert("RGB"))


def _open(path: Path, kind: str) -> Image.Image:
    if kind == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            # Our own header check already enforced SOHOA_MAX_PIXELS; PIL's warning is noise here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path, formats=_PIL_FORMATS[kind])
    except Image.DecompressionBombError as exc:  # only if SOHOA_MAX_PIXELS was raised above PIL's cap
        label = file_label(path)
        raise DecompressionBombError(f"{label}: larger than PIL's safety cap; lower SOHOA_MAX_PIXELS",
                                     file=label) from exc
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise _unreadable(path, f"the image cannot be opened ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    return str(exc).split("\n")[0][:120] or type(exc).__name__


def _decode_frame(image: Image.Image, path: Path, index: int, kind: str) -> PageImage:
    label = file_label(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
            tag = _tag_dpi(image, kind)
            upright = ImageOps.exif_transpose(image) or image
            pixels = to_rgb_array(upright)
    except OSError as exc:
        message = str(exc)
        if "truncated" in message.lower() or "Truncated" in message:
            raise TruncatedFileError(f"{label}: page {index} is truncated ({_reason(exc)}); ask for the complete file",
                                     file=label, page=index) from exc
        raise UnreadableImageError(f"{label}: page {index} cannot be decoded ({_reason(exc)})",
                                   file=label, page=index) from exc
    except (SyntaxError, ValueError, struct.error, EOFError, MemoryError) as exc:
        raise UnreadableImageError(f"{label}: page {index} cannot be decoded ({_reason(exc)})",
                                   file=label, page=index) from exc
    height, width = pixels.shape[:2]
    if credible_dpi(tag, width, height):
        dpi, assumed = float(tag), False  # type: ignore[arg-type]
    else:
        dpi, assumed = assumed_dpi(width, height), True
    return PageImage(pixels=pixels, source=path, index=index, dpi=dpi, dpi_assumed=assumed,
                     has_text_layer=False, color=is_color(pixels))


def count_image_pages(path: Path, kind: str, settings: Settings) -> int:
    """Pages in an image file from its header (TIFF: every directory; others: 1)."""
    return len(read_headers(path, kind, settings))


def iter_image_pages(path: Path, kind: str, settings: Settings) -> Iterator[PageImage | InputError]:
    """Each page decoded alone (multi-page TIFF frame by frame), or the InputError of that page.
    File-level problems (bomb, too many pages, unreadable header) raise before the first page."""
    path = Path(path)
    frames = read_headers(path, kind, settings)
    image = _open(path, kind)
    try:
        for index in range(1, len(frames) + 1):
            try:
                if index > 1:
                    image.seek(index - 1)
                yield _decode_frame(image, path, index, kind)
            except InputError as exc:
                yield exc
            except EOFError:
                label = file_label(path)
                yield UnreadableImageError(f"{label}: page {index} cannot be reached", file=label, page=index)
    finally:
        image.close()

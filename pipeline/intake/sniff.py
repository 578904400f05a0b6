"""What a file really is (by its bytes, never its name) and whether it may be opened at all.

A counter's files arrive with wrong extensions (a photo saved as `.pdf`, a text note named `.jpg`)
and with names taken from manifests or uploads; both are checked here before any decoder runs.
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from pipeline.domain.idnumber import mask_ids_in
from pipeline.errors import EmptyFileError, FileTooLargeError, UnsafePathError, UnsupportedFormatError

KINDS = ("pdf", "tiff", "jpeg", "png", "webp", "heic")

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}

# Recognised but refused, so the message says what the file is.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"<?xml", "an XML file"),
    (b"<html", "an HTML page"),
)


def file_label(path: Path) -> str:
    """The file's name as it may appear in logs and errors (ID numbers masked)."""
    return mask_ids_in(Path(path).name)


def detect_kind(path: Path) -> str:
    """One of KINDS from the file's first bytes. Raises EmptyFileError, UnsupportedFormatError."""
    path = Path(path)
    label = file_label(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise UnsupportedFormatError(f"{label}: not a regular file", file=label)
        size = info.st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise UnsupportedFormatError(f"{label}: cannot be opened ({exc.strerror or exc})", file=label) from exc
    if size == 0 or not head:
        raise EmptyFileError(f"{label}: the file is empty (0 bytes)", file=label)
    kind = kind_of_bytes(head)
    if kind is None:
        raise UnsupportedFormatError(f"{label}: {_describe(head)}, not a PDF, TIFF, JPEG, PNG, WebP or HEIC file",
                                     file=label)
    return kind


def kind_of_bytes(head: bytes) -> str | None:
    """The kind of a file from its first bytes (up to 1024), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[0:4], "big")
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        if b"avif" in brands or b"avis" in brands:
            return None
        if brands & _HEIF_BRANDS:
            return "heic"
        return None
    # PDF readers accept the header anywhere in the first 1024 bytes (after junk from mail gateways).
    if b"%PDF-" in head:
        return "pdf"
    return None


def _describe(head: bytes) -> str:
    for signature, what in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return f"looks like {what}"
    if head[4:8] == b"ftyp":
        return "looks like a video or AVIF file"
    try:
        head.decode("utf-8")
        return "looks like a text file"
    except UnicodeDecodeError:
        return "has an unknown format"


def check_size(path: Path, max_bytes: int) -> int:
    """The file's size in bytes; FileTooLargeError above `max_bytes`, EmptyFileError at zero."""
    size = Path(path).stat().st_size
    label = file_label(path)
    if size == 0:
        raise EmptyFileError(f"{label}: the file is empty (0 bytes)", file=label)
    if max_bytes and size > max_bytes:
        raise FileTooLargeError(f"{label}: {size} bytes, more than the limit of {max_bytes} (SOHOA_MAX_FILE_BYTES)",
                                file=label, size=size)
    return size


def safe_join(folder: Path, name: str) -> Path:
    """`folder / name`, refused (UnsafePathError) unless it stays inside `folder`.

    Refuses empty names, NUL bytes, absolute paths (POSIX, Windows drive or UNC), any `..` part
    (with `/` or `\\` separators), a leading `~`, and names that resolve outside the folder through
    a symlink. Sub-folders inside the folder are allowed (`scans/page-1.png`).
    """
    shown = mask_ids_in(repr(name))[:120]
    if not isinstance(name, str) or not name or "\x00" in name:
        raise UnsafePathError(f"unsafe file name {shown}: empty or contains a NUL byte", name=shown)
    posix, windows = PurePosixPath(name.replace("\\", "/")), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or name.startswith(("~", "\\")):
        raise UnsafePathError(f"unsafe file name {shown}: absolute paths are not allowed", name=shown)
    if ".." in posix.parts:
        raise UnsafePathError(f"unsafe file name {shown}: '..' would leave the dossier folder", name=shown)
    base = Path(folder).resolve()
    target = (base / posix).resolve()  # follows symlinks: a link pointing out of the folder is caught here
    if target != base and base not in target.parents:
        raise UnsafePathError(f"unsafe file name {shown}: resolves outside the dossier folder (symlink)",
                              name=shown)
    return base / posix

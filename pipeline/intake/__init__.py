"""Intake: any file a counter produces -> upright RGB pages, one at a time, or a typed error.

The kind is sniffed from the bytes (never the extension); limits (file size, page count, pixels
per page) are checked from headers before anything is rendered or decoded.

Per-page failures. A file-level problem (empty, truncated, encrypted, too many pages, a bomb, an
unknown format) raises its InputError before the first page. A problem with ONE page of a
multi-page file (a TIFF directory whose data is missing, a PDF page poppler cannot render) is
handled in two ways, the caller chooses:

- `iter_pages_safe(path, settings)` yields `PageImage | PageError` and always goes on to the next
  page: the flow records the bad page (its `code`/`message`) and keeps the others. Use this in
  batch flows.
- `iter_pages(path, settings)` yields only `PageImage` and raises the bad page's InputError (its
  `context["page"]` says which) when it reaches it: simple callers that want all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.domain.records import PageImage
from pipeline.errors import InputError
from pipeline.intake.sniff import KINDS, check_size, detect_kind, safe_join

__all__ = ["KINDS", "PageError", "count_pages", "detect_kind", "iter_pages", "iter_pages_safe", "safe_join"]


@dataclass(frozen=True)
class PageError:
    """One page of a file that could not be read; the other pages are unaffected."""

    source: Path
    index: int  # 1-based page number within the file
    error: InputError

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.message


def count_pages(path: Path, settings: Settings) -> int:
    """Pages in the file, from headers only (no rendering, no decoding).

    Raises the file-level InputError (EmptyFileError, UnsupportedFormatError, FileTooLargeError,
    TruncatedFileError, EncryptedPdfError, CorruptPdfError, TooManyPagesError,
    DecompressionBombError, UnreadableImageError)."""
    path = Path(path)
    kind = _checked_kind(path, settings)
    if kind == "pdf":
        from pipeline.intake.pdf import count_pdf_pages

        return count_pdf_pages(path, settings)
    from pipeline.intake.images import count_image_pages

    return count_image_pages(path, kind, settings)


def _checked_kind(path: Path, settings: Settings) -> str:
    """The content type, once the file is known not to be empty or too large."""
    kind = detect_kind(path)
    check_size(path, settings.max_file_bytes)
    return kind


def _raw_pages(path: Path, settings: Settings) -> Iterator[PageImage | InputError]:
    kind = _checked_kind(path, settings)
    if kind == "pdf":
        from pipeline.intake.pdf import iter_pdf_pages

        return iter_pdf_pages(path, settings)
    from pipeline.intake.images import iter_image_pages

    return iter_image_pages(path, kind, settings)


def iter_pages_safe(path: Path, settings: Settings) -> Iterator[PageImage | PageError]:
    """Every page in order, lazily (one page in memory at a time): a PageImage, or a PageError
    for a page that failed alone. File-level problems raise their InputError at the first step."""
    path = Path(path)
    for index, item in enumerate(_raw_pages(path, settings), start=1):
        if isinstance(item, InputError):
            page = item.context.get("page", index)
            yield PageError(source=path, index=int(page) if isinstance(page, int) else index, error=item)
        else:
            yield item


def iter_pages(path: Path, settings: Settings) -> Iterator[PageImage]:
    """Every page in order, lazily (one page rendered/decoded at a time). Raises the typed
    InputError of the file, or of the first page that cannot be read (context["page"])."""
    for item in iter_pages_safe(path, settings):
        if isinstance(item, PageError):
            raise item.error
        yield item

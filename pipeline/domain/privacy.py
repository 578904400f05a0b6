"""Masking personal data for logs, metrics and error messages (Decree 13/2023)."""

from __future__ import annotations

import logging

from pipeline.domain.idnumber import mask_ids_in


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'N. V. A.': enough for staff to recognise a case, not a person."""
    parts = [p for p in (full_name or "").split() if p]
    return " ".join(f"{p[0]}." for p in parts) if parts else ""


class MaskingFilter(logging.Filter):
    """Rewrites every record's message so no 12-digit ID number reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_masking(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (root by default); idempotent."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
    if not any(isinstance(f, MaskingFilter) for f in target.filters):
        target.addFilter(MaskingFilter())

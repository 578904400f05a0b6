"""A value read but wrong: kept for the reviewer, marked invalid, its confidence capped, its reasons joined."""

from __future__ import annotations

from pipeline.domain.records import Field

# Confidence of an invalid value never exceeds this: it must not look trustworthy next to valid ones.
INVALID_CAP = 0.4


def invalidate(field: Field, reason: str) -> Field:
    """`field` marked invalid for `reason` (after the reason it already had, if it was invalid already)."""
    reason = f"{field.reason}; {reason}" if field.reason and not field.valid else reason
    return Field(field.value, min(field.confidence, INVALID_CAP), False, reason)

"""Masking for the audit trail: event details are kept for years and read by staff, so they never
hold a full ID number, a full name or a date of birth (Decree 13/2023)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.domain.fields import PERSONAL_FIELDS
from pipeline.domain.idnumber import mask_id, mask_ids_in
from pipeline.domain.privacy import mask_name

_NAME_KEYS = frozenset({"full_name", "applicant_name", "owner_name", "party_a", "party_b", "name_of_person"})


def _is_id_key(key: str) -> bool:
    return key == "id_number" or key.endswith("_id_number")


def _is_name_key(key: str) -> bool:
    return key in _NAME_KEYS or (key.endswith("_name") and key in PERSONAL_FIELDS)


def _mask_value(key: str | None, value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_value(key, v) for v in value]
    if not isinstance(value, str):
        return value if value is None or isinstance(value, (bool, int, float)) else mask_ids_in(str(value))
    if key is not None and _is_id_key(key):
        return mask_id(value)
    if key is not None and _is_name_key(key):
        return mask_name(value)
    if key is not None and key in PERSONAL_FIELDS:  # date_of_birth and the like: nothing to show
        return "***" if value else ""
    return mask_ids_in(value)


def masked_details(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """A JSON-ready copy of `details` with ID numbers, names and birth dates masked, at any depth."""
    return {str(k): _mask_value(str(k), v) for k, v in (details or {}).items()}

"""The object layout: buckets and keys, built only from validated parts.

Every key is assembled here, after the ID number is checked with the domain rule and every other
segment is checked for traversal, so no key can escape a person's prefix or reach another person's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from pipeline.domain.idnumber import mask_id, parse_id
from pipeline.domain.papers import PaperType
from pipeline.errors import InvalidIdNumberError, UnsafePathError

# Logical bucket names; a store maps them to physical names with its optional prefix.
INTAKE = "intake"
CITIZEN_DATA = "citizen-data"
RESULTS = "results"
QUARANTINE = "quarantine"
BUCKETS: tuple[str, ...] = (INTAKE, CITIZEN_DATA, RESULTS, QUARANTINE)

METADATA_NAME = "metadata.json"
SEARCHABLE_NAME = "searchable.pdf"
OCR_NAME = "ocr.json"
REASON_SUFFIX = ".reason.json"

_DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")
_ORIGINAL = re.compile(r"original\.[a-z0-9]{1,8}")
_BUCKET_PREFIX = re.compile(r"[a-z0-9][a-z0-9.-]{0,30}")
_MAX_SEGMENT = 200


def check_segment(value: str, what: str) -> str:
    """One path segment (a dossier code, a file name): no separators, no `..`, no control chars."""
    if not isinstance(value, str) or not value:
        raise UnsafePathError(f"{what} is empty")
    shown = value[:40].encode("unicode_escape").decode("ascii")
    if len(value) > _MAX_SEGMENT:
        raise UnsafePathError(f"{what} is longer than {_MAX_SEGMENT} characters")
    if "/" in value or "\\" in value:
        raise UnsafePathError(f"{what} {shown!r} contains a path separator")
    if value in {".", ".."} or value.startswith(".."):
        raise UnsafePathError(f"{what} {shown!r} is a relative path component")
    if value.startswith("."):
        raise UnsafePathError(f"{what} {shown!r} starts with a dot (hidden names are reserved)")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in value):
        raise UnsafePathError(f"{what} {shown!r} contains control or unassigned characters")
    if value != value.strip():
        raise UnsafePathError(f"{what} {shown!r} has leading or trailing spaces")
    if re.match(r"[A-Za-z]:", value):
        raise UnsafePathError(f"{what} {shown!r} looks like an absolute Windows path")
    return unicodedata.normalize("NFC", value)


def check_id_number(id_number: str) -> str:
    """The ID number, validated by the domain rule (InvalidIdNumberError with a masked message)."""
    if not isinstance(id_number, str) or id_number != id_number.strip():
        raise UnsafePathError(f"ID number {mask_id(str(id_number).strip())} has surrounding spaces")
    if not id_number.isascii():  # the domain regex's \d also accepts other scripts' digits (e.g. fullwidth)
        raise InvalidIdNumberError("invalid ID number: only ASCII digits 0-9 may form a storage key")
    return parse_id(id_number).value


def check_paper_type(paper_type: PaperType | str) -> PaperType:
    try:
        return PaperType(paper_type)
    except ValueError:
        shown = str(paper_type)[:40].encode("unicode_escape").decode("ascii")
        raise UnsafePathError(f"unknown paper type {shown!r}") from None


def check_document_id(document_id: str) -> str:
    if not isinstance(document_id, str) or not _DOCUMENT_ID.fullmatch(document_id):
        raise UnsafePathError("document id must be 32 lowercase hex characters")
    return document_id


def check_document_file(name: str) -> str:
    """Names allowed inside a document folder: original.<ext>, searchable.pdf, ocr.json, metadata.json,
    and other plain safe names (e.g. page images) that are not hidden."""
    name = check_segment(name, "document file name")
    if name.startswith("original.") and not _ORIGINAL.fullmatch(name):
        raise UnsafePathError("the original must be named original.<ext> with a short lowercase extension")
    return name


def check_bucket_prefix(prefix: str) -> str:
    if prefix and not _BUCKET_PREFIX.fullmatch(prefix):
        raise UnsafePathError(f"bucket prefix {prefix[:40]!r} must be lowercase letters, digits, '.' or '-'")
    return prefix


def document_id_for(id_number: str, paper_type: PaperType | str, original_sha256: str) -> str:
    """Deterministic: the same original for the same person and type always gets the same id,
    so a retried upload rewrites the same keys and a second upload is a detectable duplicate."""
    ident = check_id_number(id_number)
    kind = check_paper_type(paper_type)
    if not re.fullmatch(r"[0-9a-f]{64}", original_sha256 or ""):
        raise ValueError("original_sha256 must be 64 lowercase hex characters")
    return hashlib.sha256(f"sohoa-doc:v1|{ident}|{kind.value}|{original_sha256}".encode()).hexdigest()[:32]


# --- citizen-data ---------------------------------------------------------------------------
def person_prefix(id_number: str) -> str:
    return f"{check_id_number(id_number)}/"


def type_prefix(id_number: str, paper_type: PaperType | str) -> str:
    return f"{check_id_number(id_number)}/{check_paper_type(paper_type).value}/"


def document_prefix(id_number: str, paper_type: PaperType | str, document_id: str) -> str:
    return f"{type_prefix(id_number, paper_type)}{check_document_id(document_id)}/"


def document_key(id_number: str, paper_type: PaperType | str, document_id: str, name: str) -> str:
    return document_prefix(id_number, paper_type, document_id) + check_document_file(name)


@dataclass(frozen=True)
class DocumentKey:
    """A citizen-data key split back into its parts (id_number is hidden from repr)."""

    id_number: str
    paper_type: PaperType
    document_id: str
    name: str

    def __repr__(self) -> str:
        return (f"DocumentKey(id_number={mask_id(self.id_number)!r}, paper_type={self.paper_type.value!r}, "
                f"document_id={self.document_id!r}, name={self.name!r})")


def parse_document_key(key: str) -> DocumentKey:
    """Split `<id>/<type>/<document_id>/<name>` and validate every part (UnsafePathError if not ours)."""
    parts = key.split("/")
    if len(parts) != 4:
        raise UnsafePathError("not a citizen-data document key")
    ident, kind, doc, name = parts
    return DocumentKey(check_id_number(ident), check_paper_type(kind), check_document_id(doc),
                       check_document_file(name))


# --- intake, results, quarantine ------------------------------------------------------------
def intake_key(dossier_code: str, file_name: str) -> str:
    return f"{check_segment(dossier_code, 'dossier code')}/{check_segment(file_name, 'file name')}"


def result_key(dossier_code: str, name: str) -> str:
    return f"{check_segment(dossier_code, 'dossier code')}/{check_segment(name, 'result name')}"


def quarantine_key(dossier_code: str, file_name: str) -> str:
    return f"{check_segment(dossier_code, 'dossier code')}/{check_segment(file_name, 'file name')}"


def quarantine_reason_key(dossier_code: str, file_name: str) -> str:
    return quarantine_key(dossier_code, file_name) + REASON_SUFFIX


def check_key(key: str) -> str:
    """Any key handed to a backend: relative, no empty/dot segments, no control characters."""
    if not isinstance(key, str) or not key or key.startswith("/") or key.endswith("/"):
        raise UnsafePathError("object key must be a non-empty relative path")
    for segment in key.split("/"):
        if not segment or segment.startswith("."):
            raise UnsafePathError("object key has an empty, relative or hidden segment")
        if any(unicodedata.category(ch) == "Cc" for ch in segment) or "\\" in segment:
            raise UnsafePathError("object key contains control characters or a backslash")
    return key


def check_bucket(bucket: str) -> str:
    if bucket not in BUCKETS:
        raise UnsafePathError(f"unknown bucket {bucket[:40]!r}; expected one of {', '.join(BUCKETS)}")
    return bucket

"""Reuse of digitized papers: find a person's still-valid paper, decide reuse / store / replace, and
answer `sohoa lookup` (the citizen's own papers, with expiring download links).

Rules (Decision 766, indicator 4.3): a paper of the same type for the same person that is already
stored and still valid is reused instead of stored again. Validity per type comes from the domain:
types in NEVER_EXPIRES are valid for life (a birth certificate); types with a VALID_UNTIL_FIELD
(an ID card) are valid while that date is not past, or when it reads "không thời hạn"; any other type
(an application form, a contract) belongs to one transaction and is never reused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.domain.fields import VALID_UNTIL_FIELD
from pipeline.domain.idnumber import mask_id, mask_ids_in, parse_id
from pipeline.domain.papers import NEVER_EXPIRES, PAPER_NAMES_VI, PaperType
from pipeline.domain.vntext import fold, strip_diacritics
from pipeline.errors import SohoaError
from pipeline.index.db import Index, open_index, parse_date
from pipeline.index.models import DocumentRecord, DocumentRow

log = logging.getLogger("pipeline.index.reuse")

#: (id_number, paper_type, document_id) -> a presigned URL, or None when the object is not reachable.
Presigner = Callable[[str, PaperType, str], "str | None"]


class ReuseAction(StrEnum):
    REUSE = "reuse"  # link the stored document (DuocTaiSuDung); store nothing
    STORE_NEW = "store_new"  # nothing reusable of this type: store the new scan as version 1
    REPLACE = "replace"  # the stored paper has expired: store the new scan as the next version


@dataclass(frozen=True)
class ReuseDecision:
    action: ReuseAction
    document: DocumentRow | None  # REUSE: the paper to link; REPLACE: the expired paper to supersede
    reason: str  # English, masked: for logs and the audit trail

    @property
    def supersedes(self) -> str | None:
        """Pass to `Index.record_stored(..., supersedes=...)` after storing the new scan."""
        return self.document.document_id if self.action is ReuseAction.REPLACE and self.document else None


def reusable_kind(paper_type: PaperType) -> str:
    """'for_life', 'until_expiry' or 'never' (a per-transaction paper)."""
    if paper_type in NEVER_EXPIRES:
        return "for_life"
    if paper_type in VALID_UNTIL_FIELD:
        return "until_expiry"
    return "never"


def _no_expiry_text(value: Any) -> bool:
    return isinstance(value, str) and "khong thoi han" in strip_diacritics(fold(value)).lower()


def is_valid_on(doc: DocumentRow | DocumentRecord, today: date) -> bool:
    """Whether a stored paper can be reused on `today` (see the module docstring for the rule)."""
    paper_type = PaperType(doc.type)
    kind = reusable_kind(paper_type)
    if kind == "for_life":
        return True
    if kind == "never":
        return False
    raw = (doc.fields or {}).get(VALID_UNTIL_FIELD[paper_type])
    until = doc.valid_until or parse_date(raw)
    if until is None:
        return _no_expiry_text(raw)  # "Không thời hạn" (cards issued after 60) is valid; unknown is not
    return until >= today


_CURRENT_LIMIT = 50  # current (non-superseded) papers of one type for one person: a handful in practice


def _current(session: Session, id_number: str, paper_type: PaperType) -> list[DocumentRecord]:
    return list(session.scalars(
        select(DocumentRecord)
        .where(DocumentRecord.owner_id_number == id_number, DocumentRecord.type == paper_type.value,
               DocumentRecord.superseded_by.is_(None))
        .order_by(DocumentRecord.version.desc(), DocumentRecord.stored_at.desc(), DocumentRecord.id.desc())
        .limit(_CURRENT_LIMIT)))


def _current_rows(index_or_session: Index | Session, id_number: str, paper_type: PaperType) -> list[DocumentRow]:
    """The person's current papers of this type, newest first."""
    if isinstance(index_or_session, Session):
        return [DocumentRow.from_record(rec) for rec in _current(index_or_session, id_number, paper_type)]
    with index_or_session.session() as s:
        return [DocumentRow.from_record(rec) for rec in _current(s, id_number, paper_type)]


def find_reusable(index_or_session: Index | Session, id_number: str, paper_type: PaperType | str,
                  today: date) -> DocumentRow | None:
    """The person's newest current paper of this type that is valid on `today`, else None.

    Newest valid, not newest: the back of an ID card stored from its own file carries no expiry and
    must not hide the valid front stored beside it.
    """
    paper_type = PaperType(paper_type)
    if reusable_kind(paper_type) == "never":
        return None
    return next((row for row in _current_rows(index_or_session, id_number, paper_type) if is_valid_on(row, today)),
                None)


def decide_reuse(index_or_session: Index | Session, id_number: str, paper_type: PaperType | str,
                 today: date) -> ReuseDecision:
    """Reuse a valid stored paper, store the new scan, or store it as the next version of an expired one."""
    paper_type = PaperType(paper_type)
    who = mask_id(id_number)
    if reusable_kind(paper_type) == "never":
        return ReuseDecision(ReuseAction.STORE_NEW, None, f"{paper_type.value} papers are not reused")
    rows = _current_rows(index_or_session, id_number, paper_type)
    if not rows:
        return ReuseDecision(ReuseAction.STORE_NEW, None, f"no stored {paper_type.value} for {who}")
    valid = next((row for row in rows if is_valid_on(row, today)), None)
    if valid is not None:
        return ReuseDecision(ReuseAction.REUSE, valid,
                             f"{paper_type.value} {valid.document_id} of {who} is valid on {today.isoformat()}")
    expired = next((row for row in rows if row.valid_until is not None and row.valid_until < today), None)
    if expired is not None:
        return ReuseDecision(ReuseAction.REPLACE, expired,
                             f"{paper_type.value} {expired.document_id} of {who} expired on "
                             f"{expired.valid_until.isoformat()}")
    return ReuseDecision(ReuseAction.STORE_NEW, None,
                         f"no stored {paper_type.value} of {who} with a readable expiry: not trusted for reuse")


# --- lookup (sohoa lookup ID [--json]) ----------------------------------------------------------
def store_presigner(settings: Settings) -> Presigner | None:
    """Presigned links through `pipeline.store`, or None when the store module or store is unavailable."""
    try:
        from pipeline.store import open_store
        from pipeline.store.documents import presign_document
    except ImportError:  # the store package is optional for the index: no links, still a lookup
        return None
    try:
        store = open_store(settings)
    except (SohoaError, OSError) as exc:
        log.warning("object store unavailable, lookup shows no download links: %s", exc)
        return None
    expires = timedelta(seconds=settings.presign_expiry_seconds)
    down: list[bool] = []  # once the store is unreachable, do not wait on it again for every paper

    def presign(id_number: str, paper_type: PaperType, document_id: str) -> str | None:
        if down:
            return None
        try:
            return presign_document(store, id_number, paper_type, document_id, expires=expires)
        except (SohoaError, OSError) as exc:
            if isinstance(exc, OSError) or getattr(exc, "transient", False):
                down.append(True)
            log.warning("no download link for %s of %s: %s", document_id, mask_id(id_number), mask_ids_in(str(exc)))
            return None

    return presign


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def lookup(id_number: str, settings: Settings, *, index: Index | None = None,
           presign: Presigner | None = None, use_store: bool = True) -> dict[str, Any]:
    """A person's current stored papers in the pinned JSON shape (InvalidIdNumberError when malformed).

    `index`/`presign` let a caller reuse an open index or its own link maker; by default the index
    is opened from settings and links come from `pipeline.store` (null when it is unreachable).
    """
    owner = parse_id(id_number).value
    own_index = index is None
    index = index or open_index(settings)
    try:
        rows = index.documents_of(owner)
    finally:
        if own_index:
            index.close()
    if presign is None and use_store and rows:
        presign = store_presigner(settings)
    documents = []
    for row in rows:
        url = presign(owner, row.type, row.document_id) if presign else None
        documents.append({"document_id": row.document_id, "type": row.type.value, "fields": row.fields,
                          "issued_on": _iso(row.issued_on), "valid_until": _iso(row.valid_until),
                          "source_dossier": row.source_dossier, "stored_at": _iso(row.stored_at),
                          "download_url": url})
    log.info("lookup for %s: %d documents", mask_id(owner), len(documents))
    return {"id_number": mask_id(owner), "documents": documents}


def _vn_date(value: str | None) -> str:
    if not value:
        return "—"
    parsed = parse_date(value)
    return parsed.strftime("%d/%m/%Y") if parsed else value


_SUMMARY_SKIP = {"id_number", "valid_until", "issued_on"}


def _summary(fields: dict[str, Any], limit: int = 3) -> str:
    parts = [str(v) for k, v in fields.items() if k not in _SUMMARY_SKIP and v not in (None, "")]
    return "; ".join(parts[:limit]) or "—"


def render_lookup(result: dict[str, Any]) -> None:
    """Print the lookup result for counter staff and citizens: a table (Vietnamese headings), then
    each paper's code and download link below it (links are long and would crush the table)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    documents = result.get("documents", [])
    owner = result.get("id_number", "")
    if not documents:
        console.print(f"Chưa có giấy tờ nào được số hóa cho số định danh {owner}.")
        return
    table = Table(title=f"Giấy tờ đã số hóa của công dân {owner}")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Loại giấy tờ", min_width=12, overflow="fold")
    table.add_column("Thông tin chính", overflow="fold")
    table.add_column("Ngày cấp", min_width=10)
    table.add_column("Có giá trị đến", min_width=10)
    table.add_column("Hồ sơ nguồn", overflow="fold")
    for number, doc in enumerate(documents, start=1):
        try:
            name = PAPER_NAMES_VI[PaperType(doc["type"])]
        except ValueError:
            name = str(doc["type"])
        raw_until = (doc.get("fields") or {}).get("valid_until")
        until = _vn_date(doc.get("valid_until")) if doc.get("valid_until") else (
            "Không thời hạn" if _no_expiry_text(raw_until) else "—")
        table.add_row(str(number), name, _summary(doc.get("fields") or {}), _vn_date(doc.get("issued_on")), until,
                      doc.get("source_dossier") or "—")
    console.print(table)
    console.print("Mã giấy tờ, ngày lưu và liên kết tải về (liên kết có thời hạn):")
    for number, doc in enumerate(documents, start=1):
        link = doc.get("download_url") or "không có liên kết tải về"
        console.print(f"  {number}. {doc['document_id']} — lưu ngày {_vn_date(doc.get('stored_at'))} — {link}",
                      soft_wrap=True)

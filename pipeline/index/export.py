"""A dossier's record in the national portal's sync field names (Cổng Dịch vụ công quốc gia), as JSON.

Field names follow the portal's dossier sync format (docs/domain.md): dates are `yyyyMMddHHmmss`
in Vietnam time (UTC+7, no daylight saving), flags are 1/0, KenhThucHien is 1 counter, 2 online,
3 post. MaThanhPhanHoSo carries our paper type code: the procedure-specific component code is not
known to the pipeline.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pipeline.config import Settings
from pipeline.domain.papers import PAPER_NAMES_VI, Channel, PaperType
from pipeline.index.db import Index, open_index
from pipeline.errors import NotFoundError
from pipeline.index.models import ComponentRecord, ComponentStatus, DocumentRecord, DossierRecord

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
PORTAL_DATE_FORMAT = "%Y%m%d%H%M%S"


def portal_datetime(value: datetime) -> str:
    """`yyyyMMddHHmmss` in Vietnam time, whatever zone the value carries."""
    return value.astimezone(VIETNAM_TIME).strftime(PORTAL_DATE_FORMAT)


def _document_path(doc: DocumentRecord | None) -> str:
    """The store key of the file a reader opens: the searchable PDF, else the original scan."""
    if doc is None:
        return ""
    keys = doc.object_keys or {}
    if "searchable.pdf" in keys:
        return keys["searchable.pdf"]
    return next((key for name, key in sorted(keys.items()) if name.startswith("original.")), "")


def _paper_name(code: str) -> str:
    try:
        return PAPER_NAMES_VI[PaperType(code)]
    except ValueError:
        return code


def _submitted(comp: ComponentRecord, docs: dict[str, DocumentRecord]) -> dict[str, Any]:
    linked = comp.reused_document_id if comp.status == ComponentStatus.REUSED.value else comp.document_id
    return {
        "MaThanhPhanHoSo": comp.type,
        "TenTaiLieu": _paper_name(comp.type),
        "DuongDanTaiTepTin": _document_path(docs.get(linked or "")),
        "DuocSoHoa": 1 if comp.digitized else 0,
        "DuocTaiSuDung": 1 if comp.status == ComponentStatus.REUSED.value else 0,
        "DuocLayTuKhoDMQG": 0,  # the pipeline does not read national databases
        "MaKetQuaThayThe": "",
    }


def export_dossier(index: Index, dossier_code: str) -> dict[str, Any]:
    """The portal record of one dossier from an open index (NotFoundError when unknown)."""
    with index.session() as s:
        dossier = s.scalar(select(DossierRecord).where(DossierRecord.dossier_code == dossier_code)
                           .options(selectinload(DossierRecord.components), selectinload(DossierRecord.results)))
        if dossier is None:
            raise NotFoundError(f"dossier {dossier_code} is not in the index", dossier_code=dossier_code)
        linked = {c.reused_document_id or c.document_id for c in dossier.components} - {None}
        docs = {d.document_id: d for d in s.scalars(select(DocumentRecord)
                                                     .where(DocumentRecord.document_id.in_(linked)))} if linked else {}
        return {
            "MaHoSo": dossier.dossier_code,
            "MaTTHC": dossier.procedure_code,
            "NgayTiepNhan": portal_datetime(dossier.received_at),
            "KenhThucHien": Channel(dossier.channel).portal_code,
            "TaiLieuNop": [_submitted(c, docs) for c in dossier.components],
            "GiayToKetQua": [{"TenGiayTo": r.name, "GiayToId": r.result_id, "DuongDanTepTinKetQua": r.file_key,
                              "MaGiayToKetQua": r.code} for r in dossier.results],
        }


def portal_record(dossier_code: str, settings: Settings, *, index: Index | None = None) -> dict[str, Any]:
    """`sohoa export DOSSIER_CODE`: the dossier's record in the portal's field names."""
    if index is not None:
        return export_dossier(index, dossier_code)
    with open_index(settings) as own:
        return export_dossier(own, dossier_code)

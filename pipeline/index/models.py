"""The index schema: dossiers, their components, stored documents, results and the audit trail.

The same models run on SQLite (embedded default) and PostgreSQL: JSON columns, and datetimes
stored in UTC and always handed back time-zone aware. The schema itself is created and upgraded
by the Alembic migrations in `pipeline/index/migrations`, never by `create_all` in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
                        TypeDecorator, UniqueConstraint, text)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pipeline.domain.idnumber import mask_id
from pipeline.domain.papers import PaperType


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC; refuses naive datetimes on the way in, returns aware ones on the way out.

    SQLite has no time-zone type, so it stores naive UTC; PostgreSQL stores `timestamptz`.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the index stores time-zone aware datetimes only")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DossierStatus(StrEnum):
    RECEIVED = "received"  # recorded from the manifest, nothing digitized yet
    PROCESSING = "processing"
    DONE = "done"  # every component stored, reused or quarantined with a reason
    REVIEW = "review"  # some component waits for a person
    FAILED = "failed"  # the flow gave up on the dossier (see events)


class ComponentStatus(StrEnum):
    STORED = "stored"  # digitized now and put in the citizen data store
    REUSED = "reused"  # an already stored, still valid paper was linked instead (DuocTaiSuDung)
    QUARANTINED = "quarantined"  # refused, with a reason code and message
    REVIEW = "review"  # classification or fields doubtful: waits for a person


# Named constraints, so migrations (and SQLite's batch mode) can refer to them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JsonType, dict[str, str]: JsonType,
                           list[int]: JsonType, list[str]: JsonType}


class DossierRecord(Base):
    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(64), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(16), index=True)
    procedure_name: Mapped[str] = mapped_column(Text)
    agency_code: Mapped[str] = mapped_column(String(64), index=True)
    agency_name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(8), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(index=True)
    applicant_id_number: Mapped[str] = mapped_column(String(12), index=True)
    applicant_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DossierStatus.RECEIVED.value)
    # Does the procedure issue a result (the 4.2 numerator then needs it digitized; 4.1 denominator)?
    result_required: Mapped[bool] = mapped_column(Boolean, default=False)
    files: Mapped[list[str]] = mapped_column(default=list)  # file names from the manifest (JSON list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    components: Mapped[list[ComponentRecord]] = relationship(back_populates="dossier", order_by="ComponentRecord.position")
    results: Mapped[list[ResultRecord]] = relationship(back_populates="dossier", order_by="ResultRecord.id")

    def __repr__(self) -> str:
        return f"DossierRecord({self.dossier_code!r}, status={self.status!r})"


class ComponentRecord(Base):
    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("dossier_id", "file", "page_key", name="uq_components_dossier_file_pages"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based order of recording within the dossier
    file: Mapped[str] = mapped_column(Text)
    pages: Mapped[list[int]] = mapped_column(default=list)
    page_key: Mapped[str] = mapped_column(String(255))  # "1,2,3": makes (dossier, file, pages) unique
    type: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.document_id"), index=True)
    reused_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.document_id"), index=True)
    quarantine_code: Mapped[str | None] = mapped_column(String(64))
    quarantine_message: Mapped[str | None] = mapped_column(Text)
    digitized: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Classifier notes staff must see (e.g. "household book: void since 2023-01-01"); revision 0002.
    notes: Mapped[list[str]] = mapped_column(default=list, server_default=text("'[]'"))

    dossier: Mapped[DossierRecord] = relationship(back_populates="components")


class DocumentRecord(Base):
    """A paper in a citizen's data store; one row per version (a replacement supersedes the old row)."""

    __tablename__ = "documents"
    __table_args__ = (
        # A person's lookup and the reuse check: owner first, then type, newest version last.
        Index("ix_documents_owner_type_version", "owner_id_number", "type", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id_number: Mapped[str] = mapped_column(String(12))
    type: Mapped[str] = mapped_column(String(32))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    source_dossier: Mapped[str | None] = mapped_column(String(64), index=True)
    procedure_code: Mapped[str | None] = mapped_column(String(16))
    agency_code: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    object_keys: Mapped[dict[str, str]] = mapped_column(default=dict)  # object name -> key in the store
    object_sha256: Mapped[dict[str, str]] = mapped_column(default=dict)  # object name -> SHA-256
    original_sha256: Mapped[str] = mapped_column(String(64), index=True)  # duplicate detection
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    superseded_by: Mapped[str | None] = mapped_column(String(64))
    duplicate_of: Mapped[str | None] = mapped_column(String(64))
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    pipeline_version: Mapped[str] = mapped_column(String(32), default="")
    model_version: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"DocumentRecord({self.document_id!r}, {self.type!r}, owner={mask_id(self.owner_id_number)})"


class ResultRecord(Base):
    """A procedure's result (kết quả): GiayToKetQua in the portal's export."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("dossier_id", "result_id", name="uq_results_dossier_result"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[str] = mapped_column(String(64))  # GiayToId
    name: Mapped[str] = mapped_column(Text)  # TenGiayTo
    code: Mapped[str] = mapped_column(String(64), default="")  # MaGiayToKetQua
    file_key: Mapped[str] = mapped_column(Text, default="")  # DuongDanTepTinKetQua; "" = no file yet
    sha256: Mapped[str] = mapped_column(String(64), default="")
    digitized: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[DossierRecord] = relationship(back_populates="results")


class EventRecord(Base):
    """The audit trail: who or what did what, when, to which dossier or document (details masked)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(128))  # a user name, or a flow/task name
    action: Mapped[str] = mapped_column(String(64))
    dossier_code: Mapped[str | None] = mapped_column(String(64), index=True)
    document_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


@dataclass(frozen=True, repr=False)
class DocumentRow:
    """A stored document as plain values, safe to pass around after its session is closed."""

    document_id: str
    id_number: str
    type: PaperType
    fields: dict[str, Any]
    issued_on: date | None
    valid_until: date | None
    source_dossier: str | None
    procedure_code: str | None
    agency_code: str | None
    page_count: int
    keys: dict[str, str]
    sha256: dict[str, str]
    original_sha256: str
    version: int
    supersedes: str | None
    superseded_by: str | None
    duplicate_of: str | None
    stored_at: datetime
    pipeline_version: str
    model_version: str

    @classmethod
    def from_record(cls, rec: DocumentRecord) -> DocumentRow:
        return cls(document_id=rec.document_id, id_number=rec.owner_id_number, type=PaperType(rec.type),
                   fields=dict(rec.fields or {}), issued_on=rec.issued_on, valid_until=rec.valid_until,
                   source_dossier=rec.source_dossier, procedure_code=rec.procedure_code,
                   agency_code=rec.agency_code, page_count=rec.page_count, keys=dict(rec.object_keys or {}),
                   sha256=dict(rec.object_sha256 or {}), original_sha256=rec.original_sha256,
                   version=rec.version, supersedes=rec.supersedes, superseded_by=rec.superseded_by,
                   duplicate_of=rec.duplicate_of, stored_at=rec.stored_at,
                   pipeline_version=rec.pipeline_version, model_version=rec.model_version)

    @property
    def masked_owner(self) -> str:
        return mask_id(self.id_number)

    def __repr__(self) -> str:  # fields and keys hold personal data: show none of them
        return (f"DocumentRow({self.document_id!r}, {self.type.value!r}, owner={self.masked_owner}, "
                f"version={self.version}, superseded_by={self.superseded_by!r})")

    __str__ = __repr__

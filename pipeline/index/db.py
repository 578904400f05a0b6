"""Open the index (SQLite or PostgreSQL, by URL), bring its schema to head, and record what the flow did.

`open_index(settings)` is the one entry point: it makes the SQLite folder, applies the Alembic
migrations programmatically (an existing index upgrades in place) and returns an `Index` whose
methods are the writes and reads the digitization flow, the CLI and the report need.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pipeline import PIPELINE_VERSION
from pipeline.config import Settings
from pipeline.domain.fields import VALID_UNTIL_FIELD
from pipeline.domain.idnumber import mask_id, mask_ids_in, parse_id
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component
from pipeline.errors import NotFoundError, SohoaError
from pipeline.index.audit import masked_details
from pipeline.index.models import (ComponentRecord, ComponentStatus, DocumentRecord, DocumentRow, DossierRecord,
                                   DossierStatus, EventRecord, ResultRecord, utcnow)
from pipeline.manifest import Manifest

log = logging.getLogger("pipeline.index")

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x736F686F61  # "sohoa": one migrating process at a time per database
_migrated: set[str] = set()
_migrate_lock = threading.Lock()

# Which field holds the issue date, per type, when the caller does not give it.
_ISSUED_ON_FIELDS = ("issued_on", "registered_on", "date")


class StoredLike(Protocol):
    """What `pipeline.store.documents.store_document` returns (StoredDocument), as far as the index reads it."""

    document_id: str
    paper_type: Any
    keys: Mapping[str, str]
    original_sha256: str
    duplicate_of: str | None


# --- engine and migrations ----------------------------------------------------------------------
def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder, WAL, a busy timeout and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config(connection: Any = None) -> Config:
    """Alembic's configuration built in code (no alembic.ini): script location and the connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations of one SQLite file across processes (PostgreSQL uses an advisory lock)."""
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision` (default head); a no-op when it is already there.

    Safe to call from several processes at once: the first migrates while the others wait.
    """
    with _sqlite_file_lock(engine), engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # concurrent workers: the first migrates, others wait
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(alembic_config(conn), revision)
        after = MigrationContext.configure(conn).get_current_revision()
        conn.commit()
    if before != after:
        log.info("index schema upgraded from %s to %s", before or "empty", after)


def open_index(settings: Settings) -> Index:
    """The index at `settings.resolved_index_url`, migrated to the newest schema."""
    url = settings.resolved_index_url
    engine = make_engine(url)
    with _migrate_lock:
        if url not in _migrated:
            migrate(engine)
            _migrated.add(url)
    return Index(engine)


# --- value helpers --------------------------------------------------------------------------------
def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def plain_fields(fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """{name: value}: domain `Field` objects give their value; text is NFC; dates become ISO."""
    out: dict[str, Any] = {}
    for name, value in (fields or {}).items():
        if is_dataclass(value) and hasattr(value, "value"):
            value = value.value
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        out[str(name)] = _nfc(value)
    return out


def parse_date(value: Any) -> date | None:
    """An ISO `YYYY-MM-DD` (or datetime) as a date; anything else (e.g. 'Không thời hạn') is None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _page_key(pages: list[int]) -> str:
    return ",".join(str(int(p)) for p in pages)


def _object_sha256(stored: Any) -> dict[str, str]:
    for name in ("sha256", "sha256s", "object_sha256"):
        value = getattr(stored, name, None)
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
    return {}


# --- the index ------------------------------------------------------------------------------------
class Index:
    """Sessions plus the operations the flow, the CLI and the report need. Thread-safe (one engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on an exception."""
        with self.sessions.begin() as session:
            yield session

    # --- dossiers ---
    def record_dossier(self, manifest: Manifest, *, result_required: bool | None = None,
                       actor: str = "flow") -> None:
        """Insert or update the dossier from its manifest (idempotent; status and history are kept).

        `result_required`: whether the procedure issues a result; by default, whether the
        manifest lists result files.
        """
        required = bool(manifest.results) if result_required is None else result_required
        values = dict(procedure_code=manifest.procedure_code, procedure_name=_nfc(manifest.procedure_name),
                      agency_code=manifest.agency_code, agency_name=_nfc(manifest.agency_name),
                      level=manifest.level.value, channel=manifest.channel.value,
                      received_at=manifest.received_at, applicant_id_number=manifest.applicant.id_number,
                      applicant_name=_nfc(manifest.applicant.full_name), result_required=required,
                      files=list(manifest.files))
        for attempt in (1, 2):
            try:
                with self.session() as s:
                    rec = s.scalar(select(DossierRecord).where(DossierRecord.dossier_code == manifest.dossier_code))
                    if rec is None:
                        s.add(DossierRecord(dossier_code=manifest.dossier_code, **values))
                        self._event(s, actor, "dossier_recorded", dossier_code=manifest.dossier_code,
                                    details={"procedure_code": manifest.procedure_code,
                                             "agency_code": manifest.agency_code,
                                             "applicant_id_number": manifest.applicant.id_number,
                                             "files": len(manifest.files)})
                    else:
                        changed = {k: v for k, v in values.items() if getattr(rec, k) != v}
                        for key, value in changed.items():
                            setattr(rec, key, value)
                        if changed:
                            self._event(s, actor, "dossier_updated", dossier_code=manifest.dossier_code,
                                        details={"changed": sorted(changed)})
                return
            except SqlIntegrityError:
                if attempt == 2:  # pragma: no cover - only under a race with another writer
                    raise

    def set_dossier_status(self, dossier_code: str, status: DossierStatus | str, *, actor: str = "flow") -> None:
        status = DossierStatus(status)
        with self.session() as s:
            rec = self._dossier(s, dossier_code)
            if rec.status != status.value:
                self._event(s, actor, "dossier_status", dossier_code=dossier_code,
                            details={"from": rec.status, "to": status.value})
                rec.status = status.value

    def dossier_status(self, dossier_code: str) -> dict[str, Any]:
        """Where a dossier stands: its status, counts per component status, each component, results."""
        with self.session() as s:
            rec = self._dossier(s, dossier_code)
            counts = {status.value: 0 for status in ComponentStatus}
            items = []
            for comp in rec.components:
                counts[comp.status] = counts.get(comp.status, 0) + 1
                items.append({"file": comp.file, "pages": list(comp.pages), "type": comp.type,
                              "status": comp.status, "confidence": comp.confidence,
                              "needs_review": comp.needs_review, "notes": list(comp.notes or []),
                              "digitized": comp.digitized,
                              "document_id": comp.document_id, "reused_document_id": comp.reused_document_id,
                              "quarantine_code": comp.quarantine_code,
                              "quarantine_message": comp.quarantine_message})
            results = [{"result_id": r.result_id, "name": r.name, "file_key": r.file_key,
                        "digitized": r.digitized} for r in rec.results]
            components_digitized = bool(items) and all(item["digitized"] for item in items)
            result_ok = not rec.result_required or any(r["digitized"] for r in results)
            return {
                "dossier_code": rec.dossier_code, "status": rec.status, "procedure_code": rec.procedure_code,
                "agency_code": rec.agency_code, "level": rec.level, "channel": rec.channel,
                "received_at": rec.received_at.isoformat(), "applicant_id_number": mask_id(rec.applicant_id_number),
                "components": {"total": len(items), **counts}, "items": items, "results": results,
                "result_required": rec.result_required,
                "digitized": components_digitized and result_ok,  # the 4.2 numerator's test
                "reused": counts[ComponentStatus.REUSED.value] > 0,  # the 4.3 numerator's test
            }

    # --- components ---
    def record_component(self, dossier_code: str, file: str, component: Component, *,
                         status: ComponentStatus | str, document_id: str | None = None,
                         reused_document_id: str | None = None, quarantine_code: str | None = None,
                         quarantine_message: str | None = None, digitized: bool | None = None,
                         actor: str = "flow") -> int:
        """Insert or update one component (keyed by dossier, file and pages); returns its row id.

        `digitized` defaults to True for stored and reused components, False otherwise.
        """
        with self.session() as s:
            comp = self._upsert_component(
                s, self._dossier(s, dossier_code), file, component, ComponentStatus(status), document_id=document_id,
                reused_document_id=reused_document_id, quarantine_code=quarantine_code,
                quarantine_message=quarantine_message, digitized=digitized)
            self._event(s, actor, f"component_{ComponentStatus(status).value}", dossier_code=dossier_code,
                        document_id=document_id or reused_document_id,
                        details={"file": file, "pages": list(component.pages), "type": component.type.value,
                                 "confidence": round(component.confidence, 4)})
            s.flush()
            return comp.id

    def record_stored(self, dossier_code: str, file: str, component: Component, stored: StoredLike, *,
                      fields: Mapping[str, Any], id_number: str | None = None, supersedes: str | None = None,
                      issued_on: date | None = None, valid_until: date | None = None,
                      model_version: str = "", pipeline_version: str = PIPELINE_VERSION,
                      actor: str = "flow") -> DocumentRow:
        """A component just stored by `pipeline.store.store_document`: its document row plus the link.

        One transaction. When the store reports `duplicate_of` an already indexed document, the
        component is linked to that document and a `duplicate_detected` event is recorded (never silent).
        `id_number` defaults to `stored.id_number`. `supersedes`: the document_id of the expired paper
        this one replaces (see reuse.decide_reuse).
        """
        owner = id_number or getattr(stored, "id_number", None)
        if not owner:
            raise ValueError("record_stored needs the owner's id_number")
        with self.session() as s:
            dossier = self._dossier(s, dossier_code)
            duplicate_of = getattr(stored, "duplicate_of", None)
            existing = s.scalar(select(DocumentRecord).where(DocumentRecord.document_id == duplicate_of)) \
                if duplicate_of else None
            if existing is not None:
                doc = existing
                self._event(s, actor, "duplicate_detected", dossier_code=dossier_code, document_id=doc.document_id,
                            details={"file": file, "type": doc.type, "original_sha256": stored.original_sha256[:16]})
            else:
                doc = self._insert_document(
                    s, actor=actor, document_id=stored.document_id, id_number=owner,
                    paper_type=PaperType(stored.paper_type), fields=fields, keys=dict(stored.keys),
                    sha256=_object_sha256(stored), original_sha256=stored.original_sha256,
                    source_dossier=dossier.dossier_code, procedure_code=dossier.procedure_code,
                    agency_code=dossier.agency_code, page_count=len(component.pages), issued_on=issued_on,
                    valid_until=valid_until, supersedes=supersedes,
                    duplicate_of=duplicate_of if duplicate_of != stored.document_id else None, stored_at=None,
                    pipeline_version=pipeline_version, model_version=model_version)
                if duplicate_of == stored.document_id:  # in the store already, new to the index
                    self._event(s, actor, "duplicate_detected", dossier_code=dossier_code,
                                document_id=doc.document_id,
                                details={"file": file, "type": doc.type, "note": "already in the store"})
            self._upsert_component(s, dossier, file, component, ComponentStatus.STORED, document_id=doc.document_id)
            s.flush()
            return DocumentRow.from_record(doc)

    def record_reuse(self, dossier_code: str, file: str, component: Component, document_id: str, *,
                     actor: str = "flow") -> None:
        """The component is an already stored, still valid paper: link it instead of storing it again."""
        with self.session() as s:
            dossier = self._dossier(s, dossier_code)
            doc = s.scalar(select(DocumentRecord).where(DocumentRecord.document_id == document_id))
            if doc is None:
                raise NotFoundError(f"document {document_id} is not in the index", document_id=document_id)
            self._upsert_component(s, dossier, file, component, ComponentStatus.REUSED,
                                   reused_document_id=document_id)
            self._event(s, actor, "component_reused", dossier_code=dossier_code, document_id=document_id,
                        details={"file": file, "pages": list(component.pages), "type": component.type.value,
                                 "source_dossier": doc.source_dossier, "version": doc.version})

    def record_quarantine(self, dossier_code: str, file: str, code: str, message: str, *,
                          component: Component | None = None, actor: str = "flow") -> None:
        """A refused file or component with its reason (an error's `code` and `message`, masked here too).

        Without a component (the whole file was refused at intake) it is recorded as one `khac` component.
        """
        component = component or Component(type=PaperType.KHAC, pages=[], confidence=0.0, needs_review=False)
        message = mask_ids_in(message)
        with self.session() as s:
            dossier = self._dossier(s, dossier_code)
            self._upsert_component(s, dossier, file, component, ComponentStatus.QUARANTINED,
                                   quarantine_code=code, quarantine_message=message)
            self._event(s, actor, "component_quarantined", dossier_code=dossier_code,
                        details={"file": file, "pages": list(component.pages), "code": code, "message": message})

    # --- results ---
    def record_result(self, dossier_code: str, *, result_id: str, name: str, file_key: str = "", code: str = "",
                      sha256: str = "", digitized: bool | None = None, actor: str = "flow") -> None:
        """A procedure's result (GiayToKetQua); `digitized` defaults to whether a file key is given."""
        with self.session() as s:
            dossier = self._dossier(s, dossier_code)
            rec = s.scalar(select(ResultRecord).where(ResultRecord.dossier_id == dossier.id,
                                                      ResultRecord.result_id == result_id))
            if rec is None:
                rec = ResultRecord(dossier_id=dossier.id, result_id=result_id)
                s.add(rec)
            rec.name, rec.file_key, rec.code, rec.sha256 = _nfc(name), file_key, code, sha256
            rec.digitized = bool(file_key) if digitized is None else digitized
            rec.recorded_at = utcnow()
            self._event(s, actor, "result_recorded", dossier_code=dossier_code,
                        details={"result_id": result_id, "digitized": rec.digitized})

    # --- documents ---
    def record_document(self, *, document_id: str, id_number: str, paper_type: PaperType | str,
                        fields: Mapping[str, Any], keys: Mapping[str, str] | None = None,
                        sha256: Mapping[str, str] | None = None, original_sha256: str = "",
                        source_dossier: str | None = None, procedure_code: str | None = None,
                        agency_code: str | None = None, page_count: int = 0, issued_on: date | None = None,
                        valid_until: date | None = None, supersedes: str | None = None,
                        duplicate_of: str | None = None, stored_at: datetime | None = None,
                        pipeline_version: str = PIPELINE_VERSION, model_version: str = "",
                        actor: str = "flow") -> DocumentRow:
        """Record a document in a citizen's data store (idempotent on document_id).

        `issued_on`/`valid_until` default to the dates in `fields` (issued_on, registered_on or date;
        the type's VALID_UNTIL_FIELD). `supersedes` links a replacement: version = old version + 1 and
        the old row's superseded_by is set, in the same transaction.
        """
        with self.session() as s:
            doc = self._insert_document(
                s, actor=actor, document_id=document_id, id_number=id_number, paper_type=PaperType(paper_type),
                fields=fields, keys=dict(keys or {}), sha256=dict(sha256 or {}), original_sha256=original_sha256,
                source_dossier=source_dossier, procedure_code=procedure_code, agency_code=agency_code,
                page_count=page_count, issued_on=issued_on, valid_until=valid_until, supersedes=supersedes,
                duplicate_of=duplicate_of, stored_at=stored_at, pipeline_version=pipeline_version,
                model_version=model_version)
            return DocumentRow.from_record(doc)

    def get_document(self, document_id: str) -> DocumentRow | None:
        with self.session() as s:
            doc = s.scalar(select(DocumentRecord).where(DocumentRecord.document_id == document_id))
            return DocumentRow.from_record(doc) if doc else None

    def documents_of(self, id_number: str, *, paper_type: PaperType | str | None = None,
                     include_superseded: bool = False) -> list[DocumentRow]:
        """A person's documents, by type then newest first (current versions only by default)."""
        query = select(DocumentRecord).where(DocumentRecord.owner_id_number == id_number)
        if paper_type is not None:
            query = query.where(DocumentRecord.type == PaperType(paper_type).value)
        if not include_superseded:
            query = query.where(DocumentRecord.superseded_by.is_(None))
        query = query.order_by(DocumentRecord.type, DocumentRecord.version.desc(), DocumentRecord.stored_at.desc())
        with self.session() as s:
            return [DocumentRow.from_record(doc) for doc in s.scalars(query)]

    def find_duplicates(self, original_sha256: str) -> list[DocumentRow]:
        """Documents whose original scan has this SHA-256 (the same paper uploaded again)."""
        with self.session() as s:
            docs = s.scalars(select(DocumentRecord).where(DocumentRecord.original_sha256 == original_sha256)
                             .order_by(DocumentRecord.stored_at))
            return [DocumentRow.from_record(doc) for doc in docs]

    # --- audit ---
    def record_event(self, actor: str, action: str, *, dossier_code: str | None = None,
                     document_id: str | None = None, details: Mapping[str, Any] | None = None) -> None:
        """Append to the audit trail; details are masked (ID numbers, names, birth dates) before storing."""
        with self.session() as s:
            self._event(s, actor, action, dossier_code=dossier_code, document_id=document_id, details=details)

    def events(self, *, dossier_code: str | None = None, document_id: str | None = None,
               limit: int = 1000) -> list[dict[str, Any]]:
        query = select(EventRecord).order_by(EventRecord.id).limit(limit)
        if dossier_code is not None:
            query = query.where(EventRecord.dossier_code == dossier_code)
        if document_id is not None:
            query = query.where(EventRecord.document_id == document_id)
        with self.session() as s:
            return [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "dossier_code": e.dossier_code,
                     "document_id": e.document_id, "details": e.details} for e in s.scalars(query)]

    # --- internals (run inside a caller's session) ---
    @staticmethod
    def _dossier(s: Session, dossier_code: str) -> DossierRecord:
        rec = s.scalar(select(DossierRecord).where(DossierRecord.dossier_code == dossier_code))
        if rec is None:
            raise NotFoundError(f"dossier {mask_ids_in(dossier_code)} is not in the index", dossier_code=dossier_code)
        return rec

    @staticmethod
    def _event(s: Session, actor: str, action: str, *, dossier_code: str | None = None,
               document_id: str | None = None, details: Mapping[str, Any] | None = None) -> None:
        s.add(EventRecord(at=utcnow(), actor=actor[:128], action=action[:64], dossier_code=dossier_code,
                          document_id=document_id, details=masked_details(details)))

    def _upsert_component(self, s: Session, dossier: DossierRecord, file: str, component: Component,
                          status: ComponentStatus, *, document_id: str | None = None,
                          reused_document_id: str | None = None, quarantine_code: str | None = None,
                          quarantine_message: str | None = None, digitized: bool | None = None) -> ComponentRecord:
        pages = [int(p) for p in component.pages]
        key = _page_key(pages)
        comp = s.scalar(select(ComponentRecord).where(ComponentRecord.dossier_id == dossier.id,
                                                      ComponentRecord.file == file, ComponentRecord.page_key == key))
        if comp is None:
            position = (s.scalar(select(func.max(ComponentRecord.position))
                                 .where(ComponentRecord.dossier_id == dossier.id)) or 0) + 1
            comp = ComponentRecord(dossier_id=dossier.id, position=position, file=file, page_key=key)
            s.add(comp)
        comp.pages = pages
        comp.type = PaperType(component.type).value
        comp.confidence = float(component.confidence)
        comp.needs_review = bool(component.needs_review)
        comp.notes = [mask_ids_in(str(note)) for note in (component.notes or [])]
        comp.status = status.value
        comp.document_id = document_id
        comp.reused_document_id = reused_document_id
        comp.quarantine_code = quarantine_code
        comp.quarantine_message = mask_ids_in(quarantine_message) if quarantine_message else None
        comp.digitized = status in (ComponentStatus.STORED, ComponentStatus.REUSED) if digitized is None else digitized
        comp.recorded_at = utcnow()
        return comp

    def _insert_document(self, s: Session, *, actor: str, document_id: str, id_number: str, paper_type: PaperType,
                         fields: Mapping[str, Any], keys: dict[str, str], sha256: dict[str, str],
                         original_sha256: str, source_dossier: str | None, procedure_code: str | None,
                         agency_code: str | None, page_count: int, issued_on: date | None,
                         valid_until: date | None, supersedes: str | None, duplicate_of: str | None,
                         stored_at: datetime | None, pipeline_version: str, model_version: str) -> DocumentRecord:
        owner = parse_id(id_number).value  # InvalidIdNumberError (masked) before anything is written
        found = s.scalar(select(DocumentRecord).where(DocumentRecord.document_id == document_id))
        if found is not None:  # the same document recorded again (a retried task): nothing changes
            return found
        values = plain_fields(fields)
        if issued_on is None:
            issued_on = next((d for d in (parse_date(values.get(n)) for n in _ISSUED_ON_FIELDS) if d), None)
        if valid_until is None and paper_type in VALID_UNTIL_FIELD:
            valid_until = parse_date(values.get(VALID_UNTIL_FIELD[paper_type]))
        version = 1
        previous = None
        if supersedes:
            previous = s.scalar(select(DocumentRecord).where(DocumentRecord.document_id == supersedes))
            if previous is None:
                raise NotFoundError(f"document {supersedes} to supersede is not in the index", document_id=supersedes)
            if previous.owner_id_number != owner or previous.type != paper_type.value:
                raise SohoaError(f"document {supersedes} belongs to another person or type; it cannot be superseded "
                                 f"by a {paper_type.value} of {mask_id(owner)}")
            version = previous.version + 1
        if duplicate_of is None and original_sha256:
            twin = s.scalar(select(DocumentRecord.document_id).where(
                DocumentRecord.original_sha256 == original_sha256, DocumentRecord.owner_id_number == owner)
                .limit(1))
            duplicate_of = twin
        doc = DocumentRecord(document_id=document_id, owner_id_number=owner, type=paper_type.value, fields=values,
                             issued_on=issued_on, valid_until=valid_until, source_dossier=source_dossier,
                             procedure_code=procedure_code, agency_code=agency_code, page_count=page_count,
                             object_keys=keys, object_sha256=sha256, original_sha256=original_sha256,
                             version=version, supersedes=supersedes, duplicate_of=duplicate_of,
                             stored_at=stored_at or utcnow(), pipeline_version=pipeline_version,
                             model_version=model_version)
        s.add(doc)
        s.flush()
        if previous is not None:
            previous.superseded_by = document_id
            self._event(s, actor, "document_superseded", dossier_code=source_dossier, document_id=supersedes,
                        details={"superseded_by": document_id, "type": paper_type.value, "version": version})
        if duplicate_of:
            self._event(s, actor, "duplicate_detected", dossier_code=source_dossier, document_id=document_id,
                        details={"duplicate_of": duplicate_of, "original_sha256": original_sha256[:16]})
        self._event(s, actor, "document_stored", dossier_code=source_dossier, document_id=document_id,
                    details={"type": paper_type.value, "owner_id_number": owner, "version": version,
                             "objects": len(keys), "page_count": page_count})
        log.info("indexed %s %s of %s (version %d)", paper_type.value, document_id, mask_id(owner), version)
        return doc

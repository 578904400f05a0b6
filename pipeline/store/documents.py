"""Document-level storage the flow uses: a digitized paper is a folder of objects under its owner.

`metadata.json` is written LAST, so a document without it is incomplete by definition (an outage
mid-write leaves no complete-looking half). The document id derives from the owner, the type and
the original's SHA-256, so a retry rewrites the same keys and the same paper stored twice is
reported as a duplicate instead of becoming a second document.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from pipeline.domain.idnumber import mask_id, mask_ids_in
from pipeline.domain.papers import PaperType
from pipeline.errors import IntegrityError, NotFoundError, StorageError, UnsafePathError
from pipeline.store import keys
from pipeline.store.base import ObjectStore, StoredObject, log, masked, sha256_hex

SCHEMA = "sohoa.document/1"
DEFAULT_EXPIRY = timedelta(hours=1)


@dataclass(frozen=True)
class StoredDocument:
    """What store_document wrote (or found): keys are in the `citizen-data` bucket."""

    document_id: str
    id_number: str
    paper_type: PaperType
    keys: dict[str, str]
    sha256: dict[str, str]
    original_sha256: str
    duplicate_of: str | None = None
    version_ids: dict[str, str | None] = field(default_factory=dict)
    bucket: str = keys.CITIZEN_DATA

    @property
    def metadata_key(self) -> str:
        return self.keys[keys.METADATA_NAME]

    @property
    def original_name(self) -> str:
        return next(n for n in self.keys if n.startswith("original."))

    def __repr__(self) -> str:
        return (f"StoredDocument(document_id={self.document_id!r}, id_number={mask_id(self.id_number)!r}, "
                f"paper_type={self.paper_type.value!r}, files={sorted(self.keys)!r}, "
                f"original_sha256={self.original_sha256[:12]}…, duplicate_of={self.duplicate_of!r})")

    __str__ = __repr__


@dataclass(frozen=True)
class IncompleteDocument:
    """A document folder without metadata.json: an interrupted write, to retry or clean up."""

    id_number: str
    paper_type: PaperType
    document_id: str
    names: tuple[str, ...]

    def __repr__(self) -> str:
        return (f"IncompleteDocument(id_number={mask_id(self.id_number)!r}, paper_type={self.paper_type.value!r}, "
                f"document_id={self.document_id!r}, names={self.names!r})")


def content_type_for(name: str) -> str:
    if name.endswith(".json"):
        return "application/json"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _original_of(files: Mapping[str, bytes]) -> str:
    originals = [n for n in files if n.startswith("original.")]
    if len(originals) != 1:
        raise UnsafePathError(f"a document needs exactly one original.<ext>, got {len(originals)}")
    return originals[0]


def _document_from_metadata(meta: dict[str, Any], *, duplicate_of: str | None = None) -> StoredDocument:
    objects = meta["objects"]
    ident, kind, doc = meta["id_number"], PaperType(meta["type"]), meta["document_id"]
    names = [*objects, keys.METADATA_NAME]
    return StoredDocument(
        document_id=doc, id_number=ident, paper_type=kind,
        keys={n: keys.document_key(ident, kind, doc, n) for n in names},
        sha256={n: o["sha256"] for n, o in objects.items()}, original_sha256=meta["original_sha256"],
        duplicate_of=duplicate_of, version_ids={n: o.get("version_id") for n, o in objects.items()})


def _load_metadata(store: ObjectStore, key: str) -> dict[str, Any]:
    raw = store.get(keys.CITIZEN_DATA, key)
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        raise IntegrityError(f"{masked(key)} is not valid JSON") from None


def _put_unless_same(store: ObjectStore, key: str, name: str, data: bytes, *, maybe_exists: bool) -> StoredObject:
    """Idempotent write: an object already holding these exact bytes (a retried document) is kept."""
    if maybe_exists:
        existing = store.stat(keys.CITIZEN_DATA, key)
        if existing is not None and existing.sha256 == sha256_hex(data) and existing.size == len(data):
            return existing
    return store.put(keys.CITIZEN_DATA, key, data, content_type=content_type_for(name))


def store_document(store: ObjectStore, *, id_number: str, paper_type: PaperType, files: Mapping[str, bytes],
                   metadata: dict[str, Any], supersedes: str | None = None) -> StoredDocument:
    """Store one digitized paper: data objects first, `metadata.json` last.

    `files` maps names to bytes: exactly one `original.<ext>`, usually `searchable.pdf` and `ocr.json`.
    `metadata` carries fields, confidence, source_dossier, procedure, agency, page_count,
    pipeline_version, model_version (anything JSON); the store adds ids, hashes and timestamps.
    Same original for the same person and type already complete -> nothing written, duplicate_of set.
    A StorageError mid-way leaves the document incomplete (no metadata.json); calling again completes it.
    """
    ident = keys.check_id_number(id_number)
    kind = keys.check_paper_type(paper_type)
    names = [keys.check_document_file(n) for n in files]
    if keys.METADATA_NAME in names:
        raise UnsafePathError("metadata.json is written by store_document itself; pass it as `metadata`")
    original = _original_of(files)
    original_sha = sha256_hex(files[original])
    document_id = keys.document_id_for(ident, kind, original_sha)
    meta_key = keys.document_key(ident, kind, document_id, keys.METADATA_NAME)
    try:
        json.dumps(metadata, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"document metadata is not JSON-serialisable: {exc}") from None

    if store.stat(keys.CITIZEN_DATA, meta_key) is not None:
        existing = _load_metadata(store, meta_key)
        log.warning("duplicate: the same %s original (sha256 %s…) is already stored for %s as document %s; "
                    "not stored again", kind.value, original_sha[:12], mask_id(ident), document_id)
        return _document_from_metadata(existing, duplicate_of=document_id)

    # data objects: the original first, then the others in a stable order
    # one listing tells which objects an interrupted earlier attempt already wrote
    already = set(store.list(keys.CITIZEN_DATA, keys.document_prefix(ident, kind, document_id)))
    written: dict[str, StoredObject] = {}
    for name in [original, *sorted(n for n in names if n != original)]:
        key = keys.document_key(ident, kind, document_id, name)
        written[name] = _put_unless_same(store, key, name, files[name], maybe_exists=key in already)

    now = datetime.now(timezone.utc).isoformat()
    record = {
        **metadata,
        "schema": SCHEMA,
        "document_id": document_id,
        "id_number": ident,
        "type": kind.value,
        "original": original,
        "original_sha256": original_sha,
        "supersedes": supersedes,
        "stored_at": now,
        "objects": {n: {"sha256": o.sha256, "size": o.size, "content_type": o.content_type,
                        "version_id": o.version_id} for n, o in written.items()},
        "corrections": [],
    }
    store.put(keys.CITIZEN_DATA, meta_key, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"),
              content_type="application/json")
    log.info("stored %s document %s for %s: %d objects + metadata.json", kind.value, document_id, mask_id(ident),
             len(written))
    return _document_from_metadata(record)


def correct_document(store: ObjectStore, *, id_number: str, paper_type: PaperType, document_id: str,
                     reason: str, files: Mapping[str, bytes] | None = None,
                     metadata_updates: dict[str, Any] | None = None) -> StoredDocument:
    """A correction (new OCR, fixed fields) writes new versions; every earlier version stays readable."""
    ident, kind = keys.check_id_number(id_number), keys.check_paper_type(paper_type)
    meta_key = keys.document_key(ident, kind, document_id, keys.METADATA_NAME)
    record = _load_metadata(store, meta_key)
    files = dict(files or {})
    for name in files:
        keys.check_document_file(name)
        if name.startswith("original.") or name == keys.METADATA_NAME:
            raise UnsafePathError(f"{name} cannot be corrected: the original defines the document")
    for name, data in files.items():
        obj = store.put(keys.CITIZEN_DATA, keys.document_key(ident, kind, document_id, name), data,
                        content_type=content_type_for(name))
        record["objects"][name] = {"sha256": obj.sha256, "size": obj.size, "content_type": obj.content_type,
                                   "version_id": obj.version_id}
    reserved = {"schema", "document_id", "id_number", "type", "original", "original_sha256", "objects", "corrections"}
    updates = {k: v for k, v in (metadata_updates or {}).items() if k not in reserved}
    record.update(updates)
    record["corrections"].append({"at": datetime.now(timezone.utc).isoformat(), "reason": mask_ids_in(reason),
                                  "files": sorted(files), "fields": sorted(updates)})
    store.put(keys.CITIZEN_DATA, meta_key, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"),
              content_type="application/json")
    log.info("corrected %s document %s for %s (%s)", kind.value, document_id, mask_id(ident),
             ", ".join(sorted(files) + sorted(updates)) or "metadata only")
    return _document_from_metadata(record)


def _document_folders(store: ObjectStore, id_number: str,
                      paper_type: PaperType | None) -> dict[tuple[PaperType, str], list[str]]:
    prefix = keys.type_prefix(id_number, paper_type) if paper_type else keys.person_prefix(id_number)
    folders: dict[tuple[PaperType, str], list[str]] = {}
    for key in store.list(keys.CITIZEN_DATA, prefix):
        try:
            parsed = keys.parse_document_key(key)
        except (UnsafePathError, ValueError):
            log.warning("ignoring a foreign object under a person's prefix: %s", masked(key))
            continue
        if parsed.id_number != id_number:  # cannot happen with a validated prefix; never cross people
            continue
        folders.setdefault((parsed.paper_type, parsed.document_id), []).append(parsed.name)
    return folders


def list_documents(store: ObjectStore, id_number: str, paper_type: PaperType | None = None) -> list[StoredDocument]:
    """A person's complete documents (those with metadata.json), optionally of one type."""
    ident = keys.check_id_number(id_number)
    kind = keys.check_paper_type(paper_type) if paper_type is not None else None
    out = []
    for (ptype, doc), names in sorted(_document_folders(store, ident, kind).items()):
        if keys.METADATA_NAME in names:
            out.append(_document_from_metadata(_load_metadata(store, keys.document_key(ident, ptype, doc,
                                                                                       keys.METADATA_NAME))))
    return out


def find_incomplete(store: ObjectStore, id_number: str) -> list[IncompleteDocument]:
    """Document folders without metadata.json (interrupted writes)."""
    ident = keys.check_id_number(id_number)
    return [IncompleteDocument(ident, ptype, doc, tuple(sorted(names)))
            for (ptype, doc), names in sorted(_document_folders(store, ident, None).items())
            if keys.METADATA_NAME not in names]


def cleanup_incomplete(store: ObjectStore, id_number: str) -> list[str]:
    """Hide incomplete documents' objects behind delete markers (versions stay); returns their ids.

    Run it when no writer is storing for this person: a document being written right now looks
    incomplete too. Usually unnecessary, since retrying store_document completes the same folder.
    """
    removed = []
    for doc in find_incomplete(store, id_number):
        for name in doc.names:
            store.delete(keys.CITIZEN_DATA, keys.document_key(doc.id_number, doc.paper_type, doc.document_id, name))
        log.info("removed incomplete %s document %s for %s", doc.paper_type.value, doc.document_id,
                 mask_id(doc.id_number))
        removed.append(doc.document_id)
    return removed


def read_document(store: ObjectStore, id_number: str, paper_type: PaperType,
                  document_id: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The metadata and every object, each checked against the SHA-256 recorded in metadata.json."""
    ident, kind = keys.check_id_number(id_number), keys.check_paper_type(paper_type)
    meta_key = keys.document_key(ident, kind, document_id, keys.METADATA_NAME)
    try:
        meta = _load_metadata(store, meta_key)
    except NotFoundError:
        raise NotFoundError(f"no complete {kind.value} document {document_id} for {mask_id(ident)}") from None
    if meta.get("id_number") != ident or meta.get("document_id") != document_id:
        raise IntegrityError(f"metadata.json of document {document_id} names another owner or document")
    blobs = {}
    for name, obj in meta["objects"].items():
        blobs[name] = store.get(keys.CITIZEN_DATA, keys.document_key(ident, kind, document_id, name),
                                version_id=obj.get("version_id"), expected_sha256=obj["sha256"])
    return meta, blobs


def presign_document(store: ObjectStore, id_number: str, paper_type: PaperType, document_id: str, *,
                     expires: timedelta = DEFAULT_EXPIRY, name: str | None = None) -> str:
    """An expiring link to a complete document's searchable PDF (or its original, or `name`)."""
    ident, kind = keys.check_id_number(id_number), keys.check_paper_type(paper_type)
    meta_key = keys.document_key(ident, kind, document_id, keys.METADATA_NAME)
    if store.stat(keys.CITIZEN_DATA, meta_key) is None:
        raise NotFoundError(f"no complete {kind.value} document {document_id} for {mask_id(ident)}")
    if name is None:
        objects = _load_metadata(store, meta_key)["objects"]
        name = keys.SEARCHABLE_NAME if keys.SEARCHABLE_NAME in objects else next(
            n for n in objects if n.startswith("original."))
    return store.presigned_url(keys.CITIZEN_DATA, keys.document_key(ident, kind, document_id, name), expires=expires)


# --- intake, results, quarantine ------------------------------------------------------------
def put_intake(store: ObjectStore, dossier_code: str, file_name: str, data: bytes) -> StoredObject:
    """A raw upload, kept as received under its dossier."""
    key = keys.intake_key(dossier_code, file_name)
    obj = store.put(keys.INTAKE, key, data, content_type=content_type_for(file_name))
    log.info("intake %s: %d bytes, sha256 %s…", masked(key), obj.size, obj.sha256[:12])
    return obj


def put_result(store: ObjectStore, dossier_code: str, name: str, data: bytes) -> StoredObject:
    """A procedure's result (decision, certificate) under its dossier."""
    return store.put(keys.RESULTS, keys.result_key(dossier_code, name), data, content_type=content_type_for(name))


def quarantine(store: ObjectStore, dossier_code: str, file_name: str, data: bytes, reason: dict[str, Any]) -> str:
    """Rejected input plus `<file_name>.reason.json` (code + message, masked); returns the data key."""
    if not isinstance(reason, dict) or not reason.get("code") or not reason.get("message"):
        raise ValueError("a quarantine reason needs a 'code' and a 'message'")
    key = keys.quarantine_key(dossier_code, file_name)
    obj = store.put(keys.QUARANTINE, key, data, content_type=content_type_for(file_name))
    record = {**{k: (mask_ids_in(v) if isinstance(v, str) else v) for k, v in reason.items()},
              "dossier_code": dossier_code, "file_name": file_name, "sha256": obj.sha256, "size": obj.size,
              "quarantined_at": datetime.now(timezone.utc).isoformat()}
    store.put(keys.QUARANTINE, keys.quarantine_reason_key(dossier_code, file_name),
              json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"), content_type="application/json")
    log.warning("quarantined %s: %s", masked(key), reason["code"])
    return key


__all__ = ["StoredDocument", "IncompleteDocument", "store_document", "correct_document", "list_documents",
           "find_incomplete", "cleanup_incomplete", "read_document", "presign_document", "put_intake",
           "put_result", "quarantine", "StorageError"]

"""Digitize dossier folders: intake → preprocess → OCR → classify/split → extract → reuse → store + index.

Prefect adds what the stages should not know about: retries of transient failures only (a
storage timeout, not a corrupt PDF), a cache keyed on the file's SHA-256 and the pipeline,
model and settings versions (re-running a batch is idempotent and new settings are not
ignored), progress in the logs, and a report artifact. Bad input never stops a dossier: the
file goes to quarantine with its reason and the rest goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from pipeline import PIPELINE_VERSION
from pipeline.config import Settings, get_settings
from pipeline.domain.fields import OWNER_ID_FIELD
from pipeline.domain.idnumber import is_valid_id, mask_ids_in
from pipeline.domain.papers import PaperType
from pipeline.domain.privacy import install_masking
from pipeline.errors import SohoaError
from pipeline.extract.checks import (DECLARED_MAX_EDITS, DECLARED_NAME_MAX_EDITS, digit_edits, holder_name_field,
                                     name_edits)
from pipeline.manifest import Manifest, load_manifest

log = logging.getLogger("sohoa.flows")


# --- values ------------------------------------------------------------------------------------
@dataclass
class ComponentOutcome:
    file: str
    pages: list[int]
    type: str
    confidence: float
    status: str  # stored | reused | duplicate | review | quarantined
    document_id: str | None = None
    reason: str = ""


@dataclass
class DossierResult:
    dossier_code: str
    status: str  # digitized | partial | failed
    components: list[ComponentOutcome] = field(default_factory=list)
    quarantined: list[dict[str, str]] = field(default_factory=list)  # {file, code, message}
    pages: int = 0
    seconds: float = 0.0

    @property
    def reused(self) -> bool:
        return any(c.status == "reused" for c in self.components)


# --- retry policy ------------------------------------------------------------------------------
def transient_only(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry storage timeouts and engine crashes; never a corrupt input (it fails the same way)."""
    try:
        state.result()
    except SohoaError as exc:
        return exc.transient
    except (OSError, TimeoutError):
        return True
    except Exception:  # noqa: BLE001 - unknown failures are not retried blindly
        return False
    return False


def _settings_fingerprint(settings: Settings) -> str:
    relevant = {k: settings.model_dump(mode="json")[k] for k in
                ("ocr_lang", "render_dpi", "max_pages", "max_pixels", "review_threshold")}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:12]


def _model_version(settings: Settings) -> str:
    """Short SHA-256 of the classifier artifact: a retrained model invalidates cached analyses."""
    from pipeline.classify.model import ARTIFACT_NAME

    path = Path(settings.model_dir) / ARTIFACT_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "none"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def analysis_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Same bytes + same pipeline, model, settings and manifest hints -> same analysis; anything new ->
    recompute. The declared applicant (number and name) enters the key hashed, never in clear."""
    settings = get_settings()
    path = Path(parameters["dossier_dir"]) / parameters["file_name"]
    hints = [h.model_dump(mode="json") if hasattr(h, "model_dump") else h for h in parameters.get("hints") or []]
    context_json = json.dumps({"hints": hints, "declared": parameters.get("declared") or {}}, sort_keys=True,
                              ensure_ascii=False)
    return "-".join(("analyse", _file_sha256(path), PIPELINE_VERSION, _model_version(settings),
                     _settings_fingerprint(settings), hashlib.sha256(context_json.encode()).hexdigest()[:12]))


# --- analysis of one file (pure stages, no storage) --------------------------------------------
_NO_PIXELS = np.empty((0, 0), np.uint8)

@dataclass
class AnalysedComponent:
    component: Any  # pipeline.domain.records.Component
    fields: dict[str, Any]  # name -> pipeline.domain.records.Field
    original: bytes
    original_ext: str
    searchable_pdf: bytes
    ocr_json: bytes


@dataclass
class FileAnalysis:
    file: str
    sha256: str
    kind: str
    pages: int
    components: list[AnalysedComponent]
    page_errors: list[dict[str, Any]]  # {page, code, message}: pages that could not be read
    flagged: dict[int, list[str]]  # page -> quality flags (blank, blurred, ocr_failed, ...)
    ms: float


def analyse_file_now(path: Path, settings: Settings, hints: list[Any] | None = None,
                     declared: dict[str, str] | None = None) -> FileAnalysis:
    """Intake → preprocess → OCR → classify/split → extract for one file; raises InputError if unusable.
    `declared`: ID number -> full name of the dossier's applicant, which settle near misreadings."""
    from pipeline.classify.model import load_model
    from pipeline.classify.run import classify_pages, resolve_threshold
    from pipeline.extract import extract_document
    from pipeline.intake import PageError, count_pages, detect_kind, iter_pages_safe
    from pipeline.intake.originals import component_original
    from pipeline.ocr.run import ocr_pages
    from pipeline.ocr.searchable_pdf import assemble_searchable_pdf, image_pdf, pages_from_prepared

    started = time.perf_counter()
    kind = detect_kind(path)
    total = count_pages(path, settings)  # file-level limits before any rendering
    model = load_model(settings.model_dir)
    page_errors: list[dict[str, Any]] = []

    def readable_pages():
        for item in iter_pages_safe(path, settings):
            if isinstance(item, PageError):
                page_errors.append({"page": item.index, "code": item.code, "message": item.message})
            else:
                yield item

    prepared, ocr, image_pages = [], [], {}
    for prepared_page, ocr_page in ocr_pages(readable_pages(), settings):
        # keep the page's colour original as a compressed, upright PDF page and drop the arrays:
        # components are known only after the last page, and a 100-page scan must not stay in memory
        original, _, dpi = pages_from_prepared([prepared_page])[0]
        image_pages[ocr_page.index] = image_pdf(original, dpi)
        prepared_page.pixels = prepared_page.source.pixels = _NO_PIXELS
        prepared.append(prepared_page)
        ocr.append(ocr_page)
    components = classify_pages(ocr, prepared, model, threshold=resolve_threshold(model, settings), hints=hints)

    data = path.read_bytes()
    ocr_by_page = {page.index: page for page in ocr}
    analysed = []
    for component in components:
        pages = [ocr_by_page[n] for n in component.pages]
        document = extract_document(component, pages, declared=declared)
        original, ext = component_original(data, kind, component.pages, total)
        searchable = assemble_searchable_pdf([image_pages[n] for n in component.pages],
                                             [p.text_layer for p in pages])
        ocr_json = json.dumps({"pages": [{"index": p.index, "text": p.text, "mean_confidence": p.mean_confidence,
                                          "rotation": p.rotation, "skew": p.skew, "flags": p.flags,
                                          "words": [asdict(w) for w in p.words]} for p in pages]},
                              ensure_ascii=False).encode("utf-8")
        analysed.append(AnalysedComponent(component, document.fields, original, ext, searchable, ocr_json))
    return FileAnalysis(file=path.name, sha256=hashlib.sha256(data).hexdigest(), kind=kind, pages=total,
                        components=analysed, page_errors=page_errors,
                        flagged={p.index: list(p.flags) for p in ocr if p.flags},
                        ms=(time.perf_counter() - started) * 1000.0)


@task(name="analyse-file", retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=transient_only,
      cache_key_fn=analysis_cache_key, persist_result=True)
def analyse_file(dossier_dir: str, file_name: str, hints: list[Any] | None = None,
                 declared: dict[str, str] | None = None) -> FileAnalysis:
    from pipeline.intake import safe_join

    return analyse_file_now(safe_join(Path(dossier_dir), file_name), get_settings(), hints, declared)


# --- storage of one component (retried on transient storage errors) ---------------------------
def paper_owner(manifest: Manifest, paper_type: PaperType, fields: dict[str, Any]) -> tuple[str | None, str]:
    """Whose data store a paper goes to: the ID number printed on it when read and validated
    (a spouse's ID card goes to the spouse), else the dossier's applicant. A number read a digit or two
    from the applicant's that extraction did not settle (the birth date beside it disagreed) is taken for
    a misreading of the applicant's: a paper never goes to a stranger's store on one misread digit.
    A paper whose number was not read and validated but whose holder's name was, and is not the
    applicant's, has no known owner (None): it goes to review, not into the applicant's store, where
    the applicant's next dossier could reuse another person's paper as theirs."""
    name = OWNER_ID_FIELD.get(paper_type)
    found = fields.get(name) if name else None
    applicant = manifest.applicant.id_number
    if found is not None and found.valid and is_valid_id(found.value) \
            and (found.value == applicant or digit_edits(found.value, applicant) > DECLARED_MAX_EDITS):
        return found.value, "extracted"
    holder = fields.get(holder_name_field(name)) if name else None
    if holder is not None and holder.valid \
            and name_edits(holder.value, manifest.applicant.full_name) > DECLARED_NAME_MAX_EDITS:
        return None, "unknown"
    return applicant, "applicant"


@task(name="store-component", retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=transient_only,
      cache_policy=NO_CACHE)
def store_component(manifest: Manifest, file_name: str, item: AnalysedComponent, today: date) -> ComponentOutcome:
    """Reuse a stored valid paper, or store this one (new, or a new version of an expired one), and index it."""
    from pipeline.index.db import open_index
    from pipeline.index.reuse import ReuseAction, decide_reuse
    from pipeline.store import open_store
    from pipeline.store.documents import store_document

    settings = get_settings()
    component, code = item.component, manifest.dossier_code
    outcome = ComponentOutcome(file=file_name, pages=list(component.pages), type=component.type.value,
                               confidence=round(float(component.confidence), 4), status="")
    index = open_index(settings)
    try:
        if component.needs_review:
            index.record_component(code, file_name, component, status="review")
            outcome.status, outcome.reason = "review", "low classifier confidence"
            return outcome
        owner, owner_source = paper_owner(manifest, component.type, item.fields)
        if owner is None:  # the reason goes with the component, for whoever reviews it
            outcome.status = "review"
            outcome.reason = "owner unknown: no valid ID number was read and the name is not the applicant's"
            index.record_component(code, file_name, replace(component, notes=[*component.notes, outcome.reason]),
                                   status="review")
            return outcome
        decision = decide_reuse(index, owner, component.type, today)
        earlier = decision.document
        same_scan = earlier is not None and earlier.original_sha256 == hashlib.sha256(item.original).hexdigest()
        # a paper stored from this same dossier (an ID card's back in its own file) is not a reuse:
        # indicator 4.3 counts papers taken from earlier dossiers
        this_dossier = earlier is not None and earlier.source_dossier == code and not same_scan
        supersedes = None if same_scan or this_dossier else decision.supersedes
        if decision.action is ReuseAction.REUSE and earlier is not None and not (same_scan or this_dossier):
            index.record_reuse(code, file_name, component, earlier.document_id)
            outcome.status, outcome.document_id = "reused", earlier.document_id
            return outcome
        fields = {name: {"value": f.value, "confidence": f.confidence, "valid": f.valid, "reason": f.reason}
                  for name, f in item.fields.items()}
        metadata = {"fields": fields, "confidence": outcome.confidence, "source_dossier": code,
                    "procedure": manifest.procedure_code, "agency": manifest.agency_code,
                    "page_count": len(component.pages), "source_file": file_name, "pages": list(component.pages),
                    "notes": list(component.notes), "owner_source": owner_source, "pipeline_version": PIPELINE_VERSION,
                    "model_version": _model_version(settings)}
        stored = store_document(open_store(settings), id_number=owner, paper_type=component.type,
                                files={f"original.{item.original_ext}": item.original,
                                       "searchable.pdf": item.searchable_pdf, "ocr.json": item.ocr_json},
                                metadata=metadata, supersedes=supersedes)
        index.record_stored(code, file_name, component, stored, fields={k: v["value"] for k, v in fields.items()
                                                                        if v["valid"]},
                            id_number=owner, supersedes=supersedes, model_version=metadata["model_version"])
        outcome.document_id = stored.duplicate_of or stored.document_id
        outcome.status = "duplicate" if stored.duplicate_of else "stored"
        return outcome
    finally:
        index.close()


# --- one dossier -------------------------------------------------------------------------------
def _quarantine_file(manifest: Manifest, dossier_dir: Path, file_name: str, exc: SohoaError) -> dict[str, str]:
    from pipeline.index.db import open_index
    from pipeline.store import open_store
    from pipeline.store.documents import quarantine

    settings = get_settings()
    message = mask_ids_in(exc.message)
    try:
        data = (dossier_dir / file_name).read_bytes() if (dossier_dir / file_name).is_file() else b""
    except OSError:
        data = b""
    safe_name = Path(file_name).name or "unnamed"
    quarantine(open_store(settings), manifest.dossier_code, safe_name, data, {"code": exc.code, "message": message})
    with open_index(settings) as index:
        index.record_quarantine(manifest.dossier_code, safe_name, exc.code, message)
    return {"file": safe_name, "code": exc.code, "message": message}


@flow(name="digitize-dossier", log_prints=False)
def digitize_dossier(dossier_dir: str, today: date | None = None) -> DossierResult:
    """Digitize one dossier folder; bad files are quarantined with their reason and the rest goes on."""
    from pipeline.domain.records import Component
    from pipeline.index.db import open_index
    from pipeline.intake import safe_join
    from pipeline.store import open_store
    from pipeline.store.documents import put_intake

    started = time.perf_counter()
    folder = Path(dossier_dir)
    manifest = load_manifest(folder / "dossier.json")  # a bad manifest fails this dossier, not the batch
    settings = get_settings()
    store = open_store(settings)
    store.ensure_buckets()
    with open_index(settings) as index:
        index.record_dossier(manifest)
        index.set_dossier_status(manifest.dossier_code, "processing")
    result = DossierResult(dossier_code=manifest.dossier_code, status="digitized")
    # a paper's validity is judged on the day the dossier was received, not the day a backlog runs
    today = today or manifest.received_at.date()
    for file_name in manifest.files:
        hints = [c for c in manifest.components if c.file == file_name]
        try:
            put_intake(store, manifest.dossier_code, file_name, safe_join(folder, file_name).read_bytes())
            analysis = analyse_file(str(folder), file_name, hints,
                                    {manifest.applicant.id_number: manifest.applicant.full_name})
        except SohoaError as exc:
            if exc.transient:
                raise
            result.quarantined.append(_quarantine_file(manifest, folder, file_name, exc))
            continue
        except OSError as exc:
            error = SohoaError(f"cannot read {Path(file_name).name}: {exc.strerror}")
            error.code = "unreadable_file"
            result.quarantined.append(_quarantine_file(manifest, folder, file_name, error))
            continue
        result.pages += analysis.pages
        for bad in analysis.page_errors:
            page_component = Component(type=PaperType.KHAC, pages=[bad["page"]], confidence=0.0, needs_review=True)
            with open_index(settings) as index:
                index.record_quarantine(manifest.dossier_code, file_name, bad["code"], bad["message"],
                                        component=page_component)
            result.quarantined.append({"file": f"{file_name}#{bad['page']}", "code": bad["code"],
                                       "message": bad["message"]})
        for item in analysis.components:
            result.components.append(store_component(manifest, file_name, item, today))
    for result_name in manifest.results:
        _store_result(manifest, folder, result_name, result)
    result.status = _dossier_status(result)
    with open_index(settings) as index:
        index.set_dossier_status(manifest.dossier_code, _index_status(result))
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _store_result(manifest: Manifest, folder: Path, name: str, result: DossierResult) -> None:
    """A procedure's result scan: kept under the dossier and recorded (indicator 4.1)."""
    from pipeline.index.db import open_index
    from pipeline.intake import count_pages, safe_join
    from pipeline.store import open_store
    from pipeline.store.documents import put_result

    settings = get_settings()
    try:
        path = safe_join(folder, name)
        count_pages(path, settings)  # refuse a hostile result file as we would a component
        stored = put_result(open_store(settings), manifest.dossier_code, Path(name).name, path.read_bytes())
    except SohoaError as exc:
        if exc.transient:
            raise
        result.quarantined.append(_quarantine_file(manifest, folder, name, exc))
        return
    with open_index(settings) as index:
        index.record_result(manifest.dossier_code, result_id=Path(name).stem, name=Path(name).name,
                            file_key=stored.key, sha256=stored.sha256)


def _dossier_status(result: DossierResult) -> str:
    done = {"stored", "reused", "duplicate"}
    if result.components and all(c.status in done for c in result.components) and not result.quarantined:
        return "digitized"
    return "partial" if any(c.status in done for c in result.components) else "failed"


def _index_status(result: DossierResult) -> str:
    if any(c.status == "review" for c in result.components):
        return "review"
    return "failed" if result.status == "failed" else "done"


# --- a batch and the demo ----------------------------------------------------------------------
def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@flow(name="digitize-batch", log_prints=False)
def digitize_batch(dossier_dirs: list[str], today: date | None = None) -> dict[str, Any]:
    """Digitize dossier folders one after another (each file's pages run in parallel across cores).

    A dossier whose manifest is invalid is reported and skipped; the batch goes on.
    """
    started = time.perf_counter()
    results: list[DossierResult] = []
    failures: list[dict[str, str]] = []
    for number, folder in enumerate(dossier_dirs, start=1):
        try:
            result = digitize_dossier(folder, today=today)
        except SohoaError as exc:
            failures.append({"dossier": Path(folder).name, "code": exc.code, "message": mask_ids_in(exc.message)})
            _progress(f"[{number}/{len(dossier_dirs)}] {Path(folder).name}: {exc.code}: {mask_ids_in(exc.message)}")
            continue
        results.append(result)
        counts = _count(c.status for c in result.components)
        _progress(f"[{number}/{len(dossier_dirs)}] {result.dossier_code}: {result.pages} pages, "
                  f"{len(result.components)} components {counts}, {len(result.quarantined)} quarantined, "
                  f"{result.seconds:.1f} s")
    summary = summarize(results, failures, seconds=time.perf_counter() - started)
    create_markdown_artifact(key="digitize-batch-summary", markdown=summary_markdown(summary),
                             description="Kết quả số hóa của lô hồ sơ")
    return summary


def _count(statuses: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts


def summarize(results: list[DossierResult], failures: list[dict[str, str]], *, seconds: float) -> dict[str, Any]:
    """Batch totals. The rates here are this batch's (Decision 766 4.2 and 4.3 shapes); the report
    issue computes them per agency, level, procedure and period from the index."""
    components = [c for r in results for c in r.components]
    received = len(results) + len(failures)
    digitized = sum(1 for r in results if r.status == "digitized")
    reused = sum(1 for r in results if r.reused)
    pages = sum(r.pages for r in results)
    return {
        "dossiers": received, "dossiers_digitized": digitized, "dossiers_with_reuse": reused,
        "dossiers_failed": failures, "pages": pages, "components": _count(c.status for c in components),
        "types": _count(c.type for c in components),
        "quarantined": [dict(q, dossier=r.dossier_code) for r in results for q in r.quarantined],
        "digitization_rate": round(digitized / received, 4) if received else 0.0,
        "reuse_rate": round(reused / received, 4) if received else 0.0,
        "seconds": round(seconds, 1), "pages_per_minute": round(pages / seconds * 60, 1) if seconds else 0.0,
    }


def summary_markdown(summary: dict[str, Any]) -> str:
    """The batch summary for staff, in Vietnamese."""
    status_vi = {"stored": "đã lưu", "reused": "tái sử dụng", "duplicate": "trùng (đã có)",
                 "review": "cần kiểm tra", "quarantined": "cách ly"}
    lines = ["# Kết quả số hóa", "", "| Chỉ tiêu | Giá trị |", "|---|---|",
             f"| Hồ sơ tiếp nhận | {summary['dossiers']} |",
             f"| Hồ sơ số hóa đầy đủ | {summary['dossiers_digitized']} ({summary['digitization_rate']:.1%}) |",
             f"| Hồ sơ có tái sử dụng giấy tờ | {summary['dossiers_with_reuse']} ({summary['reuse_rate']:.1%}) |",
             f"| Số trang | {summary['pages']} |"]
    lines += [f"| Thành phần {status_vi.get(k, k)} | {v} |" for k, v in sorted(summary["components"].items())]
    lines += [f"| Tệp bị cách ly | {len(summary['quarantined'])} |",
              f"| Thời gian | {summary['seconds']} giây ({summary['pages_per_minute']} trang/phút) |"]
    if summary["quarantined"]:
        lines += ["", "## Tệp bị cách ly", "", "| Hồ sơ | Tệp | Mã lỗi | Lý do |", "|---|---|---|---|"]
        lines += [f"| {q['dossier']} | {q['file']} | {q['code']} | {q['message']} |" for q in summary["quarantined"]]
    return "\n".join(lines)


SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "dossiers"


def run_demo() -> int:
    """`make demo`: digitize the committed sample dossiers into the local store and SQLite index."""
    from rich.console import Console
    from rich.markdown import Markdown

    install_masking()
    logging.basicConfig(level=logging.WARNING)
    folders = sorted(str(p.parent) for p in SAMPLES.glob("*/dossier.json"))
    if not folders:
        _progress(f"no sample dossiers under {SAMPLES}; run `make samples` first")
        return 1
    settings = get_settings()
    _progress(f"Digitizing {len(folders)} sample dossiers into {settings.resolved_store_url} "
              f"and {settings.resolved_index_url} ...")
    summary = digitize_batch(folders)
    Console().print(Markdown(summary_markdown(summary)))
    return 0 if summary["dossiers"] and not summary["dossiers_failed"] else 1

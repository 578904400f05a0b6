"""`sohoa classify`: OCR a scan, split it into components, classify them, read their key fields.

`classify_pages` is the pure step flows call on pages they have already OCR'd; `classify_file`
adds intake, preprocessing and OCR around it and returns the CLI's pinned JSON shape.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from pipeline.classify.model import PageModel, load_model
from pipeline.classify.split import page_cues, split_pages
from pipeline.config import Settings
from pipeline.domain.fields import FIELD_NAMES_VI, display_value
from pipeline.domain.papers import PAPER_NAMES_VI, PaperType
from pipeline.domain.records import Component, Document, OcrPage, PreparedPage
from pipeline.errors import ManifestError
from pipeline.manifest import DeclaredComponent, Manifest, load_manifest

log = logging.getLogger(__name__)


PROJECT_MODELS = Path(__file__).resolve().parents[2] / "models"


def model_dir(settings: Settings) -> Path:
    """settings.model_dir; a relative one that is not under the working folder falls back to the project's models/."""
    folder = Path(settings.model_dir)
    if not folder.is_absolute() and not folder.exists() and folder == Path("models"):
        return PROJECT_MODELS
    return folder


def resolve_threshold(model: PageModel, settings: Settings | None) -> float:
    """settings.review_threshold when set (> 0), else the one the model card derived."""
    if settings is not None and settings.review_threshold > 0:
        return settings.review_threshold
    return model.threshold


def classify_pages(ocr_pages: Sequence[OcrPage], prepared: Sequence[PreparedPage] | None, model: PageModel, *,
                   threshold: float | None = None,
                   hints: Sequence[DeclaredComponent] | None = None) -> list[Component]:
    """Pages of one file (in order) -> components; blank pages and separators are left out."""
    limit = model.threshold if threshold is None or threshold <= 0 else threshold
    texts: list[str] = []
    keep: list[int] = []
    for i, page in enumerate(ocr_pages):
        cue = page_cues(page, prepared[i] if prepared is not None and i < len(prepared) else None)
        if not (cue.blank or cue.separator or cue.failed):
            keep.append(i)
            texts.append(page.text)
    predictions: list = [None] * len(ocr_pages)
    for i, prediction in zip(keep, model.predict(texts, threshold=limit)):
        predictions[i] = prediction
    return split_pages(ocr_pages, predictions, threshold=limit, classes=model.classes, prepared=prepared,
                       hints=hints)


def _manifest_beside(path: Path) -> Manifest | None:
    """dossier.json next to the file; None when absent or invalid (a broken manifest is no hint)."""
    manifest_path = path.parent / "dossier.json"
    if not manifest_path.is_file():
        return None
    try:
        return load_manifest(manifest_path)
    except ManifestError as exc:
        log.warning("ignoring dossier.json: %s", exc.message)
        return None


def declared_hints(path: Path) -> list[DeclaredComponent]:
    """The components dossier.json (next to the file) declares for it; none when absent or invalid."""
    manifest = _manifest_beside(path)
    return [c for c in manifest.components if c.file == path.name] if manifest else []


def declared_people(path: Path) -> dict[str, str]:
    """ID number -> full name of the people dossier.json (next to the file) declares: its applicant, as the
    flow uses it."""
    manifest = _manifest_beside(path)
    return {manifest.applicant.id_number: manifest.applicant.full_name} if manifest else {}


def document_json(document: Document) -> dict:
    component = document.component
    return {
        "type": component.type.value,
        "pages": list(component.pages),
        "confidence": round(float(component.confidence), 4),
        "needs_review": bool(component.needs_review),
        "fields": {name: {"value": f.value, "confidence": round(float(f.confidence), 4), "valid": bool(f.valid)}
                   for name, f in document.fields.items()},
    }


def classify_file(path: Path, settings: Settings) -> dict:
    """The pinned `sohoa classify --json` shape for one scan."""
    from pipeline.extract import extract_document
    from pipeline.intake import iter_pages
    from pipeline.ocr.run import ocr_pages

    model = load_model(model_dir(settings))
    prepared: list[PreparedPage] = []
    pages: list[OcrPage] = []
    for prepared_page, ocr_page in ocr_pages(iter_pages(path, settings), settings):
        prepared.append(prepared_page)
        pages.append(ocr_page)
    components = classify_pages(pages, prepared, model, threshold=resolve_threshold(model, settings),
                                hints=declared_hints(path))
    by_index = {page.index: page for page in pages}
    people = declared_people(path)
    documents = [extract_document(c, [by_index[n] for n in c.pages], declared=people) for c in components]
    return {"file": str(path), "components": [document_json(d) for d in documents]}


def render_table(result: dict) -> None:
    """A readable table for counter staff (Vietnamese headers and paper names)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Tệp: {result.get('file', '')}", show_lines=True)
    for header in ("#", "Loại giấy tờ", "Trang", "Độ tin cậy", "Cần kiểm tra", "Thông tin đọc được"):
        table.add_column(header)
    for number, component in enumerate(result.get("components", []), start=1):
        try:
            name = PAPER_NAMES_VI[PaperType(component["type"])]
        except ValueError:
            name = component["type"]
        fields = "\n".join(
            f"{FIELD_NAMES_VI.get(key, key)}: {display_value(key, value['value'])}"
            + ("" if value.get("valid", True) else " (không hợp lệ)")
            for key, value in component.get("fields", {}).items())
        table.add_row(str(number), name, ", ".join(str(p) for p in component["pages"]),
                      f"{component['confidence']:.0%}", "có" if component["needs_review"] else "không", fields)
    if not result.get("components"):
        table.add_row("-", "Không tìm thấy trang có nội dung", "", "", "", "")
    Console().print(table)

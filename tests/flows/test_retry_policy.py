"""Only transient failures are retried: a storage timeout, not a corrupt PDF."""

import pytest

from flows.digitize import summarize, summary_markdown, transient_only, DossierResult, ComponentOutcome
from pipeline.errors import EncryptedPdfError, OcrEngineError, StorageError, IntegrityError


class _State:
    def __init__(self, exc):
        self.exc = exc

    def result(self):
        raise self.exc


@pytest.mark.parametrize("exc, retried", [
    (StorageError("connection refused"), True),
    (OcrEngineError("tesseract killed"), True),
    (TimeoutError(), True),
    (EncryptedPdfError("encrypted"), False),
    (IntegrityError("hash mismatch"), False),
    (ValueError("bug"), False),
])
def test_retry_condition(exc, retried):
    assert transient_only(None, None, _State(exc)) is retried


def test_summary_rates_and_vietnamese_report():
    ok = DossierResult("D1", "digitized", [ComponentOutcome("a.pdf", [1], "cccd", 0.99, "reused")], pages=2)
    partial = DossierResult("D2", "partial", [ComponentOutcome("b.pdf", [1], "to_khai", 0.9, "stored")],
                            quarantined=[{"file": "x.jpg", "code": "unsupported_format", "message": "not an image"}])
    summary = summarize([ok, partial], [{"dossier": "D3", "code": "invalid_manifest", "message": "level: ..."}],
                        seconds=60)
    assert summary["dossiers"] == 3 and summary["dossiers_digitized"] == 1
    assert summary["digitization_rate"] == round(1 / 3, 4) and summary["reuse_rate"] == round(1 / 3, 4)
    assert summary["components"] == {"reused": 1, "stored": 1}
    text = summary_markdown(summary)
    assert "Hồ sơ tiếp nhận | 3" in text and "unsupported_format" in text and "tái sử dụng" in text

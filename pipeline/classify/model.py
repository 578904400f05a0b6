"""The page classifier artifact: versioned, hash-checked, calibrated, with a review threshold.

paperless-ngx's classifier returns a label without a confidence, so wrong guesses are silently
assigned; ours returns a calibrated probability (temperature-scaled logistic regression) and
sends every page below the threshold to review. The artifact is one file: a magic line, a JSON
header (format version, scikit-learn version, SHA-256 of the payload) and a zlib-compressed
pickle that is only unpickled after the hash matches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import sklearn

from pipeline.classify.features import PageFeaturizer, key_text, readability, title_text
from pipeline.domain.papers import PaperType
from pipeline.errors import ModelCorruptError, ModelError, ModelIncompatibleError

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MAGIC = b"SOHOA-PAGE-CLASSIFIER\n"
ARTIFACT_NAME = "classifier.bin"
CARD_JSON = "classifier.json"
CARD_MD = "classifier.md"
HOUSEHOLD_BOOK_NOTE = "so_ho_khau: void since 2023-01-01 (not a valid paper)"
UNREADABLE_NOTE = "unreadable: the text does not look like Vietnamese (upside down, or too degraded)"
MIN_READABILITY = 0.6  # generated pages OCR'd at office_scan: 0.74-1.0; an upside-down page: 0.52
HOUSEHOLD_CONFIDENCE = 0.95  # "SỔ HỘ KHẨU" read among the title lines: no other paper carries that title
_HOUSEHOLD = re.compile(r"\bs[oô0]\s*h[oô0]\s*kh[aâ]u\b")


@dataclass
class PagePrediction:
    """One page's type with its calibrated confidence; `needs_review` when below the threshold."""

    type: PaperType
    confidence: float
    needs_review: bool
    probabilities: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def is_household_book(text: str) -> bool:
    """The abolished sổ hộ khẩu, by its title (also read without diacritics)."""
    return bool(_HOUSEHOLD.search(title_text(text, max_lines=10, search_lines=25)) or
                _HOUSEHOLD.search("\n".join(key_text(text).split("\n")[:8])))


class PageModel:
    """Featurizer + linear model + temperature + threshold; everything a prediction needs."""

    def __init__(self, featurizer: PageFeaturizer, estimator: Any, classes: Sequence[str],
                 temperature: float = 1.0, threshold: float = 0.5, meta: dict | None = None) -> None:
        self.featurizer = featurizer
        self.estimator = estimator
        self.classes = list(classes)
        self.temperature = temperature
        self.threshold = threshold
        self.meta = meta or {}

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        features = self.featurizer.transform(list(texts))
        scores = self.estimator.decision_function(features)
        return np.asarray(scores, dtype=np.float64).reshape(len(texts), -1)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)))
        return softmax(self.logits(texts) / self.temperature)

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> list[PagePrediction]:
        """One prediction per text; `threshold` overrides the one set from the calibration curve."""
        limit = self.threshold if threshold is None or threshold <= 0 else threshold
        probabilities = self.predict_proba(texts)
        out: list[PagePrediction] = []
        for text, row in zip(texts, probabilities):
            best = int(np.argmax(row))
            probs = {c: round(float(p), 6) for c, p in zip(self.classes, row)}
            prediction = PagePrediction(type=PaperType(self.classes[best]), confidence=float(row[best]),
                                        needs_review=float(row[best]) < limit, probabilities=probs)
            share, words = readability(text)
            if words >= 8 and share < MIN_READABILITY:
                prediction.needs_review = True
                prediction.confidence = min(prediction.confidence, share)
                prediction.probabilities = {c: min(p, share) for c, p in prediction.probabilities.items()}
                prediction.notes.append(UNREADABLE_NOTE)
            elif is_household_book(text):
                prediction.type = PaperType.KHAC
                # a rule on the title, not the model: as sure as the title read (see HOUSEHOLD_CONFIDENCE)
                prediction.confidence = max(HOUSEHOLD_CONFIDENCE, probs.get(PaperType.KHAC.value, 0.0))
                prediction.needs_review = False  # recognised for what it is: a void paper, flagged by the note
                prediction.notes.append(HOUSEHOLD_BOOK_NOTE)
            out.append(prediction)
        return out


# --- artifact --------------------------------------------------------------------------------------

def _sklearn_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def dump_bytes(model: PageModel) -> bytes:
    """The artifact's bytes (deterministic for a deterministic model)."""
    payload = zlib.compress(pickle.dumps(model, protocol=5), 9)
    header = {"format_version": FORMAT_VERSION, "sklearn_version": sklearn.__version__,
              "payload_sha256": hashlib.sha256(payload).hexdigest(), "payload_bytes": len(payload)}
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path.part`, fsync it, rename over `path`, fsync the folder: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save_model(model: PageModel, path: Path) -> str:
    """Save atomically; returns the SHA-256 of the whole artifact file."""
    data = dump_bytes(model)
    write_atomic(path, data)
    return hashlib.sha256(data).hexdigest()


def read_header(data: bytes, name: str) -> tuple[dict, bytes]:
    if not data.startswith(MAGIC):
        raise ModelCorruptError(f"{name} is not a sohoa classifier artifact (bad magic)", path=name)
    rest = data[len(MAGIC):]
    newline = rest.find(b"\n")
    try:
        header = json.loads(rest[:newline])
    except (ValueError, UnicodeDecodeError):
        raise ModelCorruptError(f"{name}: unreadable artifact header", path=name) from None
    if not isinstance(header, dict) or newline < 0:
        raise ModelCorruptError(f"{name}: unreadable artifact header", path=name)
    return header, rest[newline + 1:]


def loads_model(data: bytes, name: str = "classifier") -> PageModel:
    """Check format, versions and hash before unpickling; raise the typed error otherwise."""
    header, payload = read_header(data, name)
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelIncompatibleError(
            f"{name}: format version {header.get('format_version')!r}, this sohoa reads {FORMAT_VERSION}; "
            "run `sohoa train-classifier`", path=name)
    built = str(header.get("sklearn_version", "?"))
    if _sklearn_minor(built) != _sklearn_minor(sklearn.__version__):
        raise ModelIncompatibleError(
            f"{name}: trained with scikit-learn {built}, installed {sklearn.__version__}; "
            "run `sohoa train-classifier`", path=name)
    if len(payload) != header.get("payload_bytes") or hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise ModelCorruptError(f"{name}: payload does not match its SHA-256 (truncated or altered)", path=name)
    try:
        model = pickle.loads(zlib.decompress(payload))
    except (pickle.UnpicklingError, zlib.error, AttributeError, ModuleNotFoundError, ImportError, EOFError) as exc:
        raise ModelIncompatibleError(f"{name}: cannot be loaded by this sohoa ({type(exc).__name__})",
                                     path=name) from None
    if not isinstance(model, PageModel):
        raise ModelIncompatibleError(f"{name}: holds {type(model).__name__}, not a PageModel", path=name)
    return model


def load_model_file(path: Path) -> PageModel:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"no classifier at {path}; run `sohoa train-classifier`", path=str(path)) from None
    except OSError as exc:
        raise ModelError(f"cannot read {path}: {exc.strerror}", path=str(path)) from None
    return loads_model(data, path.name)


@lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> PageModel:
    return load_model_file(Path(path))


def load_model(model_dir: Path) -> PageModel:
    """The model in `model_dir`, loaded once per process (reloaded if the file changes)."""
    path = Path(model_dir) / ARTIFACT_NAME
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ModelError(f"no classifier at {path}; run `sohoa train-classifier`", path=str(path)) from None
    return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)

"""`sohoa train-classifier`: rebuild the committed page classifier from its committed settings.

Deterministic for the settings: the generator, the OCR-noise model and the solver are all
seeded, and the model card records the SHA-256 of the settings and of the training texts so a
reader can check that models/ holds what these settings produce. Temperature and review
threshold are fitted on a held-out set made with other seeds (and heavier noise).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from threadpoolctl import threadpool_limits

from pipeline.classify.augment import official_variant
from pipeline.classify.features import PageFeaturizer
from pipeline.classify.model import (ARTIFACT_NAME, CARD_JSON, CARD_MD, FORMAT_VERSION, HOUSEHOLD_BOOK_NOTE,
                                     MIN_READABILITY, PageModel, save_model, softmax, write_atomic)
from pipeline.classify.noise import ocr_noise
from pipeline.classify.other_papers import other_paper_texts
from pipeline.domain.papers import PaperType

log = logging.getLogger(__name__)

SETTINGS_PATH = Path(__file__).with_name("training.json")
_PIPELINE = Path(__file__).resolve().parents[1]
# The code that decides the training texts: a change in any of these changes the model.
DATA_SOURCES = ("synth/card.py", "synth/dossier.py", "synth/papers.py", "synth/people.py", "synth/render.py",
                "classify/augment.py", "classify/features.py", "classify/noise.py", "classify/other_papers.py")


def sources_hash() -> str:
    """SHA-256 over the generator and feature code that shape the training data (recorded in the card)."""
    digest = hashlib.sha256()
    for name in DATA_SOURCES:
        path = _PIPELINE / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Sample:
    text: str
    label: str
    page_in_paper: int = 1


PROBE_PAPERS = 13  # one paper of each type


def generator_probe(settings: dict) -> dict:
    """Hash of the first papers' exact texts: a cheap check that the generator still writes the training data."""
    samples = truth_samples(PROBE_PAPERS, settings["train"]["seed"], settings.get("fonts") or None)
    return {"papers": PROBE_PAPERS, "seed": settings["train"]["seed"], "sha256": data_hash(samples)}


def settings_hash(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_training_settings(path: Path = SETTINGS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def data_hash(samples: Iterable[Sample]) -> str:
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(json.dumps([sample.label, sample.text], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def truth_samples(n: int, seed: int, fonts: Sequence[str] | None) -> list[Sample]:
    """Exact texts of every page of `n` generated papers (types in turn), without drawing pixels.

    Follows `pipeline.synth.dossier.generate_pages` up to the layout (which yields the text) and
    skips drawing and degrading, which the classifier never sees: 10x cheaper per page.
    """
    import numpy as np

    from pipeline.synth import dossier as synth
    from pipeline.synth.people import random_date

    types = list(PaperType)
    samples: list[Sample] = []
    for i in range(n):
        rng = np.random.default_rng([seed, i, 11])
        ptype = types[i % len(types)]
        ctx = synth._context(rng, None, random_date(rng, date(2023, 1, 1), date(2024, 12, 31)))
        variant = synth.pick(rng, ("both", "front", "back")) if ptype == PaperType.CCCD else ""
        probe = synth.build_paper(ptype, variant, ctx, np.random.default_rng([seed, i, 12]))
        ctx.font = synth._choose_font(probe, rng, list(fonts) if fonts else None)
        paper = synth.build_paper(ptype, variant, ctx, np.random.default_rng([seed, i, 12]))
        for spec in synth.lay_out_paper(paper, ctx, ctx.font, rng):
            samples.append(Sample(text=spec.text, label=ptype.value, page_in_paper=spec.index_in_paper))
    return samples


def noisy_copies(samples: Sequence[Sample], copies: int, strengths: Sequence[float], seed: int) -> list[Sample]:
    """Each sample `copies` times, each copy through the OCR-noise model at a strength drawn from `strengths`."""
    rng = random.Random(seed)
    out: list[Sample] = []
    for sample in samples:
        for _ in range(copies):
            strength = rng.choice(list(strengths))
            out.append(Sample(ocr_noise(sample.text, rng, strength), sample.label, sample.page_in_paper))
    return out


def official_variants(samples: Sequence[Sample], per_page: int, seed: int) -> list[Sample]:
    """Other document types and issuers for the generated official documents (augment.py)."""
    rng = random.Random(seed)
    out: list[Sample] = []
    for sample in samples:
        if sample.label != PaperType.VAN_BAN_HANH_CHINH.value:
            continue
        for _ in range(per_page):
            text = official_variant(sample.text, rng)
            if text is not None:
                out.append(Sample(text, sample.label, sample.page_in_paper))
    return out


def build_samples(section: dict, fonts: Sequence[str] | None, noise_seed: int) -> list[Sample]:
    truth = truth_samples(section["papers"], section["seed"], fonts)
    truth += official_variants(truth, int(section.get("official_variants", 0)), section["seed"] + 2)
    other = [Sample(t, PaperType.KHAC.value) for t in other_paper_texts(section["other_papers"], section["seed"] + 1)]
    return noisy_copies(truth + other, section["copies"], section["strengths"], noise_seed)


def fit_model(samples: Sequence[Sample], params: dict, seed: int) -> PageModel:
    featurizer = PageFeaturizer(**params.get("features", {}))
    texts = [s.text for s in samples]
    labels = [s.label for s in samples]
    features = featurizer.fit(texts).transform(texts)
    estimator = LogisticRegression(C=float(params.get("C", 10.0)), max_iter=int(params.get("max_iter", 3000)),
                                   tol=float(params.get("tol", 1e-4)), random_state=seed)
    estimator.fit(features, labels)
    return PageModel(featurizer, estimator, [str(c) for c in estimator.classes_])


def fit_temperature(logits: np.ndarray, truth_idx: np.ndarray) -> float:
    """The temperature minimising held-out negative log-likelihood (grid search: deterministic).

    Never below 1: the held-out pages come from the same generator as the training pages and are
    easier than real OCR output, so they may soften the model's probabilities but not sharpen them.
    """
    best, best_nll = 1.0, float("inf")
    for temperature in np.exp(np.linspace(0.0, np.log(20.0), 121)):
        probs = softmax(logits / temperature)
        nll = -float(np.mean(np.log(np.clip(probs[np.arange(len(truth_idx)), truth_idx], 1e-12, 1.0))))
        if nll < best_nll - 1e-12:
            best, best_nll = float(temperature), nll
    return best


def choose_threshold(confidence: np.ndarray, correct: np.ndarray, target: float, floor: float) -> float:
    """Lowest threshold whose accepted pages (confidence >= t) are at least `target` accurate."""
    order = np.argsort(-confidence, kind="stable")
    conf, ok = confidence[order], correct[order].astype(float)
    accuracy = np.cumsum(ok) / np.arange(1, len(ok) + 1)
    threshold = 1.0
    for i in range(len(conf)):
        # only cut between distinct confidences: every page at the cut value is accepted together
        if (i == len(conf) - 1 or conf[i] > conf[i + 1]) and accuracy[i] >= target:
            threshold = float(conf[i])
    return round(max(floor, threshold), 4)


def calibration_summary(confidence: np.ndarray, correct: np.ndarray, bins: Sequence[float]) -> list[dict]:
    rows = []
    edges = list(bins) + [1.0000001]
    for low, high in zip(edges[:-1], edges[1:]):
        mask = (confidence >= low) & (confidence < high)
        if mask.any():
            rows.append({"confidence": f"[{low:.2f}, {min(high, 1.0):.2f}]", "pages": int(mask.sum()),
                         "mean_confidence": round(float(confidence[mask].mean()), 4),
                         "accuracy": round(float(correct[mask].mean()), 4)})
    return rows


def evaluate(model: PageModel, samples: Sequence[Sample], threshold: float) -> dict:
    probs = model.predict_proba([s.text for s in samples])
    predicted = [model.classes[i] for i in probs.argmax(axis=1)]
    labels = [s.label for s in samples]
    confidence = probs.max(axis=1)
    accepted = confidence >= threshold
    correct = np.array([p == t for p, t in zip(predicted, labels)])
    return {"pages": len(samples), "accuracy": round(float(accuracy_score(labels, predicted)), 4),
            "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
            "review_share": round(float(1 - accepted.mean()), 4),
            "accuracy_accepted": round(float(correct[accepted].mean()) if accepted.any() else 0.0, 4)}


def train(settings: dict) -> tuple[PageModel, dict]:
    """Train from a settings dict; returns the model and its card (no files written).

    BLAS runs single-threaded: on two shared cores its threads only fight (10x slower here) and a
    fixed summation order keeps the result reproducible.
    """
    with threadpool_limits(limits=1):
        return _train(settings)


def _train(settings: dict) -> tuple[PageModel, dict]:
    started = time.monotonic()
    fonts = settings.get("fonts") or None
    train_samples = build_samples(settings["train"], fonts, settings["seed"])
    held_samples = build_samples(settings["holdout"], fonts, settings["seed"] + 1)
    log.info("training on %d pages, calibrating on %d", len(train_samples), len(held_samples))
    model = fit_model(train_samples, settings.get("model", {}), settings["seed"])
    class_index = {c: i for i, c in enumerate(model.classes)}
    logits = model.logits([s.text for s in held_samples])
    truth_idx = np.array([class_index[s.label] for s in held_samples])
    model.temperature = fit_temperature(logits, truth_idx)
    probs = softmax(logits / model.temperature)
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == truth_idx
    review = settings.get("review", {})
    model.threshold = choose_threshold(confidence, correct, float(review.get("target_accuracy", 0.995)),
                                       float(review.get("floor", 0.5)))
    card = {
        "name": "sohoa page classifier",
        "format_version": FORMAT_VERSION,
        "sklearn_version": sklearn.__version__,
        "artifact": ARTIFACT_NAME,
        "classes": model.classes,
        "settings": settings,
        "settings_sha256": settings_hash(settings),
        "training_data_sha256": data_hash(list(train_samples) + list(held_samples)),
        "data_sources": list(DATA_SOURCES),
        "data_sources_sha256": sources_hash(),
        "generator_probe": generator_probe(settings),
        "training_pages": len(train_samples),
        "training_pages_by_type": dict(sorted(Counter(s.label for s in train_samples).items())),
        "holdout_pages": len(held_samples),
        "temperature": round(model.temperature, 6),
        "threshold": model.threshold,
        "threshold_rule": (f"lowest confidence at which held-out accepted pages reach "
                           f"{float(review.get('target_accuracy', 0.995)):.1%} accuracy "
                           f"(floor {float(review.get('floor', 0.5))})"),
        "review_rules": [
            "a page whose calibrated confidence is below the threshold is needs_review (never silently assigned)",
            f"a page whose words are less than {MIN_READABILITY:.0%} Vietnamese-shaped syllables (>= 8 words: "
            "upside down, shredded) is needs_review with an 'unreadable' note (cut chosen on a development set "
            "of OCR'd generated pages, seed 5501, not on the benchmark's)",
            f"a title reading SỔ HỘ KHẨU makes the page khac with the note '{HOUSEHOLD_BOOK_NOTE}'",
        ],
        "metrics_holdout": evaluate(model, held_samples, model.threshold),
        "calibration_curve": calibration_summary(confidence, correct, [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99]),
        "known_limits": [
            "Trained on generated pages passed through a model of Tesseract errors, not on real OCR output; "
            "the benchmark (bench/classify.py, docs/BENCHMARKS.md) measures it on truly OCR'd pages.",
            "Layout cues are line-level (line count, upper-case share, MRZ lines, page numbers); word boxes "
            "are not features, so a card photographed alone is recognised by its text.",
            "Temperature and threshold come from held-out generated text through the noise model at strengths "
            "0.75-2 (harsher than training), not from OCR output: whether accepted OCR'd pages reach 99.5 % "
            "accuracy is measured, not guaranteed, by the benchmark.",
            "Official documents: the generator draws quyết định, công văn and thông báo; other types (nghị quyết, "
            "thông tư, kế hoạch...) and central issuers come from text variants (augment.py), not from drawn pages.",
            "Two papers of the same type in a row without a motto header may be merged into one component.",
            "khac is learned from a handful of templates (invoice, receipt, hospital papers, letters); "
            "a paper far from all of them lands on the nearest type with a low confidence, i.e. in review.",
        ],
        "train_seconds": round(time.monotonic() - started, 1),
    }
    model.meta = {k: card[k] for k in ("settings_sha256", "training_data_sha256", "threshold", "temperature")}
    return model, card


def card_markdown(card: dict) -> str:
    held = card["metrics_holdout"]
    curve = "\n".join(f"| {r['confidence']} | {r['pages']} | {r['mean_confidence']:.3f} | {r['accuracy']:.3f} |"
                      for r in card["calibration_curve"])
    by_type = ", ".join(f"{k} {v}" for k, v in card["training_pages_by_type"].items())
    limits = "\n".join(f"- {line}" for line in card["known_limits"])
    rules = "\n".join(f"- {line}" for line in card["review_rules"])
    return f"""# Model card: sohoa page classifier

- Artifact: `models/{card['artifact']}` (format {card['format_version']}, scikit-learn {card['sklearn_version']}),
  artifact SHA-256 `{card.get('artifact_sha256', '?')}`
- Rebuild: `sohoa train-classifier` from `pipeline/classify/training.json`
  (settings SHA-256 `{card['settings_sha256']}`); training data SHA-256 `{card['training_data_sha256']}`,
  made by the generator and feature code with SHA-256 `{card['data_sources_sha256']}` (`pipeline/` files
  {', '.join(card['data_sources'])}): a change there changes the model, so retrain and commit both.
- Model: TF-IDF character n-grams of the folded, diacritic-free page text (title lines weighted x
  {card['settings'].get('model', {}).get('features', {}).get('title_weight', 2.0)}), word n-grams and
  line-level layout cues -> multinomial logistic regression, temperature-scaled
  (T = {card['temperature']}) on a held-out set.
- Training data: {card['training_pages']} pages ({by_type}); generator seed
  {card['settings']['train']['seed']}, noise seed {card['settings']['seed']}, fonts
  {', '.join(card['settings'].get('fonts') or ['all'])}; each page's exact text passed
  {card['settings']['train']['copies']} times through the seeded OCR-noise model
  (`pipeline/classify/noise.py`).
- Review threshold: **{card['threshold']}** ({card['threshold_rule']}); `SOHOA_REVIEW_THRESHOLD` overrides it.

## Review rules

{rules}

## Held-out metrics (generated + OCR-noise model, seed {card['settings']['holdout']['seed']})

pages {held['pages']}, accuracy {held['accuracy']}, macro-F1 {held['macro_f1']},
share sent to review {held['review_share']}, accuracy among accepted pages {held['accuracy_accepted']}.
Truly OCR'd results are in docs/BENCHMARKS.md (section classify).

## Calibration curve (held-out)

| confidence | pages | mean confidence | accuracy |
|---|---|---|---|
{curve}

## Known limits

{limits}
"""


def train_and_save(out: Path, settings: dict | None = None) -> dict:
    """Train from the committed settings (or `settings`), write artifact + card into `out`; return the card."""
    settings = settings if settings is not None else load_training_settings()
    model, card = train(settings)
    out = Path(out)
    card["artifact_sha256"] = save_model(model, out / ARTIFACT_NAME)
    card["artifact_bytes"] = (out / ARTIFACT_NAME).stat().st_size
    write_atomic(out / CARD_JSON, (json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode())
    write_atomic(out / CARD_MD, card_markdown(card).encode())
    return card

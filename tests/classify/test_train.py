"""Training: deterministic for its settings; the committed model is the one the committed settings produce."""

from __future__ import annotations

import hashlib
import json
import random
import zlib
from pathlib import Path

import numpy as np

from pipeline.classify.model import ARTIFACT_NAME, CARD_JSON, CARD_MD, load_model_file, read_header
from pipeline.classify.noise import ocr_noise
from pipeline.classify.train import (choose_threshold, generator_probe, load_training_settings, settings_hash,
                                     train_and_save)

MODELS = Path(__file__).resolve().parents[2] / "models"


def test_same_settings_same_model(standin_generator, small_settings, probe_texts, tmp_path):
    card_a = train_and_save(tmp_path / "a", small_settings)
    card_b = train_and_save(tmp_path / "b", small_settings)
    model_a = load_model_file(tmp_path / "a" / ARTIFACT_NAME)
    model_b = load_model_file(tmp_path / "b" / ARTIFACT_NAME)
    assert np.array_equal(model_a.predict_proba(probe_texts), model_b.predict_proba(probe_texts))
    assert card_a["training_data_sha256"] == card_b["training_data_sha256"]
    assert card_a["artifact_sha256"] == card_b["artifact_sha256"]  # even the bytes are reproducible
    assert (tmp_path / "a" / ARTIFACT_NAME).read_bytes() == (tmp_path / "b" / ARTIFACT_NAME).read_bytes()
    # no memory address (sklearn's cached id(stop_words)) in the pickle: the bytes match across processes too
    _, payload = read_header((tmp_path / "a" / ARTIFACT_NAME).read_bytes(), ARTIFACT_NAME)
    assert b"_stop_words_id" not in zlib.decompress(payload)


def test_another_seed_changes_the_training_data(standin_generator, small_settings, tmp_path):
    card_a = train_and_save(tmp_path / "a", small_settings)
    small_settings["seed"] += 1
    card_b = train_and_save(tmp_path / "b", small_settings)
    assert card_a["training_data_sha256"] != card_b["training_data_sha256"]
    assert card_a["settings_sha256"] != card_b["settings_sha256"]


def test_card_records_settings_metrics_threshold_and_curve(standin_generator, small_settings, tmp_path):
    card = train_and_save(tmp_path, small_settings)
    on_disk = json.loads((tmp_path / CARD_JSON).read_text(encoding="utf-8"))
    assert on_disk["settings"] == small_settings
    assert on_disk["settings_sha256"] == settings_hash(small_settings)
    assert 0.5 <= on_disk["threshold"] <= 1.0
    assert on_disk["calibration_curve"] and on_disk["metrics_holdout"]["pages"] > 0
    assert on_disk["artifact_sha256"] == hashlib.sha256((tmp_path / ARTIFACT_NAME).read_bytes()).hexdigest()
    assert "Known limits" in (tmp_path / CARD_MD).read_text(encoding="utf-8")
    assert card["threshold"] == load_model_file(tmp_path / ARTIFACT_NAME).threshold


def test_threshold_is_the_lowest_that_keeps_accepted_pages_accurate():
    confidence = np.array([0.99, 0.98, 0.95, 0.9, 0.8, 0.7, 0.6])
    correct = np.array([1, 1, 1, 1, 0, 1, 0], dtype=bool)
    assert choose_threshold(confidence, correct, target=1.0, floor=0.5) == 0.9
    assert choose_threshold(confidence, correct, target=0.8, floor=0.5) == 0.7
    assert choose_threshold(confidence, correct, target=0.8, floor=0.75) == 0.75
    # ties are accepted together: a wrong page at the same confidence blocks the cut
    tied = np.array([0.99, 0.9, 0.9])
    assert choose_threshold(tied, np.array([1, 1, 0], dtype=bool), target=1.0, floor=0.5) == 0.99


def test_noise_model_is_seeded_and_zero_strength_is_identity():
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY KHAI SINH\nHọ và tên: Nguyễn Văn Trung\n12"
    assert ocr_noise(text, random.Random(3), 0.0) == text
    assert ocr_noise(text, random.Random(3), 0.9) == ocr_noise(text, random.Random(3), 0.9)
    assert ocr_noise(text, random.Random(3), 0.9) != text


def test_committed_model_is_what_the_committed_settings_produce():
    """models/ holds the artifact built from pipeline/classify/training.json (retraining takes minutes, so
    this checks the recorded hashes; test_same_settings_same_model checks that training is deterministic)."""
    card = json.loads((MODELS / CARD_JSON).read_text(encoding="utf-8"))
    settings = load_training_settings()
    assert card["settings"] == settings
    assert card["settings_sha256"] == settings_hash(settings)
    data = (MODELS / ARTIFACT_NAME).read_bytes()
    assert card["artifact_sha256"] == hashlib.sha256(data).hexdigest()
    assert len(data) < 5 * 1024 * 1024
    header, _ = read_header(data, ARTIFACT_NAME)
    assert header["format_version"] == card["format_version"]
    model = load_model_file(MODELS / ARTIFACT_NAME)
    assert model.meta["settings_sha256"] == card["settings_sha256"]
    assert model.meta["training_data_sha256"] == card["training_data_sha256"]
    assert model.threshold == card["threshold"]
    # the generator still writes the same training texts (first paper of each type, exact text)
    assert card["generator_probe"] == generator_probe(settings), (
        "pipeline/synth now writes other training texts than when models/ was trained: run "
        "`sohoa train-classifier` and commit models/")

"""The artifact: round-trip, typed errors for corrupt or incompatible files, review threshold, household book."""

from __future__ import annotations

import json

import pytest

from pipeline.classify.model import (HOUSEHOLD_BOOK_NOTE, MAGIC, dump_bytes, load_model, load_model_file,
                                     loads_model, save_model)
from pipeline.classify.run import resolve_threshold
from pipeline.config import Settings
from pipeline.domain.papers import PaperType
from pipeline.errors import ModelCorruptError, ModelError, ModelIncompatibleError


def test_round_trip_keeps_predictions(small_model, birth_text, tmp_path):
    path = tmp_path / "classifier.bin"
    save_model(small_model, path)
    loaded = load_model_file(path)
    assert loaded.classes == small_model.classes
    assert loaded.predict_proba([birth_text]).tolist() == small_model.predict_proba([birth_text]).tolist()
    assert not list(tmp_path.glob("*.part"))  # the temporary file was renamed, not left behind


def test_load_model_caches_per_process(small_model, tmp_path):
    save_model(small_model, tmp_path / "classifier.bin")
    assert load_model(tmp_path) is load_model(tmp_path)


def _header_and_payload(data: bytes) -> tuple[dict, bytes]:
    rest = data[len(MAGIC):]
    newline = rest.index(b"\n")
    return json.loads(rest[:newline]), rest[newline + 1:]


def _with_header(header: dict, payload: bytes) -> bytes:
    return MAGIC + json.dumps(header).encode() + b"\n" + payload


def test_flipped_byte_is_corrupt_and_never_unpickled(small_model):
    data = bytearray(dump_bytes(small_model))
    data[-10] ^= 0xFF
    with pytest.raises(ModelCorruptError, match="SHA-256"):
        loads_model(bytes(data))


def test_truncated_file_is_corrupt(small_model):
    with pytest.raises(ModelCorruptError):
        loads_model(dump_bytes(small_model)[:-100])


def test_not_an_artifact_is_corrupt():
    with pytest.raises(ModelCorruptError, match="magic"):
        loads_model(b"\x80\x04not a model at all")


def test_other_format_version_is_incompatible(small_model):
    header, payload = _header_and_payload(dump_bytes(small_model))
    header["format_version"] = 999
    with pytest.raises(ModelIncompatibleError, match="format version"):
        loads_model(_with_header(header, payload))


def test_other_sklearn_version_is_incompatible(small_model):
    header, payload = _header_and_payload(dump_bytes(small_model))
    header["sklearn_version"] = "0.1.0"
    with pytest.raises(ModelIncompatibleError, match="scikit-learn"):
        loads_model(_with_header(header, payload))


def test_missing_model_names_the_command(tmp_path):
    with pytest.raises(ModelError, match="train-classifier"):
        load_model(tmp_path)


def test_every_prediction_has_a_confidence_and_low_ones_go_to_review(small_model, birth_text):
    [normal] = small_model.predict([birth_text])
    assert normal.type == PaperType.GIAY_KHAI_SINH
    assert 0.0 <= normal.confidence <= 1.0
    assert normal.needs_review == (normal.confidence < small_model.threshold)
    [strict] = small_model.predict([birth_text], threshold=normal.confidence + 1e-9)
    assert strict.needs_review and strict.type == PaperType.GIAY_KHAI_SINH


def test_settings_threshold_overrides_the_card(small_model):
    assert resolve_threshold(small_model, Settings(review_threshold=0.0)) == small_model.threshold
    assert resolve_threshold(small_model, Settings(review_threshold=0.97)) == 0.97


@pytest.mark.parametrize("title", ["SỔ HỘ KHẨU", "SO HO KHAU", "SỐ HỘ KHẨU"])
def test_household_book_is_khac_with_a_note(small_model, title):
    text = f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{title}\nSố: 123456\nHọ và tên chủ hộ: Lê Văn A"
    [prediction] = small_model.predict([text])
    assert prediction.type == PaperType.KHAC
    assert HOUSEHOLD_BOOK_NOTE in prediction.notes


def test_glyph_soup_goes_to_review(small_model):
    """An upside-down page OCRs into glyphs that are not Vietnamese: never assigned with confidence."""
    from pipeline.classify.model import UNREADABLE_NOTE

    soup = ("Øữ Su01T\n3unH uựnX 3uøJr] 3uønqxq u15 9H\nq Njd VN\nnn D00 nu ÁI dựud in giổ o2 8uen\n"
            "cư SON 123 0618 291A eno ẤT dpqd\nbOZ£O Q1 nội Ép uọq IẼH\nNVOH f1Iđ 111đ")
    [prediction] = small_model.predict([soup], threshold=0.01)
    assert prediction.needs_review and UNREADABLE_NOTE in prediction.notes
    assert prediction.confidence < 0.6

import unicodedata

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.errors import MissingDependencyError, OcrEngineError
from pipeline.ocr.engine import OcrEngine
from pipeline.ocr.tesseract import TesseractEngine, child_environment, debian_package, engine_from_settings


def test_tesseract_runs_single_threaded_whatever_the_parent_says(monkeypatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    assert child_environment()["OMP_THREAD_LIMIT"] == "1"


def test_engine_follows_settings_and_is_an_ocr_engine():
    engine = engine_from_settings(Settings(ocr_lang="vie+Vietnamese", ocr_timeout_seconds=7))
    assert isinstance(engine, OcrEngine)
    assert (engine.lang, engine.timeout_seconds) == ("vie+Vietnamese", 7.0)


def test_missing_program_names_the_debian_package():
    with pytest.raises(MissingDependencyError, match="tesseract-ocr"):
        TesseractEngine(cmd="/nonexistent/tesseract").recognize(np.full((20, 20), 255, np.uint8), dpi=300,
                                                                page_index=1)


def test_missing_language_data_names_the_debian_package():
    assert debian_package("vie") == "tesseract-ocr-vie"
    assert debian_package("Vietnamese") == "tesseract-ocr-script-viet"
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-zzq"):
        TesseractEngine(lang="vie+zzq").recognize(np.full((20, 20), 255, np.uint8), dpi=300, page_index=1)


def test_timeout_is_an_engine_error(rendered_page):
    with pytest.raises(OcrEngineError, match="longer than"):
        TesseractEngine(timeout_seconds=0.001).recognize(rendered_page, dpi=300, page_index=1)


@pytest.mark.slow
def test_rendered_page_reads_back_nfc_with_words_and_hocr(rendered_page):
    page = TesseractEngine().recognize(rendered_page, dpi=300, page_index=4)
    assert page.index == 4
    assert unicodedata.is_normalized("NFC", page.text)
    assert all(unicodedata.is_normalized("NFC", w.text) for w in page.words)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text
    assert "Dương" in page.text
    assert len(page.text.splitlines()) == 4
    assert page.mean_confidence > 80
    assert page.hocr and "ocrx_word" in page.hocr
    word = next(w for w in page.words if w.text == "CỘNG")
    assert 0 < word.left < 200 and word.width > 20 and word.height > 10

"""The OCR step's upside-down safety net: a low-confidence page is read again turned 180 degrees."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from pipeline.config import Settings
from pipeline.domain.records import OcrPage, OcrWord, PageImage, PreparedPage
from pipeline.errors import OcrEngineError
from pipeline.ocr.metrics import cer
from pipeline.ocr.run import (STEP_TURNED_AFTER_OCR, needs_upside_down_retry, ocr_pages, syllable_share,
                              turned_reads_better)
from pipeline.ocr.searchable_pdf import assemble_searchable_pdf, image_pdf, pages_from_prepared
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.preprocess.pipeline import PreprocessOptions, prepare

from ocr_fixtures import LINES

# Orientation detection switched off: the page reaches OCR exactly as it was fed in.
NO_ORIENT = functools.partial(prepare, options=PreprocessOptions(orient=False))


class CountingEngine:
    """Tesseract, counting its runs (inline only: one worker, nothing is pickled)."""

    name = "tesseract"

    def __init__(self) -> None:
        self.inner = TesseractEngine(lang="vie")
        self.calls = 0

    def version(self) -> str:
        return self.inner.version()

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        self.calls += 1
        return self.inner.recognize(image, dpi=dpi, page_index=page_index)

    def text_layer_pdf(self, image: np.ndarray, *, dpi: float) -> bytes:
        return self.inner.text_layer_pdf(image, dpi=dpi)


@pytest.fixture()
def one_worker(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, ocr_workers=1)


def _page(pixels: np.ndarray) -> PageImage:
    return PageImage(pixels=np.ascontiguousarray(pixels), source=Path("scan.png"), index=1, dpi=300)


@pytest.mark.slow
def test_a_page_left_upside_down_comes_back_upright_with_its_text(one_worker, rendered_page):
    engine = CountingEngine()
    (prepared, ocr), = ocr_pages([_page(rendered_page[::-1, ::-1])], one_worker, engine=engine,
                                 preparer=NO_ORIENT)
    assert engine.calls == 2
    assert cer("\n".join(LINES), ocr.text) < 0.05 and "CỘNG HÒA XÃ HỘI" in ocr.text
    assert ocr.rotation == prepared.rotation == 180
    assert STEP_TURNED_AFTER_OCR in prepared.steps and ocr.flags == []
    # The cleaned pixels were turned with the reading: the motto's boxes sit at the top of them.
    motto = [w for w in ocr.words if w.text == "CỘNG"]
    assert motto and motto[0].top < prepared.pixels.shape[0] / 4
    assert ocr.mean_confidence > 80


@pytest.mark.slow
def test_the_stored_page_and_its_text_layer_are_both_upright(one_worker, rendered_page):
    (prepared, ocr), = ocr_pages([_page(rendered_page[::-1, ::-1])], one_worker,
                                 engine=TesseractEngine(lang="vie"), preparer=NO_ORIENT)
    original, cleaned, dpi = pages_from_prepared([prepared])[0]
    assert np.array_equal(original, rendered_page)  # the colour original is turned by the same 180
    assert cleaned.shape[:2] == (ocr.height, ocr.width)  # the word boxes' frame
    pdf = assemble_searchable_pdf([image_pdf(original, dpi)], [ocr.text_layer])
    assert "VIỆT NAM" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.slow
def test_an_ordinary_page_is_read_once(one_worker, rendered_page):
    engine = CountingEngine()
    (prepared, ocr), = ocr_pages([_page(rendered_page)], one_worker, engine=engine, preparer=NO_ORIENT)
    assert engine.calls == 1
    assert ocr.rotation == prepared.rotation == 0 and STEP_TURNED_AFTER_OCR not in prepared.steps
    assert "CỘNG HÒA XÃ HỘI" in ocr.text


# --- the decision, with fake readings ------------------------------------------------------------
def _reading(text: str, confidence: float) -> OcrPage:
    words = [OcrWord(text=t, left=0, top=0, width=5, height=5, confidence=confidence, line=0) for t in text.split()]
    return OcrPage(index=1, text=text, words=words, mean_confidence=confidence)


def test_only_a_low_confidence_reading_with_words_is_retried():
    assert not needs_upside_down_retry(_reading("Độc lập Tự do Hạnh phúc", 91.0))
    assert needs_upside_down_retry(_reading("2nud qu€H 0p 4ä đệ[ ĐÓŒ", 48.0))
    assert not needs_upside_down_retry(OcrPage(index=1, text="", words=[], mean_confidence=0.0))


def test_a_confident_reading_of_glyph_soup_is_retried_too():
    # what vie+vie_best_int made of the 4-line test page upside down, at a mean confidence of 67
    soup = "Duong 16T, X ượp uguu ueg Áp) qunx OVS NVH dV2 ÏHON 1G AVIĐ 2nqd quPH - 0p đội 2Óq JXVN LJIA VIHĐN DHO"
    assert syllable_share(soup) < 0.5
    assert needs_upside_down_retry(_reading(soup, 67.1))
    # an upright card with its machine-readable zone is mostly syllables still
    card = "CĂN CƯỚC CÔNG DÂN Số 001089012345 Họ và tên NGUYỄN VĂN AN IDVNM0890123458001089012345<<2"
    assert not needs_upside_down_retry(_reading(card, 88.0))


def test_the_turned_reading_must_win_on_confidence_and_on_vietnamese_shaped_words():
    soup = _reading("2nud qu€H 0p 4ä đệ[ ĐÓŒ Án :m6 qun", 48.0)
    upright = _reading("Độc lập Tự do Hạnh phúc", 88.0)
    assert syllable_share(upright.text) == 1.0 and syllable_share(soup.text) <= 0.5
    assert turned_reads_better(soup, upright)
    assert not turned_reads_better(upright, soup)
    assert not turned_reads_better(soup, _reading("Độc lập Tự do Hạnh phúc", 55.0))  # gain under 10
    assert not turned_reads_better(soup, _reading("xyzq bcdf ĐÓŒ", 70.0))  # more confident, less Vietnamese


def _mixed(clear: str, soup: str, clear_conf: float, soup_conf: float) -> OcrPage:
    words = [OcrWord(text=t, left=0, top=0, width=5, height=5, confidence=clear_conf, line=0) for t in clear.split()]
    words += [OcrWord(text=t, left=0, top=0, width=5, height=5, confidence=soup_conf, line=1) for t in soup.split()]
    mean = sum(w.confidence for w in words) / len(words)
    return OcrPage(index=1, text=clear + "\n" + soup, words=words, mean_confidence=round(mean, 2))


def test_a_poor_turned_reading_with_clear_words_wins_over_soup():
    # a blurred card photo left upside down: both readings are poor (confidence 20-30), but only the
    # turned one has words read clearly ("CĂN CƯỚC CÔNG DÂN ..."), the upside-down one none
    first = _reading("2nud qu€H 0p 4ä đệ[ ĐÓŒ Án :m6 qun VW ĐI SEN", 22.0)
    soup = "xà hõi nhé tể xi vờ bà mé lê nô tà ru gi pho cô nà hê lu"
    turned = _mixed("CĂN CƯỚC CÔNG DÂN Độc lập Tự do", soup, 88.0, 5.0)
    assert turned.mean_confidence < first.mean_confidence + 10  # the confidence witness alone says no
    assert turned_reads_better(first, turned)
    assert not turned_reads_better(turned, first)
    # too few clear words, or no more than the first reading had: no turn
    assert not turned_reads_better(first, _mixed("CĂN CƯỚC", soup, 88.0, 25.0))
    assert not turned_reads_better(_mixed("Độc lập Tự do", "qu€H 0p 4ä đệ[", 88.0, 3.0), turned)


class _HalfTurnEngine:
    """Reads well only when the marker pixel is at the bottom right (the page was fed upside down)."""

    name = "fake"

    def __init__(self, fail_second: bool = False) -> None:
        self.calls, self.fail_second = 0, fail_second

    def version(self) -> str:
        return "fake 1"

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        self.calls += 1
        if self.calls == 2 and self.fail_second:
            raise OcrEngineError("tesseract failed: Segmentation fault")
        if image[-1, -1] == 0:
            return _reading("Độc lập Tự do Hạnh phúc", 90.0)
        return _reading("2nud qu€H 0p 4ä đệ[ ĐÓŒ", 45.0)

    def text_layer_pdf(self, image: np.ndarray, *, dpi: float) -> bytes:
        return b""


def _marked_preparer(page: PageImage, options=None, debug_dir=None) -> PreparedPage:
    return PreparedPage(pixels=page.pixels, source=page, rotation=90, skew=1.5, dpi=page.dpi)


def _marked_page() -> PageImage:
    pixels = np.full((40, 30), 255, np.uint8)
    pixels[0, 0] = 0  # upside down: the marker belongs at the bottom right
    return PageImage(pixels=pixels, source=Path("x.png"), index=1, dpi=200)


def test_the_turn_adds_to_the_rotation_already_applied_and_keeps_the_flags(one_worker):
    engine = _HalfTurnEngine()
    (prepared, ocr), = ocr_pages([_marked_page()], one_worker, engine=engine, preparer=_marked_preparer)
    assert engine.calls == 2 and ocr.text == "Độc lập Tự do Hạnh phúc"
    assert ocr.rotation == prepared.rotation == 270 and ocr.skew == 1.5 and ocr.flags == []
    assert prepared.pixels[-1, -1] == 0  # the kept cleaned page is the one that was read


def test_a_failed_second_run_keeps_the_first_reading(one_worker):
    engine = _HalfTurnEngine(fail_second=True)
    (prepared, ocr), = ocr_pages([_marked_page()], one_worker, engine=engine, preparer=_marked_preparer)
    assert engine.calls == 2 and ocr.mean_confidence == 45.0
    assert ocr.rotation == prepared.rotation == 90 and ocr.flags == []
    assert prepared.pixels[0, 0] == 0

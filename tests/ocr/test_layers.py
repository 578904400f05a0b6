"""The hOCR is written from the final words (pipeline/ocr/layers.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pipeline.domain.records import OcrWord
from pipeline.ocr.layers import to_hocr
from pipeline.ocr.tesseract import TesseractEngine

WORDS = [OcrWord("CỘNG", 100, 50, 170, 60, 92.6, 0, 1000), OcrWord("HÒA", 290, 52, 130, 48, 96.9, 0, 1000),
         OcrWord("Họ", 100, 200, 60, 40, 95.0, 1, 1), OcrWord("<tên>", 180, 200, 150, 40, 41.2, 1, 1),
         OcrWord("Nguyễn", 100, 260, 200, 42, 88.0, 2, 1)]


def test_hocr_holds_every_word_with_its_box_and_confidence_in_order() -> None:
    root = ET.fromstring(to_hocr(WORDS, 1200, 900).split("\n", 3)[3])  # past the XML prologue and doctype
    spans = [e for e in root.iter() if e.get("class") == "ocrx_word"]
    assert [e.text for e in spans] == [w.text for w in WORDS]  # "<tên>" escaped and read back
    assert spans[0].get("title") == "bbox 100 50 270 110; x_wconf 93"
    lines = [e for e in root.iter() if e.get("class") == "ocr_line"]
    assert len(lines) == 3 and lines[1].get("title") == "bbox 100 200 330 240"
    assert len([e for e in root.iter() if e.get("class") == "ocr_carea"]) == 2
    page = next(e for e in root.iter() if e.get("class") == "ocr_page")
    assert page.get("title") == "bbox 0 0 1200 900"


@pytest.mark.slow
def test_a_recognised_page_carries_hocr_of_its_final_words(rendered_page):
    page = TesseractEngine(lang="vie").recognize(rendered_page, dpi=300, page_index=1)
    root = ET.fromstring(page.hocr.split("\n", 3)[3])
    assert [e.text for e in root.iter() if e.get("class") == "ocrx_word"] == [w.text for w in page.words]

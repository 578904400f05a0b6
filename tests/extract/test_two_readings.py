"""A two-column paper is read twice (columns rebuilt from word boxes, and the OCR's reading order) and the
reading whose fields hold together better is kept (pipeline.extract.run.extract_document)."""

import json
from pathlib import Path

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, OcrPage, OcrWord
from pipeline.extract import extract_document
from pipeline.extract.columns import rebuild_columns
from pipeline.extract.run import extract_fields
from pipeline.extract.tables import TABLES

DATA = Path(__file__).parent / "data" / "marriage_photocopy_ocr.json"


def _page() -> tuple[OcrPage, dict[str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ocr = data["ocr"]
    words = [OcrWord(text=w[0], left=w[1], top=w[2], width=w[3], height=w[4], confidence=w[5], line=w[6],
                     block=w[7]) for w in ocr["words"]]
    page = OcrPage(index=1, text=ocr["text"], words=words, mean_confidence=ocr["mean_confidence"],
                   width=ocr["width"], height=ocr["height"])
    return page, data["truth"]


def test_the_reading_that_holds_together_is_kept() -> None:
    page, truth = _page()
    marriage = PaperType.GIAY_CHUNG_NHAN_KET_HON
    # the columns rebuilt from word boxes give the wife the husband's ID here
    rebuilt = rebuild_columns(page.words, TABLES[marriage].sections)
    assert rebuilt is not None
    assert extract_fields(marriage, rebuilt, page.words)["wife_id_number"].value == truth["husband_id_number"]
    doc = extract_document(Component(type=marriage, pages=[1], confidence=1.0, needs_review=False,
                                     text=page.text), [page])
    for name in ("wife_name", "wife_date_of_birth", "wife_id_number", "registered_on"):
        assert doc.fields[name].value == truth[name] and doc.fields[name].valid, name
    # the husband's birth year was misread (1965 for 1985): the ID number and the date disagree, and say so
    assert doc.fields["husband_id_number"].value == truth["husband_id_number"]
    assert not doc.fields["husband_date_of_birth"].valid

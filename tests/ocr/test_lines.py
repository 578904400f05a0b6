"""Lines read with low confidence are read again on their own (pipeline/ocr/lines.py)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from ocr_fixtures import FONT, render_lines
from ocr_fixtures import TSV_HEADER as HEADER
from ocr_fixtures import tsv_word as _row

from pipeline.errors import OcrEngineError
from pipeline.ocr import lines
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.text import parse_tsv


def _page_tsv() -> str:
    """Three lines 40 px high: a sure one, a weak one (block 2), a sure one; and a spliced picture word."""
    return "\n".join([
        HEADER,
        "4\t1\t1\t1\t1\t0\t100\t100\t400\t40\t-1\t",  # a line row: not a word
        _row(1, 1, 1, (100, 100, 180, 40), 96, "Họ"),
        _row(1, 1, 2, (300, 100, 200, 40), 95, "tên"),
        _row(2, 1, 1, (100, 200, 150, 40), 30, "Ngtiyễn"),
        _row(2, 1, 2, (270, 200, 150, 40), 55, "Vân"),
        _row(3, 1, 1, (100, 300, 300, 40), 92, "Nam"),
        _row(1001, 1, 1, (600, 300, 100, 40), 20, "Hà"),
    ]) + "\n"


def _sheet_reader(words_per_slot: list[list[tuple[str, float, int]]]):
    """A fake `read`: on the stacked sheet, puts the given (text, confidence, x on the crop) words
    in the middle of each crop, as Tesseract's TSV would."""
    calls: list[np.ndarray] = []

    def read(sheet: np.ndarray) -> str:
        calls.append(sheet)
        # a 40 px line is cut 72 px high (16 px above and below): the gap is 72, crop k starts at 72 + 144 k
        rows = [_row(1, k + 1, n + 1, (x + 72, 72 + k * 144 + 8, 60, 40), conf, text)
                for k, slot in enumerate(words_per_slot) for n, (text, conf, x) in enumerate(slot)]
        return "\n".join([HEADER, *rows]) + "\n"

    return read, calls


def test_page_lines_groups_words_and_leaves_spliced_pictures_out() -> None:
    found = lines.page_lines(_page_tsv().splitlines())
    assert [line.texts for line in found] == [["Họ", "tên"], ["Ngtiyễn", "Vân"], ["Nam"]]
    assert (found[0].left, found[0].top, found[0].width, found[0].height) == (100, 100, 400, 40)


@pytest.mark.parametrize(("confidences", "height", "weak"), [
    ([96, 95], 40, False),
    ([70, 72], 40, True),  # mean under 75
    ([96, 35], 40, True),  # one word under 40
    ([30, 30], 150, False),  # a heading or picture, not an ordinary line
    ([30, 30], 10, False),  # a speck row
])
def test_is_weak(confidences: list[float], height: int, weak: bool) -> None:
    line = lines.Line(0, 0, 100, height, rows=[1, 2], texts=["a", "b"], confidences=confidences)
    assert lines.is_weak(line, median_height=40) is weak


def test_stack_and_words_by_slot_map_words_back_to_the_page() -> None:
    crops = [np.zeros((30, 100), np.uint8), np.zeros((50, 80), np.uint8)]
    sheet, slots, gap = lines.stack(crops)
    assert gap == 50 and slots == [(50, 80), (130, 180)]
    assert sheet.shape == (50 + 30 + 50 + 50 + 50, 100 + 100)
    assert (sheet[50:80, 50:150] == 0).all() and (sheet[:50] == 255).all()
    tsv = "\n".join([HEADER, _row(1, 1, 1, (60, 55, 20, 20), 90, "a"), _row(1, 2, 1, (70, 140, 10, 30), 80, "b"),
                     _row(1, 2, 2, (55, 135, 10, 30), 80, "c")])
    found = lines.words_by_slot(tsv, slots, gap, [(1000, 2000), (10, 20)])
    assert [(w.text, w.left, w.top) for w in found[0]] == [("a", 1010, 2005)]
    assert [(w.text, w.left, w.top) for w in found[1]] == [("c", 15, 25), ("b", 30, 30)]  # left to right


@pytest.mark.parametrize(("texts", "confidences", "kept"), [
    (["Nguyễn", "Vân"], [80, 90], True),
    (["Nguyễn", "Vân"], [38, 45], False),  # less sure than the first reading (42.5)
    (["Ng"], [95], False),  # lost most of the line
    (["Nguyễn", "Vân", "Ủy", "ban", "nhân"], [95] * 5, False),  # took in a neighbour's words
    ([], [], False),
])
def test_reads_better(texts: list[str], confidences: list[float], kept: bool) -> None:
    line = lines.Line(0, 0, 300, 40, rows=[1, 2], texts=["Ngtiyễn", "Vân"], confidences=[30, 55])
    words = [lines.Word(t, c, 0, 0, 10, 10) for t, c in zip(texts, confidences)]
    assert lines.reads_better(line, words) is kept


def test_reread_replaces_only_the_weak_line_keeping_its_numbers() -> None:
    image = np.full((500, 800), 255, np.uint8)
    read, calls = _sheet_reader([[("Nguyễn", 91.0, 10), ("Vân", 93.0, 180)]])
    tsv, weak, replaced = lines.reread_weak_lines(_page_tsv(), image, read)
    assert (weak, replaced, len(calls)) == (1, 1, 2)  # the sheet as it is, and darkened
    words = parse_tsv(tsv)
    assert [w.text for w in words] == ["Họ", "tên", "Nguyễn", "Vân", "Nam", "Hà"]
    new = [w for w in words if w.text in ("Nguyễn", "Vân")]
    assert {w.block for w in new} == {2}
    assert len({w.line for w in new}) == 1
    # crop origin: the line's box (100, 200) less its margin (0.6 x 40 = 24 across, 0.4 x 40 = 16 down)
    assert (new[0].left, new[0].top) == (100 - 24 + 10, 200 - 16 + 8)
    assert (new[1].left, new[0].confidence) == (100 - 24 + 180, 91.0)


def test_reread_keeps_the_first_reading_when_the_second_is_not_better_or_fails() -> None:
    image = np.full((500, 800), 255, np.uint8)
    read, _ = _sheet_reader([[("Ngtiy", 20.0, 10), ("Vn", 25.0, 180)]])
    assert lines.reread_weak_lines(_page_tsv(), image, read) == (_page_tsv(), 1, 0)

    def broken(sheet: np.ndarray) -> str:
        raise OcrEngineError("tesseract failed: out of memory")

    assert lines.reread_weak_lines(_page_tsv(), image, broken) == (_page_tsv(), 1, 0)


def test_darken_pulls_gray_ink_towards_black_and_keeps_paper_white() -> None:
    out = lines.darken(np.array([[0, 170, 230, 255]], np.uint8))
    assert out.tolist() == [[0, 139, 218, 255]]


@pytest.mark.parametrize(("plain", "dark", "expected"), [
    (30.0, 90.0, "Vân"),  # the darkened sheet read surer
    (90.0, 30.0, "Văn"),  # the plain one did
])
def test_each_line_takes_the_surer_of_the_plain_and_darkened_readings(plain: float, dark: float,
                                                                     expected: str) -> None:
    image = np.full((500, 800), 255, np.uint8)
    sheets: list[np.ndarray] = []

    def read(sheet: np.ndarray) -> str:
        sheets.append(sheet)
        text, conf = ("Văn", plain) if len(sheets) == 1 else ("Vân", dark)
        return "\n".join([HEADER, _row(1, 1, 1, (72, 80, 60, 40), conf, "Nguyễn"),
                          _row(1, 1, 2, (250, 80, 60, 40), conf, text)]) + "\n"

    tsv, _, replaced = lines.reread_weak_lines(_page_tsv(), image, read)
    assert replaced == 1 and expected in [w.text for w in parse_tsv(tsv)]
    assert len(sheets) == 2 and sheets[1].shape == sheets[0].shape


def test_a_page_without_weak_lines_costs_no_second_run() -> None:
    sure = "\n".join([HEADER, _row(1, 1, 1, (100, 100, 180, 40), 96, "Họ")]) + "\n"
    read, calls = _sheet_reader([])
    assert lines.reread_weak_lines(sure, np.full((300, 300), 255, np.uint8), read) == (sure, 0, 0)
    assert calls == []


@pytest.mark.skipif(shutil.which("tesseract") is None or not FONT.exists(), reason="needs tesseract and DejaVu")
def test_tesseract_reads_the_stacked_sheet_back_onto_the_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real engine, a page's lines, all taken as weak, come back as the same words in the same places."""
    page = render_lines()
    engine = TesseractEngine()
    first = engine._run(page, 300, ["tsv"], [])["tsv"].decode("utf-8")
    lines_before = lines.page_lines(first.splitlines())
    monkeypatch.setattr(lines, "WEAK_MEAN", 101.0)  # every line is weak
    tsv, weak, replaced = lines.reread_weak_lines(
        first, page, lambda sheet: engine._run(sheet, 300, ["tsv"], [], psm=lines.STACK_PSM)["tsv"].decode("utf-8"))
    assert weak == len(lines_before) == 4
    after = lines.page_lines(tsv.splitlines())
    assert [" ".join(line.texts) for line in after] == [" ".join(line.texts) for line in lines_before]
    for old, new in zip(lines_before, after):
        assert abs(old.left - new.left) <= 3 and abs(old.top - new.top) <= 3


def test_the_sheet_stays_within_the_side_tesseract_accepts() -> None:
    # a sideways page: Tesseract's "lines" are columns of letters over a thousand pixels tall
    crops = [np.zeros((1500, 900), np.uint8) for _ in range(14)]
    n = lines.fitting(crops)
    assert 0 < n < len(crops)
    assert max(lines.sheet_size(crops[:n])) <= lines.MAX_SHEET_SIDE < max(lines.sheet_size(crops[:n + 1]))
    assert lines.fitting([np.zeros((40, 600), np.uint8)] * 3) == 3
    assert lines.fitting([np.zeros((40, lines.MAX_SHEET_SIDE), np.uint8)]) == 0  # one crop too wide alone


def test_weak_lines_beyond_the_sheet_limit_keep_their_first_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines, "MAX_SHEET_SIDE", 100)  # the 72 px crop of the weak line no longer fits
    image = np.full((500, 800), 255, np.uint8)
    read, calls = _sheet_reader([[("Nguyễn", 91.0, 10), ("Vân", 93.0, 180)]])
    assert lines.reread_weak_lines(_page_tsv(), image, read) == (_page_tsv(), 1, 0)
    assert calls == []  # no Tesseract run on a sheet it would refuse

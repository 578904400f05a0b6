"""ocr_pages with fake and faulty engines (fault injection, as OCRmyPDF's tests/plugins)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import Settings
from pipeline.domain.records import OcrPage, OcrWord, PageImage, PreparedPage
from pipeline.errors import EmptyFileError, OcrEngineError, UnreadableImageError
from pipeline.intake import PageError
from pipeline.ocr.engine import OcrEngine
from pipeline.ocr.run import FileOcrResult, ocr_pages


def gray_preparer(page: PageImage, options=None, debug_dir: Path | None = None) -> PreparedPage:
    """A stand-in for preprocessing: gray, 'blank' when the page is uniform, skew 1.5."""
    pixels = page.pixels.mean(axis=2).astype(np.uint8) if page.pixels.ndim == 3 else page.pixels
    if debug_dir is not None:
        (debug_dir / f"p{page.index:04d}_gray.txt").write_text("gray", encoding="utf-8")
    flags = ["blank"] if pixels.std() < 1 else []
    return PreparedPage(pixels=pixels, source=page, rotation=90, skew=1.5, flags=flags, dpi=page.dpi)


class FakeEngine:
    """Reads the page number painted in the top-left pixel; text arrives decomposed (NFD)."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def version(self) -> str:
        return "fake 1"

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        self.calls += 1
        text = unicodedata.normalize("NFD", f"trang số {int(np.ravel(image[0, 0])[0])}")
        return OcrPage(index=page_index, text=unicodedata.normalize("NFC", text),
                       words=[OcrWord(text="trang", left=0, top=0, width=5, height=5, confidence=90, line=0)],
                       mean_confidence=90.0, width=image.shape[1], height=image.shape[0])

    def text_layer_pdf(self, image: np.ndarray, *, dpi: float) -> bytes:
        return b""


class CrashingEngine(FakeEngine):
    """Fails on page 2 as Tesseract does when it crashes or times out."""

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        if page_index == 2:
            raise OcrEngineError("tesseract failed: Segmentation fault")
        return super().recognize(image, dpi=dpi, page_index=page_index)


class KillerEngine(FakeEngine):
    """Takes its worker process down on page 3, as the OOM killer would."""

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        if page_index == 3:
            os._exit(9)
        return super().recognize(image, dpi=dpi, page_index=page_index)


def make_pages(n: int, blank: set[int] = frozenset()) -> list[PageImage]:
    pages = []
    for index in range(1, n + 1):
        pixels = np.full((40, 30, 3), 255, np.uint8)
        if index not in blank:
            pixels[5:30, 5:25] = 0
            pixels[0, 0] = index
        pages.append(PageImage(pixels=pixels, source=Path("x.pdf"), index=index, dpi=200))
    return pages


@pytest.fixture()
def one_worker(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, ocr_workers=1)


def test_a_fake_engine_passes_through_the_stages(one_worker):
    engine = FakeEngine()
    assert isinstance(engine, OcrEngine)
    results = list(ocr_pages(make_pages(3), one_worker, engine=engine, preparer=gray_preparer))
    assert [ocr.index for _, ocr in results] == [1, 2, 3]
    assert [ocr.text for _, ocr in results] == ["trang số 1", "trang số 2", "trang số 3"]
    prepared, ocr = results[0]
    assert (ocr.rotation, ocr.skew, ocr.flags) == (90, 1.5, [])
    assert ocr.ms > 0 and prepared.source.pixels.shape == (40, 30, 3)


def test_blank_pages_are_flagged_and_not_sent_to_the_engine(one_worker):
    engine = FakeEngine()
    results = list(ocr_pages(make_pages(3, blank={2}), one_worker, engine=engine, preparer=gray_preparer))
    assert engine.calls == 2
    assert results[1][1].flags == ["blank"] and results[1][1].text == ""


def test_a_crashing_engine_flags_its_page_and_the_others_continue(one_worker):
    results = list(ocr_pages(make_pages(3), one_worker, engine=CrashingEngine(), preparer=gray_preparer))
    flags = [ocr.flags for _, ocr in results]
    assert flags == [[], ["ocr_failed", "ocr_engine_error"], []]
    assert results[2][1].text == "trang số 3"


def test_a_failing_preprocessor_still_gets_the_page_read(one_worker):
    def broken(page, options=None, debug_dir=None):
        raise ValueError("boom")

    (prepared, ocr), = ocr_pages(make_pages(1), one_worker, engine=FakeEngine(), preparer=broken)
    assert ocr.flags == ["preprocess_failed"] and ocr.text == "trang số 1"


def test_debug_dir_keeps_each_pages_intermediates_and_text(one_worker, tmp_path):
    list(ocr_pages(make_pages(2), one_worker, tmp_path / "dbg", engine=FakeEngine(), preparer=gray_preparer))
    assert (tmp_path / "dbg" / "p0002_gray.txt").exists()
    assert (tmp_path / "dbg" / "p0002_ocr.txt").read_text(encoding="utf-8") == "trang số 2"


def test_an_unusable_file_raises_its_input_error(one_worker):
    def pages():
        yield make_pages(1)[0]
        raise EmptyFileError("the file is empty")

    with pytest.raises(EmptyFileError):
        list(ocr_pages(pages(), one_worker, engine=FakeEngine(), preparer=gray_preparer))


def test_a_page_intake_could_not_read_is_flagged_in_its_place(one_worker):
    pages = make_pages(3)
    pages[1] = PageError(source=Path("x.tif"), index=2, error=UnreadableImageError("strip past the end"))
    results = list(ocr_pages(pages, one_worker, engine=FakeEngine(), preparer=gray_preparer))
    assert [ocr.flags for _, ocr in results] == [[], ["unreadable_page", "unreadable_image"], []]


def test_worker_pool_keeps_page_order_and_survives_a_killed_worker(tmp_path):
    settings = Settings(data_dir=tmp_path, ocr_workers=2)
    pages = make_pages(7, blank={5})
    pages[6] = PageError(source=Path("x.tif"), index=7, error=UnreadableImageError("strip past the end"))
    results = list(ocr_pages(pages, settings, engine=KillerEngine(), preparer=gray_preparer))
    assert [ocr.index for _, ocr in results] == [1, 2, 3, 4, 5, 6, 7]
    assert results[2][1].flags == ["ocr_failed", "worker_died"]
    assert results[4][1].flags == ["blank"]
    assert results[6][1].flags == ["unreadable_page", "unreadable_image"]
    assert [results[i][1].text for i in (0, 1, 3, 5)] == ["trang số 1", "trang số 2", "trang số 4", "trang số 6"]
    # the parent re-attaches the original pixels that were not shipped back from the worker
    assert all(prepared.source.pixels.shape == (40, 30, 3) for prepared, _ in results[:6])


def test_json_shape_is_the_pinned_one(one_worker):
    pages = [ocr for _, ocr in ocr_pages(make_pages(2, blank={2}), one_worker, engine=FakeEngine(),
                                         preparer=gray_preparer)]
    data = FileOcrResult(file=Path("a.pdf"), pages=pages).to_json()
    assert set(data) == {"file", "pages"} and data["file"] == "a.pdf"
    for page in data["pages"]:
        assert set(page) == {"index", "text", "mean_confidence", "rotation", "skew", "flags", "ms"}
        assert isinstance(page["index"], int) and isinstance(page["text"], str)
        assert isinstance(page["mean_confidence"], float) and 0 <= page["mean_confidence"] <= 100
        assert isinstance(page["rotation"], int) and isinstance(page["skew"], float)
        assert isinstance(page["ms"], int) and all(isinstance(f, str) for f in page["flags"])
    assert [p["index"] for p in data["pages"]] == [1, 2] and data["pages"][1]["flags"] == ["blank"]


def test_callers_that_only_want_text_do_not_get_the_cleaned_image_back(one_worker):
    (prepared, ocr), = ocr_pages(make_pages(1), one_worker, engine=FakeEngine(), preparer=gray_preparer,
                                 keep_pixels=False)
    assert prepared.pixels.size == 0 and ocr.text == "trang số 1"


def test_queued_pages_wait_in_files_that_are_removed_and_the_source_comes_back_intact(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings = Settings(data_dir=tmp_path / "data", ocr_workers=2)
    pages = make_pages(5)
    originals = [page.pixels.copy() for page in pages]
    results = list(ocr_pages(iter(pages), settings, engine=FakeEngine(), preparer=gray_preparer))
    assert all(np.array_equal(prepared.source.pixels, original)
               for (prepared, _), original in zip(results, originals))
    lean = list(ocr_pages(iter(make_pages(3)), settings, engine=FakeEngine(), preparer=gray_preparer,
                          keep_source=False))
    assert [ocr.text for _, ocr in lean] == ["trang số 1", "trang số 2", "trang số 3"]
    assert all(prepared.source.pixels.size == 0 for prepared, _ in lean)
    assert not list(tmp_path.glob("sohoa-pages-*"))  # the spill folder is gone


def test_pages_of_several_files_with_the_same_numbers_keep_their_own_pixels(tmp_path):
    settings = Settings(data_dir=tmp_path, ocr_workers=2)

    def stream():  # made on the fly and dropped once queued, as intake does: page numbers 1, 2 per file
        for number in range(4):
            for page in make_pages(2):
                page.pixels[0, 0] = 10 * number + page.index  # which file, which page
                yield page

    results = list(ocr_pages(stream(), settings, engine=FakeEngine(), preparer=gray_preparer))
    assert [int(prepared.source.pixels[0, 0, 0]) for prepared, _ in results] == [1, 2, 11, 12, 21, 22, 31, 32]


def busy_sleepy_preparer(page: PageImage, options=None, debug_dir: Path | None = None) -> PreparedPage:
    """Burns 50 ms of CPU, then sleeps 200 ms (time that costs no CPU)."""
    started = time.thread_time()
    while time.thread_time() - started < 0.05:
        pass
    time.sleep(0.2)
    return gray_preparer(page, options, debug_dir)


class ChildProcessEngine(FakeEngine):
    """Runs a child process that burns 100 ms of CPU, as Tesseract runs in its own process."""

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.1: pass"
        subprocess.run([sys.executable, "-c", burn], check=True)
        return super().recognize(image, dpi=dpi, page_index=page_index)


def test_cpu_time_is_measured_apart_from_wall_time_and_counts_the_engine_processes(one_worker):
    [(prepared, ocr)] = ocr_pages(make_pages(1), one_worker, engine=ChildProcessEngine(),
                                  preparer=busy_sleepy_preparer)
    assert prepared.cpu_ms >= 50 and prepared.cpu_ms < 150  # the busy part, not the sleep
    assert prepared.ms >= 250  # the sleep is in the wall time (prepare's own clock, or PageJob's)
    assert ocr.cpu_ms - prepared.cpu_ms >= 100  # the engine's child process
    assert ocr.ms >= prepared.ms

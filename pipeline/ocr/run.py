"""Preprocess + OCR over the pages of a file, one single-threaded worker process per core.

Workers run `page -> (PreparedPage, OcrPage)`; the parent keeps at most one page per worker plus
one in flight and yields results in page order, so a long PDF never sits in memory at once. A page that
fails (engine error, crashed worker) comes back flagged "ocr_failed" and the others go on; only
an unusable file raises (the typed `InputError` from intake).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import logging
import multiprocessing
import os
import re
import resource
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from pipeline.domain.idnumber import mask_ids_in
from pipeline.domain.records import OcrPage, PageImage, PreparedPage
from pipeline.domain.vntext import SYLLABLE, fold, is_syllable, strip_diacritics
from pipeline.errors import MissingDependencyError, SohoaError
from pipeline.ocr.engine import OcrEngine
from pipeline.ocr.leaders import erase_leaders
from pipeline.ocr.tesseract import engine_from_settings

if TYPE_CHECKING:  # workers import this module: pydantic settings stay out of them
    from pipeline.config import Settings

log = logging.getLogger(__name__)

Preparer = Callable[..., PreparedPage]  # prepare(page, options=None, debug_dir=None)
PageResult = tuple[PreparedPage, OcrPage]

FLAG_OCR_FAILED = "ocr_failed"
FLAG_PREPROCESS_FAILED = "preprocess_failed"
FLAG_NO_TEXT = "no_text"
FLAG_WORKER_DIED = "worker_died"
FLAG_UNREADABLE_PAGE = "unreadable_page"
_NO_PIXELS = np.empty((0, 0), np.uint8)  # a page or prepared page whose pixels were dropped
EXTRA_IN_FLIGHT = 1  # pages queued beyond one per worker: enough to keep every worker busy
STEP_TURNED_AFTER_OCR = "turned_180_after_ocr"  # PreparedPage.steps: the OCR step turned the page

# The upside-down safety net (`PageJob._retry_upside_down`), measured 2026-11-28 by running the
# pipeline with and without it on the same code:
# - 80 generated pages (seeds 130/131, 16 per level): triggered on 1, turned it (a phone_photo page
#   orientation had left upside down, CER 85 -> 8 %; phone_photo 13.3 -> 3.6 %); 79 pages identical.
# - 34 phone_photo/hard pages the degrader had turned 90/180/270 (seeds 150/151): triggered on 4 left
#   upside down, turned all 4 (hard 26.6 -> 15.1 %); half-turn errors 4 -> 0.
# - 60 CCCD card pages, phone_photo/hard (seeds 160/161): cards read at low confidence, so it triggered
#   on 25 and turned 11, each to the right orientation (CER 37.1 -> 26.4 %; half-turn errors 11 -> 0).
# - the 9 real scans (check only): no trigger, unchanged.
# A trigger costs one more Tesseract run of that page (0.2-2.2 s more wall time here); other pages
# cost nothing. Readings of right-way-up full pages had a mean word confidence of 64.6-96.2,
# upside-down readings 24-52.
# Quarter turns get no net of their own: no page in these 174 was left off by 90/270 (all orientation
# misses were half turns). Tesseract (psm 3) reads an upright page turned a quarter clockwise at about
# the same confidence (16 pages: within -6..+11 points) and one turned counter-clockwise as soup
# (34-48), which this net would turn into the readable quarter.
RETRY_BELOW_CONFIDENCE = 65.0
# Read with vie+vie_best_int (ocr.tesseract.DEFAULT_LANG), Tesseract's second model lifts the confidence
# of glyph soup too: a 4-line page left upside down read at 57.7 with vie alone, 67.1 with both, over
# the trigger. So a reading whose letter runs are mostly not Vietnamese syllables (`syllable_share`)
# triggers as well: that page's share was 0.17; upright readings of 169 dev pages read with both models
# (seeds 700100-05, 700200-02, 700300-03, cards included) had 0.65 or more, of 209 more dev pages' texts
# (seeds 61, 71, 81, and the 9 real scans) 0.71 or more.
UPRIGHT_SYLLABLE_SHARE = 0.5
CLEAR_WORDS_MIN = 5  # `turned_reads_better`: the second witness, on words read with confidence
CLEAR_WORDS_RATIO = 3
TURN_MIN_GAIN = 10.0  # the turned reading must be this many confidence points better ...
# ... and at least as Vietnamese-shaped: initial consonant(s), 1-3 vowels, final consonant(s),
# once diacritics are gone (the shape pipeline.classify.features.readability counts; stages do not
# import each other, so the pattern is repeated here).
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


@dataclasses.dataclass
class FileOcrResult:
    """What `sohoa ocr FILE` prints: one OcrPage per page, in page order."""

    file: Path
    pages: list[OcrPage]
    engine: str = ""

    def to_json(self) -> dict[str, Any]:
        """The pinned shape of `sohoa ocr --json` (other tools parse it)."""
        return {"file": str(self.file), "pages": [
            {"index": int(p.index), "text": p.text, "mean_confidence": float(p.mean_confidence),
             "rotation": int(p.rotation), "skew": float(p.skew), "flags": [str(f) for f in p.flags],
             "ms": int(round(p.ms))}
            for p in self.pages]}


def ocr_file(path: Path, settings: Settings, debug_dir: Path | None = None) -> FileOcrResult:
    """Read every page of one file (PDF, TIFF, JPEG, PNG, WebP, HEIC). Raises InputError if unusable."""
    from pipeline.intake import iter_pages_safe

    engine = engine_from_settings(settings)
    unreadable: list[Any] = []

    def pages() -> Iterator[Any]:
        for item in iter_pages_safe(path, settings):
            if not isinstance(item, PageImage):
                unreadable.append(item)
            yield item

    # iter_pages_safe: a page that cannot be decoded comes back flagged, the others are still read;
    # when no page at all can be decoded the file is unusable (its InputError, exit 2).
    results = [ocr for _, ocr in ocr_pages(pages(), settings, debug_dir, engine=engine, keep_pixels=False,
                                           keep_source=False)]
    if unreadable and len(unreadable) == len(results):
        raise unreadable[0].error
    return FileOcrResult(file=path, pages=results, engine=engine.version())


def ocr_pages(pages: Iterable[PageImage | Any], settings: Settings, debug_dir: Path | None = None, *,
              engine: OcrEngine | None = None, preparer: Preparer | None = None,
              workers: int | None = None, keep_pixels: bool = True,
              keep_source: bool = True) -> Iterator[PageResult]:
    """Preprocess and OCR `pages`, yielding (PreparedPage, OcrPage) in page order.

    `settings.workers` processes (override with `workers`; 1 runs inline); `engine` defaults to
    Tesseract as configured, `preparer` to `pipeline.preprocess.pipeline.prepare`. Both must be
    picklable (module-level) to cross into the workers. Blank pages are not sent to the engine.
    `keep_pixels=False` returns PreparedPages without their cleaned image (less memory and copying);
    `keep_source=False` returns them without the original pixels too (queued pages wait in temp
    files either way; see `SpilledPage`).
    A `pipeline.intake.PageError` among `pages` (from `iter_pages_safe`) comes back in its place as
    a page flagged "unreadable_page" and its error code.
    """
    job = PageJob(engine=engine or engine_from_settings(settings), preparer=preparer, debug_dir=debug_dir,
                  keep_pixels=keep_pixels)
    count = max(1, workers if workers is not None else settings.workers)
    if count == 1:
        for page in pages:
            yield job(page, strip_source=False) if isinstance(page, PageImage) else _unreadable(page)
        return
    yield from _pooled(pages, job, count, keep_source)


@dataclasses.dataclass(frozen=True)
class PageJob:
    """The work for one page, run in a worker process: preprocess, quality gate, OCR."""

    engine: OcrEngine
    preparer: Preparer | None = None
    debug_dir: Path | None = None
    erase_leaders: bool = True  # dotted form leaders make Tesseract invent words (pipeline.ocr.leaders)
    keep_pixels: bool = True  # False: drop the cleaned image once read (callers that only want text)
    upside_down_retry: bool = True  # re-read a low-confidence page turned 180 degrees (see below)

    def __call__(self, page: PageImage | SpilledPage, strip_source: bool = True) -> PageResult:
        started = time.perf_counter()
        cpu_started, children_started = time.thread_time(), _children_cpu()
        if isinstance(page, SpilledPage):
            page = page.load()
        page_debug = self.debug_dir  # preprocessing names its files p<index>_<nn>_<stage>.png
        if page_debug:
            page_debug.mkdir(parents=True, exist_ok=True)
        flags: list[str] = []
        try:
            prepared = (self.preparer or _default_preparer())(page, debug_dir=page_debug)
        except MissingDependencyError:
            raise
        except Exception as exc:  # noqa: BLE001 - a page's failure must not stop the file
            _log_failure("preprocessing", page.index, exc)
            prepared = PreparedPage(pixels=page.pixels, source=page, flags=[], dpi=page.dpi)
            flags.append(FLAG_PREPROCESS_FAILED)
        prep_ms = (time.perf_counter() - started) * 1000.0
        prepared.cpu_ms = (time.thread_time() - cpu_started) * 1000.0
        if strip_source and prepared.pixels is not page.pixels:
            # The parent still holds (or can reload) the original: free this copy before Tesseract
            # runs, the longest phase (26 MB per worker on a 300-dpi A4 colour page).
            page = dataclasses.replace(page, pixels=_NO_PIXELS)
            prepared.source = page
        if not prepared.ms:
            prepared.ms = prep_ms
        flags = list(prepared.flags) + flags
        if prepared.blank:
            ocr = OcrPage(index=page.index, text="", words=[], mean_confidence=0.0)
        else:
            try:
                pixels = prepared.pixels
                release_free_heap()  # what preprocessing freed, before the leader search allocates again
                if self.erase_leaders:
                    pixels = erase_leaders(pixels, prepared.dpi or page.dpi)
                if page_debug and pixels is not prepared.pixels:
                    cv2.imwrite(str(page_debug / f"p{page.index:04d}_ocr_input.png"), pixels)
                release_free_heap()  # the worker waits on Tesseract, the longest phase, at its smallest
                ocr = self.engine.recognize(pixels, dpi=prepared.dpi or page.dpi, page_index=page.index)
                if self.upside_down_retry and needs_upside_down_retry(ocr):
                    ocr = self._retry_upside_down(prepared, pixels, ocr, page_debug)
            except MissingDependencyError:
                raise
            except Exception as exc:  # noqa: BLE001 - flagged, and the other pages go on
                _log_failure("OCR", page.index, exc)
                ocr = OcrPage(index=page.index, text="", words=[], mean_confidence=0.0)
                flags += [FLAG_OCR_FAILED, getattr(exc, "code", type(exc).__name__)]
            else:
                if not ocr.words and FLAG_OCR_FAILED not in flags:
                    flags.append(FLAG_NO_TEXT)
        ocr.index = page.index
        ocr.rotation, ocr.skew = int(prepared.rotation), float(prepared.skew)
        ocr.flags = list(dict.fromkeys(flags + [f for f in ocr.flags if f not in flags]))
        ocr.ms = (time.perf_counter() - started) * 1000.0
        ocr.cpu_ms = (time.thread_time() - cpu_started + _children_cpu() - children_started) * 1000.0
        if page_debug:
            (page_debug / f"p{page.index:04d}_ocr.txt").write_text(ocr.text, encoding="utf-8")
            if ocr.hocr:
                (page_debug / f"p{page.index:04d}_ocr.hocr").write_text(ocr.hocr, encoding="utf-8")
        if strip_source:  # the parent still holds the original pixels: do not ship them back
            prepared.source = dataclasses.replace(page, pixels=_NO_PIXELS)
        if not self.keep_pixels:
            prepared.pixels = _NO_PIXELS
        return prepared, ocr


    def _retry_upside_down(self, prepared: PreparedPage, pixels: np.ndarray, ocr: OcrPage,
                           page_debug: Path | None) -> OcrPage:
        """Read the page turned 180 degrees; keep that reading, and turn `prepared` with it, if it is better.

        Coarse orientation (pipeline.preprocess.orient) accepts a claimed 180 turn only when
        confirmed, so a page it left upside down reads as glyph soup at a low confidence. The turn
        is applied to the prepared page itself (pixels, `rotation`), so everything downstream
        agrees: the words, hOCR and text layer come from the turned pixels, and the searchable PDF
        turns the colour original by `prepared.rotation` (searchable_pdf.pages_from_prepared)
        before laying that text layer over it. A failure of the second run keeps the first reading.
        """
        turned = _half_turn(pixels)
        try:
            other = self.engine.recognize(turned, dpi=prepared.dpi or prepared.source.dpi, page_index=ocr.index)
        except MissingDependencyError:
            raise
        except Exception as exc:  # noqa: BLE001 - the first reading stands
            _log_failure("OCR of the page turned 180", ocr.index, exc)
            return ocr
        if not turned_reads_better(ocr, other):
            log.info("page %d: low confidence (%.0f), not upside down (turned: %.0f)", ocr.index,
                     ocr.mean_confidence, other.mean_confidence)
            return ocr
        log.info("page %d: read upside down (confidence %.0f); turned 180 it reads at %.0f", ocr.index,
                 ocr.mean_confidence, other.mean_confidence)
        prepared.pixels = _half_turn(prepared.pixels)
        prepared.rotation = (int(prepared.rotation) + 180) % 360
        prepared.steps = [*prepared.steps, STEP_TURNED_AFTER_OCR]
        if page_debug:
            cv2.imwrite(str(page_debug / f"p{ocr.index:04d}_ocr_input_turned.png"), turned)
        return other


def _half_turn(image: np.ndarray) -> np.ndarray:
    """The image turned 180 degrees (exact; as pipeline.preprocess.orient.rotate_quarters(image, 180))."""
    return np.ascontiguousarray(image[::-1, ::-1])


def syllable_share(text: str) -> float:
    """Share of the letter runs of `text` shaped like Vietnamese syllables (0 when there are none)."""
    words = _LETTER_RUNS.findall(strip_diacritics(fold(text or "")).lower())
    return sum(1 for w in words if SYLLABLE.match(w)) / len(words) if words else 0.0


def _read_words(ocr: OcrPage) -> str:
    """All the words Tesseract read, joined; the page text when there are no words. The 180 decision
    weighs what was read, not what the text assembly (ocr.text: debris, marks beside lines) kept of it,
    so a change to that assembly never flips a page's turn."""
    return " ".join(w.text for w in ocr.words) if ocr.words else ocr.text


def needs_upside_down_retry(ocr: OcrPage) -> bool:
    """A reading bad enough to try the page turned 180: some words, and a mean confidence under 65 or
    mostly words that are not Vietnamese syllables (UPRIGHT_SYLLABLE_SHARE).

    The trigger is Tesseract's own mean word confidence: free (already computed), and on the
    measured full pages it separated right-way-up readings (>= 64.6) from upside-down ones
    (<= 52); it sits near the upright end because a miss costs the page (CER ~85 %) and a
    needless trigger only one more run (ID cards often read under it: 25 of 60 triggered).
    """
    return bool(ocr.words) and (ocr.mean_confidence < RETRY_BELOW_CONFIDENCE
                                or syllable_share(_read_words(ocr)) < UPRIGHT_SYLLABLE_SHARE)


def clear_words(ocr: OcrPage) -> int:
    """Words read with confidence >= 80 that are Vietnamese syllables of two letters or more: an
    upright reading of even a blurred card has some ("CĂN", "CƯỚC", "lập"), glyph soup almost none."""
    return sum(1 for w in ocr.words if w.confidence >= 80 and len(w.text) >= 2 and w.text.isalpha()
               and is_syllable(w.text))


def turned_reads_better(first: OcrPage, turned: OcrPage) -> bool:
    """The turned reading wins only when independent witnesses agree: the share of Vietnamese-shaped
    words is not lower, and either Tesseract's confidence is `TURN_MIN_GAIN` points higher, or it is not
    lower and the turned reading has `CLEAR_WORDS_MIN` clear words (`clear_words`) and
    `CLEAR_WORDS_RATIO` times as many as the first one had plus one (a blurred card photo: both readings
    poor, 26 against 30 confidence, but 0 against 10 clear words). Pages come upright far more often
    than not, so a noisy page whose confidence moves a little either way is never turned on one cue."""
    if syllable_share(_read_words(turned)) < syllable_share(_read_words(first)):
        return False
    if turned.mean_confidence >= first.mean_confidence + TURN_MIN_GAIN:
        return True
    clear = clear_words(turned)
    return (turned.mean_confidence >= first.mean_confidence and clear >= CLEAR_WORDS_MIN
            and clear >= CLEAR_WORDS_RATIO * (clear_words(first) + 1))


def _children_cpu() -> float:
    """CPU seconds of the child processes this process has waited for (Tesseract runs). In a worker
    process the delta over one page is that page's; run inline beside other threads that start
    processes, it may include theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _default_preparer() -> Preparer:
    from pipeline.preprocess.pipeline import prepare

    return prepare


def _log_failure(stage: str, index: int, exc: BaseException) -> None:
    code = getattr(exc, "code", type(exc).__name__)
    log.warning("page %d: %s failed (%s): %s", index, stage, code, mask_ids_in(str(exc))[:300])


def _init_worker() -> None:
    """One thread per worker: parallelism is across pages, not inside a page."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:  # noqa: BLE001 - OpenCV threading is an optimisation only
        pass


def release_free_heap() -> None:
    """Hand the heap's free memory back to the system (glibc `malloc_trim`; a no-op elsewhere).

    glibc keeps what a page's intermediates free (it raises its mmap threshold to the size of the
    last big block freed, so arrays under 32 MB, e.g. a 2480x3508 gray page, come from the heap).
    PageJob calls this after preprocessing and again before Tesseract: measured on 20 300-dpi A4
    pages in one worker, the peak per page fell from ~200 to ~159 MB and the worker's RSS while
    its Tesseract runs from ~130 to ~75 MB, at the same CPU time (a fixed 128 KiB mmap threshold
    gave the same peak but cost ~150 ms more CPU per page in page faults).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: its allocator keeps its own policy
        return None


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean, single-threaded process (Prefect and the web app run
    # threads; fork() under threads can deadlock), and the preload keeps the start cheap.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.ocr.run", "pipeline.preprocess.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _failed(page: PageImage, reason: str) -> PageResult:
    prepared = PreparedPage(pixels=_NO_PIXELS, source=page, flags=[], dpi=page.dpi)
    ocr = OcrPage(index=page.index, text="", words=[], mean_confidence=0.0,
                  flags=[FLAG_OCR_FAILED, reason])
    return prepared, ocr


def _unreadable(error: Any) -> PageResult:
    """The place-holder result for a page intake could not decode (a `PageError`)."""
    index = int(getattr(error, "index", 0))
    page = PageImage(pixels=_NO_PIXELS, source=Path(getattr(error, "source", "")), index=index, dpi=0.0)
    prepared = PreparedPage(pixels=page.pixels, source=page, flags=[FLAG_UNREADABLE_PAGE], dpi=0.0)
    code = getattr(error, "code", "input_error")
    log.warning("page %d: could not be read (%s)", index, code)
    return prepared, OcrPage(index=index, text="", words=[], mean_confidence=0.0, flags=[FLAG_UNREADABLE_PAGE, code])


def _reattach(page: PageImage, result: PageResult) -> PageResult:
    prepared, ocr = result
    prepared.source = page
    return prepared, ocr


@dataclasses.dataclass(frozen=True)
class SpilledPage:
    """A page whose pixels wait in a file while it is queued for a worker (`_pooled`).

    A 300-dpi A4 colour page is 26 MB. Queued pages used to be held twice in the parent (the
    PageImage, kept for re-running the page if its worker dies, and its pickle in the executor's
    call queue) for up to `workers + 1` pages: ~150 MB of a 100-page scan's peak. Written as a raw
    .npy (no compression: ~20 ms, the page cache keeps it in RAM for the worker) the parent holds
    only a path; the worker loads the pixels, and the parent loads them back only for callers that
    want the source (`keep_source`).
    """

    page: PageImage  # with an empty pixels array
    path: Path

    @staticmethod
    def write(page: PageImage, folder: Path, serial: int) -> "SpilledPage":
        # `serial` is unique within the folder: page numbers repeat across files in one stream
        path = folder / f"page-{serial:07d}-p{page.index}.npy"
        np.save(path, page.pixels, allow_pickle=False)
        return SpilledPage(dataclasses.replace(page, pixels=_NO_PIXELS), path)

    def load(self) -> PageImage:
        return dataclasses.replace(self.page, pixels=np.load(self.path, allow_pickle=False))

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)



def _pooled(pages: Iterable[PageImage], job: PageJob, workers: int, keep_source: bool = True) -> Iterator[PageResult]:
    ctx = _context()
    limit = workers + EXTRA_IN_FLIGHT
    source = iter(pages)
    pending: deque[tuple[SpilledPage | PageImage, Future[PageResult]]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)
    spill_dir = Path(tempfile.mkdtemp(prefix="sohoa-pages-"))
    serials = itertools.count(1)

    def fresh_pool() -> ProcessPoolExecutor:
        nonlocal pool
        pool.shutdown(wait=True, cancel_futures=True)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)
        return pool

    def submit(page: SpilledPage) -> Future[PageResult]:
        try:
            return pool.submit(job, page)
        except BrokenProcessPool as exc:  # a worker died since the last result: handled like its page
            broken: Future[PageResult] = Future()
            broken.set_exception(exc)
            return broken

    def finish(page: SpilledPage | PageImage, result: PageResult) -> PageResult:
        """The result with its source page: the pixels read back from the spill file when wanted."""
        if isinstance(page, SpilledPage):
            original = page.load() if keep_source else page.page
            page.discard()
            page = original
        return _reattach(page, result)

    def alone(page: SpilledPage) -> PageResult:
        """Re-run one page by itself after a worker died: if it kills the worker again, it is the culprit."""
        future = fresh_pool().submit(job, page)
        try:
            return finish(page, future.result())
        except BrokenProcessPool:
            log.warning("page %d: the OCR worker died on this page", page.page.index)
            fresh_pool()
            return finish(page, _failed(page.page, FLAG_WORKER_DIED))

    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                page = next(source, None)
                if page is None:
                    exhausted = True
                    break
                if isinstance(page, PageImage):
                    spilled = SpilledPage.write(page, spill_dir, next(serials))
                    del page  # the parent keeps only the file until the result is back
                    pending.append((spilled, submit(spilled)))
                else:
                    done: Future[PageResult] = Future()
                    done.set_result(_unreadable(page))
                    pending.append((done.result()[0].source, done))
            if not pending:
                return
            page, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                entries = [(page, future), *pending]
                pending.clear()
                for other, other_future in entries:
                    if other_future.done() and not other_future.cancelled() and other_future.exception() is None:
                        yield finish(other, other_future.result())
                    elif isinstance(other, SpilledPage):
                        yield alone(other)
                    else:
                        yield other_future.result()
                continue
            except SohoaError:
                raise  # MissingDependencyError: no page can be read, stop the file
            except Exception as exc:  # noqa: BLE001 - e.g. a result that would not pickle
                stub = page.page if isinstance(page, SpilledPage) else page
                _log_failure("worker", stub.index, exc)
                result = _failed(stub, type(exc).__name__)
            yield finish(page, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(spill_dir, ignore_errors=True)

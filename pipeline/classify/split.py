"""Group a scan's consecutive pages into components (one paper each).

A counter scan holds the form, the ID card, the birth certificate and a contract in any order.
Page predictions alone cannot find the boundaries (page 3 of a contract has no title), so the
decision also reads continuation cues: a page number "Trang 2/3" or "-2-" joins the previous
paper, the back of an ID card follows its front, the national motto starts a new paper, and a
page without a title continues a paper of the same type. Blank pages and separator sheets are
dropped; the counter's declared components are hints that never override a confident reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz

from pipeline.classify.features import continuation_number, has_motto, key_text
from pipeline.classify.model import UNREADABLE_NOTE, PagePrediction
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, OcrPage, PreparedPage
from pipeline.manifest import DeclaredComponent

_WORDS = re.compile(r"[^\W_]{3,}")
_SEPARATOR = re.compile(r"(trang|to|phieu)\s*(phan|ngan)\s*cach|separator\s*(sheet|page)?|patch\s*[t2i]\b|"
                        r"tach\s*ho\s*so|sep\s*-?\s*hoso|het\s*thanh\s*phan|khong\s*so\s*hoa")
_SEPARATOR_WORDS = ("tach ho so", "phan cach", "khong so hoa", "sep-hoso")
_CARD_BACK = re.compile(r"idvnm|<<<|dac\s*diem\s*nhan\s*dang|ngon\s*tro\s*(trai|phai)|noi\s*cu\s*tru\s*/")
_HINT_MIN_PROBABILITY = 0.15
# OCR stage flags (pipeline.ocr.run) of a page that could not be read: kept, as its own paper, for review.
FAILED_FLAGS = ("ocr_failed", "worker_died", "preprocess_failed", "unreadable_page")
FAILED_NOTE = "page could not be read ({flags}): classify by hand"


@dataclass
class PageCues:
    """What the page itself says about where it belongs."""

    index: int
    blank: bool = False
    separator: bool = False
    failed: tuple[str, ...] = ()
    motto: bool = False
    continuation: tuple[int, int | None] | None = None
    card_back: bool = False

    @property
    def continues(self) -> bool:
        return self.continuation is not None and self.continuation[0] > 1


def page_cues(page: OcrPage, prepared: PreparedPage | None = None) -> PageCues:
    text = page.text or ""
    flags = set(page.flags) | (set(prepared.flags) if prepared is not None else set())
    key = key_text(text)
    blank = "blank" in flags or len(_WORDS.findall(key)) < 3
    separator = "separator" in flags or (len(_WORDS.findall(key)) < 25 and _looks_like_separator(key))
    failed = tuple(f for f in FAILED_FLAGS if f in flags)
    if failed and not key.strip():
        return PageCues(index=page.index, failed=failed)
    motto, continuation = has_motto(text), continuation_number(text)
    if motto and continuation is not None and continuation[1] is None and 10 <= continuation[0] <= 99:
        # A page under a motto header is the first of its paper; a "Trang 13" on it is "Trang 1/3" whose
        # slash OCR lost (it joined a contract's first page to the request form before it).
        first, total = divmod(continuation[0], 10)
        if 1 <= first <= total:
            continuation = (first, total)
    return PageCues(index=page.index, blank=blank and not separator, separator=separator, motto=motto,
                    continuation=continuation, card_back=bool(_CARD_BACK.search(key.replace(" ", ""))
                                                              or _CARD_BACK.search(key)))


def _looks_like_separator(key: str) -> bool:
    """A short page reading "TÁCH HỒ SƠ" / "Trang phân cách", tolerant of OCR damage."""
    if _SEPARATOR.search(key):
        return True
    return any(fuzz.partial_ratio(words, key) >= 85 for words in _SEPARATOR_WORDS)


@dataclass
class _Run:
    pages: list[int] = field(default_factory=list)
    predictions: list[PagePrediction] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    cues: list[PageCues] = field(default_factory=list)

    @property
    def type(self) -> PaperType:
        return self.predictions[0].type


def _declared_by_page(hints: Sequence[DeclaredComponent] | None) -> tuple[dict[int, PaperType], set[int], list[PaperType]]:
    """Page -> declared type, declared first pages, and the types declared without pages."""
    by_page: dict[int, PaperType] = {}
    starts: set[int] = set()
    loose: list[PaperType] = []
    for hint in hints or []:
        if hint.pages:
            starts.add(min(hint.pages))
            for number in hint.pages:
                by_page[number] = hint.type
        else:
            loose.append(hint.type)
    return by_page, starts, loose


def _starts_new(run: _Run | None, cue: PageCues, prediction: PagePrediction, declared_start: bool) -> bool:
    if run is None:
        return True
    if cue.continues:
        return False  # "Trang 2/3", "-2-": the page says it belongs to the previous paper
    if cue.card_back and run.type == PaperType.CCCD and len(run.pages) == 1 and not cue.motto:
        return False  # the back of the card right after its front
    if cue.motto:
        return True  # motto header: a new paper (forms and certificates all open with it)
    if prediction.type == run.type:
        return declared_start and prediction.needs_review
    # a different type without a title: trust it only when confident (or the counter says so too)
    return not prediction.needs_review or declared_start


def _component(run: _Run, threshold: float, declared: dict[int, PaperType], loose: list[PaperType],
               classes: Sequence[str]) -> Component:
    """Type from the pages' probabilities (the first page weighs double), confidence from the best page."""
    notes: list[str] = []
    for prediction in run.predictions:
        notes += [n for n in prediction.notes if n not in notes]
    if not any(p.probabilities for p in run.predictions):  # a page nobody could read
        ptype, confidence = PaperType.KHAC, 0.0
    elif any(p.type == PaperType.KHAC and p.notes for p in run.predictions[:1]):
        ptype, confidence = PaperType.KHAC, run.predictions[0].confidence
    else:
        weights = np.array([2.0 if i == 0 else (1.0 if not p.needs_review else 0.5)
                            for i, p in enumerate(run.predictions)])
        matrix = np.array([[p.probabilities.get(c, 0.0) for c in classes] for p in run.predictions])
        summed = (matrix * weights[:, None]).sum(axis=0)
        ptype = PaperType(classes[int(np.argmax(summed))])
        confidence = float(max(p.probabilities.get(ptype.value, 0.0) for p in run.predictions))
    readable = [p for p in run.predictions if UNREADABLE_NOTE not in p.notes]
    needs_review = confidence < threshold or not readable  # glyph soup is never assigned silently
    declared_types = [declared[n] for n in run.pages if n in declared] or loose
    if declared_types:
        hinted = max(set(declared_types), key=declared_types.count)
        if hinted != ptype:
            support = max(p.probabilities.get(hinted.value, 0.0) for p in run.predictions)
            if needs_review and support >= _HINT_MIN_PROBABILITY:
                notes.append(f"declared as {hinted.value}; read as {ptype.value} ({confidence:.2f}): "
                             f"declared type kept for review")
                ptype, confidence = hinted, support
            else:
                notes.append(f"declared as {hinted.value} but read as {ptype.value} ({confidence:.2f})")
    return Component(type=ptype, pages=list(run.pages), confidence=round(confidence, 4),
                     needs_review=needs_review, notes=notes, text="\f".join(run.texts))


def split_pages(pages: Sequence[OcrPage], predictions: Sequence[PagePrediction | None], *, threshold: float,
                classes: Sequence[str], prepared: Sequence[PreparedPage] | None = None,
                hints: Sequence[DeclaredComponent] | None = None) -> list[Component]:
    """Components in page order; `predictions[i]` may be None for pages already known blank."""
    declared, declared_starts, loose = _declared_by_page(hints)
    runs: list[_Run] = []
    current: _Run | None = None
    for i, page in enumerate(pages):
        cue = page_cues(page, prepared[i] if prepared is not None and i < len(prepared) else None)
        prediction = predictions[i]
        if cue.separator:
            current = None  # a separator sheet always ends the paper before it
            continue
        if cue.failed:
            note = FAILED_NOTE.format(flags=", ".join(cue.failed))
            failed = PagePrediction(type=PaperType.KHAC, confidence=0.0, needs_review=True, notes=[note])
            runs.append(_Run(pages=[page.index], predictions=[failed], texts=[page.text], cues=[cue]))
            current = None  # never guess that the next page continues a paper nobody could read
            continue
        if cue.blank or prediction is None:
            continue  # blank backs of duplex scans do not end a paper
        if UNREADABLE_NOTE in prediction.notes and not (cue.motto or cue.continues):
            # glyph soup cannot say which paper it belongs to: its own component, for review
            runs.append(_Run(pages=[page.index], predictions=[prediction], texts=[page.text], cues=[cue]))
            current = None
            continue
        if _starts_new(current, cue, prediction, page.index in declared_starts):
            current = _Run()
            runs.append(current)
        current.pages.append(page.index)
        current.predictions.append(prediction)
        current.texts.append(page.text)
        current.cues.append(cue)
    return [_component(run, threshold, declared, loose, classes) for run in runs]

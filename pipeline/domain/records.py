"""The typed values that travel between stages (one per arrow of docs/ARCHITECTURE.md).

intake -> PageImage -> preprocess -> PreparedPage -> ocr -> OcrPage -> classify/split ->
Component -> extract -> Document. Pixels are numpy arrays (H x W x 3 RGB uint8, or H x W gray).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.domain.papers import PaperType


@dataclass
class PageImage:
    """One page as it came in: pixels plus where it came from."""

    pixels: np.ndarray
    source: Path
    index: int  # 1-based page number within the source file
    dpi: float  # measured (PDF, TIFF/JPEG tags) or assumed
    dpi_assumed: bool = False
    has_text_layer: bool = False  # a PDF page that already carries text
    color: bool = True


@dataclass
class PreparedPage:
    """A cleaned page ready for OCR and what was done to it."""

    pixels: np.ndarray  # usually binary or gray, upright, deskewed
    source: PageImage
    rotation: int = 0  # degrees clockwise applied to make it upright (0/90/180/270)
    skew: float = 0.0  # degrees of skew corrected
    steps: list[str] = field(default_factory=list)  # names of the stages applied, in order
    flags: list[str] = field(default_factory=list)  # quality flags: "blank", "blurred", "too_dark", ...
    dpi: float = 300.0  # effective DPI after rescaling
    ms: float = 0.0  # preprocessing wall time
    cpu_ms: float = 0.0  # preprocessing CPU time of the thread that ran it (set by pipeline.ocr.run)

    @property
    def blank(self) -> bool:
        return "blank" in self.flags


@dataclass
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0-100
    line: int  # running line number within the page
    block: int = 0


@dataclass
class OcrPage:
    index: int  # 1-based page number within the source file
    text: str  # NFC, lines separated by "\n"
    words: list[OcrWord]
    mean_confidence: float  # 0-100 over words with text
    width: int = 0
    height: int = 0
    rotation: int = 0
    skew: float = 0.0
    flags: list[str] = field(default_factory=list)
    ms: float = 0.0  # preprocessing + OCR wall time
    # preprocessing + OCR CPU time: the worker's thread and the engine processes it waited for (Tesseract);
    # set by pipeline.ocr.run, 0 when not measured
    cpu_ms: float = 0.0
    hocr: str | None = None
    text_layer: bytes | None = None  # a text-only PDF page from the same engine run (searchable PDFs)


@dataclass
class Field:
    """One extracted key field."""

    value: str
    confidence: float  # 0-1
    valid: bool
    reason: str = ""  # why it is invalid (masked), or a note


@dataclass
class Component:
    """A run of pages that form one paper."""

    type: PaperType
    pages: list[int]  # 1-based page numbers within the source file
    confidence: float  # 0-1, calibrated
    needs_review: bool
    notes: list[str] = field(default_factory=list)  # e.g. "household book: void since 2023-01-01"
    text: str = ""  # the pages' text joined with form feeds


@dataclass
class Document:
    """A component with its typed, validated fields."""

    component: Component
    fields: dict[str, Field] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

"""The OCR engine interface: stages talk to `OcrEngine`, never to Tesseract directly.

A new engine (another program, a model server) implements this Protocol and is handed to
`pipeline.ocr.run.ocr_pages(..., engine=...)`; preprocessing, the worker pool and the
searchable-PDF assembly stay as they are.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from pipeline.domain.records import OcrPage


@runtime_checkable
class OcrEngine(Protocol):
    """What every OCR engine offers. Instances must be picklable (they cross into worker processes)."""

    name: str

    def version(self) -> str:
        """Engine and model version, recorded next to results so a re-run can be explained."""
        ...

    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        """Read one upright, cleaned page (H x W gray/binary or H x W x 3 RGB uint8).

        Returns NFC text (lines joined by "\\n"), words with boxes and 0-100 confidences, the
        mean confidence and, where the engine has it, hOCR. Raises `OcrEngineError` when the
        engine fails on this page and `MissingDependencyError` when it cannot run at all.
        """
        ...

    def text_layer_pdf(self, image: np.ndarray, *, dpi: float) -> bytes:
        """A one-page PDF holding only the invisible text of `image`, page box = image size at `dpi`.

        `pipeline.ocr.searchable_pdf` lays it over the colour original.
        """
        ...

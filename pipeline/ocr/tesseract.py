"""The one module that runs the `tesseract` program (the default `OcrEngine`).

One call per page produces TSV (words, boxes, confidences) and the text-only PDF page together; the
hOCR is then written from the final words (`ocr.layers`). The child runs
with OMP_THREAD_LIMIT=1: several multi-threaded Tesseracts on two cores fight each other
(27 s against 2.5 s per page measured here); parallelism comes from one process per core.
The program is called directly (as pytesseract does) so the child's environment, the timeout
and the error mapping are explicit.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from pipeline.domain.records import OcrPage
from pipeline.errors import MissingDependencyError, OcrEngineError
from pipeline.ocr.date_parts import reread_date_parts
from pipeline.ocr.layers import to_hocr
from pipeline.ocr.lines import STACK_PSM, reread_weak_lines
from pipeline.ocr.numbers import DIGITS_ONLY, NUMBER_PSM, NUMBER_SCALE, reread_numbers
from pipeline.ocr.pictures import PICTURE_PSM, reread_pictures
from pipeline.ocr.tessdata import SHIPPED_LANGS, tessdata_dir
from pipeline.ocr.text import assemble_text, mean_confidence, parse_tsv

# Page segmentation mode, language and resolution, measured on generated pages prepared by the
# pipeline (docs/BENCHMARKS.md, "ocr-settings"): psm 3 with the page's DPI read best (psm 4 and 6,
# and letting Tesseract estimate the resolution, were worse there).
# Language: Debian's `vie` is tessdata_fast's network (an LSTM of 192 units at the top); sohoa ships
# tessdata_best's, integerised, as `vie_best_int` (512 units; models/tesseract/README.md). Given both,
# Tesseract reads each line with the first and, where its words are not good enough, with the second,
# and keeps the better words. On 200 dev pages (seeds 61, 71, 81; 2 workers) mean CER: vie 4.73 %,
# vie_best_int alone 4.49 % (63 pages better, 67 worse: better on photocopies, worse on office scans and
# phone photos), vie+vie_best_int 4.36 % (79 better, 38 worse; photocopy 4.47 -> 3.05 %, hard 11.81 ->
# 11.28 %, the other levels within 0.1), for 1.38x the OCR time. `vie+Vietnamese` was 1.5x slower and
# not better. Real scans (checked, not tuned): 5.69 -> 5.64 %. On bench-ocr's 80 pages CER did not go
# down (3.83 -> 3.95 %), but bench-classify's fields went up (photocopy dates 31 -> 35/35, names 37 ->
# 38/40): the second model is kept for the fields (models/tesseract/README.md).
DEFAULT_LANG = "vie+vie_best_int"
DEFAULT_PSM = 3

_DEBIAN_PACKAGES = {"vie": "tesseract-ocr-vie", "Vietnamese": "tesseract-ocr-script-viet",
                    "osd": "tesseract-ocr-osd", "eng": "tesseract-ocr-eng"}


def debian_package(lang: str) -> str:
    """Debian package that ships the traineddata for one Tesseract language name."""
    return _DEBIAN_PACKAGES.get(lang, f"tesseract-ocr-{lang.lower()}")


def _source_of(lang: str) -> str:
    """Where one language's traineddata comes from, for an error message."""
    if lang in SHIPPED_LANGS:
        return f"models/tesseract/{lang}.traineddata, kept in the repository"
    return f"Debian package {debian_package(lang)}"


def child_environment() -> dict[str, str]:
    """The environment Tesseract runs in: ours, with OpenMP held to one thread."""
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@lru_cache(maxsize=8)
def _version(cmd: str) -> str:
    try:
        out = subprocess.run([cmd, "--version"], capture_output=True, text=True, timeout=30,
                             env=child_environment(), check=False)
    except FileNotFoundError:
        raise MissingDependencyError("the tesseract program is not installed (Debian package tesseract-ocr)",
                                     package="tesseract-ocr") from None
    first = (out.stdout or out.stderr).splitlines()
    return first[0].strip() if first else "tesseract ?"


@dataclass(frozen=True)
class TesseractEngine:
    """Tesseract through its command line; picklable, so it can be shipped to worker processes."""

    lang: str = DEFAULT_LANG
    psm: int = DEFAULT_PSM
    timeout_seconds: float = 180.0
    cmd: str = "tesseract"
    pass_dpi: bool = True  # False: let Tesseract estimate the resolution from the x-height
    name: str = "tesseract"
    reread_pictures: bool = True  # read again the regions Tesseract took for pictures (ocr/pictures.py)
    reread_lines: bool = True  # read again, on their own, the lines read with low confidence (ocr/lines.py)
    reread_numbers: bool = True  # read ID numbers again, alone, digits only (ocr/numbers.py)
    reread_date_parts: bool = True  # the same for a date's day, month or year read as marks (ocr/date_parts.py)

    def version(self) -> str:
        return f"{_version(self.cmd)} ({self.lang}, psm {self.psm})"

    # --- the program ------------------------------------------------------------------------
    def _run(self, image: np.ndarray, dpi: float, outputs: list[str], extra: list[str],
             psm: int | None = None) -> dict[str, bytes]:
        """Run tesseract on `image` once, asking for the output renderers `outputs` (e.g. tsv, hocr, pdf)."""
        with tempfile.TemporaryDirectory(prefix="sohoa-tess-") as tmp:
            source = Path(tmp) / "page.png"
            if not cv2.imwrite(str(source), _to_bgr_or_gray(image), [cv2.IMWRITE_PNG_COMPRESSION, 1]):
                raise OcrEngineError("could not write the page image for tesseract")
            base = Path(tmp) / "out"
            args = [self.cmd, str(source), str(base), "-l", self.lang, "--psm", str(psm or self.psm)]
            folder = tessdata_dir(self.lang, self.cmd)
            if folder is not None:
                args += ["--tessdata-dir", folder]
            if self.pass_dpi and dpi:
                args += ["--dpi", str(max(70, int(round(dpi))))]
            args += extra
            for output in outputs:
                args += ["-c", f"tessedit_create_{output}=1"]
            try:
                done = subprocess.run(args, capture_output=True, timeout=self.timeout_seconds,
                                      env=child_environment(), check=False)
            except FileNotFoundError:
                raise MissingDependencyError(
                    "the tesseract program is not installed (Debian package tesseract-ocr)",
                    package="tesseract-ocr") from None
            except subprocess.TimeoutExpired:
                raise OcrEngineError(f"tesseract took longer than {self.timeout_seconds:g} s on a page",
                                     timeout_seconds=self.timeout_seconds) from None
            stderr = done.stderr.decode("utf-8", "replace")
            if "Failed loading language" in stderr or "couldn't load any languages" in stderr:
                missing = [part for part in self.lang.split("+") if f"'{part}'" in stderr] or self.lang.split("+")
                raise MissingDependencyError(
                    f"tesseract language data {'+'.join(missing)} is missing ({', '.join(map(_source_of, missing))})",
                    package=", ".join(debian_package(m) for m in missing if m not in SHIPPED_LANGS))
            if done.returncode != 0:
                tail = stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
                raise OcrEngineError(f"tesseract failed: {tail[0][:200]}", returncode=done.returncode)
            results: dict[str, bytes] = {}
            for output in outputs:
                path = base.with_suffix(f".{output}")
                if not path.exists():
                    raise OcrEngineError(f"tesseract wrote no {output} output")
                results[output] = path.read_bytes()
            return results

    # --- OcrEngine --------------------------------------------------------------------------
    def recognize(self, image: np.ndarray, *, dpi: float, page_index: int) -> OcrPage:
        started = time.perf_counter()
        # one run gives the words and the text layer of the searchable PDF
        out = self._run(image, dpi, ["tsv", "pdf"], ["-c", "textonly_pdf=1"])
        tsv = out["tsv"].decode("utf-8", "replace")
        if self.reread_pictures:
            tsv, _ = reread_pictures(tsv, image, lambda region: self._run(
                region, dpi, ["tsv"], [], psm=PICTURE_PSM)["tsv"].decode("utf-8", "replace"))
        if self.reread_lines:
            tsv, _, _ = reread_weak_lines(tsv, image, lambda sheet: self._run(
                sheet, dpi, ["tsv"], [], psm=STACK_PSM)["tsv"].decode("utf-8", "replace"))
        if self.reread_numbers:
            tsv, _, _ = reread_numbers(tsv, image, lambda crop: self.read_number(crop, dpi=dpi))
        if self.reread_date_parts:
            tsv, _, _ = reread_date_parts(tsv, image, lambda crop: self.read_number(crop, dpi=dpi))
        words = parse_tsv(tsv)
        height, width = image.shape[:2]
        return OcrPage(index=page_index, text=assemble_text(words), words=words,
                       mean_confidence=mean_confidence(words), width=width, height=height,
                       ms=(time.perf_counter() - started) * 1000.0,
                       hocr=to_hocr(words, width, height, self.lang.split("+")[0]), text_layer=out["pdf"])

    def read_number(self, crop: np.ndarray, *, dpi: float) -> str:
        """The TSV of a number's crop (`ocr.numbers.crop_for_reread`, cut from a page at `dpi` and enlarged
        NUMBER_SCALE times), read as one word with digits only."""
        return self._run(crop, dpi * NUMBER_SCALE, ["tsv"], list(DIGITS_ONLY),
                         psm=NUMBER_PSM)["tsv"].decode("utf-8", "replace")

    def text_layer_pdf(self, image: np.ndarray, *, dpi: float) -> bytes:
        return self._run(image, dpi, ["pdf"], ["-c", "textonly_pdf=1"])["pdf"]


def _to_bgr_or_gray(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.bool_:
        image = image.astype(np.uint8) * 255
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2BGR)
    return image


def engine_from_settings(settings: object) -> TesseractEngine:
    """The configured default engine (language, page segmentation mode, timeout from Settings)."""
    return TesseractEngine(lang=getattr(settings, "ocr_lang", DEFAULT_LANG),
                           psm=int(getattr(settings, "ocr_psm", DEFAULT_PSM)),
                           timeout_seconds=float(getattr(settings, "ocr_timeout_seconds", 180)))

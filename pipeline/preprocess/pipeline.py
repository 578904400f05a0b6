"""Compose the preprocessing stages: `prepare(page) -> PreparedPage`, each stage switchable.

Order: page outline (photos) -> dark-margin crop -> ID cards on a sheet laid out alone -> seal suppression + gray -> quality gate
-> illumination -> gray (photocopied) seals -> orientation -> (denoise) -> deskew -> rescale -> (denoise) -> binarisation;
denoise runs before the rotation when the text is large enough, after upscaling otherwise. Illumination runs before
the geometric stages so their analysis sees a flat page and the white fill of a rotation
matches the paper. Analysis runs on small views; each transform is applied once at full size.
Two views are shared rather than made per stage: the gray page as it came in, shrunk to
OUTLINE_SIDE, serves page detection and the margin crop; the cleaned page shrunk to LETTERS_SIDE
serves orientation and the x-height. On 49 dev pages (seed 61, 8 per level, and the 9 real ones;
one core, old and new interleaved 3 times) that took preprocessing from 234 to 212 ms per page,
and the dev CER with 2 workers moved within noise (office 1.07 -> 0.75 %, phone 2.58 -> 1.73 %,
hard 10.29 -> 10.10 %, clean and photocopy unchanged), as page outlines and skews shift slightly.
The views but the page finder's are block means by a whole factor and a bilinear last step
(analysis.shrink) instead of OpenCV's area average, which is slow when the sizes do not divide: on
40 dev pages (seed 61, one core, interleaved twice) 215-230 -> 195 ms of CPU per page; on 200 dev
pages (seeds 61, 71, 81; vie+vie_best_int; 2 workers) mean CER 4.36 -> 4.45 % (50 pages better, 36
worse; the large moves are blocks Tesseract read in another order, e.g. a diploma's place-date and
signer's title moved: 2.7 -> 32.1 %), the same rotations, skews within 0.18 degree.
With `debug_dir`, every intermediate is written as `p<index:04d>_<nn>_<stage>.png`
(as OCRmyPDF's `-k`).

Measured choices (2026-11-28, Tesseract 5.3 `vie --psm 3`, OMP_THREAD_LIMIT=1, pages from
pipeline.synth.degrade at 4 pages per level; mean CER %, raw Tesseract -> this pipeline):
clean 0.04 -> 0.08, office_scan 0.78 -> 0.33, photocopy 11.0 -> 2.7, phone_photo 4.4 -> 0.44,
hard 75.3 -> 16.9. Ablations on photocopy / phone_photo / hard:
- binarisation: handing Tesseract the normalised gray page ("none") beat our Otsu
  (2.7/0.44/16.9 vs 4.2/0.65/15.5), Sauvola (6.9/0.67/34.1, earlier run) and adaptive (worst,
  18 % on photocopies); Tesseract's own Otsu on a flat page keeps faint toner strokes better.
- illumination off: phone_photo 0.8 -> 31 %, hard -> 95 %: the stage that matters most.
- median denoise: photocopy 7.9 -> 2.7 % (speckle); it runs before the deskew rotation only
  when the text is big enough, otherwise after upscaling (at 150 dpi it ate strokes: hard 8 -> 13 %).
- orientation "auto" (own method, OSD only when in doubt) fixed one hard page out of 12 that
  the own method alone got wrong; see orient.py. Superseded: with the OCR step's upside-down
  re-read, the own method alone reads as well for 40 % less preprocessing (see `orient_method`).
On 20 pages of pipeline.synth.dossier.generate_pages(20, seed=31) (forms, cards, layouts):
mean CER raw 42.0 % -> 27.3 % (office_scan 34.6 -> 14.6, photocopy 33.3 -> 21.3, phone_photo
45.0 -> 23.0, hard 80.1 -> 59.4, clean 31.3 -> 30.1), orientation right on all 20. On the 9 real
scans (check only, not tuned) it was NOT better: raw 2.2-12.2 %, pipeline 2.6-14.0 %, better on
1 of 9; these are clean 200-dpi pages where every resampling costs a little.
Preprocessing CPU time was 0.25-0.35 of Tesseract's CPU time per page (over the 0.25 budget
when OSD is consulted: ~1.3 s per doubtful page).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from pipeline.domain.records import PageImage, PreparedPage
from pipeline.preprocess.analysis import LETTERS_SIDE, downscale, outline_view, to_gray
from pipeline.preprocess.binarize import binarize
from pipeline.preprocess.cards import CARD_DPI, find_cards, lay_out_cards
from pipeline.preprocess.crop import crop_margins, find_margins
from pipeline.preprocess.deskew import deskew, estimate_skew
from pipeline.preprocess.gray_seal import lighten_gray_seals
from pipeline.preprocess.illumination import denoise, normalize_background, stretch_contrast
from pipeline.preprocess.orient import detect_orientation, rotate_quarters
from pipeline.preprocess.page_detect import find_page, warp_page
from pipeline.preprocess.quality import QualityThresholds, assess
from pipeline.preprocess.rescale import estimate_xheight, resize, scale_for
from pipeline.preprocess.seal import has_colour, suppress_seals

log = logging.getLogger(__name__)

A4_LONG_INCHES = 11.69


@dataclass(frozen=True)
class PreprocessOptions:
    """One switch per stage plus its parameters. `PreprocessOptions()` is the measured default."""

    page_detect: bool = True
    crop: bool = True
    cards: bool = True  # ID cards copied onto a sheet: cut out and laid out on their own (cards.py)
    seal: bool = True
    gray_seal: bool = True  # photocopied seals (mid-gray rings) over black text, after illumination
    quality: bool = True
    illumination: bool = True
    denoise: bool = True
    orient: bool = True
    deskew: bool = True
    rescale: bool = True
    binarize: bool = True

    # "own" (default), "osd", or "auto" (own, and OSD when own is in doubt or claims a turn). Since
    # the OCR step re-reads a low-confidence page turned 180 (pipeline.ocr.run), OSD no longer pays:
    # on 60 phone_photo/hard pages (15 turned by the generator) "own" read the same (CER 15.34 /
    # 18.00 % against 15.28 / 17.91 %) with 40 % less preprocessing time (16.3 s against 27.4 s)
    # and 1 page re-read turned instead of 5 (OSD's own wrong confirmations).
    orient_method: str = "own"
    orient_doubt_below: float = 0.4  # own method's log-ratio under which "auto" asks OSD
    max_skew: float = 15.0
    card_dpi: float | None = CARD_DPI  # cards laid out at this resolution (None: as scanned, rescale follows)
    seal_hues: str = "red"  # "red" seals and stamps only, or "any" coloured ink (erases blue print)
    binarize_method: str = "none"  # "otsu", "sauvola", "adaptive" or "none" (normalised gray to Tesseract)
    binarize_window: int = 31
    target_xheight: float = 26.0
    min_xheight: float = 20.0
    max_xheight: float = 60.0
    skip_blank: bool = True  # stop after the quality gate on a blank page
    thresholds: QualityThresholds = field(default_factory=QualityThresholds)

    @classmethod
    def raw(cls) -> PreprocessOptions:
        """Everything off: Tesseract gets the page as it came in."""
        stages = ("page_detect", "crop", "cards", "seal", "gray_seal", "quality", "illumination", "denoise", "orient", "deskew",
                  "rescale", "binarize")
        return cls(**{name: False for name in stages})

    def replace(self, **changes: object) -> PreprocessOptions:
        return dataclasses.replace(self, **changes)


class _Debug:
    """Writes each intermediate as <dir>/p<index:04d>_<nn>_<stage>.png when a folder is given."""

    def __init__(self, folder: Path | None, index: int) -> None:
        self.folder, self.index, self.n = folder, index, 0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, stage: str, image: np.ndarray) -> None:
        if self.folder is None:
            return
        path = self.folder / f"p{self.index:04d}_{self.n:02d}_{stage}.png"
        self.n += 1
        out = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else image
        cv2.imwrite(str(path), out, [cv2.IMWRITE_PNG_COMPRESSION, 1])


def prepare(page: PageImage, options: PreprocessOptions | None = None, debug_dir: Path | None = None) -> PreparedPage:
    """Clean one page for OCR; never mutates `page.pixels`."""
    o = options or PreprocessOptions()
    started = time.perf_counter()
    debug = _Debug(debug_dir, page.index)
    steps: list[str] = []
    flags: list[str] = []
    rotation, skew, dpi = 0, 0.0, float(page.dpi or 300.0)
    image = page.pixels
    debug("input", image)
    # The page as it came in, gray, and the view the outline and margin finders share; both are
    # dropped when a stage changes the image.
    gray_in: np.ndarray | None = to_gray(image)
    outline: tuple[np.ndarray, float] | None = outline_view(gray_in) if (o.page_detect or o.crop) else None

    if o.page_detect:
        corners = find_page(image, view=outline)
        if corners is not None:
            gray_in = outline = None  # before the warp: a 48-MP photo's gray is 48 MB
            image = warp_page(image, corners)
            steps.append("page_detect")
            debug("page_detect", image)
            h, w = image.shape[:2]
            if abs(max(h, w) / max(min(h, w), 1) - 1.414) < 0.12:
                dpi = max(h, w) / A4_LONG_INCHES  # a photo's EXIF DPI says nothing about the page

    if o.crop:
        margins = find_margins(image, view=outline)
        if any(margins):
            image = crop_margins(image, margins)
            gray_in = None
            steps.append("crop")
            debug("crop", image)

    if o.cards:
        cards = find_cards(image)
        if cards:
            image, dpi = lay_out_cards(image, cards, o.card_dpi)
            gray_in = None
            steps.append("cards")
            debug("cards", image)

    if o.seal and has_colour(image, hues=o.seal_hues):
        gray = suppress_seals(image, o.seal_hues, gray=gray_in)
        steps.append("seal")
        debug("seal", gray)
    else:
        gray = gray_in if gray_in is not None else to_gray(image)
    del image, gray_in, outline

    if o.quality:
        report = assess(gray, dpi, o.thresholds)
        flags.extend(report.flags)
        steps.append("quality")
        if report.flags:
            log.info("page %d flagged: %s", page.index, "; ".join(f"{k}: {v}" for k, v in report.reasons.items()))
        if report.flags and "blank" in report.flags and o.skip_blank:
            return PreparedPage(pixels=gray, source=page, rotation=0, skew=0.0, steps=steps, flags=flags, dpi=dpi,
                                ms=(time.perf_counter() - started) * 1000.0)

    if o.illumination:
        text_px = max(31, min(gray.shape) // 40)
        gray = stretch_contrast(normalize_background(gray, text_px))
        steps.append("illumination")
        debug("illumination", gray)
    if o.gray_seal and o.illumination:  # the tone bands assume a flat, stretched page
        gray, seals = lighten_gray_seals(gray, dpi)
        if seals:
            steps.append("gray_seal")
            debug("gray_seal", gray)
    measured_skew: float | None = None
    # One small view of the cleaned page for orientation (which shrinks it further) and the x-height.
    letters, letters_scale = downscale(gray, LETTERS_SIDE) if (o.orient or o.rescale) else (gray, 1.0)
    if o.orient:
        found = detect_orientation(gray, o.orient_method, o.orient_doubt_below, view=letters)
        turn = found.rotation
        if found.method == "own":
            measured_skew = found.skew
        if turn:
            gray = rotate_quarters(gray, turn)
            letters = rotate_quarters(letters, turn)
            debug("orient", gray)
        rotation = turn
        steps.append("orient")

    factor = 1.0
    if o.rescale:
        factor = scale_for(estimate_xheight(gray, view=(letters, letters_scale)), o.target_xheight, o.min_xheight,
                           o.max_xheight)
    del letters
    # A 3x3 median removes speckle before the rotation smears it into blobs, but at low
    # resolution it eats stroke detail: there it runs after upscaling instead.
    denoised = False
    if o.denoise and factor == 1.0:
        gray = denoise(gray)
        steps.append("denoise")
        debug("denoise", gray)
        denoised = True

    if o.deskew:
        skew = measured_skew if measured_skew is not None else estimate_skew(gray, o.max_skew)
        if abs(skew) >= 0.05:
            gray = deskew(gray, skew)
            debug("deskew", gray)
        steps.append("deskew")

    if factor != 1.0:
        gray = resize(gray, factor)
        dpi *= factor
        steps.append("rescale")
        debug("rescale", gray)

    if o.denoise and not denoised:
        gray = denoise(gray)
        steps.append("denoise")
        debug("denoise", gray)

    if o.binarize and o.binarize_method != "none":
        gray = binarize(gray, o.binarize_method, o.binarize_window)
        steps.append("binarize")
        debug("binarize", gray)

    return PreparedPage(pixels=gray if (steps or page.pixels.ndim == 2) else page.pixels, source=page,
                        rotation=rotation, skew=float(skew), steps=steps, flags=flags, dpi=dpi,
                        ms=(time.perf_counter() - started) * 1000.0)

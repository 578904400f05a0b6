"""Photos (a card's portrait) painted white after background normalisation; text never."""

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.preprocess.analysis import to_gray
from pipeline.preprocess.illumination import normalize_background, stretch_contrast
from pipeline.preprocess.pipeline import PreprocessOptions, prepare
from pipeline.preprocess.photos import INK, _holds_text, erase_photos, find_photos
from pipeline.domain.records import PageImage

from tests.preprocess.conftest import FONT

DPI = 300.0


def _flat(gray: np.ndarray) -> np.ndarray:
    return stretch_contrast(normalize_background(gray, max(31, min(gray.shape) // 40)))


def _with_portrait(page: np.ndarray) -> tuple[np.ndarray, tuple[slice, slice]]:
    """The page widened, with a card-style portrait (light box, dark hair, gray face, dark clothes)
    right of its text lines; returns the gray page and the box's place."""
    gray = cv2.copyMakeBorder(to_gray(page), 0, 0, 0, 300, cv2.BORDER_CONSTANT, value=255)
    y0, x0, h, w = 300, 930, 330, 220
    box = (slice(y0, y0 + h), slice(x0, x0 + w))
    gray[box] = 215
    cx = x0 + w // 2
    cv2.ellipse(gray, (cx, y0 + 150), (60, 80), 0, 0, 360, 130, -1)  # face
    cv2.ellipse(gray, (cx, y0 + 80), (75, 40), 0, 0, 360, 38, -1)  # hair
    cv2.ellipse(gray, (cx, y0 + h), (105, 100), 0, 180, 360, 66, -1)  # clothes
    return gray, box


def test_a_portrait_is_painted_white_and_the_text_beside_it_kept(page):
    gray, box = _with_portrait(page)
    flat = _flat(gray)
    assert (flat[box] < INK).mean() > 0.01  # normalisation alone leaves the portrait's edges as ink
    out, painted = erase_photos(gray, flat, DPI)
    assert painted > 0
    assert (out[box] < INK).mean() < 0.002
    text = np.zeros(gray.shape, bool)
    text[:, : page.shape[1]] = to_gray(page) < 80  # every line of text, left of the portrait
    assert np.array_equal(out[text], flat[text])


def test_text_in_a_deep_shadow_is_not_a_photo(page):
    gray = to_gray(page).astype(np.float32)
    gray[:, 500:] *= 0.35  # a shadow over the right part of the page, text inside it
    gray = gray.astype(np.uint8)
    flat = _flat(gray)
    mask = find_photos(gray, flat, DPI)
    text = to_gray(page) < 80
    assert mask is None


def test_large_bold_type_is_not_a_photo():
    img = Image.new("RGB", (1400, 600), "white")
    bold = ImageFont.truetype(str(FONT).replace("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"), 110)
    ImageDraw.Draw(img).text((40, 200), "CĂN CƯỚC ĐỊNH", font=bold, fill=(0, 0, 0))
    gray = to_gray(np.asarray(img))
    assert find_photos(gray, _flat(gray), DPI) is None


def test_what_shows_inside_once_normalised_tells_text_from_a_photo():
    """A portrait's normalised inside is paper but for a few rims; blurred text in a shadow merges
    into clumps that stay dark (few marks, much ink); sharp text in a shadow shows many marks."""
    vdpi = 100.0
    inside = np.ones((60, 80), bool)
    portrait = np.full((60, 80), 255, np.uint8)
    portrait[5:9, 10:60] = 40  # the rim left of the hair
    portrait[50:55, 5:70] = 60  # and of the clothes
    assert not _holds_text(portrait, inside, vdpi)
    clumps = np.full((60, 80), 255, np.uint8)
    clumps[5:25, 5:75] = 50  # two lines of blurred words, one dark clump each
    clumps[32:52, 5:75] = 50
    assert _holds_text(clumps, inside, vdpi)
    words = np.full((60, 80), 255, np.uint8)
    for row in range(4, 56, 10):
        for col in range(4, 76, 18):
            words[row:row + 5, col:col + 3] = 30  # 6 lines of 4 thin marks: little ink, many marks
    assert (words < INK).mean() < 0.12 and _holds_text(words, inside, vdpi)


def test_a_page_without_photos_is_returned_as_is(page):
    gray = to_gray(page)
    flat = _flat(gray)
    out, painted = erase_photos(gray, flat, DPI)
    assert painted == 0 and out is flat


def test_prepare_runs_the_stage_and_it_can_be_switched_off(page):
    gray, box = _with_portrait(page)
    rgb = np.dstack([gray] * 3)
    source = PageImage(pixels=rgb, source=None, index=1, dpi=DPI)
    on = prepare(source)
    assert "photos" in on.steps
    off = prepare(source, PreprocessOptions(photos=False))
    assert "photos" not in off.steps

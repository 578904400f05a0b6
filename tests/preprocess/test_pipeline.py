import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.domain.records import PageImage
from pipeline.preprocess.orient import rotate_quarters
from pipeline.preprocess.pipeline import PreprocessOptions, prepare


def _page(pixels: np.ndarray, index: int = 1, dpi: float = 150.0) -> PageImage:
    return PageImage(pixels=pixels, source=Path("fixture.png"), index=index, dpi=dpi)


def test_turned_and_skewed_page_comes_out_upright_and_straight(page, tilt):
    # Content turned a quarter clockwise and tilted 3 degrees.
    image = rotate_quarters(tilt(page, 3.0), 90)
    out = prepare(_page(image), PreprocessOptions(binarize_method="otsu"))
    assert out.rotation == 270
    assert out.skew == pytest.approx(3.0, abs=0.3)
    assert out.flags == []
    assert out.steps[-1] == "binarize"
    assert {"quality", "illumination", "orient", "deskew"} <= set(out.steps)
    assert out.pixels.ndim == 2 and out.pixels.dtype == np.uint8
    assert set(np.unique(out.pixels)) <= {0, 255}
    assert out.pixels.shape[0] > out.pixels.shape[1]  # portrait again
    assert out.ms > 0


def test_small_text_is_upscaled_and_the_dpi_follows(make_page):
    small = cv2.resize(make_page(), None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    out = prepare(_page(small, dpi=90.0))
    assert "rescale" in out.steps
    assert out.dpi > 150.0
    assert out.pixels.shape[0] > small.shape[0] * 1.5


def test_debug_mode_writes_every_intermediate(page, tilt, tmp_path):
    image = rotate_quarters(tilt(page, 2.0), 180)
    out = prepare(_page(image, index=7), debug_dir=tmp_path / "dbg")
    names = sorted(p.name for p in (tmp_path / "dbg").iterdir())
    assert all(re.fullmatch(r"p0007_\d\d_[a-z_]+\.png", n) for n in names)
    stages = [n[9:-4] for n in names]
    assert stages[0] == "input"
    assert [s for s in stages[1:]] == [s for s in out.steps if s != "quality"]
    last = cv2.imread(str(tmp_path / "dbg" / names[-1]), cv2.IMREAD_GRAYSCALE)
    assert np.array_equal(last, out.pixels)


def test_raw_options_hand_over_the_input(page):
    out = prepare(_page(page), PreprocessOptions.raw())
    assert out.pixels is page
    assert out.steps == [] and out.flags == [] and out.rotation == 0 and out.skew == 0.0


def test_default_output_is_the_normalised_gray_page(page):
    out = prepare(_page(page))
    assert "binarize" not in out.steps and "illumination" in out.steps
    assert out.pixels.ndim == 2 and len(np.unique(out.pixels)) > 2


def test_each_stage_can_be_switched_off(page, tilt):
    image = tilt(page, 4.0)
    out = prepare(_page(image), PreprocessOptions(deskew=False, binarize=False))
    assert "deskew" not in out.steps and "binarize" not in out.steps
    assert out.skew == 0.0
    assert len(np.unique(out.pixels)) > 2  # gray, not binary


def test_blank_page_is_flagged_and_not_processed_further():
    rng = np.random.default_rng(4)
    blank = np.clip(rng.normal(240, 3, (1200, 900, 3)), 0, 255).astype(np.uint8)
    out = prepare(_page(blank))
    assert out.blank and out.flags == ["blank"]
    assert out.steps[-1] == "quality"


def test_blurred_page_is_flagged_for_rescan(page):
    out = prepare(_page(cv2.GaussianBlur(page, (0, 0), 3.5)))
    assert "blurred" in out.flags


def test_red_seal_is_suppressed_in_the_pipeline(page):
    stamped = page.copy()
    cv2.circle(stamped, (450, 300), 140, (210, 35, 40), 10)
    out = prepare(_page(stamped), PreprocessOptions(orient=False, deskew=False, rescale=False, binarize_method="otsu"))
    assert "seal" in out.steps
    ring = np.zeros(page.shape[:2], np.uint8)
    cv2.circle(ring, (450, 300), 140, 255, 6)
    ring &= (page.min(axis=2) > 200).astype(np.uint8) * 255
    assert (out.pixels[ring > 0] == 255).mean() > 0.97


def test_prepare_does_not_mutate_the_page(page, tilt):
    image = rotate_quarters(tilt(page, 2.0), 90)
    image[10:20, 10:400] = (200, 30, 30)
    before = image.copy()
    prepare(_page(image))
    assert np.array_equal(image, before)


def test_options_are_values():
    options = PreprocessOptions()
    assert options.replace(binarize_method="sauvola").binarize_method == "sauvola"
    assert options.binarize_method == "none"  # measured: normalised gray beats our own binary
    raw = PreprocessOptions.raw()
    assert not any([raw.page_detect, raw.crop, raw.seal, raw.quality, raw.illumination, raw.denoise,
                    raw.orient, raw.deskew, raw.rescale, raw.binarize])

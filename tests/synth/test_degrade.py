"""Degradation levels: deterministic, sane output, and each parameter visibly applied."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.synth import degrade as dg
from pipeline.synth.degrade import LEVELS, blank_page, degrade, separator_sheet

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """Half an A4 page at 300 dpi (fast), 10-pt black text on white."""
    w, h = 1240, 1754
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 42)
    draw.text((w // 2, 90), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=0, anchor="mm")
    for i in range(24):
        draw.text((100, 200 + i * 62), f"Dòng {i}: Nguyễn Văn An, xã Tam Hợp", font=font, fill=0)
    return np.asarray(img)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _find_seed(level: str, want) -> tuple[np.ndarray, dict] | None:
    """First seed whose drawn parameters satisfy `want` (parameters are drawn before pixels)."""
    for seed in range(200):
        params = dg._params(level, _rng(seed))
        if want(params):
            return seed, params
    return None


@pytest.mark.parametrize("level", LEVELS)
def test_deterministic_and_sane(page: np.ndarray, level: str) -> None:
    a, info_a = degrade(page, level, _rng(7))
    b, info_b = degrade(page, level, _rng(7))
    assert np.array_equal(a, b)
    assert info_a == info_b
    assert a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] == 3
    json.dumps(info_a)  # the info dict is stored next to the sample: it must serialise
    for key in ("level", "dpi", "rotation", "skew", "blur", "noise", "jpeg_quality", "size"):
        assert key in info_a
    assert info_a["level"] == level
    assert 150 <= info_a["dpi"] <= 300
    assert info_a["rotation"] in (0, 90, 180, 270)
    assert abs(info_a["skew"]) <= 8
    assert info_a["size"] == [a.shape[1], a.shape[0]]


def test_different_seeds_differ(page: np.ndarray) -> None:
    a, _ = degrade(page, "office_scan", _rng(1))
    b, _ = degrade(page, "office_scan", _rng(2))
    assert a.shape != b.shape or not np.array_equal(a, b)


def test_clean_is_untouched(page: np.ndarray) -> None:
    out, info = degrade(page, "clean", _rng(3))
    assert np.array_equal(out, page)
    assert info["dpi"] == 300 and info["rotation"] == 0 and info["skew"] == 0


def test_level_parameter_ranges() -> None:
    for seed in range(60):
        office = dg._params("office_scan", _rng(seed))
        assert abs(office["skew"]) <= 2 and 200 <= office["dpi"] <= 300
        copy = dg._params("photocopy", _rng(seed))
        assert copy["photocopy"] is not None and copy["photocopy"]["speckle"] > 0
        phone = dg._params("phone_photo", _rng(seed))
        assert 40 <= phone["jpeg_quality"] <= 70 and 150 <= phone["dpi"] <= 200
        assert phone["background"] in dg.BACKGROUNDS and phone["lighting"] > 0
        hard = dg._params("hard", _rng(seed))
        assert 4 <= abs(hard["skew"]) <= 8 and 35 <= hard["jpeg_quality"] <= 45
    # Wrong-way pages occur in scans too, and hard has them often.
    rotations = {dg._params("office_scan", _rng(s))["rotation"] for s in range(300)}
    assert {0, 90, 180, 270} <= rotations | {0}
    assert len(rotations) > 1
    hard_rot = [dg._params("hard", _rng(s))["rotation"] for s in range(100)]
    assert sum(r != 0 for r in hard_rot) > 40


def test_unknown_level_rejected(page: np.ndarray) -> None:
    with pytest.raises(ValueError, match="unknown degradation level"):
        degrade(page, "fax", _rng())


def test_rotation_90_swaps_aspect_ratio(page: np.ndarray) -> None:
    seed, params = _find_seed("office_scan", lambda p: p["rotation"] in (90, 270))
    out, info = degrade(page, "office_scan", _rng(seed))
    assert info["rotation"] in (90, 270)
    assert out.shape[1] > out.shape[0]  # portrait page now lies landscape


def test_rotate_quarter_is_clockwise() -> None:
    img = np.zeros((2, 3, 3), np.uint8)
    img[0, 0] = 255  # top-left marker
    out = dg.rotate_quarter(img, 90)
    assert out.shape[:2] == (3, 2)
    assert out[0, 1].max() == 255  # clockwise: top-left goes to top-right


def test_skew_positive_is_counter_clockwise() -> None:
    img = np.full((201, 201, 3), 255, np.uint8)
    img[100, 150:190] = 0  # a mark right of the centre
    out = dg.skew(img, 30.0)
    ys, xs = np.nonzero(out[:, :, 0] < 128)
    assert ys.mean() < 100  # counter-clockwise moves a right-hand mark up (image y grows down)


def test_resample_sets_dpi(page: np.ndarray) -> None:
    seed, params = _find_seed("office_scan", lambda p: p["dpi"] == 200 and p["rotation"] == 0)
    out, info = degrade(page, "office_scan", _rng(seed))
    assert out.shape[1] == round(page.shape[1] * 200 / 300)
    assert out.shape[0] == round(page.shape[0] * 200 / 300)


def test_phone_photo_has_background_border(page: np.ndarray) -> None:
    out, info = degrade(page, "phone_photo", _rng(4))
    assert info["background"] in dg.BACKGROUNDS
    corners = np.asarray(info["page_corners"])
    # The page lies inside the photo, with the surface showing around it.
    assert corners[:, 0].min() > 5 and corners[:, 1].min() > 5
    assert corners[:, 0].max() < out.shape[1] - 5 and corners[:, 1].max() < out.shape[0] - 5
    border = np.concatenate([out[:4].reshape(-1, 3), out[-4:].reshape(-1, 3)])
    paper = out[out.shape[0] // 2 - 5 : out.shape[0] // 2 + 5, out.shape[1] // 2 - 5 : out.shape[1] // 2 + 5]
    assert np.median(border) < np.median(paper) - 10 or np.abs(border.mean(0) - paper.reshape(-1, 3).mean(0)).max() > 20


def test_phone_photo_effective_dpi(page: np.ndarray) -> None:
    out, info = degrade(page, "phone_photo", _rng(5))
    corners = np.asarray(info["page_corners"])
    top_width = np.linalg.norm(corners[1] - corners[0])
    expected = page.shape[1] * info["dpi"] / 300
    assert abs(top_width - expected) / expected < 0.25  # perspective squeezes, never rescales much


def test_jpeg_applied() -> None:
    rng = _rng(0)
    img = (rng.random((64, 64, 3)) * 255).astype(np.uint8)
    low = dg.jpeg(img, 35)
    high = dg.jpeg(img, 95)
    err_low = np.abs(low.astype(int) - img).mean()
    err_high = np.abs(high.astype(int) - img).mean()
    assert err_low > err_high > 0


def test_level_jpeg_quality_recorded_and_lossy(page: np.ndarray) -> None:
    out, info = degrade(page, "hard", _rng(2))
    assert 35 <= info["jpeg_quality"] <= 45
    # Re-encoding at the recorded quality changes little: the pixels already went through it.
    again = dg.jpeg(out, info["jpeg_quality"])
    assert np.abs(again.astype(int) - out).mean() < 3


def test_photocopy_is_gray_with_lower_contrast(page: np.ndarray) -> None:
    out, info = degrade(page, "photocopy", _rng(1))
    assert info["photocopy"]["toner_loss"] > 0
    assert np.abs(out[:, :, 0].astype(int) - out[:, :, 2]).max() <= 2 + 3 * 10  # gray (noise aside)
    assert np.percentile(out, 0.5) > 5  # black is no longer pure black
    assert np.percentile(out, 99) < 250  # and the paper is greyish


def test_photocopy_speckle_and_toner_loss() -> None:
    white = np.full((300, 300, 3), 255, np.uint8)
    out = dg.photocopy(white, _rng(0), contrast=0.8, speckle=0.002, toner_loss=0.0, edge_shadow=False)
    assert (out[:, :, 0] < 120).sum() > 50  # black dots on white paper
    black = np.zeros((300, 300, 3), np.uint8)
    faded = dg.photocopy(black, _rng(0), contrast=0.8, speckle=0.0, toner_loss=0.3, edge_shadow=False)
    assert (faded[:, :, 0] > 100).mean() > 0.1  # part of the ink faded


def test_red_stamp_multiplies(page: np.ndarray) -> None:
    out = dg.red_stamp(page, _rng(0), center=(400, 600), diameter=300, opacity=0.9, angle=0, text=dg.SEAL_TEXTS[0])
    region = out[450:750, 250:550].astype(int)
    reddish = (region[:, :, 0] > 150) & (region[:, :, 1] < 120)
    assert reddish.sum() > 500
    # Multiply blend: black text under the seal stays black.
    text_mask = page[450:750, 250:550, 0] < 30
    assert region[text_mask].max() < 60
    assert np.array_equal(out[:100, :100], page[:100, :100])  # nothing outside the seal


def test_stamp_lands_on_text(page: np.ndarray) -> None:
    seed, params = _find_seed("hard", lambda p: p["stamp"] is not None)
    out, info = degrade(page, "hard", _rng(seed))
    cx, cy = info["stamp"]["center"]
    assert page[max(0, cy - 30) : cy + 30, max(0, cx - 30) : cx + 30].min() < 128


def test_office_scan_light_changes(page: np.ndarray) -> None:
    seed, _ = _find_seed("office_scan", lambda p: p["rotation"] == 0 and p["dpi"] == 300 and p["bilevel"] is None)
    out, info = degrade(page, "office_scan", _rng(seed))
    assert out.shape == page.shape
    assert not np.array_equal(out, page)
    # Only slightly: same brightness, about the same amount of ink (skew moves it, noise is light).
    assert abs(out.mean() - page.mean()) < 6
    ink_in, ink_out = (page.mean(axis=2) < 128).mean(), (out.mean(axis=2) < 128).mean()
    assert abs(ink_out - ink_in) < 0.3 * ink_in
    assert abs(info["skew"]) <= 2 and info["noise"] <= 4


def test_hard_stays_dark_text_on_light_paper(page: np.ndarray) -> None:
    for seed in range(3):
        out, info = degrade(page, "hard", _rng(seed))
        gray = out.mean(axis=2)
        assert np.percentile(gray, 2) < 110  # there is still ink
        assert np.percentile(gray, 60) > 120  # and paper


def test_blank_page_is_blank() -> None:
    for seed in range(4):
        img = blank_page(_rng(seed), dpi=100)
        assert img.dtype == np.uint8 and img.shape == (1169, 827, 3)
        gray = img.mean(axis=2)
        assert gray.min() > 200  # no ink anywhere, bleed-through stays faint
        assert gray.std() < 6


def test_separator_sheet() -> None:
    seen_barcode = seen_colour = False
    for seed in range(6):
        img = separator_sheet(_rng(seed), dpi=100)
        assert img.shape == (1169, 827, 3) and img.dtype == np.uint8
        assert (img.mean(axis=2) < 80).sum() > 500  # the large "TÁCH HỒ SƠ"
        band = img[int(1169 * 0.56) : int(1169 * 0.6)].mean(axis=2)
        seen_barcode |= bool((band < 80).mean() > 0.1)
        corner = img[5:30, 5:30].reshape(-1, 3).mean(0)
        seen_colour |= bool(corner.max() - corner.min() > 30)
    assert seen_barcode and seen_colour
    assert np.array_equal(separator_sheet(_rng(1), dpi=100), separator_sheet(_rng(1), dpi=100))


def test_code39_structure() -> None:
    runs = dg.code39_modules("A1")
    # Start, 2 characters, stop: 4 characters x 9 elements + 3 gaps; each has 3 wide elements.
    assert len(runs) == 4 * 9 + 3
    assert sum(1 for _, w in runs if w == 3) == 4 * 3
    assert runs[0][0] is True


def test_stamp_kinds_all_occur_and_draw(page: np.ndarray) -> None:
    kinds = {dg._stamp_params(_rng(s), 0.8)["kind"] for s in range(40)}
    assert kinds == set(dg.STAMP_KINDS)
    drawn: set[str] = set()
    for seed in range(40):
        params = dg._stamp_params(_rng(seed), 0.9)
        if params["kind"] in drawn:
            continue
        drawn.add(params["kind"])
        out = dg.apply_stamp(page, _rng(seed), params, (600, 700))
        changed = np.abs(out.astype(int) - page).sum(axis=2) > 30
        assert changed.sum() > 300, params["kind"]
        ys, xs = np.nonzero(changed)
        assert abs(xs.mean() - 600) < 150 and abs(ys.mean() - 700) < 150  # centred where asked
    assert drawn == kinds


def test_punch_holes_are_dark_discs_on_the_left() -> None:
    white = np.full((3508, 2480, 3), 230, np.uint8)
    out = dg.punch_holes(white, _rng(0))
    dark = out.mean(axis=2) < 100
    ys, xs = np.nonzero(dark)
    assert xs.max() < 300  # near the left edge
    assert ys.max() - ys.min() > 900  # two holes 80 mm apart


def test_fold_crease_darkens_a_line() -> None:
    white = np.full((900, 600, 3), 240, np.uint8)
    out = dg.fold_crease(white, _rng(0), 1 / 3, 0.15)
    rows = out.mean(axis=(1, 2))
    assert abs(int(np.argmin(rows)) - 300) < 10
    assert rows.min() < 215 and rows[50] == 240


def test_bulge_bows_lines_but_keeps_edges() -> None:
    img = np.full((400, 300, 3), 255, np.uint8)
    img[200, :] = 0  # a horizontal text line across the middle
    out = dg.bulge(img, 0.01)
    col_mid = np.nonzero(out[:, 150, 0] < 128)[0].mean()
    col_edge = np.nonzero(out[:, 2, 0] < 128)[0].mean()
    assert col_mid - col_edge > 2  # the line bows in the middle
    assert np.array_equal(out[0], img[0]) and np.array_equal(out[-1], img[-1])


def test_glare_washes_towards_white_and_motion_blur_smears() -> None:
    gray = np.full((400, 300, 3), 100, np.uint8)
    out = dg.glare(gray, 0.6, _rng(0))
    assert out.max() >= 100 + 155 * 0.6 * 0.95 and out.min() >= 100  # a bright patch, nothing darker
    img = np.full((50, 50, 3), 255, np.uint8)
    img[:, 25] = 0  # a vertical stroke
    smeared = dg.motion_blur(img, 3.0, 0.0)  # horizontal shake
    assert smeared[25, 25, 0] > 0 and smeared[25, 24, 0] < 255 and smeared[25, 26, 0] < 255
    assert np.array_equal(dg.motion_blur(img, 0.5, 0.0), img)


def test_phone_photo_exposure_lifts_black_and_dims_white(page: np.ndarray) -> None:
    out = dg.exposure(page, 50, 230)
    assert out.min() == 50 and out.max() == 230

"""Seal suppression is shape-aware: seals, stamp boxes and emblems go, red printed text stays dark.

The cases are drawn with the generator's own painters (`pipeline.synth.card`, `pipeline.synth.degrade`),
so they look like the pages the pipeline is measured on.
"""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.preprocess.seal import colour_mask, suppress_seals
from pipeline.synth.card import cccd_front
from pipeline.synth.degrade import box_stamp, press_stamp, seal_stamp
from pipeline.synth.people import make_person

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
TITLE_RED = (170, 30, 30)  # the CCCD title colour of the generator
DARK, LIGHT = 128, 180


def _card(dpi: float) -> tuple[np.ndarray, float]:
    """A generated CCCD front at `dpi` and its pixels per millimetre."""
    k = dpi / 25.4
    rng = np.random.default_rng(7)
    img, _ = cccd_front(make_person(rng), "DejaVu Sans", k, rng)
    return np.asarray(img).copy(), k


def _red_in(rgb: np.ndarray, x_mm: tuple[float, float], y_mm: tuple[float, float], k: float) -> np.ndarray:
    """Mask of the red ink inside a millimetre box of a card."""
    inside = np.zeros(rgb.shape[:2], bool)
    inside[int(y_mm[0] * k):int(y_mm[1] * k), int(x_mm[0] * k):int(x_mm[1] * k)] = True
    return inside & colour_mask(rgb).astype(bool)


@pytest.mark.parametrize("dpi", [300, 600])  # a card copied on A4 at 300 dpi; a card photo filling the frame
def test_card_title_stays_dark_and_the_emblem_goes(dpi):
    card, k = _card(dpi)
    title = _red_in(card, (18, 68), (10.5, 16), k)  # "CĂN CƯỚC CÔNG DÂN"
    emblem = _red_in(card, (3.5, 15.5), (3, 15), k)
    assert title.sum() > 500 and emblem.sum() > 500
    out = suppress_seals(card)
    assert (out[title] < DARK).mean() > 0.9, "the red title was lifted"
    assert (out[emblem] > LIGHT).mean() > 0.95, "the red emblem was kept"


def test_card_title_sideways_stays_dark():
    card, k = _card(400)
    title = _red_in(card, (18, 68), (10.5, 16), k)
    out = suppress_seals(np.ascontiguousarray(np.rot90(card)))
    assert (np.rot90(out, -1)[title] < DARK).mean() > 0.9


def _with_red_title(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page of black text with a red bold title line over its top, and the title's ink mask."""
    img = Image.fromarray(page)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, page.shape[1], 55), fill="white")
    draw.text((150, 8), "GIẤY CHỨNG NHẬN", font=ImageFont.truetype(FONT, 40), fill=TITLE_RED)
    out = np.asarray(img).copy()
    return out, colour_mask(out).astype(bool)


def _press(page: np.ndarray, rgba: np.ndarray, center: tuple[int, int],
           angle: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Press a stamp fully inked over the page; returns the page and the stamp's ink mask."""
    stamped = press_stamp(page, rgba, center=center, opacity=1.0, angle=angle)
    blank = np.full_like(page, 255)
    ink = press_stamp(blank, rgba, center=center, opacity=1.0, angle=angle).min(axis=2) < 200
    return stamped, ink


def _check_removed(out: np.ndarray, page: np.ndarray, stamp: np.ndarray) -> None:
    text = page.min(axis=2) < 100
    under = stamp & text
    assert under.sum() > 200, "the fixture should put text under the stamp"
    assert (out[under] < 100).mean() > 0.95, "black text under the stamp was lost"
    assert (out[stamp & ~text] > LIGHT).mean() > 0.95, "the stamp was kept"


def test_round_seal_over_text_goes_and_the_red_title_stays(page):
    titled, title = _with_red_title(page)
    rgba = seal_stamp(400, "ỦY BAN NHÂN DÂN XÃ TAM DƯƠNG", np.random.default_rng(1))  # 34 mm at 300 dpi
    stamped, seal = _press(titled, rgba, (600, 800), angle=12)
    out = suppress_seals(stamped)
    _check_removed(out, page, seal)
    assert (out[title] < DARK).mean() > 0.9


@pytest.mark.parametrize("lines", [("ĐẾN", "Số: 1234", "Ngày: 05/11/2024"), ("SAO Y BẢN CHÍNH",)])
def test_box_stamp_over_text_goes(page, lines):
    titled, title = _with_red_title(page)
    height = 220 if len(lines) > 1 else 130  # 19 mm and 11 mm at 300 dpi
    rgba = box_stamp(lines, height, np.random.default_rng(2))
    stamped, stamp = _press(titled, rgba, (450, 700), angle=4)
    out = suppress_seals(stamped)
    _check_removed(out, page, stamp)
    assert (out[title] < DARK).mean() > 0.9


def test_red_emblem_disk_goes():
    page = np.full((800, 800, 3), 255, np.uint8)
    cv2.circle(page, (300, 300), 60, (200, 40, 40), -1)
    disk = colour_mask(page).astype(bool)
    assert (suppress_seals(page)[disk] > LIGHT).mean() > 0.97


def test_red_title_is_darker_than_its_luminance(page):
    titled, title = _with_red_title(page)
    out = suppress_seals(titled)
    luminance = cv2.cvtColor(titled, cv2.COLOR_RGB2GRAY)
    assert np.median(out[title]) < np.median(luminance[title])

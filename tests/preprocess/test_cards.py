"""ID cards copied onto a sheet: found, straightened and laid out alone (pipeline.preprocess.cards)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.domain.records import PageImage
from pipeline.preprocess.cards import GAP_MM, find_cards, lay_out_cards
from pipeline.preprocess.pipeline import PreprocessOptions, prepare
from tests.preprocess.conftest import FONT, render_page

DPI = 150
PX_PER_MM = DPI / 25.4
CARD = (round(85.6 * PX_PER_MM), round(54.0 * PX_PER_MM))  # 506 x 319 px
SHEET = (round(210 * PX_PER_MM), round(297 * PX_PER_MM))  # 1240 x 1754 px


def _card(lines: list[str], mark: int) -> Image.Image:
    """A tinted card with a few lines of small text and a dark square `mark` px wide at its top left."""
    card = Image.new("RGB", CARD, (214, 224, 216))
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, CARD[0] - 1, CARD[1] - 1], outline=(170, 180, 172), width=2)
    draw.rectangle([20, 20, 20 + mark, 20 + mark], fill=(40, 40, 40))
    font = ImageFont.truetype(str(FONT), 16)
    for n, line in enumerate(lines):
        draw.text((110, 30 + n * 26), line, font=font, fill=(20, 20, 20))
    return card


def _sheet(angles=(-2.0, 3.0), text_outside: bool = False) -> np.ndarray:
    """An A4 sheet at 150 dpi with the front (mark 60 px) above the back (mark 20 px), each turned a little."""
    sheet = Image.new("RGB", SHEET, (250, 250, 248))
    front = _card(["CĂN CƯỚC CÔNG DÂN", "Số: 001090000000", "Họ và tên: NGUYỄN VĂN A"], 60)
    back = _card(["Đặc điểm nhân dạng", "Ngày, tháng, năm: 01/02/2021", "IDVNM0900000000"], 20)
    for card, angle, top in ((front, angles[0], 250), (back, angles[1], 700)):
        turned = card.convert("RGBA").rotate(angle, resample=Image.BICUBIC, expand=True)
        sheet.paste(turned, (380, top), turned)
    if text_outside:
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.truetype(str(FONT), 22)
        for n in range(14):
            draw.text((120, 1100 + n * 40), "Tờ khai này có chữ ký của người yêu cầu, ngày 12 tháng 3", font=font,
                      fill=(20, 20, 20))
    return np.asarray(sheet).copy()


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_finds_both_cards_on_a_copied_sheet_top_to_bottom():
    cards = find_cards(_sheet())
    assert len(cards) == 2
    front, back = cards
    assert front[:, 1].mean() < back[:, 1].mean()
    for corners in cards:
        width = np.linalg.norm(corners[1] - corners[0])
        height = np.linalg.norm(corners[3] - corners[0])
        assert width == pytest.approx(CARD[0], rel=0.05)
        assert height == pytest.approx(CARD[1], rel=0.08)


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_laid_out_cards_are_straight_in_order_at_the_asked_resolution():
    sheet = _sheet()
    out, dpi = lay_out_cards(sheet, find_cards(sheet), dpi=300.0)
    assert dpi == 300.0
    per_mm = 300 / 25.4
    gap = round(GAP_MM * per_mm)
    card_w, card_h = round(85.6 * per_mm), round(54.0 * per_mm)
    assert out.shape[:2] == (2 * card_h + 3 * gap, card_w + 2 * gap)
    gray = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
    # the front's large mark sits at the top left of the first card, the back's small one under it
    first = gray[gap:gap + card_h, gap:gap + card_w]
    second = gray[2 * gap + card_h:2 * gap + 2 * card_h, gap:gap + card_w]
    assert (first[: card_h // 3, : card_w // 5] < 90).sum() > 3 * (second[: card_h // 3, : card_w // 5] < 90).sum()
    # without a resolution the cards keep the one they were copied at
    _, dpi_native = lay_out_cards(sheet, find_cards(sheet))
    assert dpi_native == pytest.approx(DPI, rel=0.05)


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_a_sheet_with_text_beside_the_cards_is_left_alone():
    assert find_cards(_sheet(text_outside=True)) == []


def test_a_page_of_text_and_a_card_photo_filling_the_frame_are_no_sheet_of_cards():
    assert find_cards(render_page()) == []
    photo = np.asarray(_card(["CĂN CƯỚC CÔNG DÂN", "Số: 001090000000"], 60).resize((1011, 638))).copy()
    assert find_cards(photo) == []


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu font not installed")
def test_prepare_lays_out_the_cards_and_the_switch_turns_it_off():
    page = PageImage(pixels=_sheet(), source=Path("sheet.png"), index=1, dpi=DPI)
    prepared = prepare(page)
    assert "cards" in prepared.steps
    assert prepared.dpi >= 600.0  # laid out at card_dpi, maybe rescaled further up
    assert prepared.pixels.shape[0] < prepared.pixels.shape[1] * 1.6  # two cards, not an A4 sheet
    off = prepare(page, PreprocessOptions(cards=False))
    assert "cards" not in off.steps

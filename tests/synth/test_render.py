"""Layout and drawing: fonts carry Vietnamese glyphs, page text is what the layout placed."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.synth.render import (
    Columns, Para, Run, Signature, Style, available_fonts, draw, get_font, layout,
)

VIETNAMESE = "ỗ ữ ặ Đ đ ẫ ự ở ằ ẻ ỹ ị ọ Ơ Ư ấ ề"


def _glyph(font, ch: str) -> bytes:
    img = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(img).text((20, 20), ch, font=font, fill=255)
    return img.tobytes()


def test_the_generator_uses_several_serif_and_sans_fonts() -> None:
    fonts = available_fonts()
    assert len(fonts) >= 4
    assert any("Serif" in f for f in fonts) and any("Sans" in f for f in fonts)


@pytest.mark.parametrize("family", available_fonts())
@pytest.mark.parametrize("bold", [False, True])
def test_every_font_draws_vietnamese_letters(family: str, bold: bool) -> None:
    font = get_font(family, 60, bold)
    missing = _glyph(font, "\U0010fffd")  # a code point no font has: the tofu box
    for ch in VIETNAMESE.split():
        drawn = _glyph(font, ch)
        assert drawn != missing and any(drawn), f"{family} has no glyph for {ch!r}"
        # the diacritic is really there: the precomposed letter differs from its base letter
        base = {"Đ": "D", "đ": "d", "Ơ": "O", "Ư": "U"}.get(ch, None)
        if base:
            assert drawn != _glyph(font, base)


def test_two_column_header_reads_left_column_first_and_leaders_are_not_text() -> None:
    blocks = [
        Columns(left=[Para([Run("UBND HUYỆN TAM DƯƠNG")]), Para([Run("Số: 12/QĐ-UBND")])],
                right=[Para([Run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)], fit=True),
                       Para([Run("Độc lập - Tự do - Hạnh phúc")])]),
        Para([Run("Họ, chữ đệm, tên: "), Run("NGUYỄN VĂN AN", bold=True)], leader=True),
        Signature(["CHỦ TỊCH"], "Trần Thị Bích", seal_text="UỶ BAN NHÂN DÂN XÃ HỢP THỊNH"),
    ]
    pages = layout(blocks, Style("Liberation Serif"))
    assert len(pages) == 1
    assert pages[0].text.split("\n") == [
        "UBND HUYỆN TAM DƯƠNG", "Số: 12/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Họ, chữ đệm, tên: NGUYỄN VĂN AN", "CHỦ TỊCH", "Trần Thị Bích"]
    assert len(pages[0].boxes) == len(pages[0].lines)
    img = np.asarray(draw(pages[0], np.random.default_rng(0)))
    assert img.shape == (3508, 2480, 3)
    red = (img[..., 0] > 150) & (img[..., 1] < 110) & (img[..., 2] < 110)
    assert red.sum() > 2000  # the seal is there, in red, though its words are not in the text


def test_long_text_flows_onto_numbered_pages() -> None:
    words = " ".join(f"từ{i}" for i in range(1500))
    pages = layout([Para([Run(words)], align="justify")], Style("DejaVu Sans", 13), page_number="Trang {i}/{n}")
    assert len(pages) >= 2
    assert pages[-1].lines[-1] == f"Trang {len(pages)}/{len(pages)}"
    body = " ".join(line for p in pages for line in p.lines[:-1])
    assert body == words  # wrapping keeps every word, in order

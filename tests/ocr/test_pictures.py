"""Regions Tesseract set aside as pictures are read again (pipeline/ocr/pictures.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from ocr_fixtures import TSV_HEADER as HEADER
from ocr_fixtures import tsv_word as _row
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr import pictures
from pipeline.ocr.tesseract import TesseractEngine
from pipeline.ocr.text import parse_tsv
from pipeline.synth.render import seal_patch, signature_patch


def _page_tsv() -> str:
    return "\n".join([
        HEADER,
        _row(1, 1, 1, (100, 100, 200, 40), 95, "Chồng"),
        _row(2, 1, 1, (400, 300, 500, 300), 95, ""),  # the picture
        _row(3, 1, 1, (100, 700, 200, 40), 95, "Vợ"),
    ]) + "\n"


def test_find_pictures_takes_the_empty_word_of_a_block_of_its_own() -> None:
    found = pictures.find_pictures(_page_tsv(), 1200, 1000)
    assert [(p.left, p.top, p.width, p.height) for p in found] == [(400, 300, 500, 300)]


@pytest.mark.parametrize("box", [(0, 0, 1000, 900),  # most of the page: a photo, not a seal
                                 (400, 300, 4, 300),  # a rule
                                 (400, 300, 300, 10)])  # a speck row
def test_find_pictures_leaves_pages_rules_and_specks(box: tuple[int, int, int, int]) -> None:
    tsv = HEADER + "\n" + _row(2, 1, 1, box, 95, "") + "\n"
    assert pictures.find_pictures(tsv, 1200, 1000) == []


@pytest.mark.parametrize(("word", "conf", "kept"), [
    ("Ngọc", 96, True), ("NHẬN", 91, True), ("25/05/1991", 88, True), ("Hà,", 90, True),
    ("Ngọc", 40, False),  # not sure enough
    ("cZ", 90, False),  # mixed case
    ("O#Kƒ-GIẤY", 90, False),  # not word-shaped
    ("v", 90, False),  # one letter
    ("7", 90, False),  # one digit
    ("xqzt", 90, False),  # not a Vietnamese syllable
])
def test_keep_word(word: str, conf: float, kept: bool) -> None:
    assert pictures.keep_word(word, conf) is kept


def test_reread_splices_kept_words_in_page_coordinates_where_the_picture_was() -> None:
    image = np.full((1000, 1200), 255, np.uint8)
    crops = []

    def read_block(region: np.ndarray) -> str:
        crops.append(region.shape)
        return "\n".join([HEADER,
                          _row(1, 1, 1, (20, 30, 150, 40), 96.5, "Ngọc"),
                          _row(1, 1, 2, (190, 30, 60, 40), 95.0, "Hà"),
                          _row(1, 2, 1, (20, 120, 60, 40), 12.0, "(X2")]) + "\n"

    tsv, count = pictures.reread_pictures(_page_tsv(), image, read_block)
    assert count == 1
    assert crops == [(300 + 2 * pictures.PAD_PX, 500 + 2 * pictures.PAD_PX)]
    words = parse_tsv(tsv)
    assert [w.text for w in words] == ["Chồng", "Ngọc", "Hà", "Vợ"]
    ngoc = words[1]
    assert (ngoc.left, ngoc.top) == (400 - pictures.PAD_PX + 20, 300 - pictures.PAD_PX + 30)
    assert ngoc.block == pictures.BLOCK_BASE


def test_reread_drops_words_the_page_already_read() -> None:
    image = np.full((1000, 1200), 255, np.uint8)
    tsv = _page_tsv().replace("\n" + _row(3, 1, 1, (100, 700, 200, 40), 95, "Vợ"),
                              "\n" + _row(3, 1, 1, (420, 320, 200, 40), 95, "Vợ"))  # inside the region

    def read_block(region: np.ndarray) -> str:  # the crop sees the word the page read already
        return HEADER + "\n" + _row(1, 1, 1, (30, 30, 190, 42), 95, "Vợ") + "\n"

    out, _ = pictures.reread_pictures(tsv, image, read_block)
    assert [w.text for w in parse_tsv(out)] == ["Chồng", "Vợ"]


def test_reread_leaves_a_dark_picture_and_a_band_with_nothing_unread_alone() -> None:
    image = np.full((1000, 1200), 255, np.uint8)
    image[300:600, 400:900] = 30  # a portrait photo: mostly ink
    image[310:350, 100:300] = 0  # a word beside it that the page read
    tsv = _page_tsv() + _row(4, 1, 1, (100, 310, 200, 40), 95, "Nam") + "\n"
    calls = []
    out, count = pictures.reread_pictures(tsv, image, lambda region: calls.append(1) or HEADER)
    assert count == 0 and calls == [] and out == tsv


def _qr_page() -> tuple[str, np.ndarray]:
    """A card front as Tesseract read it: a QR code (a dark picture) at the top right, the header
    line left of it lost with it, the motto and the number below read."""
    image = np.full((1000, 1200), 255, np.uint8)
    image[50:350, 850:1150] = 0  # the QR code
    image[60:100, 100:800] = 0  # "CỘNG HÒA XÃ HỘI ...", not in the TSV
    image[150:190, 200:700] = 0  # "Độc lập - Tự do - Hạnh phúc", read
    image[450:490, 100:600] = 0  # "Số: ...", read
    tsv = "\n".join([HEADER,
                      _row(1, 1, 1, (200, 150, 500, 40), 95, "Độc"),
                      _row(2, 1, 1, (100, 450, 500, 40), 95, "Số:"),
                      _row(3, 1, 1, (850, 50, 300, 300), 95, "")]) + "\n"
    return tsv, image


def test_beside_paints_out_the_picture_and_the_words_read() -> None:
    tsv, image = _qr_page()
    picture = pictures.find_pictures(tsv, 1200, 1000)[0]
    hidden = [(p.left, p.top, p.width, p.height) for p in [picture]] + pictures.word_boxes(tsv)
    band, top = pictures.beside(image, picture, hidden)
    assert top == 50 - pictures.PAD_PX and band.shape == (300 + 2 * pictures.PAD_PX, 1200)
    dark_rows = np.flatnonzero((band < 128).any(axis=1)) + top
    assert (dark_rows.min(), dark_rows.max()) == (60, 99)  # only the lost header line is left
    assert (np.flatnonzero((band < 128).any(axis=0)).max()) == 799


def test_words_found_beside_a_dark_picture_go_before_the_line_below_them() -> None:
    tsv, image = _qr_page()
    bands = []

    def read_block(band: np.ndarray) -> str:
        bands.append(band.shape)
        top = 60 - (50 - pictures.PAD_PX)
        return "\n".join([HEADER,
                          _row(1, 1, 1, (100, top, 180, 40), 93, "CỘNG"),
                          _row(1, 1, 2, (300, top, 120, 40), 92, "HÒA"),
                          _row(1, 1, 3, (900, top, 100, 40), 20, "%#")]) + "\n"  # debris: dropped

    out, count = pictures.reread_pictures(tsv, image, read_block)
    assert count == 1 and len(bands) == 1
    words = parse_tsv(out)
    assert [w.text for w in words] == ["CỘNG", "HÒA", "Độc", "Số:"]
    assert (words[0].left, words[0].top) == (100, 60)
    assert words[0].block == pictures.BLOCK_BASE + 0


def _signer_block() -> np.ndarray:
    """The foot of a marriage certificate in a gray scan: two signatures, and the registrar's title
    and name with a dark seal and a signature between them (the layout Tesseract took for a picture
    on generated office scans)."""
    rng = np.random.default_rng(1)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 46)
    image = Image.new("RGB", (1600, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.text((80, 60), "Chồng                          Vợ", font=font, fill=(20, 20, 20))
    draw.text((80, 300), "Huỳnh Đức Anh Hải         Lương Minh Mai Ngọc", font=font, fill=(20, 20, 20))
    draw.text((700, 400), "NGƯỜI KÝ GIẤY CHỨNG NHẬN", font=font, fill=(20, 20, 20))
    draw.text((900, 800), "Lê Ngọc Hà", font=font, fill=(20, 20, 20))
    pixels = np.asarray(image).astype(np.float32) / 255.0
    for x0, y0, patch in (signature_patch((150, 150, 500, 280), rng), signature_patch((950, 150, 1300, 280), rng),
                          signature_patch((900, 560, 1350, 740), rng),
                          seal_patch(820, 620, 180, "ỦY BAN NHÂN DÂN XÃ HÒA NHƠN", rng)):
        height, width = patch.shape[:2]
        pixels[y0:y0 + height, x0:x0 + width] *= patch
    return cv2.cvtColor((pixels * 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)


def test_the_title_beside_a_dark_seal_is_read_and_nothing_is_read_twice() -> None:
    image = _signer_block()
    text = TesseractEngine(reread_pictures=True).recognize(image, dpi=300, page_index=1).text
    assert "GIẤY CHỨNG NHẬN" in text
    assert text.count("Lương Minh Mai Ngọc") == 1
    assert text.count("Lê Ngọc Hà") == 1


def test_at_most_max_bands_are_read_per_page() -> None:
    image = np.full((1000, 1200), 255, np.uint8)
    rows = [HEADER]
    for k in range(6):  # six dark photos in a column, each with unread ink beside it
        top = 20 + k * 160
        image[top:top + 120, 900:1100] = 0
        image[top + 40:top + 80, 100:600] = 0
        rows.append(_row(k + 1, 1, 1, (900, top, 200, 120), 95, ""))
    calls = []
    pictures.reread_pictures("\n".join(rows) + "\n", image, lambda band: calls.append(band.shape) or HEADER)
    assert len(calls) == pictures.MAX_BANDS

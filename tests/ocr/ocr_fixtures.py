"""Rendered Vietnamese lines for the OCR tests (a module with a unique name, imported by the tests
and conftest.py alike: `from conftest import ...` resolved to another folder's conftest when
folders were collected together)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY ĐỀ NGHỊ CẤP BẢN SAO",
    "Kính gửi: Ủy ban nhân dân xã Tam Dương",
]


def render_lines(lines: list[str] = LINES, dpi: int = 300, width_in: float = 4.5) -> np.ndarray:
    """A white RGB page with `lines` in 12 pt serif at `dpi` (small: a few hundred kB)."""
    size = int(12 / 72 * dpi)
    font = ImageFont.truetype(str(FONT), size)
    height = int(size * 1.8 * len(lines) + 2 * size)
    image = Image.new("RGB", (int(width_in * dpi), height), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((size, size + number * int(size * 1.8)), line, font=font, fill=(20, 20, 20))
    return np.asarray(image)


def render_word(text: str, width: int, size: int = 50) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """`text` printed black on a white gray image `width` x 120 px, and its ink box (left, top, width,
    height): a word as a page's first reading would box it."""
    image = Image.new("L", (width, 120), 255)
    ImageDraw.Draw(image).text((40, 30), text, font=ImageFont.truetype(str(FONT), size), fill=0)
    pixels = np.asarray(image)
    ys, xs = np.nonzero(pixels < 128)
    return pixels, (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))


TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv_word(block: int, line: int, word: int, box: tuple[int, int, int, int], conf: float, text: str) -> str:
    """One word row of a Tesseract TSV (level 5, page 1, paragraph 1); `box` is left, top, width, height."""
    return "\t".join(map(str, [5, 1, block, 1, line, word, *box, conf, text]))


class FakeReader:
    """Stands in for a re-read engine (`read(crop) -> TSV`): keeps each crop it is given and answers
    with one word, the i-th of `readings` for the i-th crop (the last one from then on)."""

    def __init__(self, *readings: str) -> None:
        self.readings = readings
        self.crops: list[np.ndarray] = []

    def __call__(self, crop: np.ndarray) -> str:
        self.crops.append(crop)
        text = self.readings[min(len(self.crops), len(self.readings)) - 1]
        return "\n".join([TSV_HEADER, tsv_word(1, 1, 1, (10, 10, 300, 80), 0, text)]) + "\n"

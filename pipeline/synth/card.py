"""The chip-based citizen ID card (CCCD, 2021 model), front and back, drawn at a chosen scale.

A card is 85.6 x 54 mm. Counters receive it as a photocopy of both sides on an A4 sheet or as a
phone photo of one side; the same drawing serves both (pixels per millimetre is a parameter).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.domain.mrz import check_digit
from pipeline.domain.vntext import strip_diacritics
from pipeline.synth.people import Person, d_m_y
from pipeline.synth.render import CARD_MM, INK, get_font, portrait, qr_like

CARD_BG = (236, 240, 236)
MRZ_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
CARD_TINT = (214, 226, 238)


def mrz_lines(person: Person) -> list[str]:
    """The three 30-character machine-readable lines on the back (TD1 layout, 'IDVNM...')."""
    doc_no = person.id_number[3:12]
    line1 = f"IDVNM{doc_no}{check_digit(doc_no)}{person.id_number}<<"
    line1 = (line1 + "<" * 30)[:29]
    line1 += check_digit(line1[5:29])
    dob = person.date_of_birth.strftime("%y%m%d")
    exp = person.card_valid_until.strftime("%y%m%d") if person.card_valid_until.year < 9999 else "991231"
    sex = "M" if person.sex == "nam" else "F"
    line2 = f"{dob}{check_digit(dob)}{sex}{exp}{check_digit(exp)}VNM"
    line2 = (line2 + "<" * 30)[:29]
    line2 += check_digit(line2)
    parts = strip_diacritics(person.full_name).upper().split()
    line3 = (parts[0] + "<<" + "<".join(parts[1:]) + "<" * 30)[:30]
    return [line1, line2, line3]


def _fmt_until(person: Person) -> str:
    return "Không thời hạn" if person.card_valid_until.year == 9999 else d_m_y(person.card_valid_until)


def _canvas(k: float, rng: np.random.Generator, draw_pixels: bool) -> tuple[Image.Image | None, ImageDraw.ImageDraw | None]:
    if not draw_pixels:
        return None, None
    w, h = int(CARD_MM[0] * k), int(CARD_MM[1] * k)
    img = Image.new("RGB", (w, h), CARD_BG)
    d = ImageDraw.Draw(img)
    # faint guilloche-like background waves
    for j in range(0, h, max(2, int(k * 1.6))):
        d.line([(0, j), (w, j + int(k * 3))], fill=CARD_TINT, width=max(1, int(k * 0.12)))
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=int(k * 3), outline=(150, 150, 150), width=max(2, int(k * 0.2)))
    return img, d


class _CardWriter:
    """Writes text lines at millimetre positions and records them in reading order."""

    def __init__(self, family: str, k: float, d: ImageDraw.ImageDraw | None) -> None:
        self.family, self.k, self.d = family, k, d
        self.lines: list[str] = []

    def text(self, x_mm: float, y_mm: float, text: str, size_mm: float, bold: bool = False,
             center_mm: float | None = None, fill=INK, right_mm: float = 83.5) -> None:
        text = unicodedata.normalize("NFC", text)
        self.lines.append(text)
        if self.d is None:
            return
        px = max(8, int(size_mm * self.k))
        font = get_font(self.family, px, bold)
        room = (right_mm - x_mm) * self.k if center_mm is None else 2 * min(center_mm - 1, right_mm - center_mm) * self.k
        while px > 8 and font.getlength(text) > room:  # long addresses print smaller, as on real cards
            px -= 1
            font = get_font(self.family, px, bold)
        x = x_mm * self.k
        if center_mm is not None:
            x = center_mm * self.k - font.getlength(text) / 2
        self.d.text((x, y_mm * self.k), text, font=font, fill=fill)


def cccd_front(person: Person, family: str, k: float, rng: np.random.Generator, hoa: str = "HÒA",
               draw_pixels: bool = True) -> tuple[Image.Image | None, list[str]]:
    img, d = _canvas(k, rng, draw_pixels)
    if d is not None:
        emblem = [int(4 * k), int(3.5 * k), int(15 * k), int(14.5 * k)]
        d.ellipse(emblem, fill=(200, 40, 40), outline=(220, 180, 40), width=max(2, int(k * 0.5)))
        photo = portrait((int(20 * k), int(26 * k)), rng)
        img.paste(photo, (int(3 * k), int(19 * k)))
        img.paste(qr_like(int(13 * k), rng), (int(70 * k), int(3 * k)))
    w = _CardWriter(family, k, d)
    w.text(0, 3.5, f"CỘNG {hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", 2.4, True, center_mm=42.5, fill=(30, 30, 110),
           right_mm=69)
    w.text(0, 7.0, "Độc lập - Tự do - Hạnh phúc", 2.3, True, center_mm=42.5, fill=(30, 30, 110), right_mm=69)
    w.text(0, 11.0, "CĂN CƯỚC CÔNG DÂN", 3.6, True, center_mm=42.5, fill=(170, 30, 30), right_mm=69)
    w.text(0, 15.2, "Citizen Identity Card", 2.3, False, center_mm=42.5, fill=(30, 30, 110), right_mm=69)
    w.text(26, 19.5, f"Số / No.: {person.id_number}", 3.0, True)
    w.text(26, 23.5, "Họ và tên / Full name:", 2.2)
    w.text(26, 26.3, person.full_name.upper(), 2.9, True)
    w.text(26, 30.3, f"Ngày sinh / Date of birth: {d_m_y(person.date_of_birth)}", 2.2)
    w.text(26, 33.2, f"Giới tính / Sex: {person.sex_vi}   Quốc tịch / Nationality: {person.nationality}", 2.2)
    w.text(26, 36.1, "Quê quán / Place of origin:", 2.2)
    w.text(26, 39.0, person.origin.short, 2.2)
    w.text(26, 42.3, f"Nơi thường trú / Place of residence: {person.residence.detail}", 2.2)
    w.text(26, 45.2, f"{person.residence.commune}, {person.residence.district}, {person.residence.province}", 2.2)
    w.text(3, 47.0, "Có giá trị đến:", 1.9)
    w.text(3, 49.6, _fmt_until(person), 1.9)
    return img, w.lines


def cccd_back(person: Person, family: str, k: float, rng: np.random.Generator,
              draw_pixels: bool = True) -> tuple[Image.Image | None, list[str]]:
    img, d = _canvas(k, rng, draw_pixels)
    if d is not None:
        d.rounded_rectangle([int(62 * k), int(4 * k), int(80 * k), int(20 * k)], radius=int(k), fill=(200, 170, 80))
        for x in (3, 21):
            box = [int(x * k), int(20 * k), int((x + 15) * k), int(33 * k)]
            d.rectangle(box, outline=(120, 120, 120), width=max(1, int(k * 0.2)))
            cx, cy = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
            for r in range(2, 12, 2):
                d.ellipse([cx - r * k * 0.5, cy - r * k * 0.55, cx + r * k * 0.5, cy + r * k * 0.55],
                          outline=(90, 90, 90), width=max(1, int(k * 0.15)))
        sig = [(60 * k + i * k, 29 * k + (3 * k if i % 4 < 2 else 0)) for i in range(0, 16)]
        d.line(sig, fill=(40, 40, 140), width=max(2, int(k * 0.3)))
    w = _CardWriter(family, k, d)
    w.text(3, 3.5, "Đặc điểm nhân dạng / Personal identification:", 2.2)
    w.text(3, 6.5, person.identifying_mark, 2.2)
    w.text(3, 10.0, f"Ngày, tháng, năm / Date, month, year: {d_m_y(person.card_issued_on)}", 2.2)
    w.text(0, 21.0, "CỤC TRƯỞNG CỤC CẢNH SÁT", 2.0, True, center_mm=62)
    w.text(0, 24.0, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 1.7, True, center_mm=62)
    w.text(3, 34.0, "Ngón trỏ trái", 1.8)
    w.text(21, 34.0, "Ngón trỏ phải", 1.8)
    for i, line in enumerate(mrz_lines(person)):
        w.lines.append(line)
        if d is not None:  # OCR-B is not installed: DejaVu Sans Mono is the closest monospaced face here
            # 3.4 mm type gives OCR-B's 2.5 mm capitals (ICAO 9303)
            font = ImageFont.truetype(str(MRZ_FONT), max(8, int(3.4 * k)))
            d.text((5 * k, (38.5 + i * 4.6) * k), line, font=font, fill=INK)
    return img, w.lines


def card_fields(person: Person, side: str) -> dict[str, str]:
    """Key fields visible on one side (both sides: the union)."""
    front = {"id_number": person.id_number, "full_name": person.full_name,
             "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex,
             "nationality": person.nationality, "place_of_origin": person.origin.short,
             "place_of_residence": person.residence.full,
             "valid_until": person.card_valid_until.isoformat() if person.card_valid_until.year < 9999 else ""}
    back = {"issued_on": person.card_issued_on.isoformat()}
    if not front["valid_until"]:
        del front["valid_until"]
    return {"front": front, "back": back, "both": {**front, **back}}[side]

"""Digits Tesseract reads one for another on these papers (measured on generated card zones and
ID numbers: 0/6/8/9 in bold or small print, 3/8, 5/6, 1/7). Repairs that try other digits try only
these, so a repair stays one plausible misreading away from what was read."""

from __future__ import annotations

LOOKALIKE_DIGITS: dict[str, str] = {"0": "689", "6": "0589", "8": "0369", "9": "068", "3": "8", "5": "6",
                                    "1": "7", "7": "1"}

# Letters and marks OCR prints for a digit inside a date, on lower-case, diacritic-free text: o/ø/d->0,
# i/l/|/!/¡/]->1, s->5, b->8 (seen on generated photocopies: "ngày !0 tháng 02", "ngày 2] tháng 7",
# "tháng Ø7", "Đ3/12/1978", "đến ngày: ¡ 4/10/2023"). Shared by the date reader (extract.dates) and the re-read of a date's
# day, month or year (ocr.date_parts), so the two agree on what is readable as it stands.
DATE_DIGIT_LETTERS: dict[str, str] = {"o": "0", "ø": "0", "d": "0", "i": "1", "l": "1", "|": "1", "!": "1",
                                      "¡": "1", "]": "1", "s": "5", "b": "8"}

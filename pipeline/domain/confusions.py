"""Digits Tesseract reads one for another on these papers (measured on generated card zones and
ID numbers: 0/6/8/9 in bold or small print, 3/8, 5/6, 1/7). Repairs that try other digits try only
these, so a repair stays one plausible misreading away from what was read."""

from __future__ import annotations

LOOKALIKE_DIGITS: dict[str, str] = {"0": "689", "6": "0589", "8": "0369", "9": "068", "3": "8", "5": "6",
                                    "1": "7", "7": "1"}

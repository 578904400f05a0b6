"""Repair of the machine-readable lines on the back of a chip-based ID card (ICAO 9303 TD1).

The card's three 30-character lines use only A-Z, 0-9 and the filler "<", each position with a
fixed kind. Tesseract reads them as one word each and confuses the kinds: "TDVNM…" for "IDVNM…",
"O" for "0" in a date, "0" for "O" in a name, a stray "-" before the line. Every position of
these lines says which kind it holds, so a look-alike of the wrong kind can be put right by
position alone, and the check digits tell whether the repaired line is consistent.

The layout (Vietnamese CCCD, as printed since 2021):
- line 1: "IDVNM", the last 9 digits of the ID number, their check digit, the 12-digit ID number,
  "<<", a check digit;
- line 2: birth date YYMMDD and its check digit, sex M/F, expiry YYMMDD and its check digit,
  "VNM", fillers, a check digit;
- line 3: the name without diacritics, "SURNAME<<GIVEN<NAMES", padded with "<".
"""

from __future__ import annotations

import re

from pipeline.domain.mrz import LENGTH
from pipeline.domain.vntext import strip_diacritics


_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "|": "1", "Z": "2",
                           "S": "5", "B": "8", "G": "6", "T": "7", "A": "4"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"})
_FILLER_LOOKALIKES = str.maketrans({"«": "<<", "‹": "<", "(": "<", "{": "<", "≤": "<"})
# A token that may be an MRZ line: long, mostly the MRZ alphabet, with at least two fillers.
_CANDIDATE = re.compile(r"[A-Z0-9<«‹|]{24,}")
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_LINE1 = re.compile(r"^[I1lT|]?D[V][N][MH]")


def _digits(text: str) -> str:
    return text.upper().translate(_TO_DIGIT)


def _letters(text: str) -> str:
    return text.upper().translate(_TO_LETTER)


def _fit(text: str, fill_at: int) -> str:
    """`text` made LENGTH long by growing or shrinking its filler run that starts at or after `fill_at`."""
    if len(text) == LENGTH:
        return text
    match = re.compile(r"<+").search(text, fill_at)
    if not match:
        return text
    run = max(1, len(match.group()) + LENGTH - len(text))
    return text[:match.start()] + "<" * run + text[match.end():]


def repair_line1(text: str) -> str:
    body = _fit("IDVNM" + text[5:].lstrip("-_."), 27)
    if len(body) != LENGTH:
        return text
    return "IDVNM" + _digits(body[5:27]) + "<<" + _digits(body[29])


def repair_line2(text: str) -> str:
    text = _fit(text, 18)
    if len(text) != LENGTH or not text[15:18].upper().translate(_TO_LETTER).startswith("VN"):
        return text
    sex = text[7].upper()
    sex = sex if sex in "MF<" else {"H": "M", "N": "M", "E": "F", "P": "F"}.get(sex, sex)
    return _digits(text[:7]) + sex + _digits(text[8:15]) + "VNM" + "<" * 11 + _digits(text[29])


def repair_line3(text: str) -> str:
    text = text.rstrip("-_.")
    letters = _letters(text)
    if len(letters) < LENGTH:
        letters += "<" * (LENGTH - len(letters))
    elif len(letters) > LENGTH and set(letters[LENGTH:]) <= {"<"}:
        letters = letters[:LENGTH]
    return letters


def repair(word: str) -> str:
    """`word` with its look-alikes put right when it is one of the three TD1 lines; else unchanged."""
    token = word.translate(_FILLER_LOOKALIKES)
    if "<<" in token and len(token) >= 20:
        # a line read with a stray mark or a tone on a letter ("BTICH<ẳHUONG", "179‹:6065"): MRZ letters
        # carry no marks and the line holds nothing else
        token = "".join(ch for ch in strip_diacritics(token).upper() if ch in _ALPHABET)
    match = _CANDIDATE.search(token)
    if not match or token.count("<") < 2 or len(match.group()) < len(token) - 2:
        return word
    token = match.group()
    if _LINE1.match(token) and token.count("<") <= 4:
        return repair_line1(token)
    if re.match(r"^[0-9OQDIL|SBZG]{7}[MFHN<]", token, re.I) and re.search(r"VN[MH]<", token):
        return repair_line2(token)
    if re.fullmatch(r"[A-Z0-9]+<<[A-Z0-9<]+", token) and sum(c.isdigit() for c in token) <= 2:
        return repair_line3(token)
    return word

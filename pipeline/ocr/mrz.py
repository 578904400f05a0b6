"""Repair of the machine-readable lines on the back of a chip-based ID card (ICAO 9303 TD1).

The card's three 30-character lines use only A-Z, 0-9 and the filler "<", each position with a
fixed kind. Tesseract reads them as one word each and confuses the kinds: "TDVNM…" for "IDVNM…",
"O" for "0" in a date, "0" for "O" in a name, a stray "-" before the line. Every position of
these lines says which kind it holds, so a look-alike of the wrong kind can be put right by
position alone, and the check digits tell whether the repaired line is consistent.

Digits misread as other digits (Tesseract's `vie` confuses 0, 6, 8 and 9 in this font) are put right
only where the card says so twice:
- line 1 holds the last 9 digits of the ID number twice. Where the two copies differ, the one that
  makes their check digit hold wins; where they agree and the check digit does not, the check digit
  was misread, if the digit it should be is a look-alike of the one read.
- line 2's expiry falls on the holder's birthday (a card expires at 25, 40 or 60, or never: 991231).
  A date whose check digit fails is mended by one look-alike digit when exactly one such change
  (in one date or both) makes the check digits hold and the expiry the birthday at 25, 40 or 60.
Line 3's name words are Vietnamese syllables without marks: a word that cannot be one is put right
when exactly one look-alike letter (I/T, L/I) makes it one ("DTNH" -> "DINH"), or else exactly one
dropped stray letter does.

The layout (Vietnamese CCCD, as printed since 2021):
- line 1: "IDVNM", the last 9 digits of the ID number, their check digit, the 12-digit ID number,
  "<<", a check digit;
- line 2: birth date YYMMDD and its check digit, sex M/F, expiry YYMMDD and its check digit,
  "VNM", fillers, a check digit;
- line 3: the name without diacritics, "SURNAME<<GIVEN<NAMES", padded with "<".
"""

from __future__ import annotations

import re

from pipeline.domain.confusions import LOOKALIKE_DIGITS
from pipeline.domain.mrz import LENGTH, check_digit
from pipeline.domain.papers import CARD_RENEWAL_AGES
from pipeline.domain.vntext import is_syllable, strip_diacritics


_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "|": "1", "Z": "2",
                           "S": "5", "B": "8", "G": "6", "T": "7", "A": "4"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"})
_FILLER_LOOKALIKES = str.maketrans({"«": "<<", "‹": "<", "(": "<", "{": "<", "≤": "<"})
# A token that may be an MRZ line: long, mostly the MRZ alphabet, with at least two fillers.
_CANDIDATE = re.compile(r"[A-Z0-9<«‹|]{24,}")
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
# Line 1's "IDVNM", its I read as T, 1, l or |, or with a stray mark after it ("I1DVNM").
_LINE1 = re.compile(r"^[I1lT|]{0,2}D[V][N][MH]")


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


_LIFELONG = "991231"


def _settle_tail(line: str) -> str:
    """Line 1 with its two copies of the ID number's last 9 digits and their check digit agreeing,
    when the check digit says which copy is right (see the module docstring)."""
    tail, check, copy = line[5:14], line[14], line[18:27]
    if not (tail + check + copy).isdigit():
        return line
    if tail == copy:
        expected = check_digit(tail)
        return line[:14] + expected + line[15:] if expected in LOOKALIKE_DIGITS.get(check, "") else line
    differ = [i for i in range(9) if tail[i] != copy[i]]
    if len(differ) > 2:
        return line
    fits = set()
    for picks in range(1 << len(differ)):
        digits = list(tail)
        for bit, i in enumerate(differ):
            digits[i] = copy[i] if picks >> bit & 1 else tail[i]
        if check_digit("".join(digits)) == check:
            fits.add("".join(digits))
    if len(fits) != 1:
        return line
    settled = fits.pop()
    return line[:5] + settled + check + line[15:18] + settled + line[27:]


def _valid_yymmdd(digits: str) -> bool:
    month, day = int(digits[2:4]), int(digits[4:6])
    return digits == _LIFELONG or (1 <= month <= 12 and 1 <= day <= 31)


def _readings(digits: str, check: str) -> set[str]:
    """`digits` if its check digit holds, else every real date one look-alike digit away whose does."""
    if check_digit(digits) == check:
        return {digits}
    return {candidate for i, digit in enumerate(digits) for other in LOOKALIKE_DIGITS.get(digit, "")
            if check_digit(candidate := digits[:i] + other + digits[i + 1:]) == check and _valid_yymmdd(candidate)}


def _settle_dates(line: str) -> str:
    """Line 2 with a birth or expiry date whose check digit fails mended (see the module docstring):
    the one pair of readings, each as read or one look-alike digit away with its check digit holding,
    where the expiry is the birthday at a renewal age."""
    birth, birth_check, expiry, expiry_check = line[0:6], line[6], line[8:14], line[14]
    if not (birth + birth_check + expiry + expiry_check).isdigit() or expiry == _LIFELONG:
        return line
    pairs = {(b, e) for b in _readings(birth, birth_check) for e in _readings(expiry, expiry_check)
             if b[2:] == e[2:] and (int(e[:2]) - int(b[:2])) % 100 in CARD_RENEWAL_AGES}
    if len(pairs) != 1:
        return line
    (b, e), = pairs
    return b + line[6:8] + e + line[14:]


def repair_line1(text: str) -> str:
    prefix = _LINE1.match(text)
    body = _fit("IDVNM" + text[prefix.end() if prefix else 5:].lstrip("-_."), 27)
    if len(body) != LENGTH:
        return text
    return _settle_tail("IDVNM" + _digits(body[5:27]) + "<<" + _digits(body[29]))


def repair_line2(text: str) -> str:
    text = _fit(text, 18)
    if len(text) != LENGTH or not text[15:18].upper().translate(_TO_LETTER).startswith("VN"):
        return text
    sex = text[7].upper()
    sex = sex if sex in "MF<" else {"H": "M", "N": "M", "E": "F", "P": "F"}.get(sex, sex)
    return _settle_dates(_digits(text[:7]) + sex + _digits(text[8:15]) + "VNM" + "<" * 11 + _digits(text[29]))


def repair_line3(text: str) -> str:
    text = text.rstrip("-_.")
    letters = re.sub(r"[A-Z]+", lambda m: _respelled(m.group()), _letters(text))
    if len(letters) < LENGTH:
        letters += "<" * (LENGTH - len(letters))
    elif len(letters) > LENGTH and set(letters[LENGTH:]) <= {"<"}:
        letters = letters[:LENGTH]
    return letters


# Letters of the zone's font Tesseract reads one for another ("DTNH" for "DINH", "THT" for "THI").
_LOOKALIKE_LETTERS = {"T": "I", "I": "T", "L": "I", "J": "I"}


def _respelled(word: str) -> str:
    """A name word of line 3 that cannot be a Vietnamese syllable, put right when exactly one look-alike
    letter makes it one, or else exactly one dropped stray letter does ("AHONG"); else as read."""
    if is_syllable(word):
        return word
    swapped = {candidate for i, letter in enumerate(word) for other in _LOOKALIKE_LETTERS.get(letter, "")
               if is_syllable(candidate := word[:i] + other + word[i + 1:])}
    dropped = {candidate for i in range(len(word)) if is_syllable(candidate := word[:i] + word[i + 1:])}
    fits = swapped or dropped
    return fits.pop() if len(fits) == 1 else word


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

"""12-digit citizen ID numbers found in noisy OCR text ("001 090 O12345"); the structure rule itself lives
in pipeline.domain.idnumber, this module only finds candidates and repairs OCR digit confusions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.domain.idnumber import explain_id_problem, mask_id
from pipeline.extract.labels import fold_key

# On the folded key: digits, plus o/i/l/| that OCR prints for 0/1, with single spaces or dots inside.
_RUN = re.compile(r"(?<![\w])[0-9oil|](?:[ .]?[0-9oil|]){8,15}(?![\w])")
_OCR_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1"})


@dataclass(frozen=True)
class IdReading:
    value: str  # digits as read (12 when well formed)
    start: int
    end: int
    valid: bool
    reason: str = ""  # masked
    ocr_fixed: bool = False

    @property
    def masked(self) -> str:
        return mask_id(self.value)


def _read(run: str) -> tuple[str, bool]:
    compact = run.replace(" ", "").replace(".", "")
    digits = compact.translate(_OCR_DIGITS)
    return digits, digits != compact


def _one_digit_dropped(digits: str) -> str | None:
    """The 12-digit number a 13-digit reading stands for, when it can be told.

    One digit too many comes from a box edge read as "1" or a digit read twice. Kept only when
    exactly one way of dropping a digit gives a structurally valid number or, failing that, exactly
    one way of undoubling a doubled digit does ("0031..." -> "031...", where dropping the "3"
    would give a valid "001..." too).
    """
    options = {digits[:i] + digits[i + 1:] for i in range(len(digits))}
    valid = [o for o in options if explain_id_problem(o) is None]
    if len(valid) == 1:
        return valid[0]
    undoubled = {digits[:i] + digits[i + 1:] for i in range(1, len(digits)) if digits[i] == digits[i - 1]}
    valid = [o for o in undoubled if explain_id_problem(o) is None]
    return valid[0] if len(valid) == 1 else None


_GROUP = re.compile(r"[0-9oil|]+")


def _whole_number(run: str) -> re.Match[str] | None:
    """The one group of a spaced run that is a whole, valid 12-digit number by itself, when there is
    exactly one ("092086655011 1": a stray mark read after the number, which joined to it would be 13
    digits); None otherwise, and for runs of one group ("001 090 012 345" is one number in groups)."""
    groups = list(_GROUP.finditer(run))
    whole = [g for g in groups if len(g.group()) == 12 and explain_id_problem(_read(g.group())[0]) is None]
    return whole[0] if len(groups) > 1 and len(whole) == 1 else None


def find_id_numbers(text: str) -> list[IdReading]:
    """Every run that reads as a 12-digit number (structurally valid or not), in reading order.

    Runs of 9-16 digit-like characters are considered; runs that are not 12 digits long are
    reported only when nothing better exists (the caller decides), so they carry a reason.
    """
    key = fold_key(text)
    readings: list[IdReading] = []
    for m in _RUN.finditer(key):
        raw = m.group(0)
        if sum(ch.isdigit() for ch in raw) < len(raw.replace(" ", "").replace(".", "")) - 4:
            continue  # mostly letters: a word, not a number
        whole = _whole_number(raw)
        if whole is not None:
            start, end = m.start() + whole.start(), m.start() + whole.end()
            digits, fixed = _read(whole.group())
            readings.append(IdReading(digits, start, end, True, "", fixed))
            continue
        digits, fixed = _read(raw)
        if len(digits) == 13:
            dropped = _one_digit_dropped(digits)
            if dropped is not None:
                readings.append(IdReading(dropped, m.start(), m.end(), True,
                                          "one extra digit dropped to make a valid number", True))
                continue
        if len(digits) != 12:
            readings.append(IdReading(digits, m.start(), m.end(), False,
                                      f"{len(digits)} digits, an ID number has 12", fixed))
            continue
        problem = explain_id_problem(digits)
        readings.append(IdReading(digits, m.start(), m.end(), problem is None,
                                  f"{mask_id(digits)}: {problem}" if problem else "", fixed))
    return readings


def read_id_number(text: str) -> IdReading | None:
    """The best ID number in `text`: the first valid one, else the first 12-digit one, else any run."""
    readings = find_id_numbers(text)
    for r in readings:
        if r.valid:
            return r
    for r in readings:
        if len(r.value) == 12:
            return r
    return readings[0] if readings else None

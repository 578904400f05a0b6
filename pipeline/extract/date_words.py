"""A date written in Vietnamese words, as a birth certificate prints its birth date a second time:
"Ghi bằng chữ: Ngày hai mươi sáu, tháng mười một, năm hai nghìn không trăm hai mươi ba" (26/11/2023).

The words are a second witness of the digits: OCR that reads 6 for 8 in "26/11/2023" does not turn
"sáu" into "tám". They are read on folded text (no diacritics, so "sáu" and OCR's "sau" are one
word), and only when every word between "ngày", "tháng" and "năm" and the end of the line is a
number word: a word OCR garbled or an unknown word means no reading, never a guess. A word OCR
dropped ("tháng mười" for "tháng mười một") cannot be seen, so callers treat a disagreement between
the words and the digits as a reason for review, not as the words winning.
"""

from __future__ import annotations

import re
from datetime import date

from pipeline.extract.labels import fold_key

# Folded number words: digits (with the spoken variants "mốt" 1, "tư" 4, "lăm"/"nhăm" 5), tens, hundreds,
# thousands ("nghìn" in the North, "ngàn" in the South), and "linh"/"lẻ" for a zero in the tens place.
_DIGIT = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "nham": 5,
          "sau": 6, "bay": 7, "tam": 8, "chin": 9}
_TENS, _HUNDREDS, _THOUSANDS, _ZERO_TENS = "muoi", "tram", {"nghin", "ngan"}, {"linh", "le"}
_MONTH_NAMES = {"gieng": 1, "chap": 12}  # tháng giêng, tháng chạp
_NUMBER_WORDS = set(_DIGIT) | {_TENS, _HUNDREDS} | _THOUSANDS | _ZERO_TENS
_TOKEN = re.compile(r"[a-z0-9]+")  # a digit is a word too, and not a number word: no mixed readings
# "mồng"/"mùng" before days 1-10 ("ngày mồng năm").
_DAY_PREFIX = {"mong", "mung"}
# "ngày" starting the written date: a word of its own, not the end of another word.
_NGAY = re.compile(r"(?<![a-z])ngay(?![a-z])")


def _below_thousand(words: list[str]) -> int | None:
    """'hai trăm linh năm' -> 205, 'mười lăm' -> 15, 'ba mươi mốt' -> 31; None if not one number."""
    n, i = 0, 0
    if len(words) >= 2 and words[0] in _DIGIT and words[1] == _HUNDREDS:
        n, i = 100 * _DIGIT[words[0]], 2
    rest = words[i:]
    if not rest:
        return n if i else None
    if rest[0] in _ZERO_TENS:  # "hai trăm linh năm"; also "hai nghìn linh tư", the hundreds left unsaid
        return n + _DIGIT[rest[1]] if len(rest) == 2 and rest[1] in _DIGIT else None
    if rest[0] == _TENS:
        tens, rest = 10, rest[1:]
    elif len(rest) >= 2 and rest[0] in _DIGIT and rest[1] == _TENS and _DIGIT[rest[0]] >= 2:
        tens, rest = 10 * _DIGIT[rest[0]], rest[2:]
    else:
        tens = 0
    if not rest:
        return n + tens if (tens or i) else None
    if len(rest) != 1 or rest[0] not in _DIGIT:
        return None
    return n + tens + _DIGIT[rest[0]]


def parse_number_words(words: list[str]) -> int | None:
    """A number below a million from folded words ('hai nghin khong tram hai muoi ba' -> 2023)."""
    if not words or any(w not in _NUMBER_WORDS for w in words):
        return None
    cuts = [i for i, w in enumerate(words) if w in _THOUSANDS]
    if not cuts:
        return _below_thousand(words)
    if len(cuts) != 1:
        return None
    high, low = _below_thousand(words[:cuts[0]]), words[cuts[0] + 1:]
    rest = _below_thousand(low) if low else 0
    return None if high is None or rest is None else 1000 * high + rest


def _month(words: list[str]) -> int | None:
    if len(words) == 1 and words[0] in _MONTH_NAMES:
        return _MONTH_NAMES[words[0]]
    return parse_number_words(words)


def _dates_on(line: str) -> set[date]:
    """Every date the words of `line` after a "ngày" can be split into (day, "tháng", month, "năm", year
    to the end of the line); "năm" is also the number 5, so each "năm" is tried as the year's word."""
    found: set[date] = set()
    for start in _NGAY.finditer(line):
        words = _TOKEN.findall(line[start.end():])
        for t, word in enumerate(words):
            if word != "thang":
                continue
            day_words = words[1:t] if t and words[0] in _DAY_PREFIX else words[:t]
            day = parse_number_words(day_words)
            for y, other in enumerate(words[t + 1:], start=t + 1):
                if other != "nam":
                    continue
                month, year = _month(words[t + 1:y]), parse_number_words(words[y + 1:])
                if day is None or month is None or year is None or not 1900 <= year <= 2100:
                    continue
                try:
                    found.add(date(year, month, day))
                except ValueError:
                    continue
            break  # the first "tháng" after a "ngày" is the month's word
    return found


def find_date_in_words(text: str) -> date | None:
    """The one date written in words in `text` (a line, or a line and the next when the next starts with
    number words: the words wrapped); None when there is none or more than one."""
    lines = [fold_key(line).lower() for line in text.splitlines()]
    found: set[date] = set()
    for i, line in enumerate(lines):
        if not _NGAY.search(line):
            continue
        after = _TOKEN.findall(lines[i + 1])[:2] if i + 1 < len(lines) else []
        joined = _dates_on(f"{line} {lines[i + 1]}") if after and after[0] in _NUMBER_WORDS else set()
        # the year wrapped ("năm hai nghìn" / "không trăm hai mươi ba"): never the line alone then; a next
        # line that only starts with "năm" ("Năm sinh: 1996") is another line
        wrapped = len(after) == 2 and all(w in _NUMBER_WORDS for w in after)
        found |= joined or (set() if wrapped else _dates_on(line))
    return found.pop() if len(found) == 1 else None

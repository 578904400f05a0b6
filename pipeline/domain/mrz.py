"""The machine-readable zone on the back of a chip-based ID card (CCCD): ICAO 9303 TD1, three lines of
30 characters (A-Z, 0-9 and the filler "<").

As printed on Vietnamese cards since 2021:
- line 1: "IDVNM", the last 9 digits of the ID number, their check digit, the 12-digit ID number,
  "<<", a check digit;
- line 2: birth date YYMMDD and its check digit, sex M/F, expiry YYMMDD and its check digit, "VNM",
  fillers, a check digit;
- line 3: the name without diacritics, "SURNAME<<GIVEN<NAMES", padded with "<".

The check digits make the zone a second, self-checking reading of the number and dates printed on
the front: `read_td1` keeps a value only when its check digit holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

LENGTH = 30

_LINE1 = re.compile(r"IDVNM(?P<tail>[0-9]{9})(?P<tail_check>[0-9])(?P<number>[0-9]{12})?")
# Line 1 with one character read in too many after "IDVNM" ("IDVNM0083961101704808396110<<5" for
# "IDVNM0839611017048083961101<<5"): everything after it one place late, the number's last digit pushed out.
_LINE1_SHIFTED = re.compile(r"IDVNM[0-9A-Z<](?P<tail>[0-9]{9})(?P<tail_check>[0-9])(?P<number>[0-9]{11})")
_LINE2 = re.compile(r"(?<![0-9])(?P<birth>[0-9]{6})(?P<birth_check>[0-9])(?P<sex>[MF<])"
                    r"(?P<expiry>[0-9]{6})(?P<expiry_check>[0-9])(?:V|\\/)NM")  # OCR reads V as "\/" too
_LINE3 = re.compile(r"^(?P<name>[A-Z]+<<[A-Z<]+)$")


def check_digit(data: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1; "<" counts 0, A-Z 10-35)."""
    total = 0
    for i, ch in enumerate(data):
        value = int(ch) if ch.isdigit() else 0 if ch == "<" else ord(ch) - 55
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


@dataclass(frozen=True)
class Td1:
    """What the zone says, each part only when its check digit holds (else None)."""

    id_tail: str | None = None  # the last 9 digits of the ID number
    id_number: str | None = None  # the 12 digits, when they end with a checked id_tail
    birth: tuple[int, int, int] | None = None  # (yy, mm, dd): the century is not in the zone
    sex: str | None = None  # "nam" / "nu"
    expiry: date | None = None
    name: str | None = None  # "HUYNH BICH HUONG"


def _yymmdd(digits: str, century: int) -> date | None:
    try:
        return date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


def read_td1(text: str) -> Td1 | None:
    """The zone read from OCR text (lines as the OCR gives them, spaces ignored), or None without one."""
    found: dict[str, object] = {}
    for raw in text.splitlines():
        line = re.sub(r"\s+", "", raw)
        if m := _LINE1.search(line):
            if check_digit(m["tail"]) == m["tail_check"]:
                found["id_tail"] = m["tail"]
                if m["number"] and m["number"].endswith(m["tail"]):
                    found["id_number"] = m["number"]
            elif (shifted := _LINE1_SHIFTED.search(line)) and check_digit(shifted["tail"]) == shifted["tail_check"]:
                # the shifted tail's check digit holds, and the 11 digits left of the number agree with it
                found["id_tail"] = shifted["tail"]
                if shifted["number"][3:] == shifted["tail"][:8]:
                    found["id_number"] = shifted["number"][:3] + shifted["tail"]
        elif m := _LINE2.search(line):
            if check_digit(m["birth"]) == m["birth_check"]:
                found["birth"] = (int(m["birth"][:2]), int(m["birth"][2:4]), int(m["birth"][4:6]))
            if m["sex"] in "MF":
                found["sex"] = "nam" if m["sex"] == "M" else "nu"
            if check_digit(m["expiry"]) == m["expiry_check"]:
                found["expiry"] = _yymmdd(m["expiry"], 2000)
        elif m := _LINE3.match(line) or next(filter(None, map(_LINE3.match, raw.split())), None):  # or marks beside it
            surname, _, given = m["name"].partition("<<")
            found["name"] = " ".join([surname] + [part for part in given.split("<") if part])
    return Td1(**found) if found else None  # type: ignore[arg-type]


def birth_date(td1: Td1, century: int) -> date | None:
    """The zone's birth date in `century` (from the ID number's century digit), if real."""
    if td1.birth is None:
        return None
    yy, mm, dd = td1.birth
    try:
        return date(century + yy, mm, dd)
    except ValueError:
        return None

"""Values of land-use certificates (giấy chứng nhận QSDĐ): parcel and map-sheet numbers, areas in m²,
certificate serials ("CN 719597") and register numbers ("CS 01234"), read from OCR text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


_OCR_DIGITS = str.maketrans({"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "|": "1", "S": "5", "s": "5"})
_NUMBER = re.compile(r"(?<![\w])([0-9][0-9oOlI]*|[oOlI][0-9][0-9oOlI]*)(?![\w])")
# 126,5 m² | 126.5m2 | 1.250,5 m2 | 1 250 m² (the unit may be missing when the label says m²)
_AREA = re.compile(r"(?<![\w.,])(\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)\s*(?:m\s*[²2]|m\b|met)?", re.I)
_SERIAL = re.compile(r"(?<![\w])([A-ZĐ]{2})\s?([0-9OIl]{6})(?![0-9])")
_REGISTER = re.compile(r"(?<![\w])([A-Z]{1,3}\s?[0-9OIl]{3,8}|[0-9]{3,8})(?![\w])")


@dataclass(frozen=True)
class ValueReading:
    value: str
    valid: bool
    reason: str = ""
    ocr_fixed: bool = False


def read_small_number(text: str, *, max_digits: int = 6) -> ValueReading | None:
    """The first whole number ("thửa đất số: 123", "tờ bản đồ số 45"), O/l/I repaired."""
    m = _NUMBER.search(text)
    if not m:
        return None
    raw = m.group(1)
    digits = raw.translate(_OCR_DIGITS)
    if not digits.isdigit():
        return None
    value = str(int(digits))
    if len(value) > max_digits:
        return ValueReading(value, False, f"{len(value)} digits is too long for this number", digits != raw)
    if int(value) == 0:
        return ValueReading(value, False, "number is zero", digits != raw)
    return ValueReading(value, True, "", digits != raw)


def read_area(text: str) -> ValueReading | None:
    """An area in square metres as a decimal with a dot: '126,5 m²' -> '126.5', '1.250 m2' -> '1250'."""
    m = _AREA.search(text)
    if not m:
        return None
    raw = m.group(1)
    if "," in raw:  # Vietnamese: dots (or spaces) group thousands, the comma is the decimal mark
        number = raw.replace(".", "").replace(" ", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+", raw):
        number = raw.replace(".", "").replace(" ", "")
    else:
        number = raw
    try:
        amount = float(number)
    except ValueError:
        return None
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    number = number.lstrip("0") or "0"
    if number.startswith("."):
        number = "0" + number
    if amount <= 0:
        return ValueReading(number, False, "area is zero")
    if amount > 10_000_000:  # 1,000 ha: larger than any single residential/agricultural parcel certificate
        return ValueReading(number, False, "implausibly large area")
    return ValueReading(number, True)


def read_serial(text: str) -> ValueReading | None:
    """A certificate serial: two capital letters (Đ included: 'DĐ') and six digits ('CN 719597')."""
    m = _SERIAL.search(text)
    if not m:
        return None
    digits = m.group(2).translate(_OCR_DIGITS)
    return ValueReading(f"{m.group(1)} {digits}", True, "", digits != m.group(2))


def read_register_number(text: str) -> ValueReading | None:
    """'Số vào sổ cấp GCN: CS 01234' -> 'CS 01234' (letters + digits, or digits alone)."""
    m = _REGISTER.search(text)
    if not m:
        return None
    raw = m.group(1)
    letters = re.match(r"[A-Z]*", raw).group(0)
    rest = raw[len(letters):].strip().translate(_OCR_DIGITS)
    value = f"{letters} {rest}" if letters else rest
    return ValueReading(value, rest.isdigit(), "" if rest.isdigit() else "register number is not letters + digits")



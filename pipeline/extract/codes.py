"""Codes printed on papers: business codes (mã số doanh nghiệp, 10 or 13 digits) and document numbers
"Số: 123/QĐ-UBND" (số/ký hiệu), tolerant of OCR spacing and the Icelandic Ð read for Đ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.labels import fold_key

_OCR_DIGITS = str.maketrans({"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "|": "1"})
# Household business registration numbers: 2-digit province code, a capital letter, 7 digits ("19A8012345").
_HOUSEHOLD = re.compile(r"(?<![\w])(\d{2}[A-HJ-NP-Z])([0-9OIl]{7})(?![\w])")
_BUSINESS = re.compile(r"(?<![\w])([0-9oOlI](?:[ .]?[0-9oOlI]){9})(?:\s?[-–]\s?([0-9oOlI]{3}))?(?![\w])")

# A ký hiệu: letter groups joined by hyphens ("QĐ-UBND", "VPCP-CN", "TT-BCT", "QĐ-TTg", "TTr-SXD"),
# optionally preceded by a year ("21/2026/TT-BCT").
_SYMBOL_PART = r"[A-ZĐÐ][A-ZĐÐa-z0-9&]*"
_SYMBOL = rf"(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?(?P<sym>{_SYMBOL_PART}(?:\s*[-–]\s*{_SYMBOL_PART})+)"
_DOC_NUMBER = re.compile(rf"(?P<num>[^\s/:]{{0,8}}(?:\s[^\s/:]{{1,3}})?)\s*/\s*{_SYMBOL}")
_SO_LABEL = re.compile(r"(?<![\w])s[oóô0][\s.]*[:;.]")


@dataclass(frozen=True)
class CodeReading:
    value: str
    valid: bool
    reason: str = ""
    ocr_fixed: bool = False


def read_business_code(text: str) -> CodeReading | None:
    """'Mã số doanh nghiệp: 0101234567' -> '0101234567'; a branch code keeps its suffix: '0101234567-001';
    a household business code keeps its letter: '19A8012345' (province, letter, 7 digits)."""
    household = _HOUSEHOLD.search(text)
    if household:
        digits = household.group(2).translate(_OCR_DIGITS)
        return CodeReading(f"{household.group(1)}{digits}", digits.isdigit(), "" if digits.isdigit()
                           else "household business code has non-digit characters", digits != household.group(2))
    m = _BUSINESS.search(text)
    if not m:
        return None
    main = m.group(1).replace(" ", "").replace(".", "")
    digits = main.translate(_OCR_DIGITS)
    value = digits + (f"-{m.group(2).translate(_OCR_DIGITS)}" if m.group(2) else "")
    fixed = digits != main or (m.group(2) or "") != (m.group(2) or "").translate(_OCR_DIGITS)
    if not value.replace("-", "").isdigit():
        return CodeReading(value, False, "business code has non-digit characters", fixed)
    return CodeReading(value, True, "", fixed)


@dataclass(frozen=True)
class DocNumberReading:
    value: str  # "123/QĐ-UBND" as printed (spaces dropped); "/KH-UBND" when the number was left blank
    number: str  # the running number part ("123"), "" when blank
    symbol: str  # "QĐ-UBND", with the year when printed: "2026/TT-BCT"
    valid: bool
    reason: str = ""
    start: int = 0
    end: int = 0


def _clean_symbol(year: str | None, sym: str) -> str:
    sym = re.sub(r"\s*[-–]\s*", "-", sym).replace("Ð", "Đ")
    return f"{year}/{sym}" if year else sym


def read_doc_number(text: str) -> DocNumberReading | None:
    """The số/ký hiệu after a "Số:" label in `text` (the header line of an official document)."""
    key = fold_key(text)
    for label in _SO_LABEL.finditer(key):
        m = _DOC_NUMBER.match(text, label.end() + (len(text[label.end():]) - len(text[label.end():].lstrip())))
        if not m:
            continue
        return _reading(m)
    return None


def parse_doc_number(value: str) -> DocNumberReading | None:
    """A bare số/ký hiệu ('123/QĐ-UBND') with no label in front."""
    m = _DOC_NUMBER.search(value.strip())
    return _reading(m) if m else None


def _reading(m: re.Match[str]) -> DocNumberReading:
    raw_num = m["num"].strip()
    symbol = _clean_symbol(m["year"], m["sym"])
    compact = raw_num.replace(" ", "")
    if not compact or set(compact) <= set("._…-"):
        return DocNumberReading(f"/{symbol}", "", symbol, False, "number left blank on the paper",
                                m.start(), m.end())
    digits = compact.translate(_OCR_DIGITS)
    if digits.isdigit():
        return DocNumberReading(f"{digits}/{symbol}", digits, symbol, True, "", m.start(), m.end())
    return DocNumberReading(f"{compact}/{symbol}", compact, symbol, False,
                            "number part is not readable as digits (handwritten?)", m.start(), m.end())

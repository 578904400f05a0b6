"""Dates a paper states in a second way: a yearly register's year, a birth date in words, a validity the
law fixes. Each function completes or settles one date from the other statement, at a lowered confidence
and with a reason, and otherwise returns the fields as they were.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from pipeline.domain.idnumber import explain_id_problem, parse_id
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Field
from pipeline.extract.date_words import find_date_in_words
from pipeline.extract.dates import DateKind, check_plausible
from pipeline.extract.invalid import invalidate
from pipeline.extract.labels import fold_key

# Papers entered in a yearly register, which print the register's year beside the entry ("Quyển số: 01/2017",
# "Số vào sổ cấp bằng: 5989/1996"), and the field dated in that year.
REGISTER_DATES = {PaperType.GIAY_CHUNG_NHAN_KET_HON: "registered_on", PaperType.BANG_CAP: "date"}
_REGISTER_YEAR = re.compile(r"(?:quyen so|so vao so)[^/\n]{0,24}?\d{1,6}\s?/\s?((?:19|20)\d\d)(?!\d)")
# A date whose year OCR cut short ("07/09/20 í", "ngày 22 tháng 6 năm" / "199"): two or three digits.
_CUT_YEAR = (re.compile(r"(?<!\d)(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{2,3})(?![\d/])"),
             re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{2,3})(?!\d)"))
# Confidence of a date whose cut year another statement of the paper completes.
CUT_YEAR_CONFIDENCE = 0.6


def _completed(key: str, years: set[int]) -> set[date]:
    """The dates in `key` (folded text) whose year OCR cut short (`_CUT_YEAR`), each completed by every year
    of `years` its digits begin."""
    found = set()
    for pattern in _CUT_YEAR:
        for m in pattern.finditer(key):
            for year in years:
                if not str(year).startswith(m.group(3)):
                    continue
                try:
                    found.add(date(year, int(m.group(2)), int(m.group(1))))
                except ValueError:
                    continue
    return found


def with_register_year(paper_type: PaperType, fields: dict[str, Field], text: str,
                        today: date | None) -> dict[str, Field]:
    """A registration or issue date whose year OCR cut short, on a paper that prints its register's year:
    the one cut date whose year digits begin that year gets it. Registers are kept per year, so the
    entry's date is in the register's year."""
    name = REGISTER_DATES[paper_type]
    if name in fields:
        return fields
    key = fold_key(text)
    years = {int(m.group(1)) for m in _REGISTER_YEAR.finditer(key)}
    if len(years) != 1:
        return fields
    year = years.pop()
    found = _completed(key, {year})
    if len(found) != 1:
        return fields
    value = found.pop()
    if check_plausible(value, DateKind.ISSUE, today=today):
        return fields
    return {**fields, name: Field(value.isoformat(), CUT_YEAR_CONFIDENCE, True,
                                  f"year cut short in the reading; the register's year is {year}")}


# A Giấy xác nhận tình trạng hôn nhân is valid for 6 months from its issue date (Nghị định 123/2015/NĐ-CP,
# art. 23). A period in months starts the day after the event and ends with the same-numbered day of its
# last month (Bộ luật Dân sự 2015, art. 147-148): issued 14/10/2024, valid to 14/04/2025 inclusive.
MARITAL_STATUS_VALID_MONTHS = 6
# A printed end this many days past the legal one is still taken as the paper's own (a clerk's rounding).
VALIDITY_SLACK_DAYS = 7
LEGAL_VALIDITY_CONFIDENCE = 0.5


def months_later(start: date, months: int) -> date:
    """The same day `months` calendar months after `start` (the month's last day when it has no such day)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def legal_validity_end(issued: date) -> date:
    """The last day a marital-status certificate issued on `issued` is valid."""
    return months_later(issued, MARITAL_STATUS_VALID_MONTHS)


def with_legal_validity(fields: dict[str, Field], text: str) -> dict[str, Field]:
    """A marital-status certificate's end of validity not read as a date, its issue date read: the one date
    whose year OCR cut short ("10/12/20") that completes to a day within the legal 6 months takes that year;
    with none, the legal end itself stands in, at a low confidence and saying so, so that the paper is
    neither reused past the law's limit nor refused while it is still valid."""
    issued, current = fields.get("issued_on"), fields.get("valid_until")
    if issued is None or not issued.valid or (current is not None and current.valid):
        return fields
    start = date.fromisoformat(issued.value)
    end = legal_validity_end(start)
    latest = end + timedelta(days=VALIDITY_SLACK_DAYS)
    found = {d for d in _completed(fold_key(text), {start.year, end.year}) if start < d <= latest}
    if len(found) == 1:
        return {**fields, "valid_until": Field(found.pop().isoformat(), CUT_YEAR_CONFIDENCE, True,
                                               "year cut short in the reading; the only year within the 6 months "
                                               "from the issue date")}
    read = f"read {current.value!r}, not a date; " if current is not None and current.value else "not read; "
    return {**fields, "valid_until": Field(end.isoformat(), LEGAL_VALIDITY_CONFIDENCE, True,
                                           read + "6 months from the issue date, as the law sets")}


# Confidence of a birth date taken from its words alone (the digits lost, impossible, or misread).
WORDS_DATE_CONFIDENCE = 0.7


def with_birth_date_in_words(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
    """A birth certificate writes the birth date again in words ("Ghi bằng chữ: Ngày hai mươi sáu, tháng mười
    một, năm hai nghìn không trăm hai mươi ba", extract.date_words). Digits not read or read as no plausible
    date: the words give it. Digits that disagree with the words: a digit or a word was misread (OCR can drop
    "một" of "mười một" unseen). The ID number settles it when its birth year is the words' year; else the
    digits stay, flagged for review."""
    written = find_date_in_words(text)
    if written is None or check_plausible(written, DateKind.BIRTH, today=today):
        return fields
    current, ident = fields.get("date_of_birth"), fields.get("id_number")
    if current is not None and current.valid and current.value == written.isoformat():
        return fields
    out = dict(fields)
    if current is None or not current.valid:
        out["date_of_birth"] = Field(written.isoformat(), WORDS_DATE_CONFIDENCE, True, "read from the date in words")
        return out
    id_year = (parse_id(ident.value).birth_year if ident is not None and re.fullmatch(r"[0-9]{12}", ident.value)
               and explain_id_problem(ident.value) is None else None)
    read = date.fromisoformat(current.value)
    if id_year == read.year != written.year:
        return fields  # the ID number backs the digits: a word was misread
    if id_year == written.year != read.year:
        out["date_of_birth"] = Field(written.isoformat(), min(current.confidence, WORDS_DATE_CONFIDENCE), True,
                                     f"digits read {read.strftime('%d/%m/%Y')}; the date in words and the ID "
                                     f"number's birth year say {written.year}")
    else:
        out["date_of_birth"] = invalidate(current, f"the date in words says {written.strftime('%d/%m/%Y')}")
    return out


def check_legal_validity(fields: dict[str, Field]) -> dict[str, Field]:
    """A marital-status certificate valid for longer than the law's 6 months: one of its two dates was
    misread (or the paper is not genuine), and the paper cannot tell which, so both go to review."""
    issued, until = fields.get("issued_on"), fields.get("valid_until")
    if issued is None or until is None or not issued.valid or not until.valid:
        return fields
    end = legal_validity_end(date.fromisoformat(issued.value))
    if date.fromisoformat(until.value) <= end + timedelta(days=VALIDITY_SLACK_DAYS):
        return fields
    reason = (f"valid until {date.fromisoformat(until.value).strftime('%d/%m/%Y')}, past "
              f"{end.strftime('%d/%m/%Y')} (6 months from the issue date, the longest the law allows)")
    return {**fields, "valid_until": invalidate(until, reason), "issued_on": invalidate(issued, reason)}

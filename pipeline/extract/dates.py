"""Dates as printed on Vietnamese papers ("05/3/2024", "5-3-2024", "ngày 05 tháng 3 năm 2024"), read from
OCR text that confuses O/0, l/I/1 and S/5 inside digit runs, and checked for being a real, plausible date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pipeline.domain.confusions import DATE_DIGIT_LETTERS, LOOKALIKE_DIGITS
from pipeline.extract.labels import fold_key

# A digit as OCR may print it (on the folded, lower-case key): domain.confusions.DATE_DIGIT_LETTERS.
_D = "[0-9" + "".join(re.escape(ch) for ch in DATE_DIGIT_LETTERS) + "]"
_OCR_DIGITS = str.maketrans(DATE_DIGIT_LETTERS)
# Where a date starts and ends: not inside a word or a number. An underscore is a dotted leader's
# remains, not a letter ("25/08/1986_."), so it bounds a date like a space.
_START = r"(?<![^\W_])(?<![/.\-])"
_END = r"(?![^\W_])"
# A numeric date's day, month or year may be read split in two by a space ("26/1 1/2023",
# "26/03/1 976"), as narrow digits of some fonts are on photocopies; once per number.
_Y = rf"(?:{_D}{{4}}|{_D} {_D}{{3}}|{_D}{{2}} {_D}{{2}}|{_D}{{3}} {_D})"
_NUMERIC = re.compile(
    rf"{_START}(?P<d>{_D}(?: ?{_D})?)\s?[/.\-]\s?(?P<m>{_D}(?: ?{_D})?)\s?[/.\-]\s?(?P<y>{_Y}){_END}(?!/)"
)
# "ngày 05 tháng 3 năm 2024", also glued ("ngày23 tháng 4") or with dotted blanks ("ngày.2{_ tháng"); the
# words between the numbers may lose their first letters to OCR ("tháng 5 :ăm 2024", "†háng") or the vowel
# of "tháng" or "năm" ("thóng", "nũm"), or the "m" of "năm" ("năn:", "nă ¡998", "năin": m read as "in" or "rn"). The
# vowel of "ngày" may be misread too ("ngòy"). The gaps before a number are lazy so a
# digit read as a mark stays in the number ("ngày !0" is day 10, not 0). A day may be read split in two
# ("ngày 1 7 tháng 6": the 17th), as in the numeric form.
_WORDS = re.compile(
    rf"ng[aoe]y\W{{0,4}}?(?P<d>{_D}(?: ?{_D})?)\W{{0,4}}(?:[^\d\s]{{0,2}}ang|th[^\d\s]ng)"
    rf"\W{{0,4}}?(?P<m>{_D}{{1,2}})\W{{0,4}}(?:[^\d\s]?am|n[^\d\s](?:[mn]|in|rn)|na)\W{{0,4}}?(?P<y>{_D}{{4}}){_END}"
)
_INTACT_WORDS = re.compile(r"^ngay\W.*\Wthang\W.*\Wnam\W")
# A day or month with a symbol glued to it ("ngày8#tháng 4", "ngày 2* tháng") was not printed but
# written into the blank by hand: the digit OCR made of it is a guess. Such a date is reported
# unreadable rather than read as a wrong day. Punctuation that does follow a number is not a sign.
_GLUED_JUNK = re.compile(r"[^\w\s,.:;/\-]")
# A long date with one of its words lost to OCR, the other two intact: "ngày 3l tháng 05 2024" (no
# "năm"), "ng 03 tháng 04 năm 2023" ("ngày" cut by a leader). The year is four real digits.
_PARTIAL_WORDS = (
    re.compile(rf"ngay\s?(?P<d>{_D}{{1,2}})\s?thang\s?(?P<m>{_D}{{1,2}})\s+(?P<y>[0-9]{{4}}){_END}"),
    re.compile(rf"(?<![^\W_])(?<!/)(?P<d>{_D}{{1,2}})\s?thang\s?(?P<m>{_D}{{1,2}})\s?nam\s?(?P<y>[0-9]{{4}}){_END}"),
)
# A numeric date that lost one separator: "12/031986", "1203/1986".
_ONE_SEPARATOR = (
    re.compile(rf"{_START}(?P<d>{_D}{{1,2}})\s?[/.\-]\s?(?P<m>{_D}{{2}})(?P<y>[0-9]{{4}}){_END}(?!/)"),
    re.compile(rf"{_START}(?P<d>{_D}{{2}})(?P<m>{_D}{{2}})\s?[/.\-]\s?(?P<y>[0-9]{{4}}){_END}(?!/)"),
)
# A printed date line whose day and/or month were left blank (an unissued draft): "ngày   tháng   năm 2026".
_BLANK = re.compile(r"ngay[\s._…\-—]{0,16}thang[\s._…\-—]{0,16}nam(?:[\s._…]{0,4}(?P<y>[0-9]{4}))?")

EARLIEST_YEAR = 1900


class DateKind(StrEnum):
    """What a date means decides what is plausible: a birth date is never in the future."""

    ANY = "any"
    BIRTH = "birth"  # not in the future, not before 1900
    ISSUE = "issue"  # an event that already happened (issue, registration, signature)
    EXPIRY = "expiry"  # after the issue date when that is known


@dataclass(frozen=True)
class DateReading:
    """A date found in text: the value (None if impossible), the span, and why it is not valid."""

    value: date | None
    raw: str
    start: int
    end: int
    reason: str = ""  # empty = valid and plausible
    ocr_fixed: bool = False  # digits were repaired from O/l/I/S confusions

    @property
    def valid(self) -> bool:
        return self.value is not None and not self.reason

    @property
    def iso(self) -> str:
        return self.value.isoformat() if self.value else ""


def _digits(raw: str) -> tuple[str, bool]:
    fixed = raw.translate(_OCR_DIGITS).replace(" ", "")
    return fixed, fixed != raw.replace(" ", "")


def _build(d: str, m: str, y: str, raw: str, start: int, end: int, anchored: bool = False) -> DateReading | None:
    """`anchored`: the day and month stand between the intact words "ngày", "tháng" and "năm", which say they
    are numbers, so a day or month read wholly as a look-alike ("tháng Š năm") may be repaired."""
    dd, f1 = _digits(d)
    mm, f2 = _digits(m)
    yy, f3 = _digits(y)
    if not (dd.isdigit() and mm.isdigit() and yy.isdigit()):
        return None
    # A repaired run must still be mostly real digits, or "lis/oil/soil" would be a date.
    if sum(ch.isdigit() for ch in y) < 3:
        return None
    if not anchored and not (any(ch.isdigit() for ch in d) and any(ch.isdigit() for ch in m)):
        return None
    day, month, year = int(dd), int(mm), int(yy)
    try:
        value = date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            reason = f"impossible date: month {month:02d} does not exist"
        else:
            reason = f"impossible date: day {day:02d} does not exist in month {month:02d}/{year}"
        return DateReading(None, raw, start, end, reason, f1 or f2 or f3)
    return DateReading(value, raw, start, end, "", f1 or f2 or f3)


def find_dates(text: str) -> list[DateReading]:
    """Every date in `text`, in reading order (numeric and "ngày … tháng … năm …" forms)."""
    key = fold_key(text)
    found: list[DateReading] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_WORDS, _NUMERIC, *_PARTIAL_WORDS, *_ONE_SEPARATOR):
        repaired = pattern in _PARTIAL_WORDS or pattern in _ONE_SEPARATOR
        for m in pattern.finditer(key):
            if any(m.start() < e and m.end() > s for s, e in taken):
                continue
            anchored = pattern is _WORDS and _INTACT_WORDS.search(m.group(0)) is not None
            reading = _build(m["d"], m["m"], m["y"], text[m.start():m.end()], m.start(), m.end(), anchored)
            if reading is not None and pattern is _WORDS and _handwritten(key, m):
                reading = DateReading(None, reading.raw, m.start(), m.end(),
                                      "the day or month is not clearly printed (handwritten into the blank?)")
            if reading is not None and (reading.valid or not repaired):  # a repaired form must be a real date
                found.append(reading)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda r: r.start)
    return found


def _handwritten(key: str, m: re.Match[str]) -> bool:
    """Whether a symbol is glued to the day or the month of a "ngày … tháng …" date (`_GLUED_JUNK`)."""
    return any(m.end(g) < len(key) and _GLUED_JUNK.match(key, m.end(g)) for g in ("d", "m"))


def find_blank_date(text: str) -> DateReading | None:
    """A printed "ngày … tháng … năm …" whose day and month were left blank (drafts, forms)."""
    m = _BLANK.search(fold_key(text))
    if not m:
        return None
    year = f" {m['y']}" if m["y"] else ""
    return DateReading(None, text[m.start():m.end()], m.start(), m.end(),
                       f"date left blank on the paper (only the year{year} printed)" if year
                       else "date left blank on the paper")


def check_plausible(value: date, kind: DateKind = DateKind.ANY, *, today: date | None = None,
                    after: date | None = None) -> str:
    """Empty string if `value` is plausible for its kind, else the reason."""
    today = today or date.today()
    if value.year < EARLIEST_YEAR:
        return f"implausible year {value.year} (before {EARLIEST_YEAR})"
    if kind in (DateKind.BIRTH, DateKind.ISSUE) and value > today:
        return f"{'birth' if kind is DateKind.BIRTH else 'issue'} date in the future (year {value.year})"
    if kind is DateKind.EXPIRY and after is not None and value <= after:
        return "expiry date is not after the issue date"
    if kind is DateKind.ANY and value.year > today.year + 100:
        return f"implausible year {value.year}"
    return ""


def parse_date(text: str, kind: DateKind = DateKind.ANY, *, today: date | None = None,
               after: date | None = None) -> DateReading | None:
    """The first date in `text`, checked for `kind`; None when there is no date at all.

    A date that exists but is implausible comes back with its value and a reason; an impossible
    one (31/02) with value None and a reason.
    """
    dates = find_dates(text)
    if not dates:
        return None
    first = dates[0]
    if first.value is None:
        return first
    reason = check_plausible(first.value, kind, today=today, after=after)
    if reason and kind is DateKind.ISSUE and first.value > (today or date.today()):
        past = _past_year_alike(first.value, kind, today)
        if past is not None:
            return DateReading(past, first.raw, first.start, first.end, "", True)
    if reason:
        return DateReading(first.value, first.raw, first.start, first.end, reason, first.ocr_fixed)
    return first


def _past_year_alike(value: date, kind: DateKind, today: date | None) -> date | None:
    """An issue date read in the future ("01/07/2923" for 2023): the one date one look-alike digit
    (`domain.confusions`) away in its year that is plausible for `kind`; None when none or several. Birth
    dates are not repaired here: the ID number settles their year (extract.checks.settle_birth_years)."""
    year = f"{value.year:04d}"
    found = set()
    for i, digit in enumerate(year):
        for other in LOOKALIKE_DIGITS.get(digit, ""):
            try:
                candidate = value.replace(year=int(year[:i] + other + year[i + 1:]))
            except ValueError:  # 29 February
                continue
            if not check_plausible(candidate, kind, today=today):
                found.add(candidate)
    return found.pop() if len(found) == 1 else None

"""The citizen ID card (CCCD): what a card says twice, used when OCR garbled one of the two.

A card prints its holder's birth date, its expiry (on the 25th, 40th or 60th birthday,
`domain.papers.CARD_RENEWAL_AGES`) and issue date, and on its back a machine-readable zone that repeats
the number, birth date, expiry and name with check digits (`domain.mrz`). Each function below takes the
fields read under their labels and the card's text, and returns them with one kind of gap or
disagreement settled from the other reading, at a lowered confidence and with a reason; otherwise the
fields as they were. `read_card_again` applies them in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pipeline.domain.confusions import LOOKALIKE_DIGITS
from pipeline.domain.idnumber import check_against, explain_id_problem, mask_id, parse_id
from pipeline.domain.mrz import Td1, birth_date, read_td1
from pipeline.domain.papers import CARD_RENEWAL_AGES
from pipeline.domain.records import Field
from pipeline.domain.vntext import strip_diacritics
from pipeline.extract.dates import DateKind, check_plausible, find_dates
from pipeline.extract.invalid import invalidate
from pipeline.extract.names import accent_bare_name

# Confidence of a card's birth date found as the one date in its ID number's birth year (its label lost).
ID_YEAR_BIRTH_CONFIDENCE = 0.6


def _with_lost_birth_date(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
    """A card's birth date whose label OCR garbled ("(e of birth: 17/07/1999", "Date Oƒ binh: 22/01/1997") is
    still one of its printed dates: the one whose 25th, 40th or 60th birthday is printed too (the expiry,
    which is then taken as well), or else the one in the birth year the card's valid ID number encodes."""
    current = fields.get("date_of_birth")
    if current is not None and current.valid:
        return fields
    printed = {d.value for d in find_dates(text) if d.value is not None and d.valid}
    births = {d for d in printed if not check_plausible(d, DateKind.BIRTH, today=today)}
    renewals = {(born, until) for born in births for until in printed
                if (until.month, until.day) == (born.month, born.day) and until.year - born.year in CARD_RENEWAL_AGES}
    out = dict(fields)
    if len({born for born, _ in renewals}) == 1:
        born = next(iter(renewals))[0]
        out["date_of_birth"] = Field(born.isoformat(), RENEWAL_CONFIDENCE, True,
                                     "the printed date whose 25th, 40th or 60th birthday is printed too")
        expiry = out.get("valid_until")
        if len(renewals) == 1 and (expiry is None or not expiry.valid):
            out["valid_until"] = Field(next(iter(renewals))[1].isoformat(), RENEWAL_CONFIDENCE, True, _RENEWAL_REASON)
        return out
    ident = fields.get("id_number")
    if ident is None or not ident.valid or explain_id_problem(ident.value, today=today) is not None:
        return fields
    year = parse_id(ident.value, today=today).birth_year
    same_year = {d for d in births if d.year == year}
    if len(same_year) != 1:
        return fields
    out["date_of_birth"] = Field(same_year.pop().isoformat(), ID_YEAR_BIRTH_CONFIDENCE, True,
                                 "the card's one printed date in the birth year of its ID number")
    return out


# Confidence of a card's issue date found as its one other date (its label lost to OCR).
ISSUE_DATE_CONFIDENCE = 0.6


def _with_issue_date(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
    """A card's issue date whose label OCR garbled ("Ngày. :':ang, năm / Date, ¡::o:ìth, year: 12/12/2021"):
    a card prints three dates, the birth date and the expiry (again in its zone) and the issue date, so the
    one other date, after the birth date, not in the future and before the expiry, is the issue date. The
    back of a card (its machine-readable zone, "<<") prints no other date."""
    if (current := fields.get("issued_on")) is not None and current.valid:
        return fields
    dob, expiry = fields.get("date_of_birth"), fields.get("valid_until")
    born = date.fromisoformat(dob.value) if dob is not None and dob.valid else None
    if born is None and "<<" not in text:
        return fields  # a front side whose birth date was lost: its other date may be an expired card's expiry
    until = date.fromisoformat(expiry.value) if expiry is not None and expiry.valid else None
    left = {d.value for d in find_dates(text) if d.value is not None and d.valid and d.value not in (born, until)
            and not check_plausible(d.value, DateKind.ISSUE, today=today)
            and (born is None or d.value > born) and (until is None or d.value < until)}
    if len(left) != 1:
        return fields
    return {**fields, "issued_on": Field(left.pop().isoformat(), ISSUE_DATE_CONFIDENCE, True,
                                         "the card's one date besides its birth date and expiry")}


# Confidence of a birth year and ID number put right by the card's expiry (a renewal birthday).
EXPIRY_SETTLED_CONFIDENCE = 0.6


def _with_birth_year_from_expiry(fields: dict[str, Field], text: str) -> dict[str, Field]:
    """A card whose birth year and ID number agree with each other but not with its expiry: OCR misread
    the same year digit in both ("1932" and "001032…" on a card valid until 21/01/2042, for 1982). A
    card expires on its holder's 25th, 40th or 60th birthday, so the printed date with the birthday's
    day and month settles the year when exactly one look-alike digit (`domain.confusions`) in the
    year's last two digits makes it a renewal birthday; the ID number's year digits change with it."""
    ident, dob = fields.get("id_number"), fields.get("date_of_birth")
    if ident is None or dob is None or not ident.valid or not dob.valid or not re.fullmatch(r"[0-9]{12}", ident.value):
        return fields
    born = date.fromisoformat(dob.value)
    if check_against(ident.value, birth_date=born) or born.year % 100 != int(ident.value[4:6]):
        return fields
    printed = _on_birthdays(text, born)
    known = fields.get("valid_until")  # read, or vouched for by the machine-readable zone's check digit
    if known is not None and known.valid and re.fullmatch(r"\d{4}-\d{2}-\d{2}", known.value) \
            and known.value[4:] == dob.value[4:]:
        printed.add(date.fromisoformat(known.value))
    if any(e.year - born.year in CARD_RENEWAL_AGES for e in printed):
        return fields  # the expiry agrees: nothing to settle
    year = f"{born.year:04d}"
    found = {(e, year[:i] + other + year[i + 1:]) for e in printed for i in (2, 3)
             for other in LOOKALIKE_DIGITS.get(year[i], "")
             if e.year - int(year[:i] + other + year[i + 1:]) in CARD_RENEWAL_AGES}
    if len(found) != 1:
        return fields
    expiry, settled = found.pop()
    number = ident.value[:4] + settled[2:] + ident.value[6:]
    try:
        new_dob = born.replace(year=int(settled))
    except ValueError:  # 29 February
        return fields
    reason = (f"birth year read {born.year} in the date and the ID number; the card's expiry "
              f"{expiry.strftime('%d/%m/%Y')} is a renewal birthday only for {settled}")
    out = dict(fields)
    out["date_of_birth"] = Field(new_dob.isoformat(), min(dob.confidence, EXPIRY_SETTLED_CONFIDENCE), True, reason)
    out["id_number"] = Field(number, min(ident.confidence, EXPIRY_SETTLED_CONFIDENCE), True, reason)
    current = out.get("valid_until")
    if current is None or not current.valid or current.value != expiry.isoformat():
        out["valid_until"] = Field(expiry.isoformat(), EXPIRY_SETTLED_CONFIDENCE, True, _RENEWAL_REASON)
    return out


def _on_birthdays(text: str, born: date) -> set[date]:
    """The valid dates printed in `text` on a birthday of someone born on `born` (the birth date itself
    left out): where a card's expiry, on its holder's 25th, 40th or 60th birthday, is looked for."""
    return {d.value for d in find_dates(text) if d.value is not None and d.valid and d.value != born
            and (d.value.month, d.value.day) == (born.month, born.day)}


def _with_disputed_year_from_expiry(fields: dict[str, Field], text: str) -> dict[str, Field]:
    """A card whose birth year and ID number disagree by one digit ("16/01/1998" beside 092196…): one of
    the two was misread, and Tesseract's confidences cannot say which. The card's expiry, a printed date
    on its holder's 25th, 40th or 60th birthday (16/01/2036), can: when it is a renewal birthday for
    exactly one of the two years, the other reading takes that year."""
    ident, dob = fields.get("id_number"), fields.get("date_of_birth")
    if ident is None or dob is None or not ident.valid or not dob.valid or not re.fullmatch(r"[0-9]{12}", ident.value) \
            or explain_id_problem(ident.value) is not None:
        return fields
    born, number_year = date.fromisoformat(dob.value), parse_id(ident.value).birth_year
    if sum(a != b for a, b in zip(f"{born.year:04d}", f"{number_year:04d}")) != 1:
        return fields  # they agree, or differ by more than one misread digit
    printed = _on_birthdays(text, born)
    agree = {year for year in (born.year, number_year) if any(e.year - year in CARD_RENEWAL_AGES for e in printed)}
    if len(agree) != 1:
        return fields
    year = agree.pop()
    expiry = next(e for e in sorted(printed) if e.year - year in CARD_RENEWAL_AGES)
    reason = (f"birth year read {born.year} in the date and {number_year} in the ID number; the card's expiry "
              f"{expiry.strftime('%d/%m/%Y')} is a renewal birthday only for {year}")
    out = dict(fields)
    if year == number_year:
        try:
            out["date_of_birth"] = Field(born.replace(year=year).isoformat(),
                                         min(dob.confidence, EXPIRY_SETTLED_CONFIDENCE), True, reason)
        except ValueError:  # 29 February of a year that has none
            return fields
    elif year // 100 == number_year // 100:  # the century digit stands: only the year digits change
        out["id_number"] = Field(ident.value[:4] + f"{year % 100:02d}" + ident.value[6:],
                                 min(ident.confidence, EXPIRY_SETTLED_CONFIDENCE), True, reason)
    else:
        return fields
    return out


# Confidence of a card expiry found as the date on a renewal birthday (domain.papers.CARD_RENEWAL_AGES).
RENEWAL_CONFIDENCE = 0.7
_RENEWAL_REASON = "the printed date on the holder's 25th, 40th or 60th birthday"


def _with_renewal_date(fields: dict[str, Field], text: str) -> dict[str, Field]:
    """A card's expiry whose label OCR garbled ("LrỊ dẻn:" for "Có giá trị đến:") is still on the card:
    the one printed date that falls on the holder's 25th, 40th or 60th birthday."""
    current, dob = fields.get("valid_until"), fields.get("date_of_birth")
    if (current is not None and current.valid) or dob is None or not dob.valid:
        return fields
    born = date.fromisoformat(dob.value)
    renewals = {d for d in _on_birthdays(text, born) if d.year - born.year in CARD_RENEWAL_AGES}
    reason, confidence = _RENEWAL_REASON, RENEWAL_CONFIDENCE
    if not renewals:
        # the day lost to OCR ("`5/02/2033"): a printed month and year of one of those birthdays
        renewals = {_birthday(born, int(y) - born.year) for m, y in _MONTH_YEAR.findall(text)
                    if int(m) == born.month and int(y) - born.year in CARD_RENEWAL_AGES}
        reason, confidence = "the holder's 25th, 40th or 60th birthday, whose month and year are printed", \
            RENEWAL_FRAGMENT_CONFIDENCE
    if not renewals and current is not None:
        # the expiry read under its label with its day and month garbled ("0/03/2039" for 10/08/2039): its
        # year alone says which birthday, as a card expires on one
        renewals = {_birthday(born, int(y) - born.year) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", current.value)
                    if int(y) - born.year in CARD_RENEWAL_AGES}
        reason, confidence = ("the holder's 25th, 40th or 60th birthday in the year of the expiry read "
                              f"{current.value!r}"), RENEWAL_FRAGMENT_CONFIDENCE
    if len(renewals) != 1:
        return fields
    found = renewals.pop()
    return {**fields, "valid_until": Field(found.isoformat(), confidence, True, reason)}


_MONTH_YEAR = re.compile(r"/\s?([01]?\d)\s?/\s?((?:19|20)\d\d)(?!\d)")
RENEWAL_FRAGMENT_CONFIDENCE = 0.6


def _birthday(born: date, age: int) -> date:
    """`born`'s birthday at `age` (29 February: 28 February in a common year)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return born.replace(year=born.year + age, day=28)


# Confidence of a value the card's machine-readable zone vouches for with its check digit.
ZONE_CONFIDENCE = 0.95
_FROM_ZONE = "read from the machine-readable zone (check digit holds)"
ZONE_NAME_CONFIDENCE = 0.7
_LIFELONG = date(2099, 12, 31)  # "991231" in the zone: a card valid for life


def _zone_number(printed: Field | None, td1: Td1) -> str | None:
    """The ID number the zone vouches for: the printed one when its last 9 digits agree with the zone's,
    else the zone's own 12 digits, else the printed province code before the zone's 9 (the century, year
    and serial). The printed number may then have read a digit too many ("0790682740195") when the zone's
    own copy of the province code is the printed one or one look-alike digit away ("679" for "079")."""
    if td1.id_tail is None:
        return None
    if printed is not None and printed.value[3:] == td1.id_tail and explain_id_problem(printed.value) is None:
        return printed.value
    if td1.id_number and explain_id_problem(td1.id_number) is None:
        return td1.id_number
    if printed is None or explain_id_problem(printed.value[:3] + td1.id_tail) is not None:
        return None
    if len(printed.value) == 12 or (len(printed.value) == 13 and td1.id_number
                                    and _lookalike_or_same(printed.value[:3], td1.id_number[:3])):
        return printed.value[:3] + td1.id_tail
    return None


def _lookalike_or_same(a: str, b: str) -> bool:
    """The same digits, or one digit apart by a look-alike (domain.confusions)."""
    diffs = [(x, y) for x, y in zip(a, b) if x != y]
    return len(a) == len(b) and (not diffs or (len(diffs) == 1 and diffs[0][1] in LOOKALIKE_DIGITS.get(diffs[0][0], "")))


def _with_machine_zone(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
    """An ID card's machine-readable zone (`domain.mrz`), whose check digits vouch for it, settles or
    fills the ID number, birth date, sex and expiry read from the printed side."""
    td1 = read_td1(text)
    if td1 is None:
        return fields
    out = dict(fields)

    def settle(name: str, value: str) -> None:
        current = out.get(name)
        if current is None or current.value != value or not current.valid:
            out[name] = Field(value, ZONE_CONFIDENCE, True, _FROM_ZONE)

    number = _zone_number(out.get("id_number"), td1)
    printed_id = out.get("id_number")
    if number and printed_id is not None and printed_id.value != number \
            and explain_id_problem(printed_id.value) is None and not _zone_year_decides(number, printed_id.value, td1):
        # Two readings of the number that each pass their own check and disagree where the birth date cannot
        # tell them apart: the zone's check digit misses a 0 read as 6 at two neighbouring places (7 x 6 +
        # 3 x 6 = 60), which Tesseract does in both of the zone's copies alike. Neither is taken on trust:
        # the printed one stays, for review.
        out["id_number"] = invalidate(printed_id, f"the machine-readable zone reads {mask_id(number)}")
    elif number:
        settle("id_number", number)
    century = (parse_id(number).birth_year // 100) * 100 if number else None
    if century is None and td1.birth is not None:
        century = 1900 if td1.birth[0] > (today or date.today()).year % 100 else 2000
    born = birth_date(td1, century) if century is not None else None
    if born is not None and not check_plausible(born, DateKind.BIRTH, today=today):
        settle("date_of_birth", born.isoformat())
    if td1.sex and "sex" not in out:
        settle("sex", td1.sex)
    if td1.expiry is not None and td1.expiry != _LIFELONG:
        settle("valid_until", td1.expiry.isoformat())
    name = out.get("full_name")
    if td1.name and (name is None or not name.valid):
        # The zone's name has no check digit and no marks: it stands in only for a name the front lost,
        # its marks taken from what the front read of it or, where unambiguous, from the name lexicon.
        bare = td1.name.split()
        spelled = _printed_as(bare, text)
        accented = accent_bare_name(bare, spelled or (name.value.split() if name is not None else ()))
        if accented:
            out["full_name"] = Field(accented, ZONE_NAME_CONFIDENCE, True,
                                     "read from the machine-readable zone, marks from "
                                     + ("the printed side" if spelled else "the name lexicon"))
    return out


def _zone_year_decides(zone: str, printed: str, td1: Td1) -> bool:
    """Whether the zone's own birth date (its check digit held) sides with the zone's number against the
    printed one: the number's year digits agree with it in the zone's reading and not in the printed."""
    if td1.birth is None:
        return False
    year = f"{td1.birth[0]:02d}"
    return zone[4:6] == year and printed[4:6] != year


def _printed_as(bare: Sequence[str], text: str) -> list[str] | None:
    """The words of a line of `text` that spell the zone's name `bare` with marks ("MAI MINH ANH PHÚC" for
    MAI MINH ANH PHUC): the front printed it, under a label OCR garbled ("II. và tên / Full namẻ:")."""
    wanted = [b.lower() for b in bare]
    for line in text.splitlines():
        words = [w.strip(".,:;-_|'\"") for w in line.split()]
        for i in range(len(words) - len(wanted) + 1):
            window = words[i:i + len(wanted)]
            if [strip_diacritics(w).lower() for w in window] == wanted:
                return window
    return None


def read_card_again(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
    """A card's fields with what its second readings settle, in this order: the machine-readable zone, a
    birth date whose label was lost, a year the expiry settles, an expiry garbled, an issue date whose
    label was lost."""
    fields = _with_lost_birth_date(_with_machine_zone(fields, text, today), text, today)
    fields = _with_renewal_date(_with_disputed_year_from_expiry(fields, text), text)
    return _with_issue_date(_with_birth_year_from_expiry(fields, text), text, today)

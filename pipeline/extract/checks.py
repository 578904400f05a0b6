"""Cross-field checks of one paper: an ID number against the birth date and sex printed with it, an expiry
against the issue date. Two readings one look-alike digit apart are settled when the paper says which is
right (`settle_birth_years`, `settle_id_digits`), and a number read a digit or two from the one the dossier
declares is taken as it (`settle_with_declared`); every other disagreement invalidates both fields, with a
masked reason, so that a person reviews them (`cross_check`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from rapidfuzz.distance import Levenshtein

from pipeline.domain.confusions import LOOKALIKE_DIGITS
from pipeline.domain.idnumber import check_against, explain_id_problem, is_valid_id, mask_id, parse_id
from pipeline.domain.papers import PaperType
from pipeline.domain.privacy import mask_name
from pipeline.domain.records import Field, OcrWord
from pipeline.domain.vntext import nfc, strip_diacritics
from pipeline.extract.dated import check_legal_validity
from pipeline.extract.invalid import invalidate
from pipeline.extract.names import title_case

# (ID field, birth-date field, expected sex or the field that holds it) for each paper that carries them.
_ID_CHECKS: dict[PaperType, tuple[tuple[str, str | None, str | None], ...]] = {
    PaperType.CCCD: (("id_number", "date_of_birth", "@sex"),),
    PaperType.GIAY_KHAI_SINH: (("id_number", "date_of_birth", "@sex"),),
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: (("id_number", "date_of_birth", "@sex"),),
    PaperType.GIAY_UY_QUYEN: (("grantor_id_number", "grantor_date_of_birth", None),),
    PaperType.GIAY_CHUNG_NHAN_KET_HON: (("husband_id_number", "husband_date_of_birth", "nam"),
                                        ("wife_id_number", "wife_date_of_birth", "nu")),
}
_EXPIRY_CHECKS: dict[PaperType, tuple[tuple[str, str], ...]] = {
    PaperType.CCCD: (("valid_until", "issued_on"), ("valid_until", "date_of_birth")),
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: (("valid_until", "issued_on"),),
}


# A year printed in a date and the year an ID number encodes, one digit apart: when Tesseract was sure
# of the number (>= SURE) and not of the year (< UNSURE), the year is taken from the number.
SURE_ID_CONFIDENCE, UNSURE_YEAR_CONFIDENCE = 85.0, 50.0
# Otherwise the reading Tesseract was surer of by this many points (word confidence, 0-100) gives the year to
# the other, when it was read sure (>= SURE_ID_CONFIDENCE). A misread digit lowers its word's confidence; on
# the dev caches (1,300 ID numbers, bench seeds not used) the year and number that disagreed by one digit
# were 8 pairs: the misread one was the less sure by 4.4 to 18.6 points in 3, and within 1 point in the 5
# others (of which 3 had the number misread and 2 the year).
CLEARLY_SURER = 4.0
# A printed birth year that makes the holder this old today, where the number's year does not, is taken
# from the number however sure Tesseract was of either ("27/05/1907" read at 80 beside a number of 1987
# read at 57, on a marriage registered in 2015): a counter rarely sees a centenarian's paper, and one
# digit of a year misread is common.
IMPLAUSIBLE_AGE = 100


def _word_confidence(words: Sequence[OcrWord], needle: str) -> float | None:
    """The lowest confidence among the words that hold `needle` (digits only), None if no word does."""
    found = [w.confidence for w in words if needle in re.sub(r"\D", "", w.text)]
    return min(found) if found else None


def settle_birth_years(paper_type: PaperType, fields: dict[str, Field], words: Sequence[OcrWord] | None, *,
                       today: date | None = None) -> dict[str, Field]:
    """A birth date whose year OCR misread by one digit ("1965" at confidence 0 beside an ID number read
    at 96 that encodes 1985, or "1907" making a bridegroom 108) gets the number's year; an ID number whose
    year digits were misread, read CLEARLY_SURER points less sure than a surely read birth year ("001160…"
    at 77 beside "1980" at 96), gets the year's digits when the number stays valid and agrees with the
    paper's sex. Every other disagreement is left to cross_check."""
    if not words:
        return fields
    out = dict(fields)
    this_year = (today or date.today()).year
    for id_name, dob_name, sex_spec in _ID_CHECKS.get(PaperType(paper_type), ()):
        ident, dob = out.get(id_name), out.get(dob_name) if dob_name else None
        if ident is None or dob is None or not ident.valid or not dob.valid or explain_id_problem(ident.value):
            continue
        number_year, printed = parse_id(ident.value).birth_year, date.fromisoformat(dob.value)
        year = str(printed.year)
        if sum(a != b for a, b in zip(year, str(number_year))) != 1:
            continue
        id_confidence, year_confidence = _word_confidence(words, ident.value), _word_confidence(words, year)
        if id_confidence is None or year_confidence is None:
            continue
        too_old = this_year - printed.year >= IMPLAUSIBLE_AGE > this_year - number_year
        if not too_old and year[:2] == str(number_year)[:2] \
                and year_confidence >= max(SURE_ID_CONFIDENCE, id_confidence + CLEARLY_SURER):
            number = ident.value[:4] + year[2:] + ident.value[6:]
            sex = _sex_for(sex_spec, out)
            if explain_id_problem(number) is None and not check_against(number, birth_date=printed, sex=sex):
                reason = (f"year digits read {ident.value[4:6]} at {id_confidence:.0f}; the birth date's year "
                          f"{year}, read at {year_confidence:.0f}, gives them")
                out[id_name] = Field(number, min(ident.confidence, SETTLED_ID_CONFIDENCE), True, reason)
            continue
        if too_old or (id_confidence >= SURE_ID_CONFIDENCE and (year_confidence < UNSURE_YEAR_CONFIDENCE
                                                                or id_confidence >= year_confidence + CLEARLY_SURER)):
            try:
                settled = printed.replace(year=number_year)
            except ValueError:  # 29 February of a year that has none
                continue
            doubt = (f"year {year} makes the holder {this_year - printed.year}" if too_old
                     else f"year read unsure ({year_confidence:.0f})" if year_confidence < UNSURE_YEAR_CONFIDENCE
                     else f"year {year} read at {year_confidence:.0f}")
            reason = f"{doubt}, taken from the ID number {mask_id(ident.value)} read at {id_confidence:.0f}"
            out[dob_name] = Field(settled.isoformat(), min(dob.confidence, 0.7), True, reason)
    return out


# Confidence of an ID number one look-alike digit away from what was read, put right by the paper's
# birth date and sex.
SETTLED_ID_CONFIDENCE = 0.6


def _sex_for(spec: str | None, fields: dict[str, Field]) -> str | None:
    if spec and spec.startswith("@"):
        field = fields.get(spec[1:])
        return field.value if field is not None and field.valid else None
    return spec


def settle_id_digits(paper_type: PaperType, fields: dict[str, Field]) -> dict[str, Field]:
    """An ID number that cannot be one ("946..." has no province) becomes the one number a single
    look-alike digit away (`domain.confusions`) that is valid and agrees with the birth date (and sex)
    read on the same paper. Only the first six digits are tried: province, century/sex and year are
    what the paper can vouch for. A valid number that disagrees with the birth date is left to
    cross_check: either of the two may be the misread one."""
    out = dict(fields)
    for id_name, dob_name, sex_spec in _ID_CHECKS.get(PaperType(paper_type), ()):
        ident, dob = out.get(id_name), out.get(dob_name) if dob_name else None
        if ident is None or dob is None or not dob.valid or not re.fullmatch(r"[0-9]{12}", ident.value):
            continue
        if explain_id_problem(ident.value) is None:
            continue
        born, sex = date.fromisoformat(dob.value), _sex_for(sex_spec, out)
        fits = {ident.value[:i] + other + ident.value[i + 1:]
                for i in range(6) for other in LOOKALIKE_DIGITS.get(ident.value[i], "")}
        fits = {n for n in fits if explain_id_problem(n) is None and not check_against(n, birth_date=born, sex=sex)}
        if len(fits) == 1:
            number = fits.pop()
            reason = (f"read {mask_id(ident.value)}, which cannot be an ID number; one look-alike digit away, "
                      f"{mask_id(number)} agrees with the birth date")
            out[id_name] = Field(number, min(ident.confidence, SETTLED_ID_CONFIDENCE), True, reason)
    return out


# A number read this many digit edits (one misread, doubled or dropped digit counts one) from a number the
# dossier declares is that number misread. Two people's numbers this close are rare: the last six digits of
# two numbers with the same first six are this close about once in 800 pairs, and a husband's and wife's
# differ in the sex digit too. A one-digit misread is not rare (1 to 3 % of numbers, docs/BENCHMARKS.md).
DECLARED_MAX_EDITS = 2
# The name beside a number the paper prints as declared is the declared name when it is this many letter
# edits from it, marks aside ("Tran Xuan Phuc", "Đỗ Thị Văn", "Tean Phương Giang" for the declared
# "Trần Xuân Phúc", "Đỗ Thị Vân", "Trần Phương Giang"): the number says whose paper it is.
DECLARED_NAME_MAX_EDITS = 2


def digit_edits(read: str, declared: str) -> int:
    """How many digits apart a reading (its digits only) is from a declared number."""
    return Levenshtein.distance(re.sub(r"\D", "", read or ""), declared)


def holder_name_field(id_name: str) -> str:
    """The name field of the person an ID-number field belongs to: id_number -> full_name,
    wife_id_number -> wife_name."""
    return "full_name" if id_name == "id_number" else id_name.removesuffix("id_number") + "name"


def birth_date_field(paper_type: PaperType, id_name: str) -> str | None:
    """The birth-date field printed with an ID-number field on this paper, if any."""
    return next((dob for name, dob, _ in _ID_CHECKS.get(PaperType(paper_type), ()) if name == id_name), None)


def name_edits(read: str, declared: str) -> int:
    """How many letters apart two names are, marks, case and spacing aside."""
    def bare(name: str) -> str:
        return " ".join(strip_diacritics(name).lower().split())

    return Levenshtein.distance(bare(read), bare(declared))


def settle_with_declared(paper_type: PaperType, fields: dict[str, Field],
                         declared: Mapping[str, str]) -> dict[str, Field]:
    """`declared`: ID number -> full name ("" if unknown) of the people the dossier declares (its
    applicant, typed at the counter from the citizen's record).

    An ID number read within DECLARED_MAX_EDITS digits of a declared number becomes that number, when it
    agrees with the birth date and sex read beside it. Left alone: a paper that already prints the
    declared number (a near reading there is another person's), and two readings equally near it.
    Then, beside a number the paper prints as declared, a birth year one digit from the number's becomes
    the number's, and the name becomes the declared name when it is within DECLARED_NAME_MAX_EDITS
    letters of it, marks aside (a declared name typed without marks never replaces one read with them)."""
    out = _settle_numbers(PaperType(paper_type), dict(fields), declared)
    for id_name in [name for name in out if name.endswith("id_number") and out[name].value in declared]:
        number, name_field = out[id_name].value, holder_name_field(id_name)
        dob_name = birth_date_field(paper_type, id_name)
        if dob_name in out:
            out[dob_name] = _year_from_number(out[dob_name], number)
        if name_field in out:
            out[name_field] = _declared_name(out[name_field], declared[number])
    return out


def _settle_numbers(paper_type: PaperType, out: dict[str, Field], declared: Mapping[str, str]) -> dict[str, Field]:
    names = [name for name in out if name.endswith("id_number")]
    slots = {id_name: (dob_name, sex_spec) for id_name, dob_name, sex_spec in _ID_CHECKS.get(paper_type, ())}
    for number in (n for n in declared if is_valid_id(n)):
        if any(out[name].value == number for name in names):
            continue
        near = sorted((edits, name) for name in names
                      if 0 < (edits := digit_edits(out[name].value, number)) <= DECLARED_MAX_EDITS)
        if not near or (len(near) > 1 and near[0][0] == near[1][0]):
            continue
        edits, name = near[0]
        dob_name, sex_spec = slots.get(name, (None, None))
        dob = out.get(dob_name) if dob_name else None
        birth = date.fromisoformat(dob.value) if dob is not None and dob.valid else None
        if check_against(number, birth_date=birth, sex=_sex_for(sex_spec, out)):
            continue
        read = out[name]
        reason = (f"read {mask_id(read.value)}, {edits} digit{'s' if edits > 1 else ''} from the number the dossier "
                  f"declares, {mask_id(number)}; taken as it")
        out[name] = Field(number, read.confidence, True, reason)
    return out


def _year_from_number(dob: Field, number: str) -> Field:
    """A birth date whose year is one digit from the one a declared number encodes ("1287-06-14",
    invalid as read, or "1985" for 1983) takes the number's year."""
    try:
        printed = date.fromisoformat(dob.value)
    except ValueError:
        return dob
    number_year = parse_id(number).birth_year
    if sum(a != b for a, b in zip(str(printed.year), str(number_year))) != 1:
        return dob
    try:
        settled = printed.replace(year=number_year)
    except ValueError:  # 29 February of a year that has none
        return dob
    return Field(settled.isoformat(), dob.confidence, True,
                 f"year read {printed.year}; the number the dossier declares gives {number_year}")


def _declared_name(read: Field, declared_name: str) -> Field:
    full_name = title_case(" ".join((declared_name or "").split()))
    if not full_name or nfc(read.value) == full_name:
        return read
    if strip_diacritics(full_name) == full_name and strip_diacritics(read.value) != read.value:
        return read  # typed without marks: the marks read from the paper say more
    if name_edits(read.value, full_name) > DECLARED_NAME_MAX_EDITS:
        return read
    return Field(full_name, read.confidence, True,
                 f"read {mask_name(read.value)}; the paper prints the number the dossier declares, whose holder's "
                 f"name this is")


def cross_check(paper_type: PaperType, fields: dict[str, Field]) -> dict[str, Field]:
    """Check fields against each other; disagreeing fields come back invalid with a masked reason."""
    out = dict(fields)
    for id_name, dob_name, sex_spec in _ID_CHECKS.get(PaperType(paper_type), ()):
        ident = out.get(id_name)
        if ident is None or not ident.valid or explain_id_problem(ident.value):
            continue
        dob_field = out.get(dob_name) if dob_name else None
        birth = date.fromisoformat(dob_field.value) if dob_field is not None and dob_field.valid else None
        problems = check_against(ident.value, birth_date=birth, sex=_sex_for(sex_spec, out))
        if not problems:
            continue
        reason = f"ID number {mask_id(ident.value)} disagrees with the paper: " + "; ".join(problems)
        out[id_name] = invalidate(ident, reason)
        for p in problems:
            if p.startswith("birth year") and dob_name in out:
                out[dob_name] = invalidate(out[dob_name], f"birth year disagrees with ID number {mask_id(ident.value)}")
            if p.startswith("sex") and sex_spec and sex_spec.startswith("@") and sex_spec[1:] in out:
                out[sex_spec[1:]] = invalidate(out[sex_spec[1:]],
                                                f"sex disagrees with ID number {mask_id(ident.value)}")
    if PaperType(paper_type) is PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN:
        out = check_legal_validity(out)
    for later_name, earlier_name in _EXPIRY_CHECKS.get(PaperType(paper_type), ()):
        later, earlier = out.get(later_name), out.get(earlier_name)
        if later is None or earlier is None or not later.valid or not earlier.valid:
            continue
        if date.fromisoformat(later.value) <= date.fromisoformat(earlier.value):
            out[later_name] = invalidate(later, f"{later_name} is not after {earlier_name}")
    return out

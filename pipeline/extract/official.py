"""Official documents (quyết định, công văn, thông báo, nghị quyết, …) carry no field labels: their facts sit
at fixed places of the Decree 30/2020 layout (issuer top left, "Số: …/…", "<place>, ngày … tháng … năm …",
the type and subject in capitals, the signer at the bottom). This module reads them from those places.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from pipeline.extract.codes import DocNumberReading, read_doc_number
from pipeline.extract.dates import DateKind, DateReading, check_plausible, find_blank_date, find_dates
from pipeline.extract.labels import Line, fold_key, split_lines
from pipeline.extract.names import COMMON_FAMILY_NAMES, normalize_name
from pipeline.domain.vntext import strip_diacritics

# Document types by their printed title, with the abbreviation used in the ký hiệu (Decree 30/2020, Annex III).
DOC_TYPES: dict[str, str] = {
    "Quyết định": "QĐ", "Nghị quyết": "NQ", "Nghị định": "NĐ", "Thông tư": "TT", "Thông tư liên tịch": "TTLT",
    "Chỉ thị": "CT", "Thông báo": "TB", "Kế hoạch": "KH", "Tờ trình": "TTr", "Báo cáo": "BC",
    "Hướng dẫn": "HD", "Quy chế": "QC", "Quy định": "QyĐ", "Chương trình": "CTr", "Phương án": "PA",
    "Đề án": "ĐA", "Biên bản": "BB", "Công điện": "CĐ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Thông cáo": "TC", "Hợp đồng": "HĐ",
    "Công văn": "",
}
_ABBREV_TO_TYPE = {strip_diacritics(v).upper(): k for k, v in DOC_TYPES.items() if v}
_TYPE_KEYS = {k: strip_diacritics(k).lower() for k in DOC_TYPES}
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap tu do hanh phuc")
_BODY_START = re.compile(r"^\W*(can cu|thuc hien|xet |theo de nghi|kinh gui|nhan dip|dieu \d|chuong )")
# "ngày" after the place's comma, which OCR often reads as a full stop or a semicolon ("Tề Lỗ. ngày 01 tháng
# 8 năm 2023"); the first letter of "ngày" may be misread or lost ("Cần Thơ, rgày 14 …", "Thanh Hó‹:. gày 29 …"),
# its vowel misread ("Huế, ngòy 19 …").
PLACE_DATE = re.compile(r"(?P<at>[,.;])\s*[a-z]?g[aoe]y(?![a-z])")
_VV = re.compile(r"^\W*v\s*/\s*v\b\W*")
_HEADER_LINES = 24
_SIGNER_LINES = 16
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


@dataclass(frozen=True)
class OfficialReading:
    """What was read from an official document; each part None when absent."""

    issuer: str | None
    number: DocNumberReading | None
    date: DateReading | None
    date_blank: DateReading | None
    doc_type: str | None
    doc_type_from_title: bool
    subject: str | None
    signer: str | None


def _is_upper_text(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _strip_motto(line: Line) -> str:
    """The line with the national motto (right column, merged by OCR) cut out."""
    text, key = line.text, line.key
    for motto in _MOTTO:
        if len(key) < 10:
            break
        al = fuzz.partial_ratio_alignment(motto, key, score_cutoff=80)
        if al is not None and al.dest_end - al.dest_start >= 0.7 * len(motto):
            text = text[:al.dest_start] + " " * (al.dest_end - al.dest_start) + text[al.dest_end:]
            key = key[:al.dest_start] + " " * (al.dest_end - al.dest_start) + key[al.dest_end:]
    return text


def _doc_type_of_line(line: Line) -> str | None:
    words = line.key.replace(":", " ").split()
    if not words or len(words) > 5 or not _is_upper_text(line.text):
        return None
    bare = " ".join(w for w in words if any(ch.isalpha() for ch in w))
    best, best_score = None, 0.0
    for name, key in _TYPE_KEYS.items():
        score = fuzz.ratio(key, bare)
        if score > best_score:
            best, best_score = name, score
    return best.upper() if best and best_score >= 80 else None


# Words an issuing body's name starts with, and the unit words that continue a name wrapped onto a second line.
_ORG_START = re.compile(r"^(uy ban|ubnd|so |phong |bo |cuc |chi cuc|tong cuc|van phong|trung tam|benh vien|truong |"
                        r"cong an|ban |hoi dong|thu tuong|chinh phu|dai hoc|vien |quoc hoi|toa an|kho bac|chi nhanh)")
_UNIT_CONT = re.compile(r"^(thanh ph|tinh |huyen |quan |xa |phuong |thi tran|thi xa|tp\b)")


def _issuer(lines: Sequence[Line], stop: int) -> str | None:
    """The issuing body: the last name in the left header column that starts like an organisation, with its
    wrapped continuation ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HÀ NỘI"); the line above it, if any, is the parent
    body (cơ quan chủ quản, Decree 30/2020 art. 8) and is not the issuer."""
    chunks: list[str] = []
    for line in lines[:stop]:
        if not line.text.strip():
            continue
        rest = _strip_motto(line)
        for chunk in re.split(r"\s{3,}", rest):
            words = [w for w in chunk.split() if any(ch.isalpha() for ch in w)]
            if len(words) >= 2 and _is_upper_text(chunk) and not chunk.strip().startswith(("SỐ", "Số")):
                chunks.append(" ".join(chunk.split()).strip(" -_—=;:,."))
    if not chunks:
        return None
    keys = [strip_diacritics(c).lower() for c in chunks]
    starts = [i for i, k in enumerate(keys) if _ORG_START.match(k)]
    first = starts[-1] if starts else 0
    # a parent on the line above that is itself only the start of the same name ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ …")
    end = first + 1
    while end < len(chunks) and _UNIT_CONT.match(keys[end]):
        end += 1
    return " ".join(chunks[first:end])


def _signer(lines: Sequence[Line]) -> str | None:
    tail = [ln for ln in lines if ln.text.strip()][-_SIGNER_LINES:]
    for line in reversed(tail):
        words = re.split(r"\s+", line.text.strip())
        run: list[str] = []
        for word in reversed(words):
            if _NAME_WORD.match(word):
                run.insert(0, word)
            else:
                break
        alone = len(run) == len(words)
        if not (3 <= len(run) <= 5 or (alone and len(run) >= 2)):
            continue
        if strip_diacritics(run[0]).lower() not in COMMON_FAMILY_NAMES:
            continue
        reading = normalize_name(" ".join(run))
        if reading.valid:
            return reading.value
    return None


# Lines under the number line searched for a place-and-date line whose comma OCR lost: the line stands
# beside the number (merged with it by OCR) or right under it; further down, a "Căn cứ … ngày … tháng …"
# of the body could be taken for it.
_LOOSE_DATE_LINES = 1


def _date_line_without_comma(lines: Sequence[Line], number_line: int,
                             header_end: int) -> tuple[DateReading | None, int]:
    """A place-and-date line whose comma OCR lost or garbled with the place ("Trại vk ngày 23 tháng 10 năm
    2024", "Núi Đèo, rao v 1] tháng 9 năm 2023"): a valid date in words ("… tháng … năm …", its "ngày" maybe
    lost) on the number line or one of the `_LOOSE_DATE_LINES` under it. The words form is required: a body's
    references to other papers use the numeric one ("ngày 17/10/2024")."""
    if number_line < 0:
        return None, -1
    for i in range(number_line, min(header_end, number_line + 1 + _LOOSE_DATE_LINES)):
        if _BODY_START.match(lines[i].key):
            break
        for reading in find_dates(lines[i].text):
            if reading.valid and "thang" in fold_key(reading.raw):
                return reading, i
    return None, -1


def read_official(text: str, *, today: date | None = None) -> OfficialReading:
    lines = split_lines(text)
    header_end = min(len(lines), _HEADER_LINES)
    number: DocNumberReading | None = None
    number_line = -1
    for i in range(header_end):
        number = read_doc_number(lines[i].text)
        if number is not None:
            number_line = i
            break
    # The place-and-date line: "<place>, ngày … tháng … năm …" (often merged with the number line by OCR).
    when: DateReading | None = None
    blank: DateReading | None = None
    date_line = -1
    for i in range(max(0, number_line), header_end):
        m = PLACE_DATE.search(lines[i].key)
        if not m:
            continue
        segment = lines[i].text[m.start():]
        found = find_dates(segment)
        if found and found[0].start <= 8:
            when, date_line = found[0], i
        else:
            blank = find_blank_date(segment)
            if blank is None:
                # A place-and-date line whose day or month cannot be read (handwritten into the blank).
                raw = " ".join(segment.lstrip(", ").split()[:7])
                blank = DateReading(None, raw, m.start(), m.end(), "date on the place-and-date line is not readable")
            date_line = i
        break
    if date_line < 0:
        when, date_line = _date_line_without_comma(lines, number_line, header_end)
    if when is not None and when.value is not None:
        reason = check_plausible(when.value, DateKind.ISSUE, today=today)
        if reason:
            when = DateReading(when.value, when.raw, when.start, when.end, reason, when.ocr_fixed)
    # Type and subject: the first capitalised type name after the number/date lines.
    start = max(number_line, date_line, 0)
    doc_type, type_line = None, -1
    for i in range(start, min(len(lines), start + 14)):
        found_type = _doc_type_of_line(lines[i])
        if found_type:
            doc_type, type_line = found_type, i
            break
        if _BODY_START.match(lines[i].key):
            break
    subject_lines: list[str] = []
    vv_line = next((i for i in range(max(0, number_line), min(len(lines), max(number_line, 0) + 8))
                    if _VV.match(lines[i].key)), -1)
    issuer = _issuer(lines, number_line if number_line > 0 else min(4, len(lines)))
    issuer_key = strip_diacritics(issuer or "").lower()[:15]
    if type_line < 0 and vv_line >= 0:  # công văn: "V/v …" under the number instead of a title
        first = lines[vv_line]
        subject_lines.append(first.text.strip())
        for line in lines[vv_line + 1:vv_line + 6]:
            if not line.text.strip() or _BODY_START.match(line.key) or PLACE_DATE.search(line.key) \
                    or _is_upper_text(line.text):
                break
            subject_lines.append(line.text)
    elif type_line >= 0:
        for line in lines[type_line + 1:type_line + 7]:
            if not line.text.strip():
                if subject_lines:
                    break
                continue
            body = (_BODY_START.match(line.key) or (_is_upper_text(line.text) and subject_lines)
                    or (issuer_key and line.key.startswith(issuer_key)) or ": " in line.text
                    or (subject_lines and subject_lines[-1].rstrip().endswith((".", ";", ":"))))
            if body:
                break
            subject_lines.append(line.text)
    subject = " ".join(" ".join(subject_lines).split()) or None
    from_title = doc_type is not None
    if doc_type is None and number is not None:
        first_part = strip_diacritics(number.symbol.split("/")[-1].split("-")[0]).upper()
        doc_type = _ABBREV_TO_TYPE.get(first_part)
        doc_type = doc_type.upper() if doc_type else None
        if doc_type is None and (vv_line >= 0 or first_part):
            doc_type = "CÔNG VĂN"  # its ký hiệu starts with the issuer's abbreviation, not a type
    return OfficialReading(
        issuer=issuer,
        number=number,
        date=when,
        date_blank=blank,
        doc_type=doc_type,
        doc_type_from_title=from_title,
        subject=subject,
        signer=_signer(lines),
    )

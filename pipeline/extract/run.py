"""Field extraction for one component: apply its type's label table (or the official-document reader),
validate each value, score it, and cross-check related fields (ID number against birth date and sex).

Missing fields are absent from the result (not present with valid=False): a caller can tell "not on the
paper / not read" from "read but wrong", and the CLI JSON only lists what was read.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.domain.confusions import LOOKALIKE_DIGITS
from pipeline.domain.fields import KEY_FIELDS, NO_EXPIRY
from pipeline.domain.idnumber import check_against, explain_id_problem, mask_id, parse_id
from pipeline.domain.mrz import Td1, birth_date, read_td1
from pipeline.domain.papers import CARD_RENEWAL_AGES, PaperType
from pipeline.domain.records import Component, Document, Field, OcrPage, OcrWord
from pipeline.domain.vntext import nfc, strip_diacritics
from pipeline.extract.codes import parse_doc_number, read_business_code
from pipeline.extract.columns import rebuild_columns
from pipeline.extract.date_words import find_date_in_words
from pipeline.extract.dates import DateKind, check_plausible, find_dates, parse_date
from pipeline.extract.ids import read_id_number
from pipeline.extract.labels import (LabelHit, Line, at_line_start, clean_value, find_labels, fold_key,
                                     followed_by_colon, has_word, label_key, match_label, split_lines, value_after)
from pipeline.extract.land import read_area, read_register_number, read_serial, read_small_number
from pipeline.extract.names import accent_bare_name, normalize_name
from pipeline.extract.official import PLACE_DATE, read_official
from pipeline.extract.places import mend_address, mend_place_tail
from pipeline.extract.procedures import procedure_from_title
from pipeline.extract.signed import completes, mends, signed_names
from pipeline.extract.tables import TABLES, FieldSpec, Kind, Table

# Confidence of an invalid value never exceeds this: it must not look trustworthy next to valid ones.
INVALID_CAP = 0.4
_DATE_KINDS = {Kind.BIRTH_DATE: DateKind.BIRTH, Kind.ISSUE_DATE: DateKind.ISSUE,
               Kind.EXPIRY_DATE: DateKind.EXPIRY, Kind.DATE: DateKind.ANY}
_NO_EXPIRY = re.compile(r"khong (?:thoi )?han|khong xac dinh thoi han")
_MONEY = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đồng|dong|VNĐ|VND|đ)\b(/\s*(?:tháng|năm))?")
# The end of a label or its English gloss that OCR broke off, left before the value with its colon:
# "Quốc tịch / Ner:onality: Việt Nam" leaves "onality: Việt Nam". One word, then a colon.
_LABEL_TAIL = re.compile(r"^[^\s:\d]{1,12}:\s+(?=\S)")
_UNIT_START = re.compile(r"^(xa|huyen|tinh|phuong|quan|thanh pho|thi tran|thi xa|thon|xom|to dan pho|ap)\b")


@dataclass(frozen=True)
class Reading:
    """A validated value before scoring: what a validator returns."""

    value: str
    valid: bool
    reason: str = ""
    quality: float = 1.0  # 0-1, the validator's own certainty (OCR repairs, uncommon family name…)
    printed: str = ""  # the text as read, when the value is reformatted ("ngày 05 tháng 3 năm 2021" for 2021-03-05)


def _read(kind: Kind, raw: str, *, today: date | None) -> Reading | None:
    raw = nfc(raw).strip()
    if not raw:
        return None
    if kind is Kind.NAME:
        # A name never holds a colon: what stands before one is the rest of a label OCR broke
        # ("Họ và tên ở: n hộ kinh doanh: <name>" for "Họ và tên chủ hộ kinh doanh: <name>").
        after_colon = raw.rsplit(":", 1)[-1]
        if any(ch.isalpha() for ch in after_colon):
            raw = after_colon
        name = normalize_name(re.split(r"[,;(]", raw)[0])  # a name never holds a comma: ", sinh năm 1969"
        return Reading(name.value, name.valid, name.reason, name.confidence) if name.value else None
    if kind is Kind.ID:
        r = read_id_number(raw)
        if r is None:
            return None
        return Reading(r.value, r.valid, r.reason, 0.9 if r.ocr_fixed else 1.0)
    if kind in _DATE_KINDS:
        if kind is Kind.EXPIRY_DATE and _NO_EXPIRY.search(strip_diacritics(raw).lower()):
            return Reading(NO_EXPIRY, True, "no expiry printed (không thời hạn)")
        d = parse_date(raw, _DATE_KINDS[kind], today=today)
        if d is None:
            return None
        if d.value is None:
            return Reading(d.raw, False, d.reason, 0.3)
        return Reading(d.iso, d.valid, d.reason, 0.9 if d.ocr_fixed else 1.0, d.raw)
    if kind is Kind.SEX:
        words = strip_diacritics(raw).lower().replace("ư", "u").split()
        word = re.sub(r"[^a-z]", "", words[0]) if words else ""
        if word in {"nam", "male"}:
            return Reading("nam", True)
        if word in {"nu", "female"}:
            return Reading("nu", True)
        return Reading(clean_value(raw)[:20], False, "sex is neither Nam nor Nữ", 0.3)
    if kind is Kind.NUMBER:
        n = read_small_number(raw)
        return Reading(n.value, n.valid, n.reason, 0.9 if n.ocr_fixed else 1.0) if n else None
    if kind is Kind.AREA:
        a = read_area(raw)
        return Reading(a.value, a.valid, a.reason) if a else None
    if kind is Kind.SERIAL:
        s = read_serial(raw)
        return Reading(s.value, s.valid, s.reason, 0.9 if s.ocr_fixed else 1.0) if s else None
    if kind is Kind.REGISTER:
        r = read_register_number(raw)
        return Reading(r.value, r.valid, r.reason) if r else None
    if kind is Kind.BUSINESS_CODE:
        c = read_business_code(raw)
        return Reading(c.value, c.valid, c.reason, 0.9 if c.ocr_fixed else 1.0) if c else None
    if kind is Kind.MONEY:
        m = _MONEY.search(raw)
        if not m:
            return None
        return Reading(f"{m.group(1)} đồng{m.group(2) or ''}", True)
    if kind is Kind.DOC_NUMBER:
        parsed = parse_doc_number(raw)
        if parsed is not None and parsed.number and parsed.start == 0:
            return Reading(parsed.value, parsed.valid, parsed.reason)
        tokens = raw.split()
        token = tokens[0].strip(".,;:") if tokens else ""
        # A series prefix in capitals before the digits ("Số hiệu: QH 123456") belongs to the number.
        if re.fullmatch(r"[A-ZĐ]{1,3}", token) and len(tokens) > 1 and tokens[1][:1].isdigit():
            token = f"{token} {tokens[1].strip('.,;:')}"
        if not any(ch.isdigit() for ch in token):
            return None
        return Reading(token, True)
    value = _LABEL_TAIL.sub("", clean_value(raw))
    if value.endswith(".") and not value.endswith("..") and len(value) > 2 and value[-2].isalnum():
        value = value[:-1]  # the full stop of a sentence-like value ("Kể từ ngày ký … ủy quyền.")
    quality = 1.0
    if kind in (Kind.ADDRESS, Kind.FACILITY) and value:
        address = mend_address(value) if kind is Kind.ADDRESS else mend_place_tail(value)
        value, quality = address.value, 0.9 if address.mended else 1.0
    if not value:
        return None
    return Reading(value, has_word(value), "" if has_word(value) else "no text", quality)


def _ocr_factor(value: str, words: Sequence[OcrWord] | None) -> float | None:
    """Mean OCR confidence (0-1) of the words that make up `value`, None when unknown.

    Each word of the value is looked up among the page's words; a value OCR split or joined differently
    ("445" + "/NQ-CP", "0261 9525 2069", "12/3/2020" read as one word) is found as a run of consecutive
    words spelling it, letters and digits only; failing that, the words found alone count. Where the value
    stands on the page more than once, the least confident reading counts.
    """
    if not words:
        return None
    wanted = [_word_key(t) for t in value.split()]
    pool: dict[str, list[float]] = {}
    for w in words:
        pool.setdefault(_word_key(w.text), []).append(w.confidence)
    confs = [min(pool[t]) for t in wanted if t in pool]
    if len(confs) < sum(1 for t in wanted if t):
        confs = _run_confidences(_compact(value), words) or confs
    if not confs:
        return None
    return max(0.0, min(1.0, sum(confs) / len(confs) / 100.0))


def _word_key(text: str) -> str:
    return strip_diacritics(nfc(text)).lower().strip(".,;:")


def _compact(text: str) -> str:
    return "".join(ch for ch in strip_diacritics(nfc(text)).lower() if ch.isalnum())


def _run_confidences(key: str, words: Sequence[OcrWord]) -> list[float]:
    """The confidences of the consecutive words whose letters and digits spell `key`: of the least
    confident such run when there are several, [] when there is none."""
    if not key:
        return []
    compact = [_compact(w.text) for w in words]
    owner = [i for i, c in enumerate(compact) for _ in c]
    joined = "".join(compact)
    best: list[float] = []
    start = joined.find(key)
    while start >= 0:
        covered = sorted(set(owner[start:start + len(key)]))
        confs = [words[i].confidence for i in covered]
        if not best or sum(confs) / len(confs) < sum(best) / len(best):
            best = confs
        start = joined.find(key, start + 1)
    return best


def _field(reading: Reading, label_score: float, words: Sequence[OcrWord] | None) -> Field:
    confidence = label_score * reading.quality
    ocr = _ocr_factor(reading.printed or reading.value, words)
    if ocr is not None:
        confidence *= 0.5 + 0.5 * ocr
    if not reading.valid:
        confidence = min(confidence, INVALID_CAP)
    return Field(value=reading.value, confidence=round(max(0.0, min(1.0, confidence)), 3),
                 valid=reading.valid, reason=reading.reason)


# What OCR may leave of a longer label's qualifier between a label and its colon (debris colons first).
_BEFORE_COLON = re.compile(r"[\s:.;,]*([^:\n]{1,12}):")


def _qualified(lines: Sequence[Line], hits: list[LabelHit], table: Table) -> list[LabelHit]:
    """A short label followed, before its colon, by the last word of a longer label of another field
    that starts like it, is that longer label with its middle lost ("Họ, chữ đệm, tê:: cha:" is
    "Họ, chữ đệm, tên người cha", not the child's "Họ, chữ đệm, tên")."""
    out = []
    for hit in hits:
        found = _BEFORE_COLON.match(lines[hit.line].key[hit.end:])
        between = label_key(found.group(1)).split() if found else []
        if hit.tag and between:
            head = label_key(hit.label)
            longer = [(i, lab) for i, spec in enumerate(table.fields)
                      if str(i) != hit.tag and spec.kind is table.fields[int(hit.tag)].kind
                      for lab in spec.labels if label_key(lab).startswith(head + " ")]
            # the last word as read, or else one letter off it ("người re:" for "người mẹ:") when only
            # one field's label ends so
            ending = [(i, lab) for i, lab in longer if label_key(lab).split()[-1] == between[-1]]
            if not ending and len(between[-1]) >= 2:
                near = [(i, lab) for i, lab in longer if Levenshtein.distance(label_key(lab).split()[-1], between[-1]) == 1]
                ending = near if len({i for i, _ in near}) == 1 else []
            if not ending and len(between) >= 2:
                # by elimination: the qualifier's words read right but its last ("người rae:", "ngươi niẹ:"
                # for "người mẹ:"), and of the fields whose label goes on so, one alone is not found elsewhere
                left = [(i, lab) for i, lab in longer if _same_but_last(label_key(lab)[len(head):].split(), between)
                        and not any(other.tag == str(i) for other in hits)]
                ending = left if len({i for i, _ in left}) == 1 else []
            if ending:
                i, lab = ending[0]
                hit = LabelHit(hit.line, hit.start, hit.end, lab, hit.score, str(i))
        out.append(hit)
    return out


def _same_but_last(words: Sequence[str], read: Sequence[str]) -> bool:
    """`read` has the words of `words` but the last, which is garbled."""
    return len(words) == len(read) and list(words[:-1]) == list(read[:-1])


def _labels_of(table: Table) -> list[tuple[str, str]]:
    out = [(label, str(i)) for i, spec in enumerate(table.fields) for label in spec.labels]
    out += [(label, "") for label in table.stops]
    return out


def _hit_sections(lines: Sequence[Line], hits: Sequence[LabelHit], table: Table) -> list[str]:
    """The section of each hit. Sections stacked one below the other follow their headings; side-by-side
    sections read by OCR as one line ("Thông tin người chồng Thông tin người vợ") split each later line
    between the left and the right section at the second occurrence of a repeated label."""
    by_line = _sections(lines, table)
    columns = _column_headings(lines, table)
    names = [name for name, _ in table.sections]
    out: list[str] = []
    for hit in hits:
        # Where the right column starts: the second place on the line where a label of the same kind stands.
        starts_by_kind: dict[str, set[int]] = {}
        for h in hits:
            if h.line == hit.line and h.tag:
                starts_by_kind.setdefault(table.fields[int(h.tag)].kind, set()).add(h.start)
        seconds = [sorted(v)[1] for v in starts_by_kind.values() if len(v) >= 2]
        pair = columns[hit.line]
        if pair is None and seconds and by_line[hit.line] in names and len(names) >= 2:
            # One line of two columns in a paper read section under section ("Giấy tờ tùy thân: CCCD số …
            # Giấy tờ tùy thân: CCCD số …" after the wife's heading): side by side, the sections stand in
            # the table's order, so the left label is the previous section's (the first's, its right one
            # the next's).
            k = names.index(by_line[hit.line])
            pair = (names[k - 1], names[k]) if k > 0 else (names[0], names[1])
        if pair is None:
            out.append(by_line[hit.line])
            continue
        split = min(seconds) if seconds else len(lines[hit.line].text) // 2
        out.append(pair[0] if hit.start < split else pair[1])
    return out


def _column_headings(lines: Sequence[Line], table: Table) -> list[tuple[str, str] | None]:
    """For each line, the (left, right) sections when the latest heading line named two sections side by side."""
    current: tuple[str, str] | None = None
    out: list[tuple[str, str] | None] = []
    for line in lines:
        found: list[tuple[float, int, int, str]] = []
        for name, headings in table.sections:
            for heading in headings:
                if len(label_key(heading).replace(" ", "")) < 6:
                    continue  # "VỢ", "BÊN A": too short to tell a heading line from text
                hit = match_label(line, heading)
                if hit is not None:
                    found.append((hit.score, hit.start, hit.end, name))
        kept: list[tuple[float, int, int, str]] = []
        for cand in sorted(found, key=lambda c: (c[0], c[2] - c[1]), reverse=True):  # "người vợ" must not claim the span of "người chồng"
            if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
                kept.append(cand)
        names = [k[3] for k in sorted(kept, key=lambda k: k[1])]
        if len(set(names)) >= 2:
            current = (names[0], names[-1])
        elif len(set(names)) == 1:
            current = None
        out.append(current)
    return out


def _sections(lines: Sequence[Line], table: Table) -> list[str]:
    """The section each line belongs to ("" before the first heading such as "BÊN A" or "Thông tin người vợ")."""
    current, out = "", []
    for line in lines:
        if 0 < len(line.text.split()) <= 10:
            best: tuple[float, int, str] | None = None
            for name, headings in table.sections:
                for heading in headings:
                    hit = match_label(line, heading)
                    if hit is None or not (at_line_start(line, hit.start) or _heading_tail(line, hit.start, headings)):
                        continue
                    rest = line.text[hit.end:].strip(" :;.,)")  # OCR reads the colon as ";" too
                    if rest and not rest.startswith("(") and not _debris(rest):
                        continue  # "Bên A đồng ý cho Bên B thuê …" is body text, not a heading
                    cand = (hit.score, len(heading), name)
                    if best is None or cand > best:
                        best = cand
            if best is not None:
                current = best[2]
        out.append(current)
    return out


def _debris(rest: str) -> bool:
    """What follows a heading on its line is OCR debris, not the words of a sentence: one token with no
    letters, or of at most three capitals ("Thông tin người vợ ĐẾN": a seal's edge read beside it). A short
    lower-case word may be the sentence's next word ("Vợ ký", "Bên A có")."""
    tokens = rest.split()
    # cased letters only: "ˆ" is a letter to Unicode (a modifier), a mark to a reader
    letters = [ch for ch in tokens[0] if ch.isupper() or ch.islower()] if len(tokens) == 1 else []
    return len(tokens) == 1 and len(letters) <= 3 and all(ch.isupper() for ch in letters)


def _heading_tail(line: Line, pos: int, headings: Sequence[str]) -> bool:
    """What stands before `pos` is the end of a longer heading of the same section whose first word OCR
    lost: "¡ tin người chồng" is "Thông tin người chồng", matched as "Người chồng" after "tin"."""
    before = label_key(line.text[:pos]).split()
    if not before:
        return False
    matched_rest = label_key(line.text[pos:]).split()
    for heading in headings:
        words = label_key(heading).split()
        for cut in range(1, len(words)):
            if words[cut:] == matched_rest[:len(words) - cut] and words[:cut][-len(before):] == before:
                return True
    return False


def _full_width(lines: Sequence[Line]) -> int:
    """Length of a full printed line on this page (90th percentile): longer lines wrapped."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if ln.text.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _continue_address(lines: Sequence[Line], value: str, line_idx: int, labelled: set[int], full: int) -> str:
    for j in range(line_idx + 1, min(line_idx + 3, len(lines))):
        nxt = lines[j]
        text = nxt.text.strip()
        if not text or j in labelled:
            break
        wrapped = len(lines[j - 1].text.strip()) >= 0.85 * full and not _is_upper(text)
        if not (value.endswith(",") or text[0].islower() or "," in text or _UNIT_START.match(nxt.key.strip())
                or wrapped):
            break
        # A new administrative unit on its own line is a new part of the address: keep the comma.
        if lines[j - 1].text.rstrip().endswith(",") and not value.endswith(","):
            value += ","
        glue = ", " if _UNIT_START.match(nxt.key.strip()) and not value.endswith(",") else " "
        value = f"{value}{glue}{clean_value(text)}"
    return " ".join(value.split()).strip(" ,;")


def _continue_text(lines: Sequence[Line], value: str, line_idx: int, labelled: set[int], full: int,
                   paragraph: bool) -> str:
    """A value that wrapped onto following lines; `paragraph`: it sits under a heading and runs to its full stop."""
    for j in range(line_idx + 1, min(line_idx + (6 if paragraph else 3), len(lines))):
        text = lines[j].text.strip()
        if not text or j in labelled or _is_upper(text) != _is_upper(value) or value.endswith((".", ";", ":")):
            break  # a capitalised value does not run on into lower-case text, nor the reverse
        if not paragraph and len(lines[j - 1].text.strip()) < 0.85 * full:
            break
        if lines[j - 1].text.rstrip().endswith(",") and not value.endswith(","):
            value += ","
        value = f"{value} {clean_value(text)}"
    return " ".join(value.split())


def _continue_name(lines: Sequence[Line], value: str, line_idx: int, labelled: set[int]) -> str:
    """A capitalised name wrapped in a narrow column: "TRẦN CÔNG GIA" / "TOÀN"."""
    j = line_idx + 1
    if j < len(lines) and j not in labelled and _is_upper(value):
        text = lines[j].text.strip()
        words = text.split()
        if 1 <= len(words) <= 2 and _is_upper(text) and all(w.isalpha() for w in words) \
                and len(value.split()) + len(words) <= 5:
            return f"{value} {text}"
    return value


# A gap wider than this many word heights between two words of one line is the space between two columns.
COLUMN_GAP = 4.0


def _cut_at_column_gap(value: str, words: Sequence[OcrWord] | None) -> str:
    """`value` up to the first column-wide gap between its words on the page. OCR may join a name with the
    text of the column beside it ("Cho: Nguyễn Thị Mai ⟶ Vinh, ngày 20 tháng 8 năm 2005" on a diploma,
    the place-date printed on the right at the same height); a name never spans such a gap."""
    tokens = value.split()
    if len(tokens) < 2 or not words:
        return value
    keys = [t.strip(".,;:") for t in tokens]
    texts = [nfc(w.text).strip(".,;:") for w in words]
    n = len(tokens)
    for i in range(len(words) - n + 1):
        if texts[i:i + n] != keys:
            continue
        for j in range(n - 1):
            a, b = words[i + j], words[i + j + 1]
            gap = b.left - (a.left + a.width)
            if a.line == b.line and gap > COLUMN_GAP * max(a.height, b.height, 1):
                return " ".join(tokens[:j + 1])
        return value
    return value


_RETRY_NEXT_LINE = {Kind.ID, Kind.BIRTH_DATE, Kind.ISSUE_DATE, Kind.EXPIRY_DATE, Kind.DATE, Kind.NUMBER, Kind.AREA,
                    Kind.SERIAL, Kind.BUSINESS_CODE, Kind.MONEY, Kind.REGISTER}


def _title(lines: Sequence[Line], prefixes: Sequence[str]) -> tuple[str, str, float] | None:
    """The paper's title line starting with one of `prefixes` ("TỜ KHAI ĐĂNG KÝ KHAI SINH"), with its wrap."""
    for i, line in enumerate(lines[:60]):
        text = line.text.strip()
        if not text or not _is_upper(text):
            continue
        key = label_key(text)
        for prefix in prefixes:
            if not (key + " ").startswith(label_key(prefix) + " "):
                continue
            title = text
            nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
            if nxt and _is_upper(nxt) and len(nxt) < 60 and not match_label(lines[i + 1], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"):
                title = f"{title} {nxt}"
            return " ".join(title.split()).rstrip(" :"), prefix, 1.0
    return None


def _title_value(title: str, prefix: str, mode: str) -> str:
    if mode == "procedure":
        return procedure_from_title(title, prefix)
    if mode == "rest":  # "HỢP ĐỒNG THUÊ NHÀ" -> "thuê nhà"
        words = title.split()
        return " ".join(words[len(prefix.split()):]).lower() or title.lower()
    lowered = title.lower()
    return lowered[:1].upper() + lowered[1:]


# A place-date line whose comma OCR lost ("tiuế ngày 16 tháng 7 năm 1993" for "Huế, ngày …"): a place
# of one to three words, then the whole date ending the line. A wrapped line of a legal basis ("… địa
# phương ngày 22 tháng 11 năm 2019;") ends in ";" or ":" and is not taken.
_PLACE_NO_COMMA = re.compile(r"^\W*(?:[^\W\d_]+\s+){1,3}(?P<at>)(?=ngay\s*\S{1,3}\s*thang\s*\S{1,3}\s*nam\s*\S{4}\s*$)")


def _place_date(lines: Sequence[Line], *, today: date | None) -> tuple[Reading, float] | None:
    """The last "<place>, ngày … tháng … năm …" line (forms and contracts are dated at the bottom or top);
    failing that, the last such line whose comma was lost (`_PLACE_NO_COMMA`)."""
    return (_place_date_where(lines, PLACE_DATE, today)
            or _place_date_where(lines, _PLACE_NO_COMMA, today))


def _place_date_where(lines: Sequence[Line], pattern: re.Pattern[str],
                      today: date | None) -> tuple[Reading, float] | None:
    """The date of the last line where `pattern` finds a place-date start (its group "at")."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        m = pattern.search(line.key)
        if not m:
            continue
        segment = line.text[m.start("at"):]
        found = find_dates(segment)
        if not found and i + 1 < len(lines):  # "Hà Nội, ngày 05 tháng 11 năm" / "2024" wrapped
            found = find_dates(f"{segment} {lines[i + 1].text}")
        if not found or found[0].start > 8:
            continue
        d = found[0]
        if d.value is None:
            return Reading(d.raw, False, d.reason, 0.3), 1.0
        # checked as an issue date: a year read in the future ("2079") may be the one look-alike year past
        d = parse_date(d.raw, DateKind.ISSUE, today=today) or d
        return Reading(d.iso, d.valid, d.reason, 0.9 if d.ocr_fixed else 1.0, d.raw), 1.0
    return None


def _extract_table(paper_type: PaperType, table: Table, text: str, words: Sequence[OcrWord] | None,
                   today: date | None) -> dict[str, Field]:
    lines = split_lines(text)
    hits = _qualified(lines, find_labels(lines, _labels_of(table)), table)
    sections = _hit_sections(lines, hits, table) if table.sections else None
    columns = _column_headings(lines, table) if table.sections else None
    # Lines that open with a label: a value never continues onto them.
    labelled = {h.line for h in hits if at_line_start(lines[h.line], h.start)}
    full = _full_width(lines)
    best: dict[str, tuple[tuple, Field, int]] = {}
    for order, hit in enumerate(hits):
        if not hit.tag:
            continue
        spec: FieldSpec = table.fields[int(hit.tag)]
        if spec.section and (sections is None or sections[order] != spec.section):
            continue
        raw, line_idx = value_after(lines, hit, hits)
        if not raw:
            continue
        if spec.kind is Kind.ADDRESS:
            raw = _continue_address(lines, raw, line_idx, labelled, full)
        elif spec.kind in (Kind.TEXT, Kind.FACILITY):
            raw = _continue_text(lines, raw, line_idx, labelled, full, paragraph=line_idx != hit.line)
        elif spec.kind is Kind.NAME:
            raw = _continue_name(lines, _cut_at_column_gap(raw, words), line_idx, labelled)
        if spec.field == "object" and paper_type is PaperType.HOP_DONG:
            raw = contract_object(raw)
        reading = _read(spec.kind, raw, today=today)
        if reading is None and spec.kind in _DATE_KINDS:
            # a debris mark inside the value ("14 giờ ›hút, ngày 22 tháng 01 năm 2023") cut the date off
            reading = _read(spec.kind, value_after(lines, hit, hits, cut=False)[0], today=today)
        if (reading is None or not reading.valid) and spec.kind in _RETRY_NEXT_LINE \
                and line_idx + 1 < len(lines) and line_idx + 1 not in labelled:
            below = lines[line_idx + 1].text
            if columns is not None and columns[hit.line] is not None:  # take this column's half of the line below
                tokens = below.split()
                half = len(tokens) // 2
                right = sections is not None and sections[order] == columns[hit.line][1]
                below = " ".join(tokens[half:] if right else tokens[:max(half, 1)])
            retry = _read(spec.kind, f"{raw} {below}", today=today)
            if retry is not None and (reading is None or retry.valid):
                reading = retry
        if reading is None:
            continue
        field = _field(reading, hit.score, words)
        line = lines[hit.line]
        formal = at_line_start(line, hit.start) or followed_by_colon(line, hit.end)
        # Prefer valid values, then labels that stand as labels (line start or colon), then the more
        # specific label of the table, then confident matches, then the first on the page.
        rank = (reading.valid, formal, -spec.labels.index(hit.label), round(field.confidence, 1), -order)
        if spec.field not in best or rank > best[spec.field][0]:
            best[spec.field] = (rank, field, hit.line)
    fields = {name: f for name, (_, f, _) in best.items()}
    _fallbacks(paper_type, table, lines, text, fields, words, today)
    _anchor_ids(paper_type, lines, fields, {name: ln for name, (_, _, ln) in best.items()})
    return {name: fields[name] for name in KEY_FIELDS[paper_type] if name in fields}


_PARCEL = re.compile(r"thua(?: dat)? so:?\s*(\d+)")
_SHEET = re.compile(r"to ban do so:?\s*(\d+)")


def contract_object(text: str) -> str:
    """A land contract's object in one canonical form, whatever the sentence around it:
    '… quyền sử dụng thửa đất số 123, tờ bản đồ số 45, địa chỉ …' -> 'Quyền sử dụng đất thửa đất số 123, tờ bản đồ số 45'.
    Other objects are kept as printed."""
    key = fold_key(text).lower()
    parcel, sheet = _PARCEL.search(key), _SHEET.search(key)
    if parcel and sheet and "quyen su dung" in key:
        return f"Quyền sử dụng đất thửa đất số {parcel.group(1)}, tờ bản đồ số {sheet.group(1)}"
    return text


# For papers that name several people, a person's ID number is the first one printed after their name.
_ANCHORS: dict[PaperType, tuple[tuple[str, str], ...]] = {
    PaperType.TO_KHAI: (("requester_name", "requester_id_number"),),
}


def _anchor_ids(paper_type: PaperType, lines: Sequence[Line], fields: dict[str, Field],
                where: dict[str, int]) -> None:
    for name_field, id_field in _ANCHORS.get(paper_type, ()):
        name = fields.get(name_field)
        if name is None or not name.valid:
            continue
        target = strip_diacritics(name.value).lower()
        for i, line in enumerate(lines):
            if target not in line.key:
                continue
            for j in range(i, min(i + 8, len(lines))):
                r = read_id_number(lines[j].text[len(target):] if j == i else lines[j].text)
                if r is not None and r.valid:
                    if id_field not in fields or fields[id_field].value != r.value:
                        fields[id_field] = _field(Reading(r.value, True, "", 0.9), 0.9, None)
                    return
            break


# Papers that name their holder in the opening sentence as well as under a label: the name from the sentence
# when the label was not read ("xét đề nghị của ông/bà Phạm Thanh Giang về việc cấp Giấy xác nhận ...").
_NAMED_IN_REQUEST = {PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: "full_name"}
_REQUEST = re.compile(r"de nghi cua (?:ong\s*/\s*ba|ong \(ba\)|ong|ba)\s+(\S.{1,60}?)\s+ve viec")
# Values that name their own kind ("HỘ KINH DOANH CƠM BÌNH DÂN NHUNG"): found after any colon when
# the label before it is lost ("1. Tên hộ kin!: doanh: HỘ KINH ..."); the head is put back as printed.
_SELF_NAMED: dict[PaperType, tuple[str, tuple[str, ...]]] = {
    PaperType.DANG_KY_KINH_DOANH: ("business_name", ("Hộ kinh doanh", "Công ty", "Doanh nghiệp tư nhân")),
}
SELF_NAMED_HEAD_SCORE = 80.0  # rapidfuzz ratio of a read head to the phrase ("ho kin!! doanh")


def _respelled(value: str, heads: Sequence[str]) -> str | None:
    """`value` with its head spelled as the phrase it starts with (OCR slips tolerated: "HỘ KIN!!
    DOANH ..."), in the case it was printed in; None when it starts with none of `heads`."""
    words = value.split()
    for head in heads:
        n_words = len(head.split())
        if len(words) <= n_words:
            continue
        read = " ".join(words[:n_words])
        if fuzz.ratio(label_key(read), label_key(head)) < SELF_NAMED_HEAD_SCORE:
            continue
        spelled = head.upper() if not any(ch.islower() for ch in read) else head
        return " ".join([spelled, *words[n_words:]])
    return None


def _self_named(lines: Sequence[Line], heads: Sequence[str]) -> str | None:
    """The first value after a colon that starts with one of `heads` (`_respelled`), None if none does."""
    for line in lines:
        for colon in (m.end() for m in re.finditer(r":\s*", line.text)):
            found = _respelled(line.text[colon:].strip(), heads)
            if found:
                return found
    return None


def _fallbacks(paper_type: PaperType, table: Table, lines: Sequence[Line], text: str, fields: dict[str, Field],
               words: Sequence[OcrWord] | None, today: date | None) -> None:
    """Fields read from the layout rather than a label: titles, place-date lines, an unlabelled ID or serial."""
    if table.title_field and table.title_field not in fields:
        title = _title(lines, table.title_prefixes)
        if title:
            value = _title_value(title[0], title[1], table.title_mode)
            fields[table.title_field] = _field(Reading(value, True), title[2], words)
    if table.place_date_field and table.place_date_field not in fields:
        found = _place_date(lines, today=today)
        if found:
            fields[table.place_date_field] = _field(found[0], found[1], words)
    named = _NAMED_IN_REQUEST.get(paper_type)
    if named and (named not in fields or not fields[named].valid):
        joined = " ".join(line.text for line in lines)
        found_name = _REQUEST.search(fold_key(joined).lower())
        reading = _read(Kind.NAME, joined[found_name.start(1):found_name.end(1)], today=today) if found_name else None
        if reading is not None and reading.valid:
            fields[named] = _field(Reading(reading.value, True, "read from the request sentence", 0.8), 0.8, words)
    self_named = _SELF_NAMED.get(paper_type)
    if self_named and self_named[0] not in fields:
        value = _self_named(lines, self_named[1])
        reading = _read(Kind.TEXT, value, today=today) if value else None
        if reading is not None and reading.valid:
            fields[self_named[0]] = _field(Reading(reading.value, True, "read without its label", 0.8), 0.8, words)
    elif self_named:
        current = fields[self_named[0]]
        spelled = _respelled(current.value, self_named[1])
        if spelled and spelled != current.value:
            fields[self_named[0]] = Field(spelled, current.confidence, current.valid, current.reason)
    id_fields = [s.field for s in table.fields if s.kind is Kind.ID]
    if len(set(id_fields)) == 1 and id_fields[0] not in fields:
        r = read_id_number(text)
        if r is not None and r.valid:  # unlabelled: only a structurally valid number is believable
            fields[id_fields[0]] = _field(Reading(r.value, True, "", 0.8), 0.8, words)
    serial = [s.field for s in table.fields if s.kind is Kind.SERIAL]
    if serial and serial[0] not in fields:
        s = read_serial(text)
        if s is not None:
            fields[serial[0]] = _field(Reading(s.value, s.valid, s.reason, 0.8), 0.8, words)


def _extract_official(text: str, words: Sequence[OcrWord] | None, today: date | None) -> dict[str, Field]:
    r = read_official(text, today=today)
    fields: dict[str, Field] = {}
    if r.issuer:
        fields["issuer"] = _field(Reading(r.issuer, True, "", 0.9), 1.0, words)
    if r.number is not None:
        fields["number"] = _field(Reading(r.number.value, r.number.valid, r.number.reason), 1.0, words)
    if r.date is not None:
        if r.date.value is None:
            fields["date"] = _field(Reading(r.date.raw, False, r.date.reason, 0.3), 1.0, words)
        else:
            fields["date"] = _field(Reading(r.date.iso, r.date.valid, r.date.reason, printed=r.date.raw), 1.0, words)
    elif r.date_blank is not None:  # printed blank (draft) or unreadable: the raw text, flagged
        raw = "" if "blank" in r.date_blank.reason else r.date_blank.raw
        fields["date"] = _field(Reading(raw, False, r.date_blank.reason, 0.0), 1.0, words)
    if r.doc_type:
        fields["doc_type"] = _field(Reading(r.doc_type, True, "" if r.doc_type_from_title
                                            else "type taken from the ký hiệu", 1.0 if r.doc_type_from_title
                                            else 0.7), 1.0, words)
    if r.subject:
        fields["subject"] = _field(Reading(r.subject, True, "", 0.9), 1.0, words)
    if r.signer:
        fields["signer"] = _field(Reading(r.signer, True, "", 0.8), 1.0, words)
    return fields


def extract_fields(paper_type: PaperType, text: str, words: Sequence[OcrWord] | None = None, *,
                   today: date | None = None) -> dict[str, Field]:
    """The key fields of `paper_type` read from `text` (OCR or truth), each validated and scored.

    Only fields that were found are returned, under their KEY_FIELDS names. `words` (optional) lend
    their OCR confidences to the field confidences. Cross-field checks are done by extract_document.
    """
    paper_type = PaperType(paper_type)
    if paper_type is PaperType.KHAC or not text.strip():
        return {}
    if paper_type is PaperType.VAN_BAN_HANH_CHINH:
        return _extract_official(text, words, today)
    fields = _extract_table(paper_type, TABLES[paper_type], text, words, today)
    if paper_type is PaperType.GIAY_KHAI_SINH:
        fields = _with_birth_date_in_words(fields, text, today)
    if paper_type in _REGISTER_DATES:
        fields = _with_register_year(paper_type, fields, text, today)
    if paper_type is PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN:
        fields = _with_legal_validity(fields, text)
    if paper_type is PaperType.CCCD:
        fields = _with_lost_birth_date(_with_machine_zone(fields, text, today), text, today)
        fields = _with_renewal_date(_with_disputed_year_from_expiry(fields, text), text)
        fields = _with_issue_date(_with_birth_year_from_expiry(fields, text), text, today)
    return fields


# Papers entered in a yearly register, which print the register's year beside the entry ("Quyển số: 01/2017",
# "Số vào sổ cấp bằng: 5989/1996"), and the field dated in that year.
_REGISTER_DATES = {PaperType.GIAY_CHUNG_NHAN_KET_HON: "registered_on", PaperType.BANG_CAP: "date"}
_REGISTER_YEAR = re.compile(r"(?:quyen so|so vao so)[^/\n]{0,24}?\d{1,6}\s?/\s?((?:19|20)\d\d)(?!\d)")
# A date whose year OCR cut short ("07/09/20 í", "ngày 22 tháng 6 năm" / "199"): two or three digits.
_CUT_YEAR = (re.compile(r"(?<!\d)(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{2,3})(?![\d/])"),
             re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{2,3})(?!\d)"))
REGISTER_YEAR_CONFIDENCE = 0.6


def _with_register_year(paper_type: PaperType, fields: dict[str, Field], text: str,
                        today: date | None) -> dict[str, Field]:
    """A registration or issue date whose year OCR cut short, on a paper that prints its register's year:
    the one cut date whose year digits begin that year gets it. Registers are kept per year, so the
    entry's date is in the register's year."""
    name = _REGISTER_DATES[paper_type]
    if name in fields:
        return fields
    key = fold_key(text)
    years = {int(m.group(1)) for m in _REGISTER_YEAR.finditer(key)}
    if len(years) != 1:
        return fields
    year = years.pop()
    found = set()
    for pattern in _CUT_YEAR:
        for m in pattern.finditer(key):
            if str(year).startswith(m.group(3)):
                try:
                    found.add(date(year, int(m.group(2)), int(m.group(1))))
                except ValueError:
                    continue
    if len(found) != 1:
        return fields
    value = found.pop()
    if check_plausible(value, DateKind.ISSUE, today=today):
        return fields
    return {**fields, name: Field(value.isoformat(), REGISTER_YEAR_CONFIDENCE, True,
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


def _with_legal_validity(fields: dict[str, Field], text: str) -> dict[str, Field]:
    """A marital-status certificate's end of validity not read as a date, its issue date read: the one date
    whose year OCR cut short ("10/12/20") that completes to a day within the legal 6 months takes that year;
    with none, the legal end itself stands in, at a low confidence and saying so, so that the paper is
    neither reused past the law's limit nor refused while it is still valid."""
    issued, current = fields.get("issued_on"), fields.get("valid_until")
    if issued is None or not issued.valid or (current is not None and current.valid):
        return fields
    start = date.fromisoformat(issued.value)
    end = legal_validity_end(start)
    key = fold_key(text)
    found = set()
    for pattern in _CUT_YEAR:
        for m in pattern.finditer(key):
            for year in {start.year, end.year}:
                if not str(year).startswith(m.group(3)):
                    continue
                try:
                    printed = date(year, int(m.group(2)), int(m.group(1)))
                except ValueError:
                    continue
                if start < printed <= end + timedelta(days=VALIDITY_SLACK_DAYS):
                    found.add(printed)
    if len(found) == 1:
        return {**fields, "valid_until": Field(found.pop().isoformat(), REGISTER_YEAR_CONFIDENCE, True,
                                               "year cut short in the reading; the only year within the 6 months "
                                               "from the issue date")}
    read = f"read {current.value!r}, not a date; " if current is not None and current.value else "not read; "
    return {**fields, "valid_until": Field(end.isoformat(), LEGAL_VALIDITY_CONFIDENCE, True,
                                           read + "6 months from the issue date, as the law sets")}


# Confidence of a birth date taken from its words alone (the digits lost, impossible, or misread).
WORDS_DATE_CONFIDENCE = 0.7


def _with_birth_date_in_words(fields: dict[str, Field], text: str, today: date | None) -> dict[str, Field]:
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
        out["date_of_birth"] = _invalidate(current, f"the date in words says {written.strftime('%d/%m/%Y')}")
    return out


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
        out["id_number"] = _invalidate(printed_id, f"the machine-readable zone reads {mask_id(number)}")
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


def _invalidate(field: Field, reason: str) -> Field:
    reason = f"{field.reason}; {reason}" if field.reason and not field.valid else reason
    return Field(field.value, min(field.confidence, INVALID_CAP), False, reason)


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
        out[id_name] = _invalidate(ident, reason)
        for p in problems:
            if p.startswith("birth year") and dob_name in out:
                out[dob_name] = _invalidate(out[dob_name], f"birth year disagrees with ID number {mask_id(ident.value)}")
            if p.startswith("sex") and sex_spec and sex_spec.startswith("@") and sex_spec[1:] in out:
                out[sex_spec[1:]] = _invalidate(out[sex_spec[1:]],
                                                f"sex disagrees with ID number {mask_id(ident.value)}")
    if PaperType(paper_type) is PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN:
        out = _check_legal_validity(out)
    for later_name, earlier_name in _EXPIRY_CHECKS.get(PaperType(paper_type), ()):
        later, earlier = out.get(later_name), out.get(earlier_name)
        if later is None or earlier is None or not later.valid or not earlier.valid:
            continue
        if date.fromisoformat(later.value) <= date.fromisoformat(earlier.value):
            out[later_name] = _invalidate(later, f"{later_name} is not after {earlier_name}")
    return out


def _check_legal_validity(fields: dict[str, Field]) -> dict[str, Field]:
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
    return {**fields, "valid_until": _invalidate(until, reason), "issued_on": _invalidate(issued, reason)}


def extract_document(component: Component, pages: Sequence[OcrPage], *, today: date | None = None) -> Document:
    """Read the fields of one component from its pages' OCR, then cross-check them."""
    wanted = set(component.pages)
    own = [p for p in pages if p.index in wanted] or list(pages)
    own.sort(key=lambda p: component.pages.index(p.index) if p.index in wanted else 0)
    table = TABLES.get(PaperType(component.type))
    words = [w for p in own for w in p.words]
    text = "\n\f\n".join(p.text for p in own) if own else component.text
    readings = [text]
    if table and table.sections and words:
        rebuilt = [rebuild_columns(p.words, table.sections) if p.words else None for p in own]
        if any(rebuilt):
            readings.insert(0, "\n\f\n".join(r or p.text for r, p in zip(rebuilt, own)))
    # Two readings of a two-column paper (columns rebuilt from word boxes, and the OCR's own reading
    # order) go wrong on different pages; the one whose fields read and cross-check better is kept.
    signed = signed_names(component.type, own[-1].words) if own else {}
    best: dict[str, Field] | None = None
    for reading in readings:
        fields = with_signed_names(extract_fields(component.type, reading, words or None, today=today), signed, words)
        fields = settle_id_digits(component.type, settle_birth_years(component.type, fields, words, today=today))
        fields = cross_check(component.type, fields)
        if best is None or _soundness(fields) > _soundness(best):
            best = fields
    return Document(component=component, fields=best or {})


# Confidence weight of a name read under a signature (no label vouches for what it is).
SIGNED_SCORE = 0.8


def with_signed_names(fields: dict[str, Field], signed: dict[str, str],
                      words: Sequence[OcrWord] | None) -> dict[str, Field]:
    """A name field missing, invalid, missing words the signed name has or holding words that cannot
    be Vietnamese where the signed name has others, taken from the signature block."""
    out = dict(fields)
    for name, value in signed.items():
        current = out.get(name)
        if current is None or not current.valid:
            out[name] = _field(Reading(value, True, "read from the signature block", SIGNED_SCORE), 1.0, words)
        elif completes(current.value, value) or mends(current.value, value):
            out[name] = _field(Reading(value, True, "completed from the signature block", SIGNED_SCORE), 1.0, words)
    return out


def _soundness(fields: dict[str, Field]) -> tuple[int, int]:
    """(valid fields, fields read): how well one reading of a paper holds together."""
    return sum(1 for f in fields.values() if f.valid), len(fields)

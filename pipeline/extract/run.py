"""Field extraction for one component: apply its type's label table (or the official-document reader),
validate each value and score it; then let what the paper says a second way complete or settle a value
(`extract.card` for ID cards, `extract.dated` for dates stated twice or fixed by law) and cross-check
related fields (`extract.checks`: ID number against birth date and sex, expiry against issue date).

Missing fields are absent from the result (not present with valid=False): a caller can tell "not on the
paper / not read" from "read but wrong", and the CLI JSON only lists what was read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.domain.fields import KEY_FIELDS, NO_EXPIRY
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, Document, Field, OcrPage, OcrWord
from pipeline.domain.vntext import nfc, strip_diacritics
from pipeline.extract.card import read_card_again
from pipeline.extract.checks import cross_check, settle_birth_years, settle_id_digits, settle_with_declared
from pipeline.extract.codes import parse_doc_number, read_business_code
from pipeline.extract.columns import rebuild_columns
from pipeline.extract.dated import REGISTER_DATES, with_birth_date_in_words, with_legal_validity, with_register_year
from pipeline.extract.dates import DateKind, find_dates, parse_date
from pipeline.extract.ids import read_id_number
from pipeline.extract.invalid import INVALID_CAP
from pipeline.extract.labels import (LabelHit, Line, at_line_start, clean_value, find_labels, fold_key,
                                     followed_by_colon, has_word, label_key, match_label, split_lines, value_after)
from pipeline.extract.land import read_area, read_register_number, read_serial, read_small_number
from pipeline.extract.names import normalize_name
from pipeline.extract.official import PLACE_DATE, read_official
from pipeline.extract.places import mend_address, mend_place_tail
from pipeline.extract.procedures import procedure_from_title
from pipeline.extract.signed import completes, mends, signed_names
from pipeline.extract.tables import TABLES, FieldSpec, Kind, Table

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
        fields = with_birth_date_in_words(fields, text, today)
    if paper_type in REGISTER_DATES:
        fields = with_register_year(paper_type, fields, text, today)
    if paper_type is PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN:
        fields = with_legal_validity(fields, text)
    if paper_type is PaperType.CCCD:
        fields = read_card_again(fields, text, today)
    return fields


def extract_document(component: Component, pages: Sequence[OcrPage], *, today: date | None = None,
                     declared: Mapping[str, str] | None = None) -> Document:
    """Read the fields of one component from its pages' OCR, then cross-check them. `declared`: ID number
    -> full name of the people the dossier declares (its applicant); a number read a digit or two from
    one is taken as it, and beside a number the paper prints as declared, so are a birth year one digit
    off and a name within two letters (`checks.settle_with_declared`)."""
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
        fields = settle_with_declared(component.type, fields, declared or {})
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

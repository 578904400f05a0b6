"""Fuzzy label matching on OCR text: find "Họ và tên" even when OCR reads "Ho va tèn" or "Họ, chữ đệm
và tên", and return the value printed after it.

Matching runs on a diacritic-free, lower-case key of each line whose characters stay aligned one to
one with the original line, so a match position in the key is a position in the printed text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from pipeline.domain.vntext import nfc, strip_diacritics

# Labels shorter than this are matched exactly (on the folded key): fuzzy matching "số" or "ngày"
# would hit half the words of a page.
FUZZY_MIN_LEN = 7  # letters and digits, spaces and punctuation not counted
# Similarity (0-100) a fuzzy label match needs; short labels need more.
CUTOFF_LONG = 82.0
CUTOFF_SHORT = 85.0
LONG_LABEL = 12
VERY_SHORT = 4

_LEADER = re.compile(r"^[\s:;.,…_\-–—·•|*'\"“”¬`‘’‹›ˆ/§]+")
_TRAILER = re.compile(r"[\s:;,…_\-–—·•|*]+$|(?<=\S)\s*\.{2,}$")
_WORD_CHAR = re.compile(r"\w")
# The English gloss printed after a label on bilingual cards: "Họ và tên / Full name: …".
# Its colon may be lost when the value stands on the next line ("Họ và tên / Full name" / "NGUYỄN VĂN AN").
_GLOSS = re.compile(r"^\s*/\s*[^\W\d][\w ,.]{0,40}(?::|\s*$)")


def strip_gloss(text: str) -> str:
    """`text` without a leading gloss ("/ Full name:"). A gloss that lost its colon before a name in capitals
    on the same line ("Họ và tên mẹ / Người nuôi NGUYỄN THUỲ QUỲNH") ends where the capitals begin."""
    head, slash, rest = text.partition("/")
    words = rest.split()
    if slash and not head.strip() and ":" not in rest:
        for k in range(1, len(words) - 1):
            if all(w.isalpha() and w.isupper() for w in words[k:]):
                if any(ch.islower() for w in words[:k] for ch in w):
                    return " ".join(words[k:])
                break
    return _GLOSS.sub("", text)


# What may precede a label on its line: bullets and numbering ("1.", "a)", "-", "II.", "II ."), with OCR noise:
# stray marks ("€ó giá trị đến"), one stray letter ("(C? Họ và tên"), Roman numerals read as l/h/1 ("IH.", "HI.").
_LINE_START = re.compile(r"[\W_]*(?:[^\W\d][^\w\s]?\s+)?(?:dieu\s+\d{1,3}[.:]?\s*)?(?:(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivxlh1]{1,4})\s?[.)/]\s*)?"
                         r"[\s\-–•*]*")
# OCR debris of a card's portrait or a seal before a label: up to three tokens of marks, each with at most one
# letter or digit, or two capitals ("6, Họ và tên", "CC Họ và tên", "Z“ N Quê quán", "§ _¡_ Nơi thường trú");
# lower-case words are text.
_NOISE_PREFIX = re.compile(r"\s*(?:[\W_]*(?:[^\W_]|[A-ZĐ]{2})?[\W_]*\s+){1,3}")
# At most two short tokens before a label: what OCR makes of a portrait or a seal's edge ("Am", "Tế").
_SHORT_SCRAP = re.compile(r"\s*(?:\S{1,3}\s+){1,2}")
# The Vietnamese half of a bilingual card label, garbled past matching, before its English half:
# "Họẹ xa tên / Full name:" (the label found is "Full name").
_BILINGUAL_HEAD = re.compile(r"\s*(?:\S+\s+){1,5}/\s*")
_COLON_DEBRIS = re.compile(r":{2,}|:(?=\w)")
_COLON_NEXT = re.compile(r"\s{0,2}\)?\s{0,2}(?:/\s*[a-z .]{1,30})?[:;]")


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)) + [0x110, 0x111]:
        ch = chr(code)
        base = strip_diacritics(ch).lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    for code in range(0x300, 0x370):  # stray combining marks (text that was not NFC) become spaces
        table[code] = " "
    return table


_FOLD_TABLE = _build_fold_table()


def fold_key(text: str) -> str:
    """'Họ và Tên' -> 'ho va ten', one output character per input character (positions line up)."""
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """The search key of a label: folded, punctuation dropped, single spaces ('Họ, chữ đệm và tên' -> 'ho chu dem va ten')."""
    key = fold_key(nfc(label))
    key = re.sub(r"[^\w/]+", " ", key)
    return " ".join(key.split())


@dataclass(frozen=True)
class LabelHit:
    """Where a label was found: line index, span in that line, the label and how well it matched (0-1)."""

    line: int
    start: int
    end: int
    label: str
    score: float
    tag: str = ""  # what the caller attached to the label (usually a field name)


@dataclass
class Line:
    text: str  # NFC, as printed
    key: str  # fold_key(text): same length

    @classmethod
    def of(cls, text: str) -> Line:
        text = nfc(text)
        return cls(text, fold_key(text))

    @cached_property
    def compact(self) -> tuple[str, tuple[int, ...]]:
        return _compact(self.key)


def _compact(key: str) -> tuple[str, tuple[int, ...]]:
    """Letters and digits only, with each one's position in `key`."""
    positions = tuple(i for i, ch in enumerate(key) if ch.isalnum())
    return "".join(key[i] for i in positions), positions


def split_lines(text: str) -> list[Line]:
    return [Line.of(line) for line in nfc(text).replace("\f", "\n").split("\n")]


def _word_bounded_start(key: str, start: int) -> bool:
    return start == 0 or not key[start - 1].isalnum()


def _extend_to_word_end(key: str, end: int) -> int:
    while end < len(key) and key[end].isalnum():
        end += 1
    return end


@lru_cache(maxsize=4096)
def _exact_pattern(key: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in key.split()]
    return re.compile(r"(?<![\w])" + r"[\s,.]*".join(words) + r"(?!\w)")


@lru_cache(maxsize=4096)
def _label_compact(label: str) -> str:
    return _compact(label_key(label))[0]


def match_label(line: Line, label: str, *, cutoff: float | None = None) -> LabelHit | None:
    """The best occurrence of `label` in `line` (None if it does not occur well enough)."""
    key = label_key(label)
    if not key:
        return None
    compact_label = _label_compact(label)
    if len(compact_label) < FUZZY_MIN_LEN:
        # Short labels ("Số", "Bà", "Tại") only count at the start of a line or right before a colon,
        # or "Ba Vì" would be read as the label "Bà".
        very_short = len(compact_label) < VERY_SHORT
        for m in _exact_pattern(key).finditer(line.key):
            at_start = at_line_start(line, m.start())
            before_colon = _COLON_NEXT.match(line.key, m.end()) is not None
            # Two- or three-letter labels ("Số", "Bà", "Tại") also need their colon: "Số 12 đường …" is an address.
            if before_colon or (at_start and not very_short):
                return LabelHit(-1, m.start(), m.end(), label, 1.0)
        return None
    compact_line, positions = line.compact
    if len(compact_line) < 0.75 * len(compact_label):
        return None
    need = cutoff if cutoff is not None else (CUTOFF_LONG if len(compact_label) >= LONG_LABEL else CUTOFF_SHORT)
    # Compared without spaces and punctuation: "Họ, chữ đệm, tên" and "Họ chữ đệm tên" are the same label.
    al = fuzz.partial_ratio_alignment(compact_label, compact_line, score_cutoff=need)
    if al is None or al.score < need or al.dest_end <= al.dest_start:
        return None
    if (al.src_end - al.src_start) < 0.8 * len(compact_label):
        return None
    if len(compact_line) - al.dest_start < len(compact_label) - 1:
        return None  # the label would run off the end of the line: "…năm sinh:" is not "…năm sinh vợ"
    start = positions[al.dest_start]
    if not _word_bounded_start(line.key, start):
        # one OCR-added character before the label ("xho va ten") is tolerated, a word that merely
        # contains the label is not
        if _word_bounded_start(line.key, start - 1):
            start -= 1
        else:
            return None
    end = _extend_to_word_end(line.key, positions[al.dest_end - 1] + 1)
    # A run of colons ("đ°:::. tên") or a colon glued to the letter after it ("Giấy :ở tùy thân", "người c:a")
    # is OCR debris inside the label.
    matched = _COLON_DEBRIS.sub("", line.key[start:end])
    inner = matched.rstrip(":")
    closed = inner != matched or _COLON_NEXT.match(line.key, end) is not None
    if ":" in inner and not _stray_colon_inside(inner, key, closed):
        return None  # a label never spans a colon: "Mục đích sử dụng: Đất …" is not "Mục đích sử dụng đất"
    return LabelHit(-1, start, end, label, al.score / 100.0)


def _stray_colon_inside(inner: str, key: str, closed: bool) -> bool:
    """One colon inside a label of three words or more, with two words or more of it after the colon:
    a speck OCR read there, not the end of a shorter label, which would leave a label's tail of two
    words or more for the value. Right after the first word ("Căn: cước công dân số:") it is taken
    as a speck; further on, only when the label is `closed` by a colon of its own ("Ngày, tháng, năn:
    ¿ïng ký: 21/02/2023"), for "Ngày cấp: nơi cấp Hà Nội" is the label "Ngày cấp" and its value."""
    head, _, tail = inner.partition(":")
    if len(key.split()) < 3 or ":" in tail or len(tail.split()) < 2:
        return False
    return len(head.split()) == 1 or closed


def find_labels(lines: Sequence[Line], labels: Iterable[tuple[str, str]],
                line_range: range | None = None) -> list[LabelHit]:
    """Every (label, tag) found in the lines, overlapping hits resolved in favour of the longer label.

    Returns hits sorted by (line, start). One pass: lines x labels, each a single C-level
    alignment, so a page costs a few milliseconds.
    """
    labels = list(labels)
    hits: list[LabelHit] = []
    indices = line_range if line_range is not None else range(len(lines))
    for i in indices:
        line = lines[i]
        if not line.key.strip():
            continue
        found: list[LabelHit] = []
        for label, tag in labels:
            hit = match_label(line, label)
            if hit is not None:
                found.append(LabelHit(i, hit.start, hit.end, label, hit.score, tag))
                # OCR reads two columns as one line: the same label may stand twice ("Họ, chữ đệm, tên: A
                # … Họ, chữ đệm, tên: B" on a marriage certificate).
                rest = Line(line.text[hit.end:], line.key[hit.end:])
                again = match_label(rest, label) if len(rest.key) > 4 else None
                if again is not None and followed_by_colon(rest, again.end):
                    found.append(LabelHit(i, hit.end + again.start, hit.end + again.end, label, again.score, tag))
        # The best match wins; on a tie the longer (more specific) label: "họ tên người mẹ" beats "họ tên",
        # but "ngày sinh vợ" (0.94) does not beat "ngày sinh" (1.0) on "Ngày sinh: 12/03/1990".
        found.sort(key=lambda h: (-round(h.score, 2), -len(label_key(h.label))))
        # A short label inside the tail of a longer one read with a slip ("năm sinh" in "gầy, tháng, năm
        # sinh" for "Ngày, tháng, năm sinh") is part of the longer label, however exact its own match.
        found = [h for h in found if not any(_swallows(o, h) for o in found)]
        kept: list[LabelHit] = []
        for hit in found:
            # The same label may lead to several fields (a name in the husband's and the wife's block).
            if all(hit.end <= k.start or hit.start >= k.end or (hit.label == k.label and hit.start == k.start)
                   for k in kept):
                kept.append(hit)
        hits.extend(kept)
    hits.sort(key=lambda h: (h.line, h.start))
    return hits


# The lowest score at which a longer label swallows an exact shorter one it contains: one OCR slip, so
# at most SWALLOW_SCORE and, for a label of n letters, 1 - 1/n (one misread letter). At a flat 0.95 one
# misread letter in the 16 of "Ngày, tháng, năm sinh" ("Nøày…", 0.9375) was not enough, and the exact
# "năm sinh" inside it took a child's birth date for a parent's birth year. Dev field caches (all levels,
# 626 dates): 585 -> 586 exact, nothing lost; two letters off ("… người xy" for "… người mẹ") still are not.
SWALLOW_SCORE = 0.95


def _swallows(outer: LabelHit, inner: LabelHit) -> bool:
    """`outer` covers `inner` and reaches further: `inner` is a word or the head of the longer label, not a label
    of its own ("Họ, chữ đệm, tên" in "Họ, chữ đệm, tên người c:a:", read for "... người cha")."""
    one_slip = min(SWALLOW_SCORE, 1.0 - 1.0 / max(len(_label_compact(outer.label)), 1)) - 1e-9
    return (outer.score >= one_slip and outer.start <= inner.start and inner.end <= outer.end
            and outer.end - outer.start > inner.end - inner.start and outer.label != inner.label)


# What OCR makes of a dotted leader after a value: "Nguyễn Văn An -- 2+2 + Se Eseee", "Kết hôn ------c << <<".
# Values never hold two leader marks in a row, a run of dots, or guillemets; everything from there on is debris.
_DEBRIS = re.compile(r"\s[-–—_.·•]\s*[-–—_.·•<«»]|[-–—_]{2,}|[.…·]{2,}|[<«»¬‹›|]|\s[-–—]\s*\S{0,2}$")


def cut_debris(text: str) -> str:
    while (m := _DEBRIS.search(text)) is not None:
        text = text[:m.start()]
    return text


def clean_value(raw: str, cut: bool = True) -> str:
    """Strip separators and dotted leaders around a value: ':........Nguyễn Văn An..' -> 'Nguyễn Văn An';
    with `cut`, also everything from the first debris on (`cut_debris`)."""
    value = _LEADER.sub("", raw)
    if cut:
        value = cut_debris(value)
    value = re.sub(r"\.{3,}|…+|_{2,}", " ", value)
    value = _TRAILER.sub("", value)
    if not any(ch.isalnum() for ch in value):
        return ""  # only separators left ("/" between a label and its English gloss)
    return " ".join(value.split())


def value_after(lines: Sequence[Line], hit: LabelHit, hits: Sequence[LabelHit], *,
                allow_next_line: bool = True, cut: bool = True) -> tuple[str, int]:
    """The text after `hit` up to the next label on the same line; the next line when the label ends its line.
    `cut=False` keeps what follows a debris mark (`clean_value`).

    Returns (value, line index the value came from).
    """
    line = lines[hit.line]
    stop = len(line.text)
    for other in hits:
        # Only a label that stands as one (followed by its colon) ends a value: "Đất trồng cây lâu năm" is a
        # purpose, not the label "Cây lâu năm".
        if other.line == hit.line and other.start >= hit.end and other.start > hit.start \
                and _COLON_NEXT.match(line.key, other.end):
            stop = min(stop, other.start)
    value = clean_value(strip_gloss(line.text[hit.end:stop]), cut)
    # Only a label that opens its line hands its value to the next line ("Quê quán:" / "Xã …"), or one
    # with its colon after a short scrap of debris ("Am Họ và tên / Full name:", a card's portrait read
    # as letters) or after the garbled Vietnamese half of its bilingual label ("Họẹ xa tên / Full name:");
    # a label-like phrase ending a title line ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN") does not.
    before = line.text[:hit.start]
    opens = at_line_start(line, hit.start) or (
        (_SHORT_SCRAP.fullmatch(before) is not None or _BILINGUAL_HEAD.fullmatch(before) is not None)
        and followed_by_colon(line, hit.end))
    if value or not allow_next_line or not opens:
        return value, hit.line
    labelled = {h.line for h in hits if h.start <= 2}
    for j in range(hit.line + 1, min(hit.line + 3, len(lines))):
        if not lines[j].text.strip():
            continue
        if j in labelled:
            break
        nxt_stop = len(lines[j].text)
        for other in hits:
            if other.line == j and _COLON_NEXT.match(lines[j].key, other.end):
                nxt_stop = min(nxt_stop, other.start)
        return clean_value(strip_gloss(lines[j].text[:nxt_stop]), cut), j
    return "", hit.line


def letters_only(text: str) -> bool:
    return all(unicodedata.category(ch).startswith("L") or ch == " " for ch in text)


def has_word(text: str) -> bool:
    return bool(_WORD_CHAR.search(text))


def at_line_start(line: Line, pos: int) -> bool:
    """Only bullets or numbering ("1.", "a)", "II.") stand before `pos` on the line."""
    return _LINE_START.fullmatch(line.key[:pos]) is not None or _NOISE_PREFIX.fullmatch(line.text[:pos]) is not None


def followed_by_colon(line: Line, pos: int) -> bool:
    return _COLON_NEXT.match(line.key, pos) is not None

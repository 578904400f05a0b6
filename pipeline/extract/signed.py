"""Names written again under a signature.

Forms ask each party to sign and write out their full name ("ký, ghi rõ họ tên") under a heading:
"Chồng" and "Vợ" on a marriage certificate, "BÊN ỦY QUYỀN" and "BÊN NHẬN ỦY QUYỀN" on an
authorisation, "Người yêu cầu" on a request form. When OCR loses part of the labelled name (a
word of "Họ, chữ đệm, tên: BÙI QUANG PHÚC" under a smudge) or all of it, the signed name is a
second reading of the same person's name.

The heading is found among the word boxes of the paper's last page: a run of words that spells
it and stands apart from other words on its row (so "người chồng" in "Thông tin người chồng" is
not a heading), the lowest such run on the page. Its column reaches halfway to the next heading
on the same row (or a quarter of the page's width either side); the first row below it whose
words in that column are all Vietnamese syllables and read as a valid name is the signed name. A
signature read as letters ("VW", "MA 2", "VÀVÀ ax,") is passed over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.domain.papers import PaperType
from pipeline.domain.records import OcrWord
from pipeline.domain.vntext import is_syllable
from pipeline.extract.columns import visual_rows
from pipeline.extract.labels import label_key
from pipeline.extract.names import normalize_name

# field -> the heading its person signs under (as `label_key` folds it)
SIGNED: dict[PaperType, tuple[tuple[str, str], ...]] = {
    PaperType.GIAY_CHUNG_NHAN_KET_HON: (("husband_name", "chong"), ("wife_name", "vo")),
    PaperType.GIAY_UY_QUYEN: (("grantor_name", "ben uy quyen"), ("grantee_name", "ben nhan uy quyen")),
    PaperType.TO_KHAI: (("requester_name", "nguoi yeu cau"),),
}
# A heading stands apart: no other word within this many word heights on either side.
APART_HEIGHTS = 1.5
# The signed name is looked for in this many rows under the heading (the signature lies between).
MAX_ROWS_BELOW = 8


@dataclass(frozen=True)
class _Heading:
    left: int
    right: int
    top: int
    bottom: int

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def _headings(rows: Sequence[Sequence[OcrWord]], keys: Sequence[str]) -> dict[str, tuple[int, _Heading]]:
    """The lowest stand-alone occurrence of each heading: key -> (row index, heading)."""
    found: dict[str, tuple[int, _Heading]] = {}
    for r, row in enumerate(rows):
        folded = [label_key(w.text) for w in row]
        for key in keys:
            size = len(key.split())
            for i in range(len(row) - size + 1):
                if " ".join(folded[i:i + size]) != key:
                    continue
                run = row[i:i + size]
                height = max(w.height for w in run)
                before = row[i - 1] if i > 0 else None
                after = row[i + size] if i + size < len(row) else None
                if before is not None and run[0].left - (before.left + before.width) < APART_HEIGHTS * height:
                    continue
                if after is not None and after.left - (run[-1].left + run[-1].width) < APART_HEIGHTS * height:
                    continue
                found[key] = (r, _Heading(run[0].left, run[-1].left + run[-1].width,
                                          min(w.top for w in run), max(w.top + w.height for w in run)))
    return found


def signed_names(paper_type: PaperType, words: Sequence[OcrWord]) -> dict[str, str]:
    """field -> the valid name written under its heading on the page of `words`."""
    spec = SIGNED.get(PaperType(paper_type), ())
    if not spec or not words:
        return {}
    rows = visual_rows(words)
    headings = _headings(rows, [key for _, key in spec])
    page_width = max(w.left + w.width for w in words) - min(w.left for w in words)
    out: dict[str, str] = {}
    for field, key in spec:
        if key not in headings:
            continue
        r, heading = headings[key]
        low, high = heading.centre - page_width / 4, heading.centre + page_width / 4
        for _, other in headings.values():  # a heading on the same row bounds the column
            if other is heading or other.top > heading.bottom or other.bottom < heading.top:
                continue
            middle = (heading.centre + other.centre) / 2
            low, high = (max(low, middle), high) if other.centre < heading.centre else (low, min(high, middle))
        for row in rows[r + 1:r + 1 + MAX_ROWS_BELOW]:
            column = [w for w in row if low <= w.left + w.width / 2 <= high]
            if len(column) < 2 or not all(is_syllable(w.text) for w in column):
                continue  # a signature read as letters ("VÀVÀ ax,") is no name
            name = normalize_name(" ".join(w.text for w in column))
            if name.valid and len(name.value.split()) >= 2:
                out[field] = name.value
                break
    return out


def _folded_words(name: str) -> list[str]:
    return label_key(name).split()


def mends(read: str, signed: str) -> bool:
    """The signed name is the read one with the words that cannot be Vietnamese read right
    ("Đặng Công Thng" -> "Đặng Công Thắng"): same number of words, and every word that differs is
    not a Vietnamese syllable in the read name."""
    part, whole = read.split(), signed.split()
    if len(part) != len(whole) or part == whole:
        return False
    return all(label_key(a) == label_key(b) or not is_syllable(a) for a, b in zip(part, whole))


def completes(read: str, signed: str) -> bool:
    """The signed name holds every word of the read one in order, and more ("Bùi Quang" in
    "Bùi Quang Phúc", "Lương Hùng" in "Lương Quốc Hùng")."""
    part, whole = _folded_words(read), _folded_words(signed)
    if not part or len(part) >= len(whole):
        return False
    at = 0
    for word in whole:
        if at < len(part) and word == part[at]:
            at += 1
    return at == len(part)

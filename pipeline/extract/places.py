"""Addresses: mend what OCR does to the words every Vietnamese address is made of.

An address runs from the smallest place to the province, its parts separated by commas:
"Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh". Two things are known in
advance, and OCR errors in them can be mended without guessing at anything else:

- the province that ends it, one of the 63 of the ID-number table (`domain.idnumber.PROVINCE_CODES`),
  as "Tỉnh <name>" or, for the five centrally governed cities, "Thành phố <name>". The first run of
  words that spells one of them up to a few letters ("Tnành phố Hà Nội", "Tình Thừa Thiên Huế",
  "Tỉnh Thanh L1óa") is taken for it, and what OCR appended after it (the label of the next field
  beside it, "Có giá trị đến", the next line's field, a stray mark) is dropped: nothing follows the
  province. A city named like its province ("Thành phố Thanh Hóa, Tỉnh Thanh Hóa") is not close
  enough to the province to be taken for it.
- the unit word that opens each part: Phường, Xã, Quận, Huyện, Thị xã, Thị trấn, Thôn, Xóm, Ấp,
  Thành phố. A part whose first word spells one of them without the marks ("Phương Điện Biên",
  "Thành pho Nam Định") gets the unit word back.

Marks are mended, not style: a unit word printed in lower case, as inside a hospital's name
("Bệnh viện Đa khoa huyện Ba Vì, thành phố Hà Nội"), stays in lower case.

The English gloss of a card's label that OCR left before the value ("of residence: Số 61 …") is
dropped too. The name of an agency or facility that ends with its province (a birth's hospital, a
diploma's issuing department: `Kind.FACILITY`) gets only its province mended (`mend_place_tail`). Street, commune and district names are left as read: there is no list of them here.
Since 1 July 2025 provinces were merged and districts abolished (Resolution 202/2025/QH15); the
34 provinces that remain all carry one of the 63 names, so the table covers papers of both eras.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.domain.idnumber import PROVINCE_CODES
from pipeline.domain.vntext import strip_diacritics

_CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
_NAMES = [name.replace("TP ", "").replace("–", " - ") for name in PROVINCE_CODES.values()]
PROVINCES: tuple[str, ...] = tuple(f"{'Thành phố' if name in _CITIES else 'Tỉnh'} {name}" for name in _NAMES)
# A run of words is a province when its letters (marks ignored) are this close to the province's, and
# this much closer than to any other: some provinces are one letter apart ("Tỉnh Tiền Giang" / "Tỉnh
# Kiên Giang" 0.93, "Tỉnh Quảng Ninh" / "Tỉnh Quảng Bình" 0.93), and a misread letter must not move a
# citizen to the neighbouring province. At 0.8 "ĐÀO TẠO PHỐ HÀ NỘI" (the unit's first word lost) took
# "TẠO" for "THÀNH" (0.81); the OCR slips mended here score 0.9 and up ("Tnành phố Hà Nội" 0.94).
MIN_PROVINCE_SIMILARITY = 0.85
MIN_MARGIN = 0.05
_UNITS = ("Thành phố", "Thị xã", "Thị trấn", "Tổ dân phố", "Phường", "Xã", "Quận", "Huyện", "Thôn", "Xóm", "Ấp")
# The English gloss of "Nơi thường trú / Place of residence", "Quê quán / Place of origin" left before a
# value: up to three words, one of them "of", then a colon or full stop.
_GLOSS = re.compile(r"^(?:\S+\s+){0,2}?of\s+\S{0,12}[:.;]\s+(?=\S)", re.IGNORECASE)


@dataclass(frozen=True)
class Address:
    value: str
    mended: bool  # a province or unit word was respelled, or text after the province dropped


def _key(text: str) -> str:
    """Letters and digits of `text` without marks, lower case, words single-spaced."""
    bare = strip_diacritics(text).lower()
    return " ".join(re.sub(r"[^a-z0-9 ]", "", bare).split())


_PROVINCE_KEYS = [(province, _key(province), len(province.split())) for province in PROVINCES]
_LONGEST = max(size for _, _, size in _PROVINCE_KEYS)
# The provinces a run of n words may spell (OCR may have split one word or joined two): n-1..n+1 words.
_BY_WIDTH: dict[int, tuple[list[str], list[str]]] = {
    width: ([p for p, _, size in _PROVINCE_KEYS if abs(size - width) <= 1],
            [key for _, key, size in _PROVINCE_KEYS if abs(size - width) <= 1])
    for width in range(1, _LONGEST + 2)}
_UNIT_KEYS = [(unit, _key(unit).split()) for unit in _UNITS]


def _first_province(words: list[str]) -> tuple[int, str] | None:
    """(start, province) of the first run of `words` that spells a province (OCR may have split one of
    its words or joined two, so runs one word shorter or longer count), and spells it clearly closer
    than any other province (MIN_MARGIN). A run that starts a word early ("1, Thành phố Hồ Chí Minh")
    gives way to the one that starts right after it."""
    keys = [_key(word) for word in words]
    for start in range(len(words)):
        found = _ranked(keys, start)
        if not found or found[0][1] < MIN_PROVINCE_SIMILARITY:
            continue
        later = [(_ranked(keys, s), s) for s in range(start + 1, min(start + 3, len(words)))]
        found, start = max([(found, start), *later], key=lambda fs: (fs[0][0][1] if fs[0] else 0.0, fs[1]))
        if len(found) > 1 and found[0][1] - found[1][1] < MIN_MARGIN:
            return None  # "Tỉnh Quảng Ninh" or "Tỉnh Quảng Bình"? Left as read.
        return start, found[0][0]
    return None


def _ranked(keys: list[str], start: int) -> list[tuple[str, float]]:
    """Provinces by how closely a run of words (their `_key`s) from `start` spells them, the closest
    first; only those within reach of MIN_PROVINCE_SIMILARITY - MIN_MARGIN (a runner-up that close
    decides the margin)."""
    floor = MIN_PROVINCE_SIMILARITY - MIN_MARGIN
    scores: dict[str, float] = {}
    for width in range(1, min(_LONGEST + 1, len(keys) - start) + 1):
        window = " ".join(k for k in keys[start:start + width] if k)
        provinces, province_keys = _BY_WIDTH[width]
        for _, similarity, k in process.extract(window, province_keys, scorer=Levenshtein.normalized_similarity,
                                                score_cutoff=floor, limit=None):
            scores[provinces[k]] = max(scores.get(provinces[k], 0.0), similarity)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _unit_word(part: str) -> str:
    """`part` with its opening unit word spelled right, when its letters without marks spell one
    ("Phương Điện Biên", "Xá Tề Lỗ", "Thành pho Nam Định"), in the case it was printed in."""
    words = part.split()
    for unit, key in _UNIT_KEYS:
        head, name = words[:len(key)], words[len(key):]
        # A one-word name after it must be a number ("Quận 1"): "Phường, Quan Hoa" is the name of a
        # ward whose comma OCR misplaced, not "Quận Hoa".
        if (len(name) >= 2 or (name and name[0].isdigit())) and [_key(w) for w in head] == key:
            return " ".join([unit if head[0][:1].isupper() else unit.lower(), *name])
    return part


def mend_place_tail(value: str) -> Address:
    """`value`, the name of an agency or facility that ends with its province ("Trung tâm Y tế huyện Nghi
    Lộc, Tỉnh Nghệ An", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THỪA THIÊN HUẾ"), with that province mended as in an
    address and what OCR ran on after it dropped. Nothing else is touched; a name without a province
    ("Bệnh viện Phụ sản Trung ương") is left as read."""
    original = " ".join(value.split())
    words = original.split()
    found = _first_province(words)
    if found is None:
        return Address(original, False)
    start, province = found
    head = " ".join(words[:start])
    mended = f"{head} {_as_printed(province, words[start])}".strip()
    return Address(mended, mended != original)


def _as_printed(province: str, first_word: str) -> str:
    """`province` in the case its first word was printed in: "TỈNH NGHỆ AN", "tỉnh Nghệ An", "Tỉnh Nghệ An"."""
    if first_word.isupper() and len(first_word) > 1:
        return province.upper()
    if first_word[:1].islower():
        return province[0].lower() + province[1:]
    return province


def mend_address(value: str) -> Address:
    """`value` with its province, its parts' unit words and a leading English gloss mended."""
    original = " ".join(value.split())
    text = _GLOSS.sub("", original).lstrip("^~`'\"“”‘’*_-=+|\\/<>. ")
    words = text.split()
    found = _first_province(words)
    if found is not None:
        start, province = found
        province = _as_printed(province, words[start])  # "huyện Ba Vì, thành phố Hà Nội": kept so
        head = " ".join(words[:start]).rstrip(" ,;.")
        text = f"{head}, {province}" if head else province  # and nothing after it
    mended = ", ".join(part for part in (_unit_word(p.strip()) for p in text.split(",")) if part)
    return Address(mended, _bare(mended) != _bare(original))


def _bare(text: str) -> str:
    return re.sub(r"[\s,]", "", text)

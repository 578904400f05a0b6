"""Vietnamese personal names: cards print them in capitals ("NGUYỄN VĂN AN"), the index stores them in
title case NFC ("Nguyễn Văn An"); a plausibility check rejects OCR debris read where a name should be.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.domain.privacy import mask_name
from pipeline.domain.vntext import (TONE_MARKS, fold_tone_placement, is_syllable, is_vietnamese_letter, nfc,
                                    strip_diacritics)

# The most frequent family names (together well over 90 % of the population); a name starting with
# one of them is more likely read right. Diacritic-free keys so OCR that drops marks still counts.
COMMON_FAMILY_NAMES: frozenset[str] = frozenset(
    strip_diacritics(n).lower() for n in (
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
        "Ngô", "Dương", "Lý", "Đào", "Đinh", "Mai", "Trịnh", "Đoàn", "Lâm", "Lương", "Hà", "Tạ", "Cao",
        "Văn", "Chu", "Tô", "Quách", "Kiều", "La", "Thái", "Triệu", "Lưu", "Trương", "Phùng", "Vương",
        "Tăng", "Lại", "Nông", "Lò", "Hứa", "Khúc", "Âu", "Giang", "Châu", "Từ", "Mạc", "Kim", "Doãn",
        "Khổng", "Tôn", "Thân", "Lục", "Quan", "Hầu", "Tống", "Diệp", "Đàm", "Ninh", "Phí", "Cù",
    )
)
# Family names in their one correct spelling (diacritics matter: "Nguyên" is a given name, never a family name).
FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đào", "Đinh", "Mai", "Trịnh", "Đoàn", "Lâm", "Lương", "Hà", "Tạ", "Cao", "Chu", "Tô", "Quách", "Kiều",
    "Thái", "Triệu", "Lưu", "Trương", "Phùng", "Vương", "Tăng", "Lại", "Nông", "Lò", "Hứa", "Khúc", "Âu", "Giang",
    "Châu", "Từ", "Mạc", "Kim", "Doãn", "Khổng", "Tôn", "Thân", "Lục", "Quan", "Hầu", "Tống", "Diệp", "Đàm", "Ninh",
    "Phí", "Cù", "La", "Văn", "Lã", "Đồng", "Mã", "Ma", "Ông", "Bạch", "Hàn", "Thạch", "Ung", "Viên", "Nghiêm",
)
# Common middle and given-name syllables (Vietnamese naming, not any one data set). A syllable OCR misread
# only in its marks ("Quần", "Hông", "Huyên") is put back to the one entry with the same bare letters.
NAME_SYLLABLES: tuple[str, ...] = FAMILY_NAMES + (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thành", "Công", "Mạnh", "Ngọc", "Đình", "Trọng", "Quốc",
    "Tiến", "Thu", "Thanh", "Hồng", "Phương", "Bích", "Thuỳ", "Thùy", "Khánh", "Diệu", "Hoài", "Bảo", "Gia", "Anh",
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Long", "Nam", "Phúc", "Quân", "Sơn", "Thắng",
    "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Lộc", "Nghĩa", "Thịnh", "Hiếu", "Kiên", "Tùng", "Ánh", "Chi", "Dung",
    "Hằng", "Hạnh", "Hoa", "Huyền", "Hương", "Lan", "Linh", "Nga", "Nhung", "Oanh", "Quỳnh", "Thảo", "Trang",
    "Tuyết", "Yến", "Vân", "Thuỷ", "Thủy", "Loan", "Nguyệt", "Tâm", "Thắm", "Hiền", "Hậu", "Hoà", "Hòa", "Hưng",
    "Khoa", "Khang", "Khôi", "Lâm", "Luân", "Lực", "Nhân", "Nhật", "Phong", "Phát", "Quý", "Tài", "Tân", "Thái",
    "Thiện", "Thông", "Tín", "Trí", "Tú", "Tường", "Uyên", "Vy", "Xuyến", "Yên", "Nguyên", "Giang", "Hà", "Hân",
    "Kim", "My", "Mỹ", "Ngân", "Nhi", "Như", "Phượng", "Tiên", "Trâm", "Trinh", "Vũ", "Châu", "Đông", "Hạ",
    "Duy", "Dương", "Hoàng", "Lợi", "Lương", "Mai", "Ngọ", "Phụng", "Sang", "Sáng", "Tâm", "Thơ", "Thư", "Thúy",
    "Thụy", "Trà", "Út", "Vĩnh", "Hạnh", "Bằng", "Chiến", "Cảnh", "Định", "Đăng", "Đoan", "Hào", "Hiển", "Hiệp",
    "Hoan", "Hội", "Kha", "Khải", "Khương", "Lân", "Lễ", "Luyến", "Mạnh", "Ninh", "Quyết", "Sĩ", "Thạch", "Thiêm",
    "Thuận", "Tịnh", "Toản", "Tứ", "Vượng", "Xuân", "Yên",
)
_MARKLESS: dict[str, list[str]] = {}
for _syl in dict.fromkeys(NAME_SYLLABLES):
    _MARKLESS.setdefault(strip_diacritics(_syl).lower(), []).append(_syl)
_FAMILY_MARKLESS: dict[str, list[str]] = {}
for _syl in FAMILY_NAMES:
    _FAMILY_MARKLESS.setdefault(strip_diacritics(_syl).lower(), []).append(_syl)
_KNOWN = {fold_tone_placement(s).lower() for s in NAME_SYLLABLES}
_KNOWN_FAMILY = {fold_tone_placement(s).lower() for s in FAMILY_NAMES}

# Honorifics and role words printed before a name ("Ông/Bà: …", "Ông NGUYỄN VĂN AN").
_PREFIX = re.compile(r"^(?:\(?(?:ông|bà|ong|ba|anh|chị|chi|cháu|chau)\)?\s*/?\s*)+[:.]?\s*", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"[\s,;:.()\-–_]+$")
MIN_WORDS, MAX_WORDS = 2, 6
# Middle names that are never a family name nor the given name a person is called by: a name that
# starts or ends with one lost words to OCR ("Lê Văn" for "Lê Văn Thắng", "Thị Thuỷ" for "Đào Thị Thuỷ").
_MIDDLE_ONLY = frozenset({"Thị", "Văn"})
# English words of a card's bilingual labels ("Họ và tên / Full name"): read as a name, they are the label.
_LABEL_WORDS = frozenset({"full", "name", "date", "birth", "sex", "nationality", "place", "origin", "residence"})
# The words an address part starts with ("Huyện Hòa Vang", "Thị trấn Củ Chi"): no name starts so. Not "Tổ"
# or "Đường": OCR makes them of the family names Tô and Dương, which the mark repair below puts back.
_UNIT_WORDS = frozenset({"Xã", "Phường", "Huyện", "Quận", "Tỉnh", "Thôn", "Xóm", "Ấp", "Số"})
# Every syllable of a name, Kinh or of a minority language written in this alphabet ("Ksor", "Kdăm",
# "Y Moan"), holds a vowel; "Nguy N Thu", "Lý Phí Vg" are OCR splitting or losing letters. A word with an
# apostrophe is left alone: an Ede or Jarai prefix ("H' Hen") may be read apart from its name.
_VOWEL = re.compile(r"[aeiouy]")
# The vowel groups a syllable can hold, marks stripped (ươ -> uo, uyê -> uye, ...). A one-group word whose
# group is none of these is a misread ("Ouân" for "Quân": no syllable has "oua"). After "gi" and "qu"
# the i or u belongs to the initial ("giàu", "quai"); minority names in this alphabet use the same
# groups ("Niê", "Siu", "Puôn", "Páo"), and a word of two groups ("Êban") is not judged.
_VOWEL_GROUPS = frozenset(
    "a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ya ye "
    "ieu yeu oai oao oay oeo uay uoi uou uya uye uyu".split())
_VOWEL_RUN = re.compile(r"^([^aeiouy]*)([aeiouy]+)[^aeiouy]*$")
_INNER_MARK = re.compile(r"(?<=[^\W\d_])[.,](?=[^\W\d_])")  # not the apostrophe of H'Hen
_CASED = ("Lu", "Ll", "Lt", "Nd")  # letters with a case, and digits (which may be misread letters)


@dataclass(frozen=True)
class NameReading:
    value: str  # title case, NFC
    confidence: float  # 0-1: plausibility only (label and OCR scores are combined by the caller)
    valid: bool
    reason: str = ""  # masked


def title_case(text: str) -> str:
    """'NGUYỄN VĂN AN' -> 'Nguyễn Văn An', "H'HEN NIÊ" -> "H'Hen Niê" (NFC; tone placement kept as
    printed; the part after the apostrophe of an Ede or Jarai name is capitalised too)."""
    words = nfc(text).split()
    return " ".join("".join(p[:1].upper() + p[1:].lower() for p in _APOSTROPHE.split(w)) for w in words)


_APOSTROPHE = re.compile(r"(['’])")


# Digits OCR reads for the letters they look like ("7hị" for "Thị", "H0A" for "HOA"); a name holds no digit.
_DIGIT_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "5": "S", "6": "G", "7": "T", "8": "B"})


def _letters_for_digits(word: str) -> str:
    """A name word read with a look-alike digit among its letters, with the letter put back."""
    if any(ch.isalpha() for ch in word) and any(ch.isdigit() for ch in word):
        return word.translate(_DIGIT_LOOKALIKES)
    return word


def _vowels_can_be_vietnamese(bare: str) -> bool:
    """Whether a name word (lower case, marks stripped) with one vowel group holds a group a syllable can
    hold; words with an apostrophe or several groups pass."""
    found = _VOWEL_RUN.match(bare)
    if found is None or _APOSTROPHE.search(bare):
        return True
    initial, group = found.groups()
    return group in _VOWEL_GROUPS or (initial in ("g", "q") and group[1:] in _VOWEL_GROUPS)


def _is_vietnamese_word(word: str) -> bool:
    """Letters of the Vietnamese alphabet, at most 7; one apostrophe may join two parts ("H'Hen")."""
    parts = _APOSTROPHE.split(word)
    letters = "".join(parts[::2])
    return len(parts) <= 3 and all(parts[::2]) and letters.isalpha() and len(letters) <= 7 and all(
        map(is_vietnamese_letter, letters))


def _closest(word: str, options: list[str]) -> str:
    """Among spellings with the same bare letters, the one whose marks differ least from `word`."""
    if len(options) == 1:
        return options[0]
    target = unicodedata.normalize("NFD", word.lower())
    return max(options, key=lambda o: fuzz.ratio(unicodedata.normalize("NFD", o.lower()), target))


def repair_marks(words: list[str]) -> tuple[list[str], int]:
    """Put back tone and vowel marks OCR got wrong in name syllables: 'Nguyên Văn Quần' -> 'Nguyễn Văn Quân'.

    The first word must be a family name ("Nguyên" is not one); the others are changed only when they are
    no known syllable and exactly their bare letters match one. Returns the words and how many changed.
    """
    out, changed = [], 0
    for i, word in enumerate(words):
        folded = fold_tone_placement(word).lower()
        bare = strip_diacritics(word).lower()
        table, known = (_FAMILY_MARKLESS, _KNOWN_FAMILY) if i == 0 else (_MARKLESS, _KNOWN)
        if folded in known or bare not in table:
            out.append(word)
            continue
        fixed = _closest(word, table[bare])
        out.append(fixed)
        changed += fixed.lower() != word.lower()
    return out, changed


def accent_bare_name(bare_words: Sequence[str], read: Sequence[str] = ()) -> str | None:
    """A name written without marks ("MAI HUU THINH", as in an ID card's machine-readable zone) with its
    marks put back: each word from `read` (the same name read with marks, word for word) where its
    bare letters agree, else the one name-lexicon syllable with those bare letters (a family name for
    the first word). None when a word has no such spelling or several ("THUY": Thuỳ, Thúy, Thụy …)."""
    out = []
    for i, bare in enumerate(b.lower() for b in bare_words):
        if i < len(read) and strip_diacritics(read[i]).lower() == bare:
            out.append(read[i])
            continue
        options = (_FAMILY_MARKLESS if i == 0 else _MARKLESS).get(bare, [])
        if len({fold_tone_placement(o) for o in options}) != 1:  # "Hoà" and "Hòa" are one spelling
            return None
        out.append(options[0])
    return title_case(" ".join(out)) if out else None


_LEXICON_LOWER: tuple[str, ...] = tuple(dict.fromkeys(nfc(s).lower() for s in NAME_SYLLABLES))
_FAMILY_LOWER: tuple[str, ...] = tuple(dict.fromkeys(nfc(s).lower() for s in FAMILY_NAMES))


def _slip_allowed(read: str, lexicon: str) -> bool:
    """A misread character may be put back unless it is a vowel that carries marks (the marks read are
    evidence) or the two are both vowels: 'Neuyễn' -> 'Nguyễn' (a bare e for a g) is allowed."""
    if strip_diacritics(read) not in "aeiouy":
        return True
    return read in "aeiouy" and strip_diacritics(lexicon) not in "aeiouy"


def _toneless(ch: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in TONE_MARKS))


def _doubled_vowel(word: str) -> bool:
    """Two of the same vowel side by side, whatever their tones ("Maạnh"): no name syllable has that
    ("Lưu" has two different vowels, ư and u)."""
    bare = [_toneless(ch) for ch in word.lower()]
    return any(a == b and strip_diacritics(a) in "aeiouy" for a, b in zip(bare, bare[1:]))


def _extra_allowed(word: str, i: int) -> bool:
    """A character OCR added may be dropped if it is no letter or doubles a neighbour's letter ("Maạnh")."""
    ch = word[i]
    if not ch.isalpha():
        return True
    bare = strip_diacritics(ch)
    return any(0 <= j < len(word) and strip_diacritics(word[j]) == bare for j in (i - 1, i + 1))


def _one_slip(word: str, entry: str, resize: bool = True) -> bool:
    """`word` is `entry` with one character misread (see `repair_slip` for which), one character added,
    or one character read as two of which one is no letter ("Bìn¡i" for "Bình")."""
    if len(entry) == len(word):
        diffs = [i for i, (a, b) in enumerate(zip(word, entry)) if a != b]
        return len(diffs) == 1 and _slip_allowed(word[diffs[0]], entry[diffs[0]])
    if not resize or len(entry) != len(word) - 1:
        return False
    if any(word[:i] + word[i + 1:] == entry and _extra_allowed(word, i) for i in range(len(word))):
        return True
    return any(word[:i] == entry[:i] and word[i + 2:] == entry[i + 1:] and not word[i:i + 2].isalpha()
               for i in range(len(word) - 1))


def repair_slip(word: str, resize: bool = True, family: bool = False, bare: bool = False) -> str:
    """A name word that cannot be Vietnamese, with one character OCR misread put back from the name
    lexicon: 'Hạn¡' -> 'Hạnh', ')uốc' -> 'Quốc', 'Nsuyễn' -> 'Nguyễn', 'Maạnh' -> 'Mạnh', 'Bìn¡i' -> 'Bình'.

    Only when exactly one lexicon syllable is one slip away (`_one_slip`): the same length and one
    character different, where that character of the word is not a vowel, or a bare vowel where the
    lexicon has a consonant (the marks read are kept as evidence: 'Hạn¡' could be 'Hạnh' but not
    'Hằng'); with `resize`, also one character more, the extra one no letter or a repeated letter, or
    two characters for one, one of them no letter. A `family` name word is put back to a family name
    when one is a slip away ("Trjnh": Trịnh, not the given name Trinh). With `bare` (a word read with no
    marks in a name whose other words kept theirs: "Phạm Quoo Minh Sơn"), the slip is looked for among the
    lexicon's bare spellings, and the word takes the one spelling with marks of the one match ("Quốc").
    Other words come back as they were.
    """
    lower = nfc(word).lower()
    if is_syllable(word) and _is_vietnamese_word(word) and not _doubled_vowel(lower):
        return word
    if _APOSTROPHE.search(word) and all(_APOSTROPHE.split(word)[::2]) and _is_vietnamese_word(word):
        return word  # an apostrophe between letters: an Ede or Jarai name ("H'Lan"), not a slip ("Hoan")
    matches = [entry for entry in _LEXICON_LOWER if _one_slip(lower, entry, resize)]
    if family and len(matches) > 1:
        matches = [entry for entry in matches if entry in _FAMILY_LOWER]
    if not matches and bare and strip_diacritics(lower) == lower:
        keys = [key for key in (_FAMILY_MARKLESS if family else _MARKLESS) if _one_slip(lower, key, resize)]
        spellings = (_FAMILY_MARKLESS if family else _MARKLESS)[keys[0]] if len(keys) == 1 else []
        matches = [nfc(spellings[0]).lower()] if len(spellings) == 1 else []
    if len(matches) != 1:
        return word
    fixed = matches[0]
    return fixed[:1].upper() + fixed[1:] if word[:1].isupper() or not word[:1].isalpha() else fixed


def _restored_family(word: str) -> str:
    """A one-letter first word that is a family name without its first letter ("Ý Thuỳ Nga" for "Lý Thuỳ
    Nga"), when exactly one family name ends so; else the word as it was. No family name has one letter
    (the Ede "Y" of a man's name has no mark and is no family name's ending)."""
    if len(word) != 1 or not word.isalpha():
        return word
    found = [f for f in FAMILY_NAMES if nfc(f).lower()[1:] == word.lower()]
    if len(found) != 1:
        return word
    return found[0].upper() if word.isupper() else found[0]


def _drop_leading_debris(words: list[str]) -> list[str]:
    """Marks of a card's portrait read before a name in capitals: "ì ị MAI MINH ANH PHÚC" -> the name.
    Dropped only when they are words of one or two characters with no capital, before at least
    MIN_WORDS words in capitals."""
    k = 0
    while k < len(words) and len(words[k]) <= 2 and not any(ch.isupper() for ch in words[k]):
        k += 1
    if k and len(words) - k >= MIN_WORDS and all(w.isupper() for w in words[k:]):
        return words[k:]
    return words


def _rejoined(words: list[str]) -> tuple[list[str], int]:
    """Words with a letter OCR read as a mark and split off ("¡ Ê Minh" for "Lê Minh") joined back when
    `repair_slip` makes the pair one lexicon syllable; also how many were joined."""
    out: list[str] = []
    joined, i = 0, 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words) and len(word) <= 2 and not any(ch.isalnum() for ch in word):
            pair = word + words[i + 1]
            if (fixed := repair_slip(pair, resize=False)) != pair:
                out.append(fixed)
                joined += 1
                i += 2
                continue
        out.append(word)
        i += 1
    return out, joined


def _accented_family(words: list[str]) -> list[str] | None:
    """A name read without marks whose given names are name syllables written without marks ("Thanh",
    "Giang", "Minh"), with the one spelling of its family name ("Pham" -> "Phạm"); None when another
    word may have lost marks ("Van": Văn or Vân) or the family name has no single spelling."""
    options = _FAMILY_MARKLESS.get(words[0].lower(), [])
    if len({fold_tone_placement(o) for o in options}) != 1 or options[0].lower() == words[0].lower():
        return None
    if not all(w.lower() in _KNOWN for w in words[1:]):
        return None
    return [options[0], *words[1:]]


def normalize_name(raw: str) -> NameReading:
    """Clean, title-case and check a name read after a label."""
    text = nfc(raw or "")
    text = _PREFIX.sub("", text.strip())
    text = _TRAILING_JUNK.sub("", text)
    words = text.split()
    # A mark OCR left after the name ("Nhung ˆ", "Nhung „": no letter, no digit) is dropped. So is a
    # lower-case word after capitalised ones that no name has: every word of a name starts with a capital,
    # and this is what OCR made of a seal's or a signature's edge beside it ("DƯƠNG HỮU BÌNH . ai"). A name
    # word whose capital OCR read small ("Lê Thị hoa") stays.
    while words and (not any(unicodedata.category(ch) in _CASED for ch in words[-1])
                     or (len(words) > MIN_WORDS and words[0][:1].isupper() and words[-1][:1].islower()
                         and fold_tone_placement(words[-1]).lower() not in _KNOWN)):
        words.pop()
    words = [_INNER_MARK.sub("", w) for w in words]  # a speck read inside a word: "B.ào" -> "Bào"
    kept = _drop_leading_debris(words)
    debris, words = len(words) - len(kept), kept
    text = " ".join(words)
    words = [_letters_for_digits(w) for w in words]
    digits_fixed = sum(a != b for a, b in zip(words, text.split()))
    words, joined = _rejoined(words)
    marked = [w != strip_diacritics(w) for w in words]
    repaired = [repair_slip(w, family=i == 0, bare=any(marked[:i] + marked[i + 1:])) for i, w in enumerate(words)]
    if repaired:
        repaired[0] = _restored_family(repaired[0])
    slips = sum(a != b for a, b in zip(repaired, words)) + joined
    words = repaired
    value = title_case(" ".join(words))
    if not words:
        return NameReading("", 0.0, False, "empty name")
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return NameReading(value, 0.3, False, f"{len(words)} words, a name has {MIN_WORDS}-{MAX_WORDS}")
    bad = [w for w in words if not _is_vietnamese_word(w)]
    if bad:
        return NameReading(value, 0.3, False,
                           f"characters outside the Vietnamese alphabet in name {mask_name(value)}")
    bare = [strip_diacritics(w).lower() for w in words]
    if any(not _APOSTROPHE.search(w) and not _VOWEL.search(w) for w in bare):
        return NameReading(value, 0.3, False, f"a word without a vowel in name {mask_name(value)}")
    if not all(map(_vowels_can_be_vietnamese, bare)):
        return NameReading(value, 0.3, False, f"vowels no syllable has in name {mask_name(value)}")
    if value.split()[0] in _UNIT_WORDS or " ".join(value.split()[:2]) in ("Thị Trấn", "Thành Phố"):
        return NameReading(value, 0.3, False, f"an address, not a name: {mask_name(value)}")
    if any(w in _LABEL_WORDS for w in bare):
        return NameReading(value, 0.3, False, f"a label's word read as part of the name {mask_name(value)}")
    if value.split()[0] in _MIDDLE_ONLY or value.split()[-1] in _MIDDLE_ONLY:
        return NameReading(value, 0.3, False, f"name cut off: {mask_name(value)} starts or ends with a middle name")
    family = strip_diacritics(fold_tone_placement(words[0])).lower()
    confidence = (1.0 if family in COMMON_FAMILY_NAMES else 0.8) * (0.9 if digits_fixed or debris else 1.0) * (0.9 ** slips)
    note = "; ".join(filter(None, [
        f"{digits_fixed} word(s) with a look-alike digit read as a letter" if digits_fixed else "",
        f"{debris} mark(s) before the name dropped" if debris else "",
        f"{slips} word(s) with a misread character put back from the name lexicon" if slips else ""]))
    # Only names that kept some marks are repaired: a name OCR read without any ("NGUYEN VAN AN") stays bare,
    # unless only its family name can carry marks ("PHAM THANH GIANG": the given names are spelt so).
    marked = value != strip_diacritics(value)
    if not marked and (accented := _accented_family(value.split())):
        note = "; ".join(filter(None, [note, "family name re-accented from the name lexicon"]))
        return NameReading(" ".join(accented), confidence * 0.9, True, note)
    if marked:
        repaired, changed = repair_marks(value.split())
        if changed:
            accents = f"{changed} syllable(s) re-accented from the name lexicon"
            return NameReading(" ".join(repaired), confidence * 0.9, True, "; ".join(filter(None, [note, accents])))
    return NameReading(value, confidence, True, note)

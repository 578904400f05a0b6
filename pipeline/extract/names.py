"""Vietnamese personal names: cards print them in capitals ("NGUYỄN VĂN AN"), the index stores them in
title case NFC ("Nguyễn Văn An"); a plausibility check rejects OCR debris read where a name should be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.domain.privacy import mask_name
from pipeline.domain.vntext import fold_tone_placement, nfc, strip_diacritics

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
# Honorifics and role words printed before a name ("Ông/Bà: …", "Ông NGUYỄN VĂN AN").
_PREFIX = re.compile(r"^(?:\(?(?:ông|bà|ong|ba|anh|chị|chi|cháu|chau)\)?\s*/?\s*)+[:.]?\s*", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"[\s,;:.()\-–]+$")
MIN_WORDS, MAX_WORDS = 2, 6


@dataclass(frozen=True)
class NameReading:
    value: str  # title case, NFC
    confidence: float  # 0-1: plausibility only (label and OCR scores are combined by the caller)
    valid: bool
    reason: str = ""  # masked


def title_case(text: str) -> str:
    """'NGUYỄN VĂN AN' -> 'Nguyễn Văn An' (NFC; tone placement kept as printed)."""
    words = nfc(text).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def _is_vietnamese_word(word: str) -> bool:
    return word.isalpha() and len(word) <= 7 and all(
        ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u1ef9") for ch in word
    )


def normalize_name(raw: str) -> NameReading:
    """Clean, title-case and check a name read after a label."""
    text = nfc(raw or "")
    text = _PREFIX.sub("", text.strip())
    text = _TRAILING_JUNK.sub("", text)
    words = text.split()
    value = title_case(" ".join(words))
    if not words:
        return NameReading("", 0.0, False, "empty name")
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return NameReading(value, 0.3, False, f"{len(words)} words, a name has {MIN_WORDS}-{MAX_WORDS}")
    bad = [w for w in words if not _is_vietnamese_word(w)]
    if bad:
        return NameReading(value, 0.3, False, f"non-letter characters in name {mask_name(value)}")
    family = strip_diacritics(fold_tone_placement(words[0])).lower()
    confidence = 1.0 if family in COMMON_FAMILY_NAMES else 0.8
    return NameReading(value, confidence, True, "")

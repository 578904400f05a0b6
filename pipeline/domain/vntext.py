"""Vietnamese text normalisation: NFC, one tone-placement convention, diacritic-free keys.

The same word arrives precomposed or decomposed, and with the tone of oa/oe/uy on either
vowel ("hòa"/"hoà", "thủy"/"thuỷ"). Everything stored is NFC; everything compared is folded.
"""

from __future__ import annotations

import re
import unicodedata

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_TONE = f"[{TONE_MARKS}]"
_LETTER_AFTER = r"(?![A-Za-z\u0300-\u036f\u0110\u0111])"
# New style ("hoà", "thuỷ") -> old style ("hòa", "thủy") for open syllables; "quý" keeps its tone.
_OA_OE = re.compile(rf"(?<![qQ])([oO])([aAeE])({_TONE}){_LETTER_AFTER}")
_UY = re.compile(rf"(?<![qQ])([uU])([yY])({_TONE}){_LETTER_AFTER}")
_SPACES = re.compile(r"\s+")
# A Vietnamese syllable once diacritics are stripped and lower-cased: initial consonant(s),
# 1-3 vowels, final consonant(s). OCR debris ("cZ", "NGUO", "3unH") mostly fails it.
SYLLABLE = re.compile(r"^(ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|[bcdghklmnpqrstvx])?([aeiouy]{1,3})(ch|ng|nh|[cmnpt])?$")


# Vowel letters take these marks besides the tones: breve (ă), circumflex (â ê ô), horn (ơ ư).
_VOWEL_MARKS = set(TONE_MARKS + "\u0306\u0302\u031b")


def is_vietnamese_letter(ch: str) -> bool:
    """A letter of the Vietnamese alphabet (ASCII letters, đ, and the vowels with their marks): not
    "ï", "ö" or "ñ", which OCR prints for a degraded "í", "ô" or "n" but no Vietnamese word holds."""
    if ch.isascii():
        return ch.isalpha()
    if ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return base in "aeiouyAEIOUY" and bool(marks) and all(m in _VOWEL_MARKS for m in marks)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold_tone_placement(text: str) -> str:
    """Move the tone of open oa/oe/uy syllables to the first vowel (the 'hòa' convention); returns NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OA_OE.sub(r"\1\3\2", decomposed)
    decomposed = _UY.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Key for matching and for error measures: NFC, tone placement folded, lower case, spaces collapsed."""
    return collapse_spaces(fold_tone_placement(text).lower())


def strip_diacritics(text: str) -> str:
    """'Họ và tên' -> 'Ho va ten': a key that survives OCR losing every diacritic."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("Đ", "D").replace("đ", "d")


def is_syllable(word: str) -> bool:
    """Whether `word` (letters only) is shaped like one Vietnamese syllable: 'Ngọc' yes, 'cZ' no."""
    return bool(SYLLABLE.match(strip_diacritics(word).lower()))

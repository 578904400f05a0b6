"""A seeded model of Tesseract `vie` errors, applied to truth text to make classifier training data.

OCRing thousands of generated pages takes hours on two cores, so the classifier trains on the
generator's exact text passed through the failure modes seen in practice (docs/domain.md):
lost or swapped diacritics (acute vs hook above on circumflex vowels), stray glyphs (ö ï ä),
"trung" read as "ưung", lone numbers dropped, 1/l/I and 0/O confusions, merged and split words,
dropped lines, two-column headers read in the other order, cropped photos, and junk from seals.
It is evaluated on truly OCR'd pages only (bench/classify.py).
"""

from __future__ import annotations

import random
import unicodedata
from itertools import zip_longest

_TONES = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_SWAP_TONE = {"\u0301": "\u0309", "\u0309": "\u0301"}  # sắc <-> hỏi on stacked vowels
_STRAY = {"o": "ö", "i": "ï", "a": "ä", "u": "ü", "e": "ë"}
_CONFUSE = {
    "l": ["1", "I", "|"], "I": ["l", "1"], "1": ["l", "I", "L"], "0": ["O", "o"], "O": ["0"], "o": ["0", "c"],
    "5": ["S"], "S": ["5"], "8": ["B"], "B": ["8"], "e": ["c"], "c": ["e"], "h": ["b"], "n": ["u", "ri"],
    "u": ["n"], "m": ["rn", "nn"], "t": ["l"], "g": ["q"], "2": ["Z"], "6": ["b"], "9": ["g"], ",": ["."],
    ".": [","], "/": ["l", "1"], "-": ["—", "."],
}
_JUNK = "~`'\".,:;_-=^*°ªº|/\\()[]{}«»¬¦"


def _noisy_char(ch: str, rng: random.Random, s: float) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], list(decomposed[1:])
    if marks:
        tone = [m for m in marks if m in _TONES]
        vowel = [m for m in marks if m in _VOWEL_MARKS]
        if tone and rng.random() < 0.12 * s:
            marks = [m for m in marks if m not in _TONES]
            tone = []
        elif tone and vowel and rng.random() < 0.15 * s and tone[0] in _SWAP_TONE:
            marks = [_SWAP_TONE.get(m, m) for m in marks]
        elif tone and rng.random() < 0.03 * s:
            marks = [rng.choice(_TONES) if m in _TONES else m for m in marks]
        if vowel and rng.random() < 0.10 * s:
            marks = [m for m in marks if m not in _VOWEL_MARKS]
        out = unicodedata.normalize("NFC", base + "".join(marks))
    else:
        out = ch
    if ch in "đĐ" and rng.random() < 0.15 * s:
        out = "d" if ch == "đ" else "D"
    lower = base.lower()
    if lower in _STRAY and rng.random() < 0.006 * s:
        out = _STRAY[lower]
    elif base in _CONFUSE and rng.random() < 0.02 * s:
        out = rng.choice(_CONFUSE[base])
    if rng.random() < 0.008 * s:
        return ""
    if rng.random() < 0.004 * s:
        out += rng.choice(_JUNK)
    return out


def _noisy_line(line: str, rng: random.Random, s: float) -> str:
    if rng.random() < 0.3 * s:
        line = line.replace("trung", "ưung").replace("Trung", "Ưung")
    words = line.split(" ")
    out: list[str] = []
    for word in words:
        noisy = "".join(_noisy_char(ch, rng, s) for ch in word)
        if out and rng.random() < 0.03 * s:
            out[-1] += noisy  # merged words
        elif len(noisy) > 3 and rng.random() < 0.01 * s:
            cut = rng.randrange(1, len(noisy) - 1)
            out += [noisy[:cut], noisy[cut:]]
        else:
            out.append(noisy)
    if rng.random() < 0.03 * s:
        out = [w.lower() if rng.random() < 0.5 else w.upper() for w in out]
    return " ".join(out)


def _junk_line(rng: random.Random) -> str:
    n = rng.randint(2, 14)
    return "".join(rng.choice(_JUNK + "aeioumnr ") for _ in range(n)).strip()


def _merge_header_columns(lines: list[str]) -> list[str]:
    """Issuer (left column) and motto (right column) read side by side, as Tesseract does on real scans."""
    motto = next((i for i, line in enumerate(lines[:8]) if "CỘNG H" in line.upper()), None)
    if not motto:
        return lines
    left = lines[:motto]
    right_end = motto + 2
    if right_end < len(lines) and "ngày" in lines[right_end] and len(lines[right_end]) < 60:
        right_end += 1
    right = lines[motto:right_end]
    merged = [" ".join(part for part in pair if part) for pair in zip_longest(left, right, fillvalue="")]
    return merged + lines[right_end:]


def _drop_header(lines: list[str]) -> list[str]:
    """The header lost: motto and title in small or coloured print (a card's top band) not read at all."""
    def upper(line: str) -> bool:
        letters = [c for c in line if c.isalpha()]
        return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.7

    cut = 0
    while cut < min(6, len(lines) - 1) and (upper(lines[cut]) or "Độc lập" in lines[cut] or "Citizen" in lines[cut]):
        cut += 1
    return lines[cut:]


def ocr_noise(text: str, rng: random.Random, strength: float) -> str:
    """Return `text` as a Tesseract run might have read it: 0 = untouched, 1 = a poor scan, 2 = a bad photo."""
    s = max(0.0, min(2.0, strength))
    lines = text.split("\n")
    if s == 0:
        return text
    if rng.random() < 0.12:
        lines = _drop_header(lines)
    # the two-column header (issuer | motto): side by side on one line, or in the other order
    if rng.random() < 0.5:
        lines = _merge_header_columns(lines)
    elif len(lines) > 3 and rng.random() < 0.4 * s:
        i = rng.randrange(0, min(4, len(lines) - 1))
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    # a phone photo cut off at the top or bottom
    if len(lines) > 8 and rng.random() < 0.12 * s:
        cut = rng.randint(1, max(1, len(lines) // 4))
        lines = lines[cut:] if rng.random() < 0.4 else lines[:-cut]
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.isdigit() and rng.random() < 0.5 * s:
            continue  # lone numbers dropped
        if stripped and rng.random() < 0.06 * s:
            continue  # whole line lost
        if stripped and rng.random() < 0.04 * s and out:
            out[-1] = out[-1] + " " + _noisy_line(line, rng, s)  # two lines read as one
            continue
        out.append(_noisy_line(line, rng, s) if stripped else line)
        if rng.random() < 0.02 * s:
            out.append(_junk_line(rng))  # seal, photo or signature read as glyphs
    if rng.random() < 0.3 * s:
        for _ in range(rng.randint(1, 3)):
            out.insert(rng.randrange(0, len(out) + 1), _junk_line(rng))
    return "\n".join(out)

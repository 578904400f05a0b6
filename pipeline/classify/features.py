"""Page features for the classifier: folded, diacritic-free text plus a few layout cues.

Tesseract drops or swaps Vietnamese diacritics, so the model reads character n-grams of the
diacritic-stripped folded text (robust to "Giấy"/"Giây"/"Giay"), with the title lines in a
separate, heavier block, and line-level layout cues that survive both truth text and OCR output.
"""

from __future__ import annotations

import math
import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.domain.vntext import SYLLABLE, fold, nfc, strip_diacritics

# OCR-confusable glyphs mapped onto one key (after diacritics are gone).
_CONFUSABLE = str.maketrans({"|": "l", "¦": "l", "—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                             "ß": "b", "€": "e", "©": "c", "®": "r", "°": "o", "º": "o", "¢": "c"})
_NON_WORD = re.compile(r"[^a-z0-9<\-/.:\n ]+")
_MULTI_SPACE = re.compile(r"[ \t]+")
_MRZ = re.compile(r"(idvnm|[a-z0-9]{3,}<<|<<<)", re.I)
# "Trang 2/3", "Trang 2", "- 2 -", "2/3" alone on a line: continuation page numbers (not page 1).
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*(\d{1,2})\s*(?:/\s*(\d{1,2}))?|[-–]\s*(\d{1,2})\s*[-–]|(\d{1,2})\s*/\s*(\d{1,2}))\s*$")
_MOTTO = re.compile(r"cong\s*h[oa0]{1,2}a?\s*x[ao]\s*h[oô]i|doc\s*lap\s*-?\s*tu\s*do")
_DOTS = re.compile(r"\.{4,}|…{2,}")

N_LAYOUT = 10
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def readability(text: str) -> tuple[float, int]:
    """(share of words shaped like Vietnamese syllables, word count): an upside-down or shredded page
    OCRs into glyph soup ("3unH uựnX Njd"), which a text classifier would still label with confidence."""
    words = _LETTER_RUNS.findall(strip_diacritics(fold(text or "")))
    if not words:
        return 0.0, 0
    return sum(1 for w in words if SYLLABLE.match(w)) / len(words), len(words)


def key_text(text: str) -> str:
    """'GIẤY  KHAI SINH' -> 'giay khai sinh': folded, diacritics stripped, confusables mapped."""
    folded = strip_diacritics(fold_lines(text).lower()).translate(_CONFUSABLE)
    folded = _NON_WORD.sub(" ", folded)
    return "\n".join(_MULTI_SPACE.sub(" ", line).strip() for line in folded.split("\n")).strip()


def fold_lines(text: str) -> str:
    """NFC and tone placement folded, keeping line breaks (vntext.fold collapses them)."""
    return "\n".join(fold(line) if line.strip() else "" for line in nfc(text or "").split("\n"))


def _is_title_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.7


def title_text(text: str, max_lines: int = 6, search_lines: int = 18) -> str:
    """The upper-case lines near the top of a page (motto, issuer, the paper's name), keyed."""
    lines = [ln.strip() for ln in nfc(text or "").split("\n") if ln.strip()]
    picked = [ln for ln in lines[:search_lines] if _is_title_line(ln)][:max_lines]
    return key_text("\n".join(picked))


def continuation_number(text: str) -> tuple[int, int | None] | None:
    """(k, n) when a line reads like a page number "Trang k/n", "-k-", "k/n"; None otherwise."""
    for line in key_text(text).split("\n"):
        match = _PAGE_NUMBER.match(line)
        if not match:
            continue
        groups = [g for g in match.groups()]
        if groups[0] is not None:
            return int(groups[0]), int(groups[1]) if groups[1] else None
        if groups[2] is not None:
            return int(groups[2]), None
        if groups[3] is not None and groups[4] is not None and int(groups[3]) <= int(groups[4]) <= 20:
            return int(groups[3]), int(groups[4])
    return None


def has_motto(text: str) -> bool:
    return bool(_MOTTO.search(key_text("\n".join(nfc(text or "").split("\n")[:12]))))


def layout_vector(text: str) -> np.ndarray:
    """Line-level layout cues computable from truth text and from OCR output alike."""
    raw = nfc(text or "")
    lines = [ln for ln in raw.split("\n") if ln.strip()]
    n_lines = len(lines)
    chars = sum(len(ln) for ln in lines)
    letters = [c for c in raw if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper()) / len(letters) if letters else 0.0
    digits = sum(1 for c in raw if c.isdigit()) / max(1, chars)
    short = sum(1 for ln in lines if len(ln.strip()) < 25) / max(1, n_lines)
    mean_len = (chars / n_lines) if n_lines else 0.0
    cont = continuation_number(raw)
    return np.array([
        math.log1p(n_lines) / 5.0,
        math.log1p(chars) / 9.0,
        upper,
        min(1.0, digits * 4),
        1.0 if _MRZ.search(raw.replace(" ", "")) else 0.0,
        1.0 if cont and cont[0] > 1 else 0.0,
        1.0 if has_motto(raw) else 0.0,
        min(1.0, len(_DOTS.findall(raw)) / 10.0),
        short,
        min(1.0, mean_len / 80.0),
    ], dtype=np.float64)


class PageFeaturizer(BaseEstimator, TransformerMixin):
    """Texts (one string per page) -> sparse matrix: body char n-grams, title n-grams, words, layout."""

    def __init__(self, char_max_features: int = 12000, title_max_features: int = 4000,
                 word_max_features: int = 6000, title_weight: float = 2.0, layout_weight: float = 1.0) -> None:
        self.char_max_features = char_max_features
        self.title_max_features = title_max_features
        self.word_max_features = word_max_features
        self.title_weight = title_weight
        self.layout_weight = layout_weight

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
        common = dict(lowercase=False, sublinear_tf=True, dtype=np.float32)
        return (
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), max_features=self.char_max_features,
                            min_df=2, **common),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), max_features=self.title_max_features,
                            min_df=2, **common),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), max_features=self.word_max_features,
                            min_df=2, token_pattern=r"(?u)\b\w\w+\b", **common),
        )

    def fit(self, texts: list[str], y: object = None) -> "PageFeaturizer":
        keys = [key_text(t) for t in texts]
        titles = [title_text(t) for t in texts]
        self.body_, self.title_, self.words_ = self._vectorizers()
        self.body_.fit(keys)
        self.title_.fit(titles)
        self.words_.fit(keys)
        return self

    def __getstate__(self) -> dict:
        # sklearn caches id(stop_words), a memory address, on the word vectorizer at each transform:
        # drop it before pickling so the same training gives the same artifact bytes.
        for name in ("body_", "title_", "words_"):
            vectorizer = self.__dict__.get(name)
            if vectorizer is not None:
                vectorizer.__dict__.pop("_stop_words_id", None)
        return super().__getstate__()

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        keys = [key_text(t) for t in texts]
        titles = [title_text(t) for t in texts]
        layout = np.vstack([layout_vector(t) for t in texts]) if texts else np.zeros((0, N_LAYOUT))
        return sparse.hstack([
            self.body_.transform(keys),
            self.title_.transform(titles) * self.title_weight,
            self.words_.transform(keys),
            sparse.csr_matrix(layout * self.layout_weight),
        ], format="csr")

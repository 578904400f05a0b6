"""Error measures for OCR text: CER, WER and an order-insensitive word F1.

Both sides are folded first (NFC, tone placement, lower case, whitespace collapsed), as the
real-scan reference's README asks, so a convention difference is not counted as an error.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz.distance import Levenshtein

from pipeline.domain.vntext import fold


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance / reference length (0 when both are empty)."""
    ref, hyp = fold(reference), fold(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = fold(reference).split(), fold(hypothesis).split()
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def word_f1(reference: str, hypothesis: str) -> float:
    """Bag-of-words F1: insensitive to reading order (two-column headers move CER a lot)."""
    ref, hyp = Counter(fold(reference).split()), Counter(fold(hypothesis).split())
    if not ref and not hyp:
        return 1.0
    common = sum((ref & hyp).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(hyp.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)

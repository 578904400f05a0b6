"""Side-by-side columns rebuilt from OCR word boxes: a marriage certificate prints the husband's and the
wife's details in two columns, and OCR text runs across both, so a label's value and the next line's
wrap come from the wrong person. With the word positions the columns are read one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.domain.records import OcrWord
from pipeline.extract.labels import Line, label_key, match_label

# A word counts as crossing the column gap when it overlaps the split by more than this many pixels.
_TOLERANCE = 4


def visual_rows(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped into visual rows by their vertical centres (OCR line numbers split a row into blocks)."""
    words = [w for w in words if w.text.strip()]
    if not words:
        return []
    heights = sorted(max(1, w.height) for w in words)
    gap = 0.6 * heights[len(heights) // 2]
    rows: list[list[OcrWord]] = []
    centre = None
    for w in sorted(words, key=lambda w: w.top + w.height / 2):
        c = w.top + w.height / 2
        if centre is None or c - centre > gap:
            rows.append([w])
            centre = c
        else:
            rows[-1].append(w)
            centre = sum(x.top + x.height / 2 for x in rows[-1]) / len(rows[-1])
    return [sorted(r, key=lambda w: w.left) for r in rows]


def _text(line: Sequence[OcrWord]) -> str:
    return " ".join(w.text for w in line)


def _split_x(line: Sequence[OcrWord], sections: Sequence[tuple[str, Sequence[str]]]) -> int | None:
    """The x where the right column starts, when this line names two sections side by side."""
    text = _text(line)
    probe = Line.of(text)
    found: list[tuple[float, int, int, str]] = []
    for name, headings in sections:
        for heading in headings:
            if len(label_key(heading).replace(" ", "")) < 6:
                continue
            hit = match_label(probe, heading)
            if hit is not None:
                found.append((hit.score, hit.start, hit.end, name))
    kept: list[tuple[float, int, int, str]] = []
    for cand in sorted(found, key=lambda c: (c[0], c[2] - c[1]), reverse=True):
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    kept.sort(key=lambda k: k[1])
    if len({k[3] for k in kept}) < 2:
        return None
    second = kept[1][1]
    offset = 0
    for k, w in enumerate(line):  # the word in which the second heading starts
        if offset + len(w.text) >= second:
            if k == 0:
                return None
            # Headings are centred over their columns: the gutter is halfway between the two headings.
            before = line[k - 1]
            return (before.left + before.width + w.left) // 2
        offset += len(w.text) + 1
    return None


def _full_width(row: Sequence[OcrWord], split: int) -> bool:
    """A word straddles the gutter: the row runs across both columns."""
    return any(w.left < split - _TOLERANCE and w.left + w.width > split + _TOLERANCE for w in row)


def rebuild_columns(words: Sequence[OcrWord], sections: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The page text with a two-column block read left column first, or None when there is no such block."""
    rows = visual_rows(words)
    for i, row in enumerate(rows):
        split = _split_x(row, sections)
        if split is None:
            continue
        end = len(rows)
        for j in range(i + 1, len(rows)):
            if _full_width(rows[j], split):
                end = j  # a full-width line: the columns are over
                break
        block = [w for r in rows[i:end] for w in r]
        left = visual_rows([w for w in block if w.left < split])
        right = visual_rows([w for w in block if w.left >= split])
        before = [_text(r) for r in rows[:i]]
        after = [_text(r) for r in rows[end:]]
        return "\n".join(before + [_text(r) for r in left] + [_text(r) for r in right] + after)
    return None

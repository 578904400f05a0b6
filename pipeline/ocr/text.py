"""From Tesseract's TSV to words with boxes and to page text, all NFC.

Text is assembled from the words (not taken from Tesseract's plain-text output) so the text,
the word list and the confidences always describe the same reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.domain.records import OcrWord
from pipeline.domain.vntext import nfc

_WORD_LEVEL = "5"
# Dotted leaders and fill-in underlines of printed forms ("Họ và tên: ........"), read as text by
# Tesseract; they are layout, not content (neither the generator's truth nor gt/ transcribes them).
_LEADER = re.compile(r"[.…·_]{3,}|[-‐‑–—_]{4,}")
_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
            "left", "top", "width", "height", "conf", "text")


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Words of a Tesseract TSV (level 5 rows with text), in reading order, with a running line number."""
    words: list[OcrWord] = []
    line_ids: dict[tuple[str, str, str, str], int] = {}
    for row_number, raw in enumerate(tsv.splitlines()):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if row_number == 0 and cells[0] == "level":
            continue
        if len(cells) < len(_COLUMNS) - 1 or cells[0] != _WORD_LEVEL:
            continue
        text = strip_leaders(nfc(cells[11].strip())) if len(cells) >= len(_COLUMNS) else ""
        if not text:
            continue
        key = (cells[1], cells[2], cells[3], cells[4])
        line = line_ids.setdefault(key, len(line_ids))
        try:
            left, top, width, height = (int(cells[i]) for i in range(6, 10))
            confidence = float(cells[10])
        except ValueError:
            continue
        words.append(OcrWord(text=text, left=left, top=top, width=width, height=height,
                             confidence=max(0.0, min(100.0, confidence)), line=line, block=int(cells[2])))
    return words


def strip_leaders(word: str) -> str:
    """'Giờ:......' -> 'Giờ:', '..........' -> '' (a word that is only a leader disappears).

    Also writes Tesseract's fraction slash as the "/" every number on these papers uses ("1⁄2")."""
    return _LEADER.sub("", word).replace("\u2044", "/").strip()


def assemble_text(words: Iterable[OcrWord]) -> str:
    """Words joined by spaces within a line, lines by "\\n"; NFC."""
    lines: list[list[str]] = []
    current = None
    for word in words:
        if word.line != current:
            lines.append([])
            current = word.line
        lines[-1].append(word.text)
    return nfc("\n".join(" ".join(line) for line in lines))


def mean_confidence(words: Iterable[OcrWord]) -> float:
    """Mean 0-100 confidence over words that carry text (0 when there are none)."""
    values = [w.confidence for w in words if w.text]
    return round(sum(values) / len(values), 2) if values else 0.0

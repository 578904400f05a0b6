"""The page's final reading as hOCR.

Tesseract renders hOCR from its first reading. The words the pipeline reads again afterwards (lines
read unsure, text beside a picture, the card zone's repaired digits: `ocr.lines`, `ocr.pictures`,
`ocr.mrz`) would then be in the page text and the extracted fields but not in what a reviewer sees
in the hOCR. So the hOCR is written here from the final words.

The searchable PDF's text layer is still Tesseract's own, from its first reading. Rewriting it from
the final words (Tesseract's page and GlyphLessFont kept, one invisible string per word placed at its
box and stretched to its width) put the words in, but pdftotext read the layer back worse: on the 9
real pages 15.42 % CER against 8.59 % for Tesseract's layer (`make bench-ocr`, 2026-11-28). On one
page the font size alone moved it from 24 to 11 %, so poppler's line building is the likely cause
(Tesseract fits a size and baseline per text line; a word box only approximates them). Left for
later.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from itertools import groupby

from pipeline.domain.records import OcrWord


def _box(words: Sequence[OcrWord]) -> str:
    left, top = min(w.left for w in words), min(w.top for w in words)
    right, bottom = max(w.left + w.width for w in words), max(w.top + w.height for w in words)
    return f"bbox {left} {top} {right} {bottom}"


def to_hocr(words: Sequence[OcrWord], width: int, height: int, lang: str = "vie") -> str:
    """An hOCR page of `words` in their order: an ocr_carea per block, an ocr_line per line, each
    word with its box and confidence (x_wconf)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"',
           '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
           f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{lang}" lang="{lang}">',
           '<head><title></title><meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
           '<meta name="ocr-system" content="sohoa (tesseract)"/>',
           '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word"/></head>',
           "<body>", f"<div class='ocr_page' id='page_1' title='bbox 0 0 {width} {height}'>"]
    word_id = line_id = 0
    for block_id, (_, block) in enumerate(groupby(words, key=lambda w: w.block), start=1):
        block_words = list(block)
        out.append(f"<div class='ocr_carea' id='block_1_{block_id}' title='{_box(block_words)}'>")
        out.append(f"<p class='ocr_par' id='par_1_{block_id}' lang='{lang}' title='{_box(block_words)}'>")
        for _, line in groupby(block_words, key=lambda w: w.line):
            line_words = list(line)
            line_id += 1
            out.append(f"<span class='ocr_line' id='line_1_{line_id}' title='{_box(line_words)}'>")
            for w in line_words:
                word_id += 1
                out.append(f"<span class='ocrx_word' id='word_1_{word_id}' title='{_box([w])}; "
                           f"x_wconf {round(w.confidence)}'>{html.escape(w.text, quote=False)}</span>")
            out.append("</span>")
        out.append("</p></div>")
    out += ["</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"

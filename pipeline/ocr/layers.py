"""The page's final reading as hOCR and as the invisible text layer of a searchable PDF.

Tesseract renders both from its first reading. The words the pipeline reads again afterwards (lines
read unsure, text beside a picture, the card zone's repaired digits: `ocr.lines`, `ocr.pictures`,
`ocr.mrz`) would then be in the page text and the extracted fields but not in what a reviewer sees
in the hOCR or what a search finds in the stored PDF. So both are written here from the final words.

The text layer keeps Tesseract's own font: its text-only PDF page (`textonly_pdf=1`, from the same
run) carries GlyphLessFont, a Type0 font whose codes are UTF-16 units shown as blank glyphs 500/1000
em wide, with an identity ToUnicode map, so any Vietnamese text copies and searches as itself. Only
the page's content stream is replaced: one invisible (`3 Tr`) string per word, placed at its box and
stretched (`Tz`) to its width.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from itertools import groupby

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from pipeline.domain.records import OcrWord

# GlyphLessFont's glyph advance, in text space units per font size unit (DW 500 of 1000).
GLYPH_ADVANCE = 0.5
# The baseline sits this share of a word box's height above its bottom (descenders, low marks).
BASELINE_SHARE = 0.2


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


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def text_layer(tesseract_pdf: bytes, words: Sequence[OcrWord], image_width: int) -> bytes:
    """Tesseract's text-only PDF page (`textonly_pdf=1`) with its text replaced by `words` (boxes in
    the pixels of the `image_width` wide image Tesseract read). A page without Tesseract's font comes
    back as it is."""
    page = PdfReader(io.BytesIO(tesseract_pdf)).pages[0]
    fonts = page.get("/Resources", {}).get("/Font")
    if not fonts or not image_width:
        return tesseract_pdf
    font = next(iter(fonts.get_object().keys()))
    page_height = float(page.mediabox.height)
    scale = float(page.mediabox.width) / image_width  # points per pixel, whatever resolution Tesseract used
    ops = ["BT", "3 Tr"]
    for _, line in groupby(words, key=lambda w: w.line):
        line_words = list(line)
        # one size and baseline per line (as Tesseract writes them), from its middle word box
        middle = sorted(line_words, key=lambda w: w.height)[len(line_words) // 2]
        size = max(1.0, middle.height * scale)
        y = page_height - (middle.top + middle.height) * scale + BASELINE_SHARE * size
        for w in line_words:
            text = w.text + " "  # the space keeps words apart in copied and extracted text
            units = len(text.encode("utf-16-be")) // 2
            stretch = 100.0 * w.width * scale / (size * GLYPH_ADVANCE * units)
            ops.append(f"1 0 0 1 {w.left * scale:.2f} {y:.2f} Tm {font} {size:.2f} Tf {stretch:.2f} Tz "
                       f"<{_utf16_hex(text)}> Tj")
    ops.append("ET")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tesseract_pdf)))
    stream = ContentStream(None, writer)
    stream.set_data("\n".join(ops).encode("ascii"))
    writer.pages[0].replace_contents(stream)
    writer.pages[0].compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

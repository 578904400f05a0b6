"""From Tesseract's TSV to words with boxes and to page text, all NFC.

Text is assembled from the words (not taken from Tesseract's plain-text output) so the text,
the word list and the confidences always describe the same reading.

Reading order. Tesseract (psm 3) often reads a two-column region across its gutter: the header
("SỞ Y TẾ ... | CỘNG HÒA XÃ HỘI ...") becomes one line holding both columns, and so do signature
blocks and the husband/wife columns of a marriage certificate. The generator's truth writes such a
region left column first, then the right column. `parse_tsv` therefore returns the words in
`reading_order`, which re-reads *column bands* left column first (the rule is in its docstring):
a band is a run of Tesseract lines in Tesseract's order, starting at a line with a wide gap between
text on both sides, over which a vertical strip of that gap stays free of ink. A single line is
never a band ("Họ và tên:        NGUYỄN VĂN A", a label and its value after erased leaders, stays
one line), a gap right after a "label:" is never a gutter, and aligned field pairs ("Giới tính: Nam
   Dân tộc: Kinh" over several rows) stay row by row, as the generator's truth writes them.
Outside bands Tesseract's lines are kept whole, in its order.

The number/date row of an official header. A Decree 30/2020 letter prints "Số: 123/QĐ-UBND" under
the issuer and "Hà Nội, ngày 5 tháng 3 năm 2024" under the motto, on one row. The proofread
references of real letters (../shared/data/real-gov-scans/gt/) write it after the motto: issuer,
motto, "Số: ...", place-date, and the generator's truth (pipeline.synth.papers.official_header)
follows them. So inside a band, from the row whose left part is the number line on (`_number_row`),
the rows are read as a band of their own, after the rows above it: left parts ("Số: ...", "V/v ..."),
then right parts (the place-date). Measured with the generator's truth in that order (seed 210, 40
pages, same Tesseract output): CER 8.43 % with the old band reading and the old truth, 10.45 % with
the old band reading against the new truth, 8.27 % with this rule (no page worse; the 19 header
pages it reorders score exactly what they scored before, one merged header improves); key fields
read by extract_fields from these texts 163 of 250 exact either way, none changed. Real scans
(check only, at the commit before: 8.78 %): 7.32 %.

Two-column bodies of labelled fields. The husband and wife columns of a marriage certificate are
both lists of "label: value" lines, with the address and the ID number wrapping onto lines of their
own, and the generator's truth reads the whole husband column, then the wife column. Three rules
tell them from rows of aligned field pairs ("Giới tính: Nam   Dân tộc: Kinh", read row by row):
- a band may start at a line whose right part begins with a label when one of its later lines has
  unlabelled text on both sides (`_wrapped`: both columns continue a value), which rows of field
  pairs never have;
- in a band that has held a line with a label on both sides, a line with a left part only that
  begins with a label and has nothing beside it on the right (`_beside`: no line Tesseract reads
  later) is a line under both columns ("Nơi đăng ký: ...") and ends the band;
- specks (`_without_specks`: a border "|", a low-confidence "ị", a "`" in the gutter) neither end a
  band as a third column nor narrow its gutter.
Measured on the same Tesseract output (the words saved once in Tesseract's order, re-ordered by the
old and the new rule; pages from pipeline.synth.dossier.generate_pages, 3 marriage certificates per
level, and a general set as bench.ocr.generated_items makes it), CER old -> new:

    level         marriage s300   marriage s400   general s220 (40)
    clean        14.28 -> 14.28  12.40 ->  1.09   5.03 ->  5.03
    office_scan  10.15 ->  1.48  15.19 -> 15.19   1.85 ->  1.85
    photocopy    18.47 -> 18.47  11.41 ->  9.14   9.31 ->  8.70
    phone_photo  36.94 -> 33.56  14.61 -> 14.61   9.22 ->  4.96
    hard         37.49 -> 33.55  42.91 -> 31.46  16.31 -> 12.45
    all          23.46 -> 20.27  19.30 -> 14.30   8.34 ->  6.60

(seed 400 was held out while the rules were written.) One page of the 70 got worse, by 0.3 points (a
"+" speck in a header gutter now joins the right column). The marriage pages left wrong are mostly
ones where Tesseract itself read the left column block down to the signatures and "Nơi đăng ký"
before the right column (no band to re-read; rule 7 of `reading_order` now re-reads such columns as
page rows when that is safe), or phone photos whose skewed rows close the gutter.
Real scans (check only): 7.32 -> 7.17 %.

Measured (CER of the whole page against the generator's truth, the same Tesseract output assembled
in Tesseract's line order and in this reading order; 40 generated pages per seed, 8 per level,
pages from bench.ocr.generated_items run through ocr_pages; seed 190 was held out while the
thresholds were chosen, its one false band, on a line of field pairs, then gave the "not before a
label" condition):

    level         seed 150          seed 170          seed 190
    clean        11.13 ->  1.03    11.07 ->  4.28     5.09 ->  1.21
    office_scan  15.76 ->  5.05     6.23 ->  1.68    13.65 ->  3.04
    photocopy    16.29 ->  7.29    16.88 -> 12.85    18.09 ->  7.66
    phone_photo   7.19 ->  3.68    16.95 -> 14.56     8.75 ->  6.62
    hard         22.10 -> 19.39    18.09 -> 14.24    15.29 -> 11.65
    all          14.49 ->  7.29    13.84 ->  9.52    12.17 ->  6.03

No page of the 120 got worse. Key fields read by pipeline.extract from these pages (with
rebuild_columns, as extract_document does): 517 of 768 exact either way, none changed. On the 9 real scans (a
check, not tuned on) 7.70 -> 8.64: headers of only the issuer and the motto improve, but those
whose band takes in the "Số: ... | Hà Nội, ngày ..." row lose, because the real references write
"Số" after the motto while the generator's truth then wrote it under the issuer, before the motto
(the same geometry, two conventions); the number/date row rule above gives them one convention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pipeline.domain.records import OcrWord
from pipeline.domain.vntext import nfc, strip_diacritics
from pipeline.ocr import mrz

_WORD_LEVEL = "5"
# Dotted leaders and fill-in underlines of printed forms ("Họ và tên: ........"), read as text by
# Tesseract; they are layout, not content (neither the generator's truth nor gt/ transcribes them).
_LEADER = re.compile(r"[.…·_]{3,}|[-‐‑–—_]{4,}")
_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
            "left", "top", "width", "height", "conf", "text")


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Words of a Tesseract TSV (level 5 rows with text), in reading order (`reading_order`: a
    two-column block left column first), with a running line number."""
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
        text = mrz.repair(strip_leaders(nfc(cells[11].strip()))) if len(cells) >= len(_COLUMNS) else ""
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
    return reading_order(words)


def strip_leaders(word: str) -> str:
    """'Giờ:......' -> 'Giờ:', '..........' -> '' (a word that is only a leader disappears).

    Also writes Tesseract's fraction slash as the "/" every number on these papers uses ("1⁄2"),
    and the Icelandic eth it reads for a degraded "Đ"/"đ" ("Hoằng Ðạo") as the Vietnamese letter:
    the two look alike, and no Vietnamese word holds an eth."""
    return _LEADER.sub("", word).translate(_LOOKALIKES).strip()


_LOOKALIKES = str.maketrans({"\u2044": "/", "\u00d0": "\u0110", "\u00f0": "\u0111"})  # ⁄ Ð ð -> / Đ đ


# Debris: what Tesseract reads from specks, rules, seal rings, signatures and photos ("|", "—",
# "`\\À", "„^^", "V/š"). A word with no letter or digit read below DEBRIS_CONFIDENCE, or one shaped
# like no word or number read below JUNK_CONFIDENCE, is left out of the text (a lone "-" or "/" is
# kept: the motto's dashes and bullets). Measured on 30 generated pages (seed 150, 6 per level), text
# after reading order: CER 5.36 -> 4.55 %; of the 113 words dropped, 1 was in the truth ("C:1,5cm").
DEBRIS_CONFIDENCE = 80.0
JUNK_CONFIDENCE = 45.0
# A word with more letters and digits than this is text read badly, not a mark (an MRZ line with a
# stray "‹:"); dropping it would lose more than it saves.
MAX_DEBRIS_ALNUM = 5
# word shapes: letters ("Ngọc"), a number or document number ("25/05/1991", "111/XNTTHN"), an MRZ line
WORD_SHAPE = re.compile(r"^[(\"'“]?(?:[^\W\d_]+|\d[\w/.,:-]*|[A-Z0-9<]+)[)\"'”.,:;!?]*$")


def is_debris(word: OcrWord) -> bool:
    """Whether a word is a mark read as text rather than text (see DEBRIS_CONFIDENCE)."""
    if word.text in ("-", "/") or "<<" in word.text or sum(ch.isalnum() for ch in word.text) > MAX_DEBRIS_ALNUM:
        return False  # a dash or slash of the text, a piece of an MRZ line, a word read badly
    if word.confidence < DEBRIS_CONFIDENCE and not any(ch.isalnum() for ch in word.text):
        return True
    return word.confidence < JUNK_CONFIDENCE and not WORD_SHAPE.match(word.text)


# A mark beside a line: a card portrait's rim, the edge of a photo or a seal, read as one or two letters
# at the start or end of a line, far from the next word ("k À Nơi thường trú", "TRỊNH MINH NGUYỆT ng").
# Such a word with at most LONE_MAX_ALNUM letters (no digit), read below LONE_CONFIDENCE and more than
# LONE_GAP line heights (the line's median word height) from its neighbour, is left out of the text.
# Measured on 572 cached dev pages (seeds 555001-555033, all levels), Tesseract output as it is: mean CER
# 5.237 -> 5.136 %, 87 pages better, 8 worse (where the word was a piece of a split word: "NG" of
# "NGỌC"); of the 157 words left out, 4 spelled a word of the page's truth; key fields read from these
# pages unchanged. Gaps of 1.5 / 3 and confidences of 60 / 85 gave 5.11-5.16 %.
LONE_MAX_ALNUM = 2
LONE_CONFIDENCE = 75.0
LONE_GAP = 2.0


def _lone_marks(line: Sequence[OcrWord]) -> set[int]:
    """Positions in `line` of the first and last words that are marks set apart (see LONE_GAP)."""
    if len(line) < 2:
        return set()
    height = sorted(w.height for w in line)[len(line) // 2]
    found = set()
    for at, beside in ((0, 1), (len(line) - 1, len(line) - 2)):
        word, other = line[at], line[beside]
        gap = other.left - _right(word) if at == 0 else word.left - _right(other)
        if (word.text not in ("-", "/") and sum(ch.isalnum() for ch in word.text) <= LONE_MAX_ALNUM
                and not any(ch.isdigit() for ch in word.text) and word.confidence < LONE_CONFIDENCE
                and gap > LONE_GAP * height):
            found.add(at)
    return found


# A signature read as text: one or two "words" several lines tall ("WZ", "AA/Z", "VÀ^/Z" in boxes 3-6
# times the height of the page's words), read with low confidence. A line whose words all read below
# SCRIBBLE_CONFIDENCE, one of them taller than SCRIBBLE_HEIGHT times the median height of the page's
# confident words, is left out of the text (an MRZ line never: its "<<" is no scribble). Measured on
# 364 cached dev pages (seeds 700100-700409: photocopy, clean, office_scan, phone_photo), text after
# reading order: CER photocopy 4.56 -> 4.38 %, clean 1.79 -> 1.49 %, office_scan 2.60 -> 2.37 %,
# phone_photo 5.43 -> 5.23 %; 3 pages worse, where the line held letters of the truth ("V2 vệ",
# "2t A108"). Heights of 2 and 3, confidences of 60 and 80 gave the same within 0.05 %.
SCRIBBLE_CONFIDENCE = 70.0
SCRIBBLE_HEIGHT = 2.5
_CONFIDENT = 50.0


def scribble_lines(words: Sequence[OcrWord]) -> set[int]:
    """Line numbers of the lines that are a signature read as text (see SCRIBBLE_HEIGHT)."""
    heights = sorted(w.height for w in words if w.confidence >= _CONFIDENT and w.text.strip())
    if not heights:
        return set()
    tall = SCRIBBLE_HEIGHT * heights[len(heights) // 2]
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return {number for number, line in lines.items()
            if all(w.confidence < SCRIBBLE_CONFIDENCE and "<<" not in w.text for w in line)
            and max(w.height for w in line) > tall}


def assemble_text(words: Iterable[OcrWord]) -> str:
    """Words joined by spaces within a line, lines by "\\n", in the words' order (`parse_tsv` gives
    them in reading order), debris (`is_debris`), marks set apart at a line's ends (`_lone_marks`) and
    signatures (`scribble_lines`) left out; NFC. The words themselves keep every mark."""
    words = list(words)
    scribbles = scribble_lines(words)
    lines: list[list[OcrWord]] = []
    current = None
    for word in words:
        if word.line in scribbles:
            continue
        if is_debris(word):
            continue
        if word.line != current:
            lines.append([])
            current = word.line
        lines[-1].append(word)
    kept = []
    for line in lines:
        marks = _lone_marks(line)
        if len(marks) < len(line):
            kept.append(" ".join(w.text for i, w in enumerate(line) if i not in marks))
    return nfc("\n".join(kept))


def mean_confidence(words: Iterable[OcrWord]) -> float:
    """Mean 0-100 confidence over words that carry text (0 when there are none)."""
    values = [w.confidence for w in words if w.text]
    return round(sum(values) / len(values), 2) if values else 0.0


# --------------------------------------------------------------------------- reading order

# A gutter is at least this many median word heights wide: inter-word spaces measured on 40
# generated pages were 98 % below 0.75, the narrowest header gutter 1.04. Photocopy toner widens word
# boxes: a district's name beside the motto left a gutter of 0.98 ("UBND HUYỆN TAM DƯƠNG CỘNG HÒA XÃ
# HỘI..." read as one line). 0.95 against 1.0, replayed on Tesseract's words of 364 cached dev pages
# (seeds 700100-700409): 6 pages better (12.2 -> 6.5, 6.0 -> 0.5, 5.6 -> 0.0, 7.0 -> 0.5, 9.8 -> 2.9,
# 9.9 -> 3.9 %), none worse; 0.9 made 2 worse (a paragraph line joined to the signature band below it).
GUTTER_HEIGHTS = 0.95
# Each side of a band holds at least this many rows: with one row on a side, left-then-right and
# row-by-row read differently and nothing on the page says which is meant.
MIN_ROWS_PER_SIDE = 2
# A line with a gap this many gutters wide elsewhere belongs to another layout (the fingerprint
# labels "Ngón trỏ trái    Ngón trỏ phải" under an ID card's signer) and ends the band.
OTHER_LAYOUT = 2.0
# Some two-sided line of a band has this many gutters between its sides. A centred motto leaves
# >= 4 beside the issuer (every generated header band: 4.0-18.7); the aligned gaps a photocopy
# streak or a blurred word leaves down a paragraph measured 1.0-3.3.
CLEAR_GAP = 3.5
# A side of a line holds text when it has a word of two letters or digits read with at least this
# confidence, not only specks of a photo, seal or signature ("6,", "Mi", "|").
SOLID_CONFIDENCE = 50.0
# Page rows (`_page_rows`): two of Tesseract's lines are one row when their centres lie within this
# many median word heights. Interleaved columns are found on words read with CLEAR_CONFIDENCE.
ROW_TOLERANCE = 0.5
CLEAR_CONFIDENCE = 80.0
# A left-only line ends a band of labelled columns only when set this many row pitches apart (`_set_apart`).
SET_APART = 1.3
# Rule 8 (`_wrapped_cells`): a continuation line lies within this many word heights of the line above.
WRAP_ROWS = 2.0
# Rule 9 (`_above_first`): two rows are in one column when they overlap across by this share of the narrower.
ABOVE_OVERLAP = 0.5


def reading_order(words: Sequence[OcrWord]) -> list[OcrWord]:
    """The words re-ordered so two-column blocks read left column first; `line` renumbered from 0.

    Rule, on Tesseract's lines in its order (g = GUTTER_HEIGHTS median word heights):
    1. a band starts at a line with a gap >= g between words, with text (SOLID words) on both sides,
       not right after a word ending in ":" (a label and its value after erased leaders), and,
       before a "label:", only when a later line of the run has unlabelled text on both sides
       (wrapped columns; aligned field pairs "Giới tính: Nam   Dân tộc: Kinh" stay row by row, as
       the generator's truth writes them); a "_" read from a rule fragment does not close the gap;
    2. it takes in the following lines while they go down the page and a strip of the gap, at
       least g wide, stays free of their ink (specks aside); a line may narrow the strip from
       either edge, not sit inside it (a centred page number), nor have a gap of OTHER_LAYOUT g
       elsewhere (`_trimmed`: not counting specks read at the row's ends, a smudge or seal ring beyond
       the right column read as "o9:" at 0 %; measured with Tesseract's words of 180 generated pages,
       seeds 160-200: 5 pages better, 38.3 -> 10.5, 32.6 -> 7.8, 31.2 -> 20.9, 14.2 -> 12.4 and
       12.3 -> 6.9 %, none worse; real scans, checked: 6.29 -> 5.94 %); once a line had a label on
       both sides, a left-only line beginning with a label with nothing beside it on the right ends
       the run (a line under both columns) when it is set
       apart from the line above (`_set_apart`: more than SET_APART of the band's row pitch; the last
       line of a column longer than the other comes at the pitch. Replayed on Tesseract's words of
       230 generated pages, seeds 160-230: 2 pages better, 9.89 -> 0.48 and 34.94 -> 1.69 %, none worse);
    3. the run is a band when each side holds MIN_ROWS_PER_SIDE lines and some line has solid
       words on both sides CLEAR_GAP g apart (a single line is never a band);
    4. a band is read as the left parts of its lines, then the right parts (cut at the strip's
       middle, a word by its centre); every other line is kept whole, in Tesseract's order;
    5. a band holding a header's number/date row (`_number_row`) is read as two bands, cut above it;
    6. a gap right after a "label:" may start a band only when a later row of it has a gutter that is
       not after a label (`_unlabelled_gutter`): "Nơi nhận:" over the recipients list beside the
       signature block. Measured on 15 generated official letters (seed 600, 3 per level, the same
       Tesseract words): CER 10.01 -> 8.22 % (clean 6.10 -> 2.19, office_scan 6.18 -> 2.66), no page
       worse there nor on the 40-page (seed 220) and 30 marriage-certificate sets.
    Among the gaps of a starting line the one giving the longest band wins.
    7. Tesseract sometimes reads two columns block by block (a phone photo of a marriage certificate:
       the husband's column, the registration lines under both columns, then the wife's column).
       Then its lines at one height are joined into page rows (`_page_rows`) and rules 1-6 applied to
       those; that reading is kept when no row joins two of Tesseract's lines across a gutter
       (`_joins_across_gutter`: lines that do not pair up) and it neither interleaves columns
       (`_interleaves`) nor goes back into blocks (`_returns`) more than the reading by lines does.
       Measured with Tesseract's words of 60 generated pages (seeds 160 and 170, 6 per level): CER
       6.67 -> 5.44 and 7.49 -> 5.89 %, 5 pages better (32.5 -> 3.3, 37.5 -> 5.5, 11.5 -> 1.7 %), none worse.
    8. A row of labelled cells whose values wrap onto the rows below, each wrapped part starting
       where its cell starts (`_wrapped_cells`), is read cell by cell with its continuation: a
       household-business certificate's "Giới tính: Nữ   Sinh ngày:   Dân tộc: Dao   Quốc tịch: Việt"
       over "01/08/1990 ... Nam". A row of three or more labelled cells never starts a band (rule 1).
       Replayed on Tesseract's words of 180 generated pages (seeds 160-200): 6 pages better (6.07 ->
       0.00, 6.17 -> 0.12, 8.59 -> 2.63, 7.08 -> 1.18, 3.41 -> 0.91, 3.74 -> 0.00 %), none worse; real
       scans (checked) unchanged.
    9. Last, no row is read before a row that lies wholly above it in its column (`_above_first`: the
       two overlap across by ABOVE_OVERLAP of the narrower, measured on their solid words so a tall
       speck of a QR code read into a row does not stretch it). Tesseract reads a card's national motto
       after the title under it (the motto's block takes in the QR code beside it), a card back's issuer
       title after the machine-readable zone, a line of a seal's picture re-read first. A row read too
       early has the rows above it in its column brought forward, in their order; a row read too late
       goes before the first row under it. Measured on 250 generated pages (seeds 160-220, a 40-page card
       set), the same Tesseract output: CER 5.32 -> 4.96 % (photocopy 6.50 -> 5.79, office_scan 2.03 ->
       1.62), 10 pages better (42.4 -> 21.0, 21.3 -> 7.0, 18.1 -> 3.2, 12.6 -> 2.8 %), one worse (17.7
       -> 18.0 %); 572 cached pages of seeds 555001-555033: 5.24 -> 5.08 %, 10 better, one worse (a card's
       expiry date read first: its label now goes before it, at the top); key fields read from them: 3
       more right, none lost. Real scans (checked): unchanged.
    """
    rows = _rows(words)
    if not rows:
        return []
    heights = sorted(max(1, w.height) for row in rows for w in row)
    min_gap = GUTTER_HEIGHTS * heights[len(heights) // 2]
    ordered = _wrapped_cells(_in_bands(rows, min_gap), min_gap)
    page_rows = _page_rows(rows)
    if len(page_rows) < len(rows):  # Tesseract read some lines of one height apart: columns block by block
        by_page_rows = _wrapped_cells(_in_bands(page_rows, min_gap), min_gap)
        if not any(_joins_across_gutter(row, min_gap) for row in by_page_rows) \
                and _interleaves(by_page_rows) <= _interleaves(ordered) \
                and _returns(by_page_rows) <= _returns(ordered):
            ordered = by_page_rows
    ordered = _above_first(ordered)
    return [replace(w, line=n) for n, row in enumerate(ordered) for w in row]


def _in_bands(rows: Sequence[list[OcrWord]], min_gap: float) -> list[list[OcrWord]]:
    """Rules 1-6 of `reading_order` on `rows`: the rows in reading order, bands cut into columns."""
    ordered: list[list[OcrWord]] = []
    i = 0
    while i < len(rows):
        band = _band_at(rows, i, min_gap)
        if band is None:
            ordered.append(rows[i])
            i += 1
            continue
        end, split = band
        number = _number_row(rows[i:end], split)
        ordered += _columns(rows[i:i + number], split) + _columns(rows[i + number:end], split)
        i = end
    return ordered


def _wrapped_cells(rows: list[list[OcrWord]], min_gap: float) -> list[list[OcrWord]]:
    """Rule 8 of `reading_order`: a row of labelled cells ("Giới tính: Nữ   Sinh ngày:   Dân tộc: Dao
    Quốc tịch: Việt") whose values wrap onto the row below, under their cells ("01/08/1990", "Nam"),
    is read cell by cell, each cell followed by its continuation: "Sinh ngày:" then "01/08/1990".

    The row is cut into cells at its gaps of at least `min_gap`; each cell begins with a "label:". The
    rows below (while they lie within WRAP_ROWS word heights of the one above) continue it when none
    of their words ends in ":" and their words lie under the cells, each cell's part starting where the
    cell starts (`_under_cells`)."""
    out: list[list[OcrWord]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        cells = _cells(row, min_gap)
        wraps: list[list[OcrWord]] = []
        if len(cells) >= 2 and all(_starts_with_label(cell) for cell in cells):
            height = sorted(w.height for w in row)[len(row) // 2]
            starts = [cell[0].left - height for cell in cells] + [1 << 30]
            below = row
            for nxt in rows[i + 1:]:
                if not 0 < _centre_y(nxt) - _centre_y(below) <= WRAP_ROWS * height \
                        or any(w.text.endswith(":") for w in nxt) or not _under_cells(nxt, cells, starts, height):
                    break
                wraps.append(nxt)
                below = nxt
        if not wraps:
            out.append(row)
            i += 1
            continue
        for k, cell in enumerate(cells):
            out.append(cell)
            out += [[w for w in wrap if _cell_of(w, starts) == k] for wrap in wraps
                    if any(_cell_of(w, starts) == k for w in wrap)]
        i += 1 + len(wraps)
    return out


def _cells(row: Sequence[OcrWord], min_gap: float) -> list[list[OcrWord]]:
    """The row cut at its gaps of at least `min_gap`."""
    cells = [[row[0]]] if row else []
    for a, b in zip(row, row[1:]):
        if b.left - _right(a) >= min_gap:
            cells.append([])
        cells[-1].append(b)
    return cells


def _under_cells(row: Sequence[OcrWord], cells: Sequence[Sequence[OcrWord]], starts: Sequence[float],
                 height: float) -> bool:
    """Every word of `row` lies in a cell's span, each cell's part of the row begins where the cell
    does (within `height`: wrapped text starts at the cell's left edge; a centred title does not),
    and parts under different cells are apart by a gap at least `height` wide."""
    owners: list[int] = []
    for word in row:
        k = _cell_of(word, starts)
        if k is None:
            return False
        if (not owners or owners[-1] != k) and (abs(word.left - cells[k][0].left) > height
                                                or owners and word.left - _right(row[len(owners) - 1]) < height):
            return False  # a part that does not start at its cell, or runs on from the previous cell's
        owners.append(k)
    return True


def _cell_of(word: OcrWord, starts: Sequence[float]) -> int | None:
    """Index of the cell whose span (`starts[k]` to `starts[k + 1]`) holds the word's left edge."""
    for k in range(len(starts) - 1):
        if starts[k] <= word.left < starts[k + 1]:
            return k
    return None


def _page_rows(rows: Sequence[list[OcrWord]]) -> list[list[OcrWord]]:
    """Tesseract's lines top to bottom, a line joining an earlier one at its height (centres within
    ROW_TOLERANCE of the smaller median word height) when their words do not overlap side to side:
    the rows of the page as a scan read row by row gives them. Words keep their Tesseract line."""
    rows_out: list[tuple[float, float, list[tuple[int, int]], list[OcrWord]]] = []
    for row in sorted(rows, key=_centre_y):
        height = sorted(w.height for w in row)[len(row) // 2]
        y, x0, x1 = _centre_y(row), row[0].left, max(_right(w) for w in row)
        for other in reversed(rows_out[-4:]):
            if abs(other[0] - y) <= ROW_TOLERANCE * min(height, other[1]) \
                    and all(x1 <= a or x0 >= b for a, b in other[2]):
                other[2].append((x0, x1))
                other[3].extend(row)
                break
        else:
            rows_out.append((y, height, [(x0, x1)], list(row)))
    return [sorted(words, key=lambda w: w.left) for _, _, _, words in rows_out]


def _joins_across_gutter(row: Sequence[OcrWord], min_gap: float) -> bool:
    """The row puts side by side, a gutter apart, solid words of two of Tesseract's lines: two columns
    whose lines do not pair up (one wrapped where the other did not), which a band did not take apart."""
    for a, b in zip(row, row[1:]):
        if a.line != b.line and b.left - _right(a) >= min_gap:
            if any(_solid(w) for w in row if w.line == a.line) and any(_solid(w) for w in row if w.line == b.line):
                return True
    return False


def _returns(rows: Sequence[Sequence[OcrWord]]) -> int:
    """How often the reading goes back into a Tesseract block it has left (a column cut short and
    finished after the other one), counting words read with CLEAR_CONFIDENCE, leaving out blocks with
    a line a band cut in two (a header line read across its gutter) and the header's number row (read
    after the motto by rule 5)."""
    rows_of_line: dict[int, set[int]] = {}
    for n, row in enumerate(rows):
        for w in row:
            rows_of_line.setdefault(w.line, set()).add(n)
    cut = {w.block for row in rows for w in row if len(rows_of_line[w.line]) > 1}
    seen: set[int] = set()
    current, returns = None, 0
    for row in rows:
        number_row = bool(_NUMBER_LABEL.match(_folded(row[:2])))  # read after the motto on purpose
        for w in row:
            if w.block in cut or w.block == current or w.confidence < CLEAR_CONFIDENCE \
                    or sum(ch.isalnum() for ch in w.text) < 2:
                continue
            returns += w.block in seen and not number_row
            seen.add(w.block)
            current = w.block
    return returns


def _interleaves(rows: Sequence[Sequence[OcrWord]]) -> int:
    """How often the reading goes from a line of one column to a line of another beside it and back
    to the first (three rows in a row: the outer two from one Tesseract block, overlapping side to
    side, the middle one from another block, clear of both): two columns whose lines do not pair up,
    read as rows. Only words read with CLEAR_CONFIDENCE count (a seal's fragment does not)."""
    clear = [[w for w in row if w.confidence >= CLEAR_CONFIDENCE and sum(ch.isalnum() for ch in w.text) >= 2]
             for row in rows]
    clear = [row for row in clear if row]

    def span(row: Sequence[OcrWord]) -> tuple[int, int]:
        return min(w.left for w in row), max(_right(w) for w in row)

    def apart(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[1] <= b[0] or b[1] <= a[0]

    count = 0
    for one, two, three in zip(clear, clear[1:], clear[2:]):
        blocks = ({w.block for w in one}, {w.block for w in two}, {w.block for w in three})
        if len(blocks[0]) == len(blocks[2]) == 1 and blocks[0] == blocks[2] and not blocks[1] & blocks[0]:
            if not apart(span(one), span(three)) and apart(span(one), span(two)) and apart(span(two), span(three)):
                count += 1
    return count


def _rows(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """Tesseract's lines in its order, each sorted left to right."""
    rows: list[list[OcrWord]] = []
    current = None
    for word in words:
        if not rows or word.line != current:
            rows.append([])
            current = word.line
        rows[-1].append(word)
    return [sorted(row, key=lambda w: w.left) for row in rows]


def _above_first(rows: list[list[OcrWord]]) -> list[list[OcrWord]]:
    """Rule 9 of `reading_order`: `rows` with each row read after every row that lies wholly above it in
    its column (`_is_above`); a row read before one of those has them brought forward, in their order."""
    boxes = [_core(row) for row in rows]
    above = [[i for i, a in enumerate(boxes) if i != k and _is_above(a, b)] for k, b in enumerate(boxes)]
    out: list[int] = []
    seen: set[int] = set()
    for first in range(len(rows)):
        # depth first, the rows above before the row (a stack, not recursion: a page may hold
        # more rows than Python's recursion limit)
        stack = [(first, iter(above[first]))] if first not in seen else []
        seen.add(first)
        while stack:
            k, pending = stack[-1]
            i = next((i for i in pending if i not in seen), None)
            if i is None:
                stack.pop()
                out.append(k)
            else:
                seen.add(i)
                stack.append((i, iter(above[i])))
    return [rows[k] for k in out]


def _core(row: Sequence[OcrWord]) -> tuple[float, float, float, float] | None:
    """A row's extent from its solid words: left, right, and the median top and bottom (a tall speck of
    a QR code or portrait read into the row does not stretch it); None for a row of specks."""
    solid = [w for w in row if _solid(w)]
    if not solid:
        return None
    tops = sorted(w.top for w in solid)
    bottoms = sorted(w.top + w.height for w in solid)
    return (min(w.left for w in solid), max(_right(w) for w in solid),
            tops[len(tops) // 2], bottoms[len(bottoms) // 2])


def _is_above(a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float] | None) -> bool:
    """Whether row `a` lies wholly above row `b` in the same column: `a` ends before `b` starts, and
    they overlap across by ABOVE_OVERLAP of the narrower."""
    if a is None or b is None:
        return False
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return b[2] >= a[3] and overlap >= ABOVE_OVERLAP * min(a[1] - a[0], b[1] - b[0])


def _right(w: OcrWord) -> int:
    return w.left + w.width


def _centre_y(row: Sequence[OcrWord]) -> float:
    return sum(w.top + w.height / 2 for w in row) / len(row)


def _wide_gaps(row: Sequence[OcrWord], min_gap: float, after_label: bool = False) -> list[tuple[int, int]]:
    """Gaps between neighbouring words at least `min_gap` wide, except a gap after a "label:"
    (with `after_label`, only the gaps after a label)."""
    gaps = []
    for a, b in zip(row, row[1:]):
        if b.left - _right(a) >= min_gap and a.text.endswith(":") == after_label:
            gaps.append((_right(a), b.left))
    return gaps


def _unlabelled_gutter(rows: Sequence[Sequence[OcrWord]], strip: tuple[int, int]) -> bool:
    """Some row has solid text on both sides of the strip and its left part does not end in a
    label: the recipients list beside a signature block ("- Lưu: VT.   KT. CHỦ TỊCH"), which a form
    whose every row is "label:   value" (leaders erased) never has."""
    for row in rows:
        left, right = _sides(row, strip)
        if left and right and not left[-1].text.endswith(":") and any(_solid(w) for w in left) \
                and any(_solid(w) for w in right):
            return True
    return False


def _narrow(strip: tuple[int, int], row: Sequence[OcrWord], min_gap: float) -> tuple[int, int] | None:
    """`strip` less the ink of `row`, or None when the row does not fit beside it as part of a column.

    The row is cut at one of its free spaces inside the strip; it fits when what lies left of the cut
    reaches past the strip's left edge and what lies right of it past the right edge (a line lying
    inside the strip, like a centred page number under two signatures, is no column's), the strip
    keeps `min_gap`, and the row has no wide gap of its own outside the strip (another layout).
    Specks (`_without_specks`) beside text are ignored: a border mark "|" is no column of a third
    layout, a "`" in the gutter does not narrow it (a row of specks alone is taken as it is)."""
    x0, x1 = strip
    row = _without_specks(row) or row
    if any(b <= x0 or a >= x1 for a, b in _wide_gaps(_trimmed(row), OTHER_LAYOUT * min_gap)):
        return None
    best: tuple[int, int] | None = None
    edges = [(-1 << 30, -1 << 30)] + [(w.left, _right(w)) for w in row] + [(1 << 30, 1 << 30)]
    for k in range(len(edges) - 1):
        lo, hi = max(x0, edges[k][1]), min(x1, edges[k + 1][0])
        if hi - lo < min_gap:
            continue
        left, right = row[:k], row[k:]
        if left and min(w.left for w in left) > x0 or right and max(_right(w) for w in right) < x1:
            continue
        if best is None or hi - lo > best[1] - best[0]:
            best = (lo, hi)
    return best


def _band_at(rows: Sequence[Sequence[OcrWord]], start: int, min_gap: float) -> tuple[int, float] | None:
    """(end, split x) of the longest column band starting at rows[start], or None."""
    best: tuple[int, float] | None = None
    first = rows[start]
    # A gap after a label is a gutter only when a later row has one that is not ("Nơi nhận:" heading
    # the recipients list, beside "TM. ỦY BAN NHÂN DÂN" of the signature block).
    marks_off = _without_rules(first)
    label_gaps = _wide_gaps(marks_off, min_gap, after_label=True)
    cells = _cells(marks_off, min_gap)
    if len(cells) >= 3 and all(_starts_with_label(cell) for cell in cells):
        return None  # a row of three or more labelled cells is a row of fields, read by rule 8
    for gap in _wide_gaps(marks_off, min_gap) + label_gaps:
        if not (any(_solid(w) and _right(w) <= gap[0] for w in first)
                and any(_solid(w) and w.left >= gap[1] for w in first)):
            continue  # a band starts with text on both sides of its gutter, not a speck beside a line
        # aligned field pairs ("Giới tính: Nam   Dân tộc: Kinh") are read row by row, unless text wraps
        labelled = _starts_with_label([w for w in first if w.left >= gap[1]])
        strip, end = gap, start + 1
        paired = _label_pair(first, strip)
        while end < len(rows) and _centre_y(rows[end]) > min(w.top for w in rows[end - 1]):
            narrower = _narrow(strip, rows[end], min_gap)
            if narrower is None or paired and _left_label_only(rows[end], narrower) and not _beside(
                    rows, end, narrower[1]) and _set_apart(rows, start, end):
                break
            paired = paired or _label_pair(rows[end], narrower)
            strip, end = narrower, end + 1
        split = (strip[0] + strip[1]) / 2
        if labelled and not _wrapped(rows[start + 1:end], strip):
            continue
        if gap in label_gaps and not _unlabelled_gutter(rows[start + 1:end], strip):
            continue
        if (best is None or end > best[0]) and _is_band(rows[start:end], split, min_gap):
            best = (end, split)
    return best


def _set_apart(rows: Sequence[Sequence[OcrWord]], start: int, k: int) -> bool:
    """rows[k] lies further below rows[k - 1] than the band's rows lie apart (SET_APART times their
    median pitch): a line under both columns after a paragraph's space ("Nơi đăng ký: ..."), not the
    last line of a column longer than the other ("Giấy tờ tùy thân: ..." under a wrapped name)."""
    centres = [_centre_y(row) for row in rows[start:k]]
    pitches = sorted(b - a for a, b in zip(centres, centres[1:]) if b > a)
    if not pitches:
        return True
    return _centre_y(rows[k]) - centres[-1] > SET_APART * pitches[len(pitches) // 2]


def _sides(row: Sequence[OcrWord], strip: tuple[int, int]) -> tuple[list[OcrWord], list[OcrWord]]:
    """The row's words left and right of the strip's middle (a word by its centre)."""
    split = (strip[0] + strip[1]) / 2
    return ([w for w in row if w.left + w.width / 2 < split], [w for w in row if w.left + w.width / 2 >= split])


def _label_pair(row: Sequence[OcrWord], strip: tuple[int, int]) -> bool:
    """Both sides of the row begin with a "label:" ("Họ, chữ đệm, tên: ... | Họ, chữ đệm, tên: ...")."""
    left, right = _sides(row, strip)
    return _starts_with_label(left) and _starts_with_label(right)


def _left_label_only(row: Sequence[OcrWord], strip: tuple[int, int]) -> bool:
    """The row has words left of the strip only, beginning with a "label:" ("Nơi đăng ký: ...")."""
    left, right = _sides(row, strip)
    return not right and _starts_with_label(left)


def _wrapped(rows: Sequence[Sequence[OcrWord]], strip: tuple[int, int]) -> bool:
    """Some row has text on both sides and no "label:" on either: both columns' text wraps onto
    continuation lines ("Phường Tân An, Quận Ninh Kiều | Phường Tân An, ..."), as in the husband and
    wife columns of a marriage certificate, never in rows of aligned field pairs."""
    for row in rows:
        left, right = _sides(row, strip)
        if (any(_solid(w) for w in left) and any(_solid(w) for w in right)
                and not _starts_with_label(left) and not _starts_with_label(right)):
            return True
    return False


def _beside(rows: Sequence[Sequence[OcrWord]], k: int, x: float) -> bool:
    """Some word of another row lies right of `x` at the height of rows[k]'s centre (the right
    column's lines Tesseract reads later)."""
    y = _centre_y(rows[k])
    return any(w.left >= x and w.top <= y <= w.top + w.height
               for j, row in enumerate(rows) if j != k for w in row)


def _without_specks(row: Sequence[OcrWord]) -> list[OcrWord]:
    """The row less marks that are no text: no letter or digit ("|" read from a page edge), or one
    read with low confidence ("ị" from a phone photo's border)."""
    return [w for w in row if any(ch.isalnum() for ch in w.text)
            and (w.confidence >= SOLID_CONFIDENCE or sum(ch.isalnum() for ch in w.text) >= 2)]


def _trimmed(row: Sequence[OcrWord]) -> Sequence[OcrWord]:
    """The row less the words at either end that are not solid (`_solid`) and not read clearly
    either (CLEAR_CONFIDENCE): what Tesseract reads from a seal's ring or a smudge beyond the last word
    of a column ("o9:", "HƯ—m" at 0-1 %, a "3" at 55 %). A row number "1" read clearly stays (a
    table's first column)."""
    kept = [k for k, w in enumerate(row) if _solid(w) or w.confidence >= CLEAR_CONFIDENCE]
    return row[kept[0]:kept[-1] + 1] if kept else row


def _without_rules(row: Sequence[OcrWord]) -> list[OcrWord]:
    """The row less the "_" Tesseract reads from a rule fragment (one sat in the gutter of a generated
    header, hiding it); only the first row of a band is read this way, later rows keep every mark."""
    return [w for w in row if w.text.strip("_")]


def _is_band(rows: Sequence[Sequence[OcrWord]], split: float, min_gap: float) -> bool:
    """Each side holds MIN_ROWS_PER_SIDE rows, and some row has solid words on both sides with a gap
    of CLEAR_GAP gutters between them."""
    left = [r for r in rows if any(_right(w) <= split for w in r)]
    right = [r for r in rows if any(w.left >= split for w in r)]
    if len(left) < MIN_ROWS_PER_SIDE or len(right) < MIN_ROWS_PER_SIDE:
        return False
    widest = 0
    for row in rows:
        before = [w for w in row if _right(w) <= split]
        after = [w for w in row if w.left >= split]
        if any(_solid(w) for w in before) and any(_solid(w) for w in after):
            widest = max(widest, after[0].left - _right(before[-1]))
    return widest >= CLEAR_GAP * min_gap


def _solid(w: OcrWord) -> bool:
    """A word read with some confidence and two letters or digits, not a speck of a photo or seal."""
    return w.confidence >= SOLID_CONFIDENCE and sum(ch.isalnum() for ch in w.text) >= 2


def _starts_with_label(words: Sequence[OcrWord]) -> bool:
    """'Dân tộc: Kinh', 'Quốc tịch / Nationality: Việt Nam': a colon within the first five words."""
    return any(w.text.endswith(":") for w in words[:5])


def _columns(rows: Sequence[Sequence[OcrWord]], split: float) -> list[list[OcrWord]]:
    """The band's rows cut at `split` (a word by its centre): the left parts in order, then the right parts."""
    left = [[w for w in r if w.left + w.width / 2 < split] for r in rows]
    right = [[w for w in r if w.left + w.width / 2 >= split] for r in rows]
    return [part for part in left if part] + [part for part in right if part]


# "Số:" as OCR reads it ("Số:", "So:", "S6:", "Sô :"), diacritics stripped and lower-cased.
_NUMBER_LABEL = re.compile(r"^s[a-z0-9]? ?[:;]")
# A place-date ("Hà Nội, ngày 5 tháng 3 năm 2024", blanks left for a hand: "ngày   tháng   năm
# 2024") has at least two of these words, diacritics stripped; the motto has at most "nam".
_DATE_WORDS = ("ngay", "thang", "nam")


def _number_row(rows: Sequence[Sequence[OcrWord]], split: float) -> int:
    """Index of a band's number/date row, or len(rows) when it has none.

    The row is not the band's first; its left part begins with "Số:" (OCR noise tolerated), or with
    a digit when its right part is a place-date; its right part is empty or a place-date (not the
    motto's second line beside a number). A place-date alone on the row just above it (printed a
    little higher) goes with it."""
    lefts = [[w for w in r if w.left + w.width / 2 < split] for r in rows]
    rights = [[w for w in r if w.left + w.width / 2 >= split] for r in rows]
    dated = [_is_place_date(part) for part in rights]
    for k in range(1, len(rows)):
        if not (dated[k] or not any(_solid(w) for w in rights[k])):
            continue
        head = _folded(lefts[k])
        if _NUMBER_LABEL.match(head) or (dated[k] and head[:1].isdigit()):
            return k - 1 if k > 1 and not lefts[k - 1] and dated[k - 1] else k
    return len(rows)


def _is_place_date(words: Sequence[OcrWord]) -> bool:
    found = set(re.findall(r"[a-z]+", _folded(words)))
    return sum(word in found for word in _DATE_WORDS) >= 2


def _folded(words: Sequence[OcrWord]) -> str:
    return strip_diacritics(" ".join(w.text for w in words)).lower()


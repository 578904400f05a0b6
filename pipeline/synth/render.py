"""Lay out and draw synthetic paper pages with PIL, keeping the exact text of every line drawn.

Layout and drawing are separate: `layout()` turns a paper's blocks into positioned draw
operations plus the page text (cheap, no pixels), `draw()` paints one laid-out page at 300 dpi.
Seals, signatures, photos and QR codes are drawn but are not text (stamps are not transcribed).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4_MM = (210.0, 297.0)
CARD_MM = (85.6, 54.0)

_FONT_DIRS = {
    "Liberation Serif": ("liberation2/LiberationSerif-", ("Regular", "Bold", "Italic", "BoldItalic")),
    "Liberation Sans": ("liberation2/LiberationSans-", ("Regular", "Bold", "Italic", "BoldItalic")),
    "DejaVu Serif": ("dejavu/DejaVuSerif", ("", "-Bold", "-Italic", "-BoldItalic")),
    "DejaVu Sans": ("dejavu/DejaVuSans", ("", "-Bold", "-Oblique", "-BoldOblique")),
    "Noto Serif": ("noto/NotoSerif-", ("Regular", "Bold", "Italic", "BoldItalic")),
    "Noto Sans": ("noto/NotoSans-", ("Regular", "Bold", "Italic", "BoldItalic")),
    "FreeSerif": ("freefont/FreeSerif", ("", "Bold", "Italic", "BoldItalic")),
    "FreeSans": ("freefont/FreeSans", ("", "Bold", "Oblique", "BoldOblique")),
}
_FONT_ROOT = Path("/usr/share/fonts/truetype")
SERIF_FONTS = ("Liberation Serif", "DejaVu Serif", "Noto Serif", "FreeSerif")

INK = (20, 20, 24)
SEAL_RED = (205, 32, 38)
SIGN_BLUE = (28, 40, 140)


def mm(value: float) -> int:
    return int(round(value * DPI / 25.4))


def pt(value: float) -> int:
    return int(round(value * DPI / 72))


def font_path(family: str, bold: bool = False, italic: bool = False) -> Path:
    prefix, styles = _FONT_DIRS[family]
    return _FONT_ROOT / f"{prefix}{styles[(1 if bold else 0) + (2 if italic else 0)]}.ttf"


def available_fonts() -> list[str]:
    """Font families installed here that the generator draws with (all four styles present)."""
    return [name for name in _FONT_DIRS
            if all(font_path(name, b, i).is_file() for b in (False, True) for i in (False, True))]


@lru_cache(maxsize=512)
def get_font(family: str, px: int, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(family, bold, italic)), px)


@lru_cache(maxsize=65536)
def text_width(family: str, px: int, bold: bool, italic: bool, text: str) -> float:
    return get_font(family, px, bold, italic).getlength(text)


# --------------------------------------------------------------------------- blocks


@dataclass
class Run:
    """A piece of text with one style; a paragraph is a list of runs wrapped together."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run]
    align: str = "left"  # left | center | right | justify
    size: float = 1.0  # relative to the paper's base size
    indent_mm: float = 0.0
    first_indent_mm: float = 0.0
    before_mm: float = 0.0
    after_mm: float = 1.0
    leader: bool = False  # dotted leader to the right margin after the last line (forms)
    fit: bool = False  # shrink to one line instead of wrapping (mottos, issuer names)
    upper_rule_mm: float = 0.0  # short centred rule under the paragraph (header underline)


@dataclass
class Columns:
    """Side-by-side blocks: text order is the left column, then the right one.

    `left_tail` and `right_tail` continue the left and right columns on the page, but their text
    follows both columns (left tail, then right tail): the "Số: ... | Hà Nội, ngày ..." row of a
    Decree-30 header, which references of real letters write after the motto."""

    left: list
    right: list
    split: float = 0.45
    gap_mm: float = 4.0
    left_tail: list = field(default_factory=list)
    right_tail: list = field(default_factory=list)


@dataclass
class Spacer:
    height_mm: float


@dataclass
class Signature:
    """Signer's title, a handwritten mark, the name; optionally a red seal over the left part."""

    title: list[str]
    name: str
    seal_text: str | None = None
    size: float = 1.0


@dataclass
class Rule:
    width_mm: float


@dataclass
class PageBreak:
    pass


@dataclass
class Picture:
    """A ready-made picture (e.g. a card image) pasted into the flow; its text joins the page text."""

    make: Callable[[], Image.Image] | None  # called only when pixels are drawn
    size_px: tuple[int, int]
    text: list[str]
    align: str = "center"
    after_mm: float = 6.0


@dataclass
class Style:
    family: str
    size_pt: float = 13.0
    margins_mm: tuple[float, float, float, float] = (20.0, 15.0, 20.0, 30.0)  # top, right, bottom, left
    line_spacing: float = 1.28
    page_mm: tuple[float, float] = A4_MM
    background: tuple[int, int, int] = (255, 255, 255)
    border: bool = False  # decorative certificate frame
    ornaments: bool = True  # dotted leaders, signatures and seals (off only to check text placement)


# --------------------------------------------------------------------------- layout


@dataclass
class LaidPage:
    """Positioned draw operations of one page and its text lines in reading order."""

    size_px: tuple[int, int]
    ops: list[tuple] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    style: Style | None = None
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # pixel box of each line (x0, y0, x1, y1)

    @property
    def text(self) -> str:
        return unicodedata.normalize("NFC", "\n".join(line for line in self.lines if line.strip()))


def _tokens(runs: list[Run]) -> list[tuple[str, bool, bool]]:
    out = []
    for run in runs:
        for word in unicodedata.normalize("NFC", run.text).split():
            out.append((word, run.bold, run.italic))
    return out


class _Flow:
    def __init__(self, style: Style, x0: int, x1: int, y: int) -> None:
        self.style, self.x0, self.x1, self.y = style, x0, x1, y
        self.ops: list[tuple] = []
        self.lines: list[str] = []
        self.boxes: list[tuple[int, int, int, int]] = []

    def px(self, size: float) -> int:
        return pt(self.style.size_pt * size)

    def line_h(self, size: float) -> int:
        return int(self.px(size) * self.style.line_spacing)

    def para(self, p: Para, skip: int = 0, limit: int | None = None) -> int:
        """Place the paragraph's lines from `skip` on; stop before crossing `limit` (a page foot).

        Returns how many lines are still to place (0 when the paragraph is done)."""
        if skip == 0:
            self.y += mm(p.before_mm)
        px = self.px(p.size)
        x_left = self.x0 + mm(p.indent_mm)
        width = self.x1 - x_left
        tokens = _tokens(p.runs)
        if not tokens:
            self.y += self.line_h(p.size) + mm(p.after_mm)
            return 0
        if p.fit:
            while px > 10 and self._width(tokens, px) > width:
                px -= 2
            lines = [tokens]
        else:
            lines = self._wrap(tokens, px, width, mm(p.first_indent_mm))
        lh = int(px * self.style.line_spacing)
        for i, line in enumerate(lines):
            if i < skip:
                continue
            if limit is not None and i > skip and self.y + lh > limit:
                return len(lines) - i
            indent = mm(p.first_indent_mm) if i == 0 else 0
            line_w = self._width(line, px)
            avail = width - indent
            if p.align == "center":
                x = x_left + (width - line_w) // 2
            elif p.align == "right":
                x = x_left + width - line_w
            else:
                x = x_left + indent
            gap = self._space(px)
            if p.align == "justify" and i < len(lines) - 1 and len(line) > 1:
                gap = gap + (avail - line_w) / (len(line) - 1)
            cx = float(x)
            for word, bold, italic in line:
                self.ops.append(("text", int(round(cx)), self.y, word, self.style.family, px, bold, italic))
                cx += text_width(self.style.family, px, bold, italic, word) + gap
            if p.leader and i == len(lines) - 1:
                self.ops.append(("dots", int(cx) + px // 4, self.x1, self.y, self.style.family, px))
            self.lines.append(" ".join(w for w, _, _ in line))
            self.boxes.append((int(x), self.y, int(cx), self.y + lh))
            self.y += lh
        if p.upper_rule_mm:
            half = mm(p.upper_rule_mm) // 2
            mid = (x_left + self.x1) // 2
            self.ops.append(("line", mid - half, self.y + mm(0.5), mid + half, self.y + mm(0.5), 4))
            self.y += mm(2)
        self.y += mm(p.after_mm)
        return 0

    def _space(self, px: int) -> float:
        return text_width(self.style.family, px, False, False, " ")

    def _width(self, tokens: list[tuple[str, bool, bool]], px: int) -> float:
        total = sum(text_width(self.style.family, px, b, i, w) for w, b, i in tokens)
        return total + self._space(px) * max(0, len(tokens) - 1)

    def _wrap(self, tokens, px: int, width: int, first_indent: int) -> list[list]:
        lines, current, cur_w = [], [], 0.0
        space = self._space(px)
        avail = width - first_indent
        for tok in tokens:
            w = text_width(self.style.family, px, tok[1], tok[2], tok[0])
            add = w if not current else space + w
            if current and cur_w + add > avail:
                lines.append(current)
                current, cur_w, avail = [tok], w, width
            else:
                current.append(tok)
                cur_w += add
        if current:
            lines.append(current)
        return lines


def layout(blocks: list, style: Style, page_number: str | None = None) -> list[LaidPage]:
    """Flow blocks onto pages; `page_number` like 'Trang {i}/{n}' is added at each page foot."""
    w_px, h_px = mm(style.page_mm[0]), mm(style.page_mm[1])
    top, right, bottom, left = (mm(v) for v in style.margins_mm)
    pages: list[LaidPage] = []
    flow = _Flow(style, left, w_px - right, top)

    def finish() -> None:
        pages.append(LaidPage((w_px, h_px), flow.ops, flow.lines, style, flow.boxes))

    def new_page() -> _Flow:
        finish()
        return _Flow(style, left, w_px - right, top)

    limit = h_px - bottom - (mm(10) if page_number else 0)
    for block in blocks:
        if isinstance(block, PageBreak):
            flow = new_page()
            continue
        height = _measure(block, style, w_px - right - left)
        if isinstance(block, Para) and not block.fit and flow.y + height > limit:
            # a long paragraph continues on the next page, line by line
            total = _line_count(block, style, w_px - right - left)
            remaining = flow.para(block, 0, limit)
            while remaining:
                flow = new_page()
                remaining = flow.para(block, total - remaining, limit)
            continue
        if flow.y + height > limit and (flow.ops or flow.lines):
            flow = new_page()
        _place(flow, block)
    finish()
    if page_number and len(pages) > 1:
        for i, page in enumerate(pages, start=1):
            f = _Flow(style, left, w_px - right, h_px - bottom - mm(6))
            f.para(Para([Run(page_number.format(i=i, n=len(pages)), italic=True)], align="center", size=0.85))
            page.ops.extend(f.ops)
            page.lines.extend(f.lines)
            page.boxes.extend(f.boxes)
    return pages


def _line_count(block: Para, style: Style, width: int) -> int:
    probe = _Flow(style, 0, width, 0)
    probe.para(block)
    return len(probe.lines)


def _measure(block, style: Style, width: int) -> int:
    probe = _Flow(style, 0, width, 0)
    _place(probe, block)
    return probe.y


def _tails_last(left: list, right: list, heads: tuple[int, int]) -> list:
    """Left column's head, right column's head, then the left tail and the right tail."""
    return left[:heads[0]] + right[:heads[1]] + left[heads[0]:] + right[heads[1]:]


def _place(flow: _Flow, block) -> None:
    if isinstance(block, Para):
        flow.para(block)
    elif isinstance(block, Spacer):
        flow.y += mm(block.height_mm)
    elif isinstance(block, Rule):
        mid = (flow.x0 + flow.x1) // 2
        flow.y += mm(1)
        flow.ops.append(("line", mid - mm(block.width_mm) // 2, flow.y, mid + mm(block.width_mm) // 2, flow.y, 4))
        flow.y += mm(3)
    elif isinstance(block, Columns):
        split = flow.x0 + int((flow.x1 - flow.x0) * block.split)
        gap = mm(block.gap_mm) // 2
        left = _Flow(flow.style, flow.x0, split - gap, flow.y)
        right = _Flow(flow.style, split + gap, flow.x1, flow.y)
        for sub in block.left:
            _place(left, sub)
        for sub in block.right:
            _place(right, sub)
        heads = len(left.lines), len(right.lines)
        for sub in block.left_tail:
            _place(left, sub)
        for sub in block.right_tail:
            _place(right, sub)
        flow.ops += left.ops + right.ops
        flow.lines += _tails_last(left.lines, right.lines, heads)
        flow.boxes += _tails_last(left.boxes, right.boxes, heads)
        flow.y = max(left.y, right.y)
    elif isinstance(block, Signature):
        for line in block.title:
            flow.para(Para([Run(line, bold=True)], align="center", size=block.size, after_mm=0))
        box_top = flow.y
        flow.y += mm(24)
        mid = (flow.x0 + flow.x1) // 2
        flow.ops.append(("signature", mid - mm(18), box_top + mm(4), mid + mm(22), box_top + mm(20)))
        if block.seal_text:
            flow.ops.append(("seal", mid - mm(21), box_top + mm(11), mm(17), block.seal_text))
        flow.para(Para([Run(block.name, bold=True)], align="center", size=block.size))
    elif isinstance(block, Picture):
        w, h = block.size_px
        x = (flow.x0 + flow.x1 - w) // 2 if block.align == "center" else flow.x0
        flow.ops.append(("picture", x, flow.y, block.make))
        flow.lines.extend(block.text)
        flow.boxes.extend([(x, flow.y, x + w, flow.y + h)] * len(block.text))
        flow.y += h + mm(block.after_mm)
    else:  # pragma: no cover - programming error
        raise TypeError(f"unknown block {type(block).__name__}")


# --------------------------------------------------------------------------- drawing


def draw(page: LaidPage, rng: np.random.Generator) -> Image.Image:
    """Paint a laid-out page (RGB, 300 dpi). Seals are multiplied over the text like real ink."""
    style = page.style
    img = Image.new("RGB", page.size_px, style.background if style else (255, 255, 255))
    d = ImageDraw.Draw(img)
    if style and style.border:
        w, h = page.size_px
        for k, width in ((mm(6), 10), (mm(8), 3)):
            d.rectangle([k, k, w - k, h - k], outline=(150, 40, 40), width=width)
    overlays = []
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _, x, y, word, family, px, bold, italic = op
            d.text((x, y), word, font=get_font(family, px, bold, italic), fill=INK)
        elif kind == "dots" and style is not None and style.ornaments:
            _, x0, x1, y, family, px = op  # a leader is a row of the font's full stops, as on printed forms
            font = get_font(family, px)
            count = int((x1 - x0) / font.getlength("."))
            if count > 0:
                d.text((x1 - font.getlength("." * count), y), "." * count, font=font, fill=INK)
        elif kind == "line":
            _, x0, y0, x1, y1, width = op
            d.line([x0, y0, x1, y1], fill=INK, width=width)
        elif kind == "picture":
            _, x, y, make = op
            if make is not None:
                img.paste(make(), (x, y))
        elif kind == "signature":
            overlays.append(("signature", op))
        elif kind == "seal":
            overlays.append(("seal", op))
    if style is not None and not style.ornaments:
        overlays = []
    if not overlays:
        return img
    arr = np.asarray(img).astype(np.float32)
    for kind, op in overlays:
        if kind == "signature":
            x0, y0, patch = signature_patch(op[1:5], rng)
        else:
            x0, y0, patch = seal_patch(op[1], op[2], op[3], op[4], rng)
        _multiply(arr, x0, y0, patch)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _multiply(arr: np.ndarray, x0: int, y0: int, patch: np.ndarray) -> None:
    """Ink over ink: multiply a [0, 1] RGB patch into the page at (x0, y0), clipped to the page."""
    h, w = arr.shape[:2]
    ph, pw = patch.shape[:2]
    xa, ya, xb, yb = max(0, x0), max(0, y0), min(w, x0 + pw), min(h, y0 + ph)
    if xb > xa and yb > ya:
        arr[ya:yb, xa:xb] *= patch[ya - y0:yb - y0, xa - x0:xb - x0]


def signature_patch(box: tuple[int, int, int, int], rng: np.random.Generator) -> tuple[int, int, np.ndarray]:
    """A handwritten-looking stroke in blue ink (white elsewhere, for multiply blending)."""
    x0, y0, x1, y1 = box
    pad = 10
    layer = Image.new("RGB", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), (255, 255, 255))
    d = ImageDraw.Draw(layer)
    n = 60
    t = np.linspace(0, 1, n)
    freq = rng.uniform(2.5, 5.0)
    xs = pad + (x1 - x0) * t
    ys = pad + (y1 - y0) / 2 + (y1 - y0) * 0.35 * np.sin(2 * math.pi * freq * t + rng.uniform(0, 6)) * (1 - 0.5 * t)
    d.line([(float(x), float(y)) for x, y in zip(xs, ys)], fill=SIGN_BLUE, width=5, joint="curve")
    d.line([(pad + (x1 - x0) * 0.2, pad + y1 - y0), (pad + x1 - x0, pad + (y1 - y0) * 0.3)], fill=SIGN_BLUE, width=4)
    return x0 - pad, y0 - pad, np.asarray(layer).astype(np.float32) / 255.0


def seal_patch(cx: int, cy: int, radius: int, text: str, rng: np.random.Generator) -> tuple[int, int, np.ndarray]:
    """A round red seal: two rings, the issuer's name around the edge, a star in the centre."""
    box = 2 * radius + 20
    seal = Image.new("L", (box, box), 0)
    d = ImageDraw.Draw(seal)
    c = box // 2
    d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=9)
    r2 = int(radius * 0.66)
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=5)
    star = [(c + r2 * 0.6 * math.cos(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
             c - r2 * 0.6 * math.sin(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    d.polygon(star, fill=255)
    font = get_font("DejaVu Sans", max(18, radius // 6), True)
    chars = list(unicodedata.normalize("NFC", text.upper()))
    span = math.radians(min(300, 14 * len(chars)))
    r_text = (radius + r2) / 2
    for k, ch in enumerate(chars):
        ang = math.pi / 2 + span / 2 - span * (k + 0.5) / len(chars)
        tile = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(tile).text((font.size, font.size), ch, font=font, fill=255, anchor="mm")
        tile = tile.rotate(math.degrees(ang) - 90, resample=Image.BICUBIC)
        px, py = c + r_text * math.cos(ang), c - r_text * math.sin(ang)
        seal.paste(255, (int(px - font.size), int(py - font.size)), tile)
    seal = seal.rotate(float(rng.uniform(-25, 25)), resample=Image.BICUBIC)
    strength = rng.uniform(0.7, 0.95)
    alpha = (np.asarray(seal).astype(np.float32) / 255.0) * strength
    # uneven ink: some parts of the stamp print lighter
    alpha *= rng.uniform(0.75, 1.0, size=alpha.shape).astype(np.float32) ** 0.5
    a = alpha[..., None]
    red = np.array(SEAL_RED, dtype=np.float32) / 255.0
    return cx - c, cy - c, (1 - a) + red * a


def qr_like(size_px: int, rng: np.random.Generator) -> Image.Image:
    """A QR-looking module grid with three finder patterns (not decodable; cards carry one)."""
    n = 29
    cells = rng.integers(0, 2, size=(n, n)).astype(np.uint8)
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        cells[r0:r0 + 7, c0:c0 + 7] = 1
        cells[r0 + 1:r0 + 6, c0 + 1:c0 + 6] = 0
        cells[r0 + 2:r0 + 5, c0 + 2:c0 + 5] = 1
    img = Image.fromarray(((1 - cells) * 255).astype(np.uint8), "L").resize((size_px, size_px), Image.NEAREST)
    return img.convert("RGB")


def portrait(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """A grey head-and-shoulders silhouette on a light blue ground, as an ID photo box."""
    w, h = size
    img = Image.new("RGB", size, (206, 222, 238))
    d = ImageDraw.Draw(img)
    tone = int(rng.integers(70, 120))
    d.ellipse([w * 0.28, h * 0.12, w * 0.72, h * 0.58], fill=(tone + 60, tone + 40, tone + 30))
    d.ellipse([w * 0.25, h * 0.08, w * 0.75, h * 0.3], fill=(tone - 50, tone - 50, tone - 45))
    d.pieslice([w * 0.05, h * 0.6, w * 0.95, h * 1.4], 180, 360, fill=(tone - 30, tone - 20, tone))
    return img

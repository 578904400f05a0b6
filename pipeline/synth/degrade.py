"""Degradations that turn a clean 300-dpi page into what a counter actually scans or photographs.

Each degradation is one small function of an image and its parameters; `degrade` draws the
parameters for a named level from an rng and records every one of them in an info dict, so a
benchmark can say which defect a page carried and a test can undo a known rotation or skew.

Conventions (shared with preprocessing):
- `rotation` is the clockwise quarter-turn of the content as it appears (90: the top of the text
  points right); undo it with a counter-clockwise turn.
- `skew` is in degrees, positive = content turned counter-clockwise; undo with the opposite turn.
- `dpi` is the resolution of the page in the output (for photos: the effective resolution of the
  page inside the photo); the input is assumed to be 300 dpi.
- `jpeg_quality` is the JPEG quality already applied to the pixels (None = none): a writer that
  saves the result as JPEG should use that quality, so the file is not compressed twice.
- Other info keys: `level`, `variant` (scan / photo / photocopy), `blur`, `motion_blur`, `noise`,
  `lighting`, `shadow`, `glare`, `exposure`, `color_cast`, `bilevel` (threshold of a 1-bit scan),
  `photocopy` (contrast, speckle, toner_loss, edge_shadow), `punch_holes`, `fold`, `bulge`,
  `stamp` (kind seal / received / certified_copy, centre in source pixels), `background`,
  `perspective`, `margin`, `page_corners` (photos: tl, tr, br, bl in output pixels), `size`.
- A stamp's text is never part of the page's truth text (the real references do not transcribe
  stamps either).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LEVELS = ("clean", "office_scan", "photocopy", "phone_photo", "hard")

SOURCE_DPI = 300
A4_INCHES = (8.27, 11.69)  # width, height

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
)

# Rim texts of the seals: the issuers that stamp papers at a counter (Vietnamese, as printed).
SEAL_TEXTS = (
    "ỦY BAN NHÂN DÂN XÃ TAM HỢP * HUYỆN BÌNH XUYÊN",
    "ỦY BAN NHÂN DÂN PHƯỜNG LIÊN BẢO * TP VĨNH YÊN",
    "CÔNG AN TỈNH VĨNH PHÚC * PHÒNG CẢNH SÁT QLHC",
    "SỞ TƯ PHÁP * TỈNH VĨNH PHÚC",
    "ỦY BAN NHÂN DÂN HUYỆN TAM DƯƠNG * TỈNH VĨNH PHÚC",
    "PHÒNG CÔNG CHỨNG SỐ 1 * TỈNH VĨNH PHÚC",
    "BỆNH VIỆN ĐA KHOA TỈNH VĨNH PHÚC",
)

SEPARATOR_TEXT = "TÁCH HỒ SƠ"


# ----------------------------------------------------------------------------- helpers
@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def _smooth_noise(shape: tuple[int, int], cells: int, rng: np.random.Generator) -> np.ndarray:
    """Low-frequency noise in [0, 1]: a small random grid blown up with cubic interpolation."""
    h, w = shape
    gh = max(2, int(round(cells * h / max(h, w))) + 1)
    gw = max(2, int(round(cells * w / max(h, w))) + 1)
    grid = rng.random((gh, gw)).astype(np.float32)
    field = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    lo, hi = float(field.min()), float(field.max())
    return (field - lo) / (hi - lo + 1e-6)


def _to_uint8(a: np.ndarray) -> np.ndarray:
    """Round and clip a float working array to uint8, in place (the argument is consumed)."""
    if a.dtype.kind != "f":
        return np.clip(a, 0, 255).astype(np.uint8)
    np.rint(a, out=a)
    np.clip(a, 0, 255, out=a)
    return a.astype(np.uint8)


def _paper_color(image: np.ndarray) -> tuple[int, int, int]:
    """The page's background colour: the brightest common tone (used to fill exposed corners)."""
    small = image[:: max(1, image.shape[0] // 200), :: max(1, image.shape[1] // 200)].reshape(-1, 3)
    return tuple(int(v) for v in np.percentile(small, 90, axis=0))  # type: ignore[return-value]


def a4_size(dpi: float) -> tuple[int, int]:
    """(width, height) in pixels of an A4 page at `dpi`."""
    return int(round(A4_INCHES[0] * dpi)), int(round(A4_INCHES[1] * dpi))


# ----------------------------------------------------------------------------- geometry
def rotate_quarter(image: np.ndarray, rotation: int) -> np.ndarray:
    """Turn the page clockwise by 0/90/180/270 degrees (a page fed into the scanner the wrong way)."""
    if rotation % 90:
        raise ValueError(f"rotation must be a multiple of 90, got {rotation}")
    k = (rotation // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k=-k)) if k else image


def skew(image: np.ndarray, angle: float, fill: tuple[int, int, int] | None = None) -> np.ndarray:
    """Turn the content by `angle` degrees counter-clockwise on a same-size canvas (a page laid
    crooked on the scanner glass); exposed corners get `fill` (default: the paper colour)."""
    if abs(angle) < 1e-6:
        return image
    h, w = image.shape[:2]
    fill = fill if fill is not None else _paper_color(image)
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)  # positive = counter-clockwise
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=tuple(int(c) for c in fill))


def resample(image: np.ndarray, dpi: float, source_dpi: float = SOURCE_DPI) -> np.ndarray:
    """Rescale from `source_dpi` to `dpi` (scanner resolution setting)."""
    if abs(dpi - source_dpi) < 0.5:
        return image
    scale = dpi / source_dpi
    h, w = image.shape[:2]
    size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, size, interpolation=interp)


# ----------------------------------------------------------------------------- optics and sensor
def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian defocus / motion-free camera shake, sigma in output pixels."""
    if sigma <= 0:
        return image
    return cv2.GaussianBlur(image, (0, 0), sigmaX=sigma, sigmaY=sigma)


def motion_blur(image: np.ndarray, length: float, angle: float) -> np.ndarray:
    """Camera shake: a line kernel `length` pixels long at `angle` degrees."""
    if length < 1:
        return image
    size = int(math.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    dx, dy = math.cos(math.radians(angle)) * length / 2, -math.sin(math.radians(angle)) * length / 2
    cv2.line(kernel, (int(round(c - dx)), int(round(c - dy))), (int(round(c + dx)), int(round(c + dy))), 1.0, 1,
             lineType=cv2.LINE_AA)
    kernel /= kernel.sum()
    return cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REPLICATE)


def sensor_noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Additive Gaussian sensor noise (sigma in grey levels), partly shared across channels as a
    real sensor's luminance noise is."""
    if sigma <= 0:
        return image
    h, w = image.shape[:2]
    out = image.astype(np.float32)
    luma = rng.standard_normal((h, w, 1), dtype=np.float32)
    luma *= sigma * 0.8
    out += luma
    del luma
    for c in range(3):  # one channel at a time keeps a full-page float64 array out of memory
        chroma = rng.standard_normal((h, w), dtype=np.float32)
        chroma *= sigma * 0.45
        out[:, :, c] += chroma
    return _to_uint8(out)


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    """Encode and decode as JPEG at `quality` (blocking, ringing, chroma subsampling)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV always encodes a uint8 RGB array
        raise RuntimeError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def bilevel(image: np.ndarray, threshold: int) -> np.ndarray:
    """A scanner's black-and-white mode: 1-bit output (as most of the real government scans)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    bw = np.where(gray < threshold, 0, 255).astype(np.uint8)
    return np.repeat(bw[:, :, None], 3, axis=2)


def exposure(image: np.ndarray, black: float, white: float) -> np.ndarray:
    """Map ink and paper to `black` and `white` grey levels: a camera never sees black ink as 0
    nor paper as 255 under room light."""
    if black <= 0 and white >= 255:
        return image
    scale = (white - black) / 255.0
    return _to_uint8(image.astype(np.float32) * scale + black)


def color_cast(image: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    """White balance off (warm indoor light, cool daylight): per-channel gains."""
    return _to_uint8(image.astype(np.float32) * np.asarray(gains, np.float32))


# ----------------------------------------------------------------------------- lighting
def uneven_lighting(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Light falling off across the page: a linear gradient in a random direction plus a soft
    vignette; `strength` is the darkest loss of brightness (0 = none, 0.4 = 40 % darker)."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    theta = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xx /= max(w - 1, 1)
    yy /= max(h - 1, 1)
    ramp = (xx - 0.5) * math.cos(theta) + (yy - 0.5) * math.sin(theta)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min() + 1e-6)
    vignette = ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) * 2.0
    blotch = _smooth_noise((h, w), 3, rng)
    loss = 0.6 * ramp + 0.25 * vignette + 0.15 * blotch
    loss = loss / (loss.max() + 1e-6)
    gain = 1.0 - strength * loss
    return _to_uint8(image.astype(np.float32) * gain[:, :, None])


def glare(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A specular highlight (glossy or laminated paper under a lamp): an elliptic patch washed
    towards white by up to `strength` (0.5 = half-way to white), fading softly at its edge."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    f = 8
    sh, sw = max(2, h // f), max(2, w // f)
    cy, cx = rng.uniform(0.2, 0.8) * sh, rng.uniform(0.2, 0.8) * sw
    ry, rx = rng.uniform(0.08, 0.2) * sh, rng.uniform(0.1, 0.3) * sw
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
    small = np.exp(-d * 1.5).astype(np.float32)
    mask = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)[:, :, None] * strength
    out = image.astype(np.float32)
    out += (255.0 - out) * mask
    return _to_uint8(out)


def shadow(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A soft cast shadow (the phone or the hand holding it) entering from one edge: a blurred
    polygon that darkens by `strength` (0.5 = half the light) with a slightly blue tint."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    edge = int(rng.integers(0, 4))
    depth = rng.uniform(0.25, 0.6)
    a, b = sorted(rng.uniform(0.0, 1.0, 2))
    b = max(b, a + 0.35)
    # A quadrilateral hugging one edge, with a slanted inner side.
    inner_a, inner_b = depth * rng.uniform(0.6, 1.0), depth * rng.uniform(0.6, 1.0)
    if edge == 0:  # left
        pts = [(0, a * h), (inner_a * w, a * h), (inner_b * w, b * h), (0, b * h)]
    elif edge == 1:  # right
        pts = [(w, a * h), ((1 - inner_a) * w, a * h), ((1 - inner_b) * w, b * h), (w, b * h)]
    elif edge == 2:  # top
        pts = [(a * w, 0), (a * w, inner_a * h), (b * w, inner_b * h), (b * w, 0)]
    else:  # bottom
        pts = [(a * w, h), (a * w, (1 - inner_a) * h), (b * w, (1 - inner_b) * h), (b * w, h)]
    # Drawn and softened at 1/8 scale (a wide blur at full size is slow), then enlarged.
    f = 8
    small = np.zeros((max(2, h // f), max(2, w // f)), np.float32)
    cv2.fillPoly(small, [np.round(np.asarray(pts) / f).astype(np.int32)], 1.0)
    small = cv2.GaussianBlur(small, (0, 0), max(1.0, 0.04 * max(h, w) / f))
    mask = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    tint = np.asarray([1.0, 1.0, 1.08], np.float32)
    gain = 1.0 - strength * mask[:, :, None] * (2.0 - tint)
    return _to_uint8(image.astype(np.float32) * gain)


# ----------------------------------------------------------------------------- photocopy
def photocopy(image: np.ndarray, rng: np.random.Generator, *, contrast: float, speckle: float,
              toner_loss: float, edge_shadow: bool) -> np.ndarray:
    """A photocopy: grey, compressed contrast (grey paper, not-quite-black toner), black toner
    speckle (`speckle` = fraction of pixels), patchy toner loss (`toner_loss` = fraction of ink
    that fades) and, optionally, the dark band of a copier lid left open along one edge."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    h, w = gray.shape
    # Contrast loss: black -> ~40..70, white -> ~205..235.
    lo = 255.0 * (0.5 - 0.5 * contrast) * 0.55
    hi = 255.0 - 255.0 * (1.0 - contrast) * 0.35
    out = lo + gray * (hi - lo) / 255.0
    if toner_loss > 0:
        # Fades ink where a low-frequency field is high: streaks and patches, not single pixels.
        field = 0.7 * _smooth_noise((h, w), 12, rng) + 0.3 * _smooth_noise((h, w), 48, rng)
        cut = np.quantile(field, 1.0 - toner_loss)
        # At most 60 % of the ink goes: faded words stay readable to a person.
        fade = np.clip((field - cut) / 0.08, 0.0, 1.0) * 0.6
        out = out + (hi - out) * fade
    if speckle > 0:
        n = int(speckle * h * w)
        ys = rng.integers(0, h, n)
        xs = rng.integers(0, w, n)
        sizes = rng.integers(1, 3, n)
        for y, x, s in zip(ys, xs, sizes):
            out[y : y + s, x : x + s] = rng.uniform(20, 90)
    if edge_shadow:
        side = int(rng.integers(0, 4))
        band = int(rng.uniform(0.008, 0.025) * min(h, w)) + 2
        ramp = np.linspace(25, hi, band, dtype=np.float32)
        if side == 0:
            out[:, :band] = np.minimum(out[:, :band], ramp[None, :])
        elif side == 1:
            out[:, -band:] = np.minimum(out[:, -band:], ramp[::-1][None, :])
        elif side == 2:
            out[:band, :] = np.minimum(out[:band, :], ramp[:, None])
        else:
            out[-band:, :] = np.minimum(out[-band:, :], ramp[::-1][:, None])
    g = _to_uint8(out)
    return np.repeat(g[:, :, None], 3, axis=2)


# ----------------------------------------------------------------------------- seals
def seal_stamp(diameter: int, text: str, rng: np.random.Generator,
               color: tuple[int, int, int] = (210, 30, 40)) -> np.ndarray:
    """A round red seal as RGBA: two rims, the issuer's name around the rim, a star in the
    middle, with uneven ink (alpha varies) as a rubber stamp leaves it."""
    d = int(diameter)
    scale = 3  # draw large then shrink: smooth edges
    D = d * scale
    layer = Image.new("L", (D, D), 0)
    draw = ImageDraw.Draw(layer)
    c = D / 2.0
    r_out = c - 2 * scale
    rim = max(2, int(0.035 * D))
    draw.ellipse((c - r_out, c - r_out, c + r_out, c + r_out), outline=255, width=rim)
    r_in = r_out * 0.66
    draw.ellipse((c - r_in, c - r_in, c + r_in, c + r_in), outline=255, width=max(2, rim // 2))
    # Star.
    r_star, r_star_in = r_in * 0.42, r_in * 0.42 * 0.382
    pts = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rr = r_star if k % 2 == 0 else r_star_in
        pts.append((c + rr * math.cos(ang), c + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)
    # Text around the rim, clockwise starting at the left, letters upright towards the centre.
    font_size = int((r_out - r_in) * 0.55)
    font = _font(font_size)
    r_text = (r_out + r_in) / 2.0
    chars = list(text)
    span = math.radians(320.0)
    start = math.radians(-90.0) - span / 2.0  # angle measured from +x, clockwise positive (y down)
    step = span / max(1, len(chars) - 1) if len(chars) > 1 else 0.0
    for i, ch in enumerate(chars):
        if ch == " ":
            continue
        ang = start + i * step
        glyph = Image.new("L", (font_size * 2, font_size * 2), 0)
        ImageDraw.Draw(glyph).text((font_size, font_size), ch, fill=255, font=font, anchor="mm")
        # Tangent direction: rotate so the letter's top points outward.
        rot = -math.degrees(ang) - 90.0
        glyph = glyph.rotate(rot, resample=Image.Resampling.BICUBIC, expand=False)
        gx = c + r_text * math.cos(ang) - glyph.width / 2.0
        gy = c + r_text * math.sin(ang) - glyph.height / 2.0
        layer.paste(255, (int(gx), int(gy)), glyph)
    alpha = np.asarray(layer.resize((d, d), Image.Resampling.LANCZOS), np.float32) / 255.0
    ink = 0.7 + 0.3 * _smooth_noise((d, d), 6, rng)  # uneven pressure
    grain = rng.uniform(0.8, 1.0, (d, d)).astype(np.float32)
    alpha = np.clip(alpha * ink * grain, 0.0, 1.0)
    rgba = np.zeros((d, d, 4), np.uint8)
    rgba[:, :, :3] = np.asarray(color, np.uint8)
    rgba[:, :, 3] = _to_uint8(alpha * 255.0)
    return rgba


def box_stamp(lines: tuple[str, ...], height: int, rng: np.random.Generator,
              color: tuple[int, int, int] = (200, 30, 45)) -> np.ndarray:
    """A rectangular rubber stamp as RGBA (the reception stamp "ĐẾN", "SAO Y BẢN CHÍNH"):
    a double frame around one to three lines, the first one large, with uneven ink."""
    scale = 3
    H = height * scale
    big, small = _font(int(H * 0.3)), _font(int(H * 0.15))
    widths = [big.getlength(lines[0])] + [small.getlength(t) for t in lines[1:]]
    W = int(max(widths) + H * 0.5)
    layer = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(layer)
    rim = max(2, int(H * 0.035))
    draw.rectangle((rim, rim, W - rim - 1, H - rim - 1), outline=255, width=rim)
    inset = rim * 3
    draw.rectangle((inset, inset, W - inset - 1, H - inset - 1), outline=255, width=max(1, rim // 2))
    if len(lines) == 1:
        draw.text((W / 2, H / 2), lines[0], fill=255, font=big, anchor="mm")
    else:
        draw.text((W / 2, H * 0.32), lines[0], fill=255, font=big, anchor="mm")
        for k, line in enumerate(lines[1:]):
            draw.text((W / 2, H * (0.6 + 0.18 * k)), line, fill=255, font=small, anchor="mm")
    w, h = max(1, W // scale), height
    alpha = np.asarray(layer.resize((w, h), Image.Resampling.LANCZOS), np.float32) / 255.0
    ink = 0.65 + 0.35 * _smooth_noise((h, w), 5, rng)
    alpha = np.clip(alpha * ink * rng.uniform(0.8, 1.0, (h, w)).astype(np.float32), 0.0, 1.0)
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[:, :, :3] = np.asarray(color, np.uint8)
    rgba[:, :, 3] = _to_uint8(alpha * 255.0)
    return rgba


def press_stamp(image: np.ndarray, rgba: np.ndarray, *, center: tuple[int, int], opacity: float,
                angle: float) -> np.ndarray:
    """Press an RGBA stamp onto the page centred at `center` (pixels), multiply-blended so black
    text under it stays black and paper takes the ink colour; `opacity` 0..1, turned by `angle`
    degrees counter-clockwise."""
    if angle:
        rgba = np.asarray(Image.fromarray(rgba, "RGBA").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True))
    h, w = image.shape[:2]
    sh, sw = rgba.shape[:2]
    x0, y0 = int(center[0] - sw // 2), int(center[1] - sh // 2)
    sx0, sy0 = max(0, -x0), max(0, -y0)
    x0c, y0c = max(0, x0), max(0, y0)
    x1c, y1c = min(w, x0 + sw), min(h, y0 + sh)
    if x1c <= x0c or y1c <= y0c:
        return image
    patch = rgba[sy0 : sy0 + (y1c - y0c), sx0 : sx0 + (x1c - x0c)].astype(np.float32)
    a = patch[:, :, 3:4] / 255.0 * opacity
    out = image.copy()
    region = out[y0c:y1c, x0c:x1c].astype(np.float32)
    multiplied = region * patch[:, :, :3] / 255.0
    out[y0c:y1c, x0c:x1c] = _to_uint8(region * (1 - a) + multiplied * a)
    return out


def red_stamp(image: np.ndarray, rng: np.random.Generator, *, center: tuple[int, int],
              diameter: int, opacity: float, angle: float, text: str) -> np.ndarray:
    """Press a round red seal (`seal_stamp`) onto the page at `center`: see `press_stamp`."""
    return press_stamp(image, seal_stamp(diameter, text, rng), center=center, opacity=opacity, angle=angle)


STAMP_KINDS = ("seal", "received", "certified_copy")
_STAMP_COLORS = {"red": (205, 30, 45), "purple": (90, 50, 160)}


def apply_stamp(image: np.ndarray, rng: np.random.Generator, params: dict[str, Any],
                center: tuple[int, int], source_dpi: float = SOURCE_DPI) -> np.ndarray:
    """Draw the stamp described by `params` (see `_stamp_params`) at `center`."""
    size = int(round(params["size_mm"] / 25.4 * source_dpi))
    if params["kind"] == "seal":
        rgba = seal_stamp(size, params["text"], rng, color=_STAMP_COLORS[params["color"]])
    else:
        rgba = box_stamp(tuple(params["lines"]), size, rng, color=_STAMP_COLORS[params["color"]])
    return press_stamp(image, rgba, center=center, opacity=params["opacity"], angle=params["angle"])


def _stamp_params(rng: np.random.Generator, opacity: float) -> dict[str, Any]:
    kind = str(rng.choice(STAMP_KINDS, p=[0.5, 0.25, 0.25]))
    params: dict[str, Any] = {"kind": kind, "opacity": opacity}
    if kind == "seal":
        params.update(size_mm=round(float(rng.uniform(34, 42)), 1), angle=round(float(rng.uniform(-25, 25)), 1),
                      text=str(rng.choice(SEAL_TEXTS)), color="red")
    elif kind == "received":
        day, month = int(rng.integers(1, 29)), int(rng.integers(1, 13))
        params.update(size_mm=round(float(rng.uniform(16, 22)), 1), angle=round(float(rng.uniform(-6, 6)), 1),
                      lines=["ĐẾN", f"Số: {int(rng.integers(1, 9999))}", f"Ngày: {day:02d}/{month:02d}/2024"],
                      color=str(rng.choice(["red", "purple"])))
    else:
        params.update(size_mm=round(float(rng.uniform(9, 13)), 1), angle=round(float(rng.uniform(-8, 8)), 1),
                      lines=[str(rng.choice(["SAO Y BẢN CHÍNH", "BẢN SAO", "SAO Y"]))],
                      color=str(rng.choice(["red", "purple"], p=[0.7, 0.3])))
    return params


def _ink_point(image: np.ndarray, rng: np.random.Generator) -> tuple[int, int] | None:
    """A random point on the page's text (so a stamp overlaps text), or None on a blank page."""
    step = 8
    gray = image[::step, ::step].mean(axis=2)
    ys, xs = np.nonzero(gray < 128)
    if len(ys) == 0:
        return None
    i = int(rng.integers(0, len(ys)))
    return int(xs[i] * step), int(ys[i] * step)


# ----------------------------------------------------------------------------- paper handling marks
def punch_holes(image: np.ndarray, rng: np.random.Generator, dpi: float = SOURCE_DPI) -> np.ndarray:
    """Two filing holes near the left edge, dark as a copier sees them through an open lid."""
    h, w = image.shape[:2]
    out = image.copy()
    radius = int(round(3.0 / 25.4 * dpi))
    x = int(round(rng.uniform(9, 13) / 25.4 * dpi))
    gap = int(round(80 / 25.4 * dpi))  # ISO 838: 80 mm between holes
    cy = h // 2 + int(rng.integers(-radius, radius + 1))
    g = int(rng.integers(20, 60))
    shade = (g, g, g)
    for y in (cy - gap // 2, cy + gap // 2):
        cv2.circle(out, (x, y), radius, shade, thickness=-1, lineType=cv2.LINE_AA)
    return out


def fold_crease(image: np.ndarray, rng: np.random.Generator, position: float, strength: float) -> np.ndarray:
    """A fold at `position` (fraction of the height), slightly slanted: a thin dark line with a
    soft shade on one side, as a letter folded in three shows when flattened again."""
    h, w = image.shape[:2]
    slope = rng.uniform(-0.01, 0.01)
    width = max(2.0, h * 0.01)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    d = ys - (position * h + slope * (xs - w / 2))
    gain = 1.0 - strength * np.exp(-(d**2) / 2.0) - 0.5 * strength * np.where(d > 0, np.exp(-d / (3 * width)), 0.0)
    return _to_uint8(image.astype(np.float32) * gain[:, :, None].astype(np.float32))


def bulge(image: np.ndarray, amplitude: float) -> np.ndarray:
    """A page that does not lie flat: text lines bow by up to `amplitude` (fraction of the page
    height) in the middle while the page edges stay straight (so the page corners do not move)."""
    if amplitude <= 0:
        return image
    h, w = image.shape[:2]
    xs = np.linspace(0, math.pi, w, dtype=np.float32)
    ys = np.linspace(0, math.pi, h, dtype=np.float32)
    dy = amplitude * h * np.sin(ys)[:, None] * np.sin(xs)[None, :]
    map_x = np.broadcast_to(np.arange(w, dtype=np.float32)[None, :], (h, w))
    map_y = (np.arange(h, dtype=np.float32)[:, None] - dy).astype(np.float32)
    return cv2.remap(image, np.ascontiguousarray(map_x), map_y, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


# ----------------------------------------------------------------------------- photo on a table
def background_texture(shape: tuple[int, int], kind: str, rng: np.random.Generator) -> np.ndarray:
    """A surface the page lies on: 'wood' grain, woven 'fabric', a plain 'table' laminate, or a
    'dark' desk; RGB uint8 of `shape` (h, w)."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.asarray(rng.choice([[150, 100, 60], [120, 80, 45], [175, 130, 85], [95, 60, 35]]), np.float32)
        warp = _smooth_noise((h, w), 4, rng) * rng.uniform(20, 60)
        period = rng.uniform(6, 14) * max(h, w) / 1000.0
        angle = rng.uniform(-0.3, 0.3)
        coord = xx * math.cos(angle) + yy * math.sin(angle)
        grain = 0.5 + 0.5 * np.sin((coord + warp * period) / period)
        fine = _smooth_noise((h, w), 120, rng)
        shade = 0.78 + 0.22 * grain * (0.7 + 0.3 * fine)
        out = base[None, None, :] * shade[:, :, None]
    elif kind == "fabric":
        base = np.asarray(rng.choice([[60, 70, 110], [120, 40, 45], [70, 100, 70], [150, 140, 120]]), np.float32)
        f = rng.uniform(0.35, 0.7)
        weave = 0.5 + 0.25 * np.sin(xx * f) * np.sign(np.sin(yy * f / 2)) + 0.25 * np.sin(yy * f)
        fuzz = _smooth_noise((h, w), 30, rng)
        shade = 0.75 + 0.2 * weave + 0.1 * fuzz
        out = base[None, None, :] * shade[:, :, None]
    elif kind == "dark":
        base = np.asarray(rng.choice([[40, 40, 45], [55, 45, 40], [30, 35, 30]]), np.float32)
        out = base[None, None, :] * (0.85 + 0.3 * _smooth_noise((h, w), 5, rng))[:, :, None]
    else:  # table laminate
        base = np.asarray(rng.choice([[200, 195, 185], [170, 170, 175], [215, 205, 180]]), np.float32)
        out = base[None, None, :] * (0.9 + 0.1 * _smooth_noise((h, w), 8, rng))[:, :, None]
    out += rng.normal(0, 4, (h, w, 1)).astype(np.float32)
    return _to_uint8(out)


BACKGROUNDS = ("wood", "fabric", "table", "dark")


def perspective_photo(image: np.ndarray, rng: np.random.Generator, *, dpi: float, tilt: float,
                      in_plane: float, margin: float, background: str,
                      source_dpi: float = SOURCE_DPI) -> tuple[np.ndarray, list[list[float]]]:
    """Photograph the page lying on a surface: scale to `dpi`, turn it by `in_plane` degrees
    (counter-clockwise), pull each corner inward by up to `tilt` (fraction of the page size: a
    phone held at an angle), and surround it with `margin` (fraction) of `background`.
    Returns the photo and the page's four corners in it (tl, tr, br, bl)."""
    h, w = image.shape[:2]
    s = dpi / source_dpi
    pw, ph = w * s, h * s
    # Corners of the page, centred at the origin, after in-plane rotation and perspective.
    corners = np.asarray([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]], np.float64)
    t = math.radians(in_plane)
    rot = np.asarray([[math.cos(t), math.sin(t)], [-math.sin(t), math.cos(t)]])  # CCW on screen (y down)
    corners = corners @ rot.T
    # Keystone: one side nearer the camera is wider; plus a small random jitter per corner.
    side = int(rng.integers(0, 4))
    squeeze = np.zeros((4, 2))
    inward = -corners / np.linalg.norm(corners, axis=1, keepdims=True)
    pair = [(0, 1), (1, 2), (2, 3), (3, 0)][side]
    for idx in pair:
        squeeze[idx] = inward[idx] * tilt * max(pw, ph)
    jitter = rng.uniform(-0.25, 0.25, (4, 2)) * tilt * max(pw, ph)
    corners = corners + squeeze + jitter
    minxy = corners.min(axis=0)
    span = corners.max(axis=0) - minxy
    pad = margin * max(pw, ph)
    out_w = int(math.ceil(span[0] + 2 * pad))
    out_h = int(math.ceil(span[1] + 2 * pad))
    offset = np.asarray([pad, pad]) - minxy
    corners = corners + offset
    src = np.asarray([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    homography = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    # Shrink first with area averaging so the warp does not alias thin strokes.
    if s < 1:
        small = cv2.resize(image, (max(1, int(round(pw))), max(1, int(round(ph)))), interpolation=cv2.INTER_AREA)
        src_small = np.asarray([[0, 0], [small.shape[1] - 1, 0], [small.shape[1] - 1, small.shape[0] - 1],
                                [0, small.shape[0] - 1]], np.float32)
        homography = cv2.getPerspectiveTransform(src_small, corners.astype(np.float32))
        image = small
    bg = background_texture((out_h, out_w), background, rng)
    warped = cv2.warpPerspective(image, homography, (out_w, out_h), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full(image.shape[:2], 255, np.uint8), homography, (out_w, out_h),
                               flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    # Soft contact shadow of the page on the surface.
    drop = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), max(2.0, 0.006 * max(out_w, out_h)))
    dx = dy = max(1, int(0.004 * max(out_w, out_h)))
    drop = np.roll(np.roll(drop, dy, axis=0), dx, axis=1)
    bg = _to_uint8(bg.astype(np.float32) * (1.0 - 0.35 * drop[:, :, None]))
    m = mask.astype(np.float32)[:, :, None] / 255.0
    photo = _to_uint8(warped.astype(np.float32) * m + bg.astype(np.float32) * (1 - m))
    return photo, [[float(x), float(y)] for x, y in corners]


# ----------------------------------------------------------------------------- special pages
def blank_page(rng: np.random.Generator, dpi: int = 300) -> np.ndarray:
    """An empty sheet as a scanner sees it: off-white paper, faint sensor noise, and sometimes
    faint bleed-through of the text printed on the back (mirrored lines, far below ink contrast)."""
    w, h = a4_size(dpi)
    tone = rng.uniform(238, 252)
    tint = np.asarray([1.0, rng.uniform(0.99, 1.0), rng.uniform(0.96, 1.0)], np.float32)
    page = np.full((h, w), tone, np.float32)
    page -= 4.0 * _smooth_noise((h, w), 4, rng)
    if rng.random() < 0.5:  # bleed-through: rows of faint dashes, like text seen through paper
        ghost = np.zeros((h, w), np.float32)
        line_h = max(2, int(dpi * 0.05))
        y = int(h * rng.uniform(0.08, 0.15))
        while y < h * 0.9:
            x = int(w * rng.uniform(0.1, 0.15))
            end = int(w * rng.uniform(0.6, 0.9))
            while x < end:
                word = int(rng.uniform(0.03, 0.12) * w)
                ghost[y : y + line_h, x : min(end, x + word)] = 1.0
                x += word + int(0.015 * w)
            y += int(line_h * rng.uniform(2.6, 3.4))
        ghost = cv2.GaussianBlur(ghost, (0, 0), max(1.0, dpi / 60.0))
        page -= rng.uniform(5, 12) * ghost
    page += rng.normal(0, rng.uniform(0.8, 2.0), (h, w)).astype(np.float32)
    rgb = page[:, :, None] * tint[None, None, :]
    return _to_uint8(rgb)


_CODE39 = {
    "0": "bwbWBwBwb", "1": "BwbWbwbwB", "2": "bwBWbwbwB", "3": "BwBWbwbwb", "4": "bwbWBwbwB",
    "5": "BwbWBwbwb", "6": "bwBWBwbwb", "7": "bwbWbwBwB", "8": "BwbWbwBwb", "9": "bwBWbwBwb",
    "A": "BwbwbWbwB", "B": "bwBwbWbwB", "C": "BwBwbWbwb", "D": "bwbwBWbwB", "E": "BwbwBWbwb",
    "F": "bwBwBWbwb", "G": "bwbwbWBwB", "H": "BwbwbWBwb", "I": "bwBwbWBwb", "J": "bwbwBWBwb",
    "K": "BwbwbwbWB", "L": "bwBwbwbWB", "M": "BwBwbwbWb", "N": "bwbwBwbWB", "O": "BwbwBwbWb",
    "P": "bwBwBwbWb", "Q": "bwbwbwBWB", "R": "BwbwbwBWb", "S": "bwBwbwBWb", "T": "bwbwBwBWb",
    "U": "BWbwbwbwB", "V": "bWBwbwbwB", "W": "BWBwbwbwb", "X": "bWbwBwbwB", "Y": "BWbwBwbwb",
    "Z": "bWBwBwbwb", "-": "bWbwbwBwB", ".": "BWbwbwBwb", " ": "bWBwbwBwb", "*": "bWbwBwBwb",
}


def code39_modules(data: str) -> list[tuple[bool, int]]:
    """Code 39 as (is_bar, width in modules) runs, start/stop '*' added, wide = 3 modules."""
    runs: list[tuple[bool, int]] = []
    for i, ch in enumerate(f"*{data.upper()}*"):
        for j, el in enumerate(_CODE39[ch]):
            runs.append((j % 2 == 0, 3 if el.isupper() else 1))
        if i < len(data) + 1:
            runs.append((False, 1))
    return runs


SEPARATOR_CODE = "SEP-HOSO"


def separator_sheet(rng: np.random.Generator, dpi: int = 300) -> np.ndarray:
    """A separator sheet put between dossiers: coloured paper or white paper with a Code 39
    barcode (data `SEPARATOR_CODE`), both printed with "TÁCH HỒ SƠ" in large capitals."""
    w, h = a4_size(dpi)
    coloured = rng.random() < 0.5
    if coloured:
        color = rng.choice([[250, 235, 140], [245, 190, 200], [170, 210, 240], [180, 230, 180], [250, 200, 150]])
    else:
        color = [250, 250, 248]
    img = Image.new("RGB", (w, h), tuple(int(c) for c in color))
    draw = ImageDraw.Draw(img)
    title = _font(int(dpi * 0.55))
    draw.text((w / 2, h * 0.32), SEPARATOR_TEXT, fill=(20, 20, 20), font=title, anchor="mm")
    small = _font(int(dpi * 0.16))
    draw.text((w / 2, h * 0.42), "Trang phân cách - không số hóa", fill=(40, 40, 40), font=small, anchor="mm")
    if not coloured or rng.random() < 0.5:
        runs = code39_modules(SEPARATOR_CODE)
        module = max(2, int(dpi / 75))
        total = sum(width for _, width in runs) * module
        x = (w - total) // 2
        top, bottom = int(h * 0.55), int(h * 0.55 + dpi * 0.8)
        for is_bar, width in runs:
            if is_bar:
                draw.rectangle((x, top, x + width * module - 1, bottom), fill=(0, 0, 0))
            x += width * module
        draw.text((w / 2, bottom + dpi * 0.15), f"*{SEPARATOR_CODE}*", fill=(0, 0, 0), font=small, anchor="mm")
    arr = np.asarray(img).astype(np.float32)
    arr += rng.normal(0, 1.5, arr.shape[:2] + (1,)).astype(np.float32)
    return _to_uint8(arr)


# ----------------------------------------------------------------------------- levels
def _pick_rotation(rng: np.random.Generator, p: float) -> int:
    """0 most of the time; with probability `p` a page fed the wrong way (180 most common)."""
    if rng.random() >= p:
        return 0
    return int(rng.choice([90, 180, 270], p=[0.3, 0.4, 0.3]))


def _params(level: str, rng: np.random.Generator) -> dict[str, Any]:
    """Draw the parameters of one level. Every key is recorded in the info dict."""
    p: dict[str, Any] = {
        "level": level, "dpi": 300, "rotation": 0, "skew": 0.0, "blur": 0.0, "noise": 0.0,
        "jpeg_quality": None, "lighting": 0.0, "shadow": 0.0, "background": None, "perspective": 0.0,
        "bilevel": None, "color_cast": None, "photocopy": None, "stamp": None, "variant": "scan",
        "punch_holes": False, "fold": None, "bulge": 0.0, "exposure": None, "glare": 0.0, "motion_blur": None,
    }
    if level == "clean":
        return p
    if level == "office_scan":
        p["rotation"] = _pick_rotation(rng, 0.08)
        p["skew"] = round(float(rng.uniform(-2.0, 2.0)), 2)
        p["dpi"] = int(rng.choice([200, 240, 300], p=[0.4, 0.2, 0.4]))
        p["blur"] = round(float(rng.uniform(0.0, 0.5)), 2)
        p["noise"] = round(float(rng.uniform(1.5, 4.0)), 2)
        if rng.random() < 0.3:
            p["bilevel"] = int(rng.integers(140, 185))
        elif rng.random() < 0.4:
            p["jpeg_quality"] = int(rng.integers(75, 92))
        if rng.random() < 0.25:
            p["stamp"] = _stamp_params(rng, round(float(rng.uniform(0.6, 0.9)), 2))
    elif level == "photocopy":
        p["rotation"] = _pick_rotation(rng, 0.1)
        p["skew"] = round(float(rng.uniform(-3.0, 3.0)), 2)
        p["dpi"] = int(rng.choice([200, 240, 300], p=[0.4, 0.2, 0.4]))
        p["blur"] = round(float(rng.uniform(0.3, 0.8)), 2)
        p["noise"] = round(float(rng.uniform(2.0, 5.0)), 2)
        p["photocopy"] = {
            "contrast": round(float(rng.uniform(0.7, 0.88)), 3),
            "speckle": round(float(rng.uniform(0.0003, 0.0015)), 5),
            "toner_loss": round(float(rng.uniform(0.05, 0.2)), 3),
            "edge_shadow": bool(rng.random() < 0.5),
        }
        p["punch_holes"] = bool(rng.random() < 0.35)
        if rng.random() < 0.2:
            p["fold"] = {"position": round(float(rng.choice([1 / 3, 2 / 3])), 4),
                         "strength": round(float(rng.uniform(0.05, 0.12)), 3)}
        if rng.random() < 0.3:
            p["jpeg_quality"] = int(rng.integers(60, 85))
        if rng.random() < 0.3:
            p["stamp"] = _stamp_params(rng, round(float(rng.uniform(0.6, 0.9)), 2))
    elif level == "phone_photo":
        p["variant"] = "photo"
        p["rotation"] = _pick_rotation(rng, 0.1)
        p["skew"] = round(float(rng.uniform(-4.0, 4.0)), 2)
        p["dpi"] = int(rng.integers(150, 201))
        p["perspective"] = round(float(rng.uniform(0.02, 0.06)), 3)
        p["background"] = str(rng.choice(BACKGROUNDS))
        p["margin"] = round(float(rng.uniform(0.04, 0.12)), 3)
        p["lighting"] = round(float(rng.uniform(0.25, 0.5)), 3)
        p["shadow"] = round(float(rng.uniform(0.2, 0.45)), 3) if rng.random() < 0.7 else 0.0
        p["exposure"] = [round(float(rng.uniform(35, 75)), 1), round(float(rng.uniform(215, 245)), 1)]
        if rng.random() < 0.25:
            p["glare"] = round(float(rng.uniform(0.3, 0.6)), 3)
        if rng.random() < 0.2:
            p["motion_blur"] = {"length": round(float(rng.uniform(2.0, 3.5)), 2),
                                "angle": round(float(rng.uniform(0, 180)), 1)}
        p["blur"] = round(float(rng.uniform(0.5, 1.1)), 2)
        p["noise"] = round(float(rng.uniform(3.0, 7.0)), 2)
        p["jpeg_quality"] = int(rng.integers(40, 71))
        p["color_cast"] = [round(float(g), 3) for g in (rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.85, 1.02))]
        p["bulge"] = round(float(rng.uniform(0.0, 0.008)), 4)
        if rng.random() < 0.3:
            p["fold"] = {"position": round(float(rng.choice([1 / 3, 2 / 3])), 4),
                         "strength": round(float(rng.uniform(0.08, 0.18)), 3)}
        if rng.random() < 0.3:
            p["stamp"] = _stamp_params(rng, round(float(rng.uniform(0.6, 0.9)), 2))
    elif level == "hard":
        p["variant"] = str(rng.choice(["photo", "photocopy"], p=[0.6, 0.4]))
        p["rotation"] = _pick_rotation(rng, 0.6)
        p["skew"] = round(float(rng.uniform(4.0, 8.0) * rng.choice([-1, 1])), 2)
        p["dpi"] = int(rng.integers(150, 181))
        p["jpeg_quality"] = int(rng.integers(35, 46))
        p["noise"] = round(float(rng.uniform(5.0, 9.0)), 2)
        p["blur"] = round(float(rng.uniform(0.7, 1.2)), 2)
        if p["variant"] == "photo":
            p["perspective"] = round(float(rng.uniform(0.05, 0.09)), 3)
            p["background"] = str(rng.choice(BACKGROUNDS))
            p["margin"] = round(float(rng.uniform(0.04, 0.1)), 3)
            p["lighting"] = round(float(rng.uniform(0.4, 0.55)), 3)
            p["shadow"] = round(float(rng.uniform(0.4, 0.6)), 3)
            p["exposure"] = [round(float(rng.uniform(55, 85)), 1), round(float(rng.uniform(205, 235)), 1)]
            if rng.random() < 0.3:
                p["glare"] = round(float(rng.uniform(0.4, 0.65)), 3)
            p["color_cast"] = [round(float(g), 3) for g in (rng.uniform(0.95, 1.08), 1.0, rng.uniform(0.8, 0.95))]
            p["bulge"] = round(float(rng.uniform(0.004, 0.012)), 4)
        else:
            p["photocopy"] = {
                "contrast": round(float(rng.uniform(0.6, 0.72)), 3),
                "speckle": round(float(rng.uniform(0.0015, 0.003)), 5),
                "toner_loss": round(float(rng.uniform(0.1, 0.2)), 3),
                "edge_shadow": True,
            }
            p["lighting"] = round(float(rng.uniform(0.1, 0.2)), 3)
            p["punch_holes"] = bool(rng.random() < 0.5)
        if rng.random() < 0.4:
            p["fold"] = {"position": round(float(rng.choice([1 / 3, 2 / 3])), 4),
                         "strength": round(float(rng.uniform(0.1, 0.2)), 3)}
        if rng.random() < 0.6:
            p["stamp"] = _stamp_params(rng, round(float(rng.uniform(0.75, 0.95)), 2))
    else:
        raise ValueError(f"unknown degradation level {level!r}; expected one of {LEVELS}")
    return p


def degrade(image: np.ndarray, level: str, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """Degrade a clean RGB uint8 page rendered at 300 dpi to `level` (one of LEVELS).

    Returns the RGB uint8 result and an info dict with every parameter used (JSON-serialisable).
    Deterministic for a given rng state.
    """
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an RGB uint8 image, got dtype={image.dtype} shape={image.shape}")
    p = _params(level, rng)
    out = image
    # 1. On the paper itself: a stamp over the text, a fold, before anything is scanned.
    if p["stamp"] is not None:
        point = _ink_point(out, rng)
        if point is None:
            p["stamp"] = None
        else:
            p["stamp"]["center"] = [point[0], point[1]]
            out = apply_stamp(out, rng, p["stamp"], point)
    if p["fold"] is not None:
        out = fold_crease(out, rng, p["fold"]["position"], p["fold"]["strength"])
    # 2. A photocopy is a new paper: copy first, then it is scanned or photographed.
    if p["photocopy"] is not None:
        pc = p["photocopy"]
        out = photocopy(out, rng, contrast=pc["contrast"], speckle=pc["speckle"],
                        toner_loss=pc["toner_loss"], edge_shadow=pc["edge_shadow"])
        if p["punch_holes"]:
            out = punch_holes(out, rng)
    # 3. The page put the wrong way round.
    out = rotate_quarter(out, p["rotation"])
    if p["variant"] == "photo":
        out = bulge(out, p["bulge"])
        if p["exposure"] is not None:
            out = exposure(out, *p["exposure"])
        out, corners = perspective_photo(out, rng, dpi=p["dpi"], tilt=p["perspective"], in_plane=p["skew"],
                                         margin=p["margin"], background=p["background"])
        p["page_corners"] = [[round(x, 1), round(y, 1)] for x, y in corners]
        out = uneven_lighting(out, p["lighting"], rng)
        out = shadow(out, p["shadow"], rng)
        out = glare(out, p["glare"], rng)
        if p["color_cast"] is not None:
            out = color_cast(out, tuple(p["color_cast"]))
    else:
        out = skew(out, p["skew"])
        out = resample(out, p["dpi"])
        out = uneven_lighting(out, p["lighting"], rng)
    out = blur(out, p["blur"])
    if p["motion_blur"] is not None:
        out = motion_blur(out, p["motion_blur"]["length"], p["motion_blur"]["angle"])
    out = sensor_noise(out, p["noise"], rng)
    if p["bilevel"] is not None:
        out = bilevel(out, p["bilevel"])
    if p["jpeg_quality"] is not None:
        out = jpeg(out, p["jpeg_quality"])
    p["size"] = [int(out.shape[1]), int(out.shape[0])]
    return out, p

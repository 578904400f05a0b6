"""Assemble synthetic dossiers as a counter produces them: a manifest, mixed scan files (multi-page
PDFs from the counter scanner, phone photos of the ID card, PNG/TIFF scans) and a truth file.

Deterministic for a seed: every random choice comes from numpy generators seeded by
(seed, dossier, file), and file writers carry no dates, so the same seed gives the same bytes.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.domain.papers import PaperType
from pipeline.synth import card, papers
from pipeline.synth.papers import Context, Paper, make_agency, make_business, make_land
from pipeline.synth.people import PLACES, Family, make_family, make_person, pick, random_date
from pipeline.synth.render import DPI, SERIF_FONTS, LaidPage, Style, available_fonts, draw, layout

T = PaperType
LEVELS_FALLBACK = ("clean", "office_scan", "photocopy", "phone_photo", "hard")
CARD_PHOTO_SCALE = 2  # card photos are drawn at 600 dpi: a phone fills its frame with the card
COUNTER_SCAN_DPI = 200  # Decree 30/2020 minimum and the usual counter-scanner setting (as the real scans)


def _degrade_module():
    from pipeline.synth import degrade  # written alongside; imported lazily so content code runs without it

    return degrade


def levels() -> tuple[str, ...]:
    try:
        return tuple(_degrade_module().LEVELS)
    except ImportError:  # pragma: no cover - only before degrade.py exists
        return LEVELS_FALLBACK


# ----------------------------------------------------------------------- procedures


@dataclass(frozen=True)
class Procedure:
    code: str  # mã TTHC as on the national procedure database (illustrative set)
    name: str
    level: str
    components: tuple[tuple[PaperType, str], ...]
    optional: tuple[tuple[PaperType, str], ...] = ()
    result: tuple[PaperType, str] | None = None
    department: str = "SỞ TƯ PHÁP"


PROCEDURES: tuple[Procedure, ...] = (
    Procedure("1.001193", "Đăng ký khai sinh", "xa",
              ((T.TO_KHAI, "khai_sinh"), (T.GIAY_CHUNG_SINH, ""), (T.CCCD, "applicant")),
              ((T.GIAY_CHUNG_NHAN_KET_HON, ""), (T.KHAC, "so_ho_khau")), (T.GIAY_KHAI_SINH, "")),
    Procedure("1.000894", "Đăng ký kết hôn", "xa",
              ((T.TO_KHAI, "ket_hon"), (T.CCCD, "applicant"), (T.CCCD, "spouse"),
               (T.XAC_NHAN_TINH_TRANG_HON_NHAN, "spouse")),
              ((T.KHAC, "bien_lai"),), (T.GIAY_CHUNG_NHAN_KET_HON, "")),
    Procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "xa",
              ((T.TO_KHAI, "tthn"), (T.CCCD, "applicant")),
              ((T.KHAC, "so_ho_khau"), (T.GIAY_KHAI_SINH, "")), (T.XAC_NHAN_TINH_TRANG_HON_NHAN, "")),
    Procedure("2.001035", "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất", "xa",
              ((T.TO_KHAI, "chung_thuc"), (T.HOP_DONG, "chuyen_nhuong"), (T.GIAY_CHUNG_NHAN_QSDD, ""),
               (T.CCCD, "applicant"), (T.CCCD, "seller")),
              ((T.GIAY_UY_QUYEN, ""),), None),
    Procedure("1.004227", "Đăng ký biến động đất đai", "huyen",
              ((T.TO_KHAI, "bien_dong_dat"), (T.HOP_DONG, "chuyen_nhuong"), (T.GIAY_CHUNG_NHAN_QSDD, ""),
               (T.CCCD, "applicant")),
              ((T.GIAY_UY_QUYEN, ""), (T.VAN_BAN_HANH_CHINH, "thong_bao"), (T.KHAC, "bien_lai")),
              (T.GIAY_CHUNG_NHAN_QSDD, "")),
    Procedure("2.000720", "Đăng ký thành lập hộ kinh doanh", "huyen",
              ((T.TO_KHAI, "ho_kinh_doanh"), (T.CCCD, "applicant"), (T.HOP_DONG, "thue_nha")),
              ((T.GIAY_UY_QUYEN, ""),), (T.DANG_KY_KINH_DOANH, "")),
    Procedure("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "huyen",
              ((T.CCCD, "applicant"), (T.BANG_CAP, ""), (T.GIAY_KHAI_SINH, "")),
              ((T.GIAY_CHUNG_NHAN_KET_HON, ""), (T.DANG_KY_KINH_DOANH, "")), None),
    Procedure("1.002256", "Cấp Chứng chỉ hành nghề dược", "tinh",
              ((T.TO_KHAI, "chung_chi"), (T.BANG_CAP, ""), (T.CCCD, "applicant"), (T.KHAC, "kham_suc_khoe")),
              ((T.VAN_BAN_HANH_CHINH, "cong_van"),), (T.VAN_BAN_HANH_CHINH, "quyet_dinh"), department="SỞ Y TẾ"),
)


# ----------------------------------------------------------------------- building papers


def _context(rng: np.random.Generator, proc: Procedure | None, received: date, family: Family | None = None) -> Context:
    pick(rng, sorted(PLACES))  # an unused draw, kept so that a seed keeps giving the committed samples
    fam = make_family(rng, applicant_place=None)  # drawn even for a returning applicant: same draws after it
    fam = family or fam
    place = fam.applicant.residence  # the agency sits where the applicant lives
    hoa_style = "Ủ" if rng.random() < 0.7 else "Uỷ"
    level = proc.level if proc else pick(rng, ("xa", "huyen", "tinh"))
    agency = make_agency(level, place, hoa_style, proc.department if proc else "SỞ TƯ PHÁP")
    seller = make_person(rng, born_between=(date(1950, 1, 1), date(1985, 12, 31)))
    land = make_land(rng, seller, place)
    business = make_business(rng, fam.applicant, place)
    return Context(family=fam, agency=agency, when=received, hoa="HÒA" if rng.random() < 0.75 else "HOÀ",
                   procedure=proc.name if proc else "Đăng ký khai sinh", land=land, business=business)


def build_paper(ptype: PaperType, variant: str, ctx: Context, rng: np.random.Generator) -> Paper:
    fam: Family = ctx.family
    if ptype == T.CCCD:
        person = {"spouse": fam.spouse, "seller": ctx.land["owner"]}.get(variant, fam.applicant)
        side = variant if variant in ("front", "back") else "both"
        return papers.cccd(ctx, rng, person=person, side=side)
    if ptype == T.XAC_NHAN_TINH_TRANG_HON_NHAN:
        return papers.xac_nhan_tthn(ctx, rng, person=fam.spouse if variant == "spouse" else None)
    if ptype == T.GIAY_CHUNG_NHAN_QSDD and variant == "result":
        land = dict(ctx.land)
        land.update(owner=fam.applicant, serial=f"{pick(rng, ('DĐ', 'DG', 'DK'))} {int(rng.integers(100000, 999999))}",
                    register_number=f"CS {int(rng.integers(100, 99999)):05d}", issued_on=ctx.when + timedelta(days=20))
        return papers.giay_chung_nhan_qsdd(replace(ctx, land=land), rng)
    builder = papers.BUILDERS[ptype]
    kinds = {T.TO_KHAI: papers.TO_KHAI_KINDS, T.HOP_DONG: papers.HOP_DONG_KINDS, T.VAN_BAN_HANH_CHINH:
             papers.VAN_BAN_KINDS, T.KHAC: papers.KHAC_KINDS}
    if ptype in kinds:
        kind = variant if variant in kinds[ptype] else pick(rng, kinds[ptype])
        return builder(ctx, rng, kind=kind)
    return builder(ctx, rng)


def _choose_font(paper: Paper, rng: np.random.Generator, fonts: Sequence[str] | None) -> str:
    pool = list(fonts) if fonts else available_fonts()
    if paper.serif and not fonts:
        pool = [f for f in pool if f in SERIF_FONTS] or pool
    return pick(rng, pool)


@dataclass
class PageSpec:
    """One laid-out page of a paper (or a card side), ready to draw."""

    paper: Paper
    laid: LaidPage | None
    text: str
    font: str
    index_in_paper: int
    pages_in_paper: int
    card_hoa: str = "HÒA"


def lay_out_paper(paper: Paper, ctx: Context, font: str, rng: np.random.Generator) -> list[PageSpec]:
    if paper.card_side:
        person = paper.card_person
        k = DPI / 25.4 * CARD_PHOTO_SCALE
        if paper.card_side == "front":
            _, lines = card.cccd_front(person, font, k, rng, ctx.hoa, draw_pixels=False)
        else:
            _, lines = card.cccd_back(person, font, k, rng, draw_pixels=False)
        return [PageSpec(paper, None, "\n".join(lines), font, 1, 1, ctx.hoa)]
    size = float(rng.choice([12.0, 12.5, 13.0, 13.0, 14.0])) * (1.35 if paper.landscape else 1.0)
    page_mm = (297.0, 210.0) if paper.landscape else (210.0, 297.0)
    margins = (20.0, 15.0, 20.0, 30.0) if not paper.landscape else (18.0, 20.0, 15.0, 20.0)
    style = Style(font, size, margins_mm=margins, page_mm=page_mm, background=paper.background, border=paper.border)
    laid = layout(paper.blocks, style, paper.page_number)
    return [PageSpec(paper, lp, lp.text, font, i + 1, len(laid)) for i, lp in enumerate(laid)]


def draw_page(spec: PageSpec, rng: np.random.Generator) -> np.ndarray:
    """Clean RGB uint8 pixels of one page at 300 dpi (card photos at 600 dpi)."""
    if spec.paper.card_side:
        k = DPI / 25.4 * CARD_PHOTO_SCALE
        crng = np.random.default_rng(spec.paper.card_seed)
        if spec.paper.card_side == "front":
            img, _ = card.cccd_front(spec.paper.card_person, spec.font, k, crng, spec.card_hoa)
        else:
            img, _ = card.cccd_back(spec.paper.card_person, spec.font, k, crng)
        return np.asarray(img)
    assert spec.laid is not None
    return np.asarray(draw(spec.laid, rng))


# ----------------------------------------------------------------------- single pages


@dataclass
class SyntheticPage:
    image: np.ndarray  # RGB uint8, degraded
    clean: np.ndarray  # RGB uint8, before degradation
    text: str  # exact NFC text drawn (stamps and seals excluded)
    type: PaperType
    level: str
    fields: dict[str, str]
    dpi: int
    info: dict
    font: str
    page_in_paper: int
    pages_in_paper: int


def generate_pages(n: int, seed: int, levels: Sequence[str] | None = None, types: Sequence[PaperType] | None = None,
                   fonts: Sequence[str] | None = None) -> Iterator[SyntheticPage]:
    """Single degraded pages with their truth, types and levels spread evenly (OCR bench, classifier)."""
    degrade = _degrade_module()
    level_list = list(levels or degrade.LEVELS)
    type_list = list(types or list(PaperType))
    for i in range(n):
        rng = np.random.default_rng([seed, i, 11])
        ptype = type_list[i % len(type_list)]
        # each round of types starts one level further on: every type meets every level, counts stay even
        level = level_list[(i % len(type_list) + i // len(type_list)) % len(level_list)]
        received = random_date(rng, date(2023, 1, 1), date(2024, 12, 31))
        ctx = _context(rng, None, received)
        variant = ""
        if ptype == T.CCCD:
            variant = pick(rng, ("both", "front", "back"))
        probe = build_paper(ptype, variant, ctx, np.random.default_rng([seed, i, 12]))
        ctx.font = _choose_font(probe, rng, fonts)
        paper = build_paper(ptype, variant, ctx, np.random.default_rng([seed, i, 12]))
        specs = lay_out_paper(paper, ctx, ctx.font, rng)
        spec = specs[int(rng.integers(0, len(specs)))]
        clean = draw_page(spec, rng)
        image, info = degrade.degrade(clean, level, np.random.default_rng([seed, i, 13]))
        dpi = int(info.get("dpi", DPI)) * (CARD_PHOTO_SCALE if paper.card_side else 1)
        yield SyntheticPage(image=image, clean=clean, text=spec.text, type=ptype, level=level, fields=dict(paper.fields),
                            dpi=dpi, info=info, font=spec.font, page_in_paper=spec.index_in_paper,
                            pages_in_paper=spec.pages_in_paper)


# ----------------------------------------------------------------------- dossiers


@dataclass
class _Component:
    id: int
    paper: Paper
    specs: list[PageSpec]
    result: bool = False
    returning_from: str | None = None  # dossier code of the earlier dossier where this same paper was scanned


@dataclass
class _File:
    name: str
    kind: str  # pdf | tiff | png | jpg
    level: str
    items: list = field(default_factory=list)  # _Component or "blank" / "separator"
    result: bool = False


def _agency_code(ctx: Context, rng: np.random.Generator) -> str:
    pl = ctx.agency.place
    prefix = PLACES[pl.province_code][2]
    districts = sorted(PLACES[pl.province_code][1])
    d_idx = 20 + districts.index(pl.district)
    if ctx.agency.level == "tinh":
        return f"{prefix}.{int(rng.integers(1, 20)):02d}"
    if ctx.agency.level == "huyen":
        return f"{prefix}.{d_idx}"
    communes = PLACES[pl.province_code][1][pl.district]
    return f"{prefix}.{d_idx}.{10 + communes.index(pl.commune)}"


# Papers a returning citizen brings again: their ID card (while valid) and the family's papers valid for
# life. The dossier's own forms, contracts and results belong to one transaction and are drawn anew.
REUSED_TYPES = frozenset({T.CCCD, T.GIAY_KHAI_SINH, T.GIAY_CHUNG_NHAN_KET_HON, T.BANG_CAP})
LATEST_RETURN = date(2025, 6, 30)  # addresses are the pre-merger units papers printed until mid-2025


def is_returning(seed: int, index: int) -> bool:
    """One dossier in each block of four (never the first of a set) comes from a returning citizen."""
    return index > 0 and index % 4 == int(np.random.default_rng([seed, index // 4, 2]).integers(0, 4))


@dataclass
class _Source:
    """The earlier dossier a returning applicant comes back from, and when they come back."""

    index: int
    manifest: dict
    components: list[_Component]
    family: Family
    card_photo: bool
    received_day: date


def _returning_source(seed: int, index: int, proc: Procedure) -> _Source | None:
    """An earlier first-time dossier of another procedure whose applicant's card is still valid a while
    later; one that holds a family paper the new procedure asks for is preferred."""
    rng = np.random.default_rng([seed, index, 3])
    earlier = [j for j in rng.permutation(index).tolist()
               if not is_returning(seed, j) and PROCEDURES[(j + seed) % len(PROCEDURES)] != proc]
    required = {t for t, _ in proc.components if t in REUSED_TYPES and t != T.CCCD}
    optional = {t for t, _ in proc.optional if t in REUSED_TYPES and t != T.CCCD}
    best: tuple[int, _Source] | None = None
    for j in earlier:
        manifest, files, ctx = plan_dossier(seed, j)
        comps = [item for f in files for item in f.items if not isinstance(item, str)]
        last = min(ctx.family.applicant.card_valid_until, LATEST_RETURN)
        if (last - ctx.when).days < 30:
            continue
        back = ctx.when + timedelta(days=int(rng.integers(14, min(540, (last - ctx.when).days))))
        card_photo = any(c.paper.card_side for c in comps if c.paper.type == T.CCCD)
        held = {c.paper.type for c in comps}
        score = 2 if required & held else 1 if optional & held else 0
        if best is None or score > best[0]:
            best = (score, _Source(j, manifest, comps, ctx.family, card_photo, back))
        if score == 2:
            break
    return best[1] if best else None


def _reuse(comp: _Component, source: _Source) -> _Component:
    """The same paper as in the earlier dossier (same fields, text and layout), scanned again."""
    if comp.paper.type not in REUSED_TYPES or comp.result:
        return comp
    for old in source.components:
        if old.paper.type != comp.paper.type or old.paper.card_side != comp.paper.card_side:
            continue
        if comp.paper.type == T.CCCD and not _same_holder(old.paper, comp.paper):
            continue
        return _Component(comp.id, old.paper, old.specs, returning_from=source.manifest["dossier_code"])
    return comp


def _same_holder(a: Paper, b: Paper) -> bool:
    holder_a = a.card_person.id_number if a.card_person else a.fields.get("id_number")
    holder_b = b.card_person.id_number if b.card_person else b.fields.get("id_number")
    return holder_a is not None and holder_a == holder_b


def plan_dossier(seed: int, index: int) -> tuple[dict, list[_File], Context]:
    """Decide everything about one dossier (content, files, levels) without drawing a pixel.

    A returning applicant's dossier (`is_returning`) takes the family of an earlier dossier of the set,
    comes later, and carries the reusable papers of that dossier again (same paper, new scan)."""
    rng = np.random.default_rng([seed, index, 1])
    proc = PROCEDURES[(index + seed) % len(PROCEDURES)]
    received_day = random_date(rng, date(2023, 3, 1), date(2024, 11, 30))
    source = _returning_source(seed, index, proc) if is_returning(seed, index) else None
    if source is not None:
        received_day = source.received_day
    ctx = _context(rng, proc, received_day, source.family if source else None)
    received = datetime(received_day.year, received_day.month, received_day.day, int(rng.integers(7, 17)),
                        int(rng.integers(0, 60)), tzinfo=timezone(timedelta(hours=7)))
    held = {c.paper.type for c in source.components if c.paper.type in REUSED_TYPES} if source else set()
    # a returning citizen brings again the optional papers they already have (the draw is kept for the stream)
    wanted = list(proc.components) + [c for c in proc.optional if rng.random() < 0.45 or c[0] in held]
    order = [wanted[0]] + [wanted[j] for j in rng.permutation(len(wanted) - 1) + 1] if wanted[0][0] == T.TO_KHAI \
        else [wanted[j] for j in rng.permutation(len(wanted))]
    comps: list[_Component] = []
    card_photo = rng.random() < 0.45
    if source is not None:
        card_photo = source.card_photo  # the same card, brought the same way (photos of each side or a copy)
    for ptype, variant in order:
        if ptype == T.CCCD and card_photo:
            for side in ("front", "back"):
                comps.append(_make_component(len(comps) + 1, ptype, side if variant == "applicant" else side, ctx, rng,
                                             holder=variant))
        else:
            comps.append(_make_component(len(comps) + 1, ptype, variant, ctx, rng))
    if source is not None:
        comps = [_reuse(c, source) for c in comps]
    results: list[_Component] = []
    if proc.result and rng.random() < 0.6:
        rtype, rvariant = proc.result
        if rtype == T.GIAY_CHUNG_NHAN_QSDD:
            rvariant = "result"
        results.append(_make_component(len(comps) + 1, rtype, rvariant, ctx, rng, result=True))
    files = _group_files(comps, results, rng)
    code = f"{_agency_code(ctx, rng)}-{received:%y%m%d}-{int(rng.integers(1, 9999)):04d}"
    channel = str(rng.choice(["truc_tiep", "truc_tiep", "truc_tiep", "truc_tuyen", "buu_chinh"]))
    manifest = {"dossier_code": code, "procedure_code": proc.code, "procedure_name": proc.name,
                "agency_code": code.split("-")[0], "agency_name": ctx.agency.short, "level": proc.level,
                "channel": channel, "received_at": received.isoformat(),
                "applicant": {"id_number": ctx.family.applicant.id_number, "full_name": ctx.family.applicant.full_name},
                "files": [f.name for f in files if not f.result], "results": [f.name for f in files if f.result]}
    if rng.random() < 0.4:  # the counter sometimes declares what each file holds
        manifest["components"] = _declared(files)
    return manifest, files, ctx


def _make_component(cid: int, ptype: PaperType, variant: str, ctx: Context, rng: np.random.Generator,
                    holder: str = "applicant", result: bool = False) -> _Component:
    if ptype == T.CCCD and variant in ("front", "back"):
        person = {"spouse": ctx.family.spouse, "seller": ctx.land["owner"]}.get(holder, ctx.family.applicant)
        paper = papers.cccd(ctx, rng, person=person, side=variant)
    else:
        probe_seed = int(rng.integers(0, 2**31))
        paper = build_paper(ptype, variant, ctx, np.random.default_rng(probe_seed))
        ctx.font = _choose_font(paper, rng, None)
        paper = build_paper(ptype, variant, ctx, np.random.default_rng(probe_seed))
    font = ctx.font if not paper.card_side else _choose_font(paper, rng, None)
    specs = lay_out_paper(paper, ctx, font, rng)
    return _Component(cid, paper, specs, result)


def _group_files(comps: list[_Component], results: list[_Component], rng: np.random.Generator) -> list[_File]:
    files: list[_File] = []
    photos = [c for c in comps if c.paper.card_side]
    rest = [c for c in comps if not c.paper.card_side]
    n_cards = 0
    for c in photos:
        n_cards += 1
        who = (n_cards - 1) // 2 + 1
        side = "mat-truoc" if c.paper.card_side == "front" else "mat-sau"
        name = f"cccd-{side}.jpg" if len(photos) <= 2 else f"cccd-{who}-{side}.jpg"
        files.append(_File(name, "jpg", str(rng.choice(["phone_photo", "phone_photo", "phone_photo", "hard"])), [c]))
    scan_files: list[_File] = []
    if rest:
        mode = rng.random()
        if mode < 0.55 or len(rest) == 1:
            groups = [rest]
        else:
            cut = int(rng.integers(1, len(rest)))
            groups = [rest[:cut]] + [[c] for c in rest[cut:]]
        for g_idx, group in enumerate(groups):
            single = len(group) == 1 and len(group[0].specs) == 1
            if g_idx == 0:
                kind = "pdf"
            elif single:
                kind = str(rng.choice(["png", "jpg", "pdf", "tiff"], p=[0.3, 0.25, 0.2, 0.25]))
            else:
                kind = str(rng.choice(["pdf", "tiff"]))
            level = {"pdf": ["clean", "office_scan", "office_scan", "photocopy", "hard"],
                     "tiff": ["office_scan", "photocopy", "clean"], "png": ["clean"],
                     "jpg": ["phone_photo", "phone_photo", "hard"]}[kind]
            f = _File("", kind, str(pick(rng, level)))
            for c_idx, comp in enumerate(group):
                if kind in ("pdf", "tiff") and c_idx > 0 and rng.random() < 0.12:
                    f.items.append("separator")
                f.items.append(comp)
                if kind in ("pdf", "tiff") and len(comp.specs) == 1 and rng.random() < 0.12:
                    f.items.append("blank")  # the back of a one-sided sheet in a duplex scan
            scan_files.append(f)
    for i, f in enumerate(scan_files, start=1):
        ext = {"tiff": "tif"}.get(f.kind, f.kind)
        first = f.items[0]
        label = "scan" if len(f.items) > 1 else _slug(first.paper.type)
        f.name = f"{label}-{i:03d}.{ext}"
    files += scan_files
    for i, comp in enumerate(results, start=1):
        files.append(_File(f"ket-qua-{i:03d}.pdf", "pdf", str(rng.choice(["clean", "office_scan"])), [comp], True))
    return files


def _slug(ptype: PaperType) -> str:
    return ptype.value.replace("_", "-")


def _declared(files: list[_File]) -> list[dict]:
    out = []
    for f in files:
        if f.result:
            continue
        page = 0
        for item in f.items:
            if isinstance(item, str):
                page += 1
                continue
            pages = list(range(page + 1, page + 1 + len(item.specs)))
            page += len(item.specs)
            out.append({"file": f.name, "type": item.paper.type.value, "pages": pages})
    return out


def generate_dossiers(out: Path, n: int, seed: int, *, images: bool = True,
                      max_scan_dpi: int = COUNTER_SCAN_DPI) -> list[Path]:
    """Write `n` dossier folders under `out`; `images=False` writes only dossier.json and truth.json
    (same content and levels, for fast tests; rotation, skew and dpi are then left at 0, 0.0, 300
    since no degradation ran). Scanner files (PDF, TIFF, PNG) are stored at no more than
    `max_scan_dpi`, the counter setting; truth records the stored resolution. About one dossier in four
    (`is_returning`) comes from the applicant of an earlier dossier of the set: its re-scanned papers carry
    `"returning_from": <earlier dossier code>` in truth, which also says `"returning_applicant"`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(n):
        manifest, files, _ctx = plan_dossier(seed, index)
        folder = out / f"{index + 1:03d}-{manifest['dossier_code']}"
        folder.mkdir(parents=True, exist_ok=True)
        truth_files, truth_components = [], []
        for f_idx, f in enumerate(files):
            frng = np.random.default_rng([seed, index, 100 + f_idx])
            pages_truth, images_out = _render_file(f, frng, images, max_scan_dpi if f.kind != "jpg" else 10_000)
            truth_files.append({"file": f.name, "pages": pages_truth})
            if images:
                _save(folder / f.name, f.kind, images_out)
            page = 0
            for item in f.items:
                if isinstance(item, str):
                    page += 1
                    continue
                comp = {"id": item.id, "type": item.paper.type.value, "file": f.name,
                        "pages": list(range(page + 1, page + 1 + len(item.specs))), "fields": item.paper.fields}
                if item.result:
                    comp["result"] = True
                if item.returning_from:
                    comp["returning_from"] = item.returning_from
                if item.paper.type == T.KHAC and item.paper.note:
                    comp["note"] = item.paper.note
                page += len(item.specs)
                truth_components.append(comp)
        truth = {"dossier_code": manifest["dossier_code"],
                 "returning_applicant": any("returning_from" in c for c in truth_components),
                 "files": truth_files, "components": sorted(truth_components, key=lambda c: c["id"])}
        (folder / "dossier.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", "utf-8")
        paths.append(folder)
    return paths


def _render_file(f: _File, rng: np.random.Generator, images: bool,
                 max_dpi: int) -> tuple[list[dict], list[tuple[np.ndarray, int]]]:
    pages: list[dict] = []
    out: list[tuple[np.ndarray, int]] = []
    degrade = _degrade_module() if images else None
    for item in f.items:
        specs = [item] if isinstance(item, str) else item.specs
        for spec in specs:
            entry = {"index": len(pages) + 1, "type": None, "component": None, "blank": False, "separator": False,
                     "level": f.level, "text": "", "rotation": 0, "skew": 0.0, "dpi": DPI, "font": ""}
            if isinstance(spec, str):
                entry[spec] = True
                if spec == "separator":
                    entry["text"] = "TÁCH HỒ SƠ\nTrang phân cách - không số hóa"
            else:
                entry.update(type=item.paper.type.value, component=item.id, text=spec.text, font=spec.font)
            if images:
                if spec == "blank":
                    clean = degrade.blank_page(rng)
                elif spec == "separator":
                    clean = degrade.separator_sheet(rng)
                else:
                    clean = draw_page(spec, rng)
                pixels, info = degrade.degrade(clean, f.level, rng)
                page_dpi = int(info.get("dpi", DPI))
                target = out[0][1] if out else min(page_dpi, max_dpi)  # one scan session, one resolution
                if page_dpi != target:
                    pixels = _resample(pixels, target / page_dpi)
                    page_dpi = target
                scale = CARD_PHOTO_SCALE if not isinstance(spec, str) and spec.paper.card_side else 1
                entry.update(rotation=int(info.get("rotation", 0)), skew=float(info.get("skew", 0.0)),
                             dpi=page_dpi * scale)
                out.append((pixels, page_dpi))
            pages.append(entry)
    return pages, out


def _resample(pixels: np.ndarray, factor: float) -> np.ndarray:
    h, w = pixels.shape[:2]
    size = (max(1, int(round(w * factor))), max(1, int(round(h * factor))))
    return np.asarray(Image.fromarray(pixels).resize(size, Image.LANCZOS if factor < 1 else Image.BICUBIC))


def _save(path: Path, kind: str, pages: list[tuple[np.ndarray, int]]) -> None:
    """Write pages without any time-based metadata (same input, same bytes)."""
    ims = [Image.fromarray(a) for a, _ in pages]
    dpi = pages[0][1]
    ims = [_storage_mode(im, a) for im, (a, _) in zip(ims, pages)]
    if kind == "pdf":
        buf = io.BytesIO()
        # Pillow passes `quality` on to the G4 encoder of 1-bit pages, which refuses it: a file is
        # either all black-and-white (G4) or all JPEG
        extra = {} if all(im.mode == "1" for im in ims) else {"quality": 32}
        if extra:
            ims = [im.convert("L") if im.mode == "1" else im for im in ims]
        ims[0].save(buf, "PDF", save_all=True, append_images=ims[1:], resolution=float(dpi), **extra,
                    title="", author="", creator="sohoa", producer="sohoa",
                    creationDate=_FIXED_TIME, modDate=_FIXED_TIME)
        path.write_bytes(buf.getvalue())
    elif kind == "tiff":
        if all(im.mode == "1" for im in ims):  # black-and-white scans are stored as CCITT G4
            ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:], compression="group4", dpi=(dpi, dpi))
        else:
            # office TIFF workflows scan in grey (Pillow's TIFF JPEG does not subsample colour)
            ims = [im.convert("L") for im in ims]
            ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:], compression="jpeg", quality=40,
                         dpi=(dpi, dpi))
    elif kind == "png":
        ims[0].save(path, "PNG", dpi=(dpi, dpi), optimize=False)
    else:
        ims[0].save(path, "JPEG", quality=75, dpi=(dpi, dpi))


_FIXED_TIME = time.gmtime(1704067200)  # 2024-01-01T00:00:00Z, fixed so PDFs are byte-identical


def _storage_mode(im: Image.Image, a: np.ndarray) -> Image.Image:
    """Store as the scanner would: 1-bit when the page is black and white, grey when it has no colour."""
    if not _is_gray(a):
        return im
    gray = im.convert("L")
    if len(gray.getcolors(3) or ()) in (1, 2):
        return gray.point(lambda v: 255 if v >= 128 else 0).convert("1")
    return gray


def _is_gray(a: np.ndarray) -> bool:
    small = a[::8, ::8].astype(np.int16)
    return int(np.abs(small[..., 0] - small[..., 1]).max()) <= 6 and int(np.abs(small[..., 1] - small[..., 2]).max()) <= 6


def clean_page(ptype: PaperType, seed: int, font: str | None = None, page: int = 1, variant: str = "",
               ornaments: bool = True) -> tuple[PageSpec, np.ndarray]:
    """One clean page of a paper of `ptype` and its layout (line boxes): for truth-text checks.

    `ornaments=False` leaves out dotted leaders, signatures and seals (none of them is text), so an
    OCR engine can be used to check that every line of truth is exactly what was drawn."""
    rng = np.random.default_rng([seed, 21])
    ctx = _context(rng, None, random_date(rng, date(2023, 1, 1), date(2024, 12, 31)))
    ctx.font = font or _choose_font(build_paper(ptype, variant, ctx, np.random.default_rng([seed, 22])), rng, None)
    paper = build_paper(ptype, variant, ctx, np.random.default_rng([seed, 22]))
    specs = lay_out_paper(paper, ctx, ctx.font, rng)
    spec = specs[min(page, len(specs)) - 1]
    if spec.laid is not None and spec.laid.style is not None and not ornaments:
        spec.laid.style = replace(spec.laid.style, ornaments=False)
    return spec, draw_page(spec, rng)

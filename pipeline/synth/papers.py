"""What each of the 13 paper types says: titles, field labels, layout blocks and key-field truth.

Wording follows the real forms (Circular 04/2020/TT-BTP civil-status forms, land certificates,
Decree 30/2020 official letters); every value printed comes from one consistent Family, so the
applicant's card, birth certificate and forms agree. Field names are those of KEY_FIELDS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from pipeline.domain.papers import PaperType
from pipeline.synth import card
from pipeline.synth.people import Family, Person, Place, d_m_y, make_person, pick, random_date
from pipeline.synth.render import CARD_MM, Columns, PageBreak, Para, Picture, Rule, Run, Signature, Spacer, mm

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MONTH_WORDS = ("", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai")


def _three(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, (n // 10) % 10, n % 10
    out: list[str] = []
    if full or h:
        out += [_DIGITS[h], "trăm"]
    if t == 0 and u and (full or h):
        out += ["lẻ", _DIGITS[u]]
        return out
    if t == 1:
        out.append("mười")
    elif t > 1:
        out += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t > 1:
            out.append("mốt")
        elif u == 5 and t >= 1:
            out.append("lăm")
        elif u == 4 and t > 1:
            out.append("tư")
        else:
            out.append(_DIGITS[u])
    return out


def number_words(n: int) -> str:
    """Vietnamese reading of a non-negative integer: 850000000 -> 'tám trăm năm mươi triệu'."""
    if n == 0:
        return "không"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    units = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _three(g, full=i != len(groups) - 1)
        if units[i]:
            words.append(units[i])
    return " ".join(words)


def money(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đồng"


def date_words(d: date) -> str:
    """'Ngày mười hai, tháng ba, năm hai nghìn không trăm hai mươi ba' (birth certificate)."""
    return f"Ngày {number_words(d.day)}, tháng {MONTH_WORDS[d.month]}, năm {number_words(d.year)}"


def letter_date(place: str, d: date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2024': days below 10 and months below 3 get a leading zero
    (Decree 30/2020, Annex I)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def lower_unit(unit: str) -> str:
    """'Huyện Tam Dương' -> 'huyện Tam Dương' (inside a sentence)."""
    head, _, rest = unit.partition(" ")
    if head in ("Thành", "Thị"):
        head2, _, rest = rest.partition(" ")
        return f"{head.lower()} {head2} {rest}"
    return f"{head.lower()} {rest}"


@dataclass
class Agency:
    """The receiving or issuing body as printed in headers and seals."""

    level: str  # tinh | huyen | xa
    place: Place
    parent: str | None  # left header first line, e.g. 'UBND HUYỆN TAM DƯƠNG'
    name: str  # e.g. 'ỦY BAN NHÂN DÂN XÃ HỢP THỊNH'
    short: str  # e.g. 'UBND xã Hợp Thịnh' (manifest agency_name)
    town: str  # place printed in the date line

    @property
    def title_case(self) -> str:
        if self.level == "tinh":
            return self.short
        return _title_agency(self.name)


def _title_agency(upper: str) -> str:
    low = upper.lower()
    for unit in ("xã ", "phường ", "thị trấn ", "huyện ", "quận ", "thành phố ", "tỉnh ", "thị xã "):
        idx = low.find(unit)
        if idx >= 0:
            head = low[:idx + len(unit)]
            tail = upper[idx + len(unit):].title()
            return (head[:1].upper() + head[1:]) + tail
    return low[:1].upper() + low[1:]


def make_agency(level: str, place: Place, hoa_style: str = "Ủ", department: str = "SỞ TƯ PHÁP") -> Agency:
    uy = "ỦY" if hoa_style == "Ủ" else "UỶ"
    if level == "xa":
        name = f"{uy} BAN NHÂN DÂN {place.commune.upper()}"
        parent = f"UBND {place.district.upper()}"
        short = f"UBND {lower_unit(place.commune)}"
    elif level == "huyen":
        name = f"{uy} BAN NHÂN DÂN {place.district.upper()}"
        parent = None
        short = f"UBND {lower_unit(place.district)}"
    else:
        name = f"{department} {place.province.upper()}".replace(" THÀNH PHỐ ", " TP ")
        parent = f"UBND {place.province.upper()}"
        short = f"{department.capitalize().replace('tư pháp', 'Tư pháp').replace('y tế', 'Y tế')} {place.province}"
    return Agency(level=level, place=place, parent=parent, name=name, short=short, town=place.town)


@dataclass
class Context:
    """Everything a paper may print, shared by all papers of one dossier."""

    family: Family
    agency: Agency
    when: date  # the dossier's reception date
    hoa: str = "HÒA"
    procedure: str = ""
    font: str = "Liberation Serif"  # the face the current paper is printed in
    land: dict = field(default_factory=dict)
    business: dict = field(default_factory=dict)


@dataclass
class Paper:
    type: PaperType
    title: str
    blocks: list
    fields: dict[str, str]
    page_number: str | None = None
    note: str | None = None
    card_side: str | None = None  # 'front' | 'back': a photo of one side of the ID card
    landscape: bool = False
    border: bool = False
    background: tuple[int, int, int] = (255, 255, 255)
    serif: bool = False  # certificates are printed in a serif face
    card_seed: int = 0  # pixels of a card photo (portrait, QR) come from this seed
    card_person: Person | None = None  # whose card it is


# ----------------------------------------------------------------------- shared blocks


def P(text: str, **kw) -> Para:
    return Para([Run(text, bold=kw.pop("bold", False), italic=kw.pop("italic", False))], **kw)


def field_line(label: str, value: str, leader: bool = True, value_bold: bool = False, **kw) -> Para:
    return Para([Run(label), Run(value, bold=value_bold)], leader=leader, **kw)


def row(*texts: str, size: float = 1.0, leader: bool = False) -> Columns:
    """Fields side by side on one line ('Giới tính: Nam   Dân tộc: Kinh   Quốc tịch: Việt Nam')."""
    first, rest = texts[0], texts[1:]
    left = [Para([Run(first)], size=size, after_mm=0)]
    if len(rest) == 1:
        right = [Para([Run(rest[0])], size=size, after_mm=0, leader=leader)]
    else:
        right = [row(*rest, size=size, leader=leader)]
    return Columns(left=left, right=right, split=1 / len(texts), gap_mm=2)


def motto(hoa: str, size: float = 1.0, rule: float = 55.0) -> list:
    return [
        P(f"CỘNG {hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center", fit=True, size=size, after_mm=0),
        P("Độc lập - Tự do - Hạnh phúc", bold=True, align="center", size=size * 1.05, upper_rule_mm=rule, after_mm=2),
    ]


def official_header(ctx: Context, issuer_parent: str | None, issuer: str, number_line: str,
                    date_line: str | None, extra_left: list | None = None) -> Columns:
    """Decree-30 header: issuer (left) beside the motto (right), the number line (and `extra_left`)
    under the issuer, the place-date under the motto. Truth text: issuer, motto, number line,
    extra_left, date line - the order of the proofread references of real letters (the number/date
    row after the motto); the pixels are those of two plain columns."""
    left = []
    if issuer_parent:
        left.append(P(issuer_parent, align="center", fit=True, size=0.95, after_mm=0))
    for prefix in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if issuer.startswith(prefix) and not issuer_parent:  # printed on two lines, as on real letters
            left.append(P(prefix.strip(), bold=True, align="center", size=0.95, after_mm=0))
            issuer = issuer[len(prefix):]
    left.append(P(issuer, bold=True, align="center", fit=True, size=0.95, upper_rule_mm=25, after_mm=2))
    number = [P(number_line, align="center", size=0.95, after_mm=1)] + (extra_left or [])
    date = [P(date_line, italic=True, align="center", size=0.95, before_mm=1)] if date_line else []
    return Columns(left=left, right=motto(ctx.hoa, size=0.92, rule=50), split=0.4, gap_mm=2,
                   left_tail=number, right_tail=date)


def title(text: str, size: float = 1.25, before: float = 6.0, after: float = 1.5) -> Para:
    return P(text, bold=True, align="center", size=size, before_mm=before, after_mm=after)


def sign_columns(left: Signature | None, right: Signature, before: float = 4.0) -> list:
    return [Spacer(before), Columns(left=[left] if left else [Spacer(1)], right=[right], split=0.5)]


def signer_name(rng: np.random.Generator) -> str:
    return make_person(rng).full_name


def person_lines(p: Person, *, with_id: bool = True, prefix: str = "") -> list:
    out = [field_line(f"{prefix}Họ, chữ đệm, tên: ", p.full_name.upper(), value_bold=True),
           field_line("Ngày, tháng, năm sinh: ", d_m_y(p.date_of_birth)),
           row(f"Giới tính: {p.sex_vi}", f"Dân tộc: {p.ethnicity}", f"Quốc tịch: {p.nationality}", leader=True)]
    out.append(field_line("Nơi cư trú: ", p.residence.full))
    if with_id:
        out.append(field_line("Giấy tờ tùy thân: ", f"Căn cước công dân số {p.id_number}, "
                              f"cấp ngày {d_m_y(p.card_issued_on)}"))
    return out


def seal_name(ctx: Context) -> str:
    a = ctx.agency
    return f"{a.name} * {a.place.province_bare.upper()}"


# ----------------------------------------------------------------------- the 13 types


def cccd(ctx: Context, rng: np.random.Generator, person: Person | None = None, side: str = "both") -> Paper:
    """side 'both': photocopy of front and back on an A4 sheet; 'front'/'back': photo of one side."""
    person = person or ctx.family.applicant
    seed = int(rng.integers(0, 2**31))
    fields = card.card_fields(person, side)
    heading = "CĂN CƯỚC CÔNG DÂN"
    family, hoa = ctx.font, ctx.hoa
    if side in ("front", "back"):
        return Paper(PaperType.CCCD, heading, [], fields, card_side=side, card_seed=seed, card_person=person)
    k = mm(1)  # 300 dpi on paper, 100 % scale as copied
    size = (int(CARD_MM[0] * k), int(CARD_MM[1] * k))
    _, front_lines = card.cccd_front(person, family, k, np.random.default_rng(seed), hoa, draw_pixels=False)
    _, back_lines = card.cccd_back(person, family, k, np.random.default_rng(seed + 1), draw_pixels=False)
    front = Picture(lambda: card.cccd_front(person, family, k, np.random.default_rng(seed), hoa)[0], size,
                    front_lines, after_mm=8)
    back = Picture(lambda: card.cccd_back(person, family, k, np.random.default_rng(seed + 1))[0], size, back_lines)
    blocks = [Spacer(float(rng.uniform(5, 30))), front, back]
    return Paper(PaperType.CCCD, heading, blocks, fields, card_seed=seed, card_person=person)


TO_KHAI_KINDS = ("khai_sinh", "ket_hon", "tthn", "bien_dong_dat", "ho_kinh_doanh", "chung_thuc", "chung_chi")


def to_khai(ctx: Context, rng: np.random.Generator, kind: str = "khai_sinh") -> Paper:
    fam, a = ctx.family, ctx.agency
    req = fam.applicant
    blocks: list = motto(ctx.hoa)
    date_line = letter_date(a.town, ctx.when)
    commit = ("Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các "
              "bên liên quan và chịu trách nhiệm trước pháp luật về cam đoan của mình.")
    page_number = None
    if kind == "khai_sinh":
        heading, procedure = "TỜ KHAI ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh"
        child = fam.child
        assert child is not None
        mother = fam.spouse if req.sex == "nam" else req
        father = req if req.sex == "nam" else fam.spouse
        body = [P(f"Kính gửi: {a.title_case}", align="center", before_mm=2, after_mm=3)]
        body += [field_line("Họ, chữ đệm, tên người yêu cầu: ", req.full_name.upper(), value_bold=True),
                 field_line("Nơi cư trú: ", req.residence.full),
                 field_line("Giấy tờ tùy thân: ", f"Căn cước công dân số {req.id_number}"),
                 field_line("Quan hệ với người được khai sinh: ", "Cha" if req.sex == "nam" else "Mẹ"),
                 P("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", bold=True, before_mm=2)]
        body += [field_line("Họ, chữ đệm, tên: ", child.full_name.upper(), value_bold=True),
                 field_line("Ngày, tháng, năm sinh: ", f"{d_m_y(child.date_of_birth)} ghi bằng chữ: "
                            f"{date_words(child.date_of_birth).lower()}"),
                 row(f"Giới tính: {child.sex_vi}", f"Dân tộc: {child.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
                 field_line("Nơi sinh: ", hospital_name(ctx)),
                 field_line("Quê quán: ", father.origin.short),
                 field_line("Họ, chữ đệm, tên người mẹ: ", mother.full_name.upper()),
                 row(f"Năm sinh: {mother.date_of_birth.year}", f"Dân tộc: {mother.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
                 field_line("Nơi cư trú: ", mother.residence.full),
                 field_line("Họ, chữ đệm, tên người cha: ", father.full_name.upper()),
                 row(f"Năm sinh: {father.date_of_birth.year}", f"Dân tộc: {father.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
                 field_line("Nơi cư trú: ", father.residence.full)]
    elif kind == "ket_hon":
        heading, procedure = "TỜ KHAI ĐĂNG KÝ KẾT HÔN", "Đăng ký kết hôn"
        husband = req if req.sex == "nam" else fam.spouse
        wife = fam.spouse if req.sex == "nam" else req
        body = [P(f"Kính gửi: {a.title_case}", align="center", before_mm=2, after_mm=3)]
        for label, p in (("BÊN NAM", husband), ("BÊN NỮ", wife)):
            body.append(P(label, bold=True, before_mm=2))
            body += person_lines(p)
            body.append(field_line("Kết hôn lần thứ mấy: ", "Lần đầu"))
        body.append(P("Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi "
                      "là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.",
                      align="justify", first_indent_mm=10, before_mm=2))
    elif kind == "tthn":
        heading, procedure = "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "Cấp Giấy xác nhận tình trạng hôn nhân"
        body = [P(f"Kính gửi: {a.title_case}", align="center", before_mm=2, after_mm=3)]
        body += [field_line("Họ, chữ đệm, tên người yêu cầu: ", req.full_name.upper(), value_bold=True),
                 field_line("Nơi cư trú: ", req.residence.full),
                 field_line("Giấy tờ tùy thân: ", f"Căn cước công dân số {req.id_number}"),
                 field_line("Quan hệ với người được cấp Giấy xác nhận tình trạng hôn nhân: ", "Bản thân"),
                 P("Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:", bold=True, before_mm=2)]
        body += person_lines(req)
        body += [field_line("Tình trạng hôn nhân: ", "Hiện tại chưa đăng ký kết hôn với ai"),
                 field_line("Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân: ", "Đăng ký kết hôn")]
    elif kind == "bien_dong_dat":
        heading, procedure = "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT", "Đăng ký biến động đất đai"
        land = ctx.land
        page_number = "Trang {i}/{n}"
        body = [P(f"Kính gửi: Văn phòng đăng ký đất đai {ctx.agency.place.province}", align="center", before_mm=2,
                  after_mm=3),
                P("I. PHẦN KÊ KHAI CỦA NGƯỜI ĐĂNG KÝ", bold=True),
                P("1. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất", bold=True),
                field_line("1.1. Tên: ", f"Ông (Bà) {req.full_name.upper()}", value_bold=True),
                field_line("Năm sinh: ", str(req.date_of_birth.year)),
                field_line("Căn cước công dân số: ", req.id_number),
                field_line("1.2. Địa chỉ: ", req.residence.full),
                P("2. Giấy chứng nhận đã cấp đề nghị được đăng ký biến động", bold=True, before_mm=2),
                field_line("2.1. Số vào sổ cấp GCN: ", land["register_number"]),
                field_line("2.2. Số phát hành GCN: ", land["serial"]),
                field_line("2.3. Ngày cấp GCN: ", d_m_y(land["issued_on"])),
                P("3. Nội dung biến động về:", bold=True, before_mm=2),
                field_line("3.1. Nội dung trên GCN trước khi biến động: ",
                           f"Thửa đất số {land['parcel']}, tờ bản đồ số {land['sheet']}, chủ sử dụng "
                           f"{land['owner'].full_name}"),
                field_line("3.2. Nội dung sau khi biến động: ", f"Chuyển nhượng quyền sử dụng đất cho "
                           f"{req.full_name}"),
                PageBreak(),
                P("4. Lý do biến động", bold=True),
                field_line("", f"Nhận chuyển nhượng quyền sử dụng đất theo hợp đồng công chứng số "
                           f"{land['notarization']}"),
                P("5. Tình hình thực hiện nghĩa vụ tài chính về đất đai đối với thửa đất đăng ký biến động",
                  bold=True, before_mm=2),
                field_line("", "Đã nộp đủ theo thông báo của cơ quan thuế"),
                P("6. Giấy tờ liên quan đến nội dung biến động nộp kèm theo đơn này gồm có:", bold=True, before_mm=2),
                field_line("- ", "Giấy chứng nhận đã cấp"),
                field_line("- ", f"Hợp đồng chuyển nhượng quyền sử dụng đất số {land['notarization']}"),
                field_line("- ", "Bản sao Căn cước công dân của bên nhận chuyển nhượng")]
    elif kind == "ho_kinh_doanh":
        heading, procedure = "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", "Đăng ký thành lập hộ kinh doanh"
        biz = ctx.business
        body = [P(f"Kính gửi: Phòng Tài chính - Kế hoạch {lower_unit(ctx.agency.place.district)}", align="center",
                  before_mm=2, after_mm=3),
                field_line("Tôi là (ghi họ tên bằng chữ in hoa): ", req.full_name.upper(), value_bold=True),
                row(f"Giới tính: {req.sex_vi}", f"Sinh ngày: {d_m_y(req.date_of_birth)}", f"Dân tộc: {req.ethnicity}", leader=True),
                field_line("Loại giấy tờ pháp lý của cá nhân: ", "Căn cước công dân"),
                field_line("Số giấy tờ pháp lý của cá nhân: ", req.id_number),
                field_line("Ngày cấp: ", f"{d_m_y(req.card_issued_on)}   Nơi cấp: Cục Cảnh sát quản lý hành chính về trật tự xã hội"),
                field_line("Địa chỉ thường trú: ", req.residence.full),
                P("Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:", bold=True, before_mm=2),
                field_line("1. Tên hộ kinh doanh (ghi bằng chữ in hoa): ", biz["name"].upper()),
                field_line("2. Địa chỉ trụ sở hộ kinh doanh: ", biz["address"]),
                field_line("Điện thoại: ", biz["phone"]),
                field_line("3. Ngành, nghề kinh doanh: ", biz["activity"]),
                field_line("4. Vốn kinh doanh: ", money(biz["capital"])),
                field_line("5. Số lượng lao động: ", str(biz["workers"])),
                P("Tôi cam kết bản thân không thuộc diện quy định tại khoản 2 Điều 80 Nghị định số "
                  "01/2021/NĐ-CP; trung thực, chính xác về nội dung đăng ký hộ kinh doanh.",
                  align="justify", first_indent_mm=10, before_mm=2)]
    elif kind == "chung_thuc":
        heading, procedure = "PHIẾU YÊU CẦU CHỨNG THỰC", "Chứng thực hợp đồng, giao dịch"
        body = [P(f"Kính gửi: {a.title_case}", align="center", before_mm=2, after_mm=3),
                field_line("Họ và tên người yêu cầu: ", req.full_name.upper(), value_bold=True),
                field_line("Căn cước công dân số: ", req.id_number),
                field_line("Địa chỉ: ", req.residence.full),
                field_line("Số điện thoại: ", f"09{int(rng.integers(10_000_000, 99_999_999))}"),
                field_line("Yêu cầu chứng thực: ", "Hợp đồng chuyển nhượng quyền sử dụng đất"),
                field_line("Các giấy tờ nộp kèm theo: ", "Dự thảo hợp đồng, Giấy chứng nhận quyền sử dụng đất, "
                           "bản sao Căn cước công dân của các bên"),
                field_line("Số bản chứng thực: ", "03 bản")]
    else:  # chung_chi
        heading, procedure = "ĐƠN ĐỀ NGHỊ CẤP CHỨNG CHỈ HÀNH NGHỀ DƯỢC", "Cấp Chứng chỉ hành nghề dược"
        body = [P(f"Kính gửi: Sở Y tế {a.place.province}", align="center", before_mm=2, after_mm=3)]
        body += person_lines(req)
        body += [field_line("Văn bằng chuyên môn: ", "Bằng tốt nghiệp đại học ngành Dược"),
                 field_line("Đề nghị cấp Chứng chỉ hành nghề dược với phạm vi: ",
                            "Người chịu trách nhiệm chuyên môn về dược của nhà thuốc")]
    if kind in ("ho_kinh_doanh", "tthn", "ket_hon") and rng.random() < 0.5:
        page_number = "Trang {i}/{n}"
        body.insert(len(body) // 2 + 1, PageBreak())
    blocks += [title(heading, size=1.15, before=5)] + body
    if kind != "ket_hon":
        blocks.append(P(commit, align="justify", first_indent_mm=10, before_mm=2))
    blocks.append(Columns(left=[Spacer(1)], right=[P(date_line, italic=True, align="center", before_mm=2),
                                                   Signature(["Người yêu cầu"], req.full_name)], split=0.5))
    fields = {"procedure": procedure, "requester_name": req.full_name, "requester_id_number": req.id_number,
              "date": ctx.when.isoformat()}
    return Paper(PaperType.TO_KHAI, heading, blocks, fields, page_number=page_number)


def hospital_name(ctx: Context) -> str:
    pl = ctx.agency.place
    return f"Trung tâm Y tế {lower_unit(pl.district)}, {pl.province}"


def giay_chung_sinh(ctx: Context, rng: np.random.Generator) -> Paper:
    fam = ctx.family
    child = fam.child
    assert child is not None
    mother = fam.spouse if fam.applicant.sex == "nam" else fam.applicant
    hosp = hospital_name(ctx)
    hosp_short = hosp.split(",")[0]
    pl = ctx.agency.place
    number = f"{int(rng.integers(100, 9999))}/GCS"
    hour, minute = int(rng.integers(0, 24)), int(rng.integers(0, 60))
    weight = int(rng.integers(26, 40)) * 100
    header = official_header(ctx, f"SỞ Y TẾ {pl.province.upper()}".replace("SỞ Y TẾ THÀNH PHỐ", "SỞ Y TẾ TP"),
                             hosp_short.upper(), f"Số: {number}", None)
    blocks = [header, P("Mẫu số 01/GCS", italic=True, align="right", size=0.85),
              title("GIẤY CHỨNG SINH", size=1.35),
              field_line("Họ và tên mẹ / Người nuôi dưỡng: ", mother.full_name.upper(), value_bold=True),
              field_line("Năm sinh: ", str(mother.date_of_birth.year)),
              field_line("Nơi đăng ký thường trú: ", mother.residence.full),
              field_line("Số CCCD/Số định danh: ", mother.id_number),
              field_line("Dân tộc: ", mother.ethnicity),
              field_line("Đã sinh con vào lúc: ", f"{hour:02d} giờ {minute:02d} phút, ngày {child.date_of_birth.day:02d} "
                         f"tháng {child.date_of_birth.month:02d} năm {child.date_of_birth.year}"),
              field_line("Tại: ", hosp),
              field_line("Số con trong lần sinh: ", "01"),
              field_line("Giới tính của con: ", child.sex_vi),
              field_line("Cân nặng: ", f"{weight} gram"),
              field_line("Dự định đặt tên con: ", child.full_name),
              P(letter_date(pl.town, child.date_of_birth + timedelta(days=int(rng.integers(1, 4)))), italic=True,
                align="right", before_mm=4)]
    blocks += sign_columns(Signature(["NGƯỜI ĐỠ ĐẺ"], signer_name(rng)),
                           Signature(["THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH"], signer_name(rng),
                                     seal_text=hosp_short.upper()), before=1)
    fields = {"mother_name": mother.full_name, "child_sex": child.sex, "date_of_birth": child.date_of_birth.isoformat(),
              "hospital": hosp}
    return Paper(PaperType.GIAY_CHUNG_SINH, "GIẤY CHỨNG SINH", blocks, fields)


def giay_khai_sinh(ctx: Context, rng: np.random.Generator) -> Paper:
    fam, a = ctx.family, ctx.agency
    child = fam.child
    assert child is not None
    father = fam.applicant if fam.applicant.sex == "nam" else fam.spouse
    mother = fam.spouse if fam.applicant.sex == "nam" else fam.applicant
    registered = max(ctx.when, child.date_of_birth + timedelta(days=3))
    number = str(int(rng.integers(1, 400)))
    header = official_header(ctx, a.parent, a.name, f"Số: {number}",
                             None, extra_left=[P(f"Quyển số: 01/{registered.year}", align="center", size=0.95)])
    blocks = [header, title("GIẤY KHAI SINH", size=1.4),
              field_line("Họ, chữ đệm, tên: ", child.full_name.upper(), value_bold=True),
              field_line("Ngày, tháng, năm sinh: ", d_m_y(child.date_of_birth)),
              field_line("Ghi bằng chữ: ", date_words(child.date_of_birth)),
              row(f"Giới tính: {child.sex_vi}", f"Dân tộc: {child.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
              field_line("Nơi sinh: ", hospital_name(ctx)),
              field_line("Quê quán: ", father.origin.short),
              field_line("Số định danh cá nhân: ", child.id_number),
              field_line("Họ, chữ đệm, tên người mẹ: ", mother.full_name.upper(), before_mm=2),
              row(f"Năm sinh: {mother.date_of_birth.year}", f"Dân tộc: {mother.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
              field_line("Nơi cư trú: ", mother.residence.full),
              field_line("Họ, chữ đệm, tên người cha: ", father.full_name.upper(), before_mm=2),
              row(f"Năm sinh: {father.date_of_birth.year}", f"Dân tộc: {father.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
              field_line("Nơi cư trú: ", father.residence.full),
              field_line("Họ, chữ đệm, tên người đi khai sinh: ", fam.applicant.full_name, before_mm=2),
              field_line("Giấy tờ tùy thân: ", f"Căn cước công dân số {fam.applicant.id_number}"),
              field_line("Nơi đăng ký khai sinh: ", a.title_case),
              field_line("Ngày, tháng, năm đăng ký: ", d_m_y(registered))]
    blocks += sign_columns(None, Signature(["NGƯỜI KÝ GIẤY KHAI SINH"], signer_name(rng), seal_text=seal_name(ctx)))
    fields = {"full_name": child.full_name, "sex": child.sex, "date_of_birth": child.date_of_birth.isoformat(),
              "place_of_birth": hospital_name(ctx), "ethnicity": child.ethnicity, "nationality": "Việt Nam",
              "father_name": father.full_name, "mother_name": mother.full_name, "id_number": child.id_number}
    return Paper(PaperType.GIAY_KHAI_SINH, "GIẤY KHAI SINH", blocks, fields, serif=True)


def giay_chung_nhan_ket_hon(ctx: Context, rng: np.random.Generator) -> Paper:
    fam, a = ctx.family, ctx.agency
    husband = fam.applicant if fam.applicant.sex == "nam" else fam.spouse
    wife = fam.spouse if fam.applicant.sex == "nam" else fam.applicant
    registered = ctx.when if ctx.procedure == "Đăng ký kết hôn" else random_date(
        rng, max(husband.date_of_birth, wife.date_of_birth) + timedelta(days=365 * 20), ctx.when - timedelta(days=400))
    number = str(int(rng.integers(1, 200)))

    def side(label: str, p: Person) -> list:
        return [P(label, bold=True, align="center"),
                field_line("Họ, chữ đệm, tên: ", p.full_name.upper(), value_bold=True, size=0.92),
                field_line("Ngày, tháng, năm sinh: ", d_m_y(p.date_of_birth), size=0.92),
                field_line("Dân tộc: ", p.ethnicity, size=0.92),
                field_line("Quốc tịch: ", "Việt Nam", size=0.92),
                field_line("Nơi cư trú: ", p.residence.full, size=0.92),
                field_line("Giấy tờ tùy thân: ", f"CCCD số {p.id_number}", size=0.92)]

    blocks = [official_header(ctx, a.parent, a.name, f"Số: {number}", None,
                              extra_left=[P(f"Quyển số: 01/{registered.year}", align="center", size=0.95)]),
              title("GIẤY CHỨNG NHẬN KẾT HÔN", size=1.35, after=4),
              Columns(left=side("Thông tin người chồng", husband), right=side("Thông tin người vợ", wife), split=0.5,
                      gap_mm=6),
              field_line("Nơi đăng ký: ", a.title_case, before_mm=4),
              field_line("Ngày, tháng, năm đăng ký: ", d_m_y(registered)),
              Spacer(3),
              Columns(left=[Signature(["Chồng"], husband.full_name, size=0.95)],
                      right=[Signature(["Vợ"], wife.full_name, size=0.95)], split=0.5)]
    blocks += sign_columns(None, Signature(["NGƯỜI KÝ GIẤY CHỨNG NHẬN"], signer_name(rng), seal_text=seal_name(ctx)), 1)
    fields = {"husband_name": husband.full_name, "husband_date_of_birth": husband.date_of_birth.isoformat(),
              "husband_id_number": husband.id_number, "wife_name": wife.full_name,
              "wife_date_of_birth": wife.date_of_birth.isoformat(), "wife_id_number": wife.id_number,
              "registered_on": registered.isoformat(), "number": number}
    return Paper(PaperType.GIAY_CHUNG_NHAN_KET_HON, "GIẤY CHỨNG NHẬN KẾT HÔN", blocks, fields, serif=True,
                 border=rng.random() < 0.5, background=(252, 246, 236))


def xac_nhan_tthn(ctx: Context, rng: np.random.Generator, person: Person | None = None) -> Paper:
    a = ctx.agency
    p = person or ctx.family.applicant
    issued = ctx.when - timedelta(days=int(rng.integers(5, 60))) if ctx.procedure != "Cấp Giấy xác nhận tình trạng hôn nhân" else ctx.when
    valid = issued + timedelta(days=182)
    number = f"{int(rng.integers(1, 300))}/XNTTHN"
    blocks = [official_header(ctx, a.parent, a.name, f"Số: {number}", letter_date(a.town, issued)),
              title("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", size=1.25),
              P(f"{a.name} xét đề nghị của ông/bà {p.full_name} về việc cấp Giấy xác nhận tình trạng hôn nhân "
                f"cho người có tên dưới đây,", align="justify", first_indent_mm=10, before_mm=2),
              P("XÁC NHẬN:", bold=True, align="center", before_mm=1),
              field_line("Họ, chữ đệm, tên: ", p.full_name.upper(), value_bold=True),
              field_line("Ngày, tháng, năm sinh: ", d_m_y(p.date_of_birth)),
              row(f"Giới tính: {p.sex_vi}", f"Dân tộc: {p.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
              field_line("Giấy tờ tùy thân: ", f"Căn cước công dân số {p.id_number}"),
              field_line("Nơi cư trú: ", p.residence.full),
              field_line("Tình trạng hôn nhân: ", "Hiện tại chưa đăng ký kết hôn với ai"),
              field_line("Giấy này được cấp để: ", "Đăng ký kết hôn"),
              field_line("Giấy này có giá trị sử dụng đến ngày: ", d_m_y(valid))]
    blocks += sign_columns(None, Signature(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], signer_name(rng),
                                           seal_text=seal_name(ctx)))
    fields = {"full_name": p.full_name, "date_of_birth": p.date_of_birth.isoformat(), "sex": p.sex,
              "id_number": p.id_number, "marital_status": "Hiện tại chưa đăng ký kết hôn với ai", "purpose": "Đăng ký kết hôn",
              "valid_until": valid.isoformat(), "issued_on": issued.isoformat()}
    return Paper(PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", blocks, fields)


LAND_PURPOSES = (("Đất ở tại nông thôn", "Lâu dài"), ("Đất ở tại đô thị", "Lâu dài"),
                 ("Đất trồng cây lâu năm", "Đến ngày 15/10/2063"), ("Đất trồng lúa", "Đến ngày 01/07/2064"))


def make_land(rng: np.random.Generator, owner: Person, place: Place) -> dict:
    area10 = int(rng.integers(600, 4000))
    purpose, term = LAND_PURPOSES[int(rng.integers(0, len(LAND_PURPOSES)))]
    return {"serial": f"{pick(rng, ('CN', 'CO', 'CP', 'CS', 'DA'))} {int(rng.integers(100000, 999999))}",
            "register_number": f"{pick(rng, ('CH', 'CS', 'VP'))} {int(rng.integers(100, 99999)):05d}",
            "parcel": str(int(rng.integers(1, 900))), "sheet": str(int(rng.integers(1, 60))),
            "area10": area10, "purpose": purpose, "term": term, "owner": owner,
            "address": f"{place.detail}, {place.commune}, {place.district}, {place.province}",
            "issued_on": random_date(rng, date(2016, 1, 1), date(2022, 12, 31)),
            "price": int(rng.integers(30, 400)) * 10_000_000,
            "notarization": f"{int(rng.integers(100, 9999))}/{2024}", "book": f"{int(rng.integers(1, 12)):02d}/2024"}


def _area_text(area10: int) -> str:
    whole, dec = divmod(area10, 10)
    return f"{whole},{dec}" if dec else str(whole)


def _area_value(area10: int) -> str:
    whole, dec = divmod(area10, 10)
    return f"{whole}.{dec}" if dec else str(whole)


def giay_chung_nhan_qsdd(ctx: Context, rng: np.random.Generator) -> Paper:
    land = ctx.land
    owner: Person = land["owner"]
    a = ctx.agency
    area = _area_text(land["area10"])
    whole, dec = divmod(land["area10"], 10)
    area_words = number_words(whole) + (f" phẩy {number_words(dec)}" if dec else "") + " mét vuông"
    district_ubnd = f"ỦY BAN NHÂN DÂN {a.place.district.upper()}"
    blocks = motto(ctx.hoa, size=1.05) + [
        title("GIẤY CHỨNG NHẬN", size=1.5, before=10, after=0),
        P("QUYỀN SỬ DỤNG ĐẤT", bold=True, align="center", size=1.2, after_mm=0),
        P("QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT", bold=True, align="center", size=1.05, after_mm=8),
        P("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất", bold=True),
        Para([Run(f"{'Ông' if owner.sex == 'nam' else 'Bà'}: "), Run(owner.full_name.upper(), bold=True),
              Run(f", sinh năm {owner.date_of_birth.year}, CCCD số: {owner.id_number}")], before_mm=2),
        P(f"Địa chỉ thường trú: {owner.residence.full}"),
        Spacer(30),
        P(f"Số phát hành: {land['serial']}", bold=True, align="center", size=1.2),
        PageBreak(),
        P("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", bold=True),
        P("1. Thửa đất:", bold=True, before_mm=1),
        P(f"a) Thửa đất số: {land['parcel']}, tờ bản đồ số: {land['sheet']}"),
        P(f"b) Địa chỉ: {land['address']}"),
        P(f"c) Diện tích: {area} m² (Bằng chữ: {area_words[:1].upper() + area_words[1:]})"),
        P("d) Hình thức sử dụng: Sử dụng riêng"),
        P(f"đ) Mục đích sử dụng: {land['purpose']}"),
        P(f"e) Thời hạn sử dụng: {land['term']}"),
        P("g) Nguồn gốc sử dụng: Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất"),
        P("2. Nhà ở: -/-", bold=True, before_mm=1),
        P("3. Công trình xây dựng khác: -/-", bold=True),
        P("4. Rừng sản xuất là rừng trồng: -/-", bold=True),
        P("5. Cây lâu năm: -/-", bold=True),
        P("6. Ghi chú: -/-", bold=True),
        Columns(left=[Spacer(1)], right=[P(letter_date(a.place.district_bare, land["issued_on"]), italic=True,
                                           align="center", before_mm=3),
                                         Signature([f"TM. {district_ubnd}", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                                                   signer_name(rng), seal_text=f"{district_ubnd} * "
                                                   f"{a.place.province_bare.upper()}", size=0.9)], split=0.35),
        P(f"Số vào sổ cấp GCN: {land['register_number']}", bold=True),
    ]
    fields = {"serial": land["serial"], "register_number": land["register_number"], "owner_name": owner.full_name,
              "parcel_number": land["parcel"], "map_sheet_number": land["sheet"], "address": land["address"],
              "area_m2": _area_value(land["area10"]), "purpose": land["purpose"], "term": land["term"]}
    return Paper(PaperType.GIAY_CHUNG_NHAN_QSDD, "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT", blocks, fields, serif=True,
                 border=True, background=(253, 240, 240))


HOP_DONG_KINDS = ("chuyen_nhuong", "tang_cho", "thue_nha")


def hop_dong(ctx: Context, rng: np.random.Generator, kind: str = "chuyen_nhuong") -> Paper:
    land = ctx.land
    fam = ctx.family
    seller: Person = land["owner"]
    buyer = fam.applicant
    when = ctx.when - timedelta(days=int(rng.integers(2, 30)))
    office = f"Văn phòng công chứng {pick(rng, ('Hồng Hà', 'Phúc Yên', 'An Phát', 'Tâm Đức', 'Trường An'))}"
    if kind == "thue_nha":
        heading = "HỢP ĐỒNG THUÊ NHÀ"
        a_label, b_label = "BÊN CHO THUÊ (Bên A)", "BÊN THUÊ (Bên B)"
        ctype = "thuê nhà"
        obj = f"Nhà ở tại {ctx.business.get('address', seller.residence.full)}"
        value = int(rng.integers(3, 15)) * 1_000_000
        articles = [("ĐIỀU 1. ĐỐI TƯỢNG CỦA HỢP ĐỒNG", f"Bên A đồng ý cho Bên B thuê toàn bộ {obj[0].lower()}{obj[1:]} "
                     "để làm địa điểm kinh doanh."),
                    ("ĐIỀU 2. GIÁ THUÊ VÀ PHƯƠNG THỨC THANH TOÁN",
                     f"Giá thuê nhà là {money(value)}/tháng (Bằng chữ: {number_words(value).capitalize()} đồng). "
                     "Bên B thanh toán cho Bên A theo định kỳ 03 tháng một lần bằng tiền mặt."),
                    ("ĐIỀU 3. THỜI HẠN THUÊ", "Thời hạn thuê là 05 năm kể từ ngày ký hợp đồng này.")]
        value_text = f"{money(value)}/tháng"
    else:
        gift = kind == "tang_cho"
        heading = "HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT" if gift else "HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"
        a_label, b_label = ("BÊN TẶNG CHO (Bên A)", "BÊN ĐƯỢC TẶNG CHO (Bên B)") if gift else (
            "BÊN CHUYỂN NHƯỢNG (Bên A)", "BÊN NHẬN CHUYỂN NHƯỢNG (Bên B)")
        ctype = "tặng cho quyền sử dụng đất" if gift else "chuyển nhượng quyền sử dụng đất"
        obj = f"Quyền sử dụng đất thửa đất số {land['parcel']}, tờ bản đồ số {land['sheet']}"
        value = land["price"]
        value_text = "" if gift else money(value)
        articles = [("ĐIỀU 1. ĐỐI TƯỢNG CỦA HỢP ĐỒNG",
                     f"Đối tượng của hợp đồng này là quyền sử dụng thửa đất số {land['parcel']}, tờ bản đồ số "
                     f"{land['sheet']}, địa chỉ: {land['address']}; diện tích {_area_text(land['area10'])} m²; mục "
                     f"đích sử dụng: {land['purpose']}; thời hạn sử dụng: {land['term']}; theo Giấy chứng nhận số "
                     f"phát hành {land['serial']}, số vào sổ cấp GCN {land['register_number']}.")]
        if gift:
            articles.append(("ĐIỀU 2. VIỆC TẶNG CHO", "Bên A tặng cho Bên B toàn bộ quyền sử dụng đất nêu tại Điều 1 "
                             "không kèm theo điều kiện."))
        else:
            articles.append(("ĐIỀU 2. GIÁ CHUYỂN NHƯỢNG VÀ PHƯƠNG THỨC THANH TOÁN",
                             f"Giá chuyển nhượng quyền sử dụng đất nêu tại Điều 1 là: {money(value)} (Bằng chữ: "
                             f"{number_words(value).capitalize()} đồng). Bên B đã thanh toán đủ cho Bên A bằng tiền "
                             "mặt trước khi ký hợp đồng này."))
        articles.append(("ĐIỀU 3. VIỆC ĐĂNG KÝ QUYỀN SỬ DỤNG ĐẤT",
                         "Bên B có nghĩa vụ thực hiện đăng ký biến động quyền sử dụng đất tại cơ quan có thẩm quyền "
                         "theo quy định của pháp luật."))
    articles += [("ĐIỀU 4. TRÁCH NHIỆM NỘP THUẾ, LỆ PHÍ",
                  "Thuế, lệ phí liên quan đến việc thực hiện hợp đồng này do Bên B chịu trách nhiệm nộp."),
                 ("ĐIỀU 5. PHƯƠNG THỨC GIẢI QUYẾT TRANH CHẤP",
                  "Trong quá trình thực hiện hợp đồng, nếu phát sinh tranh chấp, các bên cùng nhau thương lượng giải "
                  "quyết trên nguyên tắc tôn trọng quyền lợi của nhau; trong trường hợp không giải quyết được thì "
                  "một trong hai bên có quyền khởi kiện để yêu cầu tòa án có thẩm quyền giải quyết theo quy định "
                  "của pháp luật."),
                 ("ĐIỀU 6. CAM ĐOAN CỦA CÁC BÊN",
                  "Các bên chịu trách nhiệm trước pháp luật về những lời cam đoan sau đây: việc giao kết hợp đồng "
                  "này hoàn toàn tự nguyện, không bị lừa dối hoặc ép buộc; thực hiện đúng và đầy đủ các thỏa thuận "
                  "đã ghi trong hợp đồng này."),
                 ("ĐIỀU 7. ĐIỀU KHOẢN CUỐI CÙNG",
                  "Hai bên đã hiểu rõ quyền, nghĩa vụ và lợi ích hợp pháp của mình, ý nghĩa và hậu quả pháp lý của "
                  "việc giao kết hợp đồng này. Hợp đồng được lập thành 03 bản, mỗi bản gồm 03 trang, có giá trị "
                  "pháp lý như nhau.")]

    def party(label: str, p: Person) -> list:
        return [P(label + ":", bold=True, before_mm=2),
                row(f"{'Ông' if p.sex == 'nam' else 'Bà'}: {p.full_name}", f"Sinh ngày: {d_m_y(p.date_of_birth)}"),
                P(f"Căn cước công dân số: {p.id_number} cấp ngày {d_m_y(p.card_issued_on)}"),
                P(f"Nơi cư trú: {p.residence.full}")]

    blocks = motto(ctx.hoa) + [
        title(heading, size=1.2, before=6),
        P(f"Hôm nay, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}, tại {office}, "
          f"{ctx.agency.place.province}, chúng tôi gồm có:", align="justify", first_indent_mm=10, before_mm=3)]
    blocks += party(a_label, seller) + party(b_label, buyer)
    blocks.append(P(f"Hai bên đồng ý thực hiện việc {ctype} với các thỏa thuận sau đây:", first_indent_mm=10,
                    before_mm=2, align="justify"))
    for head, text in articles:
        blocks += [P(head, bold=True, before_mm=2), P(text, align="justify", first_indent_mm=10)]
    blocks += sign_columns(Signature(["BÊN A"], seller.full_name), Signature(["BÊN B"], buyer.full_name))
    notary = signer_name(rng)
    blocks += [PageBreak(), title("LỜI CHỨNG CỦA CÔNG CHỨNG VIÊN", size=1.15, before=4),
               P(f"Hôm nay, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}, tại {office}, tôi "
                 f"{notary}, công chứng viên, chứng nhận:", align="justify", first_indent_mm=10, before_mm=2),
               P(f"Hợp đồng {ctype} được giao kết giữa {'ông' if seller.sex == 'nam' else 'bà'} {seller.full_name} "
                 f"và {'ông' if buyer.sex == 'nam' else 'bà'} {buyer.full_name}; các bên đã tự nguyện thỏa thuận giao "
                 "kết hợp đồng; tại thời điểm công chứng, các bên giao kết hợp đồng có năng lực hành vi dân sự phù "
                 "hợp theo quy định của pháp luật; nội dung thỏa thuận của các bên trong hợp đồng không vi phạm "
                 "pháp luật, không trái đạo đức xã hội.", align="justify", first_indent_mm=10),
               P(f"Số công chứng: {land['notarization']}, quyển số {land['book']} TP/CC-SCC/HĐGD", before_mm=2)]
    blocks += sign_columns(None, Signature(["CÔNG CHỨNG VIÊN"], notary, seal_text=f"{office.upper()} * "
                                                                                 f"{ctx.agency.place.province_bare.upper()}"))
    fields = {"contract_type": ctype, "party_a": seller.full_name, "party_b": buyer.full_name, "object": obj,
              "value": value_text, "date": when.isoformat(), "notarization_number": land["notarization"]}
    return Paper(PaperType.HOP_DONG, heading, blocks, fields, page_number="Trang {i}/{n}")


def giay_uy_quyen(ctx: Context, rng: np.random.Generator) -> Paper:
    fam = ctx.family
    grantor, grantee = fam.spouse, fam.applicant
    scope = f"Thay mặt tôi liên hệ với {ctx.agency.title_case} để nộp hồ sơ, nhận kết quả thủ tục {ctx.procedure.lower()}"
    term = "Kể từ ngày ký đến khi hoàn thành công việc được ủy quyền"
    when = ctx.when - timedelta(days=int(rng.integers(1, 20)))

    def party(label: str, p: Person) -> list:
        return [P(label, bold=True, before_mm=3),
                field_line("Họ và tên: ", p.full_name.upper(), value_bold=True),
                field_line("Ngày sinh: ", d_m_y(p.date_of_birth)),
                field_line("Căn cước công dân số: ", f"{p.id_number}   Ngày cấp: {d_m_y(p.card_issued_on)}"),
                field_line("Nơi cư trú: ", p.residence.full)]

    blocks = motto(ctx.hoa) + [title("GIẤY ỦY QUYỀN", size=1.35, before=6),
                               P("Căn cứ Bộ luật Dân sự năm 2015;", italic=True, first_indent_mm=10, before_mm=3),
                               P(f"Hôm nay, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}, tại "
                                 f"{ctx.agency.place.commune}, chúng tôi gồm:", first_indent_mm=10)]
    blocks += party("I. BÊN ỦY QUYỀN:", grantor) + party("II. BÊN NHẬN ỦY QUYỀN:", grantee)
    blocks += [P("III. NỘI DUNG ỦY QUYỀN:", bold=True, before_mm=3), P(scope + ".", align="justify", first_indent_mm=10),
               P("IV. THỜI HẠN ỦY QUYỀN:", bold=True, before_mm=2), P(term + ".", first_indent_mm=10),
               P("Bên nhận ủy quyền cam kết thực hiện đúng nội dung ủy quyền và không ủy quyền lại cho người khác. "
                 "Giấy ủy quyền được lập thành 02 bản, mỗi bên giữ 01 bản.", align="justify", first_indent_mm=10,
                 before_mm=2)]
    blocks += sign_columns(Signature(["BÊN ỦY QUYỀN"], grantor.full_name), Signature(["BÊN NHẬN ỦY QUYỀN"],
                                                                                    grantee.full_name))
    fields = {"grantor_name": grantor.full_name, "grantor_date_of_birth": grantor.date_of_birth.isoformat(),
              "grantor_id_number": grantor.id_number,
              "grantee_name": grantee.full_name, "scope": scope, "term": term}
    return Paper(PaperType.GIAY_UY_QUYEN, "GIẤY ỦY QUYỀN", blocks, fields)


def make_business(rng: np.random.Generator, owner: Person, place: Place) -> dict:
    kinds = (("Tạp hóa", "Bán lẻ lương thực, thực phẩm, đồ uống trong các cửa hàng chuyên doanh"),
             ("Cơm bình dân", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"),
             ("Sửa chữa xe máy", "Bảo dưỡng và sửa chữa mô tô, xe máy"),
             ("Cà phê", "Dịch vụ phục vụ đồ uống"),
             ("Văn phòng phẩm", "Bán lẻ sách, báo, tạp chí, văn phòng phẩm trong các cửa hàng chuyên doanh"))
    label, activity = kinds[int(rng.integers(0, len(kinds)))]
    given = owner.full_name.split()[-1]
    province_num = {"001": "01", "026": "19", "027": "21", "031": "02", "036": "07", "038": "28", "040": "29",
                    "046": "33", "048": "32", "079": "41", "092": "57"}.get(place.province_code, "19")
    return {"name": f"Hộ kinh doanh {label} {given}", "activity": activity,
            "address": f"{place.detail}, {place.commune}, {place.district}, {place.province}",
            "phone": f"09{int(rng.integers(10_000_000, 99_999_999))}",
            "capital": int(rng.integers(5, 60)) * 10_000_000, "workers": int(rng.integers(1, 6)),
            "code": f"{province_num}{pick(rng, ('A8', 'B8', 'C8', 'D8'))}{int(rng.integers(0, 999999)):06d}"}


def dang_ky_kinh_doanh(ctx: Context, rng: np.random.Generator) -> Paper:
    fam, a = ctx.family, ctx.agency
    owner = fam.applicant
    biz = ctx.business
    registered = ctx.when + timedelta(days=int(rng.integers(1, 4)))
    district_ubnd = f"UBND {a.place.district.upper()}"
    blocks = [official_header(ctx, district_ubnd, "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "", None),
              title("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", size=1.2, before=6, after=0),
              P(f"Số: {biz['code']}", bold=True, align="center", after_mm=0),
              P(f"Đăng ký lần đầu: ngày {registered.day:02d} tháng {registered.month:02d} năm {registered.year}",
                italic=True, align="center", after_mm=4),
              field_line("1. Tên hộ kinh doanh: ", biz["name"].upper(), value_bold=True),
              field_line("2. Địa chỉ trụ sở hộ kinh doanh: ", biz["address"]),
              field_line("Điện thoại: ", biz["phone"]),
              field_line("3. Ngành, nghề kinh doanh: ", biz["activity"]),
              field_line("4. Vốn kinh doanh: ", money(biz["capital"])),
              field_line("5. Họ và tên đại diện hộ kinh doanh: ", owner.full_name.upper(), value_bold=True),
              row(f"Giới tính: {owner.sex_vi}", f"Sinh ngày: {d_m_y(owner.date_of_birth)}", f"Dân tộc: {owner.ethnicity}", f"Quốc tịch: Việt Nam", leader=True),
              field_line("Loại giấy tờ pháp lý của cá nhân: ", "Căn cước công dân"),
              field_line("Số giấy tờ pháp lý của cá nhân: ", owner.id_number),
              field_line("Ngày cấp: ", d_m_y(owner.card_issued_on)),
              field_line("Địa chỉ thường trú: ", owner.residence.full)]
    blocks += sign_columns(None, Signature(["TRƯỞNG PHÒNG"], signer_name(rng),
                                           seal_text=f"PHÒNG TÀI CHÍNH - KẾ HOẠCH * {a.place.district.upper()}"))
    fields = {"business_code": biz["code"], "business_name": biz["name"], "address": biz["address"],
              "owner_name": owner.full_name, "registered_on": registered.isoformat()}
    return Paper(PaperType.DANG_KY_KINH_DOANH, "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", blocks, fields)


VAN_BAN_KINDS = ("quyet_dinh", "cong_van", "thong_bao")


def van_ban_hanh_chinh(ctx: Context, rng: np.random.Generator, kind: str | None = None) -> Paper:
    a = ctx.agency
    fam = ctx.family
    kind = kind or pick(rng, VAN_BAN_KINDS)
    issued = ctx.when + timedelta(days=int(rng.integers(0, 10)))
    num = int(rng.integers(12, 2900))
    year = issued.year
    signer = signer_name(rng)
    name = fam.applicant.full_name
    honor = "ông" if fam.applicant.sex == "nam" else "bà"
    if kind == "quyet_dinh":
        number = f"{num}/QĐ-UBND"
        doc_type = "QUYẾT ĐỊNH"
        subject = pick(rng, (f"Về việc công nhận hộ kinh doanh cá thể của {honor} {name}",
                             f"Về việc chấp thuận chuyển mục đích sử dụng đất cho {honor} {name}",
                             f"Về việc cấp Giấy phép xây dựng nhà ở riêng lẻ cho {honor} {name}"))
        body = [title(doc_type, size=1.15, before=5, after=0), P(subject, bold=True, align="center", after_mm=0),
                Rule(40), P(f"CHỦ TỊCH {a.name.replace('ỦY BAN NHÂN DÂN', 'ỦY BAN NHÂN DÂN').replace('UỶ', 'ỦY')}",
                            bold=True, align="center", before_mm=3, fit=True),
                P("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
                  "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
                  italic=True, align="justify", first_indent_mm=10, before_mm=2),
                P("Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;", italic=True, align="justify", first_indent_mm=10),
                P(f"Xét đề nghị của {honor} {name} tại Đơn đề nghị ngày {d_m_y(ctx.when)} và đề nghị của Trưởng phòng "
                  f"chuyên môn tại Tờ trình số {int(rng.integers(10, 500))}/TTr-PTNMT ngày {d_m_y(issued)}.",
                  italic=True, align="justify", first_indent_mm=10),
                P("QUYẾT ĐỊNH:", bold=True, align="center", before_mm=3, after_mm=2),
                Para([Run("Điều 1.", bold=True), Run(f"{subject[8:9].upper()}{subject[9:]}, địa chỉ: "
                                                     f"{fam.applicant.residence.full}.")],
                     align="justify", first_indent_mm=10),
                Para([Run("Điều 2.", bold=True), Run("Quyết định này có hiệu lực kể từ ngày ký.")], first_indent_mm=10),
                Para([Run("Điều 3.", bold=True), Run(f"Chánh Văn phòng, Trưởng các phòng chuyên môn có liên quan và "
                                                     f"{honor} {name} chịu trách nhiệm thi hành Quyết định này./.")],
                     align="justify", first_indent_mm=10)]
        recipients = ["- Như Điều 3;", "- Lưu: VT."]
        sig_title = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        extra_left = None
    elif kind == "cong_van":
        number = f"{num}/UBND-VP"
        doc_type = "CÔNG VĂN"
        subject = pick(rng, ("V/v xác minh thông tin hộ tịch", "V/v cung cấp thông tin thửa đất",
                             "V/v phối hợp giải quyết hồ sơ của công dân"))
        extra_left = [P(subject, align="center", size=0.9)]
        body = [P(f"Kính gửi: {pick(rng, ('Phòng Tư pháp', 'Phòng Tài nguyên và Môi trường', 'Công an'))} "
                  f"{lower_unit(a.place.district)}", align="center", before_mm=6, after_mm=3),
                P(f"{a.title_case} nhận được hồ sơ của {honor} {name}, sinh ngày {d_m_y(fam.applicant.date_of_birth)}, "
                  f"nơi cư trú: {fam.applicant.residence.full}.", align="justify", first_indent_mm=10),
                P("Để có cơ sở giải quyết hồ sơ theo đúng quy định, đề nghị quý cơ quan phối hợp, cung cấp thông tin "
                  f"có liên quan và gửi văn bản trả lời trước ngày {d_m_y(issued + timedelta(days=10))}.",
                  align="justify", first_indent_mm=10),
                P("Rất mong nhận được sự phối hợp của quý cơ quan./.", first_indent_mm=10)]
        recipients = ["- Như trên;", "- Lưu: VT."]
        sig_title = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    else:
        number = f"{num}/TB-UBND"
        doc_type = "THÔNG BÁO"
        subject = pick(rng, ("Về việc bổ sung hồ sơ", "Về việc trả kết quả giải quyết thủ tục hành chính",
                             "Về việc tiếp nhận hồ sơ"))
        body = [title(doc_type, size=1.15, before=5, after=0), P(subject, bold=True, align="center", after_mm=0),
                Rule(40),
                P(f"{a.title_case} thông báo đến {honor} {name}, nơi cư trú: {fam.applicant.residence.full} như sau:",
                  align="justify", first_indent_mm=10, before_mm=3),
                P(f"Hồ sơ đề nghị {ctx.procedure.lower()} của {honor} đã được tiếp nhận ngày {d_m_y(ctx.when)}. "
                  f"Đề nghị {honor} đến Bộ phận Một cửa để nhận kết quả hoặc bổ sung giấy tờ theo quy định.",
                  align="justify", first_indent_mm=10),
                P("Thời gian làm việc: buổi sáng từ 7 giờ 30 phút đến 11 giờ 30 phút, buổi chiều từ 13 giờ 30 phút "
                  "đến 17 giờ các ngày làm việc trong tuần./.", align="justify", first_indent_mm=10)]
        recipients = [f"- {honor.capitalize()} {name};", "- Lưu: VT."]
        sig_title = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        extra_left = None
    date_line = letter_date(a.town if a.level != "xa" else a.place.commune_bare, issued)
    blocks: list = [official_header(ctx, a.parent, a.name, f"Số: {number}", date_line, extra_left=extra_left)]
    blocks += body
    blocks += [Spacer(3), Columns(left=[P("Nơi nhận:", bold=True, italic=True, size=0.85, after_mm=0)] +
                                  [P(r, size=0.8, after_mm=0) for r in recipients],
                                  right=[Signature(sig_title, signer, seal_text=seal_name(ctx))], split=0.45)]
    issuer_printed = a.name
    fields = {"issuer": issuer_printed, "number": number, "date": issued.isoformat(), "doc_type": doc_type,
              "subject": subject, "signer": signer}
    return Paper(PaperType.VAN_BAN_HANH_CHINH, doc_type, blocks, fields, serif=True)


def bang_cap(ctx: Context, rng: np.random.Generator) -> Paper:
    holder = ctx.family.applicant
    grad_year = holder.date_of_birth.year + int(rng.integers(18, 23))
    choice = int(rng.integers(0, 3))
    prov = holder.birth_place.province
    if choice == 0:
        degree = "Bằng tốt nghiệp trung học phổ thông"
        institution = f"Sở Giáo dục và Đào tạo {prov}"
        grantor_title = f"GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO {prov.upper()}"
        grad_year = holder.date_of_birth.year + 18
    elif choice == 1:
        degree = "Bằng cử nhân"
        institution = pick(rng, ("Trường Đại học Sư phạm Hà Nội", "Trường Đại học Kinh tế Quốc dân",
                                 "Trường Đại học Cần Thơ", "Trường Đại học Vinh", "Trường Đại học Huế"))
        grantor_title = f"HIỆU TRƯỞNG {institution.upper()}"
    else:
        degree = "Bằng tốt nghiệp đại học ngành Dược"
        institution = pick(rng, ("Trường Đại học Dược Hà Nội", "Trường Đại học Y Dược Cần Thơ"))
        grantor_title = f"HIỆU TRƯỞNG {institution.upper()}"
    when = date(grad_year, int(rng.integers(6, 9)), int(rng.integers(1, 29)))
    number = f"{pick(rng, ('A', 'B', 'QH', 'C'))} {int(rng.integers(100000, 9999999)):07d}"
    rank = pick(rng, ("Khá", "Giỏi", "Trung bình", "Xuất sắc"))
    blocks = motto(ctx.hoa, size=1.0) + [
        P(grantor_title, bold=True, align="center", before_mm=8, fit=True, size=1.05),
        P("cấp", italic=True, align="center"),
        title(degree.upper(), size=1.5, before=4, after=6),
        Columns(left=[P(f"Cho: {holder.full_name}", bold=True), P(f"Ngày sinh: {d_m_y(holder.date_of_birth)}"),
                      P(f"Nơi sinh: {holder.birth_place.province}"), P(f"Xếp loại: {rank}"),
                      P("Hình thức đào tạo: Chính quy"), P(f"Số hiệu: {number}", before_mm=6),
                      P(f"Số vào sổ cấp bằng: {int(rng.integers(100, 9999))}/{when.year}")],
                right=[P(letter_date(holder.birth_place.town, when), italic=True, align="center"),
                       Signature([grantor_title.split(" ")[0] + (" TRƯỞNG" if "HIỆU" in grantor_title else " ĐỐC")],
                                 signer_name(rng), seal_text=institution.upper())], split=0.5)]
    fields = {"holder_name": holder.full_name, "degree": degree, "institution": institution, "date": when.isoformat(),
              "number": number}
    return Paper(PaperType.BANG_CAP, degree.upper(), blocks, fields, landscape=True, border=True,
                 background=(248, 244, 226), serif=True)


KHAC_KINDS = ("so_ho_khau", "kham_suc_khoe", "bien_lai")


def khac(ctx: Context, rng: np.random.Generator, kind: str | None = None) -> Paper:
    fam = ctx.family
    p = fam.applicant
    kind = kind or pick(rng, KHAC_KINDS)
    note = None
    if kind == "so_ho_khau":
        note = ("Sổ hộ khẩu: không còn được cấp từ 01/07/2021 và hết giá trị từ 01/01/2023 "
                "(Luật Cư trú 2020); không phải giấy tờ hợp lệ")
        heading = "SỔ HỘ KHẨU"
        blocks = motto(ctx.hoa) + [
            title(heading, size=1.6, before=12),
            P(f"Số: {int(rng.integers(10_000, 999_999)):06d}", bold=True, align="center", before_mm=4),
            P(f"Họ và tên chủ hộ: {p.full_name.upper()}", before_mm=10),
            P(f"Nơi thường trú: {p.residence.full}"),
            P(f"Sổ đăng ký thường trú số: {int(rng.integers(1, 500))}   Tờ số: {int(rng.integers(1, 200))}"),
            P(f"{p.residence.district}, ngày {int(rng.integers(1, 28)):02d} tháng {int(rng.integers(1, 12)):02d} "
              f"năm {int(rng.integers(2008, 2018))}", italic=True, align="right", before_mm=6)]
        blocks += sign_columns(None, Signature(["TRƯỞNG CÔNG AN"], signer_name(rng),
                                               seal_text=f"CÔNG AN {p.residence.district.upper()}"))
        blocks += [PageBreak(), title("NHÂN KHẨU TRONG HỘ", size=1.1, before=2)]
        members = [(p, "Chủ hộ"), (fam.spouse, "Vợ" if p.sex == "nam" else "Chồng")]
        for m, rel in members:
            blocks += [P(f"Họ và tên: {m.full_name.upper()}   Quan hệ với chủ hộ: {rel}", bold=True, before_mm=4),
                       P(f"Ngày sinh: {d_m_y(m.date_of_birth)}   Giới tính: {m.sex_vi}"),
                       P(f"Quê quán: {m.origin.short}"),
                       P(f"Dân tộc: {m.ethnicity}   Quốc tịch: Việt Nam   Số CMND/CCCD: {m.id_number}")]
    elif kind == "kham_suc_khoe":
        heading = "GIẤY KHÁM SỨC KHỎE"
        blocks = [official_header(ctx, f"SỞ Y TẾ {ctx.agency.place.province.upper()}",
                                  hospital_name(ctx).split(",")[0].upper(), f"Số: {int(rng.integers(100, 9999))}/GKSK",
                                  None),
                  title(heading, size=1.3),
                  field_line("Họ và tên (chữ in hoa): ", p.full_name.upper(), value_bold=True),
                  field_line("Giới tính: ", f"{p.sex_vi}   Tuổi: {ctx.when.year - p.date_of_birth.year}"),
                  field_line("Số CCCD: ", f"{p.id_number}   cấp ngày: {d_m_y(p.card_issued_on)}"),
                  field_line("Chỗ ở hiện tại: ", p.residence.full),
                  field_line("Lý do khám sức khỏe: ", "Hoàn thiện hồ sơ"),
                  P("I. TIỀN SỬ BỆNH CỦA ĐỐI TƯỢNG KHÁM SỨC KHỎE", bold=True, before_mm=3),
                  field_line("Có bệnh, điều trị bệnh gì trong thời gian gần đây: ", "Không"),
                  P("II. KHÁM THỂ LỰC", bold=True, before_mm=2),
                  field_line("Chiều cao: ", f"{int(rng.integers(150, 180))} cm   Cân nặng: {int(rng.integers(45, 80))} kg"),
                  field_line("Mạch: ", f"{int(rng.integers(65, 90))} lần/phút   Huyết áp: 120/80 mmHg"),
                  P("III. KẾT LUẬN", bold=True, before_mm=2),
                  field_line("Sức khỏe: ", "Đủ sức khỏe để học tập, làm việc"),
                  P(letter_date(ctx.agency.town, ctx.when - timedelta(days=7)), italic=True, align="right", before_mm=3)]
        blocks += sign_columns(None, Signature(["NGƯỜI KẾT LUẬN"], signer_name(rng),
                                               seal_text=hospital_name(ctx).split(",")[0].upper()), before=0)
    else:
        heading = "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ"
        fee = pick(rng, (8000, 10000, 20000, 50000, 100000))
        blocks = [official_header(ctx, ctx.agency.parent, ctx.agency.name, f"Ký hiệu: {pick(rng, ('AA/23P', 'BL/24E'))}",
                                  None, extra_left=[P(f"Số: {int(rng.integers(1, 99999)):07d}", align="center")]),
                  title(heading, size=1.2, after=4),
                  field_line("Tên đơn vị hoặc người nộp tiền: ", p.full_name),
                  field_line("Địa chỉ: ", p.residence.full),
                  field_line("Lý do nộp: ", f"Lệ phí {ctx.procedure.lower()}"),
                  field_line("Số tiền: ", money(fee)),
                  field_line("Viết bằng chữ: ", number_words(fee).capitalize() + " đồng"),
                  P(f"Ngày {ctx.when.day:02d} tháng {ctx.when.month:02d} năm {ctx.when.year}", italic=True,
                    align="right", before_mm=3)]
        blocks += sign_columns(Signature(["NGƯỜI NỘP TIỀN"], p.full_name), Signature(["NGƯỜI THU TIỀN"],
                                                                                     signer_name(rng)), before=0)
    return Paper(PaperType.KHAC, heading, blocks, {}, note=note)


BUILDERS = {
    PaperType.CCCD: cccd,
    PaperType.TO_KHAI: to_khai,
    PaperType.GIAY_KHAI_SINH: giay_khai_sinh,
    PaperType.GIAY_CHUNG_SINH: giay_chung_sinh,
    PaperType.GIAY_CHUNG_NHAN_KET_HON: giay_chung_nhan_ket_hon,
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: xac_nhan_tthn,
    PaperType.GIAY_CHUNG_NHAN_QSDD: giay_chung_nhan_qsdd,
    PaperType.HOP_DONG: hop_dong,
    PaperType.GIAY_UY_QUYEN: giay_uy_quyen,
    PaperType.DANG_KY_KINH_DOANH: dang_ky_kinh_doanh,
    PaperType.VAN_BAN_HANH_CHINH: van_ban_hanh_chinh,
    PaperType.BANG_CAP: bang_cap,
    PaperType.KHAC: khac,
}

"""The procedure a form asks for, named as in the national procedure catalogue (Cơ sở dữ liệu quốc gia về
TTHC): a form's title says "TỜ KHAI ĐĂNG KÝ KHAI SINH", the catalogue says "Đăng ký khai sinh".

Each entry lists the diacritic-free keywords its title must contain; the entry with the most matched
keywords wins, so "PHIẾU YÊU CẦU CHỨNG THỰC BẢN SAO" picks the copy-certification entry over the
generic one. Titles that match nothing keep their own words in sentence case.
"""

from __future__ import annotations

from pipeline.domain.vntext import nfc, strip_diacritics

# (catalogue name, keywords that must all occur in the folded title). Extend as procedures are added.
CATALOGUE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Đăng ký khai sinh", ("khai sinh",)),
    ("Đăng ký khai tử", ("khai tu",)),
    ("Đăng ký kết hôn", ("ket hon",)),
    ("Cấp Giấy xác nhận tình trạng hôn nhân", ("tinh trang hon nhan",)),
    ("Đăng ký nhận cha, mẹ, con", ("nhan cha",)),
    ("Đăng ký giám hộ", ("giam ho",)),
    ("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", ("cai chinh",)),
    ("Cấp bản sao trích lục hộ tịch", ("trich luc",)),
    ("Đăng ký thường trú", ("thuong tru",)),
    ("Đăng ký tạm trú", ("tam tru",)),
    ("Đăng ký biến động đất đai", ("bien dong",)),
    ("Đăng ký đất đai, tài sản gắn liền với đất lần đầu", ("dang ky", "dat dai", "lan dau")),
    ("Cấp đổi Giấy chứng nhận quyền sử dụng đất", ("cap doi", "giay chung nhan")),
    ("Cấp lại Giấy chứng nhận quyền sử dụng đất", ("cap lai", "giay chung nhan")),
    ("Cấp giấy phép xây dựng", ("giay phep xay dung",)),
    ("Đăng ký thành lập hộ kinh doanh", ("ho kinh doanh",)),
    ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", ("ho kinh doanh", "thay doi")),
    ("Đăng ký thành lập doanh nghiệp", ("thanh lap", "doanh nghiep")),
    ("Chứng thực hợp đồng, giao dịch", ("chung thuc",)),
    ("Chứng thực bản sao từ bản chính", ("chung thuc", "ban sao")),
    ("Chứng thực chữ ký", ("chung thuc", "chu ky")),
    ("Cấp Chứng chỉ hành nghề dược", ("chung chi hanh nghe duoc",)),
    ("Cấp Chứng chỉ hành nghề khám bệnh, chữa bệnh", ("chung chi hanh nghe", "kham benh")),
    ("Cấp phiếu lý lịch tư pháp", ("ly lich tu phap",)),
    ("Cấp Căn cước", ("cap", "can cuoc")),
)


def _key(text: str) -> str:
    folded = strip_diacritics(nfc(text)).lower()
    return " " + " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split()) + " "


def procedure_from_title(title: str, prefix: str = "") -> str:
    """'TỜ KHAI ĐĂNG KÝ KHAI SINH' -> 'Đăng ký khai sinh' (catalogue name, else the title's own words)."""
    key = _key(title)
    best, best_hits = None, 0
    for name, keywords in CATALOGUE:
        if all(f" {kw} " in key for kw in keywords) and len(keywords) > best_hits:
            best, best_hits = name, len(keywords)
    if best:
        return best
    rest = nfc(title)
    if prefix and _key(rest).startswith(_key(prefix)):
        rest = " ".join(rest.split()[len(prefix.split()):])
    rest = rest.strip(" :-").lower()
    return rest[:1].upper() + rest[1:]

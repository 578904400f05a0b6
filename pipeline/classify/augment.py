"""Variants of generated official documents: other document types and other issuers.

The generator draws three kinds of official document (quyết định, công văn, thông báo) from
local agencies; a counter also receives nghị quyết, thông tư, kế hoạch, chỉ thị... from
ministries and the government (Decree 30/2020, art. 7 lists the types). Swapping the title
line, the issuer block and the number's symbol teaches the classifier the whole family.
"""

from __future__ import annotations

import random
import re

# (title, symbol) per document type of Decree 30/2020, art. 7
DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("QUYẾT ĐỊNH", "QĐ"), ("NGHỊ QUYẾT", "NQ"), ("THÔNG TƯ", "TT"), ("KẾ HOẠCH", "KH"), ("CHỈ THỊ", "CT"),
    ("THÔNG BÁO", "TB"), ("BÁO CÁO", "BC"), ("TỜ TRÌNH", "TTr"), ("QUY CHẾ", "QC"), ("HƯỚNG DẪN", "HD"),
    ("CHƯƠNG TRÌNH", "CTr"), ("PHƯƠNG ÁN", "PA"), ("ĐỀ ÁN", "ĐA"), ("BIÊN BẢN", "BB"), ("CÔNG ĐIỆN", "CĐ"),
)
ISSUERS: tuple[tuple[str, str], ...] = (
    ("CHÍNH PHỦ", "CP"), ("THỦ TƯỚNG CHÍNH PHỦ", "TTg"), ("VĂN PHÒNG CHÍNH PHỦ", "VPCP"),
    ("BỘ CÔNG AN", "BCA"), ("BỘ TÀI CHÍNH", "BTC"), ("BỘ CÔNG THƯƠNG", "BCT"), ("BỘ TƯ PHÁP", "BTP"),
    ("BỘ Y TẾ", "BYT"), ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BGDĐT"), ("BỘ XÂY DỰNG", "BXD"),
    ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BNNMT"), ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", "UBND"),
    ("ỦY BAN NHÂN DÂN\nTỈNH VĨNH PHÚC", "UBND"), ("HỘI ĐỒNG NHÂN DÂN\nTỈNH BẮC NINH", "HĐND"),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nTỈNH NAM ĐỊNH", "STNMT"), ("BỘ TRƯỞNG BỘ NỘI VỤ", "BNV"),
)
_TITLES = re.compile(r"^(QUYẾT ĐỊNH|THÔNG BÁO|CÔNG VĂN)\s*:?$")
_NUMBER = re.compile(r"^(Số\s*:?\s*)(\d+)\s*/\s*\S+")
_MOTTO = "CỘNG H"


def official_variant(text: str, rng: random.Random) -> str | None:
    """The same page as another type of document from another issuer; None if it has no title line."""
    lines = text.split("\n")
    title_at = next((i for i, line in enumerate(lines[:14]) if _TITLES.match(line.strip())), None)
    letter_at = next((i for i, line in enumerate(lines[:10]) if line.strip().startswith("V/v")), None)
    if title_at is None and letter_at is None:
        return None
    title, symbol = rng.choice(DOC_TYPES)
    issuer, issuer_symbol = rng.choice(ISSUERS)
    year = rng.randint(2015, 2026)
    if title_at is not None:
        lines[title_at] = title
    else:  # công văn: no title, "V/v ..." under the number; the symbol names issuer and unit
        symbol = rng.choice(("VP", "CN", "KGVX", "NC", "TH", "QHĐP"))
    stop = title_at if title_at is not None else letter_at
    for i, line in enumerate(lines[:stop]):
        match = _NUMBER.match(line.strip())
        if match:
            number = match.group(2)
            if title_at is None:
                code = f"{number}/{issuer_symbol}-{symbol}"
            elif symbol in ("TT", "NQ") and rng.random() < 0.5:
                code = f"{number}/{year}/{symbol}-{issuer_symbol}"
            else:
                code = f"{number}/{symbol}-{issuer_symbol}"
            lines[i] = f"{match.group(1)}{code}"
    motto = next((i for i, line in enumerate(lines[:8]) if _MOTTO in line.upper()), None)
    if motto:
        lines = issuer.split("\n") + [ln for ln in lines[:motto] if _NUMBER.match(ln.strip())] + lines[motto:]
    return "\n".join(lines)

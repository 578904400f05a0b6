"""The 12-digit citizen ID number (số định danh cá nhân / CCCD): structure, checks, masking.

Structure `PPP G YY RRRRRR` (Circular 07/2016/TT-BCA, amended by Circular 59/2021/TT-BCA):
province of birth registration, a digit for century and sex, the last two digits of the birth
year, six random digits. It is personal data (Decree 13/2023): never log it unmasked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.errors import InvalidIdNumberError

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa–Vũng Tàu", "079": "TP Hồ Chí Minh",
    "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

# century/sex digit -> (first year of the century, sex); 2200s and 2300s exist in the circular.
_CENTURY_SEX = {
    0: (1900, "nam"), 1: (1900, "nu"), 2: (2000, "nam"), 3: (2000, "nu"), 4: (2100, "nam"),
    5: (2100, "nu"), 6: (2200, "nam"), 7: (2200, "nu"), 8: (2300, "nam"), 9: (2300, "nu"),
}
_SHAPE = re.compile(r"[0-9]{12}")
_ANY_ID = re.compile(r"(?<![0-9])([0-9]{3})[0-9]{7}([0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class IdNumber:
    value: str
    province_code: str
    birth_year: int
    sex: str  # "nam" | "nu"

    @property
    def province(self) -> str:
        return PROVINCE_CODES[self.province_code]

    @property
    def masked(self) -> str:
        return mask_id(self.value)

    def __str__(self) -> str:  # a stray f-string or log line shows the masked form only
        return self.masked

    __repr__ = __str__


def mask_id(value: str) -> str:
    """'026190000123' -> '026*******23'; anything that is not 12 digits is masked whole."""
    value = value or ""
    if _SHAPE.fullmatch(value):
        return f"{value[:3]}{'*' * 7}{value[-2:]}"
    return "*" * min(len(value), 12) if value else ""


def mask_ids_in(text: str) -> str:
    """Mask every 12-digit run in free text (log lines, error messages)."""
    return _ANY_ID.sub(lambda m: f"{m.group(1)}{'*' * 7}{m.group(2)}", text)


def explain_id_problem(value: str, *, today: date | None = None) -> str | None:
    """None if the structure is valid, else a reason (in English, masked) why it is not."""
    if not isinstance(value, str) or not _SHAPE.fullmatch(value):
        return "must be exactly 12 digits"
    if value[:3] not in PROVINCE_CODES:
        return f"unknown province code {value[:3]}"
    century, _ = _CENTURY_SEX[int(value[3])]
    year = century + int(value[4:6])
    if year > (today or date.today()).year:
        return f"century/sex digit {value[3]} with year digits {value[4:6]} gives a birth year in the future"
    return None


def parse_id(value: str, *, today: date | None = None) -> IdNumber:
    """Validate the structure and decode it; raises InvalidIdNumberError with a masked message."""
    value = (value or "").strip()
    problem = explain_id_problem(value, today=today)
    if problem:
        raise InvalidIdNumberError(f"invalid ID number {mask_id(value)}: {problem}")
    century, sex = _CENTURY_SEX[int(value[3])]
    return IdNumber(value=value, province_code=value[:3], birth_year=century + int(value[4:6]), sex=sex)


def is_valid_id(value: str) -> bool:
    return explain_id_problem(value) is None


def check_against(value: str, *, birth_date: date | None = None, sex: str | None = None) -> list[str]:
    """Cross-check the number with the date of birth and sex read from the same paper.

    Returns the list of disagreements (empty = consistent). `sex` is 'nam' or 'nu'.
    """
    ident = parse_id(value)
    problems: list[str] = []
    if birth_date is not None and birth_date.year != ident.birth_year:
        problems.append(f"birth year {birth_date.year} does not match the number's {ident.birth_year}")
    if sex is not None and sex != ident.sex:
        problems.append(f"sex '{sex}' does not match the number's '{ident.sex}'")
    return problems


def make_id(province_code: str, birth_year: int, sex: str, serial: int) -> str:
    """Build a structurally valid number (used by the sample generator and tests)."""
    century = (birth_year // 100) * 100
    digit = {v: k for k, v in _CENTURY_SEX.items()}[(century, sex)]
    return f"{province_code}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"

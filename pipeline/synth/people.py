"""Synthetic people and places: Vietnamese names, real province/district/commune addresses, dates
and ID numbers consistent with date of birth and sex (so cross-checks on generated papers pass).

Administrative units are the three-tier ones in force before the 2025 reorganisation, which is
what papers issued in 2015-2024 print. Agency codes are synthetic (shaped like H62.22.10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from pipeline.domain.idnumber import make_id
from pipeline.domain.papers import CARD_RENEWAL_AGES

SURNAMES = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
            "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Lương", "Mai", "Tạ")
MIDDLE_MALE = ("Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thành", "Công", "Mạnh", "Ngọc", "Đình",
               "Trọng", "Quốc", "Tiến")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Bích", "Thuỳ",
                 "Khánh", "Diệu")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Mạnh", "Nam",
              "Phúc", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Đức", "Hoàng", "Lộc",
              "Nghĩa", "Thịnh", "Hiếu", "Kiên", "Tùng", "Dương")
GIVEN_FEMALE = ("Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Huyền", "Hương", "Lan",
                "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Tuyết",
                "Yến", "Vân", "Thuỷ", "Diệp", "Loan", "Nguyệt", "Xuân")
ETHNICITIES = ("Kinh",) * 12 + ("Tày", "Mường", "Thái", "Nùng", "Dao", "Sán Dìu")

# province code -> (province name as printed, {district: [communes]}, agency prefix, main town for dates)
# Districts and communes are real units (before the 2025 merger).
PLACES: dict[str, tuple[str, dict[str, list[str]], str, str]] = {
    "001": ("Thành phố Hà Nội", {
        "Quận Ba Đình": ["Phường Kim Mã", "Phường Ngọc Hà", "Phường Liễu Giai", "Phường Điện Biên"],
        "Quận Cầu Giấy": ["Phường Dịch Vọng", "Phường Nghĩa Đô", "Phường Quan Hoa", "Phường Yên Hòa"],
        "Huyện Ba Vì": ["Xã Tản Lĩnh", "Xã Vật Lại", "Xã Cẩm Lĩnh", "Thị trấn Tây Đằng"],
        "Huyện Sóc Sơn": ["Xã Phù Linh", "Xã Mai Đình", "Xã Tiên Dược"],
    }, "H26", "Hà Nội"),
    "026": ("Tỉnh Vĩnh Phúc", {
        "Thành phố Vĩnh Yên": ["Phường Liên Bảo", "Phường Tích Sơn", "Phường Đống Đa", "Xã Thanh Trù"],
        "Huyện Tam Dương": ["Xã Hợp Thịnh", "Xã Kim Long", "Thị trấn Hợp Hòa", "Xã Đạo Tú"],
        "Huyện Lập Thạch": ["Xã Bắc Bình", "Xã Tử Du", "Thị trấn Lập Thạch"],
        "Huyện Yên Lạc": ["Xã Tề Lỗ", "Xã Đồng Văn", "Thị trấn Yên Lạc", "Xã Trung Nguyên"],
    }, "H62", "Vĩnh Yên"),
    "027": ("Tỉnh Bắc Ninh", {
        "Thành phố Bắc Ninh": ["Phường Suối Hoa", "Phường Võ Cường", "Phường Kinh Bắc"],
        "Huyện Tiên Du": ["Thị trấn Lim", "Xã Phật Tích", "Xã Liên Bão"],
    }, "H10", "Bắc Ninh"),
    "031": ("Thành phố Hải Phòng", {
        "Quận Lê Chân": ["Phường An Biên", "Phường Dư Hàng", "Phường Trại Cau"],
        "Huyện Thủy Nguyên": ["Xã Lập Lễ", "Xã Tam Hưng", "Thị trấn Núi Đèo"],
    }, "H27", "Hải Phòng"),
    "036": ("Tỉnh Nam Định", {
        "Thành phố Nam Định": ["Phường Vị Xuyên", "Phường Trần Tế Xương", "Phường Lộc Hạ"],
        "Huyện Hải Hậu": ["Thị trấn Yên Định", "Xã Hải Minh", "Xã Hải Anh"],
    }, "H43", "Nam Định"),
    "038": ("Tỉnh Thanh Hóa", {
        "Thành phố Thanh Hóa": ["Phường Điện Biên", "Phường Ba Đình", "Phường Đông Thọ"],
        "Huyện Hoằng Hóa": ["Thị trấn Bút Sơn", "Xã Hoằng Đạo", "Xã Hoằng Phụ"],
    }, "H56", "Thanh Hóa"),
    "040": ("Tỉnh Nghệ An", {
        "Thành phố Vinh": ["Phường Hưng Bình", "Phường Lê Lợi", "Xã Nghi Phú"],
        "Huyện Nghi Lộc": ["Xã Nghi Long", "Xã Nghi Xá", "Thị trấn Quán Hành"],
    }, "H40", "Vinh"),
    "046": ("Tỉnh Thừa Thiên Huế", {
        "Thành phố Huế": ["Phường Phú Hội", "Phường Vĩnh Ninh", "Phường Thuận Thành"],
        "Huyện Phú Vang": ["Thị trấn Thuận An", "Xã Phú Thượng", "Xã Phú Mỹ"],
    }, "H57", "Huế"),
    "048": ("Thành phố Đà Nẵng", {
        "Quận Hải Châu": ["Phường Thạch Thang", "Phường Hòa Thuận Tây", "Phường Phước Ninh"],
        "Quận Sơn Trà": ["Phường An Hải Bắc", "Phường Mân Thái", "Phường Thọ Quang"],
        "Huyện Hòa Vang": ["Xã Hòa Phong", "Xã Hòa Tiến", "Xã Hòa Nhơn"],
    }, "H17", "Đà Nẵng"),
    "079": ("Thành phố Hồ Chí Minh", {
        "Quận 1": ["Phường Bến Nghé", "Phường Đa Kao", "Phường Tân Định"],
        "Huyện Củ Chi": ["Xã Tân Thạnh Đông", "Xã Phước Vĩnh An", "Thị trấn Củ Chi"],
        "Thành phố Thủ Đức": ["Phường Linh Trung", "Phường Hiệp Phú", "Phường Thảo Điền"],
    }, "H29", "Thành phố Hồ Chí Minh"),
    "092": ("Thành phố Cần Thơ", {
        "Quận Ninh Kiều": ["Phường An Hòa", "Phường Xuân Khánh", "Phường Tân An"],
        "Huyện Phong Điền": ["Xã Mỹ Khánh", "Xã Nhơn Ái", "Thị trấn Phong Điền"],
    }, "H14", "Cần Thơ"),
}
STREETS = ("Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt", "Hùng Vương",
           "Nguyễn Huệ", "Phan Đình Phùng", "Ngô Quyền", "Lê Duẩn", "Điện Biên Phủ")
HAMLET_WORDS = ("Thôn", "Xóm", "Tổ dân phố", "Ấp", "Khu phố")


def pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(0, len(seq)))]


@dataclass(frozen=True)
class Place:
    province_code: str
    province: str
    district: str
    commune: str
    detail: str  # hamlet or house number and street

    @property
    def full(self) -> str:
        return f"{self.detail}, {self.commune}, {self.district}, {self.province}"

    @property
    def short(self) -> str:
        """'Xã Hợp Thịnh, Huyện Tam Dương, Tỉnh Vĩnh Phúc' (quê quán style)."""
        return f"{self.commune}, {self.district}, {self.province}"

    @property
    def commune_bare(self) -> str:
        return _bare(self.commune)

    @property
    def district_bare(self) -> str:
        return _bare(self.district)

    @property
    def province_bare(self) -> str:
        return _bare(self.province)

    @property
    def town(self) -> str:
        return PLACES[self.province_code][3]


def _bare(unit: str) -> str:
    for prefix in ("Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã "):
        if unit.startswith(prefix):
            return unit[len(prefix):]
    return unit


def make_place(rng: np.random.Generator, province_code: str | None = None) -> Place:
    code = province_code or pick(rng, sorted(PLACES))
    province, districts, _, _ = PLACES[code]
    district = pick(rng, sorted(districts))
    commune = pick(rng, districts[district])
    if commune.startswith("Xã"):
        detail = f"{pick(rng, HAMLET_WORDS[:2])} {pick(rng, ('Đông', 'Đoài', 'Thượng', 'Hạ', 'Trung', 'Tân Lập', 'Phú Thọ', 'Đồng Tâm'))}"
    else:
        detail = f"Số {int(rng.integers(1, 250))} đường {pick(rng, STREETS)}"
    return Place(code, province, district, commune, detail)


@dataclass(frozen=True)
class Person:
    full_name: str
    sex: str  # "nam" | "nu"
    date_of_birth: date
    id_number: str
    birth_place: Place
    residence: Place
    origin: Place
    ethnicity: str = "Kinh"
    nationality: str = "Việt Nam"
    card_issued_on: date = date(2021, 6, 1)
    identifying_mark: str = "Nốt ruồi C:1cm trên trước đuôi mắt trái"

    @property
    def sex_vi(self) -> str:
        return "Nam" if self.sex == "nam" else "Nữ"

    @property
    def card_valid_until(self) -> date:
        """CCCD validity: renewed at 25, 40 and 60 (Law on Citizen Identity 2014, art. 21)."""
        for age in CARD_RENEWAL_AGES:
            limit = _birthday(self.date_of_birth, age)
            if limit > self.card_issued_on + timedelta(days=365 * 2):
                return limit
        return date(9999, 12, 31)  # no expiry after 60

    @property
    def surname(self) -> str:
        return self.full_name.split()[0]


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return dob.replace(year=dob.year + age, day=28)


MARKS = ("Nốt ruồi C:1cm trên trước đuôi mắt trái", "Sẹo chấm C:2cm dưới sau cánh mũi phải",
         "Nốt ruồi C:1,5cm dưới trước mép trái", "Sẹo chấm C:1cm trên đầu lông mày phải",
         "Nốt ruồi C:2cm trên sau đuôi mắt phải")


def make_name(rng: np.random.Generator, sex: str, surname: str | None = None) -> str:
    middle = MIDDLE_MALE if sex == "nam" else MIDDLE_FEMALE
    given = GIVEN_MALE if sex == "nam" else GIVEN_FEMALE
    parts = [surname or pick(rng, SURNAMES), pick(rng, middle)]
    if rng.random() < 0.2:
        parts.append(pick(rng, ("Minh", "Hoài", "Bảo", "Gia", "Anh")) if sex == "nam" else pick(rng, ("Mai", "Bảo", "Hoài", "Gia")))
    parts.append(pick(rng, given))
    return " ".join(parts)


def random_date(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, max(1, (end - start).days))))


def make_person(rng: np.random.Generator, *, sex: str | None = None, born_between: tuple[date, date] =
                (date(1960, 1, 1), date(2003, 12, 31)), surname: str | None = None,
                province_code: str | None = None, residence: Place | None = None) -> Person:
    sex = sex or pick(rng, ("nam", "nu"))
    dob = random_date(rng, *born_between)
    birth = make_place(rng, province_code)
    res = residence or (birth if rng.random() < 0.6 else make_place(rng))
    origin = birth if rng.random() < 0.7 else make_place(rng)
    id_number = make_id(birth.province_code, dob.year, sex, int(rng.integers(0, 1_000_000)))
    issued = random_date(rng, max(date(2021, 1, 15), _birthday(dob, 14)), date(2024, 6, 30))
    return Person(full_name=make_name(rng, sex, surname), sex=sex, date_of_birth=dob, id_number=id_number,
                  birth_place=birth, residence=res, origin=origin, ethnicity=pick(rng, ETHNICITIES),
                  card_issued_on=issued, identifying_mark=pick(rng, MARKS))


@dataclass
class Family:
    """The applicant and the people their papers mention, consistent across a dossier."""

    applicant: Person
    spouse: Person
    child: Person | None = None
    extras: list[Person] = field(default_factory=list)


def make_family(rng: np.random.Generator, *, applicant_place: Place | None = None) -> Family:
    applicant = make_person(rng, born_between=(date(1975, 1, 1), date(2000, 12, 31)),
                            province_code=applicant_place.province_code if applicant_place else None,
                            residence=applicant_place)
    spouse_sex = "nu" if applicant.sex == "nam" else "nam"
    low = max(date(1970, 1, 1), applicant.date_of_birth - timedelta(days=365 * 6))
    high = min(date(2002, 12, 31), applicant.date_of_birth + timedelta(days=365 * 6))
    spouse = make_person(rng, sex=spouse_sex, born_between=(low, high), residence=applicant.residence)
    father = applicant if applicant.sex == "nam" else spouse
    child_birth = random_date(rng, date(2023, 1, 1), date(2024, 9, 30))
    child = make_person(rng, born_between=(child_birth, child_birth + timedelta(days=1)),
                        surname=father.surname, province_code=applicant.residence.province_code,
                        residence=applicant.residence)
    child = Person(**{**child.__dict__, "birth_place": applicant.residence})
    return Family(applicant=applicant, spouse=spouse, child=child)


def d_m_y(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def long_date(place: str, value: date) -> str:
    """'Hà Nội, ngày 12 tháng 3 năm 2024' (day and month as printed on letters, zero-padded below 10 for days)."""
    return f"{place}, ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def agency_prefix(province_code: str) -> str:
    return PLACES[province_code][2]

"""Canonical key-field names per paper type: the generator's truth.json, the extractors and the
index all use these names, so a field read from a scan can be compared with what was drawn.

Value conventions (Field.value and truth.json alike):
- dates: ISO `YYYY-MM-DD`; ID numbers: 12 digits; business codes: digits as printed;
- names: NFC, Vietnamese title case ("Nguyễn Thị Ánh"), single spaces;
- sex: "nam" | "nu"; area: decimal with a dot, square metres ("126.5");
- everything else: NFC text as printed, whitespace collapsed.
"""

from __future__ import annotations

import re

from pipeline.domain.papers import PaperType

KEY_FIELDS: dict[PaperType, tuple[str, ...]] = {
    PaperType.CCCD: ("id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
                     "place_of_residence", "valid_until", "issued_on"),
    PaperType.TO_KHAI: ("procedure", "requester_name", "requester_id_number", "date"),
    PaperType.GIAY_KHAI_SINH: ("full_name", "sex", "date_of_birth", "place_of_birth", "ethnicity", "nationality",
                               "father_name", "mother_name", "id_number"),
    PaperType.GIAY_CHUNG_SINH: ("mother_name", "child_sex", "date_of_birth", "hospital"),
    PaperType.GIAY_CHUNG_NHAN_KET_HON: ("husband_name", "husband_date_of_birth", "husband_id_number", "wife_name",
                                        "wife_date_of_birth", "wife_id_number", "registered_on", "number"),
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: ("full_name", "date_of_birth", "sex", "id_number", "marital_status", "purpose",
                                             "valid_until", "issued_on"),
    PaperType.GIAY_CHUNG_NHAN_QSDD: ("serial", "register_number", "owner_name", "parcel_number", "map_sheet_number",
                                     "address", "area_m2", "purpose", "term"),
    PaperType.HOP_DONG: ("contract_type", "party_a", "party_b", "object", "value", "date", "notarization_number"),
    PaperType.GIAY_UY_QUYEN: ("grantor_name", "grantor_date_of_birth", "grantor_id_number", "grantee_name", "scope",
                              "term"),
    PaperType.DANG_KY_KINH_DOANH: ("business_code", "business_name", "address", "owner_name", "registered_on"),
    PaperType.VAN_BAN_HANH_CHINH: ("issuer", "number", "date", "doc_type", "subject", "signer"),
    PaperType.BANG_CAP: ("holder_name", "degree", "institution", "date", "number"),
    PaperType.KHAC: (),
}

# What counter staff read for each field (tables, review screens). Names shared by several papers get the
# label that fits them all ("date": the paper's date, whether signed, issued or declared).
FIELD_NAMES_VI: dict[str, str] = {
    "address": "Địa chỉ", "area_m2": "Diện tích (m²)", "business_code": "Mã số hộ kinh doanh",
    "business_name": "Tên hộ kinh doanh", "child_sex": "Giới tính của con", "contract_type": "Loại hợp đồng",
    "date": "Ngày", "date_of_birth": "Ngày sinh", "degree": "Văn bằng", "doc_type": "Loại văn bản",
    "ethnicity": "Dân tộc", "father_name": "Họ tên cha", "full_name": "Họ và tên",
    "grantee_name": "Người được ủy quyền", "grantor_date_of_birth": "Ngày sinh người ủy quyền",
    "grantor_id_number": "Số định danh người ủy quyền",
    "grantor_name": "Người ủy quyền", "holder_name": "Người được cấp", "hospital": "Cơ sở y tế",
    "husband_date_of_birth": "Ngày sinh người chồng", "husband_id_number": "Số định danh người chồng",
    "husband_name": "Họ tên người chồng", "id_number": "Số định danh cá nhân", "institution": "Nơi cấp bằng",
    "issued_on": "Ngày cấp", "issuer": "Cơ quan ban hành", "map_sheet_number": "Tờ bản đồ số",
    "marital_status": "Tình trạng hôn nhân", "mother_name": "Họ tên mẹ", "nationality": "Quốc tịch",
    "notarization_number": "Số công chứng", "number": "Số, ký hiệu", "object": "Đối tượng của hợp đồng",
    "owner_name": "Người đứng tên", "parcel_number": "Thửa đất số", "party_a": "Bên A", "party_b": "Bên B",
    "place_of_birth": "Nơi sinh", "place_of_origin": "Quê quán", "place_of_residence": "Nơi thường trú",
    "procedure": "Thủ tục", "purpose": "Mục đích", "register_number": "Số vào sổ cấp giấy chứng nhận",
    "registered_on": "Ngày đăng ký", "requester_id_number": "Số định danh người yêu cầu",
    "requester_name": "Người yêu cầu", "scope": "Phạm vi ủy quyền", "serial": "Số phát hành (seri)",
    "sex": "Giới tính", "signer": "Người ký", "subject": "Trích yếu", "term": "Thời hạn",
    "valid_until": "Có giá trị đến", "value": "Giá trị hợp đồng", "wife_date_of_birth": "Ngày sinh người vợ",
    "wife_id_number": "Số định danh người vợ", "wife_name": "Họ tên người vợ",
}

# The value of an expiry field on a paper printed "Không thời hạn" (cards of people over 60).
NO_EXPIRY = "9999-12-31"
_SEX_VI = {"nam": "Nam", "nu": "Nữ"}


def display_value(name: str, value: str) -> str:
    """A field's value as Vietnamese readers write it: dates dd/mm/yyyy, "Không thời hạn", Nam/Nữ."""
    if value == NO_EXPIRY:
        return "Không thời hạn"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if name.endswith("sex"):
        return _SEX_VI.get(value, value)
    return value


# Fields that hold personal data: masked in logs, never used as metric labels.
PERSONAL_FIELDS: frozenset[str] = frozenset(
    name for fields in KEY_FIELDS.values() for name in fields
    if name.endswith(("_name", "id_number", "date_of_birth")) or name in {"full_name", "party_a", "party_b"}
)

# When a paper has an expiry, the field that holds it (reuse checks it against today).
VALID_UNTIL_FIELD: dict[PaperType, str] = {
    PaperType.CCCD: "valid_until",
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: "valid_until",
}

# The field naming whose paper it is, when the paper carries its owner's ID number. A paper
# without one (or whose number was not read and validated) belongs to the dossier's applicant.
OWNER_ID_FIELD: dict[PaperType, str] = {
    PaperType.CCCD: "id_number",
    PaperType.GIAY_KHAI_SINH: "id_number",
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: "id_number",
    PaperType.TO_KHAI: "requester_id_number",
    PaperType.GIAY_UY_QUYEN: "grantor_id_number",
}

"""Canonical key-field names per paper type: the generator's truth.json, the extractors and the
index all use these names, so a field read from a scan can be compared with what was drawn.

Value conventions (Field.value and truth.json alike):
- dates: ISO `YYYY-MM-DD`; ID numbers: 12 digits; business codes: digits as printed;
- names: NFC, Vietnamese title case ("Nguyễn Thị Ánh"), single spaces;
- sex: "nam" | "nu"; area: decimal with a dot, square metres ("126.5");
- everything else: NFC text as printed, whitespace collapsed.
"""

from __future__ import annotations

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
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: ("full_name", "id_number", "marital_status", "purpose", "valid_until"),
    PaperType.GIAY_CHUNG_NHAN_QSDD: ("serial", "register_number", "owner_name", "parcel_number", "map_sheet_number",
                                     "address", "area_m2", "purpose", "term"),
    PaperType.HOP_DONG: ("contract_type", "party_a", "party_b", "object", "value", "date", "notarization_number"),
    PaperType.GIAY_UY_QUYEN: ("grantor_name", "grantor_id_number", "grantee_name", "scope", "term"),
    PaperType.DANG_KY_KINH_DOANH: ("business_code", "business_name", "address", "owner_name", "registered_on"),
    PaperType.VAN_BAN_HANH_CHINH: ("issuer", "number", "date", "doc_type", "subject", "signer"),
    PaperType.BANG_CAP: ("holder_name", "degree", "institution", "date", "number"),
    PaperType.KHAC: (),
}

# Fields that hold personal data: masked in logs, never used as metric labels.
PERSONAL_FIELDS: frozenset[str] = frozenset(
    name for fields in KEY_FIELDS.values() for name in fields
    if name.endswith(("_name", "id_number")) or name in {"full_name", "party_a", "party_b", "date_of_birth"}
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

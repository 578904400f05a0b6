"""Paper (component) types, administrative levels and submission channels."""

from __future__ import annotations

from enum import StrEnum


class PaperType(StrEnum):
    CCCD = "cccd"
    TO_KHAI = "to_khai"
    GIAY_KHAI_SINH = "giay_khai_sinh"
    GIAY_CHUNG_SINH = "giay_chung_sinh"
    GIAY_CHUNG_NHAN_KET_HON = "giay_chung_nhan_ket_hon"
    XAC_NHAN_TINH_TRANG_HON_NHAN = "xac_nhan_tinh_trang_hon_nhan"
    GIAY_CHUNG_NHAN_QSDD = "giay_chung_nhan_qsdd"
    HOP_DONG = "hop_dong"
    GIAY_UY_QUYEN = "giay_uy_quyen"
    DANG_KY_KINH_DOANH = "dang_ky_kinh_doanh"
    VAN_BAN_HANH_CHINH = "van_ban_hanh_chinh"
    BANG_CAP = "bang_cap"
    KHAC = "khac"


PAPER_NAMES_VI: dict[PaperType, str] = {
    PaperType.CCCD: "Căn cước công dân / Căn cước",
    PaperType.TO_KHAI: "Tờ khai, đơn đề nghị, phiếu yêu cầu",
    PaperType.GIAY_KHAI_SINH: "Giấy khai sinh",
    PaperType.GIAY_CHUNG_SINH: "Giấy chứng sinh",
    PaperType.GIAY_CHUNG_NHAN_KET_HON: "Giấy chứng nhận kết hôn",
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: "Giấy xác nhận tình trạng hôn nhân",
    PaperType.GIAY_CHUNG_NHAN_QSDD: "Giấy chứng nhận quyền sử dụng đất",
    PaperType.HOP_DONG: "Hợp đồng",
    PaperType.GIAY_UY_QUYEN: "Giấy ủy quyền",
    PaperType.DANG_KY_KINH_DOANH: "Giấy chứng nhận đăng ký doanh nghiệp / hộ kinh doanh",
    PaperType.VAN_BAN_HANH_CHINH: "Văn bản hành chính",
    PaperType.BANG_CAP: "Bằng tốt nghiệp, chứng chỉ",
    PaperType.KHAC: "Giấy tờ khác",
}

# Papers that stay valid for reuse without an expiry date (a birth certificate is for life).
NEVER_EXPIRES: frozenset[PaperType] = frozenset(
    {PaperType.GIAY_KHAI_SINH, PaperType.GIAY_CHUNG_SINH, PaperType.GIAY_CHUNG_NHAN_KET_HON,
     PaperType.BANG_CAP, PaperType.GIAY_CHUNG_NHAN_QSDD, PaperType.DANG_KY_KINH_DOANH}
)


class Level(StrEnum):
    """Administrative level of the receiving agency."""

    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"


class Channel(StrEnum):
    """How the dossier was submitted; `portal_code` is the national portal's KenhThucHien."""

    TRUC_TIEP = "truc_tiep"
    TRUC_TUYEN = "truc_tuyen"
    BUU_CHINH = "buu_chinh"

    @property
    def portal_code(self) -> int:
        return {"truc_tiep": 1, "truc_tuyen": 2, "buu_chinh": 3}[self.value]

# A citizen identity card (CCCD) is renewed at these ages: it expires on the holder's birthday at the
# first of them that is more than two years after it was issued, and never after 60 (Law on Citizen
# Identity 2014, art. 21).
CARD_RENEWAL_AGES: tuple[int, ...] = (25, 40, 60)

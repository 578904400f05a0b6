"""Declarative field tables, one per paper type: which printed labels lead to which key field and how its
value is validated. Label variants cover the real forms (2016 CCCD, 2024 Căn cước, the civil-status
forms of Circular 04/2020/TT-BTP, land certificates of 2009-2023, business registration forms).

Matching is fuzzy on diacritic-free text, so variants only need to cover different wordings, not OCR
noise. Labels with an empty field name are stop labels: they end the value of the label before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pipeline.domain.fields import KEY_FIELDS
from pipeline.domain.papers import PaperType


class Kind(StrEnum):
    """How a value is read and checked (see pipeline.extract.run._read)."""

    NAME = "name"
    ID = "id"
    BIRTH_DATE = "birth_date"
    ISSUE_DATE = "issue_date"
    EXPIRY_DATE = "expiry_date"
    DATE = "date"
    SEX = "sex"
    TEXT = "text"
    ADDRESS = "address"  # text that may continue on the next line
    FACILITY = "facility"  # an agency's or facility's name ending with its province; read as TEXT
    NUMBER = "number"  # parcel / map sheet numbers
    AREA = "area"
    SERIAL = "serial"
    REGISTER = "register"
    BUSINESS_CODE = "business_code"
    DOC_NUMBER = "doc_number"  # "Số: 123/QĐ-UBND" or a bare number
    MONEY = "money"  # "1.500.000.000 đồng", "5.000.000 đồng/tháng"


@dataclass(frozen=True)
class FieldSpec:
    field: str
    kind: Kind
    labels: tuple[str, ...]
    section: str = ""  # only labels found after this section heading count (e.g. "chồng" / "vợ")


@dataclass(frozen=True)
class Table:
    fields: tuple[FieldSpec, ...]
    stops: tuple[str, ...] = ()  # labels of fields we do not extract: they end a value
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (section name, heading labels)
    title_field: str = ""  # a field read from the paper's title ("TỜ KHAI ĐĂNG KÝ KHAI SINH")
    title_prefixes: tuple[str, ...] = ()
    # how the title becomes the value: "procedure" (catalog name), "rest" (the words after the prefix, lower
    # case: "HỢP ĐỒNG THUÊ NHÀ" -> "thuê nhà"), "sentence" ("BẰNG CỬ NHÂN" -> "Bằng cử nhân")
    title_mode: str = "sentence"
    place_date_field: str = ""  # a field read from the "…, ngày … tháng … năm …" line


def _f(field: str, kind: Kind, labels: str, section: str = "") -> FieldSpec:
    return FieldSpec(field, kind, tuple(x.strip() for x in labels.split("|") if x.strip()), section)


NAME_LABELS = "Họ và tên|Họ, chữ đệm và tên|Họ, chữ đệm, tên|Họ tên|Họ và tên / Full name|Họ, chữ đệm và tên khai sinh"
ID_LABELS = ("Số định danh cá nhân|Số CCCD|Số căn cước công dân|Số căn cước|Số CMND/CCCD|Số CCCD/CMND|"
             "Giấy tờ tùy thân|Số giấy tờ tùy thân|Số CMND|Căn cước công dân số|CCCD số|"
             "Số giấy tờ pháp lý của cá nhân|Số CCCD/Số định danh")
DOB_LABELS = "Ngày sinh|Ngày, tháng, năm sinh|Ngày tháng năm sinh|Sinh ngày|Ngày sinh / Date of birth"

TABLES: dict[PaperType, Table] = {
    PaperType.CCCD: Table(
        fields=(
            _f("id_number", Kind.ID, "Số / No|Số/No|Số định danh cá nhân / Personal identification number|"
                                     "Số định danh cá nhân"),
            _f("full_name", Kind.NAME, NAME_LABELS + "|Full name"),
            _f("date_of_birth", Kind.BIRTH_DATE, DOB_LABELS + "|Date of birth"),
            _f("sex", Kind.SEX, "Giới tính|Giới tính / Sex"),
            _f("nationality", Kind.TEXT, "Quốc tịch|Quốc tịch / Nationality|Nationality"),
            _f("place_of_origin", Kind.ADDRESS, "Quê quán|Quê quán / Place of origin|Place of origin|"
                                                "Nơi đăng ký khai sinh|Nơi đăng ký khai sinh / Place of birth"),
            _f("place_of_residence", Kind.ADDRESS, "Nơi thường trú|Nơi thường trú / Place of residence|"
                                                   "Nơi cư trú|Nơi cư trú / Place of residence|Place of residence"),
            _f("valid_until", Kind.EXPIRY_DATE, "Có giá trị đến|Có giá trị đến / Date of expiry|Date of expiry|"
                                                "Ngày hết hạn"),
            _f("issued_on", Kind.ISSUE_DATE, "Ngày, tháng, năm cấp|Ngày, tháng, năm / Date, month, year|"
                                             "Ngày cấp|Ngày, tháng, năm|Date of issue|Date, month, year"),
        ),
        stops=("Đặc điểm nhân dạng", "Personal identification", "Ngón trỏ trái", "Ngón trỏ phải",
               "CỤC TRƯỞNG CỤC CẢNH SÁT", "Cục trưởng", "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card",
               "Identity Card", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               "SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"),
    ),
    PaperType.TO_KHAI: Table(
        fields=(
            _f("requester_name", Kind.NAME, "Họ, chữ đệm, tên người yêu cầu|Họ và tên người yêu cầu|"
                                            "Họ, chữ đệm và tên người yêu cầu|Họ và tên người đề nghị|"
                                            "Tên người yêu cầu|Tôi là (ghi họ tên bằng chữ in hoa)|Tôi tên là|"
                                            "Người yêu cầu|Người đề nghị|Người khai|" + NAME_LABELS + "|Tên"),
            _f("requester_id_number", Kind.ID, ID_LABELS + "|Giấy tờ tùy thân số"),
        ),
        stops=("Nơi cư trú", "Nơi thường trú", "Quan hệ với người được", "Ngày sinh", "Số điện thoại",
               "Điện thoại", "Email", "Kính gửi", "Ngày cấp", "Nơi cấp", "Dân tộc", "Quốc tịch", "Giới tính",
               "Năm sinh", "Sinh ngày", "Địa chỉ", "Địa chỉ thường trú", "Họ, chữ đệm, tên người mẹ",
               "Họ, chữ đệm, tên người cha", "Tên hộ kinh doanh", "Loại giấy tờ pháp lý của cá nhân"),
        title_field="procedure",
        title_prefixes=("TỜ KHAI", "ĐƠN ĐỀ NGHỊ", "ĐƠN", "GIẤY ĐỀ NGHỊ", "PHIẾU YÊU CẦU", "PHIẾU ĐỀ NGHỊ",
                        "TỜ TRÌNH", "BẢN KHAI"),
        title_mode="procedure",
        place_date_field="date",
    ),
    PaperType.GIAY_KHAI_SINH: Table(
        fields=(
            _f("full_name", Kind.NAME, NAME_LABELS),
            _f("sex", Kind.SEX, "Giới tính"),
            _f("date_of_birth", Kind.BIRTH_DATE, DOB_LABELS),
            _f("place_of_birth", Kind.ADDRESS, "Nơi sinh"),
            _f("ethnicity", Kind.TEXT, "Dân tộc"),
            _f("nationality", Kind.TEXT, "Quốc tịch"),
            _f("father_name", Kind.NAME, "Họ, chữ đệm, tên người cha|Họ và tên cha|Họ, chữ đệm và tên người cha|"
                                         "Họ tên cha|Họ và tên người cha|Tên cha"),
            _f("mother_name", Kind.NAME, "Họ, chữ đệm, tên người mẹ|Họ và tên mẹ|Họ, chữ đệm và tên người mẹ|"
                                         "Họ tên mẹ|Họ và tên người mẹ|Tên mẹ"),
            _f("id_number", Kind.ID, "Số định danh cá nhân|Số định danh"),
        ),
        stops=("Quê quán", "Nơi cư trú", "Nơi thường trú", "Năm sinh", "Ghi bằng chữ", "bằng chữ",
               "Nơi đăng ký khai sinh", "Ngày đăng ký", "Người đi khai sinh", "Quan hệ với người được khai sinh",
               "Giấy tờ tùy thân", "Số:", "Quyển số", "Họ, chữ đệm, tên người đi khai sinh",
               "Ngày, tháng, năm đăng ký"),
    ),
    PaperType.GIAY_CHUNG_SINH: Table(
        fields=(
            _f("mother_name", Kind.NAME, "Họ và tên mẹ|Họ tên mẹ|Họ, chữ đệm, tên mẹ|Họ và tên người mẹ|"
                                         "Họ, chữ đệm và tên mẹ|Mẹ|Họ và tên mẹ / Người nuôi dưỡng"),
            _f("child_sex", Kind.SEX, "Giới tính|Giới tính của con|Giới tính trẻ|Giới tính con"),
            _f("date_of_birth", Kind.BIRTH_DATE, "Đã sinh con vào lúc|Sinh con vào lúc|Ngày sinh con|"
                                                 "Ngày, tháng, năm sinh của con|Sinh ngày|Ngày sinh"),
            _f("hospital", Kind.FACILITY, "Tại|Nơi sinh|Sinh tại|Cơ sở khám bệnh, chữa bệnh|Cơ sở y tế"),
        ),
        stops=("Năm sinh", "Nơi đăng ký thường trú", "Nơi cư trú", "Nơi thường trú", "Dân tộc",
               "Số CMND", "Số định danh", "Cân nặng", "Dự định đặt tên con", "Số con", "Ghi chú",
               "Số CCCD", "Căn cước", "Người đỡ đẻ", "Thủ trưởng"),
    ),
    PaperType.GIAY_CHUNG_NHAN_KET_HON: Table(
        fields=(
            _f("husband_name", Kind.NAME, "Họ, chữ đệm, tên chồng|Họ và tên chồng|Họ tên chồng|Chồng|"
                                          "Họ, chữ đệm và tên chồng"),
            _f("husband_name", Kind.NAME, NAME_LABELS, section="chong"),
            _f("husband_date_of_birth", Kind.BIRTH_DATE, "Ngày sinh chồng|Ngày, tháng, năm sinh chồng"),
            _f("husband_date_of_birth", Kind.BIRTH_DATE, DOB_LABELS, section="chong"),
            _f("husband_id_number", Kind.ID, ID_LABELS, section="chong"),
            _f("wife_name", Kind.NAME, "Họ, chữ đệm, tên vợ|Họ và tên vợ|Họ tên vợ|Vợ|Họ, chữ đệm và tên vợ"),
            _f("wife_name", Kind.NAME, NAME_LABELS, section="vo"),
            _f("wife_date_of_birth", Kind.BIRTH_DATE, "Ngày sinh vợ|Ngày, tháng, năm sinh vợ"),
            _f("wife_date_of_birth", Kind.BIRTH_DATE, DOB_LABELS, section="vo"),
            _f("wife_id_number", Kind.ID, ID_LABELS, section="vo"),
            _f("registered_on", Kind.ISSUE_DATE, "Ngày đăng ký|Ngày, tháng, năm đăng ký|Đăng ký ngày|"
                                                 "Ngày đăng ký kết hôn"),
            _f("number", Kind.DOC_NUMBER, "Số|Số:"),
        ),
        # "Thông người vợ": OCR drops a short word of the heading
        sections=(("chong", ("Thông tin người chồng", "Thông tin về chồng", "Bên chồng", "CHỒNG", "Người chồng",
                             "Thông người chồng", "Thông tin chồng")),
                  ("vo", ("Thông tin người vợ", "Thông tin về vợ", "Bên vợ", "VỢ", "Người vợ", "Thông người vợ",
                          "Thông tin vợ"))),
        stops=("Dân tộc", "Quốc tịch", "Nơi cư trú", "Nơi thường trú", "Quyển số", "Giới tính",
               "Giấy tờ tùy thân", "Nơi đăng ký"),
    ),
    PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN: Table(
        fields=(
            _f("full_name", Kind.NAME, NAME_LABELS),
            _f("date_of_birth", Kind.BIRTH_DATE, DOB_LABELS),
            _f("sex", Kind.SEX, "Giới tính"),
            _f("id_number", Kind.ID, ID_LABELS),
            _f("marital_status", Kind.TEXT, "Tình trạng hôn nhân|Tình trạng hôn nhân hiện nay"),
            _f("purpose", Kind.TEXT, "Giấy này được cấp để|Mục đích sử dụng|Được cấp để|Mục đích"),
            _f("valid_until", Kind.EXPIRY_DATE, "Có giá trị đến ngày|Có giá trị đến|Giá trị sử dụng đến|"
                                                "Giấy này có giá trị sử dụng đến ngày|Có giá trị sử dụng đến ngày|"
                                                "Có giá trị sử dụng đến|Có giá trị sử dụng trong thời hạn"),
        ),
        stops=("Ngày, tháng, năm sinh", "Ngày sinh", "Giới tính", "Dân tộc", "Quốc tịch", "Nơi cư trú",
               "Nơi thường trú", "Nơi cấp", "Ngày cấp"),
        place_date_field="issued_on",  # the paper is dated where it is signed: its issue date
    ),
    PaperType.GIAY_CHUNG_NHAN_QSDD: Table(
        fields=(
            _f("serial", Kind.SERIAL, "Số seri|Số phát hành|Seri|Số hiệu|Số phát hành GCN"),
            _f("register_number", Kind.REGISTER, "Số vào sổ cấp GCN|Số vào sổ cấp giấy chứng nhận|Số vào sổ"),
            _f("owner_name", Kind.NAME, "Ông|Bà|Ông/Bà|Ông (bà)|Hộ ông|Hộ bà|Người được cấp|Chủ sử dụng"),
            _f("parcel_number", Kind.NUMBER, "Thửa đất số|Thửa số|Số thửa"),
            _f("map_sheet_number", Kind.NUMBER, "Tờ bản đồ số|Tờ bản đồ|Số tờ bản đồ"),
            _f("address", Kind.ADDRESS, "Địa chỉ thửa đất|Địa chỉ"),
            _f("area_m2", Kind.AREA, "Diện tích|Diện tích đất"),
            _f("purpose", Kind.TEXT, "Mục đích sử dụng|Mục đích sử dụng đất"),
            _f("term", Kind.TEXT, "Thời hạn sử dụng|Thời hạn"),
        ),
        stops=("Hình thức sử dụng", "Nguồn gốc sử dụng", "Năm sinh", "CCCD số", "CMND số", "Sinh năm",
               "Địa chỉ thường trú", "Người sử dụng đất", "Số phát hành GCN",
               "bằng chữ", "Ghi chú", "Nhà ở", "Công trình xây dựng", "Rừng sản xuất", "Cây lâu năm",
               "Số định danh", "Căn cước công dân số"),
    ),
    PaperType.HOP_DONG: Table(
        fields=(
            _f("party_a", Kind.NAME, "Ông/Bà|Ông|Bà|Họ và tên|Họ tên|Đại diện|Họ, chữ đệm, tên", section="a"),
            _f("party_b", Kind.NAME, "Ông/Bà|Ông|Bà|Họ và tên|Họ tên|Đại diện|Họ, chữ đệm, tên", section="b"),
            _f("object", Kind.TEXT, "Đối tượng của hợp đồng|Đối tượng hợp đồng|Đối tượng chuyển nhượng|"
                                    "Tài sản chuyển nhượng|Tài sản mua bán|Tài sản tặng cho"),
            _f("value", Kind.MONEY, "Giá chuyển nhượng|Giá trị hợp đồng|Giá mua bán|Giá trị tài sản|Giá tiền|"
                                    "Giá thuê nhà|Giá thuê|Giá trị|Giá"),
            _f("notarization_number", Kind.DOC_NUMBER, "Số công chứng|Số công chứng / chứng thực|"
                                                       "Số chứng thực|Quyển số|Số"),
        ),
        sections=(("a", ("BÊN A", "BÊN CHUYỂN NHƯỢNG", "BÊN BÁN", "BÊN TẶNG CHO", "BÊN CHO THUÊ", "BÊN CHO VAY")),
                  ("b", ("BÊN B", "BÊN NHẬN CHUYỂN NHƯỢNG", "BÊN MUA", "BÊN ĐƯỢC TẶNG CHO", "BÊN NHẬN TẶNG CHO",
                         "BÊN THUÊ", "BÊN VAY"))),
        stops=("Sinh năm", "Năm sinh", "Ngày sinh", "Sinh ngày", "CCCD số", "Số CCCD", "Căn cước công dân số",
               "Địa chỉ", "Nơi cư trú", "Thường trú", "Bằng chữ", "Điện thoại", "Cấp ngày", "Nơi cấp",
               "quyển số"),
        title_field="contract_type",
        title_prefixes=("HỢP ĐỒNG",),
        title_mode="rest",
        place_date_field="date",
    ),
    PaperType.GIAY_UY_QUYEN: Table(
        fields=(
            _f("grantor_name", Kind.NAME, NAME_LABELS + "|Ông/Bà|Ông|Bà", section="a"),
            _f("grantor_date_of_birth", Kind.BIRTH_DATE, DOB_LABELS, section="a"),
            _f("grantor_id_number", Kind.ID, ID_LABELS, section="a"),
            _f("grantee_name", Kind.NAME, NAME_LABELS + "|Ông/Bà|Ông|Bà", section="b"),
            _f("scope", Kind.TEXT, "Nội dung ủy quyền|Phạm vi ủy quyền|Nội dung và phạm vi ủy quyền"),
            _f("term", Kind.TEXT, "Thời hạn ủy quyền|Thời hạn"),
        ),
        sections=(("a", ("BÊN ỦY QUYỀN", "NGƯỜI ỦY QUYỀN", "BÊN A")),
                  # "NHẬN ỦY QUYỀN": the heading with "BÊN" lost to OCR ("II .NHẬN ỦY QUYỀN:")
                  ("b", ("BÊN NHẬN ỦY QUYỀN", "BÊN ĐƯỢC ỦY QUYỀN", "NGƯỜI ĐƯỢC ỦY QUYỀN", "NGƯỜI NHẬN ỦY QUYỀN",
                         "BÊN B", "NHẬN ỦY QUYỀN"))),
        stops=("Sinh năm", "Năm sinh", "Ngày sinh", "Địa chỉ", "Nơi cư trú", "Thường trú", "Cấp ngày",
               "Nơi cấp", "Ngày cấp", "Điện thoại"),
    ),
    PaperType.DANG_KY_KINH_DOANH: Table(
        fields=(
            _f("business_code", Kind.BUSINESS_CODE, "Mã số doanh nghiệp|Mã số hộ kinh doanh|Mã số|"
                                                    "Mã số đăng ký hộ kinh doanh|Số đăng ký hộ kinh doanh|Số"),
            _f("business_name", Kind.TEXT, "Tên doanh nghiệp viết bằng tiếng Việt|Tên doanh nghiệp|"
                                           "Tên hộ kinh doanh|Tên công ty viết bằng tiếng Việt|Tên công ty"),
            _f("address", Kind.ADDRESS, "Địa chỉ trụ sở chính|Địa điểm kinh doanh|Địa chỉ trụ sở|"
                                        "Địa chỉ trụ sở hộ kinh doanh"),
            _f("owner_name", Kind.NAME, NAME_LABELS + "|Chủ doanh nghiệp|Chủ hộ kinh doanh|Họ và tên chủ hộ|"
                                        "Họ tên chủ hộ|Họ và tên đại diện hộ kinh doanh|"
                                        "Họ và tên người đại diện theo pháp luật"),
            _f("registered_on", Kind.ISSUE_DATE, "Đăng ký lần đầu|Đăng ký lần đầu ngày|Ngày đăng ký lần đầu|"
                                                 "Ngày đăng ký"),
        ),
        stops=("Tên doanh nghiệp viết bằng tiếng nước ngoài", "Tên doanh nghiệp viết tắt", "Tên viết tắt",
               "Điện thoại", "Fax", "Email", "Website", "Vốn điều lệ", "Vốn kinh doanh", "Giới tính",
               "Sinh ngày", "Ngày sinh", "Dân tộc", "Quốc tịch", "Chức danh", "Đăng ký thay đổi",
               "Ngành, nghề kinh doanh", "Ngành nghề kinh doanh", "Loại giấy tờ pháp lý", "Địa chỉ thường trú",
               "Số giấy tờ pháp lý của cá nhân", "Ngày cấp"),
    ),
    PaperType.BANG_CAP: Table(
        fields=(
            _f("holder_name", Kind.NAME, "Cho|Cấp cho|Họ và tên|Họ tên|Ông/Bà|Ông|Bà|Họ, chữ đệm và tên"),
            _f("institution", Kind.FACILITY, "Cơ sở đào tạo|Tên cơ sở đào tạo|Hiệu trưởng|Giám đốc|Viện trưởng"),
            _f("number", Kind.DOC_NUMBER, "Số hiệu|Số hiệu văn bằng|Số bằng|Số"),
        ),
        stops=("Ngày sinh", "Sinh ngày", "Năm tốt nghiệp", "Hình thức đào tạo", "Xếp loại", "Giới tính",
               "Nơi sinh", "Dân tộc", "Số vào sổ cấp bằng", "Số vào sổ", "Ngành đào tạo", "Ngành"),
        title_field="degree",
        title_prefixes=("BẰNG", "CHỨNG CHỈ", "GIẤY CHỨNG NHẬN"),
        title_mode="sentence",
        place_date_field="date",
    ),
    PaperType.KHAC: Table(fields=()),
}

# Every table only names fields of its type (checked at import: a typo here would silently drop a field).
for _ptype, _table in TABLES.items():
    _unknown = {s.field for s in _table.fields} - set(KEY_FIELDS[_ptype])
    _unknown |= ({_table.title_field, _table.place_date_field} - {""}) - set(KEY_FIELDS[_ptype])
    if _unknown:
        raise RuntimeError(f"extraction table for {_ptype} names unknown fields {sorted(_unknown)}")

"""Extraction from small hand-written text samples of every paper type, as printed and as OCR that lost
its diacritics or confused characters. Each sample imitates the real paper's wording and layout."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.domain.fields import KEY_FIELDS
from pipeline.domain.papers import PaperType
from pipeline.domain.vntext import strip_diacritics
from pipeline.extract import extract_fields

TODAY = date(2026, 11, 28)

CCCD_FRONT_BACK = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
CĂN CƯỚC CÔNG DÂN
Citizen Identity Card
Số / No.: 001090012345
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 12/03/1990
Giới tính / Sex: Nam   Quốc tịch / Nationality: Việt Nam
Quê quán / Place of origin:
Xã Tản Lĩnh, Huyện Ba Vì, Thành phố Hà Nội
Nơi thường trú / Place of residence: Số 12 đường Trần Phú
Phường Kim Mã, Quận Ba Đình, Thành phố Hà Nội
Có giá trị đến: 12/03/2030
Đặc điểm nhân dạng / Personal identification:
Nốt ruồi C:1cm trên trước đuôi mắt trái
Ngày, tháng, năm / Date, month, year: 10/08/2021
CỤC TRƯỞNG CỤC CẢNH SÁT
QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI
"""
CCCD_TRUTH = {
    "id_number": "001090012345", "full_name": "Nguyễn Văn An", "date_of_birth": "1990-03-12", "sex": "nam",
    "nationality": "Việt Nam", "place_of_origin": "Xã Tản Lĩnh, Huyện Ba Vì, Thành phố Hà Nội",
    "place_of_residence": "Số 12 đường Trần Phú, Phường Kim Mã, Quận Ba Đình, Thành phố Hà Nội",
    "valid_until": "2030-03-12", "issued_on": "2021-08-10",
}
# The 2024 card (Căn cước): new labels, residence instead of permanent address.
CAN_CUOC_2024 = """CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
CĂN CƯỚC
Số định danh cá nhân / Personal identification number: 026192004567
Họ, chữ đệm và tên khai sinh / Full name:
TRẦN THỊ BÌNH
Ngày, tháng, năm sinh / Date of birth: 05/11/1992
Giới tính / Sex: Nữ   Quốc tịch / Nationality: Việt Nam
"""

TO_KHAI = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỜ KHAI ĐĂNG KÝ KHAI SINH
Kính gửi: Ủy ban nhân dân xã Tản Lĩnh, huyện Ba Vì
Họ, chữ đệm, tên người yêu cầu: NGUYỄN VĂN AN
Nơi cư trú: Thôn Đông, xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội
Giấy tờ tùy thân: CCCD số 001090012345 cấp ngày 10/08/2021
Quan hệ với người được khai sinh: Cha
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: NGUYỄN MINH KHANG
Làm tại: Ba Vì, ngày 15 tháng 04 năm 2024
Người yêu cầu
"""
TO_KHAI_TRUTH = {"procedure": "Đăng ký khai sinh", "requester_name": "Nguyễn Văn An",
                 "requester_id_number": "001090012345", "date": "2024-04-15"}

KHAI_SINH = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY KHAI SINH
Số: 125
Quyển số: 01/2024
Họ, chữ đệm, tên: NGUYỄN MINH KHANG
Ngày, tháng, năm sinh: 02/02/2024   Ghi bằng chữ: Ngày hai, tháng hai, năm hai nghìn không trăm hai mươi tư
Giới tính: Nam   Dân tộc: Kinh   Quốc tịch: Việt Nam
Nơi sinh: Bệnh viện Đa khoa huyện Ba Vì, thành phố Hà Nội
Quê quán: Xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội
Số định danh cá nhân: 001224001234
Họ, chữ đệm, tên người mẹ: TRẦN THỊ BÌNH
Năm sinh: 1992   Dân tộc: Kinh   Quốc tịch: Việt Nam
Họ, chữ đệm, tên người cha: NGUYỄN VĂN AN
Năm sinh: 1990   Dân tộc: Kinh   Quốc tịch: Việt Nam
Nơi đăng ký khai sinh: Ủy ban nhân dân xã Tản Lĩnh, huyện Ba Vì
Ngày đăng ký: 15/04/2024
"""
KHAI_SINH_TRUTH = {
    "full_name": "Nguyễn Minh Khang", "sex": "nam", "date_of_birth": "2024-02-02",
    "place_of_birth": "Bệnh viện Đa khoa huyện Ba Vì, thành phố Hà Nội", "ethnicity": "Kinh",
    "nationality": "Việt Nam", "father_name": "Nguyễn Văn An", "mother_name": "Trần Thị Bình",
    "id_number": "001224001234",
}

CHUNG_SINH = """BỘ Y TẾ
BỆNH VIỆN ĐA KHOA HUYỆN BA VÌ
GIẤY CHỨNG SINH
Họ và tên mẹ: TRẦN THỊ BÌNH
Năm sinh: 1992
Nơi đăng ký thường trú: Thôn Đông, xã Tản Lĩnh, huyện Ba Vì
Đã sinh con vào lúc: 08 giờ 30 phút, ngày 02/02/2024
Tại: Bệnh viện Đa khoa huyện Ba Vì
Số con trong lần sinh: 01
Giới tính: Nam
Cân nặng: 3200 gram
Dự định đặt tên con: Nguyễn Minh Khang
"""
CHUNG_SINH_TRUTH = {"mother_name": "Trần Thị Bình", "child_sex": "nam", "date_of_birth": "2024-02-02",
                    "hospital": "Bệnh viện Đa khoa huyện Ba Vì"}

KET_HON = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY CHỨNG NHẬN KẾT HÔN
Số: 45
Quyển số: 01/2019
Thông tin người chồng
Họ, chữ đệm, tên: NGUYỄN VĂN AN
Ngày, tháng, năm sinh: 12/03/1990
Dân tộc: Kinh   Quốc tịch: Việt Nam
Giấy tờ tùy thân: CCCD số 001090012345
Thông tin người vợ
Họ, chữ đệm, tên: TRẦN THỊ BÌNH
Ngày, tháng, năm sinh: 05/11/1992
Dân tộc: Kinh   Quốc tịch: Việt Nam
Giấy tờ tùy thân: CCCD số 026192004567
Ngày đăng ký: 20/05/2019
"""
KET_HON_TRUTH = {"husband_name": "Nguyễn Văn An", "husband_date_of_birth": "1990-03-12",
                 "husband_id_number": "001090012345", "wife_name": "Trần Thị Bình",
                 "wife_date_of_birth": "1992-11-05", "wife_id_number": "026192004567",
                 "registered_on": "2019-05-20", "number": "45"}

HON_NHAN = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN
ỦY BAN NHÂN DÂN XÃ TẢN LĨNH
Xác nhận:
Họ, chữ đệm, tên: TRẦN THỊ BÌNH
Ngày, tháng, năm sinh: 05/11/1992   Giới tính: Nữ
Giấy tờ tùy thân: CCCD số 026192004567
Nơi cư trú: Thôn Đông, xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội
Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai
Giấy này được cấp để: làm thủ tục đăng ký kết hôn
Giấy này có giá trị sử dụng đến ngày 15/10/2024
"""
HON_NHAN_TRUTH = {"full_name": "Trần Thị Bình", "date_of_birth": "1992-11-05", "sex": "nu", "id_number": "026192004567",
                  "marital_status": "Chưa đăng ký kết hôn với ai", "purpose": "làm thủ tục đăng ký kết hôn",
                  "valid_until": "2024-10-15"}

QSDD = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY CHỨNG NHẬN
QUYỀN SỬ DỤNG ĐẤT QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT
I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất
Ông: NGUYỄN VĂN AN   Năm sinh: 1990
CCCD số: 001090012345
II. Thửa đất, nhà ở và tài sản khác gắn liền với đất
1. Thửa đất:
a) Thửa đất số: 123   Tờ bản đồ số: 45
b) Địa chỉ: Thôn Đông, xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội
c) Diện tích: 126,5 m² (Bằng chữ: Một trăm hai mươi sáu phẩy năm mét vuông)
d) Hình thức sử dụng: Sử dụng riêng
e) Mục đích sử dụng: Đất ở tại nông thôn
g) Thời hạn sử dụng: Lâu dài
CN 719597
Số vào sổ cấp GCN: CS 01234
"""
QSDD_TRUTH = {"serial": "CN 719597", "register_number": "CS 01234", "owner_name": "Nguyễn Văn An",
              "parcel_number": "123", "map_sheet_number": "45",
              "address": "Thôn Đông, xã Tản Lĩnh, huyện Ba Vì, thành phố Hà Nội", "area_m2": "126.5",
              "purpose": "Đất ở tại nông thôn", "term": "Lâu dài"}

HOP_DONG = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT
Hôm nay, tại Văn phòng công chứng Ba Vì, chúng tôi gồm có:
BÊN CHUYỂN NHƯỢNG (BÊN A):
Ông: NGUYỄN VĂN AN   Sinh năm: 1990
CCCD số: 001090012345
BÊN NHẬN CHUYỂN NHƯỢNG (BÊN B):
Bà: LÊ THỊ HOA   Sinh năm: 1985
CCCD số: 001185004321
Điều 1. Đối tượng của hợp đồng: Quyền sử dụng đất thửa số 123, tờ bản đồ số 45
Điều 2. Giá chuyển nhượng: 1.500.000.000 đồng
Số công chứng: 1234/2024/CC
Ba Vì, ngày 20 tháng 06 năm 2024
"""
HOP_DONG_TRUTH = {"contract_type": "chuyển nhượng quyền sử dụng đất", "party_a": "Nguyễn Văn An",
                  "party_b": "Lê Thị Hoa",
                  "object": "Quyền sử dụng đất thửa đất số 123, tờ bản đồ số 45", "value": "1.500.000.000 đồng",
                  "date": "2024-06-20", "notarization_number": "1234/2024/CC"}

UY_QUYEN = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY ỦY QUYỀN
I. BÊN ỦY QUYỀN:
Họ và tên: NGUYỄN VĂN AN
Ngày sinh: 15/03/1990
Số CCCD: 001090012345   Ngày cấp: 10/08/2021
II. BÊN NHẬN ỦY QUYỀN:
Họ và tên: TRẦN THỊ BÌNH
Ngày sinh: 05/11/1992
Số CCCD: 026192004567
III. NỘI DUNG ỦY QUYỀN
Nội dung ủy quyền: Thay mặt bên ủy quyền nộp hồ sơ và nhận kết quả đăng ký đất đai
Thời hạn ủy quyền: 06 tháng kể từ ngày ký
"""
UY_QUYEN_TRUTH = {"grantor_name": "Nguyễn Văn An", "grantor_date_of_birth": "1990-03-15", "grantor_id_number": "001090012345",
                  "grantee_name": "Trần Thị Bình",
                  "scope": "Thay mặt bên ủy quyền nộp hồ sơ và nhận kết quả đăng ký đất đai",
                  "term": "06 tháng kể từ ngày ký"}

KINH_DOANH = """SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH VĨNH PHÚC
PHÒNG ĐĂNG KÝ KINH DOANH
GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP
CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN
Mã số doanh nghiệp: 2500123456
Đăng ký lần đầu: ngày 15 tháng 03 năm 2020
1. Tên công ty
Tên công ty viết bằng tiếng Việt: CÔNG TY TNHH THƯƠNG MẠI HỢP THỊNH
Tên công ty viết bằng tiếng nước ngoài: HOP THINH TRADING COMPANY LIMITED
2. Địa chỉ trụ sở chính: Số 5 đường Lê Lợi, Phường Liên Bảo, Thành phố Vĩnh Yên, Tỉnh Vĩnh Phúc
Điện thoại: 0211 3861 234
3. Vốn điều lệ: 2.000.000.000 đồng
4. Người đại diện theo pháp luật của công ty
Họ và tên: NGUYỄN VĂN AN   Giới tính: Nam
"""
KINH_DOANH_TRUTH = {"business_code": "2500123456", "business_name": "CÔNG TY TNHH THƯƠNG MẠI HỢP THỊNH",
                    "address": "Số 5 đường Lê Lợi, Phường Liên Bảo, Thành phố Vĩnh Yên, Tỉnh Vĩnh Phúc",
                    "owner_name": "Nguyễn Văn An", "registered_on": "2020-03-15"}

VAN_BAN = """ỦY BAN NHÂN DÂN
HUYỆN BA VÌ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 123/QĐ-UBND
Ba Vì, ngày 12 tháng 3 năm 2024
QUYẾT ĐỊNH
Về việc công nhận kết quả số hóa hồ sơ năm 2023

ỦY BAN NHÂN DÂN HUYỆN BA VÌ
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
Điều 1. Công nhận kết quả.
Nơi nhận:
- Như Điều 1;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phùng Văn Hải
"""
VAN_BAN_TRUTH = {"issuer": "ỦY BAN NHÂN DÂN HUYỆN BA VÌ", "number": "123/QĐ-UBND", "date": "2024-03-12",
                 "doc_type": "QUYẾT ĐỊNH", "subject": "Về việc công nhận kết quả số hóa hồ sơ năm 2023",
                 "signer": "Phùng Văn Hải"}

BANG_CAP = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC LUẬT HÀ NỘI
cấp
BẰNG CỬ NHÂN
Cho: Ông Nguyễn Văn An
Ngành: Luật kinh tế
Ngày sinh: 12/03/1990
Xếp loại tốt nghiệp: Khá
Hà Nội, ngày 30 tháng 06 năm 2012
Số hiệu: QH 123456
Số vào sổ cấp bằng: 2012/CN/456
"""
BANG_CAP_TRUTH = {"holder_name": "Nguyễn Văn An", "degree": "Bằng cử nhân", "date": "2012-06-30",
                  "number": "QH 123456"}

SAMPLES = [
    (PaperType.CCCD, CCCD_FRONT_BACK, CCCD_TRUTH),
    (PaperType.TO_KHAI, TO_KHAI, TO_KHAI_TRUTH),
    (PaperType.GIAY_KHAI_SINH, KHAI_SINH, KHAI_SINH_TRUTH),
    (PaperType.GIAY_CHUNG_SINH, CHUNG_SINH, CHUNG_SINH_TRUTH),
    (PaperType.GIAY_CHUNG_NHAN_KET_HON, KET_HON, KET_HON_TRUTH),
    (PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, HON_NHAN, HON_NHAN_TRUTH),
    (PaperType.GIAY_CHUNG_NHAN_QSDD, QSDD, QSDD_TRUTH),
    (PaperType.HOP_DONG, HOP_DONG, HOP_DONG_TRUTH),
    (PaperType.GIAY_UY_QUYEN, UY_QUYEN, UY_QUYEN_TRUTH),
    (PaperType.DANG_KY_KINH_DOANH, KINH_DOANH, KINH_DOANH_TRUTH),
    (PaperType.VAN_BAN_HANH_CHINH, VAN_BAN, VAN_BAN_TRUTH),
    (PaperType.BANG_CAP, BANG_CAP, BANG_CAP_TRUTH),
]


def _values(fields):
    return {name: f.value for name, f in fields.items()}


@pytest.mark.parametrize(("ptype", "text", "truth"), SAMPLES, ids=[s[0].value for s in SAMPLES])
def test_clean_sample_reads_every_key_field(ptype, text, truth):
    fields = extract_fields(ptype, text, today=TODAY)
    got = {k: v for k, v in _values(fields).items() if k in truth}
    assert got == truth
    assert set(fields) <= set(KEY_FIELDS[ptype])
    assert all(fields[k].valid and 0 < fields[k].confidence <= 1 for k in truth)


def _bare(value: str) -> str:
    return strip_diacritics(value).lower()


@pytest.mark.parametrize(("ptype", "text", "truth"), SAMPLES, ids=[s[0].value for s in SAMPLES])
def test_sample_without_diacritics_still_reads_fields(ptype, text, truth):
    """OCR that loses every diacritic: labels still match, values match up to their lost marks."""
    fields = extract_fields(ptype, strip_diacritics(text), today=TODAY)
    got = {k: _bare(f.value) for k, f in fields.items() if k in truth}
    # The title case of a lost-diacritic name is still a name; sex "Nu" still reads as "nu".
    assert got == {k: _bare(v) for k, v in truth.items()}


def test_every_type_has_a_sample():
    assert {s[0] for s in SAMPLES} | {PaperType.KHAC} == set(PaperType)


def test_khac_has_no_fields():
    assert extract_fields(PaperType.KHAC, "SỔ HỘ KHẨU\nHọ và tên chủ hộ: NGUYỄN VĂN AN") == {}


CCCD_OCR_NOISY = """CONG HOA XA HOI CHU NGHIA VIET NAM
CĂN CƯỚC CÔNG DÂN
Sô / No.: 0O1 090 O12345
Ho và tèn / Full name:
NGUYEN VAN AN
Ngáy sinh / Date of birth: l2/O3/199O
Gioi tinh / Sex: Nam  Quoc tich / Nationality: Viet Nam
Có giá tri đén: 12/03/2030
"""


def test_cccd_with_ocr_confusions():
    fields = extract_fields(PaperType.CCCD, CCCD_OCR_NOISY, today=TODAY)
    assert fields["id_number"].value == "001090012345"
    assert fields["full_name"].value == "Nguyen Van An"
    assert fields["date_of_birth"].value == "1990-03-12"
    assert fields["sex"].value == "nam"
    assert fields["nationality"].value == "Viet Nam"
    assert fields["valid_until"].value == "2030-03-12"
    # Repaired digits are read, but with less confidence than clean ones.
    clean = extract_fields(PaperType.CCCD, CCCD_FRONT_BACK, today=TODAY)
    assert fields["id_number"].confidence < clean["id_number"].confidence
    assert fields["date_of_birth"].confidence < clean["date_of_birth"].confidence


def test_2024_can_cuoc_labels():
    fields = extract_fields(PaperType.CCCD, CAN_CUOC_2024, today=TODAY)
    assert _values(fields) == {"id_number": "026192004567", "full_name": "Trần Thị Bình",
                               "date_of_birth": "1992-11-05", "sex": "nu", "nationality": "Việt Nam"}


def test_dotted_leaders_on_forms():
    text = ("TỜ KHAI ĐĂNG KÝ KẾT HÔN\nHọ, chữ đệm, tên người yêu cầu:........NGUYỄN VĂN AN..........\n"
            "Giấy tờ tùy thân:.....CCCD số 001090012345.......\nLàm tại: Hà Nội, ngày 05 tháng 3 năm 2024")
    fields = extract_fields(PaperType.TO_KHAI, text, today=TODAY)
    assert _values(fields) == {"procedure": "Đăng ký kết hôn", "requester_name": "Nguyễn Văn An",
                               "requester_id_number": "001090012345", "date": "2024-03-05"}


def test_a_marriage_form_requester_is_the_first_party_when_the_second_partys_label_lost_its_head():
    # "Họ, chữ đệm, tên" of the bride read "đệm, tên:": the bare "Tên" it ends with is the least specific
    # label, so the groom's full label (the requester's) is not outranked by it
    text = ("TỜ KHAI ĐĂNG KÝ KẾT HÔN\nBÊN NAM\nHọ, chữ đệm, tên: LƯƠNG QUANG ANH CƯỜNG\n"
            "Giấy tờ tùy thân: Căn cước công dân số 001080102497, cấp ngày 25/03/2022\n"
            "BỀN NỮ,\nđệm, tên: TRỊNH THUỲ GIA PHƯƠNG\n"
            "Giấy tờ tùy thân: Căn cước công dân số 038179610177, cấp ngày 23/01/2021\n"
            "Hà Nội, ngày 24 tháng 02 năm 2024")
    fields = extract_fields(PaperType.TO_KHAI, text, today=TODAY)
    assert (fields["requester_name"].value, fields["requester_id_number"].value) == \
        ("Lương Quang Anh Cường", "001080102497")


def test_cccd_without_expiry():
    text = CCCD_FRONT_BACK.replace("Có giá trị đến: 12/03/2030", "Có giá trị đến:\nKhông thời hạn")
    fields = extract_fields(PaperType.CCCD, text, today=TODAY)
    assert fields["valid_until"].value == "9999-12-31" and fields["valid_until"].valid


def test_empty_text_gives_no_fields():
    assert extract_fields(PaperType.CCCD, "") == {}
    assert extract_fields(PaperType.CCCD, "\n\n  \f") == {}


KET_HON_TWO_COLUMNS_OCR = """GIẤY CHỨNG NHẬN KẾT HÔN
Thông tin người chồng Thông tin người vợ
Họ, chữ đệm, tên: NGUYỄN VĂN AN Họ, chữ đệm, tên: TRẦN THỊ BÌNH
Ngày, tháng, năm sinh: 12/03/1990 Ngày, tháng, năm sinh: 05/11/1992
Giấy tờ tùy thân: CCCD số Giấy tờ tùy thân: CCCD số
001090012345 026192004567
Ngày, tháng, năm đăng ký: 20/05/2019
"""


def test_side_by_side_columns_merged_by_ocr():
    """OCR reads the husband's and the wife's columns as one line each: the repeated labels split them."""
    fields = extract_fields(PaperType.GIAY_CHUNG_NHAN_KET_HON, KET_HON_TWO_COLUMNS_OCR, today=TODAY)
    assert _values(fields) | {} == {"husband_name": "Nguyễn Văn An", "husband_date_of_birth": "1990-03-12",
                                    "wife_name": "Trần Thị Bình", "wife_date_of_birth": "1992-11-05",
                                    "husband_id_number": "001090012345", "wife_id_number": "026192004567",
                                    "registered_on": "2019-05-20"}


def test_ocr_leader_debris_is_cut_from_values():
    text = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: TRỊNH BÍCH HUYỀN. - -ặ Sg Q1 98158191851 13 13\n"
            "Họ, chữ đệm, tên người mẹ: LƯƠNG KHÁNH ÁNH -- G Sex Ke Eeki\n"
            "Nơi sinh: Trung tâm Y tế huyện Yên Lạc, Tỉnh Vĩnh Phúc ------------<<")
    fields = extract_fields(PaperType.GIAY_KHAI_SINH, text, today=TODAY)
    assert _values(fields) == {"full_name": "Trịnh Bích Huyền", "mother_name": "Lương Khánh Ánh",
                               "place_of_birth": "Trung tâm Y tế huyện Yên Lạc, Tỉnh Vĩnh Phúc"}

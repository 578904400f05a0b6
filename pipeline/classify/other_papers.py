"""Texts of papers outside the twelve known types (`khac`), including the void household book.

The generator draws the twelve types; the classifier also needs to have seen what else lands on
a counter (invoices, receipts, hospital discharge papers, prescriptions, the old sổ hộ khẩu),
so that an unknown paper is `khac` with a low confidence instead of a confident wrong type.
"""

from __future__ import annotations

import random

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân"]
_GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương",
          "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]
_PLACES = ["Hà Nội", "Vĩnh Phúc", "Bắc Ninh", "Hải Phòng", "Nam Định", "Thanh Hóa", "Nghệ An", "Đà Nẵng",
           "Cần Thơ", "TP Hồ Chí Minh", "Phú Thọ", "Thái Nguyên"]
_STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Hùng Vương", "Lý Thường Kiệt"]
_GOODS = ["Xi măng PCB40", "Thép cuộn D6", "Giấy in A4", "Mực in", "Nước uống đóng chai", "Dịch vụ vận chuyển",
          "Bàn làm việc", "Ghế xoay", "Máy tính xách tay", "Dầu diesel"]
_DRUGS = ["Paracetamol 500mg", "Amoxicillin 500mg", "Vitamin C 500mg", "Omeprazol 20mg", "Loratadin 10mg"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), rng.randint(2005, 2025)


def _address(rng: random.Random) -> str:
    return f"Số {rng.randint(1, 300)} đường {rng.choice(_STREETS)}, {rng.choice(_PLACES)}"


def _invoice(rng: random.Random) -> str:
    d, m, y = _date(rng)
    lines = ["HÓA ĐƠN GIÁ TRỊ GIA TĂNG", "(Bản thể hiện của hóa đơn điện tử)",
             f"Ngày {d:02d} tháng {m:02d} năm {y}", f"Ký hiệu: 1C{y % 100}TAA   Số: {rng.randint(1, 99999):07d}",
             f"Đơn vị bán hàng: CÔNG TY TNHH {rng.choice(_SURNAMES).upper()} {rng.choice(['PHÁT', 'HƯNG', 'THỊNH'])}",
             f"Mã số thuế: {rng.randint(10**9, 10**10 - 1)}", f"Địa chỉ: {_address(rng)}",
             f"Họ tên người mua hàng: {_name(rng)}", "STT Tên hàng hóa, dịch vụ Đơn vị tính Số lượng Đơn giá Thành tiền"]
    total = 0
    for i in range(rng.randint(2, 7)):
        qty, price = rng.randint(1, 50), rng.randint(10, 900) * 1000
        total += qty * price
        lines.append(f"{i + 1} {rng.choice(_GOODS)} cái {qty} {price:,} {qty * price:,}".replace(",", "."))
    lines += [f"Cộng tiền hàng: {total:,}".replace(",", "."), "Thuế suất GTGT: 10%",
              f"Tổng cộng tiền thanh toán: {int(total * 1.1):,}".replace(",", "."),
              "Người mua hàng Người bán hàng", "(Ký, ghi rõ họ tên) (Ký, ghi rõ họ tên)"]
    return "\n".join(lines)


def _receipt(rng: random.Random) -> str:
    d, m, y = _date(rng)
    return "\n".join([
        "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ", f"Mẫu số: 01BLP0-001   Số: {rng.randint(1, 9999):07d}",
        f"Tên đơn vị thu: UBND xã {rng.choice(_GIVEN)} {rng.choice(['Hưng', 'Sơn', 'Thịnh'])}",
        f"Tên người nộp tiền: {_name(rng)}", f"Địa chỉ: {_address(rng)}",
        f"Nội dung thu: Lệ phí {rng.choice(['chứng thực', 'hộ tịch', 'cấp bản sao'])}",
        f"Số tiền: {rng.randint(1, 50) * 10000:,} đồng".replace(",", "."),
        f"Ngày {d} tháng {m} năm {y}", "Người nộp tiền Người thu tiền"])


def _discharge(rng: random.Random) -> str:
    d, m, y = _date(rng)
    return "\n".join([
        f"SỞ Y TẾ {rng.choice(_PLACES).upper()}", f"BỆNH VIỆN ĐA KHOA {rng.choice(_PLACES).upper()}",
        "GIẤY RA VIỆN", f"Họ tên người bệnh: {_name(rng)}   Tuổi: {rng.randint(1, 90)}",
        f"Địa chỉ: {_address(rng)}", f"Vào viện lúc: 8 giờ ngày {d}/{m}/{y}",
        f"Ra viện lúc: 10 giờ ngày {min(28, d + 5)}/{m}/{y}",
        f"Chẩn đoán: {rng.choice(['Viêm phổi', 'Sốt xuất huyết', 'Gãy xương cẳng tay', 'Viêm ruột thừa'])}",
        "Phương pháp điều trị: Nội khoa", "Ghi chú: Tái khám sau 2 tuần",
        f"Ngày {d} tháng {m} năm {y}", "Trưởng khoa Giám đốc bệnh viện"])


def _prescription(rng: random.Random) -> str:
    lines = ["ĐƠN THUỐC", f"Họ tên: {_name(rng)}   Tuổi: {rng.randint(1, 90)}", f"Địa chỉ: {_address(rng)}",
             f"Chẩn đoán: {rng.choice(['Viêm họng cấp', 'Tăng huyết áp', 'Đau dạ dày'])}"]
    for i in range(rng.randint(2, 5)):
        lines.append(f"{i + 1}. {rng.choice(_DRUGS)}  Số lượng: {rng.randint(5, 30)} viên")
        lines.append(f"Uống ngày {rng.randint(1, 3)} lần, mỗi lần 1 viên")
    d, m, y = _date(rng)
    lines += [f"Ngày {d} tháng {m} năm {y}", "Bác sĩ khám bệnh", "Khám lại xin mang theo đơn này"]
    return "\n".join(lines)


def _household_book(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1990, 2020)
    head = _name(rng)
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỔ HỘ KHẨU",
             f"Số: {rng.randint(10000, 999999)}", f"Họ và tên chủ hộ: {head}",
             f"Nơi thường trú: {_address(rng)}", f"Công an {rng.choice(_PLACES)}",
             f"Ngày {d} tháng {m} năm {y}", "TRƯỞNG CÔNG AN"]
    if rng.random() < 0.5:
        lines = ["NHỮNG NGƯỜI TRONG HỘ", f"Họ và tên: {_name(rng)}", "Quan hệ với chủ hộ: Con",
                 f"Ngày sinh: {d:02d}/{m:02d}/{y}", "Nghề nghiệp: Học sinh", "Đăng ký thường trú",
                 "Cán bộ đăng ký", "SỔ HỘ KHẨU"] + lines[4:6]
    return "\n".join(lines)


def _letter(rng: random.Random) -> str:
    d, m, y = _date(rng)
    return "\n".join([
        f"{rng.choice(_PLACES)}, ngày {d} tháng {m} năm {y}", f"Kính gửi: {_name(rng)}",
        "Thư mời", f"Trân trọng kính mời ông/bà đến dự buổi gặp mặt lúc {rng.randint(7, 17)} giờ",
        f"tại {_address(rng)}.", "Rất mong ông/bà thu xếp thời gian tham dự.", "Trân trọng.",
        _name(rng)])


def _transcript(rng: random.Random) -> str:
    lines = [f"TRƯỜNG THPT {rng.choice(_GIVEN).upper()} {rng.choice(['SƠN', 'HƯNG'])}", "PHIẾU ĐIỂM HỌC KỲ",
             f"Họ tên học sinh: {_name(rng)}   Lớp: {rng.randint(10, 12)}A{rng.randint(1, 9)}"]
    for subject in ["Toán", "Ngữ văn", "Tiếng Anh", "Vật lý", "Hóa học", "Lịch sử"]:
        lines.append(f"{subject} {rng.randint(40, 100) / 10:.1f}")
    lines += ["Xếp loại hạnh kiểm: Tốt", "Giáo viên chủ nhiệm"]
    return "\n".join(lines)


_MAKERS = [_invoice, _receipt, _discharge, _prescription, _household_book, _letter, _transcript]


def other_paper_texts(n: int, seed: int) -> list[str]:
    """`n` texts of papers of no known type (type `khac`), deterministic for `seed`."""
    rng = random.Random(seed)
    return [_MAKERS[i % len(_MAKERS)](rng) for i in range(n)]

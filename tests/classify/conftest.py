"""Fixtures for the classifier tests: hand-written page texts and a tiny model trained on them."""

from __future__ import annotations

import random

import pytest

from pipeline.classify.train import Sample

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"

# A few lines per type, enough for a small model to tell them apart (stand-in for the generator).
TEMPLATES: dict[str, list[str]] = {
    "cccd": [f"{MOTTO}\nCĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\nSố / No.: 026190001234\n"
             "Họ và tên / Full name: {name}\nNgày sinh / Date of birth: 12/03/1990\nGiới tính / Sex: Nam\n"
             "Quốc tịch / Nationality: Việt Nam\nQuê quán: Vĩnh Phúc\nNơi thường trú: {place}\n"
             "Có giá trị đến: 12/03/2030"],
    "giay_khai_sinh": [f"{MOTTO}\nGIẤY KHAI SINH\nSố: 123/2019\nHọ, chữ đệm, tên: {{name}}\n"
                       "Ngày, tháng, năm sinh: 01/02/2019\nGiới tính: Nữ  Dân tộc: Kinh  Quốc tịch: Việt Nam\n"
                       "Nơi sinh: {place}\nHọ, chữ đệm, tên người mẹ: Trần Thị Lan\nHọ, chữ đệm, tên người cha: {name}"],
    "hop_dong": [f"{MOTTO}\nHỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT\nBên chuyển nhượng (Bên A): {{name}}\n"
                 "Bên nhận chuyển nhượng (Bên B): Lê Văn Hùng\nĐiều 1. Đối tượng của hợp đồng\n"
                 "Thửa đất số 12, tờ bản đồ số 5 tại {place}\nĐiều 2. Giá chuyển nhượng 500.000.000 đồng"],
    "to_khai": [f"{MOTTO}\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: Ủy ban nhân dân xã {{place}}\n"
                "Họ, chữ đệm, tên người yêu cầu: {name}\nSố định danh cá nhân: 026190001234\n"
                "Quan hệ với người được khai sinh: Cha\nĐề nghị cơ quan đăng ký khai sinh cho người dưới đây"],
    "van_ban_hanh_chinh": ["ỦY BAN NHÂN DÂN\nTỈNH VĨNH PHÚC\n" + MOTTO + "\nSố: 12/QĐ-UBND\n{place}, ngày 3 tháng 4 năm 2024\n"
                           "QUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
                           "Điều 1. Phê duyệt kế hoạch\nNơi nhận:\nCHỦ TỊCH\n{name}"],
}
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Phạm Thu Dung", "Hoàng Minh Hải"]
PLACES = ["Vĩnh Yên, Vĩnh Phúc", "Ba Đình, Hà Nội", "Lê Chân, Hải Phòng", "Hải Châu, Đà Nẵng"]


def template_text(label: str, rng: random.Random) -> str:
    return rng.choice(TEMPLATES[label]).format(name=rng.choice(NAMES), place=rng.choice(PLACES))


def standin_truth(n: int, seed: int, fonts=None) -> list[Sample]:
    """Stand-in for the generator's truth pages: deterministic for `seed`."""
    rng = random.Random(seed)
    labels = sorted(TEMPLATES)
    return [Sample(template_text(labels[i % len(labels)], rng), labels[i % len(labels)]) for i in range(n)]


SMALL_SETTINGS = {
    "seed": 7,
    "fonts": [],
    "train": {"papers": 60, "seed": 11, "other_papers": 14, "copies": 2, "strengths": [0.0, 0.3, 0.6]},
    "holdout": {"papers": 30, "seed": 12, "other_papers": 7, "copies": 1, "strengths": [0.5, 1.5]},
    "model": {"C": 5.0, "features": {"char_max_features": 3000, "title_max_features": 1000,
                                     "word_max_features": 1000}},
    "review": {"target_accuracy": 0.995, "floor": 0.5},
}


@pytest.fixture()
def standin_generator(monkeypatch):
    """Route the trainer's truth pages to the stand-in corpus (the real generator is tested by H1)."""
    import pipeline.classify.train as train

    monkeypatch.setattr(train, "truth_samples", standin_truth)
    return standin_truth


@pytest.fixture(scope="session")
def small_model():
    import pipeline.classify.train as train

    original = train.truth_samples
    train.truth_samples = standin_truth
    try:
        model, card = train.train(SMALL_SETTINGS)
    finally:
        train.truth_samples = original
    return model



@pytest.fixture(scope="session")
def birth_text() -> str:
    return template_text("giay_khai_sinh", random.Random(1))


@pytest.fixture(scope="session")
def probe_texts() -> list[str]:
    """Texts of every stand-in type, clean and noisy, to compare two models' predictions on."""
    from pipeline.classify.noise import ocr_noise

    rng = random.Random(99)
    texts = [template_text(label, rng) for label in sorted(TEMPLATES) for _ in range(2)]
    return texts + [ocr_noise(t, rng, 0.8) for t in texts] + ["", "Trang 2/3"]


@pytest.fixture()
def small_settings() -> dict:
    import copy

    return copy.deepcopy(SMALL_SETTINGS)

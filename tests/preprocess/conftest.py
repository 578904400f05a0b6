"""Small synthetic pages for the preprocessing tests: Vietnamese text rendered with PIL."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

TEXT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân xã Tam Dương, huyện Tam Dương",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hồng Nhung",
    "Nơi cư trú: thôn Đồng Tĩnh, xã Hoàng Hoa, tỉnh Vĩnh Phúc",
    "Giấy tờ tùy thân: Căn cước công dân số 026*******45",
    "Quan hệ với người được khai sinh: mẹ đẻ của cháu bé",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Ngày, tháng, năm sinh: mười lăm tháng tư năm hai nghìn",
    "Giới tính: Nữ. Dân tộc: Kinh. Quốc tịch: Việt Nam",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây",
    "là đúng sự thật và chịu trách nhiệm trước pháp luật.",
    "Làm tại: Vĩnh Yên, ngày 12 tháng 3 năm 2024",
]


def render_page(
    lines: list[str] | None = None,
    width: int = 900,
    height: int = 1200,
    font_px: int = 26,
    margin: int = 60,
) -> np.ndarray:
    """An upright RGB page of black Vietnamese text on white."""
    lines = TEXT if lines is None else lines
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), font_px)
    y = margin
    step = int(font_px * 1.7)
    i = 0
    while y + step < height - margin:
        draw.text((margin, y), lines[i % len(lines)], font=font, fill=(0, 0, 0))
        y += step
        i += 1
    return np.asarray(img).copy()


def rotate_ccw(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate counter-clockwise by `angle` degrees (OpenCV convention), white fill, same size."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), borderValue=(255, 255, 255))


@pytest.fixture(scope="session")
def page() -> np.ndarray:
    return render_page()


@pytest.fixture(scope="session")
def make_page():
    return render_page


@pytest.fixture(scope="session")
def tilt():
    return rotate_ccw

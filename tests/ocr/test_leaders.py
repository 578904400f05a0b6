import numpy as np

from conftest import render_lines
from pipeline.ocr.leaders import erase_leaders


def _gray(lines: list[str]) -> np.ndarray:
    return render_lines(lines, dpi=200, width_in=6.0).min(axis=2)


def test_dotted_leader_is_erased_and_the_words_kept():
    words = _gray(["Họ và tên: PHAN KHÁNH"])
    with_leader = _gray(["Họ và tên: PHAN KHÁNH ......................."])
    out = erase_leaders(with_leader, dpi=200)
    ink = out < 128
    right = ink[:, int(with_leader.shape[1] * 0.72):]
    assert right.sum() == 0  # the dots are gone
    left = slice(0, int(with_leader.shape[1] * 0.55))
    assert np.array_equal(out[:, left] < 128, words[:, left] < 128)  # letters, tone marks and i-dots untouched


def test_an_ellipsis_and_ordinary_text_are_left_alone():
    page = _gray(["Căn cứ Luật Tổ chức chính quyền địa phương...", "ngày 12.3.2024; v.v. i ì ỉ ĩ í ị"])
    assert erase_leaders(page, dpi=200) is page

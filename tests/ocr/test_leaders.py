import numpy as np

from ocr_fixtures import render_lines
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


def _dots(page: np.ndarray, y: int, x0: int, count: int, step: int, tone: int, size: int = 4) -> None:
    for k in range(count):
        x = x0 + k * step
        page[y:y + size, x:x + size] = tone


def test_a_speck_between_two_dots_does_not_break_the_leader():
    page = _gray(["Họ và tên: PHAN KHÁNH"])
    y = page.shape[0] // 2
    _dots(page, y, 700, 15, 16, tone=0)
    page[y + 1:y + 3, 700 + 5 * 16 + 7:700 + 5 * 16 + 9] = 0  # copier speck just after the 6th dot
    out = erase_leaders(page, dpi=200)
    assert (out[y - 2:y + 6, 700:700 + 15 * 16] < 128).sum() <= 4  # at most the speck is left


def test_faint_leader_of_a_copy_is_erased_but_faint_scattered_specks_are_not():
    page = _gray(["Dân tộc: Kinh"])
    y = page.shape[0] // 2
    _dots(page, y, 500, 20, 15, tone=170)  # lighter than Otsu's cut between black text and paper
    rng = np.random.default_rng(5)
    specks = [(int(rng.integers(5, page.shape[0] - 8)), int(rng.integers(800, page.shape[1] - 8)))
              for _ in range(12)]
    for sy, sx in specks:
        page[sy:sy + 3, sx:sx + 3] = 170
    out = erase_leaders(page, dpi=200)
    assert (out[y - 2:y + 6, 500:500 + 20 * 15] < 200).sum() == 0  # the faint dots and their halos are gone
    assert sum(int(out[sy + 1, sx + 1] < 200) for sy, sx in specks) >= 10  # random specks are no leader
    text = slice(0, 480)
    assert np.array_equal(out[:, text], page[:, text])


def test_small_specks_among_the_dots_of_a_noisy_page_do_not_break_the_leader():
    page = _gray(["Số con trong lần sinh: 01"])
    y = page.shape[0] // 2
    _dots(page, y, 520, 25, 20, tone=0, size=6)
    for k in range(0, 25, 4):  # a 2-px speck after every fourth dot, on the same baseline
        page[y + 2:y + 4, 520 + k * 20 + 12:520 + k * 20 + 14] = 0
    out = erase_leaders(page, dpi=200)
    dots = np.zeros(page.shape, bool)
    for k in range(25):
        dots[y:y + 6, 520 + k * 20:526 + k * 20] = True
    assert (out[dots] < 128).sum() == 0  # every dot erased

"""Every page's truth text is exactly what was drawn: render clean pages of several types and
fonts, read them back with Tesseract, and compare line by line (CER < 2 %).

Words are matched to the line boxes the layout recorded, so the comparison does not depend on the
reading order Tesseract picks for a two-column header. Dotted leaders, signatures and seals are
left out of these renders: none of them is text, and Tesseract turns long runs of dots into
stray digits that would hide a real mismatch.
"""

from __future__ import annotations

import os
import shutil

import pytest
from PIL import Image

from pipeline.domain.papers import PaperType
from pipeline.ocr.metrics import cer, word_f1
from pipeline.synth.dossier import clean_page

pytesseract = pytest.importorskip("pytesseract")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make setup installs it)"),
]

CASES = [  # (type, font, page): serif and sans faces, forms, letters, certificates, contracts
    (PaperType.TO_KHAI, "Liberation Sans", 1),
    (PaperType.VAN_BAN_HANH_CHINH, "DejaVu Serif", 1),
    (PaperType.GIAY_KHAI_SINH, "FreeSerif", 1),
    (PaperType.HOP_DONG, "Noto Sans", 2),
    (PaperType.GIAY_CHUNG_NHAN_QSDD, "Liberation Serif", 2),
    (PaperType.GIAY_CHUNG_SINH, "DejaVu Sans", 1),
    (PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, "Noto Serif", 1),
    (PaperType.DANG_KY_KINH_DOANH, "FreeSans", 1),
    (PaperType.BANG_CAP, "Noto Serif", 1),
    (PaperType.GIAY_CHUNG_NHAN_KET_HON, "Liberation Serif", 1),
    (PaperType.GIAY_UY_QUYEN, "DejaVu Sans", 1),
    (PaperType.KHAC, "FreeSerif", 1),
    (PaperType.CCCD, "Liberation Sans", 1),
]


def _read_by_line(spec, image) -> tuple[str, str, str]:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(Image.fromarray(image), lang="vie", config="--psm 4",
                                     output_type=pytesseract.Output.DICT)
    boxes = spec.laid.boxes
    found: dict[tuple, list[str]] = {}
    words = []
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        words.append(word)
        left, top, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        best, best_area = None, 0
        for box in boxes:
            x0, y0, x1, y1 = box
            area = max(0, min(x1, left + w) - max(x0, left)) * max(0, min(y1, top + h) - max(y0, top))
            if area > best_area:
                best, best_area = box, area
        if best is not None and best_area > 0.3 * w * h:
            found.setdefault(best, []).append(word)
    truth, hyp, seen = [], [], set()
    for line, box in zip(spec.laid.lines, boxes):
        truth.append(line)
        if box not in seen:
            seen.add(box)
            hyp.append(" ".join(found.get(box, [])))
    return " ".join(truth), " ".join(hyp), " ".join(words)


@pytest.mark.parametrize(("ptype", "font", "page"), CASES, ids=[c[0].value for c in CASES])
def test_truth_text_is_what_was_drawn(ptype: PaperType, font: str, page: int) -> None:
    spec, image = clean_page(ptype, seed=100 + list(PaperType).index(ptype), font=font, page=page,
                             ornaments=False)
    assert spec.font == font and spec.laid is not None
    truth, hyp, everything = _read_by_line(spec, image)
    assert truth.replace(" ", "") == spec.text.replace("\n", "").replace(" ", "")
    assert cer(truth, hyp) < 0.02, (truth, hyp)
    # nothing drawn outside the recorded lines: the whole page's words are the truth's words
    assert word_f1(spec.text, everything) > 0.95

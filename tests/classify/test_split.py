"""Splitting hand-made page sequences into components."""

from __future__ import annotations

import numpy as np

from pipeline.classify.model import PagePrediction
from pipeline.classify.split import page_cues, split_pages
from pipeline.domain.papers import PaperType
from pipeline.domain.records import OcrPage, PageImage, PreparedPage
from pipeline.manifest import DeclaredComponent

CLASSES = [t.value for t in PaperType]
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
CARD_FRONT = f"{MOTTO}\nCĂN CƯỚC CÔNG DÂN\nSố: 026190001234\nHọ và tên: NGUYỄN VĂN AN"
CARD_BACK = ("Đặc điểm nhận dạng: Nốt ruồi cách 2cm trên đầu mày trái\nNgày 12 tháng 3 năm 2021\n"
             "CỤC TRƯỞNG CỤC CẢNH SÁT\nIDVNM0901234567026190001234<<5\n9003121M3003126VNM<<<<<<<<<<<4")
FORM_1 = f"{MOTTO}\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: UBND xã Tam Hồng\nHọ, chữ đệm, tên người yêu cầu: Lê Văn A"
FORM_2 = "Nơi cư trú: xã Tam Hồng, huyện Yên Lạc\nGiấy tờ tùy thân: CCCD\nQuan hệ với người được khai sinh: Cha\nTrang 2/3"
FORM_3 = "Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật\nNgười yêu cầu\n(Ký, ghi rõ họ tên)\nTrang 3/3"
BIRTH = f"{MOTTO}\nGIẤY KHAI SINH\nHọ, chữ đệm, tên: Lê Thị B\nNgày sinh: 01/02/2019"
CONTRACT_1 = f"{MOTTO}\nHỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT\nBên A: Lê Văn A\nBên B: Trần Văn C"
CONTRACT_2 = "Điều 3. Quyền và nghĩa vụ của bên A\nBên A có nghĩa vụ giao đất đúng thời hạn\n- 2 -"
SEPARATOR = "TRANG PHÂN CÁCH HỒ SƠ"


def page(index: int, text: str, flags: list[str] | None = None) -> OcrPage:
    return OcrPage(index=index, text=text, words=[], mean_confidence=90.0, flags=flags or [])


def pred(ptype: PaperType, confidence: float = 0.99, threshold: float = 0.9) -> PagePrediction:
    probs = {c: 0.0 for c in CLASSES}
    probs[ptype.value] = confidence
    rest = [c for c in CLASSES if c != ptype.value]
    for c in rest:
        probs[c] = (1 - confidence) / len(rest)
    return PagePrediction(type=ptype, confidence=confidence, needs_review=confidence < threshold,
                          probabilities=probs)


def split(pages, preds, **kw):
    return split_pages(pages, preds, threshold=0.9, classes=CLASSES, **kw)


def test_card_back_joins_its_front_and_two_cards_stay_apart():
    pages = [page(1, CARD_FRONT), page(2, CARD_BACK), page(3, CARD_FRONT), page(4, CARD_BACK)]
    # the back of a card is hard to read on its own: low confidence, even another type
    preds = [pred(PaperType.CCCD), pred(PaperType.KHAC, 0.4), pred(PaperType.CCCD), pred(PaperType.CCCD, 0.7)]
    components = split(pages, preds)
    assert [c.pages for c in components] == [[1, 2], [3, 4]]
    assert all(c.type == PaperType.CCCD and not c.needs_review for c in components)


def test_three_page_form_with_page_numbers_is_one_component():
    pages = [page(1, FORM_1), page(2, FORM_2), page(3, FORM_3), page(4, BIRTH)]
    preds = [pred(PaperType.TO_KHAI), pred(PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, 0.95),
             pred(PaperType.TO_KHAI, 0.6), pred(PaperType.GIAY_KHAI_SINH)]
    components = split(pages, preds)
    assert [(c.type, c.pages) for c in components] == [(PaperType.TO_KHAI, [1, 2, 3]),
                                                        (PaperType.GIAY_KHAI_SINH, [4])]
    assert components[0].text.count("\f") == 2


def test_blank_pages_and_separator_sheets_are_dropped():
    pages = [page(1, CONTRACT_1), page(2, ""), page(3, CONTRACT_2), page(4, SEPARATOR),
             page(5, "  \n", flags=["blank"]), page(6, BIRTH)]
    preds = [pred(PaperType.HOP_DONG), None, pred(PaperType.HOP_DONG, 0.8), pred(PaperType.KHAC, 0.5), None,
             pred(PaperType.GIAY_KHAI_SINH)]
    components = split(pages, preds)
    assert [(c.type, c.pages) for c in components] == [(PaperType.HOP_DONG, [1, 3]),
                                                        (PaperType.GIAY_KHAI_SINH, [6])]


def test_prepared_blank_flag_drops_a_page_with_stray_text():
    image = PageImage(pixels=np.zeros((4, 4, 3), np.uint8), source=__file__, index=2, dpi=300)
    prepared = [PreparedPage(pixels=image.pixels, source=image),
                PreparedPage(pixels=image.pixels, source=image, flags=["blank"])]
    pages = [page(1, BIRTH), page(2, "lorem ipsum dolor sit amet consectetur")]
    components = split(pages, [pred(PaperType.GIAY_KHAI_SINH), pred(PaperType.KHAC)], prepared=prepared)
    assert [c.pages for c in components] == [[1]]


def test_a_new_motto_header_starts_a_new_paper_of_the_same_type():
    pages = [page(1, BIRTH), page(2, BIRTH)]
    components = split(pages, [pred(PaperType.GIAY_KHAI_SINH)] * 2)
    assert [c.pages for c in components] == [[1], [2]]


def test_confident_different_type_without_header_starts_a_new_paper():
    pages = [page(1, CONTRACT_1), page(2, "HÓA ĐƠN GIÁ TRỊ GIA TĂNG\nKý hiệu 1C24TAA Số 0000123\nTổng cộng tiền")]
    components = split(pages, [pred(PaperType.HOP_DONG), pred(PaperType.KHAC, 0.97)])
    assert [(c.type, c.pages) for c in components] == [(PaperType.HOP_DONG, [1]), (PaperType.KHAC, [2])]


def test_wrong_declared_hint_does_not_override_a_confident_reading():
    pages = [page(1, BIRTH)]
    hints = [DeclaredComponent(file="scan.pdf", type=PaperType.CCCD, pages=[1])]
    [component] = split(pages, [pred(PaperType.GIAY_KHAI_SINH)], hints=hints)
    assert component.type == PaperType.GIAY_KHAI_SINH and not component.needs_review
    assert any("declared as cccd" in note for note in component.notes)


def test_declared_hint_decides_between_close_types_but_stays_in_review():
    probs = {c: 0.0 for c in CLASSES}
    probs.update({"to_khai": 0.5, "xac_nhan_tinh_trang_hon_nhan": 0.45, "khac": 0.05})
    doubtful = PagePrediction(type=PaperType.TO_KHAI, confidence=0.5, needs_review=True, probabilities=probs)
    hints = [DeclaredComponent(file="scan.pdf", type=PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN)]
    [component] = split([page(1, FORM_1)], [doubtful], hints=hints)
    assert component.type == PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN
    assert component.needs_review


def test_declared_page_ranges_split_doubtful_pages():
    pages = [page(1, "Bên A: Lê Văn A cam kết\nĐiều 5 ..."), page(2, "Nơi cư trú: xã Tam Hồng\nQuan hệ: Cha")]
    preds = [pred(PaperType.HOP_DONG, 0.6), pred(PaperType.TO_KHAI, 0.5)]
    hints = [DeclaredComponent(file="s.pdf", type=PaperType.HOP_DONG, pages=[1]),
             DeclaredComponent(file="s.pdf", type=PaperType.TO_KHAI, pages=[2])]
    assert [c.pages for c in split(pages, preds)] == [[1, 2]]
    assert [c.pages for c in split(pages, preds, hints=hints)] == [[1], [2]]


def test_page_cues_read_page_numbers():
    assert page_cues(page(1, FORM_2)).continues
    assert page_cues(page(1, CONTRACT_2)).continues
    assert not page_cues(page(1, "Trang 1/3\n" + FORM_1)).continues
    assert page_cues(page(1, CARD_BACK)).card_back
    assert page_cues(page(1, SEPARATOR)).separator


def test_a_first_page_whose_page_number_lost_its_slash_starts_its_paper():
    # "Trang 1/3" read "Trang 13" under a contract's motto header: page 1 of 3, not page 13
    request = f"{MOTTO}\nPHIẾU YÊU CẦU CHỨNG THỰC\nYêu cầu chứng thực: Hợp đồng chuyển nhượng"
    contract = CONTRACT_1 + "\nTrang 13"
    assert page_cues(page(2, contract)).continuation == (1, 3)
    pages = [page(1, request), page(2, contract), page(3, CONTRACT_2)]
    components = split(pages, [pred(PaperType.TO_KHAI), pred(PaperType.HOP_DONG), pred(PaperType.HOP_DONG)])
    assert [(c.type, c.pages) for c in components] == [(PaperType.TO_KHAI, [1]), (PaperType.HOP_DONG, [2, 3])]
    # without a motto header "Trang 13" stays page 13, and a page number that cannot be k/n stays as read
    assert page_cues(page(1, "Điều 9. Cam kết\nTrang 13")).continuation == (13, None)
    assert page_cues(page(1, CONTRACT_1 + "\nTrang 31")).continuation == (31, None)


def test_committed_model_splits_generated_dossiers(repo_root, tmp_path):
    """Generated dossiers (truth text, no pixels): every file's components come out exactly."""
    import json

    from pipeline.classify.model import load_model
    from pipeline.classify.run import classify_pages
    from pipeline.synth.dossier import generate_dossiers

    model = load_model(repo_root / "models")
    checked = 0
    for folder in generate_dossiers(tmp_path, 2, seed=6061, images=False):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for file_truth in truth["files"]:
            pages = [page(p["index"], p["text"], ["blank"] if p["blank"] else []) for p in file_truth["pages"]]
            want: dict[object, list[int]] = {}
            for p in file_truth["pages"]:
                if p["component"] is not None and not p["blank"] and not p["separator"]:
                    want.setdefault(p["component"], []).append(p["index"])
            got = [c.pages for c in classify_pages(pages, None, model)]
            assert sorted(got) == sorted(want.values()), file_truth["file"]
            checked += 1
    assert checked >= 2


def test_a_page_the_ocr_could_not_read_is_kept_for_review():
    pages = [page(1, CONTRACT_1), page(2, "", flags=["ocr_failed", "ocr_timeout"]), page(3, CONTRACT_2)]
    components = split(pages, [pred(PaperType.HOP_DONG), None, pred(PaperType.HOP_DONG, 0.95)])
    assert [c.pages for c in components] == [[1], [2], [3]]
    failed = components[1]
    assert failed.needs_review and failed.confidence == 0.0 and failed.type == PaperType.KHAC
    assert "ocr_failed" in failed.notes[0]


def test_an_unreadable_page_is_its_own_component_for_review():
    from pipeline.classify.model import UNREADABLE_NOTE

    soup = pred(PaperType.VAN_BAN_HANH_CHINH, 0.45)
    soup.notes.append(UNREADABLE_NOTE)
    pages = [page(1, CONTRACT_1), page(2, "3unH uựnX 3uøJr] 3uønqxq u15 9H\nNVOH f1Iđ dựud giổ 8uen"), page(3, CONTRACT_2)]
    components = split(pages, [pred(PaperType.HOP_DONG), soup, pred(PaperType.HOP_DONG, 0.95)])
    assert [c.pages for c in components] == [[1], [2], [3]]
    assert components[1].needs_review and UNREADABLE_NOTE in components[1].notes

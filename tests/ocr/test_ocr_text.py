import unicodedata

from pipeline.domain.records import OcrWord
from pipeline.ocr.text import assemble_text, is_debris, mean_confidence, parse_tsv, strip_leaders

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


SAMPLE = tsv(
    "1\t1\t0\t0\t0\t0\t0\t0\t600\t120\t-1\t",
    "4\t1\t1\t1\t1\t0\t22\t26\t224\t30\t-1\t",
    "5\t1\t1\t1\t1\t1\t22\t26\t68\t30\t96.218407\tCộng",
    "5\t1\t1\t1\t1\t2\t104\t26\t48\t24\t90.5\thòa",
    "5\t1\t1\t1\t1\t3\t150\t26\t10\t24\t95\t ",  # an empty word: dropped
    "5\t1\t1\t1\t2\t1\t20\t76\t53\t29\t80\tĐộc",
    "5\t1\t2\t1\t1\t1\t300\t76\t38\t30\t70\tlập",
)


def test_tsv_rows_become_words_with_boxes_and_confidences():
    words = parse_tsv(SAMPLE)
    assert [w.text for w in words] == ["Cộng", "hòa", "Độc", "lập"]
    first = words[0]
    assert (first.left, first.top, first.width, first.height) == (22, 26, 68, 30)
    assert abs(first.confidence - 96.218407) < 1e-6
    # running line number across (block, paragraph, line); block kept
    assert [w.line for w in words] == [0, 0, 1, 2]
    assert [w.block for w in words] == [1, 1, 1, 2]


def test_text_is_assembled_line_by_line():
    words = parse_tsv(SAMPLE)
    assert assemble_text(words) == "Cộng hòa\nĐộc\nlập"
    assert mean_confidence(words) == round((96.218407 + 90.5 + 80 + 70) / 4, 2)
    assert mean_confidence([]) == 0.0


def test_decomposed_input_comes_out_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
    assert not unicodedata.is_normalized("NFC", decomposed)
    rows = [f"5\t1\t1\t1\t1\t{i}\t0\t0\t10\t10\t90\t{w}" for i, w in enumerate(decomposed.split(), 1)]
    words = parse_tsv(tsv(*rows))
    assert all(unicodedata.is_normalized("NFC", w.text) for w in words)
    text = assemble_text(words)
    assert text == unicodedata.normalize("NFC", "Nguyễn Thị Hồng")


def test_malformed_rows_are_skipped_not_fatal():
    words = parse_tsv(tsv("5\t1\t1\t1\t1\t1\tx\t0\t10\t10\t90\tbad", "garbage", "5\t1\t1"))
    assert words == []


def test_dotted_leaders_of_forms_are_not_text():
    assert strip_leaders("Giờ:.........") == "Giờ:"
    assert strip_leaders("…………") == "" and strip_leaders("________") == ""
    assert strip_leaders("1.2") == "1.2" and strip_leaders("Độc-lập") == "Độc-lập" and strip_leaders("v.v..") == "v.v.."
    words = parse_tsv(tsv("5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tKhánh", "5\t1\t1\t1\t1\t2\t20\t0\t90\t10\t40\t.........."))
    assert [w.text for w in words] == ["Khánh"]


def test_an_eth_read_for_d_with_stroke_becomes_the_vietnamese_letter():
    # U+00D0 and U+00F0 look like U+0110 and U+0111; only the Vietnamese letters are in these papers
    assert strip_leaders("\u00d0\u1ea1o") == "Đạo" and strip_leaders("\u00f0\u00e1") == "đá"
    assert strip_leaders("1\u20442") == "1/2"
    words = parse_tsv(tsv("5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tHoằng", "5\t1\t1\t1\t1\t2\t20\t0\t90\t10\t88\t\u00d0\u1ea1o"))
    assert [w.text for w in words] == ["Hoằng", "Đạo"] and words[1].text[0] == "\u0110"


def _word(text: str, confidence: float, line: int = 0) -> OcrWord:
    return OcrWord(text=text, left=0, top=0, width=10, height=10, confidence=confidence, line=line)


def test_debris_is_left_out_of_the_text_and_kept_in_the_words():
    # marks from rules, seal rings, signatures: no letter or digit, or no word shape, read unsure
    for text, confidence in [("|", 60), ("———", 47), ("„^^", 30), ("V/š", 4), ("|[®Ỉ", 19), ("`\\ÀA%", 10)]:
        assert is_debris(_word(text, confidence)), text
    # words, numbers, document numbers and MRZ lines stay even when read unsure; so do "-" and "/"
    for text, confidence in [("Ngọc", 20), ("name:", 0), ("25/05/1991", 30), ("111/XNTTHN", 35),
                             ("IDVNM0880994372031088099437<<6", 40), ("-", 20), ("/", 20), ("|", 95),
                             ("HUYNH<<BTICH<ẳHUONG<<<<<", 20), ("ÀNH<<<<<<<<<", 30), ("Nguyc..", 30)]:
        assert not is_debris(_word(text, confidence)), text
    words = [_word("Lê", 96), _word("„^^", 12), _word("Hà", 95), _word("|", 40, line=1)]
    assert assemble_text(words) == "Lê Hà"


def _at(text: str, left: int, confidence: float = 95.0, line: int = 0) -> OcrWord:
    return OcrWord(text=text, left=left, top=0, width=12 * len(text), height=20, confidence=confidence, line=line)


def test_a_mark_set_apart_at_a_line_end_is_left_out_of_the_text():
    # a card portrait's rim read as "k À" before the label, the next word 5 line heights away
    line = [_at("À", 10, 40), _at("Nơi", 120), _at("thường", 170), _at("trú", 260), _at("ng", 700, 30)]
    assert assemble_text(line) == "Nơi thường trú"
    # kept: read surely, close to the next word, a number, a dash, or more than two letters
    for first in (_at("À", 10, 90), _at("À", 80, 40), _at("7", 10, 40), _at("-", 10, 40), _at("Ông", 10, 40)):
        assert assemble_text([first, _at("Nơi", 120), _at("thường", 170)]).startswith(first.text + " "), first.text
    # a line of marks only leaves no empty line behind
    assert assemble_text([_at("Lê", 10), _at("Hà", 50), _at("À", 10, 30, line=1), _at("V", 300, 30, line=1)]) == "Lê Hà"


def _box(text: str, line: int, height: int, confidence: float) -> OcrWord:
    return OcrWord(text=text, left=100, top=40 * line, width=max(12 * len(text), 3 * height), height=height,
                   confidence=confidence, line=line)


def test_a_signature_read_as_a_word_is_left_out_of_the_text():
    # "NGƯỜI KÝ GIẤY KHAI SINH", the signature read as "AA/Z" in a box four lines tall, then the signer's name
    title = [_box(w, 0, 40, 96) for w in ("NGƯỜI", "KÝ", "GIẤY", "KHAI", "SINH")]
    name = [_box(w, 2, 40, 95) for w in ("Đỗ", "Xuân", "Toàn")]
    signature = _box("AA/Z", 1, 160, 53)
    assert assemble_text(title + [signature] + name) == "NGƯỜI KÝ GIẤY KHAI SINH\nĐỗ Xuân Toàn"
    # kept: a tall word read surely (a title in a large font), a small word read unsure, a tall unsure
    # word on a line with a sure one, and an MRZ line however it was read
    for line in ([_box("GIẤY", 1, 160, 92)], [_box("VÀ", 1, 40, 20)], [_box("AA/Z", 1, 160, 53), _box("Ông", 1, 40, 90)],
                 [_box("IDVNM0880994372031088099437<<6", 1, 160, 40)]):
        text = assemble_text(title + line + name)
        assert text.splitlines()[1] == " ".join(w.text for w in line), line

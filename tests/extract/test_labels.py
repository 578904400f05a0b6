import pytest

from pipeline.extract.labels import Line, clean_value, find_labels, fold_key, match_label, split_lines, value_after


def test_fold_key_keeps_positions():
    text = "Họ, chữ đệm và tên: NGUYỄN VĂN ĐỨC"
    assert fold_key(text) == "ho, chu dem va ten: nguyen van duc"
    assert len(fold_key(text)) == len(text)


@pytest.mark.parametrize("line", ["Họ và tên: Nguyễn Văn An", "Ho va ten: Nguyen Van An", "Ho và tèn: Nguyễn Văn An",
                                  "HỌ VÀ TÊN: NGUYỄN VĂN AN", "1. Họ và tên: Nguyễn Văn An", "Ho va tn: Nguyen Van An",
                                  "Họ  và  tên : Nguyễn Văn An"])
def test_label_tolerates_ocr_noise(line):
    hit = match_label(Line.of(line), "Họ và tên")
    assert hit is not None
    assert clean_value(Line.of(line).text[hit.end:]).lower().replace("nguyen", "nguyễn").startswith("nguyễn")


def test_label_variants_with_different_punctuation():
    line = Line.of("Họ, chữ đệm, tên: TRẦN THỊ BÌNH")
    assert match_label(line, "Họ, chữ đệm và tên") is not None or match_label(line, "Họ, chữ đệm, tên") is not None
    assert match_label(line, "Họ chữ đệm tên").score == 1.0


@pytest.mark.parametrize(("line", "label"), [("Nguyễn Văn An", "Họ và tên"), ("Huyện Ba Vì", "Bà"),
                                              ("Số 12 đường Trần Phú", "Số"), ("Tài xế: Lê", "Tài sản")])
def test_no_false_labels(line, label):
    assert match_label(Line.of(line), label) is None


def test_a_colon_glued_to_a_letter_inside_a_label_is_ocr_debris():
    # "Giấy tờ tùy thân" read as "Giấy :ở tùy thân": the colon stuck to "ở" is a misread "t", not the
    # label's end; a colon followed by a space still ends a label ("Mục đích sử dụng: Đất …")
    line = Line.of("Giấy :ở tùy thân: CCCD số 036184145924")
    hit = match_label(line, "Giấy tờ tùy thân")
    assert hit is not None
    assert clean_value(line.text[hit.end:]) == "CCCD số 036184145924"
    assert match_label(Line.of("Mục đích sử dụng: Đất ở tại đô thị"), "Mục đích sử dụng đất") is None


def test_a_colon_after_the_first_word_of_a_long_label_is_a_speck():
    line = Line.of("Căn: cước công dân số: 038194620750 Ngày cấp: 16/03/2022")
    hit = match_label(line, "Căn cước công dân số")
    assert hit is not None and clean_value(line.text[hit.end:]).startswith("038194620750")
    # a shorter label's end is still one: two words after the colon are not the label's
    assert match_label(Line.of("Ngày cấp: nơi cấp Hà Nội"), "Ngày cấp nơi cấp") is None


def test_a_colon_further_inside_a_label_is_a_speck_when_the_label_has_its_own_colon():
    line = Line.of("Ngày, tháng, năn: ¿ïng ký: 21/02/2023")
    hit = match_label(line, "Ngày, tháng, năm đăng ký")
    assert hit is not None and clean_value(line.text[hit.end:]) == "21/02/2023"
    # without a colon of its own after the label's words, the first colon ends a shorter label
    assert match_label(Line.of("Ngày, tháng, năm: đăng ký tại UBND xã"), "Ngày, tháng, năm đăng ký") is None


def test_value_on_next_line_and_dotted_leaders():
    lines = split_lines("Họ và tên / Full name:\nNGUYỄN VĂN AN\nQuê quán:........Xã Tản Lĩnh........")
    hits = find_labels(lines, [("Họ và tên", "name"), ("Quê quán", "origin")])
    name = next(h for h in hits if h.tag == "name")
    origin = next(h for h in hits if h.tag == "origin")
    assert value_after(lines, name, hits) == ("NGUYỄN VĂN AN", 1)
    assert value_after(lines, origin, hits)[0] == "Xã Tản Lĩnh"


def test_the_english_half_of_a_bilingual_label_takes_the_value_below_when_the_vietnamese_half_is_garbled():
    lines = split_lines("Họẹ xa tên / Full name:\nDƯƠNG ĐỨC HUY\nNgày sinh / Date of birth: 26/10/1988")
    hits = find_labels(lines, [("Full name", "name"), ("Ngày sinh", "dob")])
    name = next(h for h in hits if h.tag == "name")
    assert value_after(lines, name, hits) == ("DƯƠNG ĐỨC HUY", 1)
    # without its colon, a phrase after a slash at the end of a line is no label of the line below
    lines = split_lines("Thông tin về / Full name\nDƯƠNG ĐỨC HUY")
    hits = find_labels(lines, [("Full name", "name")])
    assert value_after(lines, hits[0], hits) == ("", 0)


def test_two_labels_on_one_line_split_the_values():
    lines = split_lines("Giới tính: Nam     Quốc tịch: Việt Nam")
    hits = find_labels(lines, [("Giới tính", "sex"), ("Quốc tịch", "nat")])
    assert [value_after(lines, h, hits)[0] for h in hits] == ["Nam", "Việt Nam"]


def test_longer_label_wins_when_it_matches_as_well():
    lines = split_lines("Họ, chữ đệm, tên người mẹ: TRẦN THỊ BÌNH\nNgày, tháng, năm sinh: 12/03/1990")
    hits = find_labels(lines, [("Họ, chữ đệm, tên", "child"), ("Họ, chữ đệm, tên người mẹ", "mother"),
                               ("Ngày, tháng, năm sinh", "dob"), ("Ngày, tháng, năm sinh vợ", "wife_dob")])
    assert [h.tag for h in hits] == ["mother", "dob"]


def test_longer_label_read_with_a_slip_still_wins_over_its_exact_head():
    # "người cha" read as "người c:a": the long label matches at 0.97, its head "Họ, chữ đệm, tên" exactly;
    # the head is part of the longer label, not the child's name label
    lines = split_lines("Họ, chữ đệm, tên người c:a: TRỊNH TRỌNG VIỆT")
    hits = find_labels(lines, [("Họ, chữ đệm, tên", "child"), ("Họ, chữ đệm, tên người cha", "father")])
    assert [h.tag for h in hits] == ["father"]
    assert value_after(lines, hits[0], hits)[0] == "TRỊNH TRỌNG VIỆT"


def test_a_label_at_the_end_of_a_title_line_takes_no_value_from_below():
    lines = split_lines("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nỦY BAN NHÂN DÂN XÃ")
    hits = find_labels(lines, [("Tình trạng hôn nhân", "status")])
    assert value_after(lines, hits[0], hits)[0] == ""


def test_a_long_label_with_one_misread_letter_still_swallows_the_short_label_at_its_end():
    """"Nøày, tháng, năm sinh" is the birth-date label with one letter misread, not the label "năm sinh"
    (a parent's year of birth) with debris before it."""
    lines = split_lines("Nøày, tháng, năm sinh: 29/03/2024")
    hits = find_labels(lines, [("Ngày, tháng, năm sinh", "dob"), ("năm sinh", "year")])
    assert [h.tag for h in hits] == ["dob"]


@pytest.mark.parametrize(("after_label", "value"), [
    (" / Full name: NGUYỄN VĂN AN", "NGUYỄN VĂN AN"),
    # the gloss lost its colon before a name in capitals on the same line
    (" / Người nuôi NGUYỄN THUỲ QUỲNH", "NGUYỄN THUỲ QUỲNH"),
    (" / Full name NGUYỄN VĂN AN", "NGUYỄN VĂN AN"),
    # without capitals after it nothing tells where the gloss ends: the gloss alone is dropped, as before
    (" / Người nuôi Nguyễn Văn An", ""),
    (" / Date of birth 12/03/1990", "Date of birth 12/03/1990"),
])
def test_a_gloss_after_a_label_is_not_part_of_the_value(after_label, value):
    text = "GIẤY CHỨNG SINH\nHọ và tên mẹ" + after_label
    lines = split_lines(text)
    hits = find_labels(lines, [("Họ và tên mẹ", "mother")])
    assert value_after(lines, hits[0], hits)[0] == value

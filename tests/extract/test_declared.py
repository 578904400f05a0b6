"""settle_with_declared: an ID number read a digit or two from the number the dossier declares (its
applicant's) is taken as that number; another person's number, or a reading the paper contradicts, is not."""

from __future__ import annotations

from datetime import date

from pipeline.domain.papers import PaperType
from pipeline.domain.records import Component, Field, OcrPage, OcrWord
from pipeline.extract import extract_document
from pipeline.extract.checks import settle_with_declared

TODAY = date(2026, 11, 28)
DECLARED = "001090012345"  # Hà Nội, man born 1990
CARD = """CĂN CƯỚC CÔNG DÂN
Số / No.: {id}
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 12/03/1990
Giới tính / Sex: Nam   Quốc tịch / Nationality: Việt Nam
Có giá trị đến: 12/03/2030"""


def _card(id_: str) -> tuple[Component, list[OcrPage]]:
    text = CARD.format(id=id_)
    words = [OcrWord(w, 0, 0, 10, 10, 95.0, i) for i, line in enumerate(text.split("\n")) for w in line.split()]
    return Component(PaperType.CCCD, [1], 0.97, False), [OcrPage(1, text, words, 95.0)]


def _fields(**ids: str) -> dict[str, Field]:
    return {name: Field(value, 0.9, True) for name, value in ids.items()}


def test_a_card_whose_number_lost_one_digit_to_ocr_reads_as_declared():
    misread = "001090012845"  # 3 read as 8: still a valid number, and it agrees with the birth date
    alone = extract_document(*_card(misread), today=TODAY).fields
    assert alone["id_number"].value == misread and alone["id_number"].valid
    settled = extract_document(*_card(misread), today=TODAY, declared={DECLARED: ""}).fields
    assert settled["id_number"].value == DECLARED and settled["id_number"].valid
    assert "1 digit from the number the dossier declares" in settled["id_number"].reason
    assert DECLARED not in settled["id_number"].reason and misread not in settled["id_number"].reason
    assert settled["date_of_birth"].valid and settled["date_of_birth"].value == "1990-03-12"


def test_a_doubled_or_dropped_digit_is_one_edit_and_two_misread_digits_are_two():
    for reading in ("0010900123345", "00109001245", "001090612845"):
        out = settle_with_declared(PaperType.TO_KHAI, _fields(requester_id_number=reading), {DECLARED: ""})
        assert out["requester_id_number"].value == DECLARED, reading


def test_a_number_three_digits_away_is_another_persons():
    out = settle_with_declared(PaperType.TO_KHAI, _fields(requester_id_number="001090067395"), {DECLARED: ""})
    assert out["requester_id_number"].value == "001090067395" and out["requester_id_number"].reason == ""


def test_a_paper_that_prints_the_declared_number_keeps_its_other_numbers():
    wife = "001190012346"  # one digit from the husband's: still hers, since his is on the paper already
    fields = _fields(husband_id_number=DECLARED, wife_id_number=wife)
    assert settle_with_declared(PaperType.GIAY_CHUNG_NHAN_KET_HON, fields, {DECLARED: ""}) == fields


def test_two_readings_equally_near_the_declared_number_are_left_alone():
    fields = _fields(husband_id_number="001090012346", wife_id_number="001090012344")
    assert settle_with_declared(PaperType.GIAY_CHUNG_NHAN_KET_HON, fields, {DECLARED: ""}) == fields


def test_the_declared_number_is_not_taken_where_the_paper_contradicts_it():
    fields = {"id_number": Field("001090012845", 0.9, True), "date_of_birth": Field("1985-03-12", 0.9, True),
              "sex": Field("nam", 0.9, True)}
    assert settle_with_declared(PaperType.CCCD, fields, {DECLARED: ""}) == fields
    woman = {"id_number": Field("001090012845", 0.9, True), "sex": Field("nu", 0.9, True)}
    assert settle_with_declared(PaperType.CCCD, woman, {DECLARED: ""}) == woman


def test_an_invalid_declared_number_settles_nothing():
    fields = _fields(requester_id_number="001090012845")
    assert settle_with_declared(PaperType.TO_KHAI, fields, {"999090012345": "Nguyễn Văn An", "": ""}) == fields


def test_the_name_beside_the_declared_number_is_the_declared_name_when_close():
    for read in ("Nguyen Van An", "Nguyễn Văn Ân", "Nguyẽn Vàn Am", "NGUYEN VAN AN"):
        fields = {"id_number": Field(DECLARED, 0.9, True), "full_name": Field(read, 0.8, True)}
        out = settle_with_declared(PaperType.CCCD, fields, {DECLARED: "NGUYỄN  VĂN AN"})
        assert out["full_name"].value == "Nguyễn Văn An" and out["full_name"].valid, read
        assert "Nguy" not in out["full_name"].reason  # masked
    card = extract_document(*_card("001090012845"), today=TODAY, declared={DECLARED: "Nguyễn Văn Ân"}).fields
    assert (card["id_number"].value, card["full_name"].value) == (DECLARED, "Nguyễn Văn Ân")


def test_a_name_is_not_taken_from_the_declaration_without_the_declared_number_or_when_far():
    far = {"id_number": Field(DECLARED, 0.9, True), "full_name": Field("Trần Thị Bích", 0.8, True)}
    assert settle_with_declared(PaperType.CCCD, far, {DECLARED: "Nguyễn Văn An"}) == far
    other = {"id_number": Field("001090067395", 0.9, True), "full_name": Field("Nguyen Van An", 0.8, True)}
    assert settle_with_declared(PaperType.CCCD, other, {DECLARED: "Nguyễn Văn An"}) == other
    wife = {"husband_id_number": Field(DECLARED, 0.9, True), "husband_name": Field("Lê Văn An", 0.9, True),
            "wife_id_number": Field("001190067891", 0.9, True), "wife_name": Field("Lê Thị An", 0.9, True)}
    out = settle_with_declared(PaperType.GIAY_CHUNG_NHAN_KET_HON, wife, {DECLARED: "Lê Văn Ân"})
    assert out["husband_name"].value == "Lê Văn Ân" and out["wife_name"].value == "Lê Thị An"


def test_a_declared_name_typed_without_marks_never_replaces_one_read_with_them():
    fields = {"id_number": Field(DECLARED, 0.9, True), "full_name": Field("Nguyễn Văn An", 0.9, True)}
    assert settle_with_declared(PaperType.CCCD, fields, {DECLARED: "Nguyen Van An"}) == fields


def test_a_birth_year_one_digit_from_the_declared_numbers_is_its_year():
    for read, valid in (("1980-03-12", True), ("1290-03-12", False), ("1996-03-12", True)):  # 1290: implausible
        fields = {"id_number": Field(DECLARED, 0.9, True), "date_of_birth": Field(read, 0.7, valid)}
        out = settle_with_declared(PaperType.CCCD, fields, {DECLARED: ""})
        assert out["date_of_birth"].value == "1990-03-12" and out["date_of_birth"].valid, read
        assert out["date_of_birth"].reason == f"year read {read[:4]}; the number the dossier declares gives 1990"
    for read in ("1975-03-12", "ngày 12 tháng"):  # two digits off, or not a date: left to cross_check
        fields = {"id_number": Field(DECLARED, 0.9, True), "date_of_birth": Field(read, 0.7, False)}
        assert settle_with_declared(PaperType.CCCD, fields, {DECLARED: ""}) == fields
    not_declared = {"id_number": Field("001090067395", 0.9, True), "date_of_birth": Field("1980-03-12", 0.7, True)}
    assert settle_with_declared(PaperType.CCCD, not_declared, {DECLARED: ""}) == not_declared


def test_a_marriage_certificate_settles_only_the_declared_spouses_birth_date():
    wife = "001190067891"
    fields = {"husband_id_number": Field(DECLARED, 0.9, True), "husband_date_of_birth": Field("1980-01-02", 0.7, True),
              "wife_id_number": Field(wife, 0.9, True), "wife_date_of_birth": Field("1981-05-06", 0.7, True)}
    out = settle_with_declared(PaperType.GIAY_CHUNG_NHAN_KET_HON, fields, {DECLARED: ""})
    assert out["husband_date_of_birth"].value == "1990-01-02"
    assert out["wife_date_of_birth"] == fields["wife_date_of_birth"]

"""People and places: ID numbers agree with date of birth and sex, names look Vietnamese."""

from __future__ import annotations

from datetime import date

import numpy as np

from pipeline.domain.idnumber import check_against, is_valid_id
from pipeline.synth.people import PLACES, make_family, make_person
from pipeline.synth.papers import letter_date, number_words


def test_id_numbers_are_valid_and_match_birth_and_sex() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        p = make_person(rng, born_between=(date(1940, 1, 1), date(2024, 6, 1)))
        assert is_valid_id(p.id_number)
        assert check_against(p.id_number, birth_date=p.date_of_birth, sex=p.sex) == []
        assert p.id_number[:3] == p.birth_place.province_code


def test_family_is_consistent() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        fam = make_family(rng)
        assert fam.applicant.sex != fam.spouse.sex
        father = fam.applicant if fam.applicant.sex == "nam" else fam.spouse
        assert fam.child is not None
        assert fam.child.full_name.split()[0] == father.full_name.split()[0]
        assert fam.child.date_of_birth > fam.applicant.date_of_birth


def test_names_and_places() -> None:
    rng = np.random.default_rng(9)
    people = [make_person(rng) for _ in range(200)]
    assert {p.sex for p in people} == {"nam", "nu"}
    for p in people:
        parts = p.full_name.split()
        assert 3 <= len(parts) <= 4 and all(w[0].isupper() for w in parts)
        province, districts, _, _ = PLACES[p.residence.province_code]
        assert p.residence.province == province and p.residence.commune in districts[p.residence.district]
    female = [p for p in people if p.sex == "nu"]
    assert any("Thị" in p.full_name for p in female)


def test_vietnamese_number_words_and_date_line() -> None:
    assert number_words(850_000_000) == "tám trăm năm mươi triệu"
    assert number_words(2023) == "hai nghìn không trăm hai mươi ba"
    assert number_words(105) == "một trăm lẻ năm"
    assert number_words(21) == "hai mươi mốt"
    assert number_words(15) == "mười lăm"
    assert letter_date("Hà Nội", date(2024, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2024"
    assert letter_date("Hà Nội", date(2024, 3, 12)) == "Hà Nội, ngày 12 tháng 3 năm 2024"

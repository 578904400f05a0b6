from datetime import date

import pytest

from pipeline.domain.idnumber import (
    check_against, explain_id_problem, make_id, mask_id, mask_ids_in, parse_id,
)
from pipeline.errors import InvalidIdNumberError


def test_decodes_province_century_and_sex():
    ident = parse_id("026190000123")
    assert (ident.province, ident.birth_year, ident.sex) == ("Vĩnh Phúc", 1990, "nu")
    assert parse_id("001203000045").birth_year == 2003 and parse_id("001203000045").sex == "nam"


@pytest.mark.parametrize("value, reason", [
    ("02619000012", "12 digits"), ("0261900001234", "12 digits"), ("02619000012a", "12 digits"),
    ("003190000123", "unknown province code 003"), ("001990000123", "future"),
])
def test_rejects_broken_numbers(value, reason):
    assert reason in explain_id_problem(value, today=date(2026, 11, 28))
    with pytest.raises(InvalidIdNumberError) as err:
        parse_id(value, today=date(2026, 11, 28))
    assert value not in str(err.value)  # the message is masked


def test_cross_check_with_birth_date_and_sex():
    number = make_id("079", 1985, "nam", 4321)
    assert number == "079085004321"
    assert check_against(number, birth_date=date(1985, 2, 1), sex="nam") == []
    problems = check_against(number, birth_date=date(1986, 2, 1), sex="nu")
    assert len(problems) == 2


def test_masking():
    assert mask_id("026190000123") == "026*******23"
    assert str(parse_id("026190000123")) == "026*******23"
    assert mask_ids_in("owner 026190000123, phone 0912345678") == "owner 026*******23, phone 0912345678"


def test_non_ascii_digits_are_not_an_id_number():
    fullwidth = "026" + "０９０１２３４５６"
    assert explain_id_problem(fullwidth) == "must be exactly 12 digits"

"""The audit trail's masking (pipeline.index.audit): no full ID number, name or birth date is kept."""

from pipeline.index.audit import masked_details


def test_every_birth_date_field_is_hidden_not_only_the_holders():
    details = {"fields": {"date_of_birth": "1990-03-15", "husband_date_of_birth": "1983-02-01",
                          "wife_date_of_birth": "1985-07-09", "grantor_date_of_birth": "1960-01-20",
                          "registered_on": "2015-06-01"}}
    fields = masked_details(details)["fields"]
    assert {k: v for k, v in fields.items() if k.endswith("date_of_birth")} == {
        "date_of_birth": "***", "husband_date_of_birth": "***", "wife_date_of_birth": "***",
        "grantor_date_of_birth": "***"}
    assert fields["registered_on"] == "2015-06-01"  # a paper's own date is not personal data


def test_ids_and_names_are_masked_at_any_depth_and_free_text_loses_its_numbers():
    details = {"wife_id_number": "026192004567", "grantor_name": "Nguyễn Văn An",
               "components": [{"full_name": "Trần Thị Bình", "note": "đối chiếu CCCD 001090012345"}],
               "pages": 3, "reused": True}
    masked = masked_details(details)
    assert masked["wife_id_number"] == "026*******67"
    assert masked["grantor_name"] == "N. V. A."
    assert masked["components"][0]["full_name"] == "T. T. B."
    assert "001090012345" not in masked["components"][0]["note"]
    assert (masked["pages"], masked["reused"]) == (3, True)

"""domain.fields: every key field has a Vietnamese label, and values read as Vietnamese readers write them."""

from __future__ import annotations

from pipeline.domain.fields import FIELD_NAMES_VI, KEY_FIELDS, NO_EXPIRY, display_value
from pipeline.domain.vntext import nfc


def test_every_key_field_has_a_vietnamese_label():
    names = {name for fields in KEY_FIELDS.values() for name in fields}
    assert names <= set(FIELD_NAMES_VI), sorted(names - set(FIELD_NAMES_VI))
    assert all(label == nfc(label) and label[0].isupper() for label in FIELD_NAMES_VI.values())


def test_display_value_writes_dates_day_first_and_spells_sex_and_no_expiry():
    assert display_value("date_of_birth", "1990-03-12") == "12/03/1990"
    assert display_value("valid_until", NO_EXPIRY) == "Không thời hạn"
    assert display_value("sex", "nu") == "Nữ" and display_value("child_sex", "nam") == "Nam"
    assert display_value("number", "3722/VPCP-CN") == "3722/VPCP-CN"
    assert display_value("date", "ngày #3 tháng JƑ năm 2026") == "ngày #3 tháng JƑ năm 2026"  # an unread date as read

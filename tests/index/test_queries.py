"""Decision 766 counts on a hand-made dataset whose numerators and denominators are worked out by hand.

Dossiers (agency, level, procedure, received in Vietnam time, what happened):
  D1 SO-TP tinh 1.000466 2024-01-10  stored + reused                     -> 4.2 yes, 4.3 yes
  D2 SO-TP tinh 1.000466 2024-01-20  stored, result issued and scanned   -> 4.2 yes, 4.1 yes
  D3 SO-TP tinh 2.000635 2024-01-25  stored, result issued, not scanned  -> 4.2 no (simple yes), 4.1 no
  D4 XA-1  xa   1.000466 2024-02-01 03:00 (2024-01-31 20:00 UTC) stored + quarantined -> 4.2 no (simple yes)
  D5 XA-1  xa   1.000466 2024-02-10  nothing recorded yet               -> no
  D6 XA-1  xa   1.000466 2024-04-02  reused only                       -> 4.2 yes, 4.3 yes
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from pipeline.domain.idnumber import make_id
from pipeline.index.queries import digitization_counts, indicator_counts, result_counts, reuse_counts

ALICE = make_id("026", 1990, "nu", 123456)
VN = timezone(timedelta(hours=7))


@pytest.fixture()
def dataset(index, manifest, make_component):
    cert = f"{1:032x}"
    index.record_document(document_id=cert, id_number=ALICE, paper_type="giay_khai_sinh", fields={},
                          original_sha256="aa" * 32)

    def dossier(code, agency, level, procedure, received, *, result=False):
        index.record_dossier(manifest(code, agency_code=agency, level=level, procedure_code=procedure,
                                      received_at=received, results=["kq.pdf"] if result else None))

    def stored(code, n):
        index.record_component(code, "scan.pdf", make_component("cccd", [n]), status="stored")

    dossier("HS-D1", "SO-TP", "tinh", "1.000466", datetime(2024, 1, 10, 9, tzinfo=VN))
    stored("HS-D1", 1)
    index.record_reuse("HS-D1", "scan.pdf", make_component("giay_khai_sinh", [2]), cert)
    dossier("HS-D2", "SO-TP", "tinh", "1.000466", datetime(2024, 1, 20, 9, tzinfo=VN), result=True)
    stored("HS-D2", 1)
    index.record_result("HS-D2", result_id="KQ-2", name="Trích lục", file_key="D2/kq.pdf")
    dossier("HS-D3", "SO-TP", "tinh", "2.000635", datetime(2024, 1, 25, 9, tzinfo=VN), result=True)
    stored("HS-D3", 1)
    dossier("HS-D4", "XA-1", "xa", "1.000466", datetime(2024, 1, 31, 20, tzinfo=timezone.utc))
    stored("HS-D4", 1)
    index.record_quarantine("HS-D4", "photo.heic", "unreadable_image", "cannot decode")
    dossier("HS-D5", "XA-1", "xa", "1.000466", datetime(2024, 2, 10, 9, tzinfo=VN))
    dossier("HS-D6", "XA-1", "xa", "1.000466", datetime(2024, 4, 2, 9, tzinfo=VN))
    index.record_reuse("HS-D6", "scan.pdf", make_component("giay_khai_sinh", [1]), cert)
    return index


def _by(rows, *keys):
    return {tuple(r.group[k] for k in keys): r for r in rows}


def test_counts_per_agency(dataset) -> None:
    rows = _by(indicator_counts(dataset, group_by=["agency"]), "agency")
    so, xa = rows[("SO-TP",)], rows[("XA-1",)]
    assert (so.received, so.digitized, so.with_digitized_components, so.reused) == (3, 2, 3, 1)
    assert (so.result_required, so.with_result_file) == (2, 1)
    assert (xa.received, xa.digitized, xa.with_digitized_components, xa.reused) == (3, 1, 2, 1)
    assert (xa.result_required, xa.with_result_file) == (0, 0)


def test_reuse_and_digitization_rates_overall(dataset) -> None:
    (reuse,) = reuse_counts(dataset, group_by=[])
    assert (reuse.numerator, reuse.denominator) == (2, 6) and reuse.rate == pytest.approx(1 / 3)
    (digit,) = digitization_counts(dataset, group_by=[])
    assert (digit.numerator, digit.denominator, digit.with_digitized_components) == (3, 6, 5)
    assert digit.rate == pytest.approx(0.5) and digit.simple_rate == pytest.approx(5 / 6)
    (results,) = result_counts(dataset, group_by=[])
    assert (results.numerator, results.denominator) == (1, 2)


def test_periods_use_vietnam_time_and_fold_into_quarters_and_years(dataset) -> None:
    months = _by(reuse_counts(dataset, group_by=["period"]), "period")
    assert {k[0]: (r.numerator, r.denominator) for k, r in months.items()} == {
        "2024-01": (1, 3), "2024-02": (0, 2), "2024-04": (1, 1)}  # D4 falls in February, Vietnam time
    quarters = _by(digitization_counts(dataset, group_by=["level", "period"], period="quarter"), "level", "period")
    assert {k: (r.numerator, r.denominator) for k, r in quarters.items()} == {
        ("tinh", "2024-Q1"): (2, 3), ("xa", "2024-Q1"): (0, 2), ("xa", "2024-Q2"): (1, 1)}
    (year,) = reuse_counts(dataset, group_by=["period"], period="year")
    assert year.group == {"period": "2024"} and (year.numerator, year.denominator) == (2, 6)


def test_filters_and_procedure_grouping(dataset) -> None:
    feb = reuse_counts(dataset, group_by=["agency"], start=date(2024, 2, 1), end=date(2024, 3, 1))
    assert [(r.group["agency"], r.denominator) for r in feb] == [("XA-1", 2)]  # D4 and D5
    procs = _by(digitization_counts(dataset, group_by=["procedure"], agency_code="SO-TP"), "procedure")
    assert {k[0]: (r.numerator, r.denominator) for k, r in procs.items()} == {"1.000466": (2, 2),
                                                                              "2.000635": (0, 1)}
    assert reuse_counts(dataset, group_by=["agency"], level="huyen") == []
    with pytest.raises(ValueError):
        reuse_counts(dataset, group_by=["province"])

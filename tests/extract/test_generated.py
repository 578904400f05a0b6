"""Extraction against the sample generator's truth: the key fields read from the clean text of generated
papers must equal the fields the generator drew (pipeline/domain/fields.py conventions).

Whole components come from pipeline.synth.dossier.plan_dossier, which lays out every page of a paper
without drawing pixels (generate_pages draws and degrades images and returns single pages of multi-page
papers, whose truth then names fields printed on another page).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from pipeline.domain.papers import PaperType
from pipeline.extract import cross_check, extract_fields

dossier = pytest.importorskip("pipeline.synth.dossier", reason="the sample generator (H1) is not installed")

SEED = 20261128
PER_TYPE = 3  # 12 types with fields x 3 = 36 components


def _components():
    taken: Counter = Counter()
    out = []
    for index in range(200):
        _, files, _ = dossier.plan_dossier(SEED, index)
        for f in files:
            for comp in f.items:
                if isinstance(comp, str) or comp.paper.type is PaperType.KHAC:
                    continue
                if taken[comp.paper.type] < PER_TYPE:
                    taken[comp.paper.type] += 1
                    out.append((comp.paper.type, "\n".join(s.text for s in comp.specs), comp.paper.fields))
        if len(taken) == len(PaperType) - 1 and min(taken.values()) >= PER_TYPE:
            break
    return out


@pytest.fixture(scope="module")
def results():
    rows = []
    for ptype, text, truth in _components():
        got = cross_check(ptype, extract_fields(ptype, text))
        for name, value in truth.items():
            if value == "":  # printed nowhere (a gift contract has no price)
                continue
            field = got.get(name)
            rows.append((ptype.value, name, field is not None and field.value == value,
                         field is not None and field.valid))
    return rows


def test_covers_every_type_with_fields(results):
    assert {r[0] for r in results} == {t.value for t in PaperType} - {PaperType.KHAC.value}


def test_exact_match_on_clean_truth_text(results):
    hits = sum(r[2] for r in results)
    rate = hits / len(results)
    misses = Counter(f"{r[0]}.{r[1]}" for r in results if not r[2])
    assert rate >= 0.95, f"exact match {hits}/{len(results)} = {rate:.1%}; misses: {dict(misses)}"


def test_every_id_number_read_exactly(results):
    ids = [r for r in results if r[1].endswith("id_number")]
    hits = sum(r[2] and r[3] for r in ids)
    assert ids and hits == len(ids), f"ID numbers {hits}/{len(ids)} exact and valid"


def test_generated_fields_pass_their_own_validation(results):
    """The generator draws consistent people: a correctly read field must also validate (no false alarms)."""
    per_field = defaultdict(list)
    for ptype, name, exact, valid in results:
        if exact:
            per_field[f"{ptype}.{name}"].append(valid)
    invalid = {k: v.count(False) for k, v in per_field.items() if not all(v)}
    assert not invalid, f"exactly read but flagged invalid: {invalid}"

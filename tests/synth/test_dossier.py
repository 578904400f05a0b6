"""Dossier assembly: manifests validate, truth is consistent, coverage of types and levels,
same seed gives the same bytes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from pipeline.domain.fields import KEY_FIELDS
from pipeline.domain.idnumber import check_against, is_valid_id
from pipeline.domain.papers import PaperType
from pipeline.domain.vntext import nfc
from pipeline.manifest import load_manifest
from pipeline.synth.degrade import LEVELS
from pipeline.synth.dossier import generate_dossiers, generate_pages
from pipeline.synth.render import available_fonts


@pytest.fixture(scope="module")
def fifty(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """50 dossiers, manifests and truth only (the same content code, no pixels)."""
    return generate_dossiers(tmp_path_factory.mktemp("fifty"), 50, 2024, images=False)


def _truth(folder: Path) -> dict:
    return json.loads((folder / "truth.json").read_text("utf-8"))


def test_every_manifest_validates(fifty: list[Path]) -> None:
    for folder in fifty:
        manifest = load_manifest(folder / "dossier.json")
        assert manifest.level.value in {"tinh", "huyen", "xa"}
        truth = _truth(folder)
        assert manifest.dossier_code == truth["dossier_code"]
        assert set(manifest.files) | set(manifest.results) == {f["file"] for f in truth["files"]}
        for declared in manifest.components:
            comp = next(c for c in truth["components"] if c["file"] == declared.file and c["pages"] == declared.pages)
            assert comp["type"] == declared.type.value


def test_all_types_and_levels_occur_in_fifty_dossiers(fifty: list[Path]) -> None:
    types, levels, procedures = Counter(), Counter(), Counter()
    for folder in fifty:
        procedures[json.loads((folder / "dossier.json").read_text("utf-8"))["procedure_code"]] += 1
        for f in _truth(folder)["files"]:
            for page in f["pages"]:
                types[page["type"]] += 1
                levels[page["level"]] += 1
    assert {t.value for t in PaperType} <= set(types)
    assert set(LEVELS) <= set(levels)
    assert types[None] > 0  # some blank pages and separator sheets
    assert len(procedures) >= 6


def test_truth_is_consistent(fifty: list[Path]) -> None:
    notes = 0
    earlier: dict[str, dict] = {}  # dossier code -> truth, for the papers a returning applicant brings again
    for folder in fifty:
        truth = _truth(folder)
        earlier[truth["dossier_code"]] = truth
        for comp in truth["components"]:
            if "returning_from" in comp:  # a new scan of a paper of an earlier dossier: the same fields
                source = earlier[comp["returning_from"]]
                assert any(old["type"] == comp["type"] and old["fields"] == comp["fields"]
                           for old in source["components"])
        manifest = json.loads((folder / "dossier.json").read_text("utf-8"))
        pages = {(f["file"], p["index"]): p for f in truth["files"] for p in f["pages"]}
        for f in truth["files"]:
            assert [p["index"] for p in f["pages"]] == list(range(1, len(f["pages"]) + 1))
            for p in f["pages"]:
                assert p["text"] == nfc(p["text"])
                assert (p["type"] is None) == (p["blank"] or p["separator"])
                assert (p["component"] is None) == (p["type"] is None)
        covered = set()
        for comp in truth["components"]:
            for index in comp["pages"]:
                page = pages[(comp["file"], index)]
                assert page["type"] == comp["type"] and page["component"] == comp["id"]
                covered.add((comp["file"], index))
            ptype = PaperType(comp["type"])
            assert set(comp["fields"]) <= set(KEY_FIELDS[ptype]), comp["type"]
            if ptype != PaperType.KHAC:
                assert comp["fields"], comp["type"]
            notes += "note" in comp
            for name, value in comp["fields"].items():
                assert value == nfc(value) and value == value.strip()
                if name.endswith("id_number"):
                    assert is_valid_id(value)
                if name in ("date", "date_of_birth", "valid_until", "issued_on", "registered_on"):
                    date.fromisoformat(value)
            fields = comp["fields"]
            if ptype == PaperType.CCCD and "date_of_birth" in fields:
                assert check_against(fields["id_number"], birth_date=date.fromisoformat(fields["date_of_birth"]),
                                     sex=fields["sex"]) == []
                assert fields["sex"] in {"nam", "nu"}
            if ptype == PaperType.TO_KHAI:
                assert fields["requester_id_number"] == manifest["applicant"]["id_number"]
                assert fields["requester_name"] == manifest["applicant"]["full_name"]
            if ptype == PaperType.GIAY_KHAI_SINH:
                assert check_against(fields["id_number"], birth_date=date.fromisoformat(fields["date_of_birth"]),
                                     sex=fields["sex"]) == []
        blank_or_sep = {k for k, p in pages.items() if p["type"] is None}
        assert covered | blank_or_sep == set(pages)
        # the applicant's own card shows the same number and name as the manifest
        cards = [c["fields"] for c in truth["components"] if c["type"] == "cccd" and "full_name" in c["fields"]]
        if cards:
            assert any(c["id_number"] == manifest["applicant"]["id_number"]
                       and c["full_name"] == manifest["applicant"]["full_name"] for c in cards)
    assert notes > 0  # the abolished household book is marked


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _small_mixed_seed(tmp_path: Path) -> int:
    """A seed whose first dossier is small but mixes file formats (keeps the pixel test quick)."""
    for seed in range(60):
        folder = generate_dossiers(tmp_path / f"probe-{seed}", 1, seed, images=False)[0]
        files = _truth(folder)["files"]
        if sum(len(f["pages"]) for f in files) <= 4 and len({Path(f["file"]).suffix for f in files}) >= 2:
            return seed
    raise AssertionError("no small mixed dossier among the first 60 seeds")


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    seed = _small_mixed_seed(tmp_path)
    a = generate_dossiers(tmp_path / "a", 1, seed)
    b = generate_dossiers(tmp_path / "b", 1, seed)
    da, db = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert da == db
    kinds = {Path(name).suffix for name in da}
    assert ".json" in kinds and len(kinds) >= 3  # manifest/truth and two kinds of scan
    assert [p.name for p in a] == [p.name for p in b]
    other = generate_dossiers(tmp_path / "c", 1, seed + 1, images=False)
    assert (other[0] / "truth.json").read_bytes() != (a[0] / "truth.json").read_bytes()


def test_generate_pages_spreads_types_and_levels_and_is_deterministic() -> None:
    types = [PaperType.TO_KHAI, PaperType.CCCD, PaperType.VAN_BAN_HANH_CHINH]
    levels = ["clean", "photocopy"]
    pages = list(generate_pages(6, 3, levels=levels, types=types, fonts=available_fonts()[:2]))
    assert Counter(p.type for p in pages) == {t: 2 for t in types}
    assert Counter(p.level for p in pages) == {"clean": 3, "photocopy": 3}
    for p in pages:
        assert p.image.dtype == np.uint8 and p.image.ndim == 3 and p.clean.ndim == 3
        assert p.text and p.text == nfc(p.text) and p.font in available_fonts()[:2]
        assert 1 <= p.page_in_paper <= p.pages_in_paper
        assert "rotation" in p.info and "skew" in p.info and p.dpi >= 150
    again = next(generate_pages(1, 3, levels=levels, types=types, fonts=available_fonts()[:2]))
    assert np.array_equal(again.image, pages[0].image) and again.text == pages[0].text

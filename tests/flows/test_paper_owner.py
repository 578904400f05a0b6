"""paper_owner: whose data store a paper goes to. A number printed on the paper, read and valid, names
its owner, except one a digit or two from the applicant's: that is the applicant's number misread."""

from __future__ import annotations

import json

from flows.digitize import paper_owner
from pipeline.domain.papers import PaperType
from pipeline.domain.records import Field
from pipeline.manifest import Manifest

APPLICANT = "001090012345"


def _manifest(repo_root) -> Manifest:
    folder = sorted((repo_root / "samples" / "dossiers").iterdir())[0]
    data = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    data["applicant"]["id_number"] = APPLICANT
    return Manifest.model_validate(data)


def test_a_paper_goes_to_the_number_printed_on_it_or_else_to_the_applicant(repo_root):
    manifest = _manifest(repo_root)
    spouse = "001190067891"
    assert paper_owner(manifest, PaperType.CCCD, {"id_number": Field(spouse, 0.9, True)}) == (spouse, "extracted")
    assert paper_owner(manifest, PaperType.CCCD, {"id_number": Field(APPLICANT, 0.9, True)}) == (APPLICANT, "extracted")
    assert paper_owner(manifest, PaperType.CCCD, {"id_number": Field(spouse, 0.9, False)}) == (APPLICANT, "applicant")
    assert paper_owner(manifest, PaperType.CCCD, {}) == (APPLICANT, "applicant")
    assert paper_owner(manifest, PaperType.HOP_DONG, {}) == (APPLICANT, "applicant")


def test_a_valid_number_one_or_two_digits_from_the_applicants_never_opens_a_strangers_store(repo_root):
    manifest = _manifest(repo_root)
    for misread in ("001090012845", "001090612845"):
        owner = paper_owner(manifest, PaperType.TO_KHAI, {"requester_id_number": Field(misread, 0.95, True)})
        assert owner == (APPLICANT, "applicant"), misread

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


def test_a_paper_whose_number_was_not_read_and_whose_name_is_someone_elses_has_no_known_owner(repo_root):
    manifest = _manifest(repo_root)  # the applicant is the sample's, renamed below
    manifest.applicant.full_name = "Nguyễn Văn An"
    unread = Field("04030132782", 0.4, False)  # 11 digits
    others = paper_owner(manifest, PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN,
                         {"id_number": unread, "full_name": Field("Trần Thị Bích", 0.9, True)})
    assert others == (None, "unknown")
    for name in ("Nguyen Van An", "Nguyễn Văn Ân", "NGUYỄN VĂN AN"):  # the applicant's, however read
        own = paper_owner(manifest, PaperType.CCCD, {"id_number": unread, "full_name": Field(name, 0.9, True)})
        assert own == (APPLICANT, "applicant"), name
    unread_name = {"id_number": unread, "full_name": Field("Trần Thị Bích", 0.3, False)}
    assert paper_owner(manifest, PaperType.CCCD, unread_name) == (APPLICANT, "applicant")


def test_a_paper_with_no_known_owner_is_recorded_for_review_and_stored_nowhere(repo_root, sohoa_env):
    from datetime import date

    from flows.digitize import AnalysedComponent, store_component
    from pipeline.domain.records import Component
    from pipeline.index.db import open_index

    manifest = _manifest(repo_root)
    manifest.applicant.full_name = "Nguyễn Văn An"
    with open_index(sohoa_env) as index:
        index.record_dossier(manifest)
    component = Component(PaperType.XAC_NHAN_TINH_TRANG_HON_NHAN, [1], 0.95, False)
    fields = {"id_number": Field("04030132782", 0.4, False), "full_name": Field("Trần Thị Bích", 0.9, True)}
    item = AnalysedComponent(component, fields, b"%PDF-1.4 not stored", "pdf", b"", b"{}")
    outcome = store_component.fn(manifest, "scan-001.pdf", item, date(2024, 7, 1))
    assert outcome.status == "review" and "owner unknown" in outcome.reason and outcome.document_id is None
    with open_index(sohoa_env) as index:
        status = index.dossier_status(manifest.dossier_code)
        assert [(c["file"], c["status"], c["digitized"]) for c in status["items"]] == [("scan-001.pdf", "review", False)]
        assert status["items"][0]["notes"] == [outcome.reason]  # what the reviewer is told
        assert index.documents_of(APPLICANT) == []

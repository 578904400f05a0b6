"""The key layout: built only from validated parts, so no key escapes a person's prefix."""

from __future__ import annotations

import pytest

from pipeline.config import Settings
from pipeline.domain.papers import PaperType
from pipeline.errors import InputError, InvalidIdNumberError, UnsafePathError
from pipeline.store import bucket_prefix_from, keys, open_store
from pipeline.store.local import LocalStore
from pipeline.store.s3 import S3Store

SHA = "ab" * 32


def test_document_keys_follow_the_layout(person: str):
    doc = keys.document_id_for(person, PaperType.CCCD, SHA)
    assert len(doc) == 32 and doc == keys.document_id_for(person, "cccd", SHA)  # deterministic
    assert keys.document_key(person, PaperType.CCCD, doc, "original.jpg") == f"{person}/cccd/{doc}/original.jpg"
    assert keys.type_prefix(person, PaperType.GIAY_KHAI_SINH) == f"{person}/giay_khai_sinh/"
    parsed = keys.parse_document_key(f"{person}/cccd/{doc}/metadata.json")
    assert (parsed.id_number, parsed.paper_type, parsed.document_id, parsed.name) == (
        person, PaperType.CCCD, doc, "metadata.json")
    assert person not in repr(parsed)


def test_document_id_differs_per_person_type_and_content(person: str, other_person: str):
    ids = {keys.document_id_for(person, "cccd", SHA), keys.document_id_for(other_person, "cccd", SHA),
           keys.document_id_for(person, "giay_khai_sinh", SHA), keys.document_id_for(person, "cccd", "cd" * 32)}
    assert len(ids) == 4


@pytest.mark.parametrize("bad", ["02619000012", "0261900001234", "abc190000123", "999190000123",
                                 "026190000123/../079201654321", " 026190000123", "026190000123\n", "",
                                 "026" + "０９０１２３４５６"])  # fullwidth digits pass a Unicode \d
def test_malformed_id_numbers_never_build_a_key(bad: str):
    with pytest.raises((InvalidIdNumberError, UnsafePathError)) as err:
        keys.person_prefix(bad)
    assert isinstance(err.value, InputError)
    assert "190000123" not in str(err.value)


@pytest.mark.parametrize("segment", ["..", ".", "../HS-1", "a/b", "a\\b", "/etc", ".hidden", "a\x00b", "a\nb",
                                     "C:evil", " HS-1", "x" * 201, "a\u202eb"])
def test_unsafe_segments_are_refused(segment: str):
    with pytest.raises(UnsafePathError):
        keys.intake_key(segment, "scan.pdf")
    with pytest.raises(UnsafePathError):
        keys.quarantine_key("HS-1", segment)


def test_document_parts_are_checked(person: str):
    with pytest.raises(UnsafePathError):
        keys.type_prefix(person, "../079201654321")
    with pytest.raises(UnsafePathError):
        keys.document_prefix(person, "cccd", "../../079201654321")
    with pytest.raises(UnsafePathError):
        keys.document_key(person, "cccd", "a" * 32, "original.JPG/../../x")
    with pytest.raises(UnsafePathError):
        keys.document_key(person, "cccd", "a" * 32, "original.tar.gz")
    with pytest.raises(UnsafePathError):
        keys.parse_document_key(f"{person}/cccd/{'a' * 32}/x/../y")


def test_vietnamese_file_names_are_kept_in_nfc():
    decomposed = "gia\u0301y-khai-sinh.pdf"
    assert keys.intake_key("HS-1", decomposed) == "HS-1/giáy-khai-sinh.pdf"


def test_open_store_picks_the_backend(tmp_path):
    local = open_store(Settings(data_dir=tmp_path))
    assert isinstance(local, LocalStore) and local.root == (tmp_path / "store").resolve()
    s3 = open_store(Settings(store_url="s3://sohoa", s3_endpoint="127.0.0.1:9", s3_access_key="k",
                             s3_secret_key="s"))
    assert isinstance(s3, S3Store) and s3.physical_bucket("citizen-data") == "sohoa-citizen-data"
    assert open_store(Settings(store_url="s3://")).physical_bucket("intake") == "intake"
    assert bucket_prefix_from("prod.") == "prod."
    with pytest.raises(UnsafePathError):
        open_store(Settings(store_url="s3://Bad_Prefix"))
    with pytest.raises(InputError):
        open_store(Settings(store_url="ftp://x"))

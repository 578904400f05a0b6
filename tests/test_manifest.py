import copy
import json

import pytest

from pipeline.errors import ManifestError
from pipeline.manifest import load_manifest, parse_manifest

GOOD = {
    "dossier_code": "H62.22-240315-0001", "procedure_code": "1.001193", "procedure_name": "Đăng ký khai sinh",
    "agency_code": "H62.22.10", "agency_name": "UBND xã Tam Hợp", "level": "xa", "channel": "truc_tiep",
    "received_at": "2024-03-15T09:30:00+07:00",
    "applicant": {"id_number": "026190000123", "full_name": "Nguyễn Văn An"},
    "files": ["scan-001.pdf", "cccd.jpg"], "results": [],
}


def test_accepts_the_documented_example():
    m = parse_manifest(GOOD)
    assert m.level == "xa" and m.channel.portal_code == 1 and m.files == ["scan-001.pdf", "cccd.jpg"]


def _broken(path: str, value):
    data = copy.deepcopy(GOOD)
    *parents, leaf = path.split(".")
    target = data
    for p in parents:
        target = target[p]
    if value is KeyError:
        del target[leaf]
    else:
        target[leaf] = value
    return data


@pytest.mark.parametrize("path, value", [
    ("dossier_code", KeyError), ("procedure_code", "1000466"), ("level", "thon"), ("channel", "fax"),
    ("received_at", "15/03/2024"), ("received_at", "2024-03-15T09:30:00"), ("applicant.id_number", "026190000"),
    ("applicant.id_number", "999190000123"), ("applicant.full_name", ""), ("files", []),
    ("files", ["../etc/passwd"]), ("results", ["/abs/result.pdf"]), ("agency_name", KeyError),
])
def test_rejects_each_broken_field_naming_it(path, value):
    with pytest.raises(ManifestError) as err:
        parse_manifest(_broken(path, value))
    assert path in err.value.message
    assert "026190000123" not in err.value.message


def test_unknown_field_is_named():
    data = dict(GOOD, extra_field=1)
    with pytest.raises(ManifestError, match="extra_field"):
        parse_manifest(data)


def test_load_manifest_reports_non_json(tmp_path):
    (tmp_path / "dossier.json").write_text("{not json")
    with pytest.raises(ManifestError, match="not JSON"):
        load_manifest(tmp_path / "dossier.json")
    (tmp_path / "dossier.json").write_text(json.dumps(GOOD, ensure_ascii=False))
    assert load_manifest(tmp_path / "dossier.json").dossier_code == GOOD["dossier_code"]


def test_applicant_repr_is_masked():
    m = parse_manifest(GOOD)
    assert "026190000123" not in repr(m.applicant) and "Nguyễn" not in str(m.applicant)

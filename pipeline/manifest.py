"""The intake manifest `dossier.json`: what the counter knows about a dossier before OCR.

Errors name the field (`applicant.id_number: ...`) and never echo a full ID number.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.domain.idnumber import explain_id_problem
from pipeline.domain.papers import Channel, Level, PaperType
from pipeline.errors import ManifestError

_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")  # e.g. 1.000466, 2.000635


def _safe_file_name(name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if not name or path.is_absolute() or ".." in path.parts or name.startswith("~"):
        raise ValueError("must be a file name inside the dossier folder (no absolute path, no '..')")
    return name


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str
    full_name: str = Field(min_length=1)

    @field_validator("id_number")
    @classmethod
    def _check_id(cls, value: str) -> str:
        problem = explain_id_problem(value)
        if problem:
            raise ValueError(f"not a valid citizen ID number ({problem})")
        return value

    def __repr__(self) -> str:  # personal data stays out of reprs, str() and tracebacks
        return "Applicant(<masked>)"

    __str__ = __repr__


class DeclaredComponent(BaseModel):
    """Optional hint: what the counter says is in a file (used as a hint, never trusted blindly)."""

    model_config = ConfigDict(extra="forbid")

    file: str
    type: PaperType
    pages: list[int] | None = None

    _file = field_validator("file")(classmethod(lambda cls, v: _safe_file_name(v)))


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dossier_code: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9.\-_]+$")
    procedure_code: str
    procedure_name: str = Field(min_length=1)
    agency_code: str = Field(min_length=1, max_length=64)
    agency_name: str = Field(min_length=1)
    level: Level
    channel: Channel
    received_at: datetime
    applicant: Applicant
    files: list[str] = Field(min_length=1)
    results: list[str] = Field(default_factory=list)
    components: list[DeclaredComponent] = Field(default_factory=list)

    @field_validator("procedure_code")
    @classmethod
    def _check_procedure(cls, value: str) -> str:
        if not _PROCEDURE_CODE.match(value):
            raise ValueError("must look like 1.000466 (digit, dot, six digits)")
        return value

    @field_validator("received_at")
    @classmethod
    def _check_tz(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must carry a time-zone offset, e.g. 2024-03-15T09:30:00+07:00")
        return value

    @field_validator("files", "results")
    @classmethod
    def _check_files(cls, names: list[str]) -> list[str]:
        return [_safe_file_name(n) for n in names]


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(root)"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def parse_manifest(data: dict | str | bytes) -> Manifest:
    """Validate a manifest; raises ManifestError whose message names each bad field."""
    try:
        if isinstance(data, (str, bytes)):
            return Manifest.model_validate_json(data)
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise ManifestError(f"invalid dossier.json: {_describe(exc)}") from None


def load_manifest(path: Path) -> Manifest:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot read {path.name}: {exc.strerror}") from None
    try:
        json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"invalid dossier.json: not JSON ({exc})") from None
    return parse_manifest(raw)

"""Typed errors, each with a stable code and CLI exit status.

Stages raise these; flows turn them into quarantined components with the reason.
Messages must never carry a full ID number or a full name: mask with
`pipeline.domain.idnumber.mask_id` / `pipeline.domain.privacy.mask_name` first.
"""

from __future__ import annotations


class SohoaError(Exception):
    """Base class: `code` is stable (scripts and the index store it), `exit_status` is the CLI's."""

    code = "error"
    exit_status = 1
    transient = False  # True: worth retrying (a storage timeout), False: retrying changes nothing

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, **{k: str(v) for k, v in self.context.items()}}


# --- bad input (exit 2): the file cannot be used as given ---------------------------------
class InputError(SohoaError):
    code = "input_error"
    exit_status = 2


class EmptyFileError(InputError):
    code = "empty_file"


class UnsupportedFormatError(InputError):
    code = "unsupported_format"


class TruncatedFileError(InputError):
    code = "truncated_file"


class EncryptedPdfError(InputError):
    code = "encrypted_pdf"


class TooManyPagesError(InputError):
    code = "too_many_pages"


class DecompressionBombError(InputError):
    code = "decompression_bomb"


class UnreadableImageError(InputError):
    code = "unreadable_image"


class UnsafePathError(InputError):
    code = "unsafe_path"


class CorruptPdfError(InputError):
    """A complete PDF (it has its end marker) whose structure or a page cannot be read."""

    code = "corrupt_pdf"


class FileTooLargeError(InputError):
    """More bytes than SOHOA_MAX_FILE_BYTES: refused before it is read."""

    code = "file_too_large"


class ManifestError(InputError):
    code = "invalid_manifest"


class InvalidIdNumberError(InputError):
    code = "invalid_id_number"


# --- environment and artifacts -------------------------------------------------------------
class MissingDependencyError(SohoaError):
    code = "missing_dependency"
    exit_status = 4


class OcrEngineError(SohoaError):
    """The OCR program itself failed (crash, killed, timeout) on an input that may be fine."""

    code = "ocr_engine_error"
    exit_status = 5
    transient = True


class ModelError(SohoaError):
    code = "model_error"
    exit_status = 6


class ModelCorruptError(ModelError):
    code = "model_corrupt"


class ModelIncompatibleError(ModelError):
    code = "model_incompatible"


# --- storage and index ---------------------------------------------------------------------
class StorageError(SohoaError):
    code = "storage_error"
    exit_status = 7
    transient = True


class IntegrityError(StorageError):
    """A stored object's SHA-256 does not match what was written: never silently accepted."""

    code = "integrity_error"
    transient = False


class StorageRefusedError(StorageError):
    """The storage server answered and said no (access denied, bad request): retrying changes nothing."""

    code = "storage_refused"
    transient = False


class InvalidLinkError(StorageError):
    """A download link that is expired, tampered with, or not ours: retrying the same link changes nothing."""

    code = "invalid_link"
    transient = False


class NotFoundError(SohoaError):
    code = "not_found"
    exit_status = 8

"""Key-field extraction and validation: typed, checked values (ID numbers, names, dates, parcel numbers…)
read from a component's OCR text, each with a confidence and a masked reason when invalid."""

from pipeline.extract.run import cross_check, extract_document, extract_fields

__all__ = ["cross_check", "extract_document", "extract_fields"]

"""Writing exports (CSV for Swedish Excel, XLSX); reading uploads is apps.core.tabular's job."""

from __future__ import annotations

import tablib
from import_export.formats import base_formats

from apps.core.tabular import MAX_UPLOAD_BYTES, escape_formula

from .models import FileFormat

CSV_DELIMITER = ";"  # what Swedish Excel expects; imports accept ";", "," and tab
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: base_formats.XLSX.CONTENT_TYPE,
}

__all__ = ["CONTENT_TYPES", "CSV_DELIMITER", "MAX_UPLOAD_BYTES", "export_bytes"]


def export_bytes(dataset: tablib.Dataset, file_format: str) -> bytes:
    """The dataset as file bytes with formulae escaped; CSV in UTF-8 with BOM and semicolons."""
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    if file_format == FileFormat.XLSX:
        return base_formats.XLSX().export_data(escaped)
    return ("\ufeff" + escaped.export("csv", delimiter=CSV_DELIMITER)).encode("utf-8")

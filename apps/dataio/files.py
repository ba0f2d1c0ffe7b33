"""Reading uploaded CSV/XLSX files into tablib datasets, and writing exports."""

from __future__ import annotations

import zipfile

import tablib
from import_export.formats import base_formats

from .base import escape_formula
from .models import FileFormat

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CSV_DELIMITER = ";"  # what Swedish Excel expects; imports accept ";", "," and tab
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: base_formats.XLSX.CONTENT_TYPE,
}


class FileRejected(Exception):
    """The file cannot be read; the message is Swedish and meant for the user."""


def detect_format(filename: str, content: bytes) -> str:
    """CSV or XLSX from the file name, checked against the content."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise FileRejected(
                "Filen heter .xlsx men är ingen Excel-fil (XLSX). Spara den på nytt från Excel."
            )
        return FileFormat.XLSX
    if name.endswith((".csv", ".txt")):
        return FileFormat.CSV
    raise FileRejected("Okänd filtyp. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).")


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=first.count)


def load_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """The file as a tablib Dataset whose headers are the first row."""
    if not content:
        raise FileRejected("Filen är tom.")
    if file_format == FileFormat.XLSX:
        try:
            return base_formats.XLSX().create_dataset(content)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, StopIteration) as exc:
            raise FileRejected("Excel-filen kunde inte läsas. Kontrollera att det är en .xlsx-fil.") from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            "Filen är inte sparad som UTF-8. Välj ”CSV UTF-8” när du sparar i Excel, "
            "eller ladda upp en .xlsx-fil."
        ) from exc
    if not text.strip():
        raise FileRejected("Filen är tom.")
    try:
        return base_formats.CSV().create_dataset(text, delimiter=_delimiter(text))
    except Exception as exc:  # tablib raises several kinds for malformed CSV
        raise FileRejected(
            "CSV-filen kunde inte läsas. Kontrollera att den första raden är rubriker."
        ) from exc


def export_bytes(dataset: tablib.Dataset, file_format: str) -> bytes:
    """The dataset as file bytes with formulae escaped; CSV in UTF-8 with BOM and semicolons."""
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    if file_format == FileFormat.XLSX:
        return base_formats.XLSX().export_data(escaped)
    return ("\ufeff" + escaped.export("csv", delimiter=CSV_DELIMITER)).encode("utf-8")

"""CSV, read safely: UTF-8 (or UTF-16 with a byte order mark), ";", "," or tab, capped as it is read."""

from __future__ import annotations

import codecs
import csv
import io

from .cells import MAX_CELL_CHARS, swedish_int
from .errors import TabularError
from .table import TableBuilder

NOT_UTF8 = (
    "Filen är inte sparad som UTF-8. Välj ”CSV UTF-8” när du sparar i Excel, eller ladda upp en .xlsx-fil."
)
DELIMITERS = (";", ",", "\t")


def decode(content: bytes) -> str:
    """The text of the file: UTF-8 with or without BOM, or UTF-16 with BOM (Excel's "Unicode-text")."""
    try:
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16")
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularError(NOT_UTF8) from None


def delimiter(text: str) -> str:
    """The separator used most in the first line (";" when the file has one column)."""
    first = text[: text.find("\n")] if "\n" in text else text[:65_536]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ";"


def read_csv(content: bytes, *, builder: TableBuilder) -> None:
    """Feed every record of the file to ``builder``; its number is the record's row in Excel."""
    text = decode(content)
    if "\x00" in text:
        raise TabularError("Filen är ingen CSV-fil: den innehåller binära tecken. Spara den som ”CSV UTF-8”.")
    if not text.strip():
        raise TabularError("Filen är tom.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            for cell in record:
                if len(cell) > MAX_CELL_CHARS:
                    raise TabularError(
                        f"Rad {number}: en cell har mer än {swedish_int(MAX_CELL_CHARS)} tecken. "
                        "Kontrollera att citattecknen i filen är parade."
                    )
            builder.add(number, record)
    except csv.Error:
        raise TabularError(
            f"CSV-filen kunde inte läsas efter rad {number}. Kontrollera citattecknen och att den "
            "första raden är rubriker."
        ) from None

"""The one hardened reader for every upload: CSV, XLSX and SIE4 in, rows or a Swedish message out.

Every import (medlemmar, insatser and delmål through ``apps.dataio``, utfall in
``apps.budgets.utfall``, the follow-up imports) reads its file here, so every cap and every
defence against a hostile file lives in one place. Nothing here touches the database.

Reading a table::

    from apps.core.tabular import TabularError, parse_int, read_table

    try:
        table = read_table(upload, max_rows=5_000, columns=("Namn", "År"))
    except TabularError as exc:
        form.add_error("file", exc.message)          # Swedish, meant for the user
    for row in table.rows:                           # the non-empty rows after the headers
        try:
            year = parse_int(row.get("År"), min_value=2000, max_value=2100)
        except TabularError as exc:                  # a CellError: report it with the row
            errors.append((row.number, f"År: {exc.message}"))

``read_table(source, *, max_rows, max_columns, columns, filename, file_format) -> Table``
takes bytes or an uploaded file (``.csv``/``.txt`` or ``.xlsx``, told by the name and checked
against the content), or raises ``TabularError``. ``Table.headers`` are the trimmed texts of the
first non-empty row; each ``Row`` has ``number`` (its row in the spreadsheet, the header row
being 1) and ``row.get(column)``, the raw cell: str from CSV; str, int, float, bool or
datetime from XLSX. Turn raw cells into values with the typed parsers, which return the
value (None for an empty cell) or raise ``CellError`` (a ``TabularError``, hence a
``ValueError``):

* ``parse_int(cell, *, min_value, max_value)``: "18 861 000", "−5", "2026,0"; the database's
  bigint range unless narrowed;
* ``parse_decimal(cell, *, min_value, max_value, max_places)``: "1 234,50" or "1.5";
* ``parse_date(cell, *, min_value, max_value)``: ÅÅÅÅ-MM-DD or an Excel date cell;
* ``parse_text(cell, *, max_length)``: trimmed text, the export's formula escape undone.

SIE4 files are read line by line with ``sie.read_sie`` and its token parsers (``sie_account``,
``sie_amount``, ``sie_date``, ``sie_period``), which turn garbage into per-line errors.

What is capped (and why) is described in ``csv_reader``, ``xlsx_reader`` and ``sie``: the
upload is at most 5 MB, a CSV is UTF-8 (or UTF-16 with BOM), an XLSX is streamed through
defusedxml with its zip checked first, rows and columns are counted as they are read and
reading stops at the first cap.
"""

from __future__ import annotations

from .cells import (
    BIGINT_MAX,
    BIGINT_MIN,
    INT_MAX,
    SMALLINT_MAX,
    cell_text,
    escape_formula,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    unescape_formula,
)
from .csv_reader import read_csv
from .errors import CellError, TabularError
from .table import (
    CSV,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    MAX_UPLOAD_BYTES,
    XLSX,
    Row,
    Table,
    TableBuilder,
)
from .xlsx_reader import read_xlsx

TOO_LARGE = "Filen är för stor. Den får vara högst 5 MB."


def detect_format(filename: str, content: bytes) -> str:
    """CSV or XLSX from the file name, checked against the content."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise TabularError(
                "Filen heter .xlsx men är ingen Excel-fil (XLSX). Spara den på nytt från Excel."
            )
        return XLSX
    if name.endswith((".csv", ".txt")):
        return CSV
    raise TabularError("Okänd filtyp. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).")


def read_bytes(source, *, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of ``source`` (bytes or a file object); more than ``limit`` is refused unread."""
    if isinstance(source, bytes | bytearray | memoryview):
        content = bytes(source)
    else:
        size = getattr(source, "size", None)
        if size is not None and size > limit:
            raise TabularError(TOO_LARGE)
        if hasattr(source, "seek"):
            source.seek(0)
        content = source.read(limit + 1)
    if len(content) > limit:
        raise TabularError(TOO_LARGE)
    return content


def read_table(
    source,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    columns=(),
    filename: str | None = None,
    file_format: str | None = None,
) -> Table:
    """The file as a Table, or TabularError with a Swedish message; ``columns`` must all be present.

    ``source`` is bytes or an uploaded file; the format is ``file_format`` ("csv" or "xlsx")
    when given, else told from ``filename`` (or the upload's name) and the content.
    """
    content = read_bytes(source)
    if not content:
        raise TabularError("Filen är tom.")
    if file_format is None:
        file_format = detect_format(filename or getattr(source, "name", None) or "", content)
    builder = TableBuilder(max_rows=max_rows, max_columns=max_columns, file_format=file_format)
    if file_format == XLSX:
        read_xlsx(content, builder=builder)
    elif file_format == CSV:
        read_csv(content, builder=builder)
    else:
        raise TabularError("Okänd filtyp. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).")
    return builder.table(columns)


__all__ = [
    "BIGINT_MAX",
    "BIGINT_MIN",
    "CSV",
    "INT_MAX",
    "MAX_UPLOAD_BYTES",
    "SMALLINT_MAX",
    "XLSX",
    "CellError",
    "Row",
    "Table",
    "TabularError",
    "cell_text",
    "detect_format",
    "escape_formula",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_text",
    "read_bytes",
    "read_table",
    "unescape_formula",
]

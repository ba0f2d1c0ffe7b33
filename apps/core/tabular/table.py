"""The Table that read_table returns, and the caps every reader shares."""

from __future__ import annotations

from collections.abc import Iterator

from .cells import cell_text, swedish_int
from .errors import TabularError, shown

CSV, XLSX = "csv", "xlsx"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_COLUMNS = 50


class Row:
    """One data row: its number in the file (the header row is 1) and its cells by column name."""

    __slots__ = ("cells", "index", "number")

    def __init__(self, number: int, cells: tuple, index: dict[str, int]):
        self.number = number
        self.cells = cells
        self.index = index

    def get(self, column: str, default=None):
        """The raw cell of ``column`` (str, int, float, bool, date, datetime) or ``default``."""
        position = self.index.get(column)
        if position is None or position >= len(self.cells):
            return default
        return self.cells[position]

    def __getitem__(self, column: str):
        if column not in self.index:
            raise KeyError(column)
        return self.get(column)

    def as_dict(self) -> dict:
        """Every named column's raw cell."""
        return {name: self.get(name) for name in self.index}

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.cells!r})"


class Table:
    """Headers (trimmed text of the first non-empty row) and the non-empty rows after them."""

    def __init__(self, headers: list[str], rows: list[Row], file_format: str):
        self.headers = headers
        self.rows = rows
        self.format = file_format

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list:
        """Every row's raw cell in column ``name``."""
        return [row.get(name) for row in self.rows]


def is_empty(cells) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


class TableBuilder:
    """Collects rows from a reader, enforcing the caps as they arrive (nothing is read past them)."""

    def __init__(self, *, max_rows: int, max_columns: int, file_format: str):
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.format = file_format
        self.headers: list[str] | None = None
        self.index: dict[str, int] = {}
        self.rows: list[Row] = []

    def too_many_columns(self) -> TabularError:
        return TabularError(
            f"Filen har fler än {self.max_columns} kolumner. Ta bort de kolumner som inte ska importeras."
        )

    def add(self, number: int, cells: list) -> None:
        """Add the row numbered ``number``; the first non-empty row is the header row."""
        if is_empty(cells):
            return
        if len(cells) > self.max_columns:
            if not is_empty(cells[self.max_columns :]):
                raise self.too_many_columns()
            cells = cells[: self.max_columns]
        if self.headers is None:
            self._set_headers(cells)
            return
        if len(self.rows) >= self.max_rows:
            raise TabularError(
                f"Filen har fler än {swedish_int(self.max_rows)} rader. Dela upp den i flera filer."
            )
        self.rows.append(Row(number, tuple(cells[: len(self.headers)]), self.index))

    def _set_headers(self, cells: list) -> None:
        headers = [cell_text(cell) for cell in cells]
        while headers and not headers[-1]:
            headers.pop()
        for position, name in enumerate(headers):
            if not name:
                continue
            if len(name) > 200:
                raise TabularError(
                    f"Rubriken ”{shown(name)}” är för lång. Den första raden ska vara rubrikerna."
                )
            if name in self.index:
                raise TabularError(f"Kolumnen ”{name}” finns två gånger i rubrikraden.")
            self.index[name] = position
        self.headers = headers

    def table(self, columns=()) -> Table:
        """The finished table; TabularError when it is empty or lacks one of ``columns``."""
        if self.headers is None:
            raise TabularError("Filen är tom.")
        missing = [name for name in columns if name not in self.index]
        if missing:
            names = ", ".join(f"”{name}”" for name in missing)
            raise TabularError(f"Filen saknar kolumnerna {names}. Den första raden ska vara rubrikerna.")
        return Table(self.headers, self.rows, self.format)

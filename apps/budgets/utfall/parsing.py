"""Reading utfall files into plain entries: CSV/XLSX and SIE4, through apps.core.tabular.

Nothing here touches the database. An entry is one amount on an account (or a named budget
line) in one month, with the row or line number it came from; errors carry that number too.

SIE4 (the Swedish accounting export) is read as far as the follow-up needs:

* The file is CP437 ("PC8") text and must start with ``#FLAGGA``; ``#SIETYP`` must be 1–4.
* ``#RAR 0 20260101 20261231`` (the current year) must be the import's year when present.
* Result accounts only (3000–8999 in BAS): balance accounts (1000–2999) are the other side of
  every entry and are skipped.
* When the file has ``#PSALDO`` rows for year 0 (the account's period amount, without
  dimension objects: ``#PSALDO 0 202601 4010 {} 12345.00``) these are the monthly outcome;
  otherwise every ``#TRANS account {objects} amount [date] ["text"]`` inside a ``#VER { }``
  block counts in the month of its own date, or of the verifikation's date.
* Amounts are debit positive, as in SIE: a cost is positive; income (credit) is negative and
  turned positive when it is mapped to an income line (see ``mapping``).

Every bad line or row is an error with its number (accounts of ASCII digits only, amounts of
at most 10^12 kr), never an exception; after ``MAX_ERRORS`` errors reading stops with a note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.tabular import (
    SMALLINT_MAX,
    CellError,
    TabularError,
    parse_decimal,
    parse_int,
    parse_text,
    read_table,
)
from apps.core.tabular.cells import swedish_int
from apps.core.tabular.sie import (
    MAX_AMOUNT,
    SieLine,
    read_sie,
    sie_account,
    sie_amount,
    sie_date,
    sie_period,
    sie_tokens,
)

RESULT_ACCOUNTS = range(3000, 10000)
COL_ACCOUNT, COL_LINE, COL_YEAR, COL_MONTH, COL_AMOUNT = "Konto", "Budgetrad", "År", "Månad", "Belopp"
#: a CSV/XLSX of outcome has a row per account (or line) and month, or per transaction
MAX_TABLE_ROWS = 50_000
MAX_ERRORS = 200
#: amounts on result accounts in one SIE file; each costs about 200 bytes until it is mapped
MAX_SIE_ENTRIES = 100_000
MAX_ACCOUNT = 9_999_999_999
TOO_MANY_ERRORS = f"Filen har fler än {MAX_ERRORS} fel. De första visas; rätta dem och ladda upp filen igen."

__all__ = ["Entry", "ParseResult", "parse_sie4", "parse_table", "sie_tokens"]


@dataclass(slots=True)
class Entry:
    """One amount from the file: on an account or a named budget line, in a month."""

    number: int
    year: int
    month: int
    amount: Decimal
    account: int | None = None
    line_ref: str = ""


@dataclass
class ParseResult:
    """The entries of a file, errors by row/line number, and errors about the whole file."""

    entries: list[Entry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    account_names: dict[int, str] = field(default_factory=dict)
    #: "Rad" for spreadsheets (row numbers), "Rad i filen" for SIE4 (text lines)
    number_label: str = "Rad"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.file_errors)

    def error(self, number: int, message: str) -> bool:
        """Record a line error; False once MAX_ERRORS are recorded (and the note added), to stop."""
        if len(self.errors) >= MAX_ERRORS:
            if TOO_MANY_ERRORS not in self.file_errors:
                self.file_errors.append(TOO_MANY_ERRORS)
            return False
        self.errors.append((number, message))
        return True

    @property
    def full(self) -> bool:
        return TOO_MANY_ERRORS in self.file_errors


# --- CSV / XLSX -----------------------------------------------------------------------------


def parse_table(content: bytes, file_format: str, *, year: int) -> ParseResult:
    """A CSV/XLSX file with the columns Konto or Budgetrad, År, Månad and Belopp."""
    result = ParseResult()
    try:
        table = read_table(content, file_format=file_format, max_rows=MAX_TABLE_ROWS)
    except TabularError as exc:
        result.file_errors.append(exc.message)
        return result
    headers = table.headers
    missing = [name for name in (COL_YEAR, COL_MONTH, COL_AMOUNT) if name not in headers]
    if COL_ACCOUNT not in headers and COL_LINE not in headers:
        missing.insert(0, f"{COL_ACCOUNT}” eller ”{COL_LINE}")
    if missing:
        names = ", ".join(f"”{name}”" for name in missing)
        result.file_errors.append(f"Filen saknar kolumnerna {names}. Den första raden ska vara rubrikerna.")
        return result
    for row in table.rows:
        errors: list[str] = []

        def cell(name, parse, *, required=True, _row=row, _errors=errors, **bounds):
            try:
                value = parse(_row.get(name), **bounds)
            except CellError as exc:
                _errors.append(f"{name}: {exc.message}")
                return None
            if required and value in (None, ""):
                _errors.append(f"{name}: värde saknas.")
            return value

        account = (
            cell(COL_ACCOUNT, parse_int, required=False, min_value=0, max_value=MAX_ACCOUNT)
            if COL_ACCOUNT in headers
            else None
        )
        line_ref = cell(COL_LINE, parse_text, required=False, max_length=200) if COL_LINE in headers else ""
        row_year = cell(COL_YEAR, parse_int, min_value=0, max_value=SMALLINT_MAX)
        month = cell(COL_MONTH, parse_int, min_value=0, max_value=SMALLINT_MAX)
        amount = cell(COL_AMOUNT, parse_decimal, min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT)
        if account is None and not line_ref and not any(e.startswith(COL_ACCOUNT) for e in errors):
            errors.append(f"Ange {COL_ACCOUNT.lower()} eller {COL_LINE.lower()}.")
        if row_year is not None and row_year != year:
            errors.append(f"{COL_YEAR}: raden gäller {row_year}, importen gäller {year}.")
        if month is not None and not 1 <= month <= 12:
            errors.append(f"{COL_MONTH}: ska vara 1–12, inte {month}.")
        if errors:
            if not all(result.error(row.number, message) for message in errors):
                break
            continue
        result.entries.append(
            Entry(
                number=row.number,
                year=year,
                month=month,
                amount=amount,
                account=account,
                line_ref=line_ref or "",
            )
        )
    if not result.entries and not result.has_errors:
        result.file_errors.append("Filen innehåller inga rader att importera.")
    return result


# --- SIE4 -----------------------------------------------------------------------------------


def parse_sie4(content: bytes, *, year: int) -> ParseResult:
    """A SIE file (type 4, or 1–3 with #PSALDO) as monthly amounts per result account."""
    result = ParseResult(number_label="Rad i filen")
    try:
        lines = read_sie(content)
    except TabularError as exc:
        result.file_errors.append(exc.message)
        return result
    trans: list[Entry] = []
    psaldo: list[Entry] = []
    ver_date: datetime.date | None = None
    for line in lines:
        if line.error:
            result.error(line.number, line.error)
        else:
            _read_line(line, year, result, trans, psaldo, ver_date)
            if line.label == "#VER":
                ver_date = sie_date(line.fields[2]) if len(line.fields) > 2 else None
        if result.full:
            break
        if len(trans) + len(psaldo) > MAX_SIE_ENTRIES:
            result.file_errors.append(
                f"Filen har fler än {swedish_int(MAX_SIE_ENTRIES)} belopp på resultatkonton. Exportera "
                "periodsaldon (#PSALDO) i stället, eller dela upp året i flera filer."
            )
            break
    if result.file_errors:
        return result
    result.entries = psaldo or trans
    if not result.entries and not result.errors:
        result.file_errors.append("Filen innehåller inga #TRANS- eller #PSALDO-rader på resultatkonton.")
    return result


def _read_line(line: SieLine, year, result: ParseResult, trans, psaldo, ver_date) -> None:
    label, fields, number = line.label, line.fields, line.number
    if label == "#SIETYP" and (not fields or fields[0] not in ("1", "2", "3", "4")):
        result.file_errors.append(f"Rad {number}: okänd SIE-typ. Filen ska vara SIE typ 4 (eller 1–3).")
    elif label == "#RAR" and len(fields) >= 2 and fields[0] == "0":
        start = sie_date(fields[1])
        if start is None or start.year != year:
            result.file_errors.append(
                f"Rad {number}: filen gäller räkenskapsåret från {fields[1][:20]}, importen gäller {year}."
            )
    elif label == "#KONTO" and fields:
        try:
            account = sie_account(fields[0])
        except CellError:
            return  # a name of an account that cannot be booked on is never shown
        result.account_names[account] = fields[1][:200] if len(fields) > 1 else ""
    elif label == "#VER":
        if len(fields) < 3 or sie_date(fields[2]) is None:
            result.error(number, "Verifikationen saknar ett giltigt datum (ÅÅÅÅMMDD).")
    elif label == "#TRANS":
        try:
            entry = _trans(number, fields, ver_date, year)
        except CellError as exc:
            result.error(number, exc.message)
        else:
            if entry is not None:
                trans.append(entry)
    elif label == "#PSALDO" and len(fields) >= 5 and fields[0] == "0" and _empty_objects(fields[3]):
        try:
            entry = _psaldo(number, fields, year)
        except CellError as exc:
            result.error(number, exc.message)
        else:
            if entry is not None:
                psaldo.append(entry)


def _empty_objects(token: str) -> bool:
    return token.strip("{} \t") == ""


def _trans(number, fields, ver_date, year) -> Entry | None:
    """#TRANS account {objects} amount [date] [text]: an entry on a result account, else None."""
    if len(fields) < 3:
        raise CellError("#TRANS ska ha konto, objektlista och belopp.")
    account = sie_account(fields[0])
    if account not in RESULT_ACCOUNTS:
        return None
    amount = sie_amount(fields[2])
    date = (sie_date(fields[3]) if len(fields) > 3 and fields[3] else None) or ver_date
    if date is None:
        raise CellError("Transaktionen saknar datum.")
    if date.year != year:
        raise CellError(f"Datumet {date.isoformat()} ligger inte i {year}.")
    return Entry(number=number, year=year, month=date.month, amount=amount, account=account)


def _psaldo(number, fields, year) -> Entry | None:
    """#PSALDO 0 period account {} amount: the period's amount on a result account, else None."""
    period_year, month = sie_period(fields[1])
    if period_year != year:
        raise CellError(f"Perioden {fields[1]} ligger inte i {year}.")
    account = sie_account(fields[2])
    if account not in RESULT_ACCOUNTS:
        return None
    amount = sie_amount(fields[4])
    return Entry(number=number, year=year, month=month, amount=amount, account=account)

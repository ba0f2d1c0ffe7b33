"""Reading utfall files into plain entries: CSV/XLSX (via apps.dataio) and SIE4.

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
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from apps.dataio.base import DecimalWidget, IntWidget, TextWidget
from apps.dataio.files import FileRejected, load_dataset

RESULT_ACCOUNTS = range(3000, 10000)
COL_ACCOUNT, COL_LINE, COL_YEAR, COL_MONTH, COL_AMOUNT = "Konto", "Budgetrad", "År", "Månad", "Belopp"


@dataclass
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


# --- CSV / XLSX -----------------------------------------------------------------------------


def parse_table(content: bytes, file_format: str, *, year: int) -> ParseResult:
    """A CSV/XLSX file with the columns Konto or Budgetrad, År, Månad and Belopp."""
    result = ParseResult()
    try:
        dataset = load_dataset(content, file_format)
    except FileRejected as exc:
        result.file_errors.append(str(exc))
        return result
    headers = [TextWidget().clean(h) for h in (dataset.headers or [])]
    missing = [name for name in (COL_YEAR, COL_MONTH, COL_AMOUNT) if name not in headers]
    if COL_ACCOUNT not in headers and COL_LINE not in headers:
        missing.insert(0, f"{COL_ACCOUNT}” eller ”{COL_LINE}")
    if missing:
        names = ", ".join(f"”{name}”" for name in missing)
        result.file_errors.append(f"Filen saknar kolumnerna {names}. Den första raden ska vara rubrikerna.")
        return result
    ints, decimals, text = IntWidget(), DecimalWidget(), TextWidget()
    for number, values in enumerate(dataset, start=2):
        raw = dict(zip(headers, values, strict=False))
        if all(text.clean(v) == "" for v in raw.values()):
            continue
        errors: list[str] = []

        def cell(name, widget, *, required=True, _raw=raw, _errors=errors):
            try:
                value = widget.clean(_raw.get(name))
            except ValueError as exc:
                _errors.append(f"{name}: {exc}")
                return None
            if required and value in (None, ""):
                _errors.append(f"{name}: värde saknas.")
            return value

        account = cell(COL_ACCOUNT, ints, required=False) if COL_ACCOUNT in headers else None
        line_ref = cell(COL_LINE, text, required=False) if COL_LINE in headers else ""
        row_year = cell(COL_YEAR, ints)
        month = cell(COL_MONTH, ints)
        amount = cell(COL_AMOUNT, decimals)
        if account is None and not line_ref and not any(e.startswith(COL_ACCOUNT) for e in errors):
            errors.append(f"Ange {COL_ACCOUNT.lower()} eller {COL_LINE.lower()}.")
        if row_year is not None and row_year != year:
            errors.append(f"{COL_YEAR}: raden gäller {row_year}, importen gäller {year}.")
        if month is not None and not 1 <= month <= 12:
            errors.append(f"{COL_MONTH}: ska vara 1–12, inte {month}.")
        if errors:
            result.errors.extend((number, message) for message in errors)
            continue
        result.entries.append(
            Entry(
                number=number, year=year, month=month, amount=amount, account=account, line_ref=line_ref or ""
            )
        )
    if not result.entries and not result.errors:
        result.file_errors.append("Filen innehåller inga rader att importera.")
    return result


# --- SIE4 -----------------------------------------------------------------------------------


def sie_tokens(line: str) -> list[str]:
    """Split a SIE line into fields: quoted strings, {object lists} and plain words."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char.isspace():
            i += 1
        elif char == '"':
            j, buf = i + 1, []
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(line[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
        elif char == "{":
            j = line.find("}", i)
            j = n - 1 if j < 0 else j
            out.append(line[i : j + 1])
            i = j + 1
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            out.append(line[i:j])
            i = j
    return out


def _sie_date(text: str) -> datetime.date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _sie_amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _empty_objects(token: str) -> bool:
    return token.strip("{} \t") == ""


def parse_sie4(content: bytes, *, year: int) -> ParseResult:
    """A SIE file (type 4, or 1–3 with #PSALDO) as monthly amounts per result account."""
    result = ParseResult(number_label="Rad i filen")
    if not content.strip():
        result.file_errors.append("Filen är tom.")
        return result
    text = content.decode("cp437")
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first.startswith("#FLAGGA"):
        result.file_errors.append("Filen är ingen SIE-fil: den ska börja med #FLAGGA.")
        return result
    trans: list[Entry] = []
    psaldo: list[Entry] = []
    ver_date: datetime.date | None = None
    for number, line in enumerate(lines, start=1):
        tokens = sie_tokens(line.strip())
        if not tokens:
            continue
        label = tokens[0].upper()
        if label == "#SIETYP" and (len(tokens) < 2 or tokens[1] not in ("1", "2", "3", "4")):
            result.file_errors.append(f"Rad {number}: okänd SIE-typ. Filen ska vara SIE typ 4 (eller 1–3).")
        elif label == "#RAR" and len(tokens) >= 3 and tokens[1] == "0":
            start = _sie_date(tokens[2])
            if start is None or start.year != year:
                result.file_errors.append(
                    f"Rad {number}: filen gäller räkenskapsåret från {tokens[2]}, importen gäller {year}."
                )
        elif label == "#KONTO" and len(tokens) >= 2 and tokens[1].isdigit():
            result.account_names[int(tokens[1])] = tokens[2] if len(tokens) > 2 else ""
        elif label == "#VER":
            ver_date = _sie_date(tokens[3]) if len(tokens) > 3 else None
            if ver_date is None:
                result.errors.append((number, "Verifikationen saknar ett giltigt datum (ÅÅÅÅMMDD)."))
        elif label == "#TRANS":
            entry = _trans(number, tokens, ver_date, year, result)
            if entry is not None:
                trans.append(entry)
        elif label == "#PSALDO" and len(tokens) >= 6 and tokens[1] == "0" and _empty_objects(tokens[4]):
            entry = _psaldo(number, tokens, year, result)
            if entry is not None:
                psaldo.append(entry)
    if result.file_errors:
        return result
    result.entries = psaldo or trans
    if not result.entries and not result.errors:
        result.file_errors.append("Filen innehåller inga #TRANS- eller #PSALDO-rader på resultatkonton.")
    return result


def _account(number: int, token: str, result: ParseResult) -> int | None:
    if not token.isdigit():
        result.errors.append((number, f"”{token}” är inget kontonummer."))
        return None
    return int(token)


def _trans(number, tokens, ver_date, year, result) -> Entry | None:
    if len(tokens) < 4:
        result.errors.append((number, "#TRANS ska ha konto, objektlista och belopp."))
        return None
    account = _account(number, tokens[1], result)
    if account is None or account not in RESULT_ACCOUNTS:
        return None
    amount = _sie_amount(tokens[3])
    if amount is None:
        result.errors.append((number, f"”{tokens[3]}” är inget belopp."))
        return None
    date = _sie_date(tokens[4]) if len(tokens) > 4 and tokens[4] else None
    date = date or ver_date
    if date is None:
        result.errors.append((number, "Transaktionen saknar datum."))
        return None
    if date.year != year:
        result.errors.append((number, f"Datumet {date.isoformat()} ligger inte i {year}."))
        return None
    return Entry(number=number, year=year, month=date.month, amount=amount, account=account)


def _psaldo(number, tokens, year, result) -> Entry | None:
    period = tokens[2]
    if len(period) != 6 or not period.isdigit() or not 1 <= int(period[4:]) <= 12:
        result.errors.append((number, f"”{period}” är ingen period (ÅÅÅÅMM)."))
        return None
    if int(period[:4]) != year:
        result.errors.append((number, f"Perioden {period} ligger inte i {year}."))
        return None
    account = _account(number, tokens[3], result)
    if account is None or account not in RESULT_ACCOUNTS:
        return None
    amount = _sie_amount(tokens[5])
    if amount is None:
        result.errors.append((number, f"”{tokens[5]}” är inget belopp."))
        return None
    return Entry(number=number, year=year, month=int(period[4:]), amount=amount, account=account)

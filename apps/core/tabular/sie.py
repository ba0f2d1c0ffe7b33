"""SIE (the Swedish accounting export), read safely: CP437 lines, bounded tokens, typed fields.

``read_sie(source)`` checks the file as a whole (size, not empty, starts with ``#FLAGGA``)
and yields one ``SieLine`` per non-empty line, lazily: its number in the file, its label
(``#TRANS``, upper case) and its fields. A line longer than ``MAX_LINE_CHARS`` is not split
into fields (splitting is a character loop) but yielded with ``error`` set, so it becomes a
line error like any other. The field parsers accept ASCII digits only (``"²".isdigit()`` is
true in Python and made ``int()`` fail) and bounded lengths and amounts, and raise
``CellError`` with the Swedish message the caller reports with the line number.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .cells import swedish_int
from .errors import CellError, TabularError, shown
from .table import MAX_UPLOAD_BYTES

MAX_LINE_CHARS = 2_000
#: the largest amount on one line, in kronor: 10^12 (a million million), so that even a
#: 5 MB file of such lines sums to far less than the database's bigint
MAX_AMOUNT = Decimal(10) ** 12
_ACCOUNT = re.compile(r"\d{1,10}", re.ASCII)
_AMOUNT = re.compile(r"[+-]?\d{1,15}(?:\.\d{0,6})?", re.ASCII)
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_PERIOD = re.compile(r"(\d{4})(\d{2})", re.ASCII)
_SPACE = re.compile(rb"\s*")


@dataclass(slots=True)
class SieLine:
    """One line of a SIE file: ``#LABEL field field ...``, or the reason it could not be split."""

    number: int
    label: str
    fields: list[str] = field(default_factory=list)
    error: str = ""


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


def read_sie(source: bytes) -> Iterator[SieLine]:
    """The non-empty lines of a SIE file (CP437 text starting with ``#FLAGGA``), else TabularError."""
    if len(source) > MAX_UPLOAD_BYTES:
        raise TabularError("Filen är för stor. Den får vara högst 5 MB.")
    space = _SPACE.match(source)
    start = space.end() if space else 0
    if start == len(source):
        raise TabularError("Filen är tom.")
    if not source.startswith(b"#FLAGGA", start):
        raise TabularError("Filen är ingen SIE-fil: den ska börja med #FLAGGA.")
    return _lines(source)


def _lines(source: bytes) -> Iterator[SieLine]:
    # Line by line from the bytes: the whole file is never held as text.
    for number, raw in enumerate(io.BytesIO(source), start=1):
        if len(raw) > MAX_LINE_CHARS:
            words = raw[:20].split(maxsplit=1)
            label = words[0].decode("cp437").upper() if words else ""
            yield SieLine(
                number, label, error=f"Raden är för lång: högst {swedish_int(MAX_LINE_CHARS)} tecken."
            )
            continue
        tokens = sie_tokens(raw.decode("cp437").strip())  # every byte is a CP437 character
        if tokens:
            yield SieLine(number, tokens[0].upper(), tokens[1:])


def sie_account(token: str) -> int:
    """An account number: 1–10 ASCII digits."""
    if not _ACCOUNT.fullmatch(token):
        raise CellError(f"”{shown(token)}” är inget kontonummer.")
    return int(token)


def sie_amount(token: str) -> Decimal:
    """An amount in kronor with a decimal point ("-1234.50"), at most MAX_AMOUNT either way."""
    if not _AMOUNT.fullmatch(token):
        raise CellError(f"”{shown(token)}” är inget belopp.")
    amount = Decimal(token)
    if abs(amount) > MAX_AMOUNT:
        raise CellError(f"”{shown(token)}” är inget rimligt belopp: högst {swedish_int(int(MAX_AMOUNT))} kr.")
    return amount


def sie_date(token: str) -> datetime.date | None:
    """A date written ÅÅÅÅMMDD, or None when it is not one."""
    match = _DATE.fullmatch(token)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def sie_period(token: str) -> tuple[int, int]:
    """A period written ÅÅÅÅMM as (year, month)."""
    match = _PERIOD.fullmatch(token)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise CellError(f"”{shown(token)}” är ingen period (ÅÅÅÅMM).")
    return int(match[1]), int(match[2])

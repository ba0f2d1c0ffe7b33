"""Typed cell parsers: each returns a value (None for an empty cell) or raises CellError in Swedish.

Every parser bounds its work before it starts: a number is at most ``MAX_NUMBER_CHARS``
characters and is range-checked as a Decimal before it becomes an ``int``, so
``1E+999999`` costs microseconds and ``1e30`` is "för stort", never an overflow in the
database. Swedish input is accepted: "1 234", "1 234,50", "-5", "−5", non-breaking spaces.
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Context, Decimal, InvalidOperation

from .errors import CellError, shown

# Ranges of the PostgreSQL integer columns Django creates.
SMALLINT_MAX = 2**15 - 1
INT_MAX = 2**31 - 1
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
#: the largest magnitude parse_decimal takes unless told otherwise (a billion billion)
DECIMAL_LIMIT = Decimal(10) ** 18
MAX_NUMBER_CHARS = 40
#: Excel's own limit for the text of one cell
MAX_CELL_CHARS = 32_767
#: cells starting with these are formulae to a spreadsheet (OWASP "CSV injection")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007\u2002\u2003"), None)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d{1,9})?", re.ASCII)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?", re.ASCII)
# Exact arithmetic for the digit counts parse_decimal allows (40 characters at most).
_EXACT = Context(prec=60)


def escape_formula(value):
    """A string cell that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula`, so an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def swedish_int(number: int) -> str:
    """ "9 223 372 036 854 775 807" (a non-breaking space between thousands)."""
    return f"{number:,}".replace(",", "\u00a0").replace("-", "−")


def cell_text(value) -> str:
    """Any cell as trimmed text: empty for None, "2026" for the float 2026.0, a formula escape undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unescape_formula(str(value).strip())


def parse_text(value, *, max_length: int = MAX_CELL_CHARS) -> str:
    """Text of at most ``max_length`` characters; an empty cell is ""."""
    text = cell_text(value)
    if len(text) > max_length:
        raise CellError(
            f"Texten är för lång: {swedish_int(len(text))} tecken, högst {swedish_int(max_length)}."
        )
    return text


def _decimal(value, kind: str) -> Decimal | None:
    """The cell as a finite Decimal read from at most MAX_NUMBER_CHARS characters; None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"Ange {kind}, inte {cell_text(value)}.")
    if isinstance(value, int):
        # Beyond 128 bits no column takes it; skip the cost of converting a huge int.
        if value.bit_length() > 128:
            raise CellError("Talet är för stort." if value > 0 else "Talet är för litet.")
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"”{shown(value)}” är inte {kind}.")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(f"”{shown(value)}” är inte {kind}.")
        if len(value.as_tuple().digits) > MAX_NUMBER_CHARS:
            raise CellError(f"”{shown(value)}” har för många siffror.")
        return value
    if isinstance(value, datetime.date):
        raise CellError(f"”{cell_text(value)}” är ett datum, inte {kind}.")
    raw = cell_text(value)
    text = raw.translate(_SPACES).replace("\u2212", "-")
    if not text:
        return None
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        raise CellError(f"”{shown(raw)}” är inte {kind}.")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # the pattern admits only what Decimal reads; kept as a guard
        raise CellError(f"”{shown(raw)}” är inte {kind}.") from None


def _check_range(number: Decimal, raw, min_value, max_value, show=str) -> None:
    if max_value is not None and number > max_value:
        raise CellError(f"”{shown(cell_text(raw))}” är för stort: högst {show(max_value)}.")
    if min_value is not None and number < min_value:
        raise CellError(f"”{shown(cell_text(raw))}” är för litet: minst {show(min_value)}.")


def parse_int(value, *, min_value: int = BIGINT_MIN, max_value: int = BIGINT_MAX) -> int | None:
    """A whole number within [min_value, max_value] ("18 861 000", "2026,0", the float 2026.0)."""
    number = _decimal(value, "ett heltal")
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"”{shown(cell_text(value))}” är inte ett heltal.")
    _check_range(number, value, min_value, max_value, swedish_int)
    return int(number)


def _swedish_decimal(number) -> str:
    number = Decimal(number)
    if number == number.to_integral_value():
        return swedish_int(int(number))
    whole, _, fraction = f"{abs(number):f}".partition(".")
    return ("−" if number < 0 else "") + swedish_int(int(whole)) + "," + fraction


def parse_decimal(
    value,
    *,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    max_places: int = 10,
) -> Decimal | None:
    """A number with comma or point ("1 234,50", "1.5") within the bounds, at most ``max_places`` decimals.

    Without bounds the magnitude is below 10^18, so sums and roundings downstream stay cheap.
    """
    number = _decimal(value, "ett tal")
    if number is None:
        return None
    low = -DECIMAL_LIMIT if min_value is None else min_value
    high = DECIMAL_LIMIT if max_value is None else max_value
    _check_range(number, value, low, high, _swedish_decimal)
    exponent = _EXACT.normalize(number).as_tuple().exponent  # an int: the number is finite
    places = -exponent if isinstance(exponent, int) else 0
    if places > max_places:
        raise CellError(f"”{shown(cell_text(value))}” har för många decimaler: högst {max_places}.")
    return number


def parse_date(
    value, *, min_value: datetime.date | None = None, max_value: datetime.date | None = None
) -> datetime.date | None:
    """A date written ÅÅÅÅ-MM-DD (a time after it is ignored), or a date cell of an Excel file."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        text = cell_text(value)
        if not text:
            return None
        match = _DATE.fullmatch(text) if len(text) <= 32 else None
        if match is None:
            raise CellError(f"”{shown(text)}” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD.")
        try:
            date = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise CellError(f"”{shown(text)}” är inget giltigt datum.") from None
    if min_value is not None and date < min_value:
        raise CellError(f"{date.isoformat()} är för tidigt: tidigast {min_value.isoformat()}.")
    if max_value is not None and date > max_value:
        raise CellError(f"{date.isoformat()} är för sent: senast {max_value.isoformat()}.")
    return date

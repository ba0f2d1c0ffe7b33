"""Numbers, money, percentages and dates the Swedish way, for pages and PDFs alike.

"18 861 000 kr", "14 433 tkr", "48,1 %", "2,5", "15 mars 2026": thousands are grouped with a
non-breaking space (a figure never wraps inside a table cell or at a line end), the decimal sign
is a comma, a negative number has a real minus sign (U+2212), and the unit follows after a
non-breaking space. A missing value prints as nothing, so that a template chooses its own
placeholder: ``{{ x|kronor|default:"–" }}``.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.dateformat import format as date_format

# The months as written in running text ("januari–maj"), January first.
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
NBSP = "\u00a0"
MINUS = "\u2212"
EMPTY = ""


def to_decimal(value) -> Decimal | None:
    """``value`` as a Decimal; None for an empty value or one that is not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_number(value) -> str:
    """ "1 234 567,25", "2,5", "−1 500"; as many decimals as the value has, none when whole."""
    number = to_decimal(value)
    if number is None:
        return EMPTY
    sign = MINUS if number < 0 else ""
    number = abs(number)
    text = f"{int(number):,}" if number == number.to_integral_value() else f"{number.normalize():,f}"
    return sign + text.replace(",", NBSP).replace(".", ",")


def to_tkr(value) -> int:
    """Kronor as whole tkr, rounded half up (away from zero)."""
    return int((Decimal(int(value)) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_kronor(value) -> str:
    """ "18 861 000 kr"."""
    text = format_number(value)
    return text if text == EMPTY else f"{text}{NBSP}kr"


def format_tkr(value) -> str:
    """ "14 433 tkr" (rounded half up to whole tkr)."""
    number = to_decimal(value)
    return EMPTY if number is None else f"{format_number(to_tkr(number))}{NBSP}tkr"


def format_amount(value, unit: str = "kr") -> str:
    """Kronor or tkr, as the page's choice ``unit`` says ("kr" or "tkr")."""
    return format_tkr(value) if unit == "tkr" else format_kronor(value)


def format_percent(value) -> str:
    """ "48,1 %"."""
    text = format_number(value)
    return text if text == EMPTY else f"{text}{NBSP}%"


def format_date(value) -> str:
    """ "15 mars 2026", from a date or an ISO date string (as frozen in JSON); "" when empty."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y")


def format_person(user, missing: str = "") -> str:
    """A user as people see them: the full name, else the username; ``missing`` when there is no
    user (an automatic action, or an account that was removed)."""
    if user is None:
        return missing
    return user.get_full_name() or user.username

"""Swedish number and date formatting for the plan document (web page and PDF alike)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.dateformat import format as date_format

from apps.goals.models import format_number

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def tal(value) -> str:
    """A number the Swedish way ("1 250 000", "2,5"); "–" when empty."""
    number = _decimal(value)
    return "–" if number is None else format_number(number)


@register.filter
def kr(value) -> str:
    """Whole kronor: "18 861 000 kr"; "–" when empty."""
    number = _decimal(value)
    return "–" if number is None else f"{format_number(number)} kr"


@register.filter
def datum(value) -> str:
    """An ISO date string (as frozen in JSON) or a date as "15 mars 2026"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return date_format(value, "j F Y")

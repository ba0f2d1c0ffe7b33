"""Swedish money formatting: "18 861 000 kr" and "14 433 tkr", non-breaking thousands separators."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

NBSP = "\u00a0"
MINUS = "\u2212"


def group(value: int) -> str:
    """Whole number with non-breaking spaces between thousands and a real minus sign."""
    digits = f"{abs(int(value)):,}".replace(",", NBSP)
    return f"{MINUS}{digits}" if value < 0 else digits


def to_tkr(value: int) -> int:
    """Kronor to whole tkr, rounded half up (away from zero)."""
    return int((Decimal(int(value)) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.filter
def kronor(value) -> str:
    """ "18 861 000 kr"; empty for None."""
    if value is None or value == "":
        return ""
    return f"{group(int(value))}{NBSP}kr"


@register.filter
def tkr(value) -> str:
    """ "14 433 tkr" (rounded half up); empty for None."""
    if value is None or value == "":
        return ""
    return f"{group(to_tkr(int(value)))}{NBSP}tkr"


@register.filter
def belopp(value, visning: str = "kr") -> str:
    """Kronor or tkr depending on the page's choice (``visning`` is "kr" or "tkr")."""
    return tkr(value) if visning == "tkr" else kronor(value)


@register.filter
def procent(value) -> str:
    """A Decimal percentage with a decimal comma: "12,3 %"; "–" for None."""
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():f}".replace(".", ",").replace("-", MINUS)
    return f"{text}{NBSP}%"

"""The plan years the product accepts, and today's year in the förbund's time zone, defined once."""

from __future__ import annotations

from django.utils import timezone

from apps.tenancy.years import default_year

__all__ = ["MAX_YEAR", "MIN_YEAR", "default_year", "in_bounds", "parse_year", "this_year"]

MIN_YEAR = 2000
MAX_YEAR = 2100


def this_year() -> int:
    """The current year in Europe/Stockholm (``timezone.localdate``, never the server's date)."""
    return timezone.localdate().year


def in_bounds(year: int) -> bool:
    """Whether ``year`` is a plan year the product accepts (MIN_YEAR to MAX_YEAR)."""
    return MIN_YEAR <= year <= MAX_YEAR


def parse_year(value, *, default: int) -> int:
    """A year typed in a query string (?ar=2026); ``default`` when missing, not a number or out of bounds."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if in_bounds(year) else default

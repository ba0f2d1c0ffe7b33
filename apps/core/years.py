"""The plan years the product accepts, and today's year in the förbund's time zone, defined once."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from apps.tenancy.years import default_year

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "YEAR_ERRORS",
    "default_year",
    "in_bounds",
    "parse_year",
    "this_year",
    "year_validators",
]

MIN_YEAR = 2000
MAX_YEAR = 2100
MIN_MESSAGE = f"Ange ett år från {MIN_YEAR}."
MAX_MESSAGE = f"Ange ett år till och med {MAX_YEAR}."
# error_messages for a form's year field (add "required" and "invalid" to taste).
YEAR_ERRORS = {"min_value": MIN_MESSAGE, "max_value": MAX_MESSAGE}


def year_validators() -> list:
    """The validators of a model's year field, with the Swedish messages."""
    return [
        MinValueValidator(MIN_YEAR, message=MIN_MESSAGE),
        MaxValueValidator(MAX_YEAR, message=MAX_MESSAGE),
    ]


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
